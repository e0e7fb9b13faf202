"""The index as a database people open: the SQL views agree with the command line, and the
Datasette metadata describes it (tested with Datasette itself when it is installed)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, post_text, write

Run = Callable[..., Result]


@pytest.fixture
def site(blog: Path) -> Path:
    write(blog / "postctl.toml", 'content = "articles"\nwpm = 200\n')
    write(blog / "articles/a.md", post_text("Alpha", category="Performance", tags=("redis",)))
    write(
        blog / "articles/b.md",
        post_text("Beta", category="performance", tags=("Redis", "caching"), body="word " * 900),
    )
    write(
        blog / "articles/c.md",
        post_text("Gamma", category="Databases", extra="draft: true\n", tags=("redis",)),
    )
    write(
        blog / "articles/d.md",
        post_text("Delta", category="Drafts only", extra="draft: true\n", tags=("wip",)),
    )
    write(
        blog / "articles/sub/links.md",
        post_text("Links", category="Performance", tags=(), body="- [one](x)\n"),
    )
    return blog


def _rows(blog: Path, sql: str) -> list[dict[str, Any]]:
    db = sqlite3.connect(blog / ".postctl/index.db")
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute(sql)]


def test_names_views_count_published_posts_as_the_cli_does(site: Path, run: Run) -> None:
    for kind in ("categories", "tags"):
        cli = json.loads(run(kind, "-f", "json").stdout)
        view = _rows(site, f"SELECT * FROM {kind} WHERE posts > 0 ORDER BY posts DESC, slug")
        assert [{k: r[k] for k in ("name", "slug", "posts")} for r in view] == cli, kind
    cats = {r["slug"]: (r["posts"], r["drafts"]) for r in _rows(site, "SELECT * FROM categories")}
    assert cats == {"performance": (3, 0), "databases": (0, 1), "drafts-only": (0, 1)}
    tags = {r["slug"]: (r["posts"], r["drafts"]) for r in _rows(site, "SELECT * FROM tags")}
    assert tags["redis"] == (2, 1)
    all_cli = json.loads(run("categories", "--all", "-f", "json").stdout)
    assert {c["slug"]: c["posts"] for c in all_cli} == {s: p + d for s, (p, d) in cats.items()}


def test_posts_view_has_what_the_cli_prints(site: Path, run: Run) -> None:
    run("stats")  # scores readability, which the view shows where known
    cli = {r["path"]: r for r in json.loads(run("list", "--all", "-f", "json").stdout)}
    view = {r["path"]: r for r in _rows(site, "SELECT * FROM posts_view")}
    assert (
        set(view)
        == set(cli)
        == {
            "articles/a.md",
            "articles/b.md",
            "articles/c.md",
            "articles/d.md",
            "articles/sub/links.md",
        }
    )
    for path, rec in cli.items():
        row = view[path]
        for key in ("slug", "title", "date", "words", "reading_minutes", "author"):
            assert row[key] == rec[key], (path, key)
        assert json.loads(row["categories"]) == rec["categories"]
        assert json.loads(row["tags"]) == rec["tags"]
        assert bool(row["draft"]) == rec["draft"]
    assert view["articles/b.md"]["reading_minutes"] == 5  # 900 words at the configured 200 wpm
    shown = json.loads(run("show", "b", "-f", "json").stdout)["metrics"]
    for score in ("flesch_reading_ease", "flesch_kincaid_grade", "automated_readability_index"):
        assert view["articles/b.md"][score] == pytest.approx(shown[score], abs=0.006)
        assert view["articles/sub/links.md"][score] is None  # no prose, no score


def test_posts_view_paths_follow_the_project_root_not_the_working_folder(
    site: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site / "articles" / "sub")
    run("list")
    paths = {r["path"] for r in _rows(site, "SELECT path FROM posts_view")}
    assert "articles/sub/links.md" in paths


def test_datasette_metadata_describes_the_views(site: Path, run: Run) -> None:
    run("index")
    res = run("datasette-metadata")
    assert res.exit_code == 0
    meta = json.loads(res.stdout)
    tables = meta["databases"]["index"]["tables"]
    db = sqlite3.connect(site / ".postctl/index.db")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert set(tables) <= names  # every table described exists
    view_columns = {r[1] for r in db.execute("PRAGMA table_info(posts_view)")}
    assert set(tables["posts_view"]["columns"]) == view_columns
    assert {"array": "tags"} in tables["posts_view"]["facets"]


def test_datasette_shows_described_tables_and_facets(site: Path, run: Run) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    run("index")
    meta = json.loads(run("datasette-metadata").stdout)
    ds = datasette_app.Datasette([str(site / ".postctl/index.db")], metadata=meta)

    async def get(path: str) -> Any:
        res = await ds.client.get(path)
        assert res.status_code == 200, (path, res.text[:500])
        return res

    async def check() -> None:
        page = (await get("/index/posts_view")).text
        assert "One row per post, computed as the postctl command line shows it." in page
        data = (await get("/index/posts_view.json?_shape=objects")).json()
        facets = data["facet_results"]
        assert {"categories", "tags", "draft"} <= set(facets)
        tag_counts = {f["value"]: f["count"] for f in facets["tags"]["results"]}
        # names as written, drafts included
        assert tag_counts == {"redis": 2, "Redis": 1, "caching": 1, "wip": 1}
        rows = (await get("/index/categories.json?_shape=objects")).json()["rows"]
        assert rows[0] == {"name": "Performance", "slug": "performance", "posts": 3, "drafts": 0}
        hidden = (await get("/index.json")).json()
        shown = {t["name"] for t in hidden["tables"] if not t["hidden"]}
        assert "meta" not in shown and "posts" in shown

    asyncio.run(check())


def test_scheduled_posts_count_with_the_drafts_as_the_cli_counts_them(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a Hugo site a post dated in the future is not out yet: not in `postctl categories`,
    and in the view's drafts column."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hugo.toml", 'baseURL = "https://example.org"\n')
    for name, date in (("now", "2024-01-01"), ("later", "2099-01-01")):
        write(
            tmp_path / f"content/posts/{name}.md",
            f"---\ntitle: {name}\ndate: {date}\ncategories: [A]\n---\nSome words of prose.\n",
        )
    cli = json.loads(run("categories", "-f", "json").stdout)
    assert cli == [{"name": "A", "slug": "a", "posts": 1}]
    view = _rows(tmp_path, "SELECT name, slug, posts, drafts FROM categories")
    assert view == [{"name": "A", "slug": "a", "posts": 1, "drafts": 1}]
    paths = {r["path"] for r in _rows(tmp_path, "SELECT path FROM posts_view")}
    assert paths == {p["path"] for p in json.loads(run("list", "--all", "-f", "json").stdout)}
