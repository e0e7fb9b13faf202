from __future__ import annotations

import functools
import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from postctl.cli import app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """postctl's per-user cache (the NLTK dictionary, the word cache) in a folder of this test
    session: tests neither read nor write the developer's ~/.cache, and start from nothing."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(scope="session", autouse=True)
def _build_the_command_once() -> Iterator[None]:
    """typer's ``CliRunner.invoke`` turns the Typer app into a click command on every call: 50 ms
    of signature inspection (measured on the 2-core machine, against 1 ms for ``postctl
    --version`` itself), most of an in-process run and ~40 % of the suite's CPU. A process of
    postctl builds it once; so do the tests, once per session. The command is the same object
    typer would build (``typer.main.get_command``), and each invoke still gets a new context."""
    original = typer.testing._get_command
    cached = functools.cache(original)
    typer.testing._get_command = cached
    try:
        yield
    finally:
        typer.testing._get_command = original


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def post_text(
    title: str = "A post",
    date: str = "2025-01-02",
    category: str = "Performance",
    tags: tuple[str, ...] = ("redis",),
    description: str = "What the post is about.",
    body: str = "Some words of prose here.\n",
    extra: str = "",
) -> str:
    tag_list = ", ".join(f'"{t}"' for t in tags)
    fm = (
        f'title: "{title}"\ndate: {date}\ncategory: "{category}"\n'
        f'description: "{description}"\ntags: [{tag_list}]\n'
    )
    return f"---\n{fm}{textwrap.dedent(extra)}---\n{body}"


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty blog folder (articles/ inside), made the working directory."""
    (tmp_path / "articles").mkdir()
    monkeypatch.chdir(tmp_path)
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI in-process, stdout and stderr apart, 80 columns, no colour."""

    def _run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        full_env = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}
        full_env.update(env or {})
        res = runner.invoke(app, list(args), env=full_env, input=input, catch_exceptions=False)
        return Result(res.exit_code, res.stdout, res.stderr)

    return _run


def bump_mtime(path: Path, seconds: int = 5) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def deny_writes_under(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Answer as the kernel answers a user who may not write in ``folder`` (``chmod a-w``):
    ``os.access(path, W_OK)`` is False for the folder and everything in it, and ``os.open`` for
    writing there raises ``PermissionError``. For tests that root, who writes through any
    ``chmod``, would otherwise skip; CI runs as root."""
    import errno

    top = os.path.realpath(folder)
    real_access, real_open = os.access, os.open

    def inside(path: Any) -> bool:
        real = os.path.realpath(os.fspath(path))
        return real == top or real.startswith(top + os.sep)

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and inside(path):
            return False
        return real_access(path, mode, *args, **kwargs)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        if flags & writing and inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "open", open_)
