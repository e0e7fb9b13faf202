"""Full-text search: SQLite FTS5 over title, description, tags and body.

The full-text index is built by the first search and kept in step by every search after that:
``post_text`` holds the searchable text of each post with the content hash it came from, and is
the external content table of the FTS5 table ``post_text_fts`` (both declared in
index/schema.py). Every
change to ``post_text`` goes through :func:`_put` and :func:`_forget`, which update both, a batch
at a time. Porter stemming and diacritic folding (``cafe`` finds ``café``); bm25 ranks a title
hit highest.

FTS5's ``detail=full`` stays, measured against ``detail=column`` on the 1k bench corpus: column
built 24 % faster (0.138 s CPU instead of 0.181 s) into an index a third the size, with the same
order, scores and snippets for 300 random 1-3 word queries (73,048 hits), but it cannot answer
a phrase (``"a phrase"``), which docs/commands.md documents, or NEAR.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postctl.errors import UsageError
from postctl.index import workers
from postctl.index.dberrors import OperationalError, is_busy_or_readonly
from postctl.index.scan import PARALLEL_THRESHOLD
from postctl.index.schema import FTS_COLUMNS, HIT_END, HIT_START
from postctl.index.store import Index, meta, transaction
from postctl.index.sync import Derivation
from postctl.parse.record import json_column
from postctl.query.filters import Params, Query, where_clauses
from postctl.query.listing import record

if TYPE_CHECKING:
    from postctl.parse.post import Post

# bm25 weights, in column order: title, description, tags, body
WEIGHTS = (10.0, 4.0, 5.0, 1.0)
# A heading mark after a line break ("\n" first: re skips ahead to candidates at C speed).
_HEADING = re.compile(r"\n[ \t]*#{1,6}[ \t]+")
_OPERATORS = re.compile(r'["*()^:]|\b(?:AND|OR|NOT|NEAR)\b')


@dataclass
class Hit:
    record: dict[str, Any]
    snippet: str
    score: float


# The functions below keep the full-text index in step, batch by batch (set-based INSERT ...
# SELECT: no per-row triggers, which cost 1.7x as much).
_FTS = ", ".join(FTS_COLUMNS)  # the indexed columns, in order
_PATHS = "SELECT value FROM json_each(?)"  # a batch of paths as one parameter (a JSON list)


def _has_text(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM post_text LIMIT 1").fetchone() is not None


def _forget(conn: sqlite3.Connection, paths: list[str]) -> None:
    """Drop these posts from the full-text index and from post_text."""
    if not paths:
        return
    batch = json.dumps(paths)
    conn.execute(
        f"INSERT INTO post_text_fts(post_text_fts, rowid, {_FTS}) "
        f"SELECT 'delete', rowid, {_FTS} FROM post_text WHERE path IN ({_PATHS}) ORDER BY rowid",
        (batch,),
    )
    conn.execute(f"DELETE FROM post_text WHERE path IN ({_PATHS})", (batch,))


def _put(
    conn: sqlite3.Connection, rows: list[tuple[str, str, str, str, str, str]], new: bool = False
) -> None:
    """(Re)index posts: (path, hash, title, description, tags, text) rows; ``new``: none of them
    can be indexed yet. FTS5 takes rows in rising rowid order without flushing its in-memory
    index: ORDER BY rowid (1.6x faster)."""
    paths = [r[0] for r in rows]
    if not new:
        _forget(conn, paths)
    conn.executemany("INSERT INTO post_text VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.execute(
        f"INSERT INTO post_text_fts(rowid, {_FTS}) "
        f"SELECT rowid, {_FTS} FROM post_text WHERE path IN ({_PATHS}) ORDER BY rowid",
        (json.dumps(paths),),
    )


def search_text(body: str) -> str:
    """A body as searched: markup-light, code included, no heading marks."""
    from postctl.parse.readtime import prose_text

    return _HEADING.sub("\n", "\n" + prose_text(body)[0])[1:]


def text_row(post: Post) -> tuple[str, str, str, str]:
    """(title, description, tags, body) of a parsed post, as the full-text index holds them."""
    return post.title or "", post.description or "", " ".join(post.tags), search_text(post.body)


# While a new full-text index is filled with many posts in one transaction, FTS5's incremental
# merging only redoes work (1.9 s instead of 2.3 s for the 10k corpus); the usual settings are
# back before the transaction ends, and queries over the segments left are as fast (0.5 ms).
_MERGE_LATER = (("automerge", 0), ("crisismerge", 64))
_MERGE_AS_USUAL = (("automerge", 4), ("crisismerge", 16))  # FTS5's defaults


def _merge_settings(conn: sqlite3.Connection, settings: tuple[tuple[str, int], ...]) -> None:
    for name, value in settings:
        conn.execute("INSERT INTO post_text_fts(post_text_fts, rank) VALUES (?, ?)", (name, value))


class _Fill:
    """The sync in progress, as the TEXT derivation sees it."""

    fresh = False  # nothing in the full-text index before this sync: it builds it from nothing
    many = False


def _prepare_text(conn: sqlite3.Connection, posts: int) -> None:
    _Fill.fresh = not _has_text(conn)
    _Fill.many = posts >= PARALLEL_THRESHOLD
    if _Fill.fresh and _Fill.many:
        _merge_settings(conn, _MERGE_LATER)


def _store_text(conn: sqlite3.Connection, rows: list[tuple[str, str, Any]]) -> None:
    _put(conn, [(p, h, *t) for p, h, t in rows], new=_Fill.fresh)


def _finish_text(conn: sqlite3.Connection) -> None:
    if _Fill.fresh and _Fill.many:
        _merge_settings(conn, _MERGE_AS_USUAL)
    if _Fill.fresh:
        # A new full-text index holds every post this sync parsed; if that is every post, it
        # is in step: the search need not compare the tables again.
        (posts,) = conn.execute("SELECT count(*) FROM posts").fetchone()
        (texts,) = conn.execute("SELECT count(*) FROM post_text").fetchone()
        if posts == texts:
            _note_generation(conn, meta(conn, "generation"))


# Taken while the sync parses: the workers hand over the text of each post they parse and the
# main process indexes it batch by batch meanwhile, so a first search on a cold index reads no
# file twice and builds the full-text index on the core the parsing leaves free.
TEXT = Derivation("search text", text_row, _store_text, prepare=_prepare_text, finish=_finish_text)


def _text_of(
    items: list[tuple[str, str]], max_bytes: int, inside: str | None = None
) -> list[tuple[str, str]]:
    """(path, absolute path) → (path, searchable body)."""
    from postctl.parse.post import body_of

    return [(rel, search_text(body_of(abs_path, max_bytes, inside))) for rel, abs_path in items]


def _bodies(
    index: Index, paths: list[str], progress: Callable[[int], None] | None
) -> dict[str, str]:
    content = index.settings.content_dir
    items = [(p, str(content / p)) for p in paths]
    inside = os.path.realpath(content)
    work = functools.partial(_text_of, max_bytes=index.settings.max_bytes, inside=inside)
    size = workers.chunk_size(len(items), per_core=8, smallest=32, largest=256)
    out: dict[str, str] = {}
    for part in workers.map_chunks(work, items, size, threshold=PARALLEL_THRESHOLD):
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
    that did not ask for the text, e.g. `postctl index`) have their files read here."""
    conn = index.conn
    generation = index.generation()
    if generation is not None and generation == meta(conn, "fts_generation"):
        return 0  # no post changed since the full-text index was last brought in step
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
        with transaction(conn):
            _note_generation(conn, generation)
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
            " ".join(json_column(r["tags"])),
            bodies.get(r["path"], ""),
        )
        for r in stale
    ]
    with transaction(conn):
        _forget(conn, gone)
        for i in range(0, len(rows), 512):
            _put(conn, rows[i : i + 512])
        _note_generation(conn, generation)
    return len(rows) + len(gone)


def _note_generation(conn: sqlite3.Connection, generation: str | None) -> None:
    if generation is not None:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('fts_generation', ?)", (generation,))


def _quoted(text: str) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in text.split())


@dataclass
class Results:
    hits: list[Hit]
    total: int  # matches before --limit


def search_in_step(
    index: Index,
    text: str,
    query: Query,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Results:
    """:func:`ensure_fts` then :func:`search_counted`, the two seeing the same index. Another
    process's sync or rebuild can commit between them, its full-text rows not filled yet: the
    search would find nothing. PRAGMA data_version tells: when another connection committed
    meanwhile, the full-text index is brought in step again and the search run again (three
    tries; then the last answer)."""
    conn = index.conn
    hits = Hits()
    for _ in range(3):
        ensure_fts(index, progress, on_start)
        before = conn.execute("PRAGMA data_version").fetchone()[0]
        hits = search(index, text, query)
        if conn.execute("PRAGMA data_version").fetchone()[0] == before:
            break
    # The hits carry the count of what --limit cut, made in the same step: searching again
    # to count (as it was) ran the ranked query twice, 33 ms of a warm search (best of 9 CPU).
    return Results(hits, hits.total)


class Hits(list[Hit]):
    """Posts found, best first; ``total``: how many matched before --limit cut the list."""

    total: int = 0


def search(index: Index, text: str, query: Query) -> Hits:
    """Posts matching ``text`` and the filters of ``query``, best first (and their total)."""
    found = search_counted(index, text, query)
    hits = Hits(found.hits)
    hits.total = found.total
    return hits


def search_counted(index: Index, text: str, query: Query) -> Results:
    """Posts matching ``text`` and the filters of ``query``, best first, and how many match
    in all (counted only when --limit cut the list).

    A post whose title holds every word searched for ranks above one that has them only in
    its other fields (a title that is exactly the search first of all), then bm25 orders each
    group: bm25 weighs a title hit up, but a long body that repeats the words can still
    outscore it (Hugo's page titled "Image processing" came 8th for `image processing`)."""
    q = text.strip()
    if not q:
        raise UsageError('empty search; try words, a "quoted phrase", prefix*, AND, OR, NOT')
    # The query as typed; without FTS syntax, its words quoted (node.js); without the title
    # form when that is what FTS5 cannot take.
    attempts = [(q, True), (q, False)]
    if not _OPERATORS.search(q):
        attempts = [(q, True), (_quoted(q), True), (_quoted(q), False)]
    error = None
    for form, title_first in attempts:
        try:
            return _search(index, form, query, title_first, q)
        except OperationalError as e:
            if is_busy_or_readonly(e):
                raise
            error = e
    raise UsageError(
        f"cannot parse the search {text!r} ({error}); examples: connection pool, "
        '"connection pool", shard*, redis NOT cluster, title:nginx'
    )


def _search(index: Index, q: str, query: Query, title_first: bool, typed: str) -> Results:
    params = Params()
    where = where_clauses(query, params, index.settings.wpm)
    weights = ", ".join(str(w) for w in WEIGHTS)
    match = params.add(q)
    title_match = params.add(f"title : ({q})") if title_first else ""
    boost = (
        f"post_text.title = {params.add(typed)} COLLATE NOCASE DESC, "
        f"post_text_fts.rowid IN (SELECT rowid FROM post_text_fts WHERE post_text_fts MATCH "
        f"{title_match}) DESC, "
        if title_first
        else ""
    )
    # Ranked first, with --limit; snippets (each re-reads and re-tokenizes a body) only for
    # the posts shown, by a second MATCH restricted to their rowids.
    ranked = (
        f"SELECT post_text_fts.rowid AS rid, bm25(post_text_fts, {weights}) AS score "
        "FROM post_text_fts JOIN post_text ON post_text.rowid = post_text_fts.rowid "
        "JOIN posts ON posts.path = post_text.path "
        f"WHERE post_text_fts MATCH {match}"
        + "".join(f" AND {w}" for w in where)
        + f" ORDER BY {boost}score, posts.date DESC, posts.path"
    )
    count = (
        "SELECT count(*) FROM post_text_fts JOIN post_text ON post_text.rowid = "
        "post_text_fts.rowid JOIN posts ON posts.path = post_text.path "
        f"WHERE post_text_fts MATCH {match}" + "".join(f" AND {w}" for w in where)
    )
    if query.limit is not None:
        ranked += f" LIMIT {params.add(query.limit)}"
    ranked = f"SELECT rid, score, row_number() OVER () AS place FROM ({ranked})"
    sql = (
        f"SELECT posts.*, snippet(post_text_fts, -1, '{HIT_START}', '{HIT_END}', '…', 16) "
        f"AS snippet, ranked.score AS score FROM ({ranked}) AS ranked "
        "JOIN post_text_fts ON post_text_fts.rowid = ranked.rid "
        "JOIN post_text ON post_text.rowid = ranked.rid "
        "JOIN posts ON posts.path = post_text.path "
        f"WHERE post_text_fts MATCH {match} ORDER BY ranked.place"
    )
    rows = index.query(sql, params.values)
    hits = [Hit(record(r, index), " ".join(r["snippet"].split()), r["score"]) for r in rows]
    total = len(hits)
    if query.limit is not None and total >= query.limit:
        total = index.conn.execute(count, params.values).fetchone()[0]
    return Results(hits, total)


def plain_snippet(snippet: str, start: str = "", end: str = "") -> str:
    return snippet.replace(HIT_START, start).replace(HIT_END, end)
