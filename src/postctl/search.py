"""Full-text search: SQLite FTS5 over title, description, tags and body.

The full-text index is built lazily, by the first search, and kept in step on every search after
that: ``post_text`` holds the searchable text of each post with the content hash it came from,
and sqlite-utils sets it up as the content table of the FTS5 table ``post_text_fts`` with
triggers, so inserting, replacing or deleting a ``post_text`` row updates the full-text index.
Porter stemming and diacritic folding (``cafe`` finds ``café``); bm25 ranks a title hit highest.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postctl.errors import UsageError
from postctl.index import PARALLEL_THRESHOLD, Derivation, Index, transaction
from postctl.listing import record
from postctl.query import Params, Query, where_clauses

if TYPE_CHECKING:
    from postctl.post import Post

TOKENIZE = "porter unicode61 remove_diacritics 2"
# bm25 weights, in column order: title, description, tags, body
WEIGHTS = (10.0, 4.0, 5.0, 1.0)
HIT_START, HIT_END = "\x02", "\x03"
# A heading mark after a line break ("\n" first: re skips ahead to candidates at C speed).
_HEADING = re.compile(r"\n[ \t]*#{1,6}[ \t]+")
_OPERATORS = re.compile(r'["*()^:]|\b(?:AND|OR|NOT|NEAR)\b')


@dataclass
class Hit:
    record: dict[str, Any]
    snippet: str
    score: float


def _exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND type = 'table'", (name,))
    return row.fetchone() is not None


_TEXT_COLUMNS = {
    "path": str,
    "hash": str,
    "title": str,
    "description": str,
    "tags": str,
    "body": str,
}


def _text_table(conn: sqlite3.Connection) -> Any:
    import sqlite_utils

    table = sqlite_utils.Database(conn).table("post_text")
    table.create(_TEXT_COLUMNS, pk="path", if_not_exists=True)
    return table


def _enable_fts(table: Any) -> None:
    """The FTS5 table over a filled post_text: sqlite-utils' enable_fts indexes the existing rows
    in one statement (twice as fast as row by row through the triggers) and adds the triggers
    that keep it in step afterwards."""
    table.enable_fts(
        ["title", "description", "tags", "body"],
        fts_version="FTS5",
        tokenize=TOKENIZE,
        create_triggers=True,
        replace=True,
    )


def search_text(body: str) -> str:
    """A body as searched: markup-light, code included, no heading marks."""
    from postctl.readtime import prose_text

    return _HEADING.sub("\n", "\n" + prose_text(body)[0])[1:]


def text_row(post: Post) -> tuple[str, str, str, str]:
    """(title, description, tags, body) of a parsed post, as the full-text index holds them."""
    return post.title or "", post.description or "", " ".join(post.tags), search_text(post.body)


def _prepare_text(conn: sqlite3.Connection, _posts: int) -> None:
    _text_table(conn)


def _store_text(conn: sqlite3.Connection, rows: list[tuple[str, str, Any]]) -> None:
    """Replace the searchable text of the posts just parsed; once the FTS5 table exists, its
    triggers keep it in step."""
    conn.executemany("DELETE FROM post_text WHERE path = ?", [(p,) for p, _, _ in rows])
    conn.executemany(
        "INSERT INTO post_text VALUES (?, ?, ?, ?, ?, ?)", [(p, h, *t) for p, h, t in rows]
    )


# Taken while the sync parses (the post is in hand, on every core): a first search on a cold
# index then reads no file twice; ensure_fts indexes what the table holds in one statement.
TEXT = Derivation("search text", text_row, _store_text, prepare=_prepare_text)


def _text_of(args: tuple[list[tuple[str, str]], int]) -> list[tuple[str, str]]:
    """(path, absolute path) → (path, searchable body)."""
    from postctl.post import body_of

    items, max_bytes = args
    return [(rel, search_text(body_of(abs_path, max_bytes))) for rel, abs_path in items]


def _bodies(
    index: Index, paths: list[str], progress: Callable[[int], None] | None
) -> dict[str, str]:
    from pathlib import Path

    items = [(p, str(Path(index.settings.content_dir) / p)) for p in paths]
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_THRESHOLD or workers < 2 or not hasattr(os, "fork"):
        return dict(_text_of((items, index.settings.max_bytes)))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(32, min(256, len(items) // (workers * 8)))
    chunks = [(items[i : i + size], index.settings.max_bytes) for i in range(0, len(items), size)]
    out: dict[str, str] = {}
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for part in pool.map(_text_of, chunks):
            out.update(part)
            if progress:
                progress(len(part))
    return out


def ensure_fts(
    index: Index,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> int:
    """Bring the full-text index in step with the posts table; return how many rows changed.

    Rows the sync already wrote (see TEXT) are current; the others (posts indexed by a command
    that did not ask for the text) have their files read here."""
    conn = index.conn
    if not _exists(conn, "post_text"):
        with transaction(conn):
            _text_table(conn)
    has_fts = _exists(conn, "post_text_fts")
    stale = conn.execute(
        "SELECT p.path, p.hash, p.title, p.description, p.tags FROM posts p "
        "LEFT JOIN post_text t ON t.path = p.path WHERE t.hash IS NOT p.hash"
    ).fetchall()
    gone = [
        (r[0],)
        for r in conn.execute(
            "SELECT path FROM post_text WHERE path NOT IN (SELECT path FROM posts)"
        )
    ]
    if not stale and not gone and has_fts:
        return 0
    if on_start and stale:
        on_start(len(stale))
    bodies = _bodies(index, [r["path"] for r in stale], progress)
    rows = [
        (
            r["path"],
            r["hash"],
            r["title"] or "",
            r["description"] or "",
            " ".join(_json_list(r["tags"])),
            bodies.get(r["path"], ""),
        )
        for r in stale
    ]
    with transaction(conn):
        conn.executemany("DELETE FROM post_text WHERE path = ?", gone)
        conn.executemany("DELETE FROM post_text WHERE path = ?", [(r[0],) for r in rows])
        conn.executemany("INSERT INTO post_text VALUES (?, ?, ?, ?, ?, ?)", rows)
        if not has_fts:
            _enable_fts(_text_table(conn))
    return len(rows) + len(gone)


def _json_list(text: str) -> list[str]:
    import json

    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) else []


def _quoted(text: str) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in text.split())


def search(index: Index, text: str, query: Query) -> list[Hit]:
    """Posts matching ``text`` and the filters of ``query``, best first."""
    q = text.strip()
    if not q:
        raise UsageError('empty search; try words, a "quoted phrase", prefix*, AND, OR, NOT')
    params = Params()
    where = where_clauses(query, params)
    weights = ", ".join(str(w) for w in WEIGHTS)
    match = params.add(q)
    sql = (
        f"SELECT posts.*, snippet(post_text_fts, -1, '{HIT_START}', '{HIT_END}', '…', 16) "
        f"AS snippet, bm25(post_text_fts, {weights}) AS score "
        "FROM post_text_fts JOIN post_text ON post_text.rowid = post_text_fts.rowid "
        "JOIN posts ON posts.path = post_text.path "
        f"WHERE post_text_fts MATCH {match}"
        + "".join(f" AND {w}" for w in where)
        + " ORDER BY score, posts.date DESC, posts.path"
    )
    if query.limit is not None:
        sql += f" LIMIT {params.add(query.limit)}"
    try:
        rows = index.query(sql, params.values)
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "readonly" in str(e):
            raise
        if _OPERATORS.search(q):
            raise UsageError(
                f"cannot parse the search {text!r} ({e}); examples: connection pool, "
                '"connection pool", shard*, redis NOT cluster, title:nginx'
            ) from None
        params.values[match[1:]] = _quoted(q)
        rows = index.query(sql, params.values)
    return [Hit(record(r, index), " ".join(r["snippet"].split()), r["score"]) for r in rows]


def plain_snippet(snippet: str, start: str = "", end: str = "") -> str:
    return snippet.replace(HIT_START, start).replace(HIT_END, end)
