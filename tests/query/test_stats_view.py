"""The stats view: pictures (SVG, HTML), the year × month heat-map, slugs in top lists, empty
sections left out, and no readability score for a page without prose."""

from __future__ import annotations

import json
import xml.dom.minidom
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Result, post_text, write

from postctl.render.terminal import heat_level, heat_scale

Run = Callable[..., Result]
PROSE = "The cache expired and every request went to the database at once. " * 5


@pytest.fixture
def site(blog: Path) -> Path:
    months = ["2024-01-05", "2024-01-20", "2024-03-02", "2025-02-14", "2025-02-15", "2025-02-16"]
    for i, date in enumerate(months):
        write(
            blog / f"articles/post-{i}.md",
            post_text(title=f"Post {i}", date=date, body=PROSE * (i + 1)),
        )
    return blog


def test_heat_levels_and_their_scale() -> None:
    assert [heat_level(n, 8) for n in range(9)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert heat_scale(8) == [(0, "0"), (1, "1–2"), (2, "3–4"), (3, "5–6"), (4, "7–8")]
    assert heat_scale(3) == [(0, "0"), (2, "1"), (3, "2"), (4, "3")]
    assert all(heat_level(n, 3) == lvl for lvl, label in heat_scale(3)[1:] for n in [int(label)])


def test_cadence_is_a_year_by_month_heat_map_with_a_scale(site: Path, run: Run) -> None:
    out = run("stats").stdout
    assert "      J  F  M  A  M  J  J  A  S  O  N  D   posts" in out
    assert "2024 ▓▓ ·· ▒▒ ·· ·· ·· ·· ·· ·· ·· ·· ··      3" in out
    assert "2025 ·· ██ ·· ·· ·· ·· ·· ·· ·· ·· ·· ··      3" in out
    assert "posts per month: ·· 0  ▒▒ 1  ▓▓ 2  ██ 3" in out


def test_top_lists_show_the_slug(site: Path, run: Run) -> None:
    out = run("stats").stdout
    longest = out.split("Longest")[1].split("╰")[0]
    assert "post-5" in longest and "Post 5" not in longest
    data = json.loads(run("stats", "-f", "json").stdout)
    assert data["longest"][0]["slug"] == "post-5"
    assert data["readability"]["hardest"][0]["slug"].startswith("post-")


def test_empty_sections_are_left_out(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", "---\ntitle: Links\ndate: 2025-01-01\n---\n- [one](x)\n")
    out = run("stats").stdout
    assert "Categories" not in out and "Tags" not in out
    assert "Readability" not in out and "Hardest" not in out
    assert "Posts per month" in out and "Longest" in out
    data = json.loads(run("stats", "-f", "json").stdout)
    assert data["readability"] == {
        "posts": 0,
        "flesch_reading_ease": None,
        "flesch_kincaid_grade": None,
        "automated_readability_index": None,
        "hardest": [],
        "easiest": [],
    }
    assert (data["categories"], data["tags"], data["uncategorized"]) == ([], [], 1)


def test_no_prose_no_readability_score(site: Path, run: Run) -> None:
    write(site / "articles/links.md", post_text(title="Links", body="- [one](x)\n- [two](y)\n"))
    data = json.loads(run("stats", "-f", "json").stdout)
    assert data["posts"] == 7
    assert data["readability"]["posts"] == 6  # not a 0.0 ranked hardest to read
    assert "links" not in {p["slug"] for p in data["readability"]["hardest"]}
    shown = json.loads(run("show", "links", "-f", "json").stdout)
    assert shown["metrics"]["flesch_reading_ease"] is None
    assert shown["metrics"]["automated_readability_index"] is None
    assert "readability" not in run("show", "links").stdout
    assert "readability" in run("show", "post-1").stdout


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.seen.add(tag)
        if tag not in ("meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def test_svg_and_html_pictures_are_written_and_well_formed(site: Path, run: Run) -> None:
    res = run("stats", "--svg", "stats.svg", "--html", "stats.html")
    assert res.exit_code == 0
    assert "Posts per month" in res.stdout  # the view is still printed
    assert res.stderr == "postctl: wrote stats.svg\npostctl: wrote stats.html\n"
    svg = (site / "stats.svg").read_text()
    doc = xml.dom.minidom.parseString(svg)
    assert doc.documentElement.tagName == "svg"
    text = svg.replace("&#160;", " ")
    assert "Posts per month" in text and "post-5" in text
    assert 'url("https://' not in svg  # no font fetched from a CDN: offline
    html = (site / "stats.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    parser = _Tags()
    parser.feed(html)
    assert parser.open == [] and {"html", "body", "pre"} <= parser.seen
    assert "Posts per month" in html
    # again: postctl's own files are replaced
    assert run("stats", "--svg", "stats.svg", "-f", "json").exit_code == 0


def test_a_picture_never_replaces_a_file_postctl_did_not_write(site: Path, run: Run) -> None:
    write(site / "drawing.svg", "<svg>mine</svg>\n")
    res = run("stats", "--svg", "drawing.svg")
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: drawing.svg: exists and was not written by postctl; leaving it alone "
        "(remove it or choose another name)\n"
    )
    assert (site / "drawing.svg").read_text() == "<svg>mine</svg>\n"
    assert run("stats", "--html", "no/such/folder.html").exit_code == 2


def test_at_50_columns_the_heat_map_keeps_its_totals(site: Path, run: Run) -> None:
    env = {"TTY_COMPATIBLE": "1", "COLUMNS": "50", "PAGER": "", "TERM": "xterm"}
    out = run("stats", "--no-color", env=env).stdout  # (rich draws a dumb terminal 80 wide)
    assert all(len(line) <= 50 for line in out.splitlines())
    assert "│      J F M A M J J A S O N D  posts" in out
    assert "│ 2024 ▓ · ▒ · · · · · · · · ·      3" in out
    assert "per month: · 0  ▒ 1  ▓ 2  █ 3" in out


def test_stats_and_show_json_have_the_documented_fields_in_order(site: Path, run: Run) -> None:
    """The README lists these; new fields are only ever added at the end."""
    data = json.loads(run("stats", "-f", "json").stdout)
    assert list(data) == [
        "posts",
        "published",
        "drafts",
        "words",
        "reading_minutes",
        "categories",
        "tags",
        "cadence",
        "longest",
        "shortest",
        "readability",
        "uncategorized",
        "site",  # the dialect and the content folder (#16)
    ]
    assert list(data["longest"][0]) == ["path", "title", "words", "reading_minutes", "slug"]
    assert list(data["readability"]) == [
        "posts",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "automated_readability_index",
        "hardest",
        "easiest",
    ]
    shown = json.loads(run("show", "post-1", "-f", "json").stdout)
    listed = json.loads(run("list", "-f", "json", "-n", "1").stdout)[0]
    assert list(shown) == [*listed, "metrics", "body"]
    assert list(shown["metrics"]) == [
        "words",
        "code_lines",
        "images",
        "cjk_chars",
        "reading_minutes",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "automated_readability_index",
    ]
