"""The index file: open it (creating, rebuilding or copying it to memory as needed), its
transactions, its ``meta`` values, and :class:`Index`, the open connection commands read from.

Where the rest lives: schema.py declares the tables, scan.py finds and parses posts, sync.py
writes what changed, dberrors.py says what an sqlite3 error means.

Concurrency: the database runs in rollback-journal mode (WAL cannot even be read from a read-only
checkout), writers take ``BEGIN IMMEDIATE`` and every connection waits up to
``LOCK_TIMEOUT`` (5 minutes) for a lock, so two postctl processes queue instead of failing. A
corrupt, zero-byte or other-version index is rebuilt, inside the sync's one transaction: until
it commits, readers see the previous index. The file carries postctl's mark; a file without it
is never written (see :mod:`postctl.index.mark`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.config import Settings
from postctl.index import dberrors, mark, schema
from postctl.index.dberrors import IndexError_
from postctl.index.scan import Skipped, require_content_folder
from postctl.index.schema import SCHEMA_VERSION
from postctl.parse.dialects import Site

if TYPE_CHECKING:
    from postctl.index.sync import Derivation, SyncReport

__all__ = ["SCHEMA_VERSION", "Index", "IndexError_", "open_index", "transaction"]

NO_SCHEMA = "it has tables but no postctl schema"
LOCK_TIMEOUT = 300  # seconds a connection waits for another process's lock
# A progress bar's (start(total), advance(n)) calls, or Nones.
Bar = tuple[Callable[[int], None] | None, Callable[[int], None] | None]


class Index:
    """An open index. Use :func:`open_index` (or :func:`open_synced`)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: Settings,
        writable: bool,
        warn: Callable[[str], None],
        rebuild: bool | str = False,
    ) -> None:
        self.conn = conn
        self.settings = settings
        self.site: Site | None = settings.site  # with its files' context once synced
        self.aside: dict[str, int] = {}  # kind → content files the last scan set aside
        self.writable = writable
        self.warn = warn
        # True: the next sync rebuilds from nothing, inside its one transaction; "if-stale":
        # only if the index still needs it once the write lock is held (another process may
        # have built it meanwhile). See sync.sync.
        self.rebuild = rebuild
        self.scan_started_ns = 0  # when the last sync.diff began listing the folder
        shown = settings.rel(settings.content_dir)
        if os.path.isabs(shown) and Path.cwd().resolve().is_relative_to(settings.content_dir):
            shown = os.path.relpath(settings.content_dir)  # deeper inside it: ../a.md, as git
        # prefix of a post's path as shown to the user ("" when the content folder is here)
        self.shown_content = "" if shown == "." else shown.rstrip(os.sep) + "/"

    def close(self) -> None:
        self.conn.close()

    def sync(
        self,
        progress: Callable[[int], None] | None = None,
        on_start: Callable[[int], None] | None = None,
        derive: tuple[Derivation, ...] = (),
        written: dict[str, bytes] | None = None,
    ) -> SyncReport:
        """Bring the index up to date with the content folder (see sync.sync)."""
        from postctl.index import sync

        return sync.sync(self, progress, on_start, derive, written)

    def generation(self) -> str | None:
        """Changes whenever a sync adds, changes or removes posts: caches built from the posts
        table (the full-text index) note the generation they are in step with."""
        return meta(self.conn, "generation")

    def ensure_writable(self) -> None:
        """A file that opened but cannot be written (read-only file system): go on in memory."""
        if not self.writable:
            return
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if has_meta is None:
            return  # a file this process just created: writable
        try:
            with transaction(self.conn):
                self.conn.execute("UPDATE meta SET value = value WHERE key = 'content_dir'")
        except sqlite3.OperationalError as e:
            if not dberrors.is_readonly(e):
                raise
            self.warn(
                f"cannot write the index at {self.settings.rel(self.settings.db_path)}; "
                "using a temporary in-memory index"
            )
            mem = _connect(":memory:")
            self.conn.backup(mem)
            self.conn.close()
            self.conn, self.writable = mem, False

    def skipped(self) -> list[Skipped]:
        return [
            Skipped(p, r, ln, c)
            for p, r, ln, c in self.conn.execute(
                "SELECT path, reason, line, col FROM skipped ORDER BY path"
            )
        ]

    def count_posts(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM posts").fetchone()[0])

    def not_posts(self) -> dict[str, int]:
        """Content files that are not posts, by kind: those the last scan set aside by name
        (section pages, bundle resources) and those the sync read (headless pages...)."""
        counts = dict(self.aside)
        for kind, n in self.conn.execute("SELECT kind, count(*) FROM pages GROUP BY kind"):
            counts[kind] = counts.get(kind, 0) + n
        return dict(sorted(counts.items()))

    def query(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params))


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


@contextlib.contextmanager
def busy_timeout(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Wait at most ``seconds`` for a lock inside the block (for work not worth waiting for),
    then as long as before."""
    (before,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(before)}")


def _connect(path: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, timeout=LOCK_TIMEOUT, isolation_level=None, uri=uri, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def create_schema(conn: sqlite3.Connection, content_dir: Path) -> None:
    """Drop everything and create the schema, with postctl's mark, inside the caller's
    transaction: the sync fills it before the one commit (see sync.sync)."""
    schema.create(conn)
    conn.execute("INSERT INTO meta VALUES ('content_dir', ?)", (str(content_dir),))
    conn.execute("INSERT INTO meta VALUES ('application', 'postctl')")
    conn.execute(f"PRAGMA application_id = {mark.APPLICATION_ID}")
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
    require_content_folder(settings.content_dir)  # before .postctl/ is made
    _refuse_unowned(settings)
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
        if dberrors.is_busy(e):
            raise IndexError_(
                f"{settings.rel(db)}: the index is locked by another process"
            ) from None
        if dberrors.is_readonly(e):
            return _in_memory(settings, warn, rebuild)
        return recreate(settings, warn, str(e))


def open_synced(
    settings: Settings,
    warn: Callable[[str], None],
    rebuild: bool = False,
    derive: tuple[Derivation, ...] = (),
    bar: Callable[[], contextlib.AbstractContextManager[Bar]] | None = None,
) -> tuple[Index, SyncReport]:
    """Open the index and bring it up to date with the content folder (``derive``: what else
    to compute for each post parsed, see sync.Derivation). An index that turns out unreadable
    while syncing is rebuilt; one that cannot be written (disk full, I/O error) is left as it
    was, with an error. ``bar``: a progress bar, (start(total), advance(n)), around the sync."""
    ix = open_index(settings, warn, rebuild=rebuild)
    try:
        with bar() if bar else contextlib.nullcontext((None, None)) as (start, advance):
            report = ix.sync(progress=advance, on_start=start, derive=derive)
    except sqlite3.DatabaseError as e:
        if dberrors.is_busy(e):
            raise
        ix.close()
        if dberrors.is_write_failure(e):
            # The transaction was rolled back and the index is as it was. Rebuilding would
            # delete it and fail the same way.
            raise IndexError_(
                f"cannot update the index {settings.rel(settings.db_path)} ({e}); "
                "it is left as it was"
            ) from None
        ix = recreate(settings, warn, str(e))
        report = ix.sync(derive=derive)
    if ix.writable:  # after the sync, which may have rebuilt the schema
        _note_view_settings(ix.conn, settings)
    return ix, report


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
    if mark.owner(db) is mark.Owner.FOREIGN:
        raise IndexError_(
            f"{settings.rel(db)}: not a postctl index ({why}); refusing to replace it "
            "(choose another --db)"
        )
    warn(f"index {settings.rel(db)} is unreadable ({why}); rebuilding it")
    _remove_db(db)
    conn = _connect(str(db))
    return _ready(conn, settings, warn, True, writable=True, quiet=True)


def _refuse_unowned(settings: Settings) -> None:
    """One line, exit 2, and the file untouched, for an index path postctl must not write:
    inside the content folder (a post would become a database), or a file without postctl's
    mark (another program's database, a text file; see :mod:`postctl.index.mark`)."""
    db = settings.db_path
    if mark.among_posts(db, settings.content_dir):
        raise IndexError_(
            f"{settings.rel(db)}: the index cannot be inside the content folder "
            f"{settings.rel(settings.content_dir)}; choose another --db"
        )
    _refuse_odd_companions(settings)
    if mark.owner(db) is mark.Owner.FOREIGN:
        raise IndexError_(
            f"{settings.rel(db)}: not a postctl index (no postctl mark); refusing to use or "
            "replace it (choose another --db)"
        )


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
    if why == "" and not rebuild:  # a new, empty file: nobody reads anything from it yet
        with transaction(conn):
            if _check(conn, settings.content_dir) == "":  # not built meanwhile by another
                create_schema(conn, settings.content_dir)
    elif rebuild or why is not None:
        if why and not quiet:
            warn(f"rebuilding the index {settings.rel(settings.db_path)}: {why}")
        # Rebuilt by the first sync, in its one transaction: until it commits, other processes
        # go on reading the previous index, never an empty or half-filled one.
        return Index(conn, settings, writable, warn, rebuild=True if rebuild else "if-stale")
    return Index(conn, settings, writable, warn)


def _note_view_settings(conn: sqlite3.Connection, settings: Settings) -> None:
    """Keep the reading speed, the content folder as shown from the project root and whether
    the generator schedules posts in meta, where the views read them; written only when they
    changed (three reads otherwise)."""
    prefix = os.path.relpath(settings.content_dir, settings.root).replace(os.sep, "/")
    site = settings.site
    wanted = {
        "wpm": str(settings.wpm),
        "content_prefix": "" if prefix == "." else prefix + "/",
        "schedules": "1" if site is not None and site.dialect.schedules else "0",
    }
    if all(meta(conn, k) == v for k, v in wanted.items()):
        return
    with transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(wanted.items()))


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


_COMPANIONS = ("-journal", "-wal", "-shm")


def _refuse_odd_companions(settings: Settings) -> None:
    """SQLite keeps ``index.db-journal`` (and -wal, -shm) beside the index. One that is not a
    regular file (a folder by that name) makes every open fail as if the index were corrupt;
    say so instead, and touch nothing."""
    for suffix in ("", *_COMPANIONS):
        path = str(settings.db_path) + suffix
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise IndexError_(
                f"{settings.rel(Path(path))}: {kind}, where SQLite keeps the index"
                f"{' journal' if suffix else ''}; remove or rename it"
            )


def _remove_db(db: Path) -> None:
    """Remove the index and its journal files: regular files only, never a folder."""
    for suffix in ("", *_COMPANIONS):
        path = str(db) + suffix
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(os.lstat(path).st_mode):
                raise IndexError_(f"{path}: not a regular file; refusing to remove it")
            os.remove(path)
