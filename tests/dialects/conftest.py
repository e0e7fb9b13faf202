"""Fixture sites, one per generator (tests/fixtures/sites/<dialect>/), copied before use: postctl
writes its index beside them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postctl.config import load_settings
from postctl.index.store import Index, open_index

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"


@pytest.fixture
def site_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Copy a fixture site to a temporary folder, make it the working directory."""
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(SITES / name, dest)
        (dest / ".git").mkdir()  # the top of a repository: root discovery stops here
        monkeypatch.chdir(dest)
        return dest

    return copy


def synced(root: Path) -> Index:
    ix = open_index(load_settings(cwd=root, env={}), lambda _: None)
    ix.sync()
    return ix


def posts(ix: Index, columns: str = "*") -> dict[str, Any]:
    return {r["path"]: r for r in ix.conn.execute(f"SELECT {columns} FROM posts")}
