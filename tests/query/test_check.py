"""`postctl check`: every rule failing and passing with its exact line, formats, exit codes,
rule selection, paths against the whole folder, a read-only index and concurrent runs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Result, bump_mtime, deny_writes_under, post_text, write

from postctl.errors import ConfigError, UsageError
from postctl.parse.links import Link, body_text, local_links
from postctl.query.rules import RULES, CheckConfig

Run = Callable[..., Result]
LONG = "A description long enough to pass the fifty character minimum."  # 63 characters


def good(title: str = "A post", **kw: str) -> str:
    """A post that passes every default rule."""
    kw.setdefault("description", LONG)
    return post_text(title, **kw)  # type: ignore[arg-type]


def lines(res: Result) -> list[str]:
    return res.stdout.splitlines()


def config(blog: Path, text: str) -> None:
    write(blog / "postctl.toml", text)


# --------------------------------------------------------------------------- one rule at a time

# (rule, failing post, its exact diagnostic, a passing post); the posts are articles/a.md.
RULE_CASES = [
    (
        "parse",
        "---\ntitle: [unclosed\n---\n",
        "articles/a.md:3:1: error parse invalid YAML front matter: did not find expected ',' "
        "or ']'",
        good(),
    ),
    (
        "required",
        "---\ntitle: T\ncategory: Performance\ndescription: " + LONG + "\n---\nx\n",
        'articles/a.md:1:1: error required missing required field "date"',
        "---\ntitle: T\ndate: 2025-01-02\ncategory: Performance\ndescription: "
        + LONG
        + "\n---\nx\n",
    ),
    (
        "required",
        good(extra='summary: ""\n').replace(f'description: "{LONG}"\n', ""),
        'articles/a.md:6:1: error required required field "description" is empty',
        good(extra=f'summary: "{LONG}"\n').replace(f'description: "{LONG}"\n', ""),
    ),
    (
        "required",
        "Just text, no front matter.\n",
        "articles/a.md:1:1: error required no front matter (required: title, date, "
        "description, category)",
        good(),
    ),
    (
        "type",
        good(extra="draft: maybe\n"),
        "articles/a.md:7:1: error type draft: 'maybe' should be true or false",
        good(extra="draft: false\n"),
    ),
    (
        "type",
        good(date="soon"),
        "articles/a.md:3:1: error type date: 'soon' is not a date (use YYYY-MM-DD)",
        good(date="2025-01-02T09:30:00+02:00"),
    ),
    (
        "type",
        good().replace('tags: ["redis"]', "tags: 5"),
        "articles/a.md:6:1: error type tags: should be a list of strings",
        good().replace('tags: ["redis"]', "tags: redis, go"),
    ),
    (
        "title-length",
        good("x" * 101),
        "articles/a.md:2:1: warning title-length title is too long: 101 characters (at most 100)",
        good("x" * 100),
    ),
    (
        "description-length",
        good(description="Too short."),
        "articles/a.md:5:1: warning description-length description is too short: 10 characters "
        "(at least 50)",
        good(description="x" * 50),
    ),
    (
        "description-length",
        good(description="x" * 201),
        "articles/a.md:5:1: warning description-length description is too long: 201 characters "
        "(at most 200)",
        good(description="x" * 200),
    ),
    (
        "slug",
        good(extra="slug: My_Post\n"),
        'articles/a.md:7:1: warning slug slug "My_Post" is not lowercase ASCII letters, digits '
        'and hyphens; use "my-post"',
        good(extra="slug: my-post-2\n"),
    ),
    (
        "future-date",
        good(date="2999-01-01"),
        "articles/a.md:3:1: warning future-date date 2999-01-01 is in the future but the post "
        "is not a draft",
        good(date="2999-01-01", extra="draft: true\n"),
    ),
    (
        "updated-before-date",
        good(extra="updated: 2024-12-31\n"),
        "articles/a.md:7:1: error updated-before-date updated 2024-12-31 is before date 2025-01-02",
        good(extra="updated: 2025-01-02\n"),
    ),
    (
        "updated-before-date",
        good(date="2025-01-02T10:00:00+02:00", extra="lastmod: 2025-01-02T09:00:00+02:00\n"),
        "articles/a.md:7:1: error updated-before-date lastmod 2025-01-02T09:00:00+02:00 is "
        "before date 2025-01-02T10:00:00+02:00",
        good(date="2025-01-02T10:00:00+02:00", extra="lastmod: 2025-01-02T09:00:00+01:00\n"),
    ),
    (
        "empty-body",
        good(body="\n  \n"),
        "articles/a.md:8:1: warning empty-body the body is empty",
        good(body="```\ncode only\n```\n"),
    ),
    (
        "broken-link",
        good(body="Intro.\n\n![the graph](img/graph.png) and [part one](#setup).\n"),
        'articles/a.md:10:14: error broken-link image "img/graph.png" does not exist',
        good(body="See ![the graph](img/here.png) and <https://x.org> [a](https://x.org/a.png)\n"),
    ),
    (
        "yaml-trap",
        good(extra="time: 12:30\n"),
        "articles/a.md:7:7: error yaml-trap time: 12:30 is read as the number 750 (base 60); "
        'quote it: "12:30"',
        good(extra='time: "12:30"\n'),
    ),
    (
        "yaml-trap",
        good().replace('title: "A post"', "title: no"),
        'articles/a.md:2:8: error yaml-trap title: no is read as the boolean false; quote it: "no"',
        good().replace('title: "A post"', 'title: "no"'),
    ),
    (
        "duplicate-key",
        good(extra="title: Again\n"),
        "articles/a.md:7:1: error duplicate-key title is set twice (line 2 and here); YAML keeps "
        "only the last",
        good(extra="subtitle: Again\n"),
    ),
]


@pytest.mark.parametrize(
    ("rule", "bad", "expected", "fine"),
    RULE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)],
)
def test_rule_fails_then_passes(
    blog: Path, run: Run, rule: str, bad: str, expected: str, fine: str
) -> None:
    write(blog / "articles/img/here.png", "")
    post = write(blog / "articles/a.md", bad)
    res = run("check", "--rule", rule)
    assert lines(res)[:-1] == [expected]
    assert res.exit_code == (1 if " error " in expected else 0)
    write(post, fine)
    bump_mtime(post)
    res = run("check")  # every default rule: the fixed post is clean
    assert res.stdout == "1 file checked, no problems\n"
    assert res.exit_code == 0


def test_broken_links_every_kind(blog: Path, run: Run) -> None:
    body = (
        "[up](../outside.md) [rel](sub/there.md) [gone](gone.md 'A title')\n"
        "[angle](<with space.md>) [escaped](with%20space.md) ![img](pics/x_(1).png)\n"
        "[anchor](#top) [site](/img/x.png) [mail](mailto:a@b.c) [web](https://x.org/y.png)\n"
        "`[code](in-code.md)` <!-- [comment](in-comment.md) --> {{< ref x >}}\n"
        "```md\n[fenced](in-fence.md)\n```\n"
        '<img src="html.png" alt=""> <a href="page.html">page</a>\n'
        "\n[ref]: refdef.md\n[^note]: a footnote, not a link\n"
    )
    write(blog / "articles/a.md", good(body=body))
    write(blog / "articles/sub/there.md", good("There", extra="slug: there\n"))
    write(blog / "outside.md", "x")
    res = run("check", "articles/a.md", "--rule", "broken-link")
    assert lines(res) == [
        'articles/a.md:8:48: error broken-link link "gone.md" does not exist',
        'articles/a.md:9:10: error broken-link link "with space.md" does not exist',
        'articles/a.md:9:36: error broken-link link "with%20space.md" does not exist',
        'articles/a.md:9:60: error broken-link image "pics/x_(1).png" does not exist',
        'articles/a.md:15:11: error broken-link image "html.png" does not exist',
        'articles/a.md:15:38: error broken-link link "page.html" does not exist',
        'articles/a.md:17:8: error broken-link link "refdef.md" does not exist',
        "7 errors in 1 file (1 checked)",
    ]
    write(blog / "articles/with space.md", "x")
    write(blog / "articles/pics/x_(1).png", "")
    res = run("check", "articles/a.md", "--rule", "broken-link")
    assert len(lines(res)) == 5  # the two spellings of "with space.md" and the image exist now


def test_local_links_skip_code_comments_and_urls() -> None:
    body = (
        "~~~\n[a](fenced.md)\n~~~\n"
        "````\n```\n[b](still-fenced.md)\n````\n"
        "Text [c](real.md) `[d](code.md)` and [e](./real-2.md?x=1#y)\n"
        "<!--\n[f](comment.md)\n-->\n"
        "[g](<https://x.org>) [h](HTTP://X.ORG) [i](data:image/png;base64,xx) [j](//cdn/x)\n"
    )
    assert local_links(body, body_line=10) == [
        Link("real.md", "real.md", 17, 10, False),
        Link("./real-2.md?x=1#y", "./real-2.md", 17, 42, False),
    ]
    assert local_links("```\n[x](open-fence.md)\n") == []
    assert local_links("![a [nested] alt](pic.png)") == [Link("pic.png", "pic.png", 1, 19, True)]
    assert local_links("[![badge](b.svg)](page.md)") == [
        Link("b.svg", "b.svg", 1, 11, True),
        Link("page.md", "page.md", 1, 19, False),
    ]


def test_body_text_counts_lines_like_the_parser() -> None:
    text = "\ufeff---\r\ntitle: x\r\n---\r\nbody [a](b.md)\r\n"
    assert body_text(text, 4) == "body [a](b.md)\n"
    assert body_text("---\ntitle: x\n---", 4) == ""


# --------------------------------------------------------------------------- configuration


def test_category_allowed_list_with_suggestion(blog: Path, run: Run) -> None:
    config(blog, '[check]\nallowed-categories = ["Performance", "Databases"]\n')
    write(blog / "articles/a.md", good(category="Perfomance"))
    write(blog / "articles/b.md", good("B", category="Cooking"))
    write(blog / "articles/c.md", good("C", category="Databases"))
    write(blog / "articles/d.md", good("D", category="databases"))
    res = run("check")
    assert lines(res) == [
        'articles/a.md:4:1: error category category "Perfomance" is not allowed; did you mean '
        '"Performance"?',
        'articles/b.md:4:1: error category category "Cooking" is not allowed (allowed: '
        "Performance, Databases)",
        'articles/d.md:4:1: error category category "databases" is not allowed; did you mean '
        '"Databases"?',
        "3 errors in 3 files (4 checked)",
    ]
    assert res.exit_code == 1


def test_category_rule_is_inactive_without_a_list(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", good(category="Cooking"))
    assert run("check").stdout == "1 file checked, no problems\n"
    res = run("check", "--rule", "category")
    assert res.stderr == (
        "postctl: warning: rule category has nothing to compare with: set allowed-categories "
        "in [check]\n"
    )


def test_unknown_key_is_off_until_enabled(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", good(extra="series: scale\ntitel: typo\n"))
    assert run("check").exit_code == 0
    expected = [
        'articles/a.md:7:1: warning unknown-key unknown key "series"',
        'articles/a.md:8:1: warning unknown-key unknown key "titel"; did you mean "title"?',
        "2 warnings in 1 file (1 checked)",
    ]
    assert lines(run("check", "--rule", "unknown-key")) == expected
    config(blog, '[check]\nallowed-keys = ["series"]\n[check.severity]\nunknown-key = "error"\n')
    res = run("check")
    assert lines(res) == [
        'articles/a.md:8:1: error unknown-key unknown key "titel"; did you mean "title"?',
        "1 error in 1 file (1 checked)",
    ]
    assert res.exit_code == 1


def test_required_fields_lengths_and_severities_from_config(blog: Path, run: Run) -> None:
    config(
        blog,
        '[check]\nrequired = ["title", "author"]\ntitle-max = 5\ndescription-min = 0\n'
        '[check.severity]\nfuture-date = "off"\nslug = "error"\n',
    )
    write(blog / "articles/a.md", "---\ntitle: Longer\ndate: 2999-01-01\n---\nx\n")
    write(blog / "articles/B.md", "---\ntitle: Ok\nauthor: me\ndescription: x\n---\nx\n")
    res = run("check")
    assert lines(res) == [
        'articles/B.md:1:1: error slug slug "B" (from the file name) is not lowercase ASCII '
        'letters, digits and hyphens; use "b"',
        'articles/a.md:1:1: error required missing required field "author"',
        "articles/a.md:2:1: warning title-length title is too long: 6 characters (at most 5)",
        "2 errors, 1 warning in 2 files (2 checked)",
    ]


def test_pyproject_tool_table(blog: Path, run: Run) -> None:
    write(blog / "pyproject.toml", '[tool.postctl.check.severity]\nempty-body = "error"\n')
    write(blog / "articles/a.md", good(body=""))
    res = run("check")
    assert lines(res) == [
        "articles/a.md:8:1: error empty-body the body is empty",
        "1 error in 1 file (1 checked)",
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[check]\nrequired = "title"\n', "required must be a list of strings, not 'title'"),
        ("[check]\ntitle-max = -1\n", "title-max must be a whole number ≥ 0, not -1"),
        (
            '[check.severity]\nslugs = "off"\n',
            'severity: unknown rule "slugs"; did you mean "slug"?',
        ),
        (
            '[check.severity]\nslug = "fatal"\n',
            "severity.slug must be error, warning or off, not 'fatal'",
        ),
    ],
)
def test_bad_config_is_a_usage_error(blog: Path, run: Run, table: str, message: str) -> None:
    config(blog, table)
    write(blog / "articles/a.md", good())
    res = run("check")
    assert res.exit_code == 2
    assert res.stderr == f"postctl: error: postctl.toml [check]: {message}\n"
    assert res.stdout == ""


def test_unknown_config_key_is_a_warning(blog: Path, run: Run) -> None:
    config(blog, "[check]\ntitle-maximum = 3\n")
    write(blog / "articles/a.md", good())
    res = run("check")
    assert res.exit_code == 0
    assert res.stderr == (
        "postctl: warning: postctl.toml [check]: unknown key 'title-maximum'; "
        'did you mean "title-max"?\n'
    )


def test_config_table_in_python() -> None:
    cfg, warnings = CheckConfig.from_table({"allowed-keys": ["a", " "], "severity": {}})
    assert cfg.allowed_keys == frozenset({"a"})
    assert warnings == []
    with pytest.raises(ConfigError):
        CheckConfig.from_table({"severity": "off"})
    assert "unknown-key" not in cfg.active()
    assert cfg.active(only=["unknown-key"]) == {"unknown-key": "warning"}
    assert "slug" not in cfg.active(ignore=["slug"])
    with pytest.raises(UsageError, match='unknown rule "titel-length"; did you mean'):
        cfg.active(only=["titel-length"])


# --------------------------------------------------------------------------- cross-file rules


@pytest.fixture
def dup_blog(blog: Path) -> Path:
    write(blog / "articles/a.md", good("Cache Stampede", extra="slug: stampede\n"))
    write(
        blog / "articles/b.md", good("cache stampede!", tags=("Redis",), extra="slug: stampede\n")
    )
    write(blog / "articles/c.md", good("Other", tags=("redis",)))
    write(blog / "articles/d.md", good("Fourth", tags=("redis", "go")))
    return blog


DUPLICATES = [
    'articles/a.md:2:1: warning duplicate-title title "Cache Stampede" is also used by '
    "articles/b.md",
    'articles/a.md:7:1: error duplicate-slug slug "stampede" is also used by articles/b.md',
    'articles/b.md:2:1: warning duplicate-title title "cache stampede!" is also used by '
    "articles/a.md",
    'articles/b.md:6:1: warning tag-spelling tag "Redis" is also spelled "redis" (3 posts); '
    "use one spelling",
    'articles/b.md:7:1: error duplicate-slug slug "stampede" is also used by articles/a.md',
]


def test_cross_file_rules_over_the_folder(dup_blog: Path, run: Run) -> None:
    res = run("check")
    assert lines(res) == [*DUPLICATES, "2 errors, 3 warnings in 2 files (4 checked)"]
    assert res.exit_code == 1


def test_paths_report_only_themselves_but_compare_with_the_folder(dup_blog: Path, run: Run) -> None:
    res = run("check", "articles/b.md")
    assert lines(res) == [*DUPLICATES[2:], "1 error, 2 warnings in 1 file (1 checked)"]
    res = run("check", "articles/c.md", "articles/d.md")
    assert res.stdout == "2 files checked, no problems\n"


def test_a_file_outside_the_folder_is_compared_with_it(dup_blog: Path, run: Run) -> None:
    outside = write(dup_blog / "drafts/new.md", good("CACHE STAMPEDE", tags=("REDIS",)))
    write(outside.parent / "pic.png", "")
    write(outside, outside.read_text() + "![pic](pic.png) ![gone](gone.png)\n")
    res = run("check", "drafts/new.md")
    assert lines(res) == [
        'drafts/new.md:2:1: warning duplicate-title title "CACHE STAMPEDE" is also used by '
        "articles/a.md and articles/b.md",
        'drafts/new.md:6:1: warning tag-spelling tag "REDIS" is also spelled "redis" (3 posts); '
        "use one spelling",
        'drafts/new.md:9:25: error broken-link image "gone.png" does not exist',
        "1 error, 2 warnings in 1 file (1 checked)",
    ]
    # and its slug ("new", from the file name) collides with a post's
    write(dup_blog / "articles/new.md", good("Unrelated title"))
    res = run("check", "drafts/new.md", "--rule", "duplicate-slug")
    assert lines(res) == [
        'drafts/new.md:1:1: error duplicate-slug slug "new" is also used by articles/new.md',
        "1 error in 1 file (1 checked)",
    ]


def test_two_outside_files_are_compared_with_each_other(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", good("A"))
    write(blog / "x/one.md", good("Same", extra="slug: same\n"))
    write(blog / "y/two.md", good("Two", extra="slug: same\n"))
    res = run("check", "x/one.md", "y/two.md", "--rule", "duplicate-slug")
    assert lines(res) == [
        'x/one.md:7:1: error duplicate-slug slug "same" is also used by y/two.md',
        'y/two.md:7:1: error duplicate-slug slug "same" is also used by x/one.md',
        "2 errors in 2 files (2 checked)",
    ]


def test_folder_paths_excluded_files_and_missing_paths(blog: Path, run: Run) -> None:
    config(blog, 'exclude = ["templates"]\n')
    write(blog / "articles/a.md", good("A"))
    write(blog / "articles/sub/b.md", good("B", date="soon"))
    write(blog / "articles/templates/t.md", "no front matter\n")
    write(blog / "articles/SUB/d.md", good("D", date="soon"))
    os.mkfifo(blog / "articles/sub/pipe.md")
    write(blog / "elsewhere/c.md", good("C", description="short"))
    res = run("check", "articles/sub", "articles/templates/t.md", "elsewhere")
    assert lines(res) == [
        "articles/sub/b.md:3:1: error type date: 'soon' is not a date (use YYYY-MM-DD)",
        "articles/sub/pipe.md:1:1: error parse not a regular file (a FIFO, socket or device)",
        "elsewhere/c.md:5:1: warning description-length description is too short: 5 characters "
        "(at least 50)",
        "2 errors, 1 warning in 3 files (3 checked)",
    ]
    res = run("check", "articles/nope.md")
    assert res.exit_code == 2
    assert res.stderr == "postctl: error: articles/nope.md: no such file or folder\n"


def test_unparsable_files_given_as_paths(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", good())
    (blog / "articles/bin.md").write_bytes(b"---\ntitle: \xff\n---\n")
    write(blog / "out/bad.md", "---\n- a list\n---\n")
    res = run("check", "articles/bin.md", "out/bad.md")
    assert lines(res) == [
        "articles/bin.md:2:8: error parse not UTF-8 text (byte 0xff); save the file as UTF-8",
        "out/bad.md:2:1: error parse front matter is a list, expected 'key: value' lines",
        "2 errors in 2 files (2 checked)",
    ]


def test_fifo_and_symlink_loop_are_parse_errors(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", good())
    os.mkfifo(blog / "articles/pipe.md")
    (blog / "articles/loop.md").symlink_to("loop.md")
    res = run("check")
    assert lines(res) == [
        "articles/loop.md:1:1: error parse symlink loop",
        "articles/pipe.md:1:1: error parse not a regular file (a FIFO, socket or device)",
        "2 errors in 2 files (3 checked)",
    ]


# --------------------------------------------------------------------------- output and exit


@pytest.fixture
def mixed_blog(blog: Path) -> Path:
    write(blog / "articles/a.md", good(date="soon"))
    write(blog / "articles/b.md", good("B", description="Short, with a comma: and colon."))
    write(blog / "articles/c.md", good("C"))
    return blog


def test_text_format_and_exit_codes(mixed_blog: Path, run: Run) -> None:
    res = run("check")
    assert res.stdout == (
        "articles/a.md:3:1: error type date: 'soon' is not a date (use YYYY-MM-DD)\n"
        "articles/b.md:5:1: warning description-length description is too short: 31 characters "
        "(at least 50)\n"
        "1 error, 1 warning in 2 files (3 checked)\n"
    )
    assert res.exit_code == 1
    assert res.stderr == ""
    warnings_only = run("check", "--ignore", "type")
    assert warnings_only.exit_code == 0
    assert lines(warnings_only)[-1] == "1 warning in 1 file (3 checked)"
    assert run("check", "--ignore", "type", "--strict").exit_code == 1
    assert run("check", "articles/c.md", "--strict").exit_code == 0


def test_rule_and_ignore_select_rules(mixed_blog: Path, run: Run) -> None:
    res = run("check", "--rule", "type", "--rule", "slug")
    assert lines(res) == [
        "articles/a.md:3:1: error type date: 'soon' is not a date (use YYYY-MM-DD)",
        "1 error in 1 file (3 checked)",
    ]
    res = run("check", "--ignore", "type", "--ignore", "description-length")
    assert res.stdout == "3 files checked, no problems\n"
    res = run("check", "--rule", "duplicate-slugs")
    assert res.exit_code == 2
    assert (
        res.stderr
        == 'postctl: error: unknown rule "duplicate-slugs"; did you mean "duplicate-slug"?\n'
    )
    assert res.stdout == ""
    assert run("check", "--ignore", "nonsense").exit_code == 2


def test_json_format(mixed_blog: Path, run: Run) -> None:
    res = run("check", "--format", "json")
    assert json.loads(res.stdout) == {
        "checked": 3,
        "errors": 1,
        "warnings": 1,
        "diagnostics": [
            {
                "path": "articles/a.md",
                "line": 3,
                "column": 1,
                "severity": "error",
                "rule": "type",
                "message": "date: 'soon' is not a date (use YYYY-MM-DD)",
            },
            {
                "path": "articles/b.md",
                "line": 5,
                "column": 1,
                "severity": "warning",
                "rule": "description-length",
                "message": "description is too short: 31 characters (at least 50)",
            },
        ],
    }
    assert res.exit_code == 1
    clean = run("check", "articles/c.md", "-f", "json")
    assert json.loads(clean.stdout) == {"checked": 1, "errors": 0, "warnings": 0, "diagnostics": []}


def test_github_format(mixed_blog: Path, run: Run) -> None:
    write(mixed_blog / "articles/a, b.md", good("D", body="[x](100%.md)\n", extra="slug: d\n"))
    res = run("check", "-f", "github")
    assert res.stdout == (
        "::error file=articles/a%2C b.md,line=9,col=5,title=broken-link::"
        'link "100%25.md" does not exist\n'
        "::error file=articles/a.md,line=3,col=1,title=type::"
        "date: 'soon' is not a date (use YYYY-MM-DD)\n"
        "::warning file=articles/b.md,line=5,col=1,title=description-length::"
        "description is too short: 31 characters (at least 50)\n"
    )
    assert res.stderr == "2 errors, 1 warning in 3 files (4 checked)\n"
    assert res.exit_code == 1


def test_empty_folder(blog: Path, run: Run) -> None:
    res = run("check")
    assert res.stdout == "0 files checked, no problems\n"
    assert res.exit_code == 0


# --------------------------------------------------------------------------- robustness


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and ".postctl" not in p.parts
    }


def test_never_writes_a_post(dup_blog: Path, run: Run) -> None:
    write(dup_blog / "articles/e.md", good("E", body="![x](missing.png)\n", date="2999-01-01"))
    before = _snapshot(dup_blog)
    assert run("check").exit_code == 1
    assert run("check", "articles/e.md").exit_code == 1
    assert _snapshot(dup_blog) == before


def test_read_only_index(dup_blog: Path, run: Run) -> None:
    db = "/proc/postctl-cannot-write-here/index.db"
    res = run("--db", db, "check")
    assert lines(res) == [*DUPLICATES, "2 errors, 3 warnings in 2 files (4 checked)"]
    assert res.stderr == (
        f"postctl: warning: cannot write the index at {db}; using a temporary in-memory index\n"
        # the tag-spelling finding's fix (added with the editing commands, issue 17)
        "to fix 1 finding: postctl tags rename Redis redis\n"
    )
    res = run("--db", db, "check", "articles/b.md")
    assert lines(res) == [*DUPLICATES[2:], "1 error, 2 warnings in 1 file (1 checked)"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only file")
def test_read_only_index_file(dup_blog: Path, run: Run) -> None:
    assert run("check").exit_code == 1  # builds .postctl/index.db
    db = dup_blog / ".postctl/index.db"
    write(dup_blog / "articles/c.md", good("Other", tags=("REDIS",)))
    bump_mtime(dup_blog / "articles/c.md")
    db.chmod(0o444)
    (dup_blog / ".postctl").chmod(0o555)
    try:
        res = run("check", "articles/c.md")
    finally:
        (dup_blog / ".postctl").chmod(0o755)
        db.chmod(0o644)
    assert lines(res) == [
        'articles/c.md:6:1: warning tag-spelling tag "REDIS" is also spelled "redis" (2 posts); '
        "use one spelling",
        "1 warning in 1 file (1 checked)",
    ]
    assert res.stderr == (
        "postctl: warning: cannot write the index at .postctl/index.db; "
        "using a temporary in-memory index\n"
    )


def test_read_only_index_file_as_root_too(
    dup_blog: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin of the test above that runs as root: the index and its folder answer as
    read-only, and the index is left as it was."""
    assert run("check").exit_code == 1  # builds .postctl/index.db
    db = dup_blog / ".postctl/index.db"
    write(dup_blog / "articles/c.md", good("Other", tags=("REDIS",)))
    bump_mtime(dup_blog / "articles/c.md")
    before = db.read_bytes()
    with monkeypatch.context() as m:
        deny_writes_under(m, dup_blog / ".postctl")
        res = run("check", "articles/c.md")
    assert lines(res) == [
        'articles/c.md:6:1: warning tag-spelling tag "REDIS" is also spelled "redis" (2 posts); '
        "use one spelling",
        "1 warning in 1 file (1 checked)",
    ]
    assert res.stderr == (
        "postctl: warning: cannot write the index at .postctl/index.db; "
        "using a temporary in-memory index\n"
        # the tag-spelling finding's fix (added with the editing commands, issue 17)
        "to fix 1 finding: postctl tags rename REDIS redis\n"
    )
    assert db.read_bytes() == before


def test_link_cache_follows_changes(blog: Path, run: Run) -> None:
    post = write(blog / "articles/a.md", good(body="![x](x.png)\n"))
    expected = 'articles/a.md:8:1: error broken-link image "x.png" does not exist'
    assert lines(run("check"))[0] == expected.replace("8:1", "8:6")
    assert lines(run("check"))[0] == expected.replace("8:1", "8:6")  # from the cache
    write(post, good(body="Now\n\n[y](y.md)\n"))
    bump_mtime(post)
    assert (
        lines(run("check"))[0] == 'articles/a.md:10:5: error broken-link link "y.md" does not exist'
    )
    write(blog / "articles/y.md", good("Y"))
    assert run("check").stdout == "2 files checked, no problems\n"


CONCURRENT = 6


def test_concurrent_invocations_all_succeed(blog: Path) -> None:
    """pre-commit splits the files over parallel processes that share a cold index."""
    for i in range(60):
        write(
            blog / f"articles/p{i:02}.md",
            good(f"Post {i:02}", tags=("Redis" if i == 7 else "redis",)),
        )
    write(blog / "articles/p00.md", good("Post 00", extra="slug: p01\n"))
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    env.pop("POSTCTL_DB", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "postctl", "check", f"articles/p{i:02}.md"],
            cwd=blog,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(CONCURRENT)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    outputs = [out for _, out, _ in results]
    assert all(err == "" for _, _, err in results), [err for _, _, err in results]
    assert outputs[0] == (
        'articles/p00.md:7:1: error duplicate-slug slug "p01" is also used by articles/p01.md\n'
        "1 error in 1 file (1 checked)\n"
    )
    assert outputs[2] == (
        'articles/p01.md:1:1: error duplicate-slug slug "p01" is also used by articles/p00.md\n'
        "1 error in 1 file (1 checked)\n"
    )
    assert outputs[4:] == ["1 file checked, no problems\n"] * (2 * CONCURRENT - 4)
    assert [rc for rc, _, _ in results] == [1, 1, 1, 1] + [0] * (2 * CONCURRENT - 4)


def test_a_process_that_waited_for_the_lock_keeps_the_index_another_built(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes find no index; the second, once it gets the lock, must not drop the index
    the first has built and filled meanwhile (the first would then check an empty folder)."""
    from postctl.config import load_settings
    from postctl.index import store as index

    write(blog / "articles/a.md", good())
    settings = load_settings(cwd=blog)
    first = index.open_index(settings, print)
    first.sync()
    real_check = index._check
    seen: list[str | None] = []

    def stale_check(conn: object, content_dir: Path) -> str | None:
        if not seen:  # what the second process saw before the first committed
            seen.append("")
            return ""
        return real_check(conn, content_dir)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "_check", stale_check)
    second = index.open_index(settings, print)
    assert second.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 1
    assert first.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 1


# --------------------------------------------------------------------------- documentation


def test_every_rule_is_documented_with_its_severity() -> None:
    docs = [ROOT / "README.md", ROOT / "docs/check.md"]
    text = "\n".join(p.read_text() for p in docs if p.exists())
    for rule in RULES:
        assert re.search(rf"^\| `{re.escape(rule.id)}` \| {rule.default} \|", text, re.M), rule.id


def test_category_spelling_flags_a_lone_near_miss(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", good("Alpha"))
    write(blog / "articles/b.md", good("Beta"))
    write(blog / "articles/c.md", good("Gamma", category="Perfomance"))
    write(blog / "articles/d.md", good("Delta", category="Databases"))  # new, but no near miss
    res = run("check")
    assert res.exit_code == 0  # a warning
    assert res.stdout.splitlines() == [
        'articles/c.md:4:1: warning category-spelling category "Perfomance" is used by no other '
        'post; did you mean "Performance" (2 posts)?',
        "1 warning in 1 file (4 checked)",
    ]
    assert run("check", "articles/d.md").stdout.splitlines() == ["1 file checked, no problems"]


def test_category_spelling_is_off_when_categories_are_listed(blog: Path, run: Run) -> None:
    write(blog / "postctl.toml", '[check]\nallowed-categories = ["Performance"]\n')
    write(blog / "articles/a.md", good("Alpha"))
    write(blog / "articles/b.md", good("Beta"))
    write(blog / "articles/c.md", good("Gamma", category="Perfomance"))
    res = run("check")
    assert [line.split(" ")[2] for line in res.stdout.splitlines()[:-1]] == ["category"]
