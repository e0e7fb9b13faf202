"""Incremental sync: compare the content folder with the index and write what changed.

The folder is scanned (names, sizes, mtimes) and compared with what the index holds; only added,
modified (size or mtime differ and the content hash confirms) and removed files are parsed and
written, all in one transaction, batch by batch as the workers hand them over. A killed sync
leaves the previous index, since the transaction never commits.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from postctl.errors import PostctlError
from postctl.index import store
from postctl.index.scan import (
    Compute,
    Page,
    Parsed,
    Skipped,
    hash_file,
    parse_batches,
    parse_file,
    scan,
)
from postctl.index.schema import POST_COLUMNS
from postctl.index.store import busy_timeout, create_schema, meta, transaction
from postctl.parse.names import MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from postctl.index.store import Index

_INSERT_POST = (
    f"INSERT OR REPLACE INTO posts ({', '.join(POST_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(POST_COLUMNS))})"
)
_PER_PATH = ("post_categories", "post_tags", "posts", "pages", "skipped")  # children first


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    touched: int = 0
    retried: set[str] = field(default_factory=set)  # unreadable last time: modified if now read
    new_skips: list[Skipped] = field(default_factory=list)  # problems found by this sync
    fingerprint: str = ""  # of the site's rules (see parse.dialects.Site.fingerprint)
    racy: int = 0  # racily clean files hashed again (see _racy_from)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    def summary(self) -> str:
        return f"+{len(self.added)} ~{len(self.modified)} -{len(self.removed)}"


@dataclass(frozen=True)
class Derivation:
    """Something more a command wants from each post the sync parses, while it is in hand:
    computed in the worker processes (no second read of the file) and stored in the sync's
    transaction. ``compute`` must be a module-level function (it is pickled to the workers);
    ``store`` receives (path, content hash, computed value) for each parsed post."""

    name: str
    compute: Compute
    store: Callable[[sqlite3.Connection, list[tuple[str, str, Any]]], None]
    # called with the number of files to parse, before any is (and before workers are forked)
    prepare: Callable[[sqlite3.Connection, int], None] | None = None
    # called once every parsed post is stored (and the generation bumped), still inside the
    # sync's transaction
    finish: Callable[[sqlite3.Connection], None] | None = None


Work = tuple[list[tuple[str, str]], list[tuple[int, str]]]  # (files to parse, mtimes to update)


def stored(conn: sqlite3.Connection) -> dict[str, tuple[int, int, str]]:
    """path → (size, mtime_ns, hash) of every post, other page and skipped file the index
    holds."""
    rows = conn.execute(
        "SELECT path, size, mtime_ns, hash FROM posts "
        "UNION ALL SELECT path, size, mtime_ns, hash FROM pages "
        "UNION ALL SELECT path, size, mtime_ns, hash FROM skipped"
    )
    return {p: (s, m, h) for p, s, m, h in rows}


def _empty(conn: sqlite3.Connection) -> bool:
    """No post, page or skipped file indexed yet (nothing to replace)."""
    row = conn.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM posts) AND NOT EXISTS (SELECT 1 FROM skipped) "
        "AND NOT EXISTS (SELECT 1 FROM pages)"
    ).fetchone()
    return bool(row[0])


def diff(ix: Index, report: SyncReport) -> Work:
    """Scan the folder and compare it with the index: (files to parse, mtimes to update).

    Fills ``report`` with what was added, modified, removed and skipped while listing."""
    ix.scan_started_ns = time.time_ns()
    found = scan(ix.settings.content_dir, ix.settings.exclude, ix.settings.site)
    ix.site, ix.aside = found.site, found.aside
    # An index to be rebuilt holds nothing that counts (its tables may not even exist yet).
    old_rows = {} if ix.rebuild and not ix.conn.in_transaction else stored(ix.conn)
    report.fingerprint = found.site.fingerprint() if found.site else ""
    if old_rows and meta(ix.conn, "site") != report.fingerprint:
        # The rules that read posts changed (config, a cascade): read every file again.
        old_rows = {p: (-2, 0, "") for p in old_rows}
    to_parse: list[tuple[str, str]] = []
    touch: list[tuple[int, str]] = []
    report.added, report.modified, report.new_skips = [], [], list(found.problems)
    report.retried = set()
    # Settings that decide what is indexed changed since the last sync (max-file-mb, ...):
    # every file is checked again, as if modified.
    recheck = bool(old_rows) and _stored_meta(ix, "scan_settings") != scan_settings(ix)
    racy_from = _racy_from(ix)
    report.racy = 0
    for rel, (abs_path, size, mtime) in found.files.items():
        old = old_rows.get(rel)
        if old is None:
            to_parse.append((abs_path, rel))
            report.added.append(rel)
        elif recheck:
            to_parse.append((abs_path, rel))
            report.modified.append(rel)
        elif old[0] == size and old[1] == mtime and mtime >= racy_from and old[2]:
            report.racy += 1
            if hash_file(abs_path) != old[2]:  # racily clean: changed within the same second
                to_parse.append((abs_path, rel))
                report.modified.append(rel)
        elif old[0] != size or old[1] != mtime:
            if old[0] == size and old[2] and hash_file(abs_path) == old[2]:
                touch.append((mtime, rel))
            else:
                to_parse.append((abs_path, rel))
                if old[0] == -1:  # still unreadable is no change; see write_batch
                    report.retried.add(rel)
                else:
                    report.modified.append(rel)
    report.removed = [p for p in old_rows if p not in found.files]
    report.touched = len(touch)
    return to_parse, touch


def scan_settings(ix: Index) -> str:
    """The settings that decide which files are indexed and how, as stored with the index."""
    s = ix.settings
    return json.dumps(
        {"max_bytes": s.max_bytes, "exclude": s.exclude, "suffixes": MARKDOWN_SUFFIXES},
        sort_keys=True,
    )


def _racy_from(ix: Index) -> int:
    """Racy clean (git's term): a file recorded with an mtime not older than the second the
    sync that recorded it started may have been changed since within that same second, keeping
    its size; on a file system with 1-second timestamps nothing else tells. Its hash is
    compared again. This is that second, in ns (0: none recorded)."""
    last = _stored_meta(ix, "scan_started_ns")
    return (int(last) // 10**9) * 10**9 if last and last.isdigit() else 0


def _stored_meta(ix: Index, key: str) -> str | None:
    if ix.rebuild and not ix.conn.in_transaction:
        return None
    try:
        return meta(ix.conn, key)
    except sqlite3.OperationalError:  # no meta table yet
        return None


def _settle_racy(ix: Index) -> None:
    """Racily clean files were hashed and found unchanged: once their second is over, record
    this sync's start, so that later syncs stop hashing them (one meta row, if the lock is
    free at once; otherwise the next sync tries again)."""
    last = _stored_meta(ix, "scan_started_ns")
    if not ix.writable or not last or ix.scan_started_ns // 10**9 <= int(last) // 10**9:
        return
    try:
        with busy_timeout(ix.conn, 0.05), transaction(ix.conn):
            ix.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'scan_started_ns' AND value = ?",
                (str(ix.scan_started_ns), last),
            )
    except sqlite3.OperationalError:
        pass  # busy or read-only: harmless, the files are hashed again next time


def sync(
    ix: Index,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    derive: tuple[Derivation, ...] = (),
    written: dict[str, bytes] | None = None,
) -> SyncReport:
    """Bring the index up to date. Nothing is locked or written when nothing changed.

    When something did, the write lock is taken first, and the folder compared again under
    it if another process wrote the index meanwhile, so that two processes never parse the
    same change twice; then parsed results are written chunk by chunk as they arrive (memory
    stays flat however large the folder), all in one transaction. ``derive`` adds work per
    parsed post (see :class:`Derivation`). ``written``: files an edit of this process just
    wrote (index path → the bytes they held before), parsed here without measuring again a
    body the edit left alone (see :func:`_parse`)."""
    report = SyncReport()
    seen = (ix.conn, _data_version(ix.conn))
    to_parse, touch = diff(ix, report)
    unchanged = not to_parse and not report.removed and not touch and not ix.rebuild
    if unchanged and _stored_meta(ix, "scan_settings") == scan_settings(ix):
        if report.racy:
            _settle_racy(ix)
        return report  # (settings that changed and touched no file are still recorded)
    ix.ensure_writable()
    with transaction(ix.conn):
        if ix.rebuild == "if-stale" and store._check(ix.conn, ix.settings.content_dir) is None:
            ix.rebuild = False  # another process built it while this one waited for the lock
        if ix.rebuild:
            # Dropped and re-created in this transaction: readers keep the old index until
            # the commit, never see an empty or half-filled one.
            create_schema(ix.conn, ix.settings.content_dir)
            to_parse, touch = diff(ix, report)
        elif (ix.conn, _data_version(ix.conn)) != seen:  # another process wrote meanwhile
            to_parse, touch = diff(ix, report)
        _write_changes(ix, report, (to_parse, touch), progress, on_start, derive, written or {})
    ix.rebuild = False
    return report


def _write_changes(
    ix: Index,
    report: SyncReport,
    work: Work,
    progress: Callable[[int], None] | None,
    on_start: Callable[[int], None] | None,
    derive: tuple[Derivation, ...],
    written: dict[str, bytes],
) -> None:
    """Inside the sync's transaction: forget removed files, note touched ones, parse and write
    the rest, bump the generation."""
    conn = ix.conn
    to_parse, touch = work
    gone = [(p,) for p in report.removed]
    for table in _PER_PATH:
        conn.executemany(f"DELETE FROM {table} WHERE path = ?", gone)
    conn.executemany("UPDATE posts SET mtime_ns = ? WHERE path = ?", touch)
    conn.executemany("UPDATE skipped SET mtime_ns = ? WHERE path = ?", touch)
    if on_start and len(to_parse) > 1:
        on_start(len(to_parse))
    fresh = not report.removed and len(to_parse) == len(report.added) and _empty(conn)
    for d in derive:
        if d.prepare and to_parse:
            d.prepare(conn, len(to_parse))
    if meta(conn, "site") != report.fingerprint:
        written = {}  # the site's rules changed: old rows' counts may be of another cut body
    for batch in _parse(ix, to_parse, derive, written):
        write_batch(conn, batch, report, replace=not fresh, derive=derive)
        if progress:
            progress(len(batch))
    if to_parse or report.removed:
        conn.execute(
            "INSERT INTO meta VALUES ('generation', 1) "
            "ON CONFLICT (key) DO UPDATE SET value = value + 1"
        )
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('site', ?)", (report.fingerprint,))
    for d in derive:
        if d.finish and to_parse:
            d.finish(conn)
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [("scan_settings", scan_settings(ix)), ("scan_started_ns", str(ix.scan_started_ns))],
    )


_COUNTS = (
    "SELECT words, cjk_chars, code_lines, images, other_seconds FROM posts "
    "WHERE path = ? AND hash = ?"
)


def _parse(
    ix: Index,
    to_parse: list[tuple[str, str]],
    derive: tuple[Derivation, ...],
    written: dict[str, bytes],
) -> Iterator[list[Parsed | Skipped | Page]]:
    """Parse results in batches. The files an edit just wrote are parsed here, in this process,
    each with the old body and its reading-time counts (from the row of the bytes it held
    before), which parse_text uses when the body is still that one: an edit of front matter
    changes no count. Re-indexing the 1,000 posts of a ``tags rename`` took ~0.1 s of CPU so,
    against ~0.4 s parsing them afresh in worker processes (bench/generate.py corpus)."""
    from postctl.parse.post import body_text, decode
    from postctl.parse.readtime import ReadingTime
    from postctl.parse.record import content_hash

    rest = to_parse
    if written and not derive:
        mine = [(a, r) for a, r in to_parse if r in written]
        rest = [(a, r) for a, r in to_parse if r not in written]
        out: list[Parsed | Skipped | Page] = []
        for abs_path, rel in mine:
            old = written[rel]
            row = ix.conn.execute(_COUNTS, (rel, content_hash(old))).fetchone()
            known = None
            if row is not None:
                try:
                    known = (body_text(rel, decode(rel, old), ix.site), ReadingTime(*row))
                except PostctlError:
                    known = None
            out.append(parse_file(abs_path, rel, ix.settings.max_bytes, (), ix.site, known))
        if out:
            yield out
    yield from parse_batches(rest, ix.settings.max_bytes, derive, ix.site)


def write_batch(
    conn: sqlite3.Connection,
    results: list[Parsed | Skipped | Page],
    report: SyncReport,
    replace: bool,
    derive: tuple[Derivation, ...] = (),
) -> None:
    """Write one batch of parse results; ``replace``: the index may hold rows for these paths."""
    posts, skips = [], []
    pages: list[tuple[str, str, int, int, str]] = []
    cats: list[tuple[str, str, str]] = []
    tags: list[tuple[str, str, str]] = []
    derived: list[list[tuple[str, str, Any]]] = [[] for _ in derive]
    for result in results:
        if isinstance(result, Parsed):
            row = result.row
            path, digest = row[0], row[-1]  # COLUMNS starts with path, ends with hash
            if path in report.retried:
                report.modified.append(path)
            posts.append(row)
            cats.extend(result.categories)
            tags.extend(result.tags)
            for out, value in zip(derived, result.derived, strict=True):
                out.append((path, digest, value))
        elif isinstance(result, Page):
            pages.append(result.to_row())
        else:
            skips.append(result.to_row())
            report.new_skips.append(result)
    if replace:  # modified files: drop what the index held for them
        changed = [(p[0],) for p in posts] + [(s[0],) for s in skips] + [(p[0],) for p in pages]
        for table in _PER_PATH:
            conn.executemany(f"DELETE FROM {table} WHERE path = ?", changed)
    conn.executemany(_INSERT_POST, posts)
    conn.executemany("INSERT INTO post_categories VALUES (?, ?, ?)", cats)
    conn.executemany("INSERT INTO post_tags VALUES (?, ?, ?)", tags)
    conn.executemany("INSERT OR REPLACE INTO skipped VALUES (?, ?, ?, ?, ?, ?, ?)", skips)
    conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)", pages)
    for d, rows in zip(derive, derived, strict=True):
        if rows:
            d.store(conn, rows)


def _data_version(conn: sqlite3.Connection) -> int:
    """Changes whenever another connection commits to the database (PRAGMA data_version)."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])
