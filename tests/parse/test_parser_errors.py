"""Bad single-file inputs from DESIGN.md "Reliability": the exact message a user sees for each.

A post that cannot be used raises one PostError whose str() is ``path[:line[:column]]: reason``;
a post that is usable but suspicious parses and carries a Problem instead.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from postctl.errors import PostctlError, PostError
from postctl.parse.post import Post, Problem, parse_post, parse_text


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work in tmp_path so messages show the short relative paths users see."""
    monkeypatch.chdir(tmp_path)


def write(name: str, data: str | bytes) -> str:
    Path(name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return name


def error_of(call: Callable[[], object]) -> PostError:
    with pytest.raises(PostError) as info:
        call()
    return info.value


def file_error(data: str | bytes, name: str = "bad.md", max_bytes: int | None = None) -> str:
    write(name, data)
    if max_bytes is None:
        return str(error_of(lambda: parse_post(name)))
    return str(error_of(lambda: parse_post(name, max_bytes=max_bytes)))


def text_error(text: str, name: str = "bad.md") -> str:
    """The message via parse_text must be the same as via parse_post of the same text."""
    via_text = str(error_of(lambda: parse_text(name, text)))
    assert file_error(text, name) == via_text
    return via_text


def rules(post: Post) -> list[tuple[str, str, int | None, int | None]]:
    return [(p.rule, p.message, p.line, p.column) for p in post.problems]


def in_thread(call: Callable[[], object], timeout: float = 5.0) -> BaseException | None:
    """Run ``call`` in a daemon thread; fail (rather than hang the suite) if it blocks."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            outcome.append(e)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"blocked for more than {timeout} s"
    return outcome[0]


# --------------------------------------------------------------------------- encoding


def test_utf8_bom_is_not_an_error() -> None:
    write("bom.md", b"\xef\xbb\xbf---\ntitle: Caf\xc3\xa9\ndate: 2016-10-06\n---\nBody\n")
    post = parse_post("bom.md")
    assert (post.fm_format, post.title, post.date) == ("yaml", "Café", "2016-10-06")
    assert post.key_lines == {"title": 2, "date": 3}
    assert post.problems == []
    assert post.body == "Body\n"


def test_utf8_bom_without_front_matter() -> None:
    post = parse_text("bom.md", "\ufeff# Hello\n")
    assert (post.fm_format, post.body, post.words) == ("none", "# Hello\n", 1)


def test_latin1_bytes_give_line_and_column() -> None:
    assert (
        file_error(b"---\ntitle: Caf\xe9\n---\n")
        == "bad.md:2:11: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    )


def test_latin1_in_first_line() -> None:
    message = file_error(b"\xa9 2016\n")
    assert message == "bad.md:1:1: not UTF-8 text (byte 0xa9); save the file as UTF-8"


def test_nul_bytes() -> None:
    assert (
        file_error(b"---\ntitle: x\n---\nab\x00cd\n")
        == "bad.md:4: binary file (contains NUL bytes), not Markdown text"
    )


def test_png_named_md() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    message = file_error(png, "image.md")
    assert message == "image.md:3: binary file (contains NUL bytes), not Markdown text"


# --------------------------------------------------------------------------- front matter shape


def test_missing_closing_yaml_delimiter() -> None:
    assert (
        text_error("---\ntitle: Never closed\n\nBody text.\n")
        == "bad.md:1:1: front matter opened with '---' is never closed"
    )


def test_only_an_opening_delimiter() -> None:
    assert text_error("---") == "bad.md:1:1: front matter opened with '---' is never closed"


def test_missing_closing_toml_delimiter() -> None:
    assert (
        text_error("+++\ntitle = 'x'\n---\n")
        == "bad.md:1:1: front matter opened with '+++' is never closed"
    )


def test_front_matter_that_is_a_list() -> None:
    assert (
        text_error("---\n- title\n- date\n---\nBody\n")
        == "bad.md:2:1: front matter is a list, expected 'key: value' lines"
    )


def test_front_matter_that_is_a_scalar() -> None:
    assert (
        text_error("---\nJust a sentence.\n---\nBody\n")
        == "bad.md:2:1: front matter is a single value, expected 'key: value' lines"
    )


def test_complex_key_is_an_error() -> None:
    assert (
        text_error("---\n? [a, b]\n: x\n---\n")
        == "bad.md:2:1: front matter key is not a plain name"
    )


def test_non_string_keys_are_kept_as_their_text() -> None:
    """``on:`` and ``1:`` are a bool and an int to YAML 1.1; postctl keeps the key's text."""
    write("keys.md", "---\ntitle: Keys\non: push\n1: one\n---\n")
    post = parse_post("keys.md")
    assert post.title == "Keys"
    assert post.extra == {"on": "push", "1": "one"}
    assert post.key_lines == {"title": 2, "on": 3, "1": 4}
    assert rules(post) == [
        ("yaml-trap", 'key on is read as a boolean by YAML 1.1; quote it: "on":', 3, 1)
    ]


def test_quoted_on_key_is_fine() -> None:
    post = parse_text("keys.md", '---\n"on": push\n---\n')
    assert post.extra == {"on": "push"}
    assert post.problems == []


def test_keys_named_content_and_handler_work() -> None:
    write("keys.md", "---\ntitle: T\ncontent: c\nhandler: h\n---\nBody\n")
    post = parse_post("keys.md")
    assert post.title == "T"
    assert post.extra == {"content": "c", "handler": "h"}
    assert post.body == "Body\n"
    assert post.problems == []


def test_empty_front_matter() -> None:
    post = parse_text("empty.md", "---\n---\nBody\n")
    assert (post.fm_format, post.title, post.body, post.body_line) == ("yaml", None, "Body\n", 3)


# --------------------------------------------------------------------------- values


def test_impossible_date_is_a_problem_not_an_error() -> None:
    post = parse_text("bad.md", "---\ntitle: T\ndate: 2026-13-45\n---\n")
    assert post.date is None
    assert post.title == "T"
    assert rules(post) == [("type", "date: '2026-13-45' is not a date (use YYYY-MM-DD)", 3, 1)]


def test_impossible_updated_date() -> None:
    post = parse_text("bad.md", "---\ndate: 2016-10-06\nupdated: 2026-02-30\n---\n")
    assert (post.date, post.updated) == ("2016-10-06", None)
    assert rules(post) == [("type", "updated: '2026-02-30' is not a date (use YYYY-MM-DD)", 3, 1)]


def test_impossible_date_in_an_extra_key() -> None:
    post = parse_text("bad.md", "---\nreviewed: 2026-13-45\n---\n")
    assert post.extra == {"reviewed": "2026-13-45"}
    assert rules(post) == [
        ("type", "reviewed: '2026-13-45' is invalid (month must be in 1..12)", 2, 11)
    ]


def test_impossible_date_falls_back_to_file_name_and_is_still_reported() -> None:
    # Issue 16: as Jekyll does, the file name's date dates the post; check still says why.
    post = parse_text("2016-10-06-post.md", "---\ndate: 2026-13-45\n---\n")
    assert (post.slug, post.date) == ("post", "2016-10-06")
    assert rules(post) == [("type", "date: '2026-13-45' is not a date (use YYYY-MM-DD)", 2, 1)]


def test_impossible_date_without_a_file_name_date_leaves_the_post_undated() -> None:
    post = parse_text("post.md", "---\ndate: 2026-13-45\n---\n")
    assert (post.slug, post.date) == ("post", None)


def test_impossible_date_inside_a_list_is_a_problem_not_an_error() -> None:
    post = parse_text("bad.md", "---\ntags: [ok, 2026-13-45]\nseen:\n  - 2026-02-30\n---\n")
    assert post.tags == ["ok", "2026-13-45"]
    assert post.extra == {"seen": ["2026-02-30"]}
    assert rules(post) == [
        ("type", "tags: '2026-13-45' is invalid (month must be in 1..12)", 2, 12),
        ("type", "seen: '2026-02-30' is invalid (day is out of range for month)", 4, 5),
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("!!timestamp soon", "not a date"),
        ("!!bool maybe", "not a boolean"),
        ("!!int abc", "invalid literal for int() with base 10: 'abc'"),
        ("!!float abc", "could not convert string to float: 'abc'"),
    ],
)
def test_explicit_tag_that_does_not_fit_is_a_problem(value: str, reason: str) -> None:
    post = parse_text("bad.md", f"---\nx: {value}\ny: {{a: [{value}]}}\n---\n")
    text = value.split()[1]
    assert post.extra == {"x": text, "y": {"a": [text]}}
    assert rules(post) == [
        ("type", f"x: {text!r} is invalid ({reason})", 2, 4),
        ("type", f"y: {text!r} is invalid ({reason})", 3, 9),
    ]


def test_explicit_timestamp_tag_on_date() -> None:
    post = parse_text("bad.md", "---\ndate: !!timestamp soon\n---\n")
    assert post.date is None
    assert rules(post) == [("type", "date: 'soon' is not a date (use YYYY-MM-DD)", 2, 1)]


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with PyYAML's C loader and again with its pure-Python loader."""
    import yaml

    from postctl.parse.post import _yaml_loader

    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    _yaml_loader.cache_clear()
    assert issubclass(_yaml_loader(), yaml.SafeLoader) == (request.param == "pure-python")
    yield request.param
    monkeypatch.undo()
    _yaml_loader.cache_clear()


def test_yaml_11_traps_are_problems(yaml_loader: str) -> None:
    post = parse_text("traps.md", "---\ntitle: no\ntime: 12:30\nmode: 0777\nyes: 1\n---\n")
    assert post.title == "false"
    assert post.extra == {"time": 750, "mode": 511, "yes": 1}
    assert rules(post) == [
        ("yaml-trap", 'title: no is read as the boolean false; quote it: "no"', 2, 8),
        ("yaml-trap", 'time: 12:30 is read as the number 750 (base 60); quote it: "12:30"', 3, 7),
        ("yaml-trap", 'mode: 0777 is read as the octal number 511; quote it: "0777"', 4, 7),
        ("yaml-trap", 'key yes is read as a boolean by YAML 1.1; quote it: "yes":', 5, 1),
    ]


def test_quoted_values_are_no_traps(yaml_loader: str) -> None:
    post = parse_text("ok.md", "---\ntitle: 'no'\ntime: \"12:30\"\nmode: '0777'\n---\n")
    assert post.title == "no"
    assert post.extra == {"time": "12:30", "mode": "0777"}
    assert post.problems == []


def test_duplicate_key_is_a_problem() -> None:
    post = parse_text("dup.md", "---\ntitle: One\ndate: 2016-10-06\ntitle: Two\n---\n")
    assert post.title == "Two"
    assert post.key_lines["title"] == 4
    assert rules(post) == [
        ("duplicate-key", "title is set twice (line 2 and here); YAML keeps only the last", 4, 1)
    ]


@pytest.mark.parametrize(
    "tag",
    ["!!python/object:os.system", "!!python/object/apply:os.system", "!!python/name:os.system"],
)
def test_python_tags_are_refused(tag: str) -> None:
    assert text_error(f"---\ntitle: T\nx: {tag} [echo]\n---\n") == (
        "bad.md:3:4: invalid YAML front matter: could not determine a constructor for the tag "
        f"'tag:yaml.org,2002:{tag[2:]}'"
    )


def test_yaml_syntax_error_has_line_and_column() -> None:
    assert (
        text_error("---\ntitle: x\n  bad: indent\n---\n")
        == "bad.md:3:6: invalid YAML front matter: mapping values are not allowed in this context"
    )


def test_undefined_alias() -> None:
    assert (
        text_error("---\ntitle: *nope\n---\n")
        == "bad.md:2:8: invalid YAML front matter: found undefined alias"
    )


def test_recursive_alias() -> None:
    assert (
        text_error("---\na: &x [*x]\n---\n")
        == "bad.md:2:4: invalid YAML front matter: found unconstructable recursive node"
    )


def billion_laughs(levels: int = 9) -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in itertools.pairwise("abcdefghijklmnopqrstuvwxyz"[:levels]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join([*lines, "---", "Body", ""])


def test_alias_bomb_is_refused_quickly() -> None:
    start = time.monotonic()
    assert text_error(billion_laughs()) == (
        "bad.md:2: front matter expands to more than 100,000 values "
        "(an alias bomb or a generated file?)"
    )
    assert time.monotonic() - start < 2


def test_small_alias_use_is_fine() -> None:
    post = parse_text("ok.md", "---\nbase: &b {x: 1}\nother: *b\n---\n")
    assert post.extra == {"base": {"x": 1}, "other": {"x": 1}}


def test_deep_flow_nesting() -> None:
    assert (
        text_error("---\n" + "[" * 10000 + "\n---\n")
        == "bad.md:2:1001: invalid YAML front matter: exceeded maximum nesting depth"
    )


def test_deep_block_nesting() -> None:
    nested = "".join(" " * i + f"k{i}:\n" for i in range(999))
    assert text_error("---\n" + nested + "---\n") == "bad.md:2: front matter is nested too deeply"


def test_deep_value_nesting() -> None:
    value = "[" * 900 + "]" * 900
    assert text_error(f"---\na: {value}\n---\n") == "bad.md:2: a: value is nested too deeply"


@pytest.mark.parametrize(
    "text",
    [
        '{"a": ' + "[" * 100_000 + "\n",
        "+++\na = " + "[" * 100_000 + "\n+++\n",
        "+++\na = " + "{b=" * 100_000 + "\n+++\n",
    ],
    ids=["json", "toml-array", "toml-table"],
)
def test_deep_json_and_toml_nesting(text: str) -> None:
    assert file_error(text) == "bad.md: front matter is nested too deeply"


# --------------------------------------------------------------------------- TOML and JSON


def test_toml_syntax_error_has_line_and_column() -> None:
    assert (
        text_error("+++\ntitle = 'x'\ndate = nope\n+++\n")
        == "bad.md:3:8: invalid TOML front matter: Invalid value"
    )


def test_toml_duplicate_key() -> None:
    assert (
        text_error("+++\ntitle = 'x'\ntitle = 'y'\n+++\n")
        == "bad.md:3:12: invalid TOML front matter: Cannot overwrite a value"
    )


def test_toml_error_at_end_points_at_last_line() -> None:
    assert (
        text_error("+++\ntitle = 'x'\ntags = ['a',\n+++\n")
        == "bad.md:3: invalid TOML front matter: Invalid value at the end of the front matter"
    )


def test_json_syntax_error_has_line_and_column() -> None:
    assert (
        text_error('{\n  "title": "x",\n  "date": \n}\nBody\n')
        == "bad.md:4:1: invalid JSON front matter: Expecting value"
    )


def test_json_unclosed_object() -> None:
    assert (
        text_error('{\n  "title": "x"\n\nBody\n')
        == "bad.md:4:1: invalid JSON front matter: Expecting ',' delimiter"
    )


# --------------------------------------------------------------------------- the file itself


def test_fifo_does_not_hang() -> None:
    os.mkfifo("x.md")
    error = in_thread(lambda: parse_post("x.md"))
    assert isinstance(error, PostError)
    assert str(error) == "x.md: not a regular file (a FIFO, socket or device)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_does_not_hang() -> None:
    os.symlink("/dev/zero", "zero.md")
    error = in_thread(lambda: parse_post("zero.md"))
    assert str(error) == "zero.md: not a regular file (a FIFO, socket or device)"


def test_directory_named_md() -> None:
    os.mkdir("x.md")
    assert str(error_of(lambda: parse_post("x.md"))) == "x.md: is a directory, not a file"


def test_symlink_loop() -> None:
    os.symlink("loop-b.md", "loop-a.md")
    os.symlink("loop-a.md", "loop-b.md")
    assert str(error_of(lambda: parse_post("loop-a.md"))) == "loop-a.md: symlink loop"


def test_self_symlink() -> None:
    os.symlink("self.md", "self.md")
    assert str(error_of(lambda: parse_post("self.md"))) == "self.md: symlink loop"


def test_broken_symlink() -> None:
    os.symlink("gone.md", "link.md")
    assert (
        str(error_of(lambda: parse_post("link.md")))
        == "link.md: file vanished while reading (or a broken symlink)"
    )


def test_file_over_the_size_limit() -> None:
    assert (
        file_error("x" * 2000, "big.md", max_bytes=1000)
        == "big.md: file is 2,000 bytes, over the limit of 1,000 bytes"
    )


def test_file_at_the_size_limit_is_fine() -> None:
    write("big.md", "x" * 1000)
    assert parse_post("big.md", max_bytes=1000).words == 1


def test_size_limit_in_megabytes() -> None:
    assert (
        file_error(b"a " * (3 * 1024 * 1024 // 4), "big.md", max_bytes=1024 * 1024)
        == "big.md: file is 1.5 MB, over the limit of 1 MB"
    )


def test_unreadable_file() -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading")
    write("secret.md", "---\ntitle: x\n---\n")
    os.chmod("secret.md", 0)
    try:
        assert str(error_of(lambda: parse_post("secret.md"))) == "secret.md: permission denied"
    finally:
        os.chmod("secret.md", 0o644)


def test_permission_denied_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same message without needing a non-root user: os.open itself says EACCES."""
    import errno

    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).name == "secret.md":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    write("secret.md", "---\ntitle: x\n---\n")
    monkeypatch.setattr(os, "open", refuse)  # the os module postctl.parse.post uses
    assert str(error_of(lambda: parse_post("secret.md"))) == "secret.md: permission denied"


def test_display_path_is_used_in_the_message() -> None:
    write("bad.md", b"\xff")
    error = error_of(lambda: parse_post("bad.md", display="posts/bad.md"))
    assert str(error) == "posts/bad.md:1:1: not UTF-8 text (byte 0xff); save the file as UTF-8"
    assert (error.path, error.line, error.column) == ("posts/bad.md", 1, 1)


def test_post_error_is_a_postctl_error_with_exit_code_2() -> None:
    error = PostError("a.md", "reason", 3, 7)
    assert isinstance(error, PostctlError)
    assert (str(error), error.location(), error.exit_code) == ("a.md:3:7: reason", "a.md:3:7", 2)
    assert str(PostError("a.md", "reason", None, 7)) == "a.md: reason"


def test_problem_defaults() -> None:
    assert Problem("rule", "message") == Problem("rule", "message", None, None, "error")
