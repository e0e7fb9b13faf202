"""postctl's mark on its index files, and the rule for which files postctl may write.

An index is a cache, so postctl rebuilds one freely, but only its own: ``--db``, ``POSTCTL_DB`` or
the ``db`` setting pointing at another program's SQLite file, or at a post, must never cost that
file. The mark is SQLite's own field for this, ``PRAGMA application_id`` (a 32-bit number in the
file header, read here without opening the database), plus ``meta.application = 'postctl'``.

A file is postctl's to create, migrate, rebuild or delete when it does not exist, when it is a
SQLite database carrying the mark, when it is an index of an earlier postctl (written before the
mark existed: it has postctl's ``meta`` table naming a content folder and a ``posts`` table), or
when it sits in a ``.postctl`` folder and is not a readable database at all (zero bytes, or
corrupt beyond its header). Anything else (another program's database whatever its version, a
post, a text file) is refused with one line, and left exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
from enum import Enum
from pathlib import Path

APPLICATION_ID = 0x506F5354  # "PoST"
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER = 100  # bytes of the SQLite file header


class Owner(Enum):
    NONE = "no file yet"
    OURS = "postctl's index"
    LEGACY = "an index of an earlier postctl, without the mark"
    BROKEN = "postctl's folder, an unreadable file"
    FOREIGN = "not a postctl index"


def header(path: Path) -> bytes | None:
    """The first 100 bytes of the file (fewer when it is shorter); None when it does not exist."""
    try:
        with open(path, "rb") as fh:
            return fh.read(HEADER)
    except FileNotFoundError:
        return None


def application_id(head: bytes) -> int | None:
    """The application_id of a SQLite header, or None when it is not one."""
    if len(head) < HEADER or not head.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(head[68:72], "big")


def owner(path: Path) -> Owner:
    """Whose file is at ``path`` (see the module docstring)."""
    try:
        head = header(path)
    except OSError:
        return Owner.FOREIGN  # cannot even be read: not something to replace
    if head is None:
        return Owner.NONE
    app = application_id(head)
    if app == APPLICATION_ID:
        return Owner.OURS
    in_our_folder = path.parent.name == ".postctl"
    if app is None:
        return Owner.BROKEN if in_our_folder else Owner.FOREIGN
    if app == 0 and _legacy(path):
        return Owner.LEGACY
    return Owner.FOREIGN


def _legacy(path: Path) -> bool:
    """An index written by postctl before the mark: a ``meta`` table with ``content_dir`` and a
    ``posts`` table. Read through a read-only connection; nothing is written."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        tables = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'posts')"
            )
        }
        if tables != {"meta", "posts"}:
            return False
        row = conn.execute("SELECT 1 FROM meta WHERE key = 'content_dir'").fetchone()
        return row is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def among_posts(path: Path, folder: Path) -> bool:
    """Is ``path`` (resolved, as far as it exists) inside the content ``folder``, where a post
    could be? A dot folder in between (``.postctl/`` with ``--content .``) is not: the scan
    never enters one."""
    real = os.path.realpath(path)
    top = os.path.realpath(folder).rstrip(os.sep)
    if real != top and not real.startswith(top + os.sep):
        return False
    folders = real[len(top) + 1 :].split(os.sep)[:-1]
    return not any(part.startswith(".") for part in folders)
