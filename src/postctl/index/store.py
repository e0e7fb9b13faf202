"""The SQLite index: schema, incremental sync, and every SQL statement postctl runs.

The index is a cache of the content folder. Each read command calls :func:`open_index`, which
syncs it first: the folder is scanned (names, sizes, mtimes), compared with what the index holds,
and only added, modified (size or mtime differ and the content hash confirms) and removed files are
parsed and written, all in one transaction. Nothing heavier than ``sqlite3`` is imported when no
file changed.

Concurrency: the database runs in rollback-journal mode (WAL cannot even be read from a read-only
checkout), writers take ``BEGIN IMMEDIATE`` and every connection waits up to a minute for a lock,
so two postctl processes queue instead of failing. A killed sync leaves the previous index, since
the transaction never commits. A corrupt, zero-byte or other-version index is rebuilt.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import functools
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.config import Settings
from postctl.errors import PostctlError, PostError, os_reason
from postctl.index import workers
from postctl.parse.names import MARKDOWN_SUFFIXES, fold, printable, undecodable

if TYPE_CHECKING:
    from postctl.parse.post import Post

SCHEMA_VERSION = 3
NO_SCHEMA = "it has tables but no postctl schema"
PARALLEL_THRESHOLD = 400
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})
BAD_FILE_NAME = "file name is not UTF-8; rename the file"
BAD_FOLDER_NAME = "folder name is not UTF-8; rename the folder"

SCHEMA = """
CREATE TABLE posts (
    path TEXT PRIMARY KEY,          -- relative to the content folder, with '/' separators
    slug TEXT NOT NULL,
    title TEXT,
    date TEXT,                      -- ISO 8601: 2026-06-10 or 2026-06-10T09:30:00+02:00
    updated TEXT,
    description TEXT,
    categories TEXT NOT NULL,       -- JSON list of names as written
    tags TEXT NOT NULL,             -- JSON list
    draft INTEGER NOT NULL,         -- 0 or 1
    author TEXT,
    extra TEXT NOT NULL,            -- JSON object: every other front-matter key
    words INTEGER NOT NULL,         -- prose words (see README, Reading time)
    cjk_chars INTEGER NOT NULL,
    code_lines INTEGER NOT NULL,
    images INTEGER NOT NULL,
    other_seconds REAL NOT NULL,    -- reading seconds that are not prose words
    fm_format TEXT NOT NULL,        -- yaml, toml, json or none
    body_line INTEGER NOT NULL,     -- first line of the body
    key_lines TEXT NOT NULL,        -- JSON: front-matter key -> line
    problems TEXT NOT NULL,         -- JSON: non-fatal findings for postctl check
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL              -- blake2b of the file's bytes
);
CREATE INDEX posts_date ON posts(date);
CREATE INDEX posts_slug ON posts(slug);
CREATE TABLE post_categories (
    path TEXT NOT NULL REFERENCES posts(path) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL
);
CREATE INDEX post_categories_slug ON post_categories(slug);
CREATE INDEX post_categories_path ON post_categories(path);
CREATE TABLE post_tags (
    path TEXT NOT NULL REFERENCES posts(path) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL
);
CREATE INDEX post_tags_slug ON post_tags(slug);
CREATE INDEX post_tags_path ON post_tags(path);
CREATE TABLE skipped (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    line INTEGER,
    col INTEGER,
    size INTEGER NOT NULL,          -- -1: retried on every sync (permission denied, vanished)
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);  -- content_dir, generation, ...
CREATE TABLE readability (          -- filled lazily by stats and show, per content version
    hash TEXT PRIMARY KEY,          -- posts.hash
    flesch_reading_ease REAL NOT NULL,
    flesch_kincaid_grade REAL NOT NULL,
    automated_readability_index REAL NOT NULL,
    sentences INTEGER NOT NULL
);
CREATE VIEW categories AS
    SELECT min(name) AS name, slug, count(*) AS posts FROM post_categories GROUP BY slug;
CREATE VIEW tags AS
    SELECT min(name) AS name, slug, count(*) AS posts FROM post_tags GROUP BY slug;
"""

POST_COLUMNS = (
    "path",
    "slug",
    "title",
    "date",
    "updated",
    "description",
    "categories",
    "tags",
    "draft",
    "author",
    "extra",
    "words",
    "cjk_chars",
    "code_lines",
    "images",
    "other_seconds",
    "fm_format",
    "body_line",
    "key_lines",
    "problems",
    "size",
    "mtime_ns",
    "hash",
)
_INSERT_POST = (
    f"INSERT OR REPLACE INTO posts ({', '.join(POST_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(POST_COLUMNS))})"
)


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}" + (f":{self.col}" if self.col is not None else "")
        return f"{loc}: {self.reason}"


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    touched: int = 0
    retried: set[str] = field(default_factory=set)  # unreadable last time: modified if now read
    new_skips: list[Skipped] = field(default_factory=list)  # problems found by this sync
    rebuilt: str | None = None  # why the index was rebuilt, if it was

    @property
    def changed(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    def summary(self) -> str:
        return f"+{len(self.added)} ~{len(self.modified)} -{len(self.removed)}"


@dataclass
class Scan:
    files: dict[str, tuple[str, int, int]]  # rel path → (absolute path, size, mtime_ns)
    problems: list[Skipped]  # entries that could not even be listed or stat'ed


Compute = Callable[["Post"], Any]  # what a Derivation computes from a parsed post


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


class IndexError_(PostctlError):
    """The index cannot be opened or written."""


# --------------------------------------------------------------------------- scanning


def scan(content_dir: Path, exclude: list[str] | None = None) -> Scan:
    """List the Markdown files under ``content_dir``, without following symlinked folders."""
    files: dict[str, tuple[str, int, int]] = {}
    problems: list[Skipped] = []
    root = str(content_dir)
    real_root = os.path.realpath(root)
    patterns = exclude or []
    stack = [("", root)]
    while stack:
        rel_dir, abs_dir = stack.pop()
        try:
            it = os.scandir(abs_dir)
        except OSError as e:
            if rel_dir == "":
                if e.errno == errno.ENOENT:
                    raise PostctlError(
                        f"{content_dir}: content folder not found "
                        "(set it with --content or 'content' in postctl.toml)"
                    ) from None
                raise PostctlError(
                    f"{content_dir}: cannot read content folder: {e.strerror}"
                ) from None
            problems.append(Skipped(rel_dir, _reason(e) + " (folder)"))  # rel_dir ends in /
            continue
        with it:
            for entry in it:
                name = entry.name
                rel = rel_dir + name
                if patterns and any(fnmatch.fnmatch(rel, p) for p in patterns):
                    continue
                try:
                    is_link = entry.is_symlink()
                    if entry.is_dir(follow_symlinks=False):
                        if not name.startswith(".") and name not in SKIP_DIRS:
                            if undecodable(name):
                                problems.append(Skipped(printable(rel) + "/", BAD_FOLDER_NAME))
                            else:
                                stack.append((rel + "/", entry.path))
                        continue
                    if not name.lower().endswith(MARKDOWN_SUFFIXES) or name.startswith("."):
                        continue
                    if undecodable(name):  # SQLite and the terminal want UTF-8 text
                        problems.append(Skipped(printable(rel), BAD_FILE_NAME))
                        continue
                    if is_link:
                        target = os.path.realpath(entry.path)
                        if not (target + os.sep).startswith(real_root + os.sep):
                            problems.append(
                                Skipped(rel, "symlink points outside the content folder")
                            )
                            continue
                    st = entry.stat()
                except OSError as e:
                    problems.append(Skipped(rel, _reason(e)))
                    continue
                if stat.S_ISDIR(st.st_mode):
                    continue  # a symlink to a folder inside the tree: it is scanned there
                if not stat.S_ISREG(st.st_mode):
                    problems.append(Skipped(rel, "not a regular file (a FIFO, socket or device)"))
                    continue
                files[rel] = (entry.path, st.st_size, st.st_mtime_ns)
    return Scan(files, problems)


def _reason(e: OSError) -> str:
    return os_reason(e, vanished="broken symlink or file vanished")


# --------------------------------------------------------------------------- parsing (workers)

Row = tuple[Any, ...]


def parse_file(
    abs_path: str, rel: str, max_bytes: int, derive: tuple[Compute, ...] = ()
) -> tuple[str, Any]:
    """Parse one file → ("post", (post row, categories, tags, derived values)) or ("skip",
    skipped row). ``derive``: the compute functions of the sync's Derivations."""
    from postctl.parse.post import parse_text, read_file

    try:
        text, data, mtime_ns = read_file(abs_path, max_bytes)
    except PostError as e:
        retry = "permission" in e.reason or "vanished" in e.reason
        size = -1 if retry else _size(abs_path)
        return "skip", (rel, e.reason, e.line, e.column, size, _mtime(abs_path), "")
    except OSError as e:
        return "skip", (rel, _reason(e), None, None, -1, 0, "")
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    try:
        post = parse_text(rel, text)
    except PostError as e:
        return "skip", (rel, e.reason, e.line, e.column, len(data), mtime_ns, digest)
    except RecursionError:
        return "skip", (
            rel,
            "front matter is nested too deeply",
            None,
            None,
            len(data),
            mtime_ns,
            digest,
        )
    except Exception as e:  # noqa: BLE001 - a parser bug must not stop the sync
        return "skip", (
            rel,
            f"cannot parse: {type(e).__name__}: {e}",
            None,
            None,
            len(data),
            mtime_ns,
            digest,
        )
    problems = [[p.rule, p.message, p.line, p.column, p.severity] for p in post.problems]
    row = (
        rel,
        post.slug,
        post.title,
        post.date,
        post.updated,
        post.description,
        _to_json(post.categories),
        _to_json(post.tags),
        int(post.draft),
        post.author,
        _to_json(post.extra),
        post.words,
        post.cjk_chars,
        post.code_lines,
        post.images,
        post.other_seconds,
        post.fm_format,
        post.body_line,
        _to_json(post.key_lines),
        _to_json(problems),
        len(data),
        mtime_ns,
        digest,
    )
    cats = [(rel, c, fold(c)) for c in post.categories]
    tags = [(rel, t, fold(t)) for t in post.tags]
    return "post", (row, cats, tags, [compute(post) for compute in derive])


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _parse_chunk(
    items: list[tuple[str, str]], max_bytes: int, derive: tuple[Compute, ...]
) -> list[tuple[str, Any]]:
    return [parse_file(a, r, max_bytes, derive) for a, r in items]


def parse_batches(
    items: list[tuple[str, str]], max_bytes: int, derive: tuple[Derivation, ...] = ()
) -> Iterator[list[tuple[str, Any]]]:
    """Parse files in batches, on every core when there are many; yields each batch's results
    as it is ready, in order."""
    computes = tuple(d.compute for d in derive)  # only these travel to the workers
    work = functools.partial(_parse_chunk, max_bytes=max_bytes, derive=computes)
    size = workers.chunk_size(len(items), per_core=8, smallest=32, largest=256)
    yield from workers.map_chunks(work, items, size, threshold=PARALLEL_THRESHOLD)


# --------------------------------------------------------------------------- the index


class Index:
    """An open, synced index. Use :func:`open_index`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: Settings,
        writable: bool,
        warn: Callable[[str], None],
    ) -> None:
        self.conn = conn
        self.settings = settings
        self.writable = writable
        self.warn = warn
        shown = settings.rel(settings.content_dir)
        # prefix of a post's path as shown to the user ("" when the content folder is here)
        self.shown_content = "" if shown == "." else shown.rstrip(os.sep) + "/"

    def close(self) -> None:
        self.conn.close()

    # -- sync

    def stored(self) -> dict[str, tuple[int, int, str]]:
        rows = self.conn.execute(
            "SELECT path, size, mtime_ns, hash FROM posts "
            "UNION ALL SELECT path, size, mtime_ns, hash FROM skipped"
        )
        return {p: (s, m, h) for p, s, m, h in rows}

    def _empty(self) -> bool:
        """No post and no skipped file indexed yet (nothing to replace)."""
        row = self.conn.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM posts) AND NOT EXISTS (SELECT 1 FROM skipped)"
        ).fetchone()
        return bool(row[0])

    def _diff(self, report: SyncReport) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
        """Scan the folder and compare it with the index: (files to parse, mtimes to update).

        Fills ``report`` with what was added, modified, removed and skipped while listing."""
        found = scan(self.settings.content_dir, self.settings.exclude)
        stored = self.stored()
        to_parse: list[tuple[str, str]] = []
        touch: list[tuple[int, str]] = []
        report.added, report.modified, report.new_skips = [], [], list(found.problems)
        report.retried = set()
        for rel, (abs_path, size, mtime) in found.files.items():
            old = stored.get(rel)
            if old is None:
                to_parse.append((abs_path, rel))
                report.added.append(rel)
            elif old[0] != size or old[1] != mtime:
                if old[0] == size and old[2] and _hash_file(abs_path) == old[2]:
                    touch.append((mtime, rel))
                else:
                    to_parse.append((abs_path, rel))
                    if old[0] == -1:  # still unreadable is no change; see _write_batch
                        report.retried.add(rel)
                    else:
                        report.modified.append(rel)
        report.removed = [p for p in stored if p not in found.files]
        report.touched = len(touch)
        return to_parse, touch

    def sync(
        self,
        progress: Callable[[int], None] | None = None,
        on_start: Callable[[int], None] | None = None,
        derive: tuple[Derivation, ...] = (),
    ) -> SyncReport:
        """Bring the index up to date. Nothing is locked or written when nothing changed.

        When something did, the write lock is taken first, and the folder compared again under
        it if another process wrote the index meanwhile, so that two processes never parse the
        same change twice; then parsed results are
        written chunk by chunk as they arrive (memory stays flat however large the folder), all
        in one transaction. ``derive`` adds work per parsed post (see :class:`Derivation`)."""
        report = SyncReport()
        seen = (self.conn, _data_version(self.conn))
        to_parse, touch = self._diff(report)
        if not to_parse and not report.removed and not touch:
            return report
        self._ensure_writable()
        with transaction(self.conn):
            if (self.conn, _data_version(self.conn)) != seen:  # another process wrote meanwhile
                to_parse, touch = self._diff(report)
            conn = self.conn
            gone = [(p,) for p in report.removed]
            for table in ("post_categories", "post_tags", "posts", "skipped"):
                conn.executemany(f"DELETE FROM {table} WHERE path = ?", gone)
            conn.executemany("UPDATE posts SET mtime_ns = ? WHERE path = ?", touch)
            conn.executemany("UPDATE skipped SET mtime_ns = ? WHERE path = ?", touch)
            if on_start and len(to_parse) > 1:
                on_start(len(to_parse))
            fresh = not report.removed and len(to_parse) == len(report.added) and self._empty()
            for d in derive:
                if d.prepare and to_parse:
                    d.prepare(conn, len(to_parse))
            for batch in parse_batches(to_parse, self.settings.max_bytes, derive):
                self._write_batch(batch, report, replace=not fresh, derive=derive)
                if progress:
                    progress(len(batch))
            if to_parse or report.removed:
                conn.execute(
                    "INSERT INTO meta VALUES ('generation', 1) "
                    "ON CONFLICT (key) DO UPDATE SET value = value + 1"
                )
            for d in derive:
                if d.finish and to_parse:
                    d.finish(conn)
        return report

    def generation(self) -> str | None:
        """Changes whenever a sync adds, changes or removes posts: caches built from the posts
        table (the full-text index) note the generation they are in step with."""
        return meta(self.conn, "generation")

    def _ensure_writable(self) -> None:
        """A file that opened but cannot be written (read-only file system): go on in memory."""
        if not self.writable:
            return
        try:
            with transaction(self.conn):
                self.conn.execute("UPDATE meta SET value = value WHERE key = 'content_dir'")
        except sqlite3.OperationalError as e:
            if "readonly" not in str(e):
                raise
            self.warn(
                f"cannot write the index at {self.settings.rel(self.settings.db_path)}; "
                "using a temporary in-memory index"
            )
            mem = _connect(":memory:")
            self.conn.backup(mem)
            self.conn.close()
            self.conn, self.writable = mem, False

    def _write_batch(
        self,
        results: list[tuple[str, Any]],
        report: SyncReport,
        replace: bool,
        derive: tuple[Derivation, ...] = (),
    ) -> None:
        conn = self.conn
        posts, cats, tags, skips = [], [], [], []
        derived: list[list[tuple[str, str, Any]]] = [[] for _ in derive]
        for kind, payload in results:
            if kind == "post":
                row, c, t, values = payload
                if row[0] in report.retried:
                    report.modified.append(row[0])
                posts.append(row)
                cats.extend(c)
                tags.extend(t)
                for out, value in zip(derived, values, strict=True):
                    out.append((row[0], row[-1], value))
            else:
                skips.append(payload)
                report.new_skips.append(Skipped(payload[0], payload[1], payload[2], payload[3]))
        if replace:  # modified files: drop what the index held for them
            changed = [(p[0],) for p in posts] + [(s[0],) for s in skips]
            for table in ("post_categories", "post_tags", "posts", "skipped"):
                conn.executemany(f"DELETE FROM {table} WHERE path = ?", changed)
        conn.executemany(_INSERT_POST, posts)
        conn.executemany("INSERT INTO post_categories VALUES (?, ?, ?)", cats)
        conn.executemany("INSERT INTO post_tags VALUES (?, ?, ?)", tags)
        conn.executemany("INSERT OR REPLACE INTO skipped VALUES (?, ?, ?, ?, ?, ?, ?)", skips)
        for d, rows in zip(derive, derived, strict=True):
            if rows:
                d.store(conn, rows)

    def skipped(self) -> list[Skipped]:
        return [
            Skipped(p, r, ln, c)
            for p, r, ln, c in self.conn.execute(
                "SELECT path, reason, line, col FROM skipped ORDER BY path"
            )
        ]

    # -- reading

    def query(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params))


def _data_version(conn: sqlite3.Connection) -> int:
    """Changes whenever another connection commits to the database (PRAGMA data_version)."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _hash_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(fh.read(), digest_size=16).hexdigest()
    except OSError:
        return ""


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _connect(path: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, timeout=300, isolation_level=None, uri=uri, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _create_schema(conn: sqlite3.Connection, content_dir: Path, force: bool = True) -> None:
    with transaction(conn):
        if not force and _check(conn, content_dir) is None:
            return  # another process built it while this one waited for the lock
        for name, kind in list(
            conn.execute(
                "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ):
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('content_dir', ?)", (str(content_dir),))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _check(conn: sqlite3.Connection, content_dir: Path) -> str | None:
    """Why the index must be (re)built, or None when it is usable as it is."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        return "" if tables == 0 else NO_SCHEMA
    if version != SCHEMA_VERSION:
        newer = "a newer" if version > SCHEMA_VERSION else "an older"
        return f"it has schema version {version}, written by {newer} postctl"
    indexed = meta(conn, "content_dir")
    if indexed != str(content_dir):
        return f"it indexed another content folder ({indexed or 'unknown'})"
    return None


def json_column(text: str) -> Any:
    """A JSON column of ``posts`` (categories, tags, extra, key_lines, problems) decoded; the
    empty list and object, most of them, without the JSON parser."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text)


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value of the ``meta`` table, as text; None when it is not set."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def open_index(
    settings: Settings,
    warn: Callable[[str], None],
    rebuild: bool = False,
) -> Index:
    """Open (creating, migrating or rebuilding as needed) the index. Does not sync."""
    db = settings.db_path
    if not _can_write(db):
        return _in_memory(settings, warn, rebuild)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(str(db))
    except (OSError, sqlite3.OperationalError):
        return _in_memory(settings, warn, rebuild)
    _gitignore(db.parent)
    try:
        return _ready(conn, settings, warn, rebuild, writable=True)
    except sqlite3.DatabaseError as e:
        conn.close()
        if isinstance(e, sqlite3.OperationalError):
            if "locked" in str(e):
                raise IndexError_(
                    f"{settings.rel(db)}: the index is locked by another process"
                ) from None
            if "readonly" in str(e):
                return _in_memory(settings, warn, rebuild)
        return recreate(settings, warn, str(e))


def _in_memory(settings: Settings, warn: Callable[[str], None], rebuild: bool) -> Index:
    """A read-only checkout: answer from a copy of the index in memory, synced there."""
    db = settings.db_path
    warn(f"cannot write the index at {settings.rel(db)}; using a temporary in-memory index")
    mem = _connect(":memory:")
    if db.is_file():
        try:
            src = _connect(f"file:{db}?mode=ro&immutable=1", uri=True)
            src.backup(mem)
            src.close()
        except sqlite3.DatabaseError:
            pass
    return _ready(mem, settings, warn, rebuild, writable=False)


def recreate(settings: Settings, warn: Callable[[str], None], why: str) -> Index:
    """Replace an unreadable index file with a new one, if the file is postctl's to replace."""
    db = settings.db_path
    if not _ours(db):
        raise IndexError_(
            f"{settings.rel(db)}: not a postctl index ({why}); refusing to replace it "
            "(choose another --db)"
        )
    warn(f"index {settings.rel(db)} is unreadable ({why}); rebuilding it")
    _remove_db(db)
    conn = _connect(str(db))
    return _ready(conn, settings, warn, True, writable=True, quiet=True)


def _ours(db: Path) -> bool:
    """May postctl delete or rebuild this file? Only inside .postctl/, or if empty or SQLite."""
    if db.parent.name == ".postctl":
        return True
    try:
        with open(db, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return head in (b"", b"SQLite format 3\x00")


def _ready(
    conn: sqlite3.Connection,
    settings: Settings,
    warn: Callable[[str], None],
    rebuild: bool,
    writable: bool,
    quiet: bool = False,
) -> Index:
    conn.execute("PRAGMA journal_mode = DELETE")
    # Up to 32 MB of pages in memory (SQLite's default is 2 MB): a first full-text build of 10k
    # posts otherwise spills pages to the file and reads them back, 112,000 preads (0.3 s).
    conn.execute("PRAGMA cache_size = -32768")
    why = _check(conn, settings.content_dir)
    if why == NO_SCHEMA and writable and settings.db_path.parent.name != ".postctl":
        raise IndexError_(
            f"{settings.rel(settings.db_path)}: {why}; refusing to replace it (choose another --db)"
        )
    if rebuild or why is not None:
        if why and not quiet:
            warn(f"rebuilding the index {settings.rel(settings.db_path)}: {why}")
        _create_schema(conn, settings.content_dir, force=rebuild)
    return Index(conn, settings, writable, warn)


def _can_write(db: Path) -> bool:
    if db.exists():
        return os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)
    parent = db.parent
    while not parent.exists():
        if parent.parent == parent:
            return False
        parent = parent.parent
    return os.access(parent, os.W_OK)


def _gitignore(folder: Path) -> None:
    if folder.name != ".postctl":
        return
    marker = folder / ".gitignore"
    if not marker.exists():
        with contextlib.suppress(OSError):
            marker.write_text("*\n")


def _remove_db(db: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(str(db) + suffix)
