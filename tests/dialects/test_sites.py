"""Each fixture site read as its generator reads it: which files are posts, their slugs, URLs,
dates, drafts, taxonomies and authors (Hugo and Jekyll also against the real generator: see the
oracle tests)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from dialects.conftest import SITES, posts, synced

Run = Callable[..., Result]


def test_zola(site_copy: Callable[[str], Path]) -> None:
    got = posts(synced(site_copy("zola")))
    assert sorted(got) == [
        "blog/2024-11-26-dated-by-name.md",
        "blog/bundle/index.md",
        "blog/drafted.md",
        "notes/index.md",
    ]  # the _index.md sections are not posts
    dated = got["blog/2024-11-26-dated-by-name.md"]
    assert (dated["slug"], dated["date"], dated["url"]) == (
        "dated-by-name",
        "2024-11-26",
        "/blog/dated-by-name/",
    )
    assert json.loads(dated["authors"]) == ["Ana Lopez", "Tim Cheung"]
    assert json.loads(dated["tags"]) == ["rust", "ssg"]
    assert json.loads(dated["categories"]) == ["Release"]
    bundle = got["blog/bundle/index.md"]
    assert (bundle["slug"], bundle["url"]) == ("bundle", "/blog/bundle/")
    notes = got["notes/index.md"]  # front matter after a blank line; `path` is the URL
    assert (notes["title"], notes["url"], notes["body_line"]) == (
        "Another index.md",
        "/2022/01/01/notes-page/",
        7,
    )
    drafted = got["blog/drafted.md"]
    assert (drafted["draft"], drafted["date"], drafted["date_key"]) == (
        1,
        "2025-01-01T10:00:00.250+00:00",
        "2025-01-01T10:00:00.250000Z",
    )


def test_eleventy(site_copy: Callable[[str], Path]) -> None:
    ix = synced(site_copy("eleventy"))
    got = posts(ix)
    # _includes is not content; permalink: false writes no page
    assert sorted(got) == [
        "blog/2020-02-05-stickers.md",
        "blog/modified.md",
        "blog/notes-of-2021-03-04.md",
        "blog/undated.md",
        "index.md",
        "notes/2021-06-07-folder-data.md",
        "notes/own.md",
    ]
    assert ix.not_posts() == {"no-output": 1}
    stickers = got["blog/2020-02-05-stickers.md"]
    assert (stickers["date"], stickers["slug"], stickers["url"]) == (
        "2020-02-05",
        "stickers",
        "/blog/2020-02-05-stickers/",
    )
    assert json.loads(stickers["tags"]) == ["news and notes"]
    assert got["blog/notes-of-2021-03-04.md"]["date"] == "2021-03-04"  # anywhere in the path
    modified = got["blog/modified.md"]  # "Last Modified": a keyword, not an error
    assert modified["problems"] == "[]"
    assert got["index.md"]["url"] == "/"
    # notes/notes.json: a folder's permalink, with page.fileSlug (the date dropped)
    assert got["notes/2021-06-07-folder-data.md"]["url"] == "/notes/folder-data/"
    assert got["notes/own.md"]["url"] == "/elsewhere/"


def _ms(ns: int) -> dt.datetime:
    """A file time as Eleventy (JavaScript) keeps it: UTC, whole milliseconds."""
    return dt.datetime.fromtimestamp(ns // 1_000_000 / 1000, dt.UTC)


def test_eleventy_dates_by_file_times(site_copy: Callable[[str], Path]) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    site = site_copy("eleventy")
    (site / "src" / "blog" / "modified.md").chmod(0o644)  # a status change: ctime moves
    got = posts(synced(site))
    after = dt.datetime.now(dt.UTC)
    # "Last Modified" is the status-change time, as Eleventy reads it (not mtime)
    ctime = (site / "src" / "blog" / "modified.md").stat().st_ctime_ns
    assert dt.datetime.fromisoformat(got["blog/modified.md"]["date"]) == _ms(ctime)
    # no date and none in the path: the file's creation time (the copy was made just now)
    for path in ("blog/undated.md", "index.md"):
        created = dt.datetime.fromisoformat(got[path]["date"])
        assert before <= created <= after, path
    # the fixture's mtime is older than the copy: only a birth time (or mtime where there is
    # none) explains a date inside the copy's window when mtime is set back
    old = 1_000_000_000
    os.utime(site / "src" / "blog" / "undated.md", (old, old))
    assert dt.datetime.fromisoformat(posts(synced(site))["blog/undated.md"]["date"]) >= before


def test_eleventy_git_dates(site_copy: Callable[[str], Path]) -> None:
    site = site_copy("eleventy")
    (site / ".git").rmdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2021-05-06T07:08:09Z",
        "GIT_COMMITTER_DATE": "2021-05-06T07:08:09Z",
    }
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=site, check=True, env=env)
    post = site / "src" / "blog" / "undated.md"
    post.write_text("---\ntitle: Git\ndate: git Created\n---\n")
    subprocess.run([*git, "add", "."], cwd=site, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=site, check=True, env=env)
    env["GIT_AUTHOR_DATE"] = "2022-01-02T03:04:05Z"
    post.write_text("---\ntitle: Git\ndate: git Last Modified\n---\n")
    subprocess.run([*git, "commit", "-qam", "two"], cwd=site, check=True, env=env)
    got = posts(synced(site))
    assert got["blog/undated.md"]["date"].startswith("2022-01-02T03:04:05")
    post.write_text("---\ntitle: Git\ndate: git Created\n---\n")
    got = posts(synced(site))
    assert got["blog/undated.md"]["date"].startswith("2021-05-06T07:08:09")


def test_astro(site_copy: Callable[[str], Path]) -> None:
    got = posts(synced(site_copy("astro")))
    assert sorted(got) == [
        "blog/component.mdx",
        "blog/first-post.md",
        "blog/scheduled.md",
        "docs/guide/index.md",
    ]
    assert got["blog/component.mdx"]["date"] == "2024-05-06"  # pubDate
    # the blog starter's schema: pubDate and updatedDate; others name it publishDate
    first = got["blog/first-post.md"]
    assert (first["date"], first["updated"]) == ("2024-03-04", "2024-04-01")
    assert got["blog/scheduled.md"]["date"] == "2024-06-07T08:00:00+00:00"
    assert (got["docs/guide/index.md"]["slug"], got["docs/guide/index.md"]["url"]) == (
        "guide",
        "/docs/guide/",
    )


def test_jekyll(site_copy: Callable[[str], Path]) -> None:
    got = posts(synced(site_copy("jekyll")))
    assert "_posts/undated.md" not in got and "about.md" not in got
    first = got["_posts/2013-05-06-first-release.markdown"]
    assert json.loads(first["tags"]) == ["ruby", "jekyll"]  # split on spaces
    folder = got["news/_posts/2017-06-07-in-a-category-folder.md"]
    assert json.loads(folder["categories"]) == ["news"]
    assert got["_posts/2016-04-05-unpublished.md"]["draft"] == 1
    assert got["_drafts/a-draft.md"]["draft"] == 1
    assert json.loads(got["_posts/2018-01-02-coauthors.md"]["authors"]) == [
        "Ana Lopez",
        "Tim Cheung",
    ]
    bad = got["_posts/2015-02-03-bad-date.md"]  # read as Ruby's Time.parse reads it
    assert bad["date_key"] == "2023-01-30T02:30:22.000000Z"
    assert "is not a date" in bad["problems"]


def test_jekyll_future_posts_wait(site_copy: Callable[[str], Path], run: Run) -> None:
    site_copy("jekyll")
    assert "_posts/2099-01-01-scheduled.md" not in run("list", "-f", "paths").stdout.split()
    drafts = run("list", "--drafts", "-f", "paths").stdout.split()
    assert "_posts/2099-01-01-scheduled.md" in drafts


def test_index_says_which_dialect_and_content(site_copy: Callable[[str], Path], run: Run) -> None:
    site_copy("hugo")
    res = run("index")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[1] == (
        "hugo site: content in content; not posts: 3 headless pages, 2 bundle resources, "
        "3 section pages"
    )
    data = json.loads(run("index", "--format", "json").stdout)
    assert (data["dialect"], data["content"]) == ("hugo", "content")
    stats = json.loads(run("stats", "--format", "json").stdout)
    assert stats["site"] == {"dialect": "hugo", "content": "content"}


def test_the_shipped_articles_are_a_plain_folder_with_strict_rules() -> None:
    from conftest import ROOT

    from postctl.config import load_settings
    from postctl.query.rules import CheckConfig

    settings = load_settings(cwd=ROOT, env={})
    assert (settings.dialect, settings.content_dir) == ("plain", ROOT / "articles")
    assert settings.config_file == ROOT / "postctl.toml"  # its own rules, written down
    assert settings.check == {"required": ["title", "date", "description", "category"]}
    config, warnings = CheckConfig.from_table(settings.check, "[check]", settings.site)
    assert warnings == []
    assert config.required == ("title", "date", "description", "category")


def test_a_site_one_folder_down_is_named_in_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """At a repository's root whose site lives in docs/, postctl says where the site is."""
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)
    repo = tmp_path / "repo"
    shutil.copytree(SITES / "jekyll", repo / "docs")
    (repo / ".git").mkdir()
    (repo / "node_modules" / "x").mkdir(parents=True)
    (repo / "node_modules" / "x" / "_config.yml").write_text("title: not a site\n")
    monkeypatch.chdir(repo)
    res = run("list")
    assert res.exit_code == 2
    hint = "no site here, but docs/ (jekyll) is one: run postctl there (cd docs)"
    assert hint in res.stderr
    monkeypatch.chdir(repo / "docs")  # there, the site is read and nothing is hinted
    res = run("list", "-f", "paths")
    assert (res.exit_code, "no site here" in res.stderr) == (0, False)
    assert "_posts/2013-05-06-first-release.markdown" in res.stdout.split()
    (repo / "articles").mkdir()  # a bare folder of its own: the user means it, no hint
    monkeypatch.chdir(repo)
    assert "no site here" not in run("list").stderr
