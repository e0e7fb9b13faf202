"""The times a generator reads from a file rather than its text: Eleventy dates a page with no
``date`` by the file's creation time, and understands ``date: Created``, ``Last Modified``,
``git Created`` and ``git Last Modified``.

- **Created** is Node's ``birthtime``. On Linux, Node asks ``statx(2)`` for the birth time,
  which ext4, btrfs, xfs and tmpfs keep; Python 3.11 has no ``os.statx`` and no
  ``st_birthtime`` on Linux, so it is asked here through libc's ``statx`` (glibc ≥ 2.28).
  Where no birth time can be had (another libc, a file system without one), postctl uses the
  modification time: the closest time it has, and the one a freshly copied file shares with it.
  Eleventy takes the time it runs when the birth time is 0; postctl, the modification time.
  Cost: 9.4 µs a file (230 files of 11ty-website, 2.2 ms, machine at load 5), so the ~135
  posts Eleventy dates this way there add ~1 ms to a full index.
- **Last Modified** is what Eleventy reads, the status-change time (``ctime``), not ``mtime``.
- **git Created / git Last Modified** are the author dates of the commit that added the file
  (``git log --diff-filter=A --follow -1``) and of the last commit that touched it
  (``git log -1``), as Eleventy runs them: one ``git`` process per post that asks for it
  (measured on postctl's own repository, 193 commits: ``git log -1 --format=%at -- FILE``
  3.2 ms a run, 100 runs 0.32 s; with ``--diff-filter=A --follow`` 16 ms, 20 runs 0.32 s).
  That is cheap because only the few posts whose ``date`` names git pay it, once per change.
  A file git does not know (or no git at all) is dated at the time postctl reads it, as
  Eleventy dates it "now".
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import time
from typing import Any

CREATED = "created"
LAST_MODIFIED = "last modified"
GIT_CREATED = "git created"
GIT_LAST_MODIFIED = "git last modified"
WORDS = frozenset({CREATED, LAST_MODIFIED, GIT_CREATED, GIT_LAST_MODIFIED})

_AT_FDCWD = -100
_STATX_BTIME = 0x800


@functools.cache
def _statx() -> tuple[Any, type[Any]] | None:
    """libc's statx and its ``struct statx``, or None where there is none. ctypes is imported
    here, not with the module: every command imports this one (through the Eleventy dialect),
    and ctypes cost 2.5 ms of a warm ``categories``'s start (python -X importtime)."""
    import ctypes
    import ctypes.util

    class _Timestamp(ctypes.Structure):
        _fields_ = [
            ("tv_sec", ctypes.c_int64),
            ("tv_nsec", ctypes.c_uint32),
            ("pad", ctypes.c_int32),
        ]

    class _Statx(ctypes.Structure):
        # struct statx (linux/stat.h): 256 bytes; only stx_mask and stx_btime are read.
        _fields_ = [
            ("stx_mask", ctypes.c_uint32),
            ("stx_blksize", ctypes.c_uint32),
            ("stx_attributes", ctypes.c_uint64),
            ("stx_nlink", ctypes.c_uint32),
            ("stx_uid", ctypes.c_uint32),
            ("stx_gid", ctypes.c_uint32),
            ("stx_mode", ctypes.c_uint16),
            ("pad1", ctypes.c_uint16),
            ("stx_ino", ctypes.c_uint64),
            ("stx_size", ctypes.c_uint64),
            ("stx_blocks", ctypes.c_uint64),
            ("stx_attributes_mask", ctypes.c_uint64),
            ("stx_atime", _Timestamp),
            ("stx_btime", _Timestamp),
            ("stx_ctime", _Timestamp),
            ("stx_mtime", _Timestamp),
            ("rest", ctypes.c_uint64 * 16),
        ]

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.statx
    except (OSError, AttributeError):
        return None
    fn.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_Statx),
    ]
    fn.restype = ctypes.c_int
    return fn, _Statx


def birth_time(path: str) -> float | None:
    """The file's birth time (seconds since the epoch), or None where it cannot be had."""
    birthtime = getattr(os.stat(path), "st_birthtime", None)  # macOS, BSD, Windows
    if birthtime:
        return float(birthtime)
    found = _statx()
    if found is None:
        return None
    import ctypes

    fn, statx_type = found
    buf = statx_type()
    rc = fn(_AT_FDCWD, os.fsencode(path), 0, _STATX_BTIME, ctypes.byref(buf))
    if rc != 0 or not buf.stx_mask & _STATX_BTIME or buf.stx_btime.tv_sec == 0:
        return None
    return float(buf.stx_btime.tv_sec) + float(buf.stx_btime.tv_nsec) / 1e9


def _git_time(path: str, first: bool) -> float | None:
    folder, name = os.path.split(path)
    args = ["git", "log", "-1", "--format=%at"]
    if first:
        args[2:2] = ["--diff-filter=A", "--follow"]
    try:
        out = subprocess.run(
            [*args, "--", name],
            cwd=folder or ".",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return float(out) if out.isdigit() else None


def file_date(path: str, word: str) -> dt.datetime | None:
    """The instant (UTC, milliseconds, as JavaScript keeps it) that ``word`` names for the file
    at ``path``: one of :data:`WORDS`. None when the file cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if word == LAST_MODIFIED:
        seconds = st.st_ctime_ns / 1e9
    elif word == CREATED:
        born = birth_time(path)
        seconds = st.st_mtime_ns / 1e9 if born is None else born
    else:
        committed = _git_time(path, first=word == GIT_CREATED)
        seconds = time.time() if committed is None else committed
    ms = int(seconds * 1000)
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).replace(microsecond=ms % 1000 * 1000)
