"""Inputs that hung, exhausted memory or printed tracebacks (issue #15, item 7): each is one line
on stderr and a non-zero exit, with nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import post_text, write

from hostile.conftest import TIMEOUT, postctl_env
from postctl.config import load_settings
from postctl.errors import ConfigError
from postctl.parse import flatyaml
from postctl.parse.post import load_yaml, parse_checked

# -------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", ["fifo", "zero", "huge", "folder"])
def test_templates_are_small_regular_files_read_without_blocking(
    blog: Path, run: Callable[..., Any], kind: str
) -> None:
    template = blog / "template.md"
    if kind == "fifo":
        os.mkfifo(template)  # reading it would wait for a writer for ever
    elif kind == "zero":
        template = Path("/dev/zero")  # reading it would fill the memory
    elif kind == "huge":
        template.write_text("---\ntitle: {title}\n---\n" + "x" * (1024 * 1024))
    else:
        template.mkdir()
    res = run("new", "T", "-c", "Ops", "--template", str(template))
    assert res.exit_code == 2
    reason = {
        "fifo": "not a regular file (a FIFO, socket or device)",
        "zero": "not a regular file (a FIFO, socket or device)",
        "huge": "over the limit of 1 MB for a template",
        "folder": "not a regular file (a folder)",
    }[kind]
    assert res.stderr.splitlines() == [
        f"postctl: error: --template {os.path.relpath(template) if kind != 'zero' else template}: "
        f"{reason}"
    ]
    assert list((blog / "articles").iterdir()) == []


# -------------------------------------------------------------------------- reading-time


def _deep_json() -> str:
    return '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\nbody\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_deep_json(), "post.md: front matter is nested too deeply"),
        ('{"x": ' + "9" * 5000 + "}\nbody\n", "post.md: front matter has a number of more than"),
        ("---\ntitle: a\x01b\n---\n", "post.md:2:9: invalid YAML front matter: control character"),
    ],
    ids=["deep-json", "huge-int", "raw-control"],
)
def test_reading_time_of_a_hostile_file_is_one_line(
    blog: Path, run: Callable[..., Any], text: str, message: str
) -> None:
    write(blog / "post.md", text)
    res = run("reading-time", "post.md")
    assert res.exit_code == 2
    [line] = res.stderr.splitlines()
    assert line.startswith("postctl: error: " + message), line


def test_reading_time_of_stdin_that_is_not_utf8(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "postctl", "reading-time", "-"],
        input=b"---\ntitle: x\x85y\n---\nbody\n",
        capture_output=True,
        cwd=tmp_path,
        env=postctl_env(),
        timeout=TIMEOUT,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "postctl: error: <stdin>:2:9: not UTF-8 text (byte 0x85); save the file as UTF-8\n"
    )


def test_a_raw_control_character_in_yaml_is_one_line_with_its_place(
    blog: Path, run: Callable[..., Any]
) -> None:
    write(blog / "articles/ctl.md", post_text(extra="note: a\x07b\n"))
    res = run("index")
    assert res.stderr.splitlines() == [
        "postctl: warning: skipped articles/ctl.md:7:8: invalid YAML front matter: "
        "control character U+0007 is not allowed"
    ]


def test_flat_and_full_yaml_agree_on_an_impossible_offset() -> None:
    fm = "title: t\ndate: 2025-01-01T10:00:00+99:00\n"
    assert flatyaml.load(fm) is None  # the fast path hands it to the full parser
    post = parse_checked("post.md", f"---\n{fm}---\nbody\n")
    assert post.date is None
    assert [p.message for p in post.problems] == [
        "date: '2025-01-01T10:00:00+99:00' is not a date (use YYYY-MM-DD)"
    ]
    # What the full parser does when the fast path is bypassed (a comment disables it).
    data, _, _ = load_yaml("post.md", "# c\n" + fm)
    assert data["date"] == "2025-01-01T10:00:00+99:00"


# -------------------------------------------------------------------------- output


def _postctl(cwd: Path, *args: str, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "postctl", *args],
        capture_output="stdout" not in kw,
        cwd=cwd,
        env=postctl_env(),
        timeout=TIMEOUT,
        **kw,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "json"),
        ("list",),
        ("index",),
        ("check",),
        ("stats",),
        ("tags", "--format", "csv"),
        ("show", "a-post"),
        ("search", "words"),
        ("reading-time",),
        ("new", "Second", "-c", "Performance"),
    ],
    ids=" ".join,
)
def test_output_that_cannot_be_written_is_one_line(blog: Path, args: tuple[str, ...]) -> None:
    write(blog / "articles/a-post.md", post_text())
    with open("/dev/full", "wb") as full:
        proc = _postctl(blog, *args, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    if args[0] == "new":
        assert err.splitlines()[-1] == (
            "postctl: error: cannot write the output (No space left on device); "
            "articles/second.md was not created"
        )
        assert sorted(p.name for p in (blog / "articles").iterdir()) == ["a-post.md"]
    else:
        assert err == "postctl: error: cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_one_line(blog: Path) -> None:
    write(blog / "articles/a-post.md", post_text())
    proc = _postctl(blog, "list", stdout=None, stderr=subprocess.PIPE, close_fds=True,
                    preexec_fn=lambda: os.close(1))  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.decode() == "postctl: error: standard output is closed\n"
    assert not (blog / ".postctl").exists()  # nothing opened in its place


# -------------------------------------------------------------------------- config


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "postctl.toml").write_bytes(b'content = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"postctl.toml: not UTF-8 text \(byte 0xe9\)"):
        load_settings(cwd=tmp_path, env={})


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (b'[project]\nname = "caf\xe9"\n', "not UTF-8 text (byte 0xe9)"),
        (b"[project\nname = 1\n", "invalid TOML"),
    ],
    ids=["latin1", "broken"],
)
def test_a_parent_projects_broken_pyproject_is_named_and_passed_by(
    tmp_path: Path, data: bytes, warning: str
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(data)
    blog = tmp_path / "blog"
    blog.mkdir()
    s = load_settings(cwd=blog, env={})
    assert s.root == blog.resolve() and s.config_file is None
    [w] = s.warnings
    assert w.startswith(str(tmp_path / "pyproject.toml") + ": " + warning)
    assert w.endswith("(skipped: it has no [tool.postctl])")


def test_a_broken_pyproject_that_configures_postctl_stops_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.postctl]\ncontent = "a\n')
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(cwd=tmp_path, env={})


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('content = "a\\u0000b"\n', "contains a NUL character"),
        ('db = "x\\u0000.db"\n', "contains a NUL character"),
        ("max-file-mb = -1\n", "max-file-mb must be 0 or more, not -1"),
        ("wpm = 99999999999999999999\n", "words per minute must be at most 100,000"),
    ],
)
def test_config_values_that_cannot_work_are_refused(
    tmp_path: Path, toml: str, message: str
) -> None:
    (tmp_path / "postctl.toml").write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_settings(cwd=tmp_path, env={})


# -------------------------------------------------------------------------- numbers


def test_huge_limits_mean_all(blog: Path, run: Callable[..., Any]) -> None:
    write(blog / "articles/a-post.md", post_text())
    huge = "99999999999999999999"
    assert run("list", "--limit", huge, "-f", "paths").stdout == "articles/a-post.md\n"
    assert run("search", "words", "--limit", huge, "-f", "paths").stdout == "articles/a-post.md\n"
    res = run("--wpm", huge, "list", "--sort", "reading-time")
    assert (res.exit_code, res.stderr) == (
        2,
        f"postctl: error: words per minute must be at most 100,000, not {huge}\n",
    )


# -------------------------------------------------------------------------- the folder, the index


def test_a_folder_that_fails_halfway_through_listing_is_skipped_with_a_warning(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a bind-mounted /proc/1 does: its listing starts, then EACCES (map_files)."""
    from postctl.index import scan as scanning

    write(blog / "articles/a-post.md", post_text())
    (blog / "articles/sys").mkdir()
    write(blog / "articles/sys/first.md", post_text("First"))
    real_scandir = os.scandir

    class HalfListing:
        def __init__(self, path: str) -> None:
            self.it = real_scandir(path)

        def __enter__(self) -> HalfListing:
            return self

        def __exit__(self, *_: Any) -> None:
            self.it.close()

        def __iter__(self) -> HalfListing:
            return self

        def __next__(self) -> os.DirEntry[str]:
            entry = next(self.it)
            if entry.name == "first.md":
                return entry
            raise PermissionError(13, "Permission denied", "map_files")

    def scandir(path: Any) -> Any:
        return HalfListing(path) if str(path).endswith("/sys") else real_scandir(path)

    monkeypatch.setattr(scanning.os, "scandir", scandir)
    write(blog / "articles/sys/second.md", post_text("Second"))
    res = run("list", "--format", "paths")
    assert res.exit_code == 0
    assert res.stderr == "postctl: warning: skipped articles/sys: permission denied (folder)\n"
    assert "articles/a-post.md" in res.stdout.splitlines()


def test_a_folder_where_the_journal_goes_keeps_the_index(
    blog: Path, run: Callable[..., Any]
) -> None:
    write(blog / "articles/a-post.md", post_text())
    assert run("index").exit_code == 0
    db = blog / ".postctl/index.db"
    before = db.read_bytes()
    (blog / ".postctl/index.db-journal").mkdir()
    res = run("list")
    assert (res.exit_code, res.stderr) == (
        2,
        "postctl: error: .postctl/index.db-journal: a folder, where SQLite keeps the index "
        "journal; remove or rename it\n",
    )
    assert db.read_bytes() == before
    assert (blog / ".postctl/index.db-journal").is_dir()


def test_a_missing_content_folder_leaves_nothing_behind(
    tmp_path: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (("list",), ("index",), ("check",), ("new", "T", "-c", "x"), ("search", "x")):
        res = run(*args)
        assert res.exit_code == 2, args
        # (#18: the message says what to do in a folder postctl does not know)
        assert res.stderr == (
            "postctl: error: articles: content folder not found; run 'postctl init' to set up "
            "this folder, or pass --content DIR\n"
        ), args
    assert list(tmp_path.iterdir()) == []


def test_the_index_names_a_huge_number_as_the_reading_time_does(
    blog: Path, run: Callable[..., Any]
) -> None:
    write(blog / "articles/big.md", '{"x": ' + "9" * 5000 + "}\nbody\n")
    res = run("index")
    assert res.stderr == (
        "postctl: warning: skipped articles/big.md: front matter has a number of more than "
        "4,300 digits\n"
    )
