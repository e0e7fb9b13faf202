"""Finding and parsing posts: list the Markdown files of the content folder, parse them on
every core when there are many. Nothing here touches the database; sync.py writes what it yields.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.errors import PostctlError, PostError, os_reason
from postctl.index import workers
from postctl.parse.names import MARKDOWN_SUFFIXES, fold, printable, undecodable

if TYPE_CHECKING:
    from postctl.index.sync import Derivation
    from postctl.parse.post import Post

PARALLEL_THRESHOLD = 400
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})
BAD_FILE_NAME = "file name is not UTF-8; rename the file"
BAD_FOLDER_NAME = "folder name is not UTF-8; rename the folder"

Compute = Callable[["Post"], Any]  # what a Derivation computes from a parsed post


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
class Scan:
    files: dict[str, tuple[str, int, int]]  # rel path → (absolute path, size, mtime_ns)
    problems: list[Skipped]  # entries that could not even be listed or stat'ed


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


def content_hash(data: bytes) -> str:
    """The hash the index keeps of a file's bytes (posts.hash): blake2b, 16 bytes, hex."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def hash_file(path: str) -> str:
    """:func:`content_hash` of a file; "" when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return content_hash(fh.read())
    except OSError:
        return ""


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
    digest = content_hash(data)
    stamp = (len(data), mtime_ns, digest)
    try:
        post = parse_text(rel, text)
    except PostError as e:
        return "skip", (rel, e.reason, e.line, e.column, *stamp)
    except RecursionError:
        return "skip", (rel, "front matter is nested too deeply", None, None, *stamp)
    except Exception as e:  # noqa: BLE001 - a parser bug must not stop the sync
        return "skip", (rel, f"cannot parse: {type(e).__name__}: {e}", None, None, *stamp)
    cats = [(rel, c, fold(c)) for c in post.categories]
    tags = [(rel, t, fold(t)) for t in post.tags]
    return "post", (_post_row(rel, post, stamp), cats, tags, [c(post) for c in derive])


def _post_row(rel: str, post: Post, stamp: tuple[int, int, str]) -> tuple[Any, ...]:
    """A parsed post as a row of ``posts``, in the order of schema.POST_COLUMNS."""
    problems = [[p.rule, p.message, p.line, p.column, p.severity] for p in post.problems]
    return (
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
        *stamp,
    )


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
