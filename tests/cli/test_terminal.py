"""Pipes, pagers and terminals: piped tables one line per row, long listings through a fake
PAGER on a terminal, cut titles ending with …, headers whole at 50 columns, NO_COLOR and
--no-color. ``TTY_COMPATIBLE=1`` (rich's convention) makes stdout count as a terminal."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, post_text, write

Run = Callable[..., Result]
TERMINAL = {"TTY_COMPATIBLE": "1", "LINES": "10"}
LONG_TITLE = "Database Sharding and Partitioning: The Complete Advanced Guide for Scale"


@pytest.fixture
def site(blog: Path) -> Path:
    for i in range(12):
        write(
            blog / f"articles/post-{i:02d}.md",
            post_text(
                title=LONG_TITLE if i == 0 else f"Post number {i}",
                date=f"2025-01-{i + 1:02d}",
                tags=("postgresql", "sharding", "databases", "scalability"),
            ),
        )
    return blog


def test_piped_tables_are_one_tab_separated_line_per_row(site: Path, run: Run) -> None:
    for args in (["list", "-f", "table"], ["reading-time"], ["tags"], ["categories"]):
        res = run(*args, env={"COLUMNS": "40"})
        lines = res.stdout.splitlines()
        width = {len(line.split("\t")) for line in lines}
        assert len(width) == 1 and width.pop() > 1, args
        assert len(lines) == {"tags": 4, "categories": 1}.get(args[0], 12), args
    first = run("list", "-f", "table", "-s", "date").stdout.splitlines()[0]
    assert first.split("\t") == [
        "2025-01-01",
        LONG_TITLE,
        "Performance",
        "postgresql, sharding, databases, scalability",
        "1",
    ]


def test_long_output_on_a_terminal_goes_through_the_pager(site: Path, run: Run) -> None:
    pager = {**TERMINAL, "PAGER": "cat > paged.txt"}
    res = run("list", env=pager)
    assert res.exit_code == 0
    assert res.stdout == ""
    paged = (site / "paged.txt").read_text()
    assert "Post number 11" in paged and "Post number 1\n" in paged
    (site / "paged.txt").unlink()
    for args in (["--no-pager", "list"], ["list", "--no-pager"]):
        res = run(*args, env=pager)
        assert "Post number 11" in res.stdout, args
        assert not (site / "paged.txt").exists(), args
    res = run("list", env={**pager, "POSTCTL_PAGER": ""})  # ours first; empty: no pager
    assert "Post number 11" in res.stdout
    assert not (site / "paged.txt").exists()


def test_short_output_and_pipes_are_not_paged(site: Path, run: Run) -> None:
    pager = {**TERMINAL, "PAGER": "cat > paged.txt"}
    assert "Performance" in run("categories", env=pager).stdout  # two lines: fits
    assert "Post number 11" in run("list", env={"PAGER": "cat > paged.txt"}).stdout  # piped
    assert not (site / "paged.txt").exists()


def test_a_pager_that_cannot_start_shows_the_text(site: Path, run: Run) -> None:
    res = run("list", env={**TERMINAL, "PAGER": "no-such-pager-command"})
    assert "Post number 11" in res.stdout


def test_at_50_columns_rows_are_one_line_titles_cut_with_an_ellipsis(site: Path, run: Run) -> None:
    res = run("list", "-f", "table", "--no-pager", env={**TERMINAL, "COLUMNS": "50"})
    lines = res.stdout.splitlines()
    assert len(lines) == 13  # a header and one line per post
    assert all(len(line) <= 50 for line in lines)
    assert lines[0].split() == ["Date", "Title", "Categories", "Tags", "Min"]
    cut = next(line for line in lines if line.startswith("2025-01-01"))
    title = cut[12:].split("  ")[0]
    assert title.endswith("…") and LONG_TITLE.startswith(title[:-1])


def test_no_color_removes_colour_and_the_flag_removes_every_style(site: Path, run: Run) -> None:
    env = {**TERMINAL, "TERM": "xterm-256color", "NO_COLOR": "1", "PAGER": ""}
    res = run("categories", env=env)
    assert "\x1b[1m" in res.stdout  # bold header
    assert not re.search(r"\x1b\[[0-9;]*(3[0-9]|38;)", res.stdout)  # no foreground colour
    res = run("stats", env={**env, "NO_COLOR": None})
    assert re.search(r"\x1b\[[0-9;]*3[0-9]", res.stdout)  # colour without NO_COLOR
    for args in (["--no-color", "categories"], ["stats", "--no-color"]):
        assert "\x1b" not in run(*args, env=env).stdout, args


def test_a_piped_cell_never_breaks_its_line_or_column(blog: Path, run: Run) -> None:
    write(
        blog / "articles/odd.md",
        '---\ntitle: "Tab\\there, new\\nline, \\e[31mred\\e[0m"\ndate: 2025-01-01\n'
        "tags: [a]\n---\nWords.\n",
    )
    lines = run("list", "-f", "table").stdout.splitlines()
    assert len(lines) == 1
    cells = lines[0].split("\t")
    assert len(cells) == 5
    assert cells[1] == "Tab\\there, new\\nline, \\x1b[31mred\\x1b[0m"
    assert "\x1b" not in lines[0]
