"""Names that are not UTF-8 (a post copied from an old Latin-1 system, a name typed in a Latin-1
shell): skipped or refused with one line, never a UnicodeEncodeError from SQLite or the terminal.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import post_text, write

from postctl.config import load_settings
from postctl.index.store import open_index

LATIN1_NAME = os.fsdecode(b"caf\xe9.md")  # what os.scandir gives for these bytes


def test_scan_skips_names_that_are_not_utf8(blog: Path) -> None:
    write(blog / "articles/good.md", post_text("Good"))
    write(blog / "articles" / LATIN1_NAME, post_text("Latin-1 name"))
    write(blog / "articles" / os.fsdecode(b"d\xe9j\xe0") / "inside.md", post_text("Inside"))
    os.mkfifo(blog / "articles" / os.fsdecode(b"f\xe9.md"))
    ix = open_index(load_settings(cwd=blog), lambda _m: None)
    report = ix.sync()
    assert sorted(str(s) for s in report.new_skips) == [
        "caf\\xe9.md: file name is not UTF-8; rename the file",
        "d\\xe9j\\xe0/: folder name is not UTF-8; rename the folder",
        "f\\xe9.md: file name is not UTF-8; rename the file",
    ]
    assert [r[0] for r in ix.conn.execute("SELECT path FROM posts")] == ["good.md"]


def test_an_unreadable_folder_is_named_with_one_slash(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root a chmod cannot make it unreadable: os.scandir itself says EACCES."""
    from postctl.index.scan import scan

    (blog / "articles/sub/locked").mkdir(parents=True)
    real_scandir = os.scandir

    def refuse(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)  # the os module postctl.index.scan uses
    problems = scan(blog / "articles").problems
    monkeypatch.undo()
    assert [str(p) for p in problems] == ["sub/locked/: permission denied (folder)"]


def test_an_argument_that_is_not_utf8_is_refused(blog: Path, run: Callable[..., Any]) -> None:
    write(blog / "articles/good.md", post_text("Good"))
    for args in (
        ["check", f"articles/{LATIN1_NAME}"],
        ["show", LATIN1_NAME],
        ["list", "--category", os.fsdecode(b"caf\xe9")],
        ["search", os.fsdecode(b"caf\xe9")],
    ):
        res = run(*args)
        assert res.exit_code == 2, args
        shown = args[-1].encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
        assert res.stderr.splitlines() == [
            f'postctl: error: the argument "{shown}" is not valid UTF-8 text'
        ], args
