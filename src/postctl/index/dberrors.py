"""What an sqlite3 error means to postctl, decided in one place from its error code.

Python names the (extended) result code of every sqlite3 error in ``sqlite_errorname``
(``SQLITE_BUSY``, ``SQLITE_READONLY_DBMOVED``, ...); postctl asks these functions, never the
message text. Callers above the index catch :data:`DatabaseError` from here and so need not
import ``sqlite3`` themselves.
"""

from __future__ import annotations

import sqlite3

from postctl.errors import PostctlError

Error = sqlite3.Error  # the base of every sqlite3 error
DatabaseError = sqlite3.DatabaseError  # every error SQLite reports about a database
OperationalError = sqlite3.OperationalError  # locks, read-only files, bad SQL, full disks, ...


class IndexError_(PostctlError):
    """The index cannot be opened or written."""


def errorname(e: BaseException) -> str:
    """``SQLITE_BUSY``, ``SQLITE_READONLY_DBMOVED``, ...; "" when SQLite gave no code."""
    return getattr(e, "sqlite_errorname", None) or ""


def is_busy(e: BaseException) -> bool:
    """Another connection holds a lock this one waited for in vain ("database is locked")."""
    return errorname(e).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def is_readonly(e: BaseException) -> bool:
    """The file, its folder or the file system cannot be written."""
    return errorname(e).startswith("SQLITE_READONLY")


def is_write_failure(e: BaseException) -> bool:
    """Disk full or an I/O error: the transaction was rolled back, the file is as it was."""
    return errorname(e).startswith(("SQLITE_FULL", "SQLITE_IOERR"))


def is_busy_or_readonly(e: BaseException) -> bool:
    return is_busy(e) or is_readonly(e)
