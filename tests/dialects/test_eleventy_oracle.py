"""Eleventy itself is the oracle (when ``eleventy`` is on PATH, or $ELEVENTY names it): a
JavaScript template lists ``collections.all`` (input path, URL, date), and postctl must agree on
which files become pages, their URLs and the dates Eleventy takes from a path."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dialects.conftest import posts, synced
from postctl.index.store import Index

ELEVENTY = os.environ.get("ELEVENTY") or shutil.which("eleventy")
pytestmark = pytest.mark.skipif(ELEVENTY is None, reason="eleventy is not installed")

ORACLE = """export default class {
  data() { return { permalink: "/oracle.json", eleventyExcludeFromCollections: true }; }
  render(data) {
    return JSON.stringify(data.collections.all.map(p => (
      { path: p.inputPath, url: p.url, date: p.date.toISOString() })));
  }
}
"""


def test_postctl_reads_the_fixture_site_as_eleventy_does(
    site_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    site = site_copy("eleventy")
    build = tmp_path / "build"
    shutil.copytree(site, build, ignore=shutil.ignore_patterns(".postctl", ".git"))
    (build / "src" / "oracle.11ty.js").write_text(ORACLE)
    subprocess.run([str(ELEVENTY), "--quiet"], cwd=build, check=True, timeout=300)
    pages = json.loads((build / "_site" / "oracle.json").read_text())
    written = {p["path"].removeprefix("./src/"): p for p in pages if p["url"]}
    got = posts(synced(site))
    assert sorted(got) == sorted(written)
    for path, page in written.items():
        assert got[path]["url"] == page["url"], path
        # every page Eleventy dates is dated: front matter, a date in the path, or a file time
        # (the build's copy has its own: compare with what postctl reads from that copy)
        assert got[path]["date"] is not None, path
    built = posts(synced_copy(build, site))
    for path, page in written.items():
        mine = built[path]["date"]
        if len(mine) == 10:  # a date alone: Eleventy's is that day at midnight UTC
            assert page["date"].startswith(mine + "T00:00:00.000"), path
        else:
            eleventy = dt.datetime.fromisoformat(page["date"].replace("Z", "+00:00"))
            assert dt.datetime.fromisoformat(mine) == eleventy, path


def synced_copy(build: Path, site: Path) -> Index:
    """postctl over the very files Eleventy built from (their own file times)."""
    (build / ".git").mkdir(exist_ok=True)
    (build / "src" / "oracle.11ty.js").unlink()
    return synced(build)
