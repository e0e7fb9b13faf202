"""Large plain tables laid out as rich lays out ``Table(box=None, pad_edge=False)``, fast.

``list -f table`` and ``reading-time`` of a 1,000-post blog spent most of their time in rich's
table layout: rendering the table object took 1.54 s and 2.61 s here (best of 5, 1,000 rows to a
120-column terminal, a loaded machine), against 0.56 s and 0.73 s for the whole command on a
quiet one. This module computes the same column widths (rich's own algorithm: the widest cell
per column, then the widest columns shrunk in turn, ``Table._collapse_widths`` and
``ratio_reduce``) and pads each cell itself; only a cell wider than its column is wrapped, by
rich's ``Text.wrap``, so the lines are rich's. The same tables take 0.02 s and 0.03 s.
``tests/render/test_grid.py`` holds the text equal to rich's for generated tables.

Cells are plain text: no markup, no styles (rich's Text also drops the control codes it strips,
and so does this).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.control import strip_control_codes

if TYPE_CHECKING:
    from rich.console import Console

Justify = Literal["left", "right"]


@dataclass(frozen=True)
class Column:
    header: str
    justify: Justify = "left"


def _cells(text: str) -> int:
    """rich's cell_len, with printable ASCII (nearly every cell) counted by len."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _widest(text: str) -> int:
    """The longest line in cells: the maximum of rich's ``Text.__rich_measure__``."""
    if text.isascii() and text.isprintable():
        return len(text)
    lines = text.splitlines()
    return max(map(_cells, lines)) if lines else 0


def _plain(text: str) -> str:
    return text if text.isascii() and text.isprintable() else strip_control_codes(text)


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [ratio if top else 0 for ratio, top in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, top, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(top, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse(widths: list[int], max_width: int) -> list[int]:
    """rich's Table._collapse_widths, every column wrapable: shrink the widest in turn."""
    total = sum(widths)
    excess = total - max_width
    while total and excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        ratios = [1 if w == widest else 0 for w in widths]
        if not widest - second:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        total = sum(widths)
        excess = total - max_width
    return widths


def column_widths(pads: list[int], cells: Sequence[Sequence[str]], max_width: int) -> list[int]:
    """Each column's width, its padding included (rich's Table._calculate_column_widths)."""
    widths = [
        min(max(_widest(row[i]) for row in cells) + pad, max_width) or 1
        for i, pad in enumerate(pads)
    ]
    if sum(widths) > max_width:
        widths = _collapse(widths, max_width)
        if sum(widths) > max_width:  # rich's last resort: reduce every column evenly
            widths = _ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [max(w, 0) for w in widths]
    return widths


def _cell_lines(text: str, width: int, justify: Justify) -> list[str]:
    """The cell's lines, each exactly ``width`` cells wide (rich's wrap, fold, justify)."""
    if width <= 0:
        return [""]
    if "\n" not in text and "\t" not in text and _cells(text) <= width:
        if justify == "right":
            text = text.rstrip()
            return [" " * (width - _cells(text)) + text]
        return [text + " " * (width - _cells(text))]
    from rich.text import Text

    lines = Text(text).wrap(_console(), width, justify=justify, overflow="fold")
    return [line.plain + " " * (width - cell_len(line.plain)) for line in lines] or [""]


@functools.cache
def _console() -> Console:
    """Text.wrap asks a console only for its tab size and encoding; one serves every cell."""
    from rich.console import Console

    return Console(width=80, color_system=None, emoji=False, highlight=False)


def layout(columns: Sequence[Column], rows: Sequence[Sequence[str]], max_width: int) -> list[str]:
    """The table's lines, header first, without trailing spaces: columns one space of padding
    each side, none at the table's edges, so two spaces between columns."""
    n = len(columns)
    cells = [[_plain(c.header) for c in columns]]
    cells += [[_plain(cell) for cell in row] for row in rows]
    pads = [(0 if i == 0 else 1) + (0 if i == n - 1 else 1) for i in range(n)]
    widths = column_widths(pads, cells, max_width)
    out: list[str] = []
    for k, row in enumerate(cells):
        parts = []
        for i, (cell, column) in enumerate(zip(row, columns, strict=True)):
            left = 0 if i == 0 else 1
            inner = widths[i] - pads[i]
            if inner < 1:  # rich draws nothing but the padding in a column this narrow
                parts.append([" " * max(widths[i], 0)])
                continue
            right = " " * (pads[i] - left)
            lines = _cell_lines(cell, inner, column.justify)
            parts.append([" " * left + line + right for line in lines])
        height = max(map(len, parts))
        if k == 0:  # rich aligns the header row's cells to the bottom, the others to the top
            parts = [[" " * widths[i]] * (height - len(p)) + p for i, p in enumerate(parts)]
        for j in range(height):
            line = "".join(p[j] if j < len(p) else " " * widths[i] for i, p in enumerate(parts))
            out.append(line.rstrip())
    return out


def fitted(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    max_width: int,
    flex: dict[str, int] | None = None,
    fold: Sequence[str] = (),
) -> list[str]:
    """The table's lines, header first, one line per row (but in ``fold`` columns): two spaces
    between columns, no trailing spaces. Every column is as wide as its widest cell while the
    table fits; when it does not, the ``flex`` columns (header → share) and the ``fold`` ones
    give up the room, never narrower than their header, and a cell cut short ends with "…".
    A header is never broken or cut. What ``postctl list -f table`` draws on a terminal."""
    flex = flex or {}
    cells = [[_plain(c.header) for c in columns]]
    cells += [[_plain(cell).replace("\n", " ").replace("\t", " ") for cell in row] for row in rows]
    natural = [max(_cells(row[i]) for row in cells) for i in range(len(columns))]
    room = max_width - 2 * (len(columns) - 1)
    widths = natural[:]
    if sum(natural) > room:
        shares = {
            i: flex.get(c.header, 1 if c.header in fold else 0) for i, c in enumerate(columns)
        }
        fixed = [i for i, share in shares.items() if not share]
        for i in fixed:  # a fixed column keeps its width, up to a quarter of the screen
            widths[i] = min(natural[i], max(_cells(columns[i].header), max_width // 4))
        free = max(room - sum(widths[i] for i in fixed), 0)
        shrinking = [i for i in shares if shares[i]]
        while shrinking:  # columns that need less than their share give the rest to the others
            total = sum(shares[i] for i in shrinking)
            fair = {i: free * shares[i] // total for i in shrinking}
            small = [i for i in shrinking if natural[i] <= fair[i]]
            if not small:
                for i in shrinking:
                    widths[i] = max(fair[i], _cells(columns[i].header))
                break
            for i in small:
                widths[i] = natural[i]
                free -= natural[i]
                shrinking.remove(i)
    out: list[str] = []
    for k, row in enumerate(cells):
        parts = []
        for i, (cell, column) in enumerate(zip(row, columns, strict=True)):
            if k and column.header in fold:
                parts.append(_cell_lines(cell, widths[i], column.justify))
            else:
                parts.append([_cut(cell, widths[i], column.justify)])
        for j in range(max(map(len, parts))):
            line = "  ".join(p[j] if j < len(p) else " " * widths[i] for i, p in enumerate(parts))
            out.append(line.rstrip())
    return out


def _cut(text: str, width: int, justify: Justify) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut and ended with "…"."""
    from rich.cells import set_cell_size

    size = _cells(text)
    if size > width:
        text = set_cell_size(text, max(width - 1, 0)).rstrip() + "…"
        size = _cells(text)
    pad = " " * max(width - size, 0)
    return pad + text if justify == "right" else text + pad
