"""Faults over the hostile folder, with postctl as real processes: concurrency, ``kill -9``, broken
index files, read-only places, a full disk, and files that change under a sync.

``tests/index/test_index.py`` covers the same faults at the library level on small folders; here
they happen to the CLI, on the folder where every file is trouble.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hostile.conftest import (
    TIMEOUT,
    Proc,
    Runner,
    need_dropper,
    postctl_argv,
    postctl_env,
    read_only,
    sha256_files,
)
from hostile.tree import GOOD_BODY, Tree, skip_lines, yaml_post
from postctl.index.store import SCHEMA_VERSION

DB = ".postctl/index.db"


def published_paths(tree: Tree) -> set[str]:
    return {"articles/" + rel for rel in tree.published}


def listed(proc: Proc) -> set[str]:
    assert proc.code == 0, proc.stderr[-2000:]
    return {r["path"] for r in json.loads(proc.stdout)}


def other_lines(proc: Proc, tree: Tree) -> list[str]:
    """stderr without the expected skip warnings."""
    skips = skip_lines(tree)
    return [line for line in proc.lines() if line not in skips]


def assert_clean_index(postctl: Runner, tree: Tree, posts: int | None = None) -> None:
    """A normal run finds the index up to date and whole."""
    proc = postctl("index")
    assert proc.code == 0, proc.stderr
    n = len(tree.good) if posts is None else posts
    assert proc.stdout.startswith(f"+0 ~0 -0  {n} posts indexed, {len(tree.bad)} skipped")
    assert other_lines(proc, tree) == []
    conn = sqlite3.connect(tree.root / DB)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def add_posts(tree: Tree, n: int, body: str = GOOD_BODY * 20) -> list[Path]:
    paths = []
    for i in range(n):
        path = tree.content / "more" / f"extra-{i:03}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml_post(f"Extra post {i:03}", f"extra-{i:03}", body=body))
        paths.append(path)
    return paths


def remove(paths: list[Path]) -> None:
    for p in paths:
        p.unlink()
    paths[0].parent.rmdir()


# --------------------------------------------------------------------------- concurrency


def test_four_processes_syncing_and_listing_at_once(hostile: Tree, postctl: Runner) -> None:
    commands = [
        ("index",),
        ("list", "--format", "json"),
        ("index", "--format", "json"),
        ("list", "--all", "--format", "json"),
    ]
    procs = [postctl.popen(*args) for args in commands]  # no index yet: all race to build it
    results = []
    for args, p in zip(commands, procs, strict=True):
        out, err = p.communicate(timeout=TIMEOUT)
        results.append(Proc(args, p.returncode, out.decode(), err.decode()))
    for proc in results:
        assert proc.code == 0, (proc.args, proc.stderr)
        assert "database is locked" not in proc.stderr, proc.stderr
        assert other_lines(proc, hostile) == [], proc.args
    indexed, as_list, as_json, listed_all = results
    assert indexed.stdout.split("  ")[1].startswith(f"{len(hostile.good)} posts indexed")
    assert listed(as_list) == published_paths(hostile)
    assert json.loads(as_json.stdout)["posts"] == len(hostile.good)
    assert listed(listed_all) == {"articles/" + rel for rel in hostile.good}
    assert_clean_index(postctl, hostile)


# --------------------------------------------------------------------------- kill -9


def _bytes_read(pid: int) -> int | None:
    """How many bytes the process has read so far (Linux: /proc/PID/io)."""
    try:
        with open(f"/proc/{pid}/io") as fh:
            for line in fh:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def test_kill_9_during_a_sync_then_a_normal_run(plain_hostile: Tree) -> None:
    """SIGKILL once the sync has read half of 300 new posts: the next run finds the index as it
    was before (so it reports every change again) and brings it up to date."""
    if _bytes_read(os.getpid()) is None:
        pytest.skip("needs /proc/PID/io to see how far a sync has got")
    tree = plain_hostile
    postctl = Runner(tree.root, drop=False)  # the child is postctl itself, its reads visible
    assert postctl("index").code == 0
    added = add_posts(tree, 300, body=GOOD_BODY * 120)  # ~18 KB each, read inside the sync
    half = sum(p.stat().st_size for p in added) // 2
    (tree.content / "good-yaml.md").write_text(yaml_post("Plain YAML, edited", "good-yaml"))
    (tree.content / "good-toml.md").unlink()
    journal = tree.root / (DB + "-journal")

    proc = subprocess.Popen(
        postctl_argv(["index"], drop=False),
        cwd=tree.root,
        env=postctl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + TIMEOUT
    start: int | None = None
    killed = False
    while proc.poll() is None and time.monotonic() < deadline:
        reads = _bytes_read(proc.pid)
        if journal.exists() and reads is not None:  # the sync is writing
            start = reads if start is None else start
            if reads - start >= half:
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
        time.sleep(0.001)
    proc.wait(timeout=TIMEOUT)
    assert killed, "the sync finished before it could be killed"
    assert journal.exists()  # a hot journal: the dead writer's transaction, never committed

    after = postctl("index")  # a normal run rolls the journal back and syncs everything
    assert after.code == 0, after.stderr
    posts = len(tree.good) - 1 + 300
    assert after.stdout.startswith(f"+300 ~1 -1  {posts} posts indexed"), after.stdout
    assert other_lines(after, tree) == []
    titles = {r["title"] for r in json.loads(postctl("list", "--format", "json").stdout)}
    assert "Plain YAML, edited" in titles and "TOML front matter" not in titles
    assert len(titles) == len(tree.published) - 1 + 300
    assert not journal.exists()
    assert_clean_index(postctl, tree, posts)


# --------------------------------------------------------------------------- broken index files


def _corrupt(db: Path) -> None:
    """Keep the first page (header and schema), fill the rest with noise."""
    data = bytearray(db.read_bytes())
    rnd = random.Random(9)
    data[4096:] = bytes(rnd.randrange(256) for _ in range(len(data) - 4096))
    db.write_bytes(bytes(data))


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _zero(db: Path) -> None:
    db.write_bytes(b"")


def _future(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


UNREADABLE = r"postctl: warning: index \.postctl/index\.db is unreadable \(.+\); rebuilding it"
BREAKAGES: dict[str, tuple[Callable[[Path], None], str | None]] = {
    "corrupt": (_corrupt, UNREADABLE),
    "truncated": (_truncate, UNREADABLE),
    "zero-byte": (_zero, None),  # an empty file is an empty database: built without a word
    "future-schema": (
        _future,
        r"postctl: warning: rebuilding the index \.postctl/index\.db: it has schema version "
        f"{SCHEMA_VERSION + 1}, written by a newer postctl",
    ),
}


@pytest.mark.light
@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_broken_index_is_rebuilt_with_one_message(
    hostile: Tree, postctl: Runner, breakage: str
) -> None:
    assert postctl("index").code == 0
    before = listed(postctl("list", "--format", "json"))
    damage, message = BREAKAGES[breakage]
    damage(hostile.root / DB)
    proc = postctl("list", "--format", "json")
    assert listed(proc) == before == published_paths(hostile)
    others = other_lines(proc, hostile)
    if message is None:
        assert others == []
    else:
        assert len(others) == 1 and re.fullmatch(message, others[0]), others
    assert_clean_index(postctl, hostile)


# --------------------------------------------------------------------------- read-only places


@pytest.mark.light
def test_read_only_content_folder(hostile: Tree, postctl: Runner) -> None:
    need_dropper()
    files = sha256_files(hostile.files())
    with read_only(hostile.content):
        assert listed(postctl("list", "--format", "json")) == published_paths(hostile)
        index = postctl("index")
        assert (index.code, other_lines(index, hostile)) == (0, [])
        check = postctl("check", "--format", "json")
        assert check.code == 1 and json.loads(check.stdout)["checked"] == len(hostile.good) + len(
            hostile.bad
        )
        assert postctl("search", "pools", "--format", "paths").code == 0
        assert postctl("stats", "--format", "json").code == 0
        new = postctl("new", "Cannot be written", "-c", "Performance")
        assert new.code == 2
        assert other_lines(new, hostile) == [
            "postctl: error: cannot create articles/cannot-be-written.md: Permission denied"
        ]
    assert sha256_files(list(files)) == files
    assert not (hostile.content / "cannot-be-written.md").exists()


IN_MEMORY = (
    "postctl: warning: cannot write the index at .postctl/index.db; "
    "using a temporary in-memory index"
)


@pytest.mark.light
def test_read_only_project_without_an_index(hostile: Tree, postctl: Runner) -> None:
    """A read-only checkout: no .postctl can be made, answers come from memory."""
    need_dropper()
    with read_only(hostile.root):
        for args in (("list", "--format", "json"), ("index",), ("search", "pools")):
            proc = postctl(*args)
            assert proc.code == 0, proc.stderr
            assert other_lines(proc, hostile) == [IN_MEMORY], args
            if args[0] == "list":
                assert listed(proc) == published_paths(hostile)
        check = postctl("check", "--format", "json")
        assert check.code == 1 and other_lines(check, hostile) == [IN_MEMORY]
    assert not (hostile.root / ".postctl").exists()


@pytest.mark.light
def test_read_only_index_location_with_a_stale_index(hostile: Tree, postctl: Runner) -> None:
    """The index exists but cannot be written, and the folder changed since: still fresh."""
    need_dropper()
    assert postctl("index").code == 0
    db = hostile.root / DB
    (hostile.content / "late.md").write_text(yaml_post("Written after the index", "late"))
    index_hash = sha256_files([db])
    db.chmod(0o444)
    try:
        with read_only(db.parent):
            proc = postctl("list", "--format", "json")
            assert listed(proc) == published_paths(hostile) | {"articles/late.md"}
            assert other_lines(proc, hostile) == [IN_MEMORY]
            index = postctl("index")
            assert index.stdout.startswith(f"+1 ~0 -0  {len(hostile.good) + 1} posts indexed")
    finally:
        db.chmod(0o644)
    assert sha256_files([db]) == index_hash


# --------------------------------------------------------------------------- a full disk


def _file_size_limit(limit: int) -> Callable[[], None]:
    def preexec() -> None:  # in the child, before exec: writes past `limit` bytes fail (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


WRITE_FAILED = (
    r"postctl: error: cannot update the index \.postctl/index\.db "
    r"\((disk I/O error|database or disk is full)\); it is left as it was"
)


@pytest.mark.light
@pytest.mark.parametrize("where", ["at-commit", "mid-transaction"])
def test_disk_full_on_index_write(hostile: Tree, postctl: Runner, where: str) -> None:
    """RLIMIT_FSIZE makes writes past a size fail with EFBIG, as a full disk fails with ENOSPC.

    ``at-commit``: the index file may not grow by more than 16 KB, so the 300 new posts fail when
    the transaction commits. ``mid-transaction``: the rollback journal may not exceed 1 KB, so
    the very first change fails inside the transaction (and SQLite rolls it back on its own)."""
    assert postctl("index").code == 0
    db = hostile.root / DB
    limit = db.stat().st_size + 16 * 1024 if where == "at-commit" else 1024
    added = add_posts(hostile, 300)
    for args in (("index",), ("list", "--format", "json")):
        proc = postctl(*args, preexec_fn=_file_size_limit(limit))
        assert proc.code == 2, (args, proc.stdout, proc.stderr)
        others = other_lines(proc, hostile)
        assert len(others) == 1 and re.fullmatch(WRITE_FAILED, others[0]), others
        assert proc.stdout == ""
    remove(added)
    assert_clean_index(postctl, hostile)  # the previous index, untouched: nothing to redo


# ------------------------------------------------------------------------- files changing mid-sync


FIFO = "not a regular file (a FIFO, socket or device)"


def _vanish(path: Path) -> None:
    path.unlink()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


CHANGES: dict[str, tuple[Callable[[Path], None], str, str | None]] = {
    # what happens to the file after the scan listed it: (reason now, reason on the next sync)
    "deleted": (_vanish, "file vanished while reading (or a broken symlink)", None),
    "replaced-by-fifo": (_fifo, FIFO, FIFO),
    "replaced-by-folder": (_folder, "is a directory, not a file", None),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_file_changed_between_scan_and_read(
    plain_hostile: Tree, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The sync names the file with what it found, indexes the rest; the next one is clean."""
    from postctl.index import scan as index

    act, reason, reason_next = CHANGES[change]
    victim = "good-yaml.md"
    real = index.parse_file

    def change_first(
        abs_path: str, rel: str, max_bytes: int, derive: Any = (), site: Any = None
    ) -> Any:
        if rel == victim:
            act(Path(abs_path))
        return real(abs_path, rel, max_bytes, derive, site)

    monkeypatch.setattr(index, "parse_file", change_first)
    first = run("index", "--format", "json")
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    assert victim in report["added"]
    assert [s for s in report["skipped"] if s["path"] == victim] == [_skip(victim, reason)]
    assert report["posts"] == len(plain_hostile.good) - 1
    monkeypatch.setattr(index, "parse_file", real)

    second = json.loads(run("index", "--format", "json").stdout)
    assert (second["added"], second["modified"], second["removed"]) == ([], [], [victim])
    expected = [] if reason_next is None else [_skip(victim, reason_next)]
    assert [s for s in second["skipped"] if s["path"] == victim] == expected
    third = json.loads(run("index", "--format", "json").stdout)
    assert (third["added"], third["modified"], third["removed"]) == ([], [], [])
    assert third["posts"] == len(plain_hostile.good) - 1
    assert third["skipped"] == second["skipped"]


def _skip(path: str, reason: str) -> dict[str, Any]:
    return {"path": path, "reason": reason, "line": None, "column": None}


@pytest.mark.light
def test_retried_unreadable_file_is_not_reported_modified_each_sync(
    hostile: Tree, postctl: Runner
) -> None:
    """An unreadable file is read again on every sync; while it stays unreadable that is no
    change, and once it can be read it is indexed (and reported) as modified."""
    need_dropper()
    assert postctl("index").code == 0
    again = postctl("index", "--format", "json")
    assert json.loads(again.stdout)["modified"] == []
    (hostile.content / "unreadable.md").chmod(0o644)
    fixed = json.loads(postctl("index", "--format", "json").stdout)
    assert fixed["modified"] == ["unreadable.md"]
    assert fixed["posts"] == len(hostile.good) + 1
    assert json.loads(postctl("index", "--format", "json").stdout)["modified"] == []


def test_rollback_after_sqlite_rolled_back_keeps_the_real_error(tmp_path: Path) -> None:
    """After a disk-full or I/O error SQLite may end the transaction itself; the error must not
    become "cannot rollback - no transaction is active" (which also sent postctl rebuilding)."""
    from postctl.index.store import transaction

    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match=r"^disk I/O error$"), transaction(conn):
        conn.execute("CREATE TABLE t (x)")
        conn.execute("ROLLBACK")  # what SQLite does on its own after SQLITE_FULL or IOERR
        raise sqlite3.OperationalError("disk I/O error")
    assert not conn.in_transaction
    conn.close()
