"""Processes: a worker killed during a sync (issue #15, item 3)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import bump_mtime, post_text, write

from postctl.index import scan, workers


def _killed_on_p0300(items: list[tuple[str, str]], *args: Any, **kwargs: Any) -> Any:
    """scan._parse_chunk, but the worker that gets p0300.md is killed (module level: the pool
    pickles it by name)."""
    if any(rel == "p0300.md" for _, rel in items):
        os.kill(os.getpid(), signal.SIGKILL)
    return _real_parse_chunk(items, *args, **kwargs)


_real_parse_chunk = scan._parse_chunk


@pytest.mark.skipif(workers.cores() < 2, reason="workers run only with a second core")
def test_a_killed_worker_leaves_the_index_as_it_was(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    n = scan.PARALLEL_THRESHOLD + 50
    for i in range(n):
        write(blog / f"articles/p{i:04}.md", post_text(f"Old {i}"))
    assert run("index").exit_code == 0
    before = json.loads(run("list", "--format", "json").stdout)
    for i in range(n):
        path = blog / f"articles/p{i:04}.md"
        write(path, post_text(f"New {i}"))
        bump_mtime(path)
    monkeypatch.setattr(scan, "_parse_chunk", _killed_on_p0300)
    res = run("index")
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: a worker process died (killed, or out of memory); nothing was changed\n"
    )
    monkeypatch.setattr(scan, "_parse_chunk", _real_parse_chunk)
    # Nothing was written: the index file still holds the old titles.
    with contextlib.closing(sqlite3.connect(blog / ".postctl/index.db")) as conn:
        titles = {t for (t,) in conn.execute("SELECT title FROM posts")}
    assert titles == {r["title"] for r in before}
    assert {r["title"] for r in json.loads(run("list", "--format", "json").stdout)} == {
        f"New {i}" for i in range(n)
    }
