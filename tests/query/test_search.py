"""`postctl search`: ranking, query forms, errors, and staying in step with edits."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, bump_mtime, post_text, write
from hypothesis import given, settings
from hypothesis import strategies as st

Run = Callable[..., Result]


@pytest.fixture
def search_blog(blog: Path) -> Path:
    write(
        blog / "articles/pool.md",
        post_text(
            "Connection Pooling",
            "2025-01-01",
            tags=("postgresql",),
            description="Why pools matter.",
            body="We put PgBouncer in front of the database.\n\n## Sizing\n\nStart small.\n",
        ),
    )
    write(
        blog / "articles/mention.md",
        post_text(
            "Tuning Notes",
            "2025-02-01",
            tags=("latency",),
            description="Assorted notes.",
            body="A connection pool was one fix among many. Sharding came later.\n",
        ),
    )
    write(
        blog / "articles/cafe.md",
        post_text(
            "Le café des développeurs",
            "2025-03-01",
            category="Culture",
            tags=("coffee",),
            description="Espresso and code.",
            body="Node.js services and a café au lait.\n",
        ),
    )
    write(
        blog / "articles/redis.md",
        post_text(
            "Redis Cluster Notes",
            "2025-04-01",
            tags=("redis",),
            description="Running Redis in cluster mode.",
            body="Hash slots and resharding. Redis without cluster is simpler.\n",
        ),
    )
    return blog


def _slugs(run: Run, *args: str) -> list[str]:
    res = run("search", *args, "-f", "jsonl")
    assert res.exit_code == 0, res.stderr
    return [json.loads(line)["slug"] for line in res.stdout.splitlines()]


def test_title_hit_outranks_body_hit(search_blog: Path, run: Run) -> None:
    assert _slugs(run, "connection pool") == ["pool", "mention"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"connection pool"', ["pool", "mention"]),  # a phrase: the words adjacent (stemmed)
        ('"pool connection"', []),
        ("shard*", ["mention"]),  # prefix: sharding, not resharding
        ("redis NOT cluster", []),
        ("redis AND hash", ["redis"]),
        ("redis NOT slots", []),
        ("pgbouncer OR espresso", ["cafe", "pool"]),  # a description hit outranks a body hit
        ("pools", ["pool", "mention"]),  # porter stemming: pools ~ pool ~ pooling
        ("cafe", ["cafe"]),  # diacritics folded
        ("développeurs", ["cafe"]),
        ("title:notes", ["mention", "redis"]),  # the shorter title ranks higher (bm25)
        ("node.js", ["cafe"]),  # no FTS syntax: the words are quoted for the user
        ("postgresql", ["pool"]),  # tags are searched
    ],
)
def test_query_forms(search_blog: Path, run: Run, query: str, expected: list[str]) -> None:
    assert _slugs(run, query) == expected


def test_filters_apply(search_blog: Path, run: Run) -> None:
    assert _slugs(run, "notes", "--tag", "redis") == ["redis"]
    assert _slugs(run, "notes", "--since", "2025-03-01") == ["redis"]


def test_cards_highlight_matches(search_blog: Path, run: Run) -> None:
    res = run("search", "pgbouncer")
    assert res.stdout.splitlines() == [
        "1 result for pgbouncer",
        "",
        "Connection Pooling",
        # piped, a match is marked with brackets no Markdown uses (#18; they were [ ])
        "We put ⟦PgBouncer⟧ in front of the database. Sizing Start small.",
        "January 1, 2025 · 1 min read · articles/pool.md",
    ]


def test_json_has_snippet_and_score(search_blog: Path, run: Run) -> None:
    data = json.loads(run("search", "pgbouncer", "-f", "json").stdout)
    assert data[0]["snippet"] == "We put [PgBouncer] in front of the database. Sizing Start small."
    assert isinstance(data[0]["score"], float) and data[0]["score"] < 0
    assert data[0]["path"] == "articles/pool.md"


def test_unparseable_query_is_one_line(search_blog: Path, run: Run) -> None:
    res = run("search", '"unclosed phrase')
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: cannot parse the search '\"unclosed phrase' (unterminated string); "
        'examples: connection pool, "connection pool", shard*, redis NOT cluster, '
        "title:nginx\n"
    )
    res = run("search", "   ")
    assert res.exit_code == 2


def test_no_match_says_so(search_blog: Path, run: Run) -> None:
    res = run("search", "kubernetes")
    assert (res.exit_code, res.stdout) == (0, "")
    assert res.stderr == "postctl: warning: no posts match the search 'kubernetes'\n"


def test_edits_deletions_and_renames_show_at_once(search_blog: Path, run: Run) -> None:
    assert _slugs(run, "pgbouncer") == ["pool"]
    path = search_blog / "articles/pool.md"
    write(path, path.read_text().replace("PgBouncer", "Odyssey"))
    bump_mtime(path)
    assert _slugs(run, "pgbouncer") == []
    assert _slugs(run, "odyssey") == ["pool"]
    path.rename(search_blog / "articles/pooling.md")
    assert _slugs(run, "odyssey") == ["pooling"]
    (search_blog / "articles/pooling.md").unlink()
    assert _slugs(run, "odyssey") == []
    write(search_blog / "articles/new.md", post_text("Fresh", body="Odyssey again.\n"))
    assert _slugs(run, "odyssey") == ["new"]
    run("index")  # a change the search did not see: the search reads that file itself
    path = search_blog / "articles/new.md"
    write(path, post_text("Fresh", body="Mnemosyne now.\n"))
    bump_mtime(path)
    run("index")
    assert _slugs(run, "odyssey") == []
    assert _slugs(run, "mnemosyne") == ["new"]
    _assert_fts_intact(search_blog)


def _assert_fts_intact(blog: Path) -> None:
    """FTS5's own check that its index holds exactly what its content table does."""
    import sqlite3

    db = sqlite3.connect(blog / ".postctl/index.db")
    db.execute("INSERT INTO post_text_fts(post_text_fts, rank) VALUES ('integrity-check', 1)")
    indexed = db.execute("SELECT count(*) FROM post_text_fts").fetchone()[0]
    assert indexed == db.execute("SELECT count(*) FROM posts").fetchone()[0]


def _text_rows(blog: Path) -> list[tuple[str, ...]]:
    import sqlite3

    db = sqlite3.connect(blog / ".postctl/index.db")
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'post_text'").fetchone():
        return []
    return db.execute("SELECT * FROM post_text ORDER BY path").fetchall()


@pytest.mark.parametrize("posts", [3, 450], ids=["serial", "parallel"])
def test_text_taken_during_the_sync_equals_text_read_afterwards(
    blog: Path, run: Run, posts: int
) -> None:
    """A first search on a cold index takes each post's text while the sync parses it; after a
    plain `index` the search reads the files itself: the same rows and the same answers."""
    for i in range(posts):
        write(
            blog / f"articles/p{i:03}.md",
            post_text(
                f"Post {i:03} about pools" if i % 3 else f"Post {i:03}",
                tags=(f"t{i % 7}", "pools"),
                body=f"# Heading {i}\n\nA connection pool of size {i}. [link](x.md) `code`\n"
                "```\nSELECT 1;\n```\n",
            ),
        )
    during = run("search", "connection pool", "-f", "json", "-n", "500").stdout
    rows = _text_rows(blog)
    assert len(rows) == posts
    run("index", "--rebuild")
    assert _text_rows(blog) == []
    after = run("search", "connection pool", "-f", "json", "-n", "500").stdout
    assert _text_rows(blog) == rows
    assert after == during
    assert len(json.loads(after)) == posts
    _assert_fts_intact(blog)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t#\nab"))
def test_heading_marks_go_wherever_a_line_starts(text: str) -> None:
    import re

    from postctl.query.search import _HEADING

    line_start = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
    assert _HEADING.sub("\n", "\n" + text)[1:] == line_start.sub("", text)


def test_a_big_first_fill_leaves_the_usual_merge_settings(blog: Path, run: Run) -> None:
    import sqlite3

    for i in range(450):  # a fill big enough to defer FTS5's merging while it runs
        write(blog / f"articles/p{i:03}.md", post_text(f"Post {i:03}", body=f"Words {i}.\n"))
    assert _slugs(run, "words") != []
    db = sqlite3.connect(blog / ".postctl/index.db")
    config = dict(db.execute("SELECT k, v FROM post_text_fts_config"))
    assert (config.get("automerge"), config.get("crisismerge")) == (4, 16)
    _assert_fts_intact(blog)


def test_a_warm_search_skips_the_staleness_check_only_while_no_post_changed(
    search_blog: Path, run: Run
) -> None:
    import sqlite3

    def generations() -> tuple[str, str]:
        db = sqlite3.connect(search_blog / ".postctl/index.db")
        meta = dict(db.execute("SELECT key, value FROM meta"))
        return str(meta["generation"]), str(meta["fts_generation"])

    # Posts written a minute ago, as a blog's are: none is "racily clean" (modified in the second
    # the sync started), which a later command would hash again and settle with a meta write.
    for post in (search_blog / "articles").glob("*.md"):
        os.utime(post, (time.time() - 60, time.time() - 60))
    assert _slugs(run, "pgbouncer") == ["pool"]
    first = generations()
    assert first[0] == first[1]
    index_file = search_blog / ".postctl/index.db"
    before = index_file.stat().st_mtime_ns
    assert _slugs(run, "pgbouncer") == ["pool"]
    assert index_file.stat().st_mtime_ns == before  # nothing changed: nothing written
    path = search_blog / "articles/pool.md"
    write(path, path.read_text().replace("PgBouncer", "Pgcat"))
    bump_mtime(path)
    run("index")  # the change reaches the index without the search text
    assert generations()[0] != generations()[1]
    assert _slugs(run, "pgcat") == ["pool"]
    assert generations()[0] == generations()[1]
    _assert_fts_intact(search_blog)


def test_the_count_line_says_how_many_matched_when_limited(search_blog: Path, run: Run) -> None:
    assert run("search", "notes", "-n", "1").stdout.startswith("1 of 2 results for notes\n")
    assert run("search", "notes", "-n", "2").stdout.startswith("2 results for notes\n")
    assert run("search", "notes").stdout.startswith("2 results for notes\n")


def test_matches_are_styled_on_a_terminal_not_bracketed(search_blog: Path, run: Run) -> None:
    env = {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color", "NO_COLOR": None, "PAGER": ""}
    out = run("search", "pgbouncer", env=env).stdout
    assert "⟦" not in out and "[PgBouncer]" not in out
    assert "\x1b[1;33mPgBouncer\x1b[0m" in out
    assert "⟦PgBouncer⟧" in run("search", "pgbouncer", "--no-color", env=env).stdout


def test_a_match_in_a_markdown_link_is_not_mistaken_for_one(blog: Path, run: Run) -> None:
    write(blog / "articles/w.md", post_text("Tools", body="See [`wasm-bindgen`](x) for wasm.\n"))
    out = run("search", "wasm").stdout
    assert "⟦wasm⟧" in out and "[wasm]" not in out


@pytest.fixture
def ranking_blog(blog: Path) -> Path:
    """Posts whose bodies say "image processing" over and over, and a long one titled so."""
    for i in range(20):  # words that are rare in the blog weigh something in bm25
        write(blog / f"articles/other-{i}.md", post_text(f"Redis {i}", body="Keys expire.\n"))
    for i in range(6):
        body = "Image processing, image filters and processing images. " * (10 + i)
        write(
            blog / f"articles/body-{i}.md",
            post_text(
                f"Guide {i}",
                body=body,
                tags=("image", "processing"),
                description="Image processing recipes for image processing pipelines.",
            ),
        )
    write(
        blog / "articles/titled.md",
        # a long page: FTS5's bm25 scales every column's hits down by the whole row's length
        post_text("Image processing", body="Resize the pictures well. " * 400, tags=()),
    )
    write(
        blog / "articles/both.md",
        post_text("Processing an image twice", body="Resize, then crop.\n", tags=()),
    )
    return blog


def test_a_title_match_ranks_first(ranking_blog: Path, run: Run) -> None:
    slugs = _slugs(run, "image processing")
    assert slugs[:2] == ["titled", "both"]  # the exact title, then the title with both words
    assert set(slugs[2:]) == {f"body-{i}" for i in range(6)}
    # bm25 alone would rank the repeated bodies above the title: the boost is what orders it
    scores = {
        json.loads(line)["slug"]: json.loads(line)["score"]
        for line in run("search", "image processing", "-f", "jsonl").stdout.splitlines()
    }
    assert min(scores, key=lambda s: scores[s]) != "titled"
    assert _slugs(run, "image processing", "-n", "1") == ["titled"]


def test_queries_with_syntax_keep_the_title_first(ranking_blog: Path, run: Run) -> None:
    assert set(_slugs(run, "image AND processing")[:2]) == {"titled", "both"}
    assert _slugs(run, '"image processing"')[0] == "titled"
    assert set(_slugs(run, "title:processing")) == {"titled", "both"}
