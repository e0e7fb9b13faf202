"""Atomic file replacement: a reader, a crash or a kill sees the old file or the new one.

The new bytes go to a hidden temporary file in the post's own folder (same file system, so the
rename is atomic), get the old file's mode, are flushed to disk, and only then is the original
compared once more with the bytes the edit was planned from: if anything changed it meanwhile
(an editor saved it), the temporary file is removed and :class:`Changed` raised. Then one
``rename`` puts the new file in place. A kill before the rename leaves the original untouched and
at most a ``.NAME.*.postctl~`` file beside it (a dot file: never indexed).

A move (``mv``, Jekyll's ``_drafts/`` → ``_posts/``) links the temporary file to the new name,
which fails if that name exists, so nothing is replaced; then removes the old name. A kill
between the two leaves both names, never neither.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile

from postctl.errors import PostctlError


class Changed(PostctlError):
    """The file is not what the edit was planned from (exit 1)."""

    exit_code = 1


def digest(data: bytes) -> str:
    """The content hash the index keeps for a file (blake2b, 16 bytes)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _current(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def _temp(path: str, data: bytes, mode: int) -> str:
    folder, name = os.path.split(path)
    fd, tmp = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".postctl~")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def replace(path: str, data: bytes, expected: str, new_path: str | None = None) -> None:
    """Replace the file at ``path`` (whose content hash must still be ``expected``) with
    ``data``, at ``new_path`` when given (which must not exist)."""
    st = os.lstat(path)
    tmp = _temp(new_path or path, data, st.st_mode & 0o7777)
    try:
        now = _current(path)
        if now is None or digest(now) != expected:
            raise Changed(f"{path}: changed since it was read; not edited")
        if new_path is None:
            os.replace(tmp, path)
            return
        os.link(tmp, new_path)  # fails if new_path exists: nothing is ever replaced
        os.unlink(path)
    except FileExistsError:
        raise PostctlError(f"{new_path}: exists already; not replaced") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
