"""The index never goes stale (issue #15, item 6): racy-clean edits, and settings that decide what
is indexed."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import post_text, write


def test_an_edit_in_the_same_second_as_the_sync_with_the_same_size_is_seen(
    blog: Path, run: Callable[..., Any]
) -> None:
    """A file system with 1-second timestamps: the edit keeps the size and the mtime."""
    post = write(blog / "articles/a.md", post_text("Alpha"))
    second = (time.time_ns() // 10**9 + 2) * 10**9  # a whole second, not before the sync
    os.utime(post, ns=(second, second))
    assert run("list", "--format", "paths").stdout == "articles/a.md\n"
    write(post, post_text("Omega"))  # same length as "Alpha"
    os.utime(post, ns=(second, second))
    res = run("list", "--format", "json")
    assert '"title": "Omega"' in res.stdout
    assert run("index").stdout.startswith("+0 ~0 -0")


def test_a_file_older_than_the_last_sync_is_not_read_again(
    blog: Path, run: Callable[..., Any], monkeypatch: Any
) -> None:
    from postctl.index import sync

    post = write(blog / "articles/a.md", post_text("Alpha"))
    old = (time.time_ns() // 10**9 - 60) * 10**9
    os.utime(post, ns=(old, old))
    assert run("index").exit_code == 0
    hashed: list[str] = []
    real = sync.hash_file
    monkeypatch.setattr(sync, "hash_file", lambda p: hashed.append(p) or real(p))
    assert run("index").stdout.startswith("+0 ~0 -0")
    assert hashed == []


def test_a_setting_that_decides_what_is_indexed_rechecks_the_files(
    blog: Path, run: Callable[..., Any]
) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    config = blog / "postctl.toml"
    config.write_text("max-file-mb = 0\n")
    res = run("list", "--format", "paths")
    assert res.stdout == ""
    assert "over the limit" in res.stderr
    config.write_text("")
    res = run("list", "--format", "paths")
    assert (res.stdout, res.stderr) == ("articles/a.md\n", "")
    config.write_text("max-file-mb = 0\n")
    assert run("list", "--format", "paths").stdout == ""


def test_a_racily_clean_file_found_unchanged_is_hashed_once(
    blog: Path, run: Callable[..., Any], monkeypatch: Any
) -> None:
    """Its second is over: the sync that confirmed it notes its own start, and the next ones
    stop hashing it (a folder written just before its first index is not hashed for ever)."""
    import sqlite3

    from postctl.index import sync

    post = write(blog / "articles/a.md", post_text("Alpha"))
    second = (time.time_ns() // 10**9 - 10) * 10**9
    os.utime(post, ns=(second, second))
    assert run("index").exit_code == 0
    conn = sqlite3.connect(blog / ".postctl/index.db")
    with conn:  # as if that sync had started in the very second the file was written
        conn.execute("UPDATE meta SET value = ? WHERE key = 'scan_started_ns'", (str(second),))
    conn.close()
    hashed: list[str] = []
    real = sync.hash_file
    monkeypatch.setattr(sync, "hash_file", lambda p: hashed.append(p) or real(p))
    assert run("index").stdout.startswith("+0 ~0 -0")
    assert len(hashed) == 1
    assert run("index").stdout.startswith("+0 ~0 -0")
    assert len(hashed) == 1
