"""The schema module, the sqlite error classification and the store's lock timeouts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import post_text, write

from postctl.config import load_settings
from postctl.index import dberrors, schema
from postctl.index.store import LOCK_TIMEOUT, Index, busy_timeout, open_index, transaction


def _open(root: Path) -> Index:
    return open_index(load_settings(cwd=root), lambda _m: None)


def _objects(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute(
        "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'post_text_fts_%'"
    )
    return dict(rows.fetchall())


def test_one_schema_declares_every_table_index_view_and_the_full_text_table(blog: Path) -> None:
    ix = _open(blog)
    assert _objects(ix.conn) == {
        "posts": "table",
        "posts_date": "index",
        "posts_slug": "index",
        "posts_url": "index",
        "post_categories": "table",
        "post_categories_slug": "index",
        "post_categories_path": "index",
        "post_tags": "table",
        "post_tags_slug": "index",
        "post_tags_path": "index",
        "skipped": "table",
        "pages": "table",
        "meta": "table",
        "readability": "table",
        "check_links": "table",
        "post_text": "table",
        "post_text_fts": "table",
        "categories": "view",
        "tags": "view",
        "posts_view": "view",  # #18: the posts as the CLI shows them
    }
    assert ix.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    columns = [r[1] for r in ix.conn.execute("PRAGMA table_info(posts)")]
    assert tuple(columns) == schema.POST_COLUMNS
    fts = ix.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'post_text_fts'").fetchone()
    assert "fts5" in fts[0].lower() and schema.TOKENIZE in fts[0]


def test_removing_a_post_row_removes_its_names(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha", tags=("x", "y")))
    ix = _open(blog)
    ix.sync()
    with transaction(ix.conn):
        ix.conn.execute("DELETE FROM posts")
    assert ix.conn.execute("SELECT count(*) FROM post_tags").fetchone()[0] == 0


def test_a_second_create_replaces_every_table(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    ix = _open(blog)
    ix.sync()
    with transaction(ix.conn):
        ix.conn.execute("CREATE TABLE leftover (x)")
        schema.create(ix.conn)
    assert "leftover" not in _objects(ix.conn)
    assert ix.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0


def test_lock_and_read_only_errors_are_told_apart_by_their_code(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(db, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as locked:
        waiter.execute("BEGIN IMMEDIATE")
    holder.execute("COMMIT")
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        reader.execute("INSERT INTO t VALUES (1)")
    assert dberrors.is_busy(locked.value) and not dberrors.is_readonly(locked.value)
    assert dberrors.is_readonly(readonly.value) and not dberrors.is_busy(readonly.value)
    assert not dberrors.is_write_failure(locked.value)
    # a message that says "locked" is not a lock: only the code counts
    assert not dberrors.is_busy(sqlite3.OperationalError("no such table: locked"))
    for conn in (holder, waiter, reader):
        conn.close()


def test_busy_timeout_is_restored_after_the_block_even_on_error(blog: Path) -> None:
    ix = _open(blog)
    assert ix.conn.execute("PRAGMA busy_timeout").fetchone()[0] == LOCK_TIMEOUT * 1000
    with pytest.raises(RuntimeError), busy_timeout(ix.conn, 2):
        assert ix.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2000
        raise RuntimeError
    assert ix.conn.execute("PRAGMA busy_timeout").fetchone()[0] == LOCK_TIMEOUT * 1000


def test_check_caches_links_and_leaves_the_lock_timeout_as_it_was(blog: Path) -> None:
    from postctl.query import check as checker
    from postctl.query.rules import CheckConfig

    write(blog / "articles/a.md", post_text("Alpha", body="See [b](b.md) and [gone](gone.md).\n"))
    write(blog / "articles/b.md", post_text("Beta"))
    ix = _open(blog)
    ix.sync()
    config, _ = CheckConfig.from_table({}, "[check]")
    outcome = checker.run(ix, config, config.active([], []), None, [])
    assert [d.rule for d in outcome.diagnostics if d.rule == "broken-link"] == ["broken-link"]
    assert ix.conn.execute("SELECT count(*) FROM check_links").fetchone()[0] == 2
    assert ix.conn.execute("PRAGMA busy_timeout").fetchone()[0] == LOCK_TIMEOUT * 1000
