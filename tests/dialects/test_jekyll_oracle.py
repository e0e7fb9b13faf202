"""Jekyll itself is the oracle: ``jekyll build --drafts --unpublished --future`` renders a page
listing ``site.posts`` (path, date, url, draft), and postctl must agree on each."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dialects.conftest import posts, synced

JEKYLL = shutil.which("jekyll")
pytestmark = pytest.mark.skipif(JEKYLL is None, reason="jekyll is not installed")

ORACLE = (
    '---\nlayout: null\n---\n[{% for p in site.posts %}{"path": {{ p.path | jsonify }}, '
    '"date": {{ p.date | date: "%Y-%m-%dT%H:%M:%S%z" | jsonify }}, '
    '"url": {{ p.url | jsonify }}, "draft": {{ p.draft | jsonify }}}'
    "{% unless forloop.last %},{% endunless %}{% endfor %}]\n"
)


def jekyll_posts(site: Path, out: Path) -> dict[str, dict[str, object]]:
    build = out / "build"
    shutil.copytree(site, build, ignore=shutil.ignore_patterns(".postctl", ".git"))
    # Jekyll stops at a missing post_url; postctl's check reports it (test_rules.py).
    dotted = build / "_posts" / "2014-01-01-dotted-v1.0.0.md"
    dotted.write_text("".join(x for x in dotted.open() if "missing" not in x))
    (build / "oracle.json").write_text(ORACLE)
    subprocess.run(
        [str(JEKYLL), "build", "--drafts", "--unpublished", "--future", "-q"],
        cwd=build,
        check=True,
        capture_output=True,
        timeout=300,
    )
    rows = json.loads((build / "_site" / "oracle.json").read_text())
    return {r["path"]: r for r in rows}


def test_postctl_reads_the_fixture_site_as_jekyll_does(
    site_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    site = site_copy("jekyll")
    expected = jekyll_posts(site, tmp_path)
    got = posts(synced(site))
    assert sorted(got) == sorted(expected)
    for path, j in expected.items():
        p = got[path]
        if j["draft"]:  # Jekyll dates a draft (and so its URL) by the file's mtime
            assert (p["draft"], p["date"], p["url"]) == (1, None, None), path
            continue
        assert p["url"] == j["url"], path
        if len(p["date_key"]) == 10:
            assert p["date_key"] == str(j["date"])[:10], path
        else:
            theirs = dt.datetime.strptime(str(j["date"]), "%Y-%m-%dT%H:%M:%S%z")
            ours = dt.datetime.fromisoformat(p["date_key"].replace("Z", "+00:00"))
            assert ours == theirs, path
