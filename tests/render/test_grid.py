"""The fast table layout draws exactly what rich's Table draws, for any cells and width."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from postctl.render.grid import Column, layout


def rich_lines(columns: list[Column], rows: list[list[str]], width: int) -> list[str]:
    """What render.terminal drew before: rich's Table, box=None, no edge padding, folding."""
    con = Console(file=io.StringIO(), width=width, color_system=None, emoji=False, highlight=False)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for c in columns:
        table.add_column(c.header, justify=c.justify, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    con.print(table)
    out = con.file.getvalue()  # type: ignore[attr-defined]
    return [line.rstrip() for line in out.split("\n")][:-1]


WORD = st.text(alphabet=st.sampled_from(list("abcXYZ019-,.é漢字")), min_size=1, max_size=24)
ODD = ["", " a", "b ", "a  b", "a\tb c", "x\ny z", "u\x1cv", "p\u2028q", "e\x1b[31mred", "c\rr"]
CELL = st.lists(WORD, max_size=6).map(" ".join) | st.sampled_from(ODD)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda n: st.tuples(
            st.lists(st.tuples(WORD, st.sampled_from(["left", "right"])), min_size=n, max_size=n),
            st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=8),
        )
    ),
    st.integers(min_value=10, max_value=140),
)
def test_the_layout_is_richs(
    table: tuple[list[tuple[str, str]], list[list[str]]], width: int
) -> None:
    heads, rows = table
    columns = [Column(h, j) for h, j in heads]  # type: ignore[arg-type]
    assert layout(columns, rows, width) == rich_lines(columns, rows, width)


def test_a_posts_table_that_must_wrap() -> None:
    columns = [Column("Date"), Column("Title"), Column("Tags"), Column("Min", "right")]
    rows = [
        [
            "2026-06-10",
            "Core Web Vitals for Backend Engineers: TTFB, Caching & Server-Side Wins",
            "core-web-vitals, web-performance, caching, cdn, nginx, latency",
            "7",
        ],
        ["2025-01-01", "Short", "a", "12"],
        ["", "Averyveryverylongwordthatcannotfitanywhereatall", "", "1"],
    ]
    for width in (40, 60, 80, 120):
        assert layout(columns, rows, width) == rich_lines(columns, rows, width)


def test_control_codes_rich_strips_are_stripped() -> None:
    columns = [Column("Post"), Column("Min", "right")]
    rows = [["bell\x07 back\x08 cr\r", "1"]]
    assert layout(columns, rows, 80) == rich_lines(columns, rows, 80)
    assert "\x07" not in "".join(layout(columns, rows, 80))
