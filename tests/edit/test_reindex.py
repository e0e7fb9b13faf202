"""After an edit the index is what a fresh index of the edited folder would be, although the
edit re-reads only the files it wrote and keeps the reading-time counts of a body it left alone."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, post_text, write

import postctl.parse.post as parse_post
from postctl.parse.post import body_text, parse_text
from postctl.parse.readtime import ReadingTime

Run = Callable[..., Result]
TABLES = ("posts", "post_tags", "post_categories", "pages", "skipped")


def rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def fresh_rows(blog: Path, run: Run) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of an index built from nothing for the folder as it is now."""
    db = blog / "fresh.db"
    res = run("--db", str(db), "index")
    assert res.exit_code == 0, res.stderr
    return rows(db)


BODY = (
    "Prose words, a few of them.\n\n```python\nprint('code')\nmore = 1\n```\n\n"
    "![a chart](chart.png)\n\n中文字符在这里\n"
)


@pytest.fixture
def posts(blog: Path) -> list[Path]:
    return [
        write(blog / "articles/a.md", post_text("Alpha", tags=("redis", "caching"), body=BODY)),
        write(blog / "articles/b.md", post_text("Beta", tags=("Redis",), category="Ops")),
        write(
            blog / "articles/c.md",
            "---\r\ntitle: Gamma\r\ndate: 2025-03-04\r\ncategory: Performance\r\n"
            "tags:\r\n  - python\r\n  - redis\r\n---\r\nBody with `code`\r\n",
        ),
        write(blog / "articles/sub/d.md", post_text("Delta", tags=("redis",), body=BODY * 3)),
        write(blog / "articles/e.md", post_text("Epsilon", tags=("other",))),
    ]


@pytest.mark.parametrize(
    "edit",
    [
        ("tags", "rename", "redis", "valkey", "--yes"),
        ("tags", "rm", "redis", "--yes"),
        ("set", "draft=true", "description=New words", "--tag", "redis", "--yes"),
        ("unset", "description", "--category", "Performance", "--yes"),
        ("set", "title=Only one", "articles/sub/d.md"),
    ],
)
def test_the_index_after_an_edit_is_a_fresh_index(
    posts: list[Path], run: Run, blog: Path, edit: tuple[str, ...]
) -> None:
    assert run("index").exit_code == 0
    res = run(*edit)
    assert res.exit_code == 0, res.stderr
    assert "edited" in res.stderr
    assert rows(blog / ".postctl/index.db") == fresh_rows(blog, run)


def test_an_edit_through_a_symlink_updates_the_target_s_row_too(
    posts: list[Path], run: Run, blog: Path
) -> None:
    os.symlink("e.md", blog / "articles/link.md")
    assert run("index").exit_code == 0
    res = run("set", "title=Through the link", "articles/link.md")
    assert res.exit_code == 0, res.stderr
    after = rows(blog / ".postctl/index.db")
    titles = {r[0]: r[2] for r in after["posts"]}
    assert titles["e.md"] == titles["link.md"] == "Through the link"
    assert after == fresh_rows(blog, run)


def test_a_body_the_edit_left_alone_is_not_measured_again(
    posts: list[Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("index").exit_code == 0
    measured: list[str] = []
    estimate = parse_post.estimate

    def counting(body: str) -> ReadingTime:
        measured.append(body)
        return estimate(body)

    monkeypatch.setattr(parse_post, "estimate", counting)
    res = run("tags", "rename", "redis", "valkey", "--yes")
    assert res.exit_code == 0, res.stderr
    assert "edited 4 files" in res.stderr
    assert measured == []


def test_known_counts_are_used_only_for_the_same_body() -> None:
    text = post_text(body=BODY)
    real = parse_text("p.md", text)
    bogus = ReadingTime(12345, 0, 0, 0, 0.0)
    assert parse_text("p.md", text, known=(body_text("p.md", text), bogus)).words == 12345
    other = parse_text("p.md", text, known=("another body\n", bogus))
    assert (other.words, other.code_lines, other.images, other.cjk_chars) == (
        real.words,
        real.code_lines,
        real.images,
        real.cjk_chars,
    )
    assert real.words > 0 and real.code_lines > 0 and real.images == 1 and real.cjk_chars > 0
