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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from postctl.errors import UsageError
from postctl.index import PARALLEL_THRESHOLD, Index, transaction
from postctl.listing import record
from postctl.query import Params, Query, where_clauses

TOKENIZE = "porter unicode61 remove_diacritics 2"
# bm25 weights, in column order: title, description, tags, body
WEIGHTS = (10.0, 4.0, 5.0, 1.0)
HIT_START, HIT_END = "\x02", "\x03"
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_OPERATORS = re.compile(r'["*()^:]|\b(?:AND|OR|NOT|NEAR)\b')


@dataclass
class Hit:
    record: dict[str, Any]
    snippet: str
    score: float


def _has_fts(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'post_text_fts' AND type = 'table'"
    ).fetchone()
    return row is not None


def _create(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """The content table filled first, then the FTS5 table over it: sqlite-utils' enable_fts
    indexes the existing rows in one statement (twice as fast as row by row through the
    triggers) and adds the triggers that keep it in step afterwards."""
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    table = db.table("post_text")
    table.create(
        {"path": str, "hash": str, "title": str, "description": str, "tags": str, "body": str},
        pk="path",
        if_not_exists=True,
    )
    conn.executemany("INSERT OR REPLACE INTO post_text VALUES (?, ?, ?, ?, ?, ?)", rows)
    table.enable_fts(
        ["title", "description", "tags", "body"],
        fts_version="FTS5",
        tokenize=TOKENIZE,
        create_triggers=True,
        replace=True,
    )


def _text_of(args: tuple[list[tuple[str, str]], int]) -> list[tuple[str, str]]:
    """(path, absolute path) → (path, searchable body): markup-light, code included."""
    from postctl.post import body_of
    from postctl.readtime import prose_text

    items, max_bytes = args
    out = []
    for rel, abs_path in items:
        body = body_of(abs_path, max_bytes)
        out.append((rel, _HEADING.sub("", prose_text(body)[0])))
    return out


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
    """Bring the full-text index in step with the posts table; return how many rows changed."""
    conn = index.conn
    fresh = not _has_fts(conn)
    if fresh:
        stale = conn.execute("SELECT path, hash, title, description, tags FROM posts").fetchall()
        gone: list[str] = []
    else:
        stale = conn.execute(
            "SELECT p.path, p.hash, p.title, p.description, p.tags FROM posts p "
            "LEFT JOIN post_text t ON t.path = p.path WHERE t.hash IS NOT p.hash"
        ).fetchall()
        gone = [
            r[0]
            for r in conn.execute(
                "SELECT path FROM post_text WHERE path NOT IN (SELECT path FROM posts)"
            )
        ]
        if not stale and not gone:
            return 0
    if on_start:
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
        if fresh:
            _create(conn, rows)
            return len(rows)
        conn.executemany("DELETE FROM post_text WHERE path = ?", [(p,) for p in gone])
        conn.executemany("DELETE FROM post_text WHERE path = ?", [(r[0],) for r in rows])
        conn.executemany("INSERT INTO post_text VALUES (?, ?, ?, ?, ?, ?)", rows)
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
