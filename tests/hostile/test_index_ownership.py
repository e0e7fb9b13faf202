"""The index: files that are not postctl's are never written (issue #15, item 1), and a rebuild
never makes another command answer wrongly (item 5)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import post_text, write

from hostile.conftest import TIMEOUT, postctl_env
from postctl.index import mark
from postctl.index.store import SCHEMA_VERSION


def foreign_db(path: Path, user_version: int) -> bytes:
    """Another program's SQLite file: a users table, a user_version of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users (name) VALUES ('ada')")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("user_version", [0, 3, SCHEMA_VERSION, 7])
@pytest.mark.parametrize("how", ["flag", "env", "config"])
@pytest.mark.parametrize("rebuild", [False, True], ids=["list", "index --rebuild"])
def test_another_programs_database_is_never_written(
    blog: Path, run: Callable[..., Any], user_version: int, how: str, rebuild: bool
) -> None:
    write(blog / "articles/a.md", post_text())
    other = blog / "app/data.db"
    before = foreign_db(other, user_version)
    args = ["index", "--rebuild"] if rebuild else ["list"]
    env = {}
    if how == "flag":
        args = ["--db", "app/data.db", *args]
    elif how == "env":
        env["POSTCTL_DB"] = "app/data.db"
    else:
        (blog / "postctl.toml").write_text('db = "app/data.db"\n')
    res = run(*args, env=env)
    assert (res.exit_code, res.stderr) == (
        2,
        "postctl: error: app/data.db: not a postctl index (no postctl mark); refusing to use "
        "or replace it (choose another --db)\n",
    )
    assert other.read_bytes() == before
    assert sorted(p.name for p in other.parent.iterdir()) == ["data.db"]


@pytest.mark.parametrize("content", [b"", b"hello\n", b"---\ntitle: A\n---\n"])
def test_an_index_path_inside_the_content_folder_is_refused(
    blog: Path, run: Callable[..., Any], content: bytes
) -> None:
    post = blog / "articles/empty.md"
    post.write_bytes(content)
    res = run("--db", "articles/empty.md", "list")
    assert (res.exit_code, res.stderr) == (
        2,
        "postctl: error: articles/empty.md: the index cannot be inside the content folder "
        "articles; choose another --db\n",
    )
    assert post.read_bytes() == content
    res = run("--db", "articles/new.db", "index")
    assert res.exit_code == 2 and "inside the content folder" in res.stderr
    assert not (blog / "articles/new.db").exists()


def test_a_file_outside_dot_postctl_without_the_mark_is_refused_even_empty(
    blog: Path, run: Callable[..., Any]
) -> None:
    notes = blog / "notes.md"
    notes.write_bytes(b"")
    res = run("--db", "notes.md", "list")
    assert res.exit_code == 2 and "not a postctl index" in res.stderr
    assert notes.read_bytes() == b""


def test_postctl_marks_its_index(blog: Path, run: Callable[..., Any]) -> None:
    write(blog / "articles/a.md", post_text())
    assert run("--db", "elsewhere/my.db", "index").exit_code == 0
    db = blog / "elsewhere/my.db"
    assert mark.application_id((db.read_bytes())[:100]) == mark.APPLICATION_ID
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone() == (
        "postctl",
    )
    conn.close()
    # Marked, so postctl may rebuild it later, wherever it is.
    res = run("--db", "elsewhere/my.db", "index", "--rebuild")
    assert res.exit_code == 0, res.stderr


def test_an_index_of_an_earlier_postctl_is_rebuilt_and_marked(
    blog: Path, run: Callable[..., Any]
) -> None:
    """Written before the mark existed: user_version 2, meta.content_dir, a posts table."""
    write(blog / "articles/a.md", post_text("Alpha"))
    db = blog / ".postctl/index.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('content_dir', '/somewhere')")
    conn.execute("CREATE TABLE posts (path TEXT PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    res = run("list", "--format", "paths")
    assert res.stdout == "articles/a.md\n"
    assert res.stderr == (
        "postctl: warning: rebuilding the index .postctl/index.db: it has schema version 2, "
        "written by an older postctl\n"
    )
    assert mark.owner(db) is mark.Owner.OURS


def test_owner_reads_the_header_only(tmp_path: Path) -> None:
    assert mark.owner(tmp_path / "none.db") is mark.Owner.NONE
    foreign_db(tmp_path / "x.db", 7)
    assert mark.owner(tmp_path / "x.db") is mark.Owner.FOREIGN
    (tmp_path / ".postctl").mkdir()
    (tmp_path / ".postctl/index.db").write_bytes(b"garbage" * 100)
    assert mark.owner(tmp_path / ".postctl/index.db") is mark.Owner.BROKEN
    foreign_db(tmp_path / ".postctl/other.db", 7)  # a real database: not ours, even here
    assert mark.owner(tmp_path / ".postctl/other.db") is mark.Owner.FOREIGN


# --------------------------------------------------------------------------- item 5

PAUSED_REBUILD = """
import os, sys, time
from postctl.index import sync
real = sync.write_batch
def write_then_wait(*a, **k):
    real(*a, **k)  # the new rows are written, the transaction is open
    open("paused", "w").close()
    while not os.path.exists("go"):
        time.sleep(0.05)
sync.write_batch = write_then_wait
from postctl.cli import main
sys.argv = ["postctl", "index", "--rebuild"]
main()
"""


def test_readers_see_the_old_index_while_a_rebuild_runs(blog: Path) -> None:
    for i in range(5):
        write(blog / f"articles/p{i}.md", post_text(f"Old {i}"))

    def postctl(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "postctl", *args],
            cwd=blog, env=postctl_env(), capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip

    assert postctl("index").returncode == 0
    rebuild = subprocess.Popen(
        [sys.executable, "-c", PAUSED_REBUILD], cwd=blog, env=postctl_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT
        while not (blog / "paused").exists():
            assert rebuild.poll() is None, rebuild.communicate()
            assert time.monotonic() < deadline, "the rebuild never reached its first batch"
            time.sleep(0.05)
        # Mid-rebuild: the schema is dropped and re-made in the rebuild's open transaction.
        listed = postctl("list", "--format", "paths")
        assert (listed.returncode, listed.stderr) == (0, "")
        assert sorted(listed.stdout.splitlines()) == [f"articles/p{i}.md" for i in range(5)]
        # Never read as empty by a plain SQLite reader either.
        conn = sqlite3.connect(blog / ".postctl/index.db", timeout=0)
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (5,)
        conn.close()
    finally:
        (blog / "go").touch()
        out, err = rebuild.communicate(timeout=TIMEOUT)
    assert rebuild.returncode == 0, err
    assert out.startswith("+5 ~0 -0  5 posts indexed")
    searched = postctl("search", "words", "--format", "paths")
    assert searched.returncode == 0 and len(searched.stdout.splitlines()) == 5


def test_the_index_file_is_not_written_until_the_rebuild_commits(blog: Path) -> None:
    """The empty schema was committed before the fill: a reader then saw 0 posts."""
    from postctl.config import load_settings
    from postctl.index.store import open_index

    write(blog / "articles/a.md", post_text("Alpha"))
    first = open_index(load_settings(cwd=blog), lambda _w: None)
    first.sync()
    first.close()
    ix = open_index(load_settings(cwd=blog), lambda _w: None, rebuild=True)
    reader = sqlite3.connect(blog / ".postctl/index.db")
    assert reader.execute("SELECT title FROM posts").fetchall() == [("Alpha",)]
    ix.sync()
    assert reader.execute("SELECT title FROM posts").fetchall() == [("Alpha",)]
    reader.close()
    ix.close()


def test_search_when_a_rebuild_empties_the_full_text_rows_between_its_steps(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rebuilt index's full-text tables exist but are empty until a search fills them:
    the search would find nothing. data_version shows the commit; it is run again."""
    from postctl.query import search as searching

    write(blog / "articles/a.md", post_text("Alpha", body="Pools of words.\n"))
    assert run("search", "pools").exit_code == 0
    real = searching.search
    calls: list[int] = []

    def emptied_meanwhile(index: Any, text: str, query: Any) -> Any:
        if not calls:
            other = sqlite3.connect(blog / ".postctl/index.db", isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO post_text_fts(post_text_fts) VALUES ('delete-all')")
            other.execute("DELETE FROM post_text")
            other.execute("DELETE FROM meta WHERE key = 'fts_generation'")
            other.execute("COMMIT")
            other.close()
        calls.append(1)
        return real(index, text, query)

    monkeypatch.setattr(searching, "search", emptied_meanwhile)
    res = run("search", "pools", "--format", "paths")
    assert (res.exit_code, res.stdout, res.stderr) == (0, "articles/a.md\n", "")
    assert len(calls) == 2


def test_the_index_in_a_dot_folder_of_the_content_folder_is_fine(
    blog: Path, run: Callable[..., Any]
) -> None:
    """Posts at the project root (--content .): .postctl/ is inside, but never scanned."""
    write(blog / "a.md", post_text("Alpha"))
    res = run("--content", ".", "list", "--format", "paths")
    assert (res.exit_code, res.stdout) == (0, "a.md\n"), res.stderr
    assert mark.owner(blog / ".postctl/index.db") is mark.Owner.OURS
    assert run("--content", ".", "--db", "sub/x.db", "index").exit_code == 2
