"""Finding and parsing posts: list the Markdown files of the content folder, parse them on
every core when there are many. Nothing here touches the database; sync.py writes what it yields.

The listing is the floor of every warm command: :func:`scan` takes 3.5 ms for 1,000 files where
a bare ``os.scandir`` with a ``stat`` of each takes 2.6 ms (best of 15). Folder mtimes cannot
replace the ``stat`` of each file: they change when a file is added, removed or renamed, not when
one is edited.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.errors import PostctlError, PostError, os_reason
from postctl.index import workers
from postctl.parse.dialects import POST, Site
from postctl.parse.names import MARKDOWN_SUFFIXES, fold, printable, undecodable
from postctl.parse.record import COLUMNS, PostRecord, Skipped, content_hash, row_of

__all__ = ["Page", "Parsed", "Skipped", "content_hash", "parse_file", "scan"]

if TYPE_CHECKING:
    from postctl.index.sync import Derivation
    from postctl.parse.post import Post
    from postctl.parse.readtime import ReadingTime

PARALLEL_THRESHOLD = 400
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})
BAD_FILE_NAME = "file name is not UTF-8; rename the file"
BAD_FOLDER_NAME = "folder name is not UTF-8; rename the folder"

Compute = Callable[["Post"], Any]  # what a Derivation computes from a parsed post


@dataclass
class Scan:
    files: dict[str, tuple[str, int, int]]  # rel path → (absolute path, size, mtime_ns)
    problems: list[Skipped]  # entries that could not even be listed or stat'ed
    aside: dict[str, int] = field(default_factory=dict)  # kind → content files not posts
    site: Site | None = None  # the site once its files are known (bundles, cascades)


def require_content_folder(content_dir: Path) -> None:
    """The error a scan would give for a content folder that is not there, given before
    anything is written (a failed command leaves no ``.postctl/`` behind)."""
    if not os.path.isdir(content_dir):
        scan(content_dir)  # raises the one message for each case


def scan(content_dir: Path, exclude: list[str] | None = None, site: Site | None = None) -> Scan:
    """List the posts under ``content_dir``, without following symlinked folders: the files
    the site's dialect reads as content (a bare folder: Markdown files), less those its names
    alone say are not posts (section pages, bundle resources), which are counted aside."""
    found = _list(content_dir, exclude, site)
    if site is None:
        return found
    site = site.with_context(list(found.files))
    if site.every_listed_file_is_a_post():
        return Scan(found.files, found.problems, {}, site)
    files: dict[str, tuple[str, int, int]] = {}
    aside: dict[str, int] = {}
    for rel, value in found.files.items():
        kind = site.path_kind(rel)
        if kind == POST:
            files[rel] = value
        elif kind is not None:
            aside[kind] = aside.get(kind, 0) + 1
    return Scan(files, found.problems, aside, site)


def _list(content_dir: Path, exclude: list[str] | None, site: Site | None) -> Scan:
    root = str(content_dir)
    try:
        top = os.scandir(root)
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise PostctlError(
                f"{content_dir}: content folder not found "
                "(set it with --content or 'content' in postctl.toml)"
            ) from None
        raise PostctlError(f"{content_dir}: cannot read content folder: {e.strerror}") from None
    walk = _Walk(os.path.realpath(root), exclude or [])
    if site is not None:
        walk.suffixes, walk.skip = site.dialect.suffixes, SKIP_DIRS | site.dialect.skip_dirs
    walk.folder("", top)
    while walk.stack:
        rel_dir, abs_dir = walk.stack.pop()
        try:
            it = os.scandir(abs_dir)
        except OSError as e:
            walk.problems.append(Skipped(rel_dir, _reason(e) + " (folder)"))  # rel_dir ends in /
            continue
        walk.folder(rel_dir, it)
    return Scan(walk.files, walk.problems)


class _Walk:
    """What :func:`scan` has found so far, and the folders it has still to list."""

    def __init__(self, real_root: str, patterns: list[str]) -> None:
        self.files: dict[str, tuple[str, int, int]] = {}
        self.problems: list[Skipped] = []
        self.stack: list[tuple[str, str]] = []
        self.real_root = real_root
        self.patterns = patterns
        self.suffixes: tuple[str, ...] = MARKDOWN_SUFFIXES
        self.skip: frozenset[str] = SKIP_DIRS

    def folder(self, rel_dir: str, it: Iterator[os.DirEntry[str]]) -> None:
        with it:  # type: ignore[attr-defined]  # a ScandirIterator
            for entry in self._entries(rel_dir, it):
                rel = rel_dir + entry.name
                if self.patterns and any(fnmatch.fnmatch(rel, p) for p in self.patterns):
                    continue
                try:
                    st = self._entry(rel, entry)
                except OSError as e:
                    self.problems.append(Skipped(rel, _reason(e)))
                    continue
                if st is None or stat.S_ISDIR(st.st_mode):
                    continue  # a symlink to a folder inside the tree: it is scanned there
                if not stat.S_ISREG(st.st_mode):
                    self.problems.append(
                        Skipped(rel, "not a regular file (a FIFO, socket or device)")
                    )
                    continue
                self.files[rel] = (entry.path, st.st_size, st.st_mtime_ns)

    def _entries(self, rel_dir: str, it: Iterator[os.DirEntry[str]]) -> Iterator[os.DirEntry[str]]:
        """The entries of a folder; reading the folder can fail halfway (a mounted /proc/1
        denies its ``map_files``): the folder is then named once, with its reason, and the
        rest of it skipped."""
        while True:
            try:
                entry = next(it)
            except StopIteration:
                return
            except OSError as e:
                self.problems.append(Skipped(rel_dir, _reason(e) + " (folder)"))
                return
            yield entry

    def _entry(self, rel: str, entry: os.DirEntry[str]) -> os.stat_result | None:
        """The stat of a Markdown file to index; None for anything else (a folder is stacked,
        a problem noted)."""
        name = entry.name
        is_link = entry.is_symlink()
        if entry.is_dir(follow_symlinks=False):
            if not name.startswith(".") and name not in self.skip:
                if undecodable(name):
                    self.problems.append(Skipped(printable(rel) + "/", BAD_FOLDER_NAME))
                else:
                    self.stack.append((rel + "/", entry.path))
            return None
        if not name.lower().endswith(self.suffixes) or name.startswith("."):
            return None
        if undecodable(name):  # SQLite and the terminal want UTF-8 text
            self.problems.append(Skipped(printable(rel), BAD_FILE_NAME))
            return None
        if is_link:
            target = os.path.realpath(entry.path)
            if not (target + os.sep).startswith(self.real_root + os.sep):
                self.problems.append(Skipped(rel, "symlink points outside the content folder"))
                return None
        return entry.stat()


def _reason(e: OSError) -> str:
    return os_reason(e, vanished="broken symlink or file vanished")


# --------------------------------------------------------------------------- parsing (workers)


def hash_file(path: str) -> str:
    """:func:`content_hash` of a file; "" when it cannot be read, or is no longer a regular
    file (a FIFO swapped in since the scan would block the read for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        with os.fdopen(os.dup(fd), "rb") as fh:
            return content_hash(fh.read())
    except OSError:
        return ""
    finally:
        os.close(fd)


class Parsed:
    """A post the sync parsed: its record, with what the sync's Derivations computed from it.

    The ``posts`` row and the category and tag rows are built where the post was parsed (in a
    worker process, in parallel), and only they travel back: pickling the frozen record instead
    cost 22 µs a post against 4 µs for its row (500 posts of the bench corpus, best of 7), and
    the row would then be built serially. :attr:`record` is rebuilt from the row on demand."""

    __slots__ = ("_record", "categories", "derived", "row", "tags")

    def __init__(
        self,
        row: tuple[Any, ...],
        categories: list[tuple[str, str, str]],
        tags: list[tuple[str, str, str]],
        derived: tuple[Any, ...] = (),
        record: PostRecord | None = None,
    ) -> None:
        self.row = row
        self.categories = categories
        self.tags = tags
        self.derived = derived
        self._record = record

    @classmethod
    def of(
        cls, post: Post, path: str, stamp: tuple[int, int, str], derived: tuple[Any, ...] = ()
    ) -> Parsed:
        """A parsed post at ``path`` with (size, mtime_ns, hash): its rows, the record later."""
        cats = [(path, c, fold(c)) for c in post.categories]
        tags = [(path, t, fold(t)) for t in post.tags]
        return cls(row_of(post, path, *stamp), cats, tags, derived)

    @property
    def record(self) -> PostRecord:
        if self._record is None:
            self._record = PostRecord.from_row(dict(zip(COLUMNS, self.row, strict=True)))
        return self._record

    def __reduce__(self) -> tuple[Any, ...]:
        return (Parsed, (self.row, self.categories, self.tags, self.derived))


@dataclass(frozen=True, slots=True)
class Page:
    """A content file the site's dialect reads and finds not to be a post (a headless Hugo page,
    Eleventy's ``permalink: false``): kept in the ``pages`` table so the sync reads it again
    only when it changes."""

    path: str
    kind: str
    size: int
    mtime_ns: int
    hash: str

    def to_row(self) -> tuple[str, str, int, int, str]:
        return (self.path, self.kind, self.size, self.mtime_ns, self.hash)


def parse_file(
    abs_path: str,
    rel: str,
    max_bytes: int,
    derive: tuple[Compute, ...] = (),
    site: Site | None = None,
    known: tuple[str, ReadingTime] | None = None,
) -> Parsed | Skipped | Page:
    """Parse one file → its record (and the values of ``derive``, the compute functions of the
    sync's Derivations), a :class:`Page` when the site's dialect says it is not a post, or why
    it is skipped. ``known``: a body and its reading-time counts (see parse_text)."""
    from postctl.parse.post import parse_checked, read_file

    inside = _content_root(abs_path, rel)
    try:
        text, data, mtime_ns = read_file(abs_path, max_bytes, inside)
    except PostError as e:
        retry = "permission" in e.reason or "vanished" in e.reason
        size = -1 if retry else _size(abs_path)
        return Skipped(rel, e.reason, e.line, e.column, size, _mtime(abs_path))
    except OSError as e:
        return Skipped(rel, _reason(e), None, None, -1, 0)
    digest = content_hash(data)
    stamp = (len(data), mtime_ns, digest)
    try:
        post = parse_checked(rel, text, site, known=known)  # nothing but PostError escapes it
    except PostError as e:
        return Skipped(rel, e.reason, e.line, e.column, *stamp)
    if post.kind != POST:
        return Page(rel, post.kind, *stamp)
    return Parsed.of(post, rel, stamp, tuple(c(post) for c in derive))


@functools.cache
def _resolved(folder: str) -> str:
    return os.path.realpath(folder)


def _content_root(abs_path: str, rel: str) -> str | None:
    """The resolved content folder ``abs_path`` was scanned in (its path ends with ``rel``):
    the file read must be inside it (see parse.post.read_file)."""
    if not abs_path.endswith(rel):
        return None
    return _resolved(abs_path[: len(abs_path) - len(rel)].rstrip(os.sep) or os.sep)


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
    items: list[tuple[str, str]],
    max_bytes: int,
    derive: tuple[Compute, ...],
    site: Site | None = None,
) -> list[Parsed | Skipped | Page]:
    return [parse_file(a, r, max_bytes, derive, site) for a, r in items]


def parse_batches(
    items: list[tuple[str, str]],
    max_bytes: int,
    derive: tuple[Derivation, ...] = (),
    site: Site | None = None,
) -> Iterator[list[Parsed | Skipped | Page]]:
    """Parse files in batches, on every core when there are many; yields each batch's results
    as it is ready, in order. ``site``: the dialect's rules (pickled to the workers)."""
    computes = tuple(d.compute for d in derive)  # only these travel to the workers
    work = functools.partial(_parse_chunk, max_bytes=max_bytes, derive=computes, site=site)
    size = workers.chunk_size(len(items), per_core=8, smallest=32, largest=256)
    yield from workers.map_chunks(work, items, size, threshold=PARALLEL_THRESHOLD)
