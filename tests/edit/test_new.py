"""`postctl new`: slugs from hostile titles, clashes, templates, dry runs, no prompts in scripts."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import sqlite3
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, post_text, write
from hypothesis import given
from hypothesis import strategies as st

from postctl.edit import scaffold
from postctl.errors import UsageError
from postctl.parse.post import load_yaml, parse_post, parse_text

Run = Callable[..., Result]
DAY = "2026-11-26"
LONG_TITLE = " ".join(["Performance"] * 25) + "!"  # 300 characters
DEFAULT_BODY = "\nStart with the problem this post solves, then show how, step by step.\n"


@pytest.fixture
def one_post(blog: Path) -> Path:
    """A blog with one post: category Performance, tags redis and latency."""
    write(blog / "articles/pooling.md", post_text("Pooling", tags=("redis", "latency")))
    return blog


def new(run: Run, *args: str, env: dict[str, str] | None = None) -> Result:
    return run("new", "--date", DAY, *args, env=env)


def files(blog: Path) -> list[str]:
    return sorted(str(p.relative_to(blog)) for p in blog.rglob("*") if ".postctl" not in p.parts)


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Café Straße", "cafe-strasse"),
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/passwd", "etc-passwd"),
        ("C:\\Windows\\System32", "c-windows-system32"),
        ("..", "post-2026-11-26"),
        ("🚀🔥", "post-2026-11-26"),
        ("性能优化", "xing-neng-you-hua"),
        ("Оптимизация производительности", "optimizatsiia-proizvoditelnosti"),
        ("Ελληνικά", "ellenika"),
        ("CON", "con-post"),
        ("lpt1", "lpt1-post"),
        ("Nul", "nul-post"),
        ("NUL.md", "nul-md"),
        ('Don\'t Panic: a "guide" #1', "dont-panic-a-guide-1"),
        ("Don’t stop", "dont-stop"),
        ("- no", "no"),
        (LONG_TITLE, "-".join(["performance"] * 6)),
        ("x" * 300, "x" * 80),
    ],
)
def test_slug_from_a_title(title: str, slug: str) -> None:
    assert scaffold.slug_for(title, DAY) == slug
    assert len(slug) <= scaffold.MAX_SLUG_LENGTH


@pytest.mark.parametrize(
    ("title", "path"),
    [
        ("../../etc/passwd", "articles/etc-passwd.md"),
        ("🚀🔥", "articles/post-2026-11-26.md"),
        ("性能优化", "articles/xing-neng-you-hua.md"),
        ("Оптимизация производительности", "articles/optimizatsiia-proizvoditelnosti.md"),
        (LONG_TITLE, "articles/" + "-".join(["performance"] * 6) + ".md"),
        ("CON", "articles/con-post.md"),
        ('Redis: "fast" # not a comment', "articles/redis-fast-not-a-comment.md"),
        ("- no", "articles/no.md"),
    ],
)
def test_hostile_titles_make_a_safe_file_inside_the_folder(
    one_post: Path, run: Run, title: str, path: str
) -> None:
    before = files(one_post)
    res = run("new", "--date", DAY, "-c", "Performance", "--", title)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == path + "\n"
    assert files(one_post) == sorted([*before, path])
    post = parse_post(one_post / path)
    assert post.title == title
    assert not post.problems


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused(one_post: Path, run: Run, title: str) -> None:
    before = files(one_post)
    res = new(run, title)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == (
        'postctl: error: the title is empty; give the post a title: postctl new "Title"\n'
    )
    assert files(one_post) == before


def test_titles_are_one_line_of_text() -> None:
    assert scaffold.clean_title("  Two\nlines\u2028here  ") == "Two lines here"
    with pytest.raises(UsageError, match=r"control character U\+0007"):
        scaffold.clean_title("bell\x07")
    with pytest.raises(UsageError, match="not valid UTF-8"):
        scaffold.clean_title("bad \udcff byte")  # an undecodable byte in argv


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Foo Bar", "--slug 'Foo Bar': use lowercase letters, digits and single hyphens "
         "(e.g. --slug foo-bar)"),
        ("../../etc/passwd", "--slug '../../etc/passwd': use lowercase letters, digits and "
         "single hyphens (e.g. --slug etc-passwd)"),
        ("a--b", "--slug 'a--b': use lowercase letters, digits and single hyphens "
         "(e.g. --slug a-b)"),
        ("🚀", "--slug '🚀': use lowercase letters, digits and single hyphens"),
        ("con", "--slug 'con': CON is a reserved file name on Windows (e.g. --slug con-post)"),
        ("a" * 81, "--slug: at most 80 characters (this one has 81)"),
    ],
)  # fmt: skip
def test_a_bad_slug_is_refused(one_post: Path, run: Run, slug: str, message: str) -> None:
    before = files(one_post)
    res = new(run, "Title", "--slug", slug)
    assert res.exit_code == 2
    assert res.stderr == f"postctl: error: {message}\n"
    assert files(one_post) == before


def test_a_given_slug_is_used(one_post: Path, run: Run) -> None:
    res = new(run, "Any Title", "-c", "Performance", "--slug", "my-post-2")
    assert res.stdout == "articles/my-post-2.md\n"
    assert parse_post(one_post / "articles/my-post-2.md").slug == "my-post-2"


def test_target_path_refuses_anything_but_a_slug(tmp_path: Path) -> None:
    assert scaffold.target_path(tmp_path, "ok") == tmp_path / "ok.md"
    for bad in ("../x", "a/b", ".", "con", "", "A"):
        with pytest.raises(ValueError, match="not a safe slug"):
            scaffold.target_path(tmp_path, bad)


# --------------------------------------------------------------------------- the file


def test_the_default_post(one_post: Path, run: Run) -> None:
    res = new(run, "Cache Warming", "-c", "performance", "-t", "Redis", "-t", "warmup, latency")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "articles/cache-warming.md\n"
    assert res.stderr == ""  # known category and tags, spelled as the blog spells them
    assert (one_post / "articles/cache-warming.md").read_text() == (
        "---\n"
        'title: "Cache Warming"\n'
        "date: 2026-11-26\n"
        f'description: "{scaffold.DEFAULT_DESCRIPTION}"\n'
        'category: "Performance"\n'
        'tags: ["redis", "warmup", "latency"]\n'
        "draft: false\n"
        'slug: "cache-warming"\n'
        "---\n" + DEFAULT_BODY
    )


def test_the_post_parses_back_exactly(one_post: Path, run: Run) -> None:
    title = (
        "Redis: \"SET\" vs 'GETEX' — #1 trick, no? yes: 12:30 & 0777 {braces} [x] *a &b !c %d @e"
    )
    tags = ['say "hi"', "no", "12:30", "- dash", "#hash"]
    args = [f"--tag={t}" for t in tags]
    res = new(run, title, "-c", 'Perf: "tuned"', "-d", "A: b # c 'd' \"e\" " * 4, *args)
    assert res.exit_code == 0, res.stderr
    post = parse_post(one_post / res.stdout.strip())
    assert post.title == title
    assert post.tags == tags
    assert post.categories == ['Perf: "tuned"']
    assert post.description == ("A: b # c 'd' \"e\" " * 4).strip()
    assert (post.date, post.draft) == (DAY, False)
    assert post.slug == "redis-set-vs-getex-1-trick-no-yes-12-30-0777-braces-x-a-b-c-d-e"
    assert post.problems == []


def test_a_created_post_passes_check(one_post: Path, run: Run) -> None:
    res = new(run, "Connection Pool Sizing", "-c", "Performance", "-t", "postgresql")
    assert res.exit_code == 0, res.stderr
    check = run("check", res.stdout.strip())
    assert check.exit_code == 0, check.stdout + check.stderr
    assert check.stdout == "1 file checked, no problems\n"
    check = run("check", "--strict", res.stdout.strip())  # warnings fail too
    assert check.exit_code == 0, check.stdout


def test_the_index_shows_the_post_at_once(one_post: Path, run: Run) -> None:
    run("list")  # a warm index
    res = new(run, "Fresh Post", "-c", "Performance")
    listed = run("list", "-f", "paths")
    assert listed.stdout == "articles/fresh-post.md\narticles/pooling.md\n"
    assert res.stdout == "articles/fresh-post.md\n"


def test_draft_flag_and_config(one_post: Path, run: Run) -> None:
    new(run, "A Draft", "-c", "Performance", "--draft")
    assert run("list", "-f", "paths").stdout == "articles/pooling.md\n"
    assert run("list", "--drafts", "-f", "paths").stdout == "articles/a-draft.md\n"
    write(one_post / "postctl.toml", '[new]\ndraft = true\ncategory = "Performance"\n')
    new(run, "Another")
    assert parse_post(one_post / "articles/another.md").draft is True
    new(run, "Published", "--no-draft")
    assert parse_post(one_post / "articles/published.md").draft is False


def test_date_defaults_to_today_and_is_checked(one_post: Path, run: Run) -> None:
    res = run("new", "Today", "-c", "Performance")
    assert parse_post(one_post / res.stdout.strip()).date == dt.date.today().isoformat()
    for bad in ("2026-13-01", "26-11-2026", "20261126", "tomorrow"):
        res = run("new", "Later", "--date", bad)
        assert res.exit_code == 2
        assert res.stderr == f"postctl: error: --date {bad!r}: not a date (use YYYY-MM-DD)\n"


def test_create_is_atomic_and_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    scaffold.create(target, b"first\n")
    with pytest.raises(FileExistsError):
        scaffold.create(target, b"second\n")
    assert target.read_bytes() == b"first\n"
    link = tmp_path / "dangling.md"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        scaffold.create(link, b"x")
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "dangling.md"]  # no temp left


def test_create_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_link(src: object, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    scaffold.create(tmp_path / "a.md", b"text\n")
    assert (tmp_path / "a.md").read_bytes() == b"text\n"
    with pytest.raises(FileExistsError):
        scaffold.create(tmp_path / "a.md", b"other\n")
    assert (tmp_path / "a.md").read_bytes() == b"text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_an_index_that_cannot_be_updated_does_not_lose_the_path(
    one_post: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postctl.index.store import Index
    from postctl.index.sync import SyncReport

    calls: list[int] = []
    real_sync = Index.sync

    def sync(self: Index, *args: object, **kwargs: object) -> SyncReport:
        calls.append(1)
        if len(calls) > 1:
            raise sqlite3.OperationalError("database is locked")
        return real_sync(self)

    monkeypatch.setattr(Index, "sync", sync)
    res = new(run, "Locked", "-c", "Performance")
    assert res.exit_code == 0
    assert res.stdout == "articles/locked.md\n"
    assert res.stderr == (
        "postctl: warning: the index was not updated (database is locked); "
        "the next command will catch up\n"
    )
    assert (one_post / "articles/locked.md").is_file()


# --------------------------------------------------------------------------- clashes

SUGGEST = "choose another slug with --slug (e.g. --slug foo-2)"


@pytest.mark.parametrize(
    ("existing", "slug_line", "reason"),
    [
        ("foo.md", "", "articles/foo.md already exists"),
        ("foo.markdown", "", 'articles/foo.markdown already has the slug "foo"'),
        ("Foo.md", "", 'articles/Foo.md already has the slug "foo"'),
        ("FOO.MDX", "", 'articles/FOO.MDX already has the slug "foo"'),
        ("2024-01-02-foo.md", "", 'articles/2024-01-02-foo.md already has the slug "foo"'),
        ("2024/foo.md", "", 'articles/2024/foo.md already has the slug "foo"'),
        (
            "other.md",
            "slug: foo\n",
            'articles/other.md already has the slug "foo" (set in its front matter)',
        ),
        (
            "deep/other.md",
            "slug: Foo\n",
            'articles/deep/other.md already has the slug "foo" (set in its front matter)',
        ),
    ],
)
def test_a_taken_slug_exits_1_and_touches_nothing(
    one_post: Path, run: Run, existing: str, slug_line: str, reason: str
) -> None:
    path = write(one_post / "articles" / existing, post_text("Old", extra=slug_line))
    before = path.read_bytes()
    listing = files(one_post)
    res = new(run, "Foo", "-c", "Performance")
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr == f"postctl: error: {reason}; {SUGGEST}\n"
    assert path.read_bytes() == before
    assert files(one_post) == listing


def test_a_given_slug_clashes_too_and_the_suggestion_is_free(one_post: Path, run: Run) -> None:
    write(one_post / "articles/foo.md", post_text("Foo"))
    write(one_post / "articles/foo-2.md", post_text("Foo 2"))
    write(one_post / "articles/bar.md", post_text("Bar", extra="slug: foo-3\n"))
    res = new(run, "Something Else", "--slug", "foo")
    assert res.exit_code == 1
    assert res.stderr == (
        "postctl: error: articles/foo.md already exists; "
        "choose another slug with --slug (e.g. --slug foo-4)\n"
    )


def test_a_clash_with_a_broken_file_or_a_dangling_link(one_post: Path, run: Run) -> None:
    write(one_post / "articles/foo.markdown", "---\ntitle: [unclosed\n")  # skipped by the index
    res = new(run, "Foo")
    assert res.exit_code == 1
    assert 'articles/foo.markdown already has the slug "foo"' in res.stderr
    (one_post / "articles/bar.md").symlink_to(one_post / "elsewhere.md")
    res = new(run, "Bar")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        "postctl: warning: skipped articles/bar.md: symlink points outside the content folder",
        "postctl: error: articles/bar.md already exists; "
        "choose another slug with --slug (e.g. --slug bar-2)",
    ]
    assert not (one_post / "elsewhere.md").exists()


def test_a_file_appearing_at_the_last_moment_is_not_replaced(
    one_post: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = scaffold.create

    def racing_create(path: Path, data: bytes) -> None:
        path.write_text("someone else's\n")
        real_create(path, data)

    monkeypatch.setattr(scaffold, "create", racing_create)
    res = new(run, "Foo", "-c", "Performance")
    assert res.exit_code == 1
    assert res.stderr == f"postctl: error: articles/foo.md already exists; {SUGGEST}\n"
    assert (one_post / "articles/foo.md").read_text() == "someone else's\n"


# --------------------------------------------------------------------------- templates

TEMPLATE = """\
---
title: {title}
quoted: "{title} ({date})"
single: '{title}'
date: {date}
category: {category}
tags: {tags}
description: {description}
draft: {draft}
series: {series}
---

# {title}

Tagged {tags}; filed under {category}. Code keeps its braces: `{{x}}` and {unknown}.
"""


def test_project_template(one_post: Path, run: Run) -> None:
    write(one_post / "templates/post.md", TEMPLATE)
    title = 'It\'s "quoted": #1'
    res = new(run, title, "-c", "Performance", "-t", "redis", "-t", "it's")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "articles/its-quoted-1.md\n"
    text = (one_post / "articles/its-quoted-1.md").read_text()
    assert text == (
        "---\n"
        'title: "It\'s \\"quoted\\": #1"\n'
        'quoted: "It\'s \\"quoted\\": #1 (2026-11-26)"\n'
        "single: 'It''s \"quoted\": #1'\n"
        "date: 2026-11-26\n"
        'category: "Performance"\n'
        'tags: ["redis", "it\'s"]\n'
        f'description: "{scaffold.DEFAULT_DESCRIPTION}"\n'
        "draft: false\n"
        "series: {series}\n"
        "---\n"
        "\n"
        '# It\'s "quoted": #1\n'
        "\n"
        "Tagged redis, it's; filed under Performance. Code keeps its braces: `{{x}}` and "
        "{unknown}.\n"
    )
    post = parse_text("x.md", text)
    assert post.title == title
    assert post.extra["quoted"] == f"{title} (2026-11-26)"
    assert post.extra["single"] == title
    assert post.extra["series"] == {"series": None}  # a YAML flow mapping, left as written


def test_template_flag_beats_config_beats_project(one_post: Path, run: Run) -> None:
    write(one_post / "templates/post.md", "---\ntitle: {title}\nfrom: project\n---\nx\n")
    write(one_post / "cfg/post.md", "---\ntitle: {title}\nfrom: config\n---\nx\n")
    write(one_post / "flag.md", "---\ntitle: {title}\nfrom: flag\n---\nx\n")
    new(run, "One", "-c", "Performance")
    assert parse_post(one_post / "articles/one.md").extra == {"from": "project"}
    write(one_post / "postctl.toml", '[new]\ntemplate = "cfg/post.md"\n')
    new(run, "Two", "-c", "Performance")
    assert parse_post(one_post / "articles/two.md").extra == {"from": "config"}
    new(run, "Three", "-c", "Performance", "--template", "flag.md")
    assert parse_post(one_post / "articles/three.md").extra == {"from": "flag"}


def test_toml_and_json_templates(one_post: Path, run: Run) -> None:
    title = "A \"TOML\" \\ title 'q'"
    write(
        one_post / "t.toml.md",
        "+++\ntitle = {title}\ndate = {date}\ntags = {tags}\ndraft = {draft}\n"
        'category = "{category}"\nslug = {slug}\n+++\nBody.\n',
    )
    res = new(run, title, "-c", "Performance", "-t", 'x"y', "--template", "t.toml.md")
    assert res.exit_code == 0, res.stderr
    text = (one_post / res.stdout.strip()).read_text()
    fm = tomllib.loads(text.split("+++")[1])
    assert fm == {
        "title": title,
        "date": dt.date(2026, 11, 26),
        "tags": ['x"y'],
        "draft": False,
        "category": "Performance",
        "slug": "a-toml-title-q",
    }
    write(
        one_post / "t.json.md",
        '{\n  "title": {title},\n  "date": {date},\n  "tags": {tags},\n  "draft": {draft}\n}\nB\n',
    )
    res = new(run, 'JSON "too"', "-t", "a", "--template", "t.json.md", "--draft")
    assert res.exit_code == 0, res.stderr
    text = (one_post / res.stdout.strip()).read_text()
    assert json.loads(text[: text.index("\n}\n") + 2]) == {
        "title": 'JSON "too"',
        "date": "2026-11-26",
        "tags": ["a"],
        "draft": True,
    }


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("title: {title}\n", "flag.md: no front matter; start it with --- (YAML), +++ (TOML) "
         "or { (JSON)"),
        ("---\ntitle: {title}\n", "flag.md: the front matter opened on line 1 is never closed"),
        ("---\ntitle: [{title}\n---\n", "flag.md: the post it makes does not parse: line 3: "
         "invalid YAML front matter: did not find expected ',' or ']'"),
        ("+++\ntitle = '{title}'\n+++\n", "flag.md:2: a placeholder in single quotes cannot "
         "hold \"It's\"; write it bare or in double quotes (\"...\")"),
    ],
)  # fmt: skip
def test_a_broken_template_is_refused(
    one_post: Path, run: Run, template: str, message: str
) -> None:
    write(one_post / "flag.md", template)
    before = files(one_post)
    res = new(run, "It's", "-c", "Performance", "--template", "flag.md")
    assert res.exit_code == 2
    assert res.stderr == f"postctl: error: {message}\n"
    assert files(one_post) == before


def test_a_missing_template(one_post: Path, run: Run) -> None:
    res = new(run, "X", "--template", "nope.md")
    assert res.exit_code == 2
    assert (
        res.stderr == "postctl: error: --template nope.md: cannot read: No such file or directory\n"
    )
    write(one_post / "postctl.toml", '[new]\ntemplate = "gone.md"\n')
    res = new(run, "X")
    assert (
        res.stderr
        == "postctl: error: new.template gone.md: cannot read: No such file or directory\n"
    )


def test_config_errors(one_post: Path, run: Run) -> None:
    write(one_post / "postctl.toml", '[new]\ndraft = "yes"\n')
    res = new(run, "X")
    assert res.exit_code == 2
    assert res.stderr == "postctl: error: new.draft must be a bool, not 'yes'\n"
    write(one_post / "postctl.toml", '[new]\ncategroy = "Performance"\n')
    res = new(run, "X", "-c", "Performance")
    assert res.exit_code == 0
    assert res.stderr == (
        "postctl: warning: new: unknown key 'categroy' (known: category, draft, template)\n"
    )


YAML_TITLES = [
    "no",
    "yes",
    "null",
    "~",
    "12:30",
    "0777",
    "2026-01-01",
    "- leading dash",
    "? question",
    ": colon",
    "a: b",
    "# hash",
    "a #b",
    "&anchor *alias !tag",
    "%percent @at `tick`",
    "{braces} [brackets]",
    "| pipe > gt",
    "back\\slash \\n not a newline",
    "'single' \"double\"",
    "é 性能 🚀 \u200b\ufeff",
    "tab\there",
    "line\u2028sep\x85nel",
    "del\x7f bell\x07 nul\x00",
]


@pytest.mark.parametrize("fmt", ["yaml", "toml", "json"])
@pytest.mark.parametrize("text", YAML_TITLES)
def test_quoted_values_read_back_exactly(fmt: str, text: str) -> None:
    assert _read_back(text, fmt) == text


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_any_text_reads_back_exactly(text: str) -> None:
    for fmt in ("yaml", "toml", "json"):
        assert _read_back(text, fmt) == text


def _read_back(text: str, fmt: str) -> object:
    quoted = scaffold.quote(text, fmt)
    if fmt == "yaml":
        data, _, _ = load_yaml("t.md", f"title: {quoted}\n")
        return data["title"]
    if fmt == "toml":
        return tomllib.loads(f"title = {quoted}\n")["title"]
    return json.loads(quoted)


# --------------------------------------------------------------------------- dry run, scripts


def test_dry_run_writes_nothing(one_post: Path, run: Run) -> None:
    before = files(one_post)
    res = new(run, "Dry Run", "-c", "Performance", "--dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith('---\ntitle: "Dry Run"\n')
    assert res.stdout.endswith(DEFAULT_BODY)
    assert res.stderr == "postctl: dry run: would create articles/dry-run.md\n"
    res = new(run, "Dry Run", "-c", "Performance", "--dry-run", "--print-path")
    assert (res.stdout, res.stderr) == ("articles/dry-run.md\n", "")
    assert files(one_post) == before
    res = new(run, "Dry Run", "--dry-run", "--edit")
    assert res.exit_code == 2
    assert res.stderr == "postctl: error: --edit and --dry-run exclude each other\n"


def test_dry_run_reports_a_clash(one_post: Path, run: Run) -> None:
    res = new(run, "Pooling", "--dry-run")
    assert res.exit_code == 1
    assert res.stderr.startswith("postctl: error: articles/pooling.md already exists; ")


def test_no_terminal_never_prompts(one_post: Path, run: Run) -> None:
    res = new(run, "No Category")  # CliRunner: stdin and stdout are not terminals, no input
    assert res.exit_code == 0
    assert res.stdout == "articles/no-category.md\n"
    assert res.stderr == (
        "postctl: warning: no category given; postctl check will report it "
        "(pass --category or set new.category)\n"
    )
    assert parse_post(one_post / "articles/no-category.md").categories == []
    write(one_post / "postctl.toml", '[new]\ncategory = "performance"\n')
    res = new(run, "Configured")
    assert res.stderr == ""
    assert parse_post(one_post / "articles/configured.md").categories == ["Performance"]


def test_a_terminal_picks_the_category(
    one_post: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import postctl.cli.new as new_command

    write(one_post / "articles/ops.md", post_text("Ops", category="Operations"))
    monkeypatch.setattr(new_command, "_interactive", lambda: True)
    res = run("new", "--date", DAY, "Picked", input="9\n1\n")
    assert res.exit_code == 0, res.stderr
    assert parse_post(one_post / "articles/picked.md").categories == ["Operations"]
    # the prompt is on stderr; CliRunner echoes the typed answers on stdout, as a terminal would
    assert res.stdout.splitlines()[-1] == "articles/picked.md"
    assert res.stderr == (
        "Categories:\n"
        "  1. Operations\n"
        "  2. Performance\n"
        "Category (number or name; empty for none):Choose 1 to 2, or type a name.\n"
        "Category (number or name; empty for none):"
    )
    res = run("new", "--date", DAY, "None", input="\n")
    assert parse_post(one_post / "articles/none.md").categories == []
    assert res.stderr.endswith("postctl: warning: no category given; postctl check will report it "
                               "(pass --category or set new.category)\n")  # fmt: skip
    res = run("new", "--date", DAY, "Typed", input="perfomance\n")
    assert parse_post(one_post / "articles/typed.md").categories == ["perfomance"]
    assert res.stderr.endswith(
        'postctl: warning: new category "perfomance"; did you mean "Performance"?\n'
    )


def test_a_new_category_or_tag_warns_with_the_closest(one_post: Path, run: Run) -> None:
    res = new(run, "Typo", "--category", "Perfomance", "-t", "rediss", "-t", "kubernetes")
    assert res.exit_code == 0
    assert res.stdout == "articles/typo.md\n"
    assert res.stderr == (
        'postctl: warning: new tag "rediss"; did you mean "redis"?\n'
        'postctl: warning: new category "Perfomance"; did you mean "Performance"?\n'
    )
    res = new(run, "Brand New", "--category", "Gardening")
    assert res.stderr == 'postctl: warning: new category "Gardening"\n'


def test_allowed_categories_of_check(one_post: Path, run: Run) -> None:
    write(one_post / "postctl.toml", '[check]\nallowed-categories = ["Performance", "Ops"]\n')
    res = new(run, "A", "-c", "ops")
    assert (res.exit_code, res.stderr) == (0, "")
    assert parse_post(one_post / "articles/a.md").categories == ["Ops"]
    res = new(run, "B", "-c", "Opps")
    assert res.stderr == (
        'postctl: warning: category "Opps" is not in [check] allowed-categories; '
        'did you mean "Ops"?\n'
    )


def _editor(tmp_path: Path) -> tuple[str, Path]:
    script = write(tmp_path / "editor.py", "import sys, pathlib\n"
                   "pathlib.Path(sys.argv[1]).write_text(repr(sys.argv[2:]))\n")  # fmt: skip
    log = tmp_path / "editor.log"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(log))}"
    return command, log


def test_edit_opens_visual_or_editor(
    one_post: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, log = _editor(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    res = new(run, "Edited", "-c", "Performance", "--edit", env={"EDITOR": command + " --wait"})
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "articles/edited.md\n"
    assert log.read_text() == repr(["--wait", str(one_post / "articles/edited.md")])
    res = new(run, "Visual", "-c", "Performance", "-e", env={"VISUAL": command, "EDITOR": "false"})
    assert log.read_text() == repr([str(one_post / "articles/visual.md")])
    assert res.stderr == ""


def test_edit_without_an_editor(one_post: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    res = new(run, "Plain", "-c", "Performance", "--edit")
    assert res.exit_code == 0
    assert res.stdout == "articles/plain.md\n"
    assert res.stderr == (
        "postctl: warning: --edit: neither $VISUAL nor $EDITOR is set; "
        "the post is created, not opened\n"
    )
    res = new(run, "Broken", "-c", "Performance", "-e", env={"EDITOR": "/no/such/editor"})
    assert res.exit_code == 0
    assert res.stderr == (
        "postctl: warning: --edit: cannot run /no/such/editor: No such file or directory\n"
    )


def test_other_content_folder_and_exclude(blog: Path, run: Run) -> None:
    (blog / "posts").mkdir()
    write(blog / "postctl.toml", 'content = "posts"\nexclude = ["wip-*"]\n')
    res = new(run, "WIP Notes", "-c", "Notes")
    assert res.stdout == "posts/wip-notes.md\n"
    assert res.stderr == (
        'postctl: warning: new category "Notes"\n'
        "postctl: warning: posts/wip-notes.md matches an 'exclude' pattern; "
        "postctl will not index it\n"
    )


@pytest.mark.parametrize(
    "title",
    [
        "Plain",
        "Quotes \"and\" 'more'",
        "Tab\tand \\ back",
        "Ünïcode 性能 \u2028 \x85 \ufeff",
        "a: b #c",
    ],
)
def test_built_in_post_is_the_template_filled_in(title: str) -> None:
    """The built-in post goes through frontmatter.Post and postctl's YAML handler; it is
    byte for byte what filling the placeholders of DEFAULT_TEMPLATE makes."""
    values = scaffold.Values(
        title=title,
        slug="a-slug",
        date="2026-03-04",
        category=title,
        tags=[title, "b"],
        description=title,
        draft=True,
    )
    as_text = scaffold.DEFAULT_TEMPLATE[:-1] + scaffold.DEFAULT_TEMPLATE[-1]  # not the same object
    assert as_text is not scaffold.DEFAULT_TEMPLATE
    assert scaffold.render(scaffold.DEFAULT_TEMPLATE, values) == scaffold.render(as_text, values)
    assert scaffold.built_in(values) == scaffold.render(as_text, values)
