"""Files a command writes on request (``stats --svg FILE``): replaced atomically, and only when
they are postctl's own.

A file at the named path that does not carry ``mark`` near its start was not written by postctl:
it is left alone and the command fails, rather than overwrite someone's drawing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from postctl.errors import UsageError


def write_own(path: Path, text: str, mark: str, shown: str) -> None:
    """Write ``text`` to ``path`` (temp file + rename in the same folder). An existing file is
    replaced only if ``mark`` is in its first 4 KB."""
    if path.is_dir():
        raise UsageError(f"{shown}: is a folder; name a file to write")
    if os.path.lexists(path):
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
        except OSError as e:
            raise UsageError(f"{shown}: cannot read it to check it is ours: {e.strerror}") from None
        if path.is_symlink() or mark.encode("utf-8") not in head:
            raise UsageError(
                f"{shown}: exists and was not written by postctl; leaving it alone "
                "(remove it or choose another name)"
            )
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{shown}: no folder {folder} to write it in")
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        raise UsageError(f"{shown}: cannot write it: {e.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
