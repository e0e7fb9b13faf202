"""No race lets a post read outside the content folder (issue #15, item 4).

The scan checks where a symlink points; the read comes later. A name swapped for a symlink to a
secret in between (by rename, as an attacker would loop it) must not be read: the file opened is
checked again on its descriptor. Each test makes the swap happen exactly in that gap.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import post_text, write

from postctl.errors import PostError
from postctl.index import sync
from postctl.parse.post import body_of, read_file

SECRET = "---\ntitle: TOP SECRET\ndate: 2025-01-01\n---\nThe password is hunter2.\n"


def swap_for_symlink(path: Path, target: Path) -> None:
    """Replace ``path`` by a symlink to ``target`` in one rename, as the attack does."""
    tmp = path.with_name(".swap-tmp")
    os.symlink(target, tmp)
    os.replace(tmp, path)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    return write(tmp_path / "outside/secret.md", SECRET)


def test_a_file_swapped_after_the_scan_is_not_read(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, secret: Path
) -> None:
    write(blog / "articles/swap.md", post_text("Harmless"))
    real_scan = sync.scan

    def scan_then_swap(*args: Any, **kwargs: Any) -> Any:
        found = real_scan(*args, **kwargs)  # saw a regular file
        swap_for_symlink(blog / "articles/swap.md", secret)
        return found

    monkeypatch.setattr(sync, "scan", scan_then_swap)
    res = run("list", "--all", "--format", "json")
    assert "TOP SECRET" not in res.stdout and "hunter2" not in res.stdout
    assert json.loads(res.stdout) == []
    assert res.stderr.splitlines()[0] == (
        "postctl: warning: skipped articles/swap.md: symlink points outside the content folder"
    )


def test_read_file_checks_the_opened_file(tmp_path: Path, secret: Path) -> None:
    content = tmp_path / "articles"
    write(content / "ok.md", "fine\n")
    os.symlink(content / "ok.md", content / "inner.md")  # a symlink inside is fine
    os.symlink(secret, content / "out.md")
    root = os.path.realpath(content)
    assert read_file(content / "ok.md", inside=root)[0] == "fine\n"
    assert read_file(content / "inner.md", inside=root)[0] == "fine\n"
    with pytest.raises(PostError, match="symlink points outside the content folder"):
        read_file(content / "out.md", inside=root)
    # A folder on the way swapped for a symlink: the file opened is outside all the same.
    os.symlink(secret.parent, content / "sub")
    with pytest.raises(PostError, match="outside"):
        read_file(content / "sub/secret.md", inside=root)


def test_show_and_search_do_not_read_a_file_swapped_after_the_sync(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, secret: Path
) -> None:
    """The body is read after the sync (``show``, the full-text index of ``search``)."""
    post = write(blog / "articles/swap.md", post_text("Harmless", body="Ordinary words.\n"))
    assert run("index").exit_code == 0
    from postctl.query import listing

    real_find = listing.find_post

    def find_then_swap(*args: Any, **kwargs: Any) -> Any:
        row = real_find(*args, **kwargs)
        swap_for_symlink(post, secret)
        return row

    monkeypatch.setattr(listing, "find_post", find_then_swap)
    shown = run("show", "swap", "--format", "json")
    assert "hunter2" not in shown.stdout
    assert json.loads(shown.stdout)["body"] == ""
    root = os.path.realpath(blog / "articles")
    assert body_of(str(post), inside=root) == ""
    assert "hunter2" in body_of(str(post))  # without the check, the secret would be read


def test_check_does_not_read_the_links_of_a_file_swapped_after_the_sync(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from postctl.query import check as checking

    secret_text = "---\ntitle: S\n---\n" + "text\n" * 20 + "[x](hunter2-secret.md)\n"
    secret = write(tmp_path / "outside/links.md", secret_text)
    post = write(blog / "articles/swap.md", post_text("Harmless", body="No links.\n"))
    assert run("index").exit_code == 0
    real = checking._cached_links

    def cached_then_swap(ix: Any) -> Any:
        swap_for_symlink(post, secret)
        return real(ix)

    monkeypatch.setattr(checking, "_cached_links", cached_then_swap)
    res = run("check", "--rule", "broken-link")
    assert "hunter2" not in res.stdout + res.stderr


def test_a_fifo_swapped_in_before_the_hash_does_not_hang_the_sync(
    blog: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size, new mtime: the sync hashes the file to see whether it changed. A FIFO put in
    its place meanwhile would block that read for ever."""
    from conftest import bump_mtime

    from postctl.index import sync

    post = write(blog / "articles/a.md", post_text("Alpha"))
    assert run("index").exit_code == 0
    bump_mtime(post)
    real_scan = sync.scan

    def scan_then_fifo(*args: Any, **kwargs: Any) -> Any:
        found = real_scan(*args, **kwargs)  # saw the regular file, its new mtime
        post.unlink()
        os.mkfifo(post)
        return found

    monkeypatch.setattr(sync, "scan", scan_then_fifo)
    res = run("index")  # a hang here is the failure (the suite's timeout)
    assert res.exit_code == 0
    assert "articles/a.md: not a regular file" in res.stderr
