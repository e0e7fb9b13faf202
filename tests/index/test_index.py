"""The index: incremental sync, its report, rebuilds and faults."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import bump_mtime, deny_writes_under, post_text, write

from postctl.config import load_settings
from postctl.index.store import SCHEMA_VERSION, Index, open_index


def _open(root: Path, warnings: list[str] | None = None, rebuild: bool = False) -> Index:
    sink = warnings if warnings is not None else []
    return open_index(load_settings(cwd=root), sink.append, rebuild=rebuild)


def _titles(ix: Index) -> list[str]:
    return [r[0] for r in ix.conn.execute("SELECT title FROM posts ORDER BY title")]


def test_first_sync_adds_everything(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    write(blog / "articles/sub/b.md", post_text("Beta"))
    ix = _open(blog)
    report = ix.sync()
    assert sorted(report.added) == ["a.md", "sub/b.md"]
    assert report.summary() == "+2 ~0 -0"
    assert _titles(ix) == ["Alpha", "Beta"]
    assert (blog / ".postctl/.gitignore").read_text() == "*\n"


def test_second_sync_is_a_no_op(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    _open(blog).sync()
    report = _open(blog).sync()
    assert report.summary() == "+0 ~0 -0"
    assert not report.changed


def test_modify_delete_rename(blog: Path) -> None:
    a = write(blog / "articles/a.md", post_text("Alpha"))
    b = write(blog / "articles/b.md", post_text("Beta"))
    c = write(blog / "articles/c.md", post_text("Gamma"))
    _open(blog).sync()
    write(a, post_text("Alpha two"))
    bump_mtime(a)
    b.unlink()
    c.rename(blog / "articles/d.md")
    ix = _open(blog)
    report = ix.sync()
    assert report.modified == ["a.md"]
    assert sorted(report.removed) == ["b.md", "c.md"]
    assert report.added == ["d.md"]
    assert _titles(ix) == ["Alpha two", "Gamma"]
    tags = ix.conn.execute("SELECT path FROM post_tags ORDER BY path").fetchall()
    assert [t[0] for t in tags] == ["a.md", "d.md"]


def test_touched_file_with_same_content_is_not_reparsed(blog: Path) -> None:
    a = write(blog / "articles/a.md", post_text("Alpha"))
    _open(blog).sync()
    bump_mtime(a)
    report = _open(blog).sync()
    assert report.summary() == "+0 ~0 -0"
    assert report.touched == 1
    # and the new mtime is stored, so the next sync does not hash again
    assert _open(blog).sync().touched == 0


def test_skipped_files_are_reported_once_and_remembered(blog: Path) -> None:
    write(blog / "articles/good.md", post_text("Good"))
    write(blog / "articles/bad.md", "---\ntitle: [unclosed\n---\n")
    report = _open(blog).sync()
    assert [str(s) for s in report.new_skips] == [
        "bad.md:3:1: invalid YAML front matter: did not find expected ',' or ']'"
    ]
    ix = _open(blog)
    assert ix.sync().new_skips == []
    assert [s.path for s in ix.skipped()] == ["bad.md"]
    write(blog / "articles/bad.md", post_text("Fixed"))
    bump_mtime(blog / "articles/bad.md")
    ix = _open(blog)
    assert ix.sync().modified == ["bad.md"]
    assert ix.skipped() == []
    assert _titles(ix) == ["Fixed", "Good"]


def test_ignores_dot_folders_node_modules_and_other_files(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    write(blog / "articles/.git/x.md", post_text("Git"))
    write(blog / "articles/node_modules/pkg/readme.md", post_text("Npm"))
    write(blog / "articles/notes.txt", "not markdown")
    write(blog / "articles/b.markdown", post_text("Beta"))
    ix = _open(blog)
    ix.sync()
    assert _titles(ix) == ["Alpha", "Beta"]


def test_fifo_symlinks_and_directories_named_md(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    os.mkfifo(blog / "articles/pipe.md")
    (blog / "articles/loop.md").symlink_to("loop.md")
    write(blog / "outside.md", post_text("Outside"))
    (blog / "articles/out.md").symlink_to(blog / "outside.md")
    write(blog / "articles/folder.md/inner.md", post_text("Inner"))
    ix = _open(blog)
    report = ix.sync()
    assert sorted(str(s) for s in report.new_skips) == [
        "loop.md: symlink loop",
        "out.md: symlink points outside the content folder",
        "pipe.md: not a regular file (a FIFO, socket or device)",
    ]
    assert _titles(ix) == ["Alpha", "Inner"]


def test_other_schema_version_is_rebuilt(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    _open(blog).sync()
    conn = sqlite3.connect(blog / ".postctl/index.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    warnings: list[str] = []
    ix = _open(blog, warnings)
    assert ix.sync().added == ["a.md"]
    assert warnings == [
        "rebuilding the index .postctl/index.db: it has schema version "
        f"{SCHEMA_VERSION + 5}, written by a newer postctl"
    ]


@pytest.mark.parametrize("content", [b"", b"this is not a database at all" * 200])
def test_zero_byte_or_corrupt_index_is_rebuilt(blog: Path, content: bytes) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    (blog / ".postctl").mkdir()
    (blog / ".postctl/index.db").write_bytes(content)
    warnings: list[str] = []
    ix = _open(blog, warnings)
    assert ix.sync().added == ["a.md"]
    assert _titles(ix) == ["Alpha"]
    if content:
        assert warnings == [
            "index .postctl/index.db is unreadable (file is not a database); rebuilding it"
        ]


def test_refuses_to_replace_a_file_that_is_not_an_index(blog: Path) -> None:
    from postctl.errors import PostctlError

    mine = write(blog / "notes.txt", "precious")
    with pytest.raises(PostctlError, match="not a postctl index"):
        open_index(load_settings(cwd=blog, db="notes.txt"), lambda _m: None).sync()
    assert mine.read_text() == "precious"


def test_read_only_index_location_still_answers(blog: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; permissions cannot make a folder read-only")
    write(blog / "articles/a.md", post_text("Alpha"))
    (blog / ".postctl").mkdir()
    (blog / ".postctl").chmod(0o500)
    try:
        warnings: list[str] = []
        ix = _open(blog, warnings)
        ix.sync()
        assert _titles(ix) == ["Alpha"]
        assert "in-memory" in warnings[0]
    finally:
        (blog / ".postctl").chmod(0o700)


def test_read_only_index_location_still_answers_as_root_too(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin of the test above that runs as root: .postctl/ answers as a read-only folder."""
    write(blog / "articles/a.md", post_text("Alpha"))
    (blog / ".postctl").mkdir()
    deny_writes_under(monkeypatch, blog / ".postctl")
    warnings: list[str] = []
    ix = _open(blog, warnings)
    ix.sync()
    assert _titles(ix) == ["Alpha"]
    assert "in-memory" in warnings[0]
    assert list((blog / ".postctl").iterdir()) == []  # nothing written there


def test_unwritable_db_path_falls_back_to_memory(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    warnings: list[str] = []
    settings = load_settings(cwd=blog, db="/proc/postctl-cannot-write-here/index.db")
    ix = open_index(settings, warnings.append)
    ix.sync()
    assert _titles(ix) == ["Alpha"]
    assert warnings == [
        "cannot write the index at /proc/postctl-cannot-write-here/index.db; "
        "using a temporary in-memory index"
    ]


def test_many_files_are_parsed_in_parallel_and_match_serial(blog: Path) -> None:
    for i in range(450):  # over PARALLEL_THRESHOLD
        write(blog / f"articles/p{i:03}.md", post_text(f"Post {i:03}", tags=(f"t{i % 7}",)))
    ix = _open(blog)
    assert len(ix.sync().added) == 450
    assert ix.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 450
    assert ix.conn.execute("SELECT count(*) FROM post_tags").fetchone()[0] == 450


SYNC_SCRIPT = """
import sys
from postctl.config import load_settings
from postctl.index.store import open_index
ix = open_index(load_settings(), lambda m: None)
r = ix.sync()
print(len(r.added), ix.conn.execute("SELECT count(*) FROM posts").fetchone()[0])
"""


def test_concurrent_processes_wait_for_each_other(blog: Path) -> None:
    for i in range(300):
        write(blog / f"articles/p{i:03}.md", post_text(f"Post {i:03}"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SYNC_SCRIPT],
            cwd=blog,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert out.split()[1] == "300"
    # one process parsed the folder; the others waited, saw its commit, and parsed nothing
    assert sorted(int(out.split()[0]) for out, _ in outs) == [0, 0, 0, 300]
    ix = _open(blog)
    assert ix.sync().summary() == "+0 ~0 -0"
    assert ix.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 300


KILL_SCRIPT = """
import os, signal
from postctl.index import store as index, sync
from postctl.config import load_settings
real = sync.write_batch
def write_then_die(*a, **k):
    real(*a, **k)  # rows written inside the transaction, which is never committed
    os.kill(os.getpid(), signal.SIGKILL)
sync.write_batch = write_then_die
ix = index.open_index(load_settings(), lambda m: None)
ix.sync()
"""


def test_killed_sync_leaves_previous_index(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    _open(blog).sync()
    write(blog / "articles/b.md", post_text("Beta"))
    write(blog / "articles/a.md", post_text("Alpha changed"))
    bump_mtime(blog / "articles/a.md")
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT], cwd=blog, timeout=60)
    assert proc.returncode == -9
    assert (blog / ".postctl/index.db-journal").exists()  # the hot journal of the dead writer
    conn = sqlite3.connect(blog / ".postctl/index.db")
    assert [r[0] for r in conn.execute("SELECT title FROM posts")] == ["Alpha"]
    conn.close()
    ix = _open(blog)
    report = ix.sync()
    assert report.added == ["b.md"] and report.modified == ["a.md"]
    assert _titles(ix) == ["Alpha changed", "Beta"]


def test_sync_takes_waiting_lock_instead_of_failing(blog: Path) -> None:
    write(blog / "articles/a.md", post_text("Alpha"))
    _open(blog).sync()
    holder = sqlite3.connect(blog / ".postctl/index.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    write(blog / "articles/b.md", post_text("Beta"))
    script = SYNC_SCRIPT
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=blog, stdout=subprocess.PIPE)
    time.sleep(1.0)
    assert proc.poll() is None  # still waiting for the lock
    holder.execute("COMMIT")
    holder.close()
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert out.split() == [b"1", b"2"]
