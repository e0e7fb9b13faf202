"""render.grid.fitted: the terminal table of list -f table, categories, tags, reading-time."""

from __future__ import annotations

import pytest

from postctl.render.grid import Column, fitted

COLUMNS = [
    Column("Date"),
    Column("Title"),
    Column("Categories"),
    Column("Tags"),
    Column("Min", "right"),
]
ROWS = [
    ("2026-06-10", "Core Web Vitals for Backend Engineers: TTFB", "Performance", "a, b, c, d", "7"),
    ("2026-06-11", "Short", "Perf", "a", "17"),
]
FLEX = {"Title": 3, "Tags": 2}


def test_a_table_that_fits_is_as_wide_as_its_widest_cells() -> None:
    assert fitted(COLUMNS, ROWS, 120, FLEX) == [
        "Date        Title                                        Categories   Tags        Min",
        "2026-06-10  Core Web Vitals for Backend Engineers: TTFB  Performance  a, b, c, d    7",
        "2026-06-11  Short                                        Perf         a            17",
    ]


@pytest.mark.parametrize("width", [40, 50, 60, 80])
def test_narrower_the_flex_columns_give_way_and_cut_cells_end_with_an_ellipsis(
    width: int,
) -> None:
    header, first, second = fitted(COLUMNS, ROWS, width, FLEX)
    assert header.split() == ["Date", "Title", "Categories", "Tags", "Min"]  # never cut
    assert len(header) <= width and len(first) <= width and len(second) <= width
    title = first[12:].split("  ")[0]
    assert title.endswith("…") and ROWS[0][1].startswith(title[:-1])
    assert first.endswith("  7") and second.endswith(" 17")


def test_a_fold_column_wraps_instead_of_cutting() -> None:
    cols = [Column("Post"), Column("Min", "right")]
    lines = fitted(cols, [("articles/a-rather-long-name.md", "3")], 20, fold=("Post",))
    assert lines[0].split() == ["Post", "Min"]
    assert lines[1].endswith("  3")
    assert "".join(line[:15].strip() for line in lines[1:]) == "articles/a-rather-long-name.md"
    assert all(len(line) <= 20 for line in lines)


def test_wide_characters_are_cut_by_cells() -> None:
    lines = fitted(
        [Column("Title"), Column("Min", "right")], [("日本語のタイトルです", "1")], 12, {"Title": 1}
    )
    assert lines[1] == "日本語…    1"  # 7 cells for the title: three 2-cell characters and …
