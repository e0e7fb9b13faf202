"""Errors postctl raises on purpose; the CLI turns each into one stderr line and an exit code."""

from __future__ import annotations

import errno
from pathlib import Path


class PostctlError(Exception):
    """Base class: a message for the user and the exit code that goes with it."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PostctlError):
    """Bad options or arguments (exit 2)."""


class ConfigError(PostctlError):
    """A configuration file that cannot be used (exit 2)."""


class NotFound(PostctlError):
    """A filter that names nothing that exists: an unknown category, tag or post (exit 1)."""

    exit_code = 1


class PostError(PostctlError):
    """A post that cannot be read or parsed. Carries the path and, where known, line and column."""

    def __init__(
        self, path: Path | str, reason: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(self.location() + ": " + reason)

    def location(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc


def os_reason(
    e: OSError, vanished: str = "file vanished while reading (or a broken symlink)"
) -> str:
    """The words for an OSError met on a post; ``vanished`` is what ENOENT means where it arose
    (reading a file, or listing the folder)."""
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if e.errno == errno.ENOENT:
        return vanished
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.EISDIR:
        return "is a directory, not a file"
    return e.strerror or str(e)
