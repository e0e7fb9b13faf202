"""Fixtures for the hostile suite: the generated folder, and postctl run as a real subprocess.

**Running as an unprivileged user.** Permissions are part of the hostile folder (an unreadable
file and folder, a read-only checkout), but root reads and writes through any ``chmod``. So when
the suite runs as root, every postctl subprocess is started through the first of these that works
here (probed once per session):

1. ``setpriv --bounding-set=-dac_override,-dac_read_search``: still uid 0, but without the two
   capabilities that bypass file permissions, so the kernel checks ``rwx`` bits as for anybody
   else. Needs nothing else: the interpreter and the test folder stay readable (root owns them).
2. ``setpriv --reuid=65534 --regid=65534 --clear-groups`` or ``runuser -u nobody --``: another
   user. Only usable where that user can run this interpreter (not when it lives under
   ``/root``, as pyenv puts it); the test folder is then handed to that user (``chown``) and
   the folders above it made traversable (``o+x``) for the test's duration.

When none works (root, no setpriv or runuser), the folder is built without its unreadable
entries and the tests that need permissions skip, saying why. Not as root, nothing is needed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hostile.tree import Tree, build

TIMEOUT = 60  # seconds any one command may take before the test calls it a hang


@dataclass(frozen=True)
class Dropper:
    """How to run a command without the power to ignore file permissions."""

    prefix: tuple[str, ...]
    uid: int | None  # the user it runs as, when not ours: files are handed over to it
    gid: int | None
    how: str


_PROBE = """
import os, sys
import postctl.cli  # the interpreter and postctl are reachable
try:
    open(sys.argv[1]).close()
except PermissionError:
    print(os.getuid(), os.getgid())
else:
    sys.exit("could read a chmod 000 file")
"""


@functools.cache
def find_dropper() -> Dropper | None:
    if os.geteuid() != 0:
        return Dropper((), None, None, "not root: permissions apply")
    candidates: list[tuple[tuple[str, ...], str]] = []
    if shutil.which("setpriv"):
        caps = "-dac_override,-dac_read_search"
        candidates.append(
            (
                ("setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"),
                "setpriv: root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH",
            )
        )
        candidates.append(
            (
                ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                "setpriv: uid 65534",
            )
        )
    if shutil.which("runuser"):
        candidates.append((("runuser", "-u", "nobody", "--"), "runuser: nobody"))
    probe_dir = Path(tempfile.mkdtemp(prefix="postctl-probe-"))
    try:
        probe_dir.chmod(0o755)
        secret = probe_dir / "secret.md"
        secret.write_text("x")
        secret.chmod(0)
        for prefix, how in candidates:
            try:
                proc = subprocess.run(
                    [*prefix, sys.executable, "-c", _PROBE, str(secret)],
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT,
                    cwd="/",
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if proc.returncode != 0:
                continue
            uid, gid = (int(x) for x in proc.stdout.split())
            if uid == 0:
                return Dropper(prefix, None, None, how)
            return Dropper(prefix, uid, gid, how)
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
    return None


NO_DROPPER = (
    "running as root and neither `setpriv` nor `runuser` can run postctl without the power to "
    "ignore file permissions here, so an unreadable or read-only file cannot be made"
)


def need_dropper() -> Dropper:
    dropper = find_dropper()
    if dropper is None:
        pytest.skip(NO_DROPPER)
    return dropper


def _hand_over(root: Path, dropper: Dropper | None) -> Callable[[], None]:
    """Let the dropper's user own ``root`` and reach it; return how to undo the reachability."""
    if dropper is None or dropper.uid is None or dropper.gid is None:
        return lambda: None
    uid, gid = dropper.uid, dropper.gid
    for folder, dirs, files in os.walk(root):
        os.chown(folder, uid, gid, follow_symlinks=False)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)
    changed: list[tuple[Path, int]] = []
    for parent in root.parents:
        mode = stat.S_IMODE(parent.stat().st_mode)
        if not mode & 0o001:
            parent.chmod(mode | 0o001)
            changed.append((parent, mode))

    def undo() -> None:
        for path, mode in changed:
            path.chmod(mode)

    return undo


def _restore_modes(root: Path) -> None:
    """Undo every chmod a test made, so that pytest can delete the folder."""
    if root.is_dir():
        root.chmod(0o755)
    for folder, dirs, files in os.walk(root):  # top-down: each folder is opened before entered
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and os.path.isfile(path):
                os.chmod(path, 0o644)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "light: build the hostile folder without its slowest file (100k keys)"
    )


@pytest.fixture
def hostile(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tree]:
    """The hostile blog in ``tmp_path/blog`` (unreadable entries when they can mean something)."""
    dropper = find_dropper()
    heavy = request.node.get_closest_marker("light") is None
    tree = build(tmp_path / "blog", unreadable=dropper is not None, heavy=heavy)
    undo = _hand_over(tmp_path / "blog", dropper)
    try:
        yield tree
    finally:
        undo()
        _restore_modes(tree.root)


@pytest.fixture
def plain_hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    """The hostile blog without unreadable entries, for in-process tests (made the cwd)."""
    tree = build(tmp_path / "blog", unreadable=False, heavy=False)
    monkeypatch.chdir(tree.root)
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)
    return tree


@dataclass
class Proc:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def postctl_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTCTL_")}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"})
    return env


def postctl_argv(args: Sequence[str], script: bool = False, drop: bool = True) -> list[str]:
    """``python -m postctl ARGS`` (or the console script), as the unprivileged user if needed."""
    dropper = find_dropper() if drop else None
    prefix = list(dropper.prefix) if dropper else []
    console = Path(sys.executable).parent / "postctl"
    if script and console.exists():
        return [*prefix, str(console), *args]
    return [*prefix, sys.executable, "-m", "postctl", *args]


class Runner:
    """Runs postctl in ``cwd`` as a subprocess, bounded by a timeout; never a traceback."""

    def __init__(self, cwd: Path, drop: bool = True) -> None:
        self.cwd = cwd
        self.drop = drop  # through the dropper (see the module docstring), when there is one

    def __call__(
        self,
        *args: str,
        script: bool = False,
        timeout: float = TIMEOUT,
        preexec_fn: Callable[[], Any] | None = None,
        stdin: str | None = None,
    ) -> Proc:
        try:
            proc = subprocess.run(
                postctl_argv(args, script, self.drop),
                cwd=self.cwd,
                env=postctl_env(),
                input=None if stdin is None else stdin.encode("utf-8"),
                capture_output=True,
                timeout=timeout,
                preexec_fn=preexec_fn,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"postctl {' '.join(args)} hung for more than {timeout} s")
        out = proc.stdout.decode("utf-8")
        err = proc.stderr.decode("utf-8")
        assert "Traceback" not in err, f"postctl {' '.join(args)}:\n{err}"
        return Proc(tuple(args), proc.returncode, out, err)

    def popen(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            postctl_argv(args, drop=self.drop),
            cwd=self.cwd,
            env=postctl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )


@pytest.fixture
def postctl(hostile: Tree) -> Runner:
    return Runner(hostile.root)


def sha256_files(paths: Sequence[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def listing(root: Path) -> set[str]:
    """Every entry under root except the index folder, as relative paths (symlinks not followed)."""
    out = set()
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel == ".postctl" or rel.startswith(".postctl" + os.sep):
            continue
        for name in dirs + files:
            out.add(os.path.normpath(os.path.join(rel, name)))
    return out - {".postctl"}


@contextlib.contextmanager
def read_only(*folders: Path) -> Iterator[None]:
    """Make folders (and the folders inside them) read-only for the unprivileged user."""
    changed: list[tuple[Path, int]] = []
    for top in folders:
        for path in [top, *(p for p in top.rglob("*") if p.is_dir() and not p.is_symlink())]:
            mode = path.stat().st_mode & 0o7777
            if mode & 0o222:
                path.chmod(mode & ~0o222)
                changed.append((path, mode))
    try:
        yield
    finally:
        for path, mode in reversed(changed):
            path.chmod(mode)
