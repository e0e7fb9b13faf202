"""Every terminal view, drawn with rich: cards, tables, messages, progress.

The only module that imports rich. Colour is used only on a terminal, and never when NO_COLOR
is set, TERM is dumb or --no-color is given; piped output carries no ANSI codes.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

TITLE = "bold"
META = "dim"
HEADING = "bold underline"


def console(stderr: bool = False, no_color: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    plain = no_color or os.environ.get("TERM") == "dumb"
    width = None
    if not stream.isatty():
        try:
            width = int(os.environ.get("COLUMNS", "80"))
        except ValueError:
            width = 80
    return Console(
        file=stream,
        no_color=plain or None,
        highlight=False,
        emoji=False,
        width=width,
        color_system=None if plain else "auto",
    )


def human_date(iso: str | None) -> str:
    """``2026-06-10`` → ``June 10, 2026``."""
    if not iso:
        return "undated"
    try:
        d = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d:%B} {d.day}, {d.year}"


def meta_line(rec: dict[str, Any]) -> str:
    parts = [human_date(rec.get("date")), f"{rec['reading_minutes']} min read"]
    if rec.get("draft"):
        parts.append("draft")
    return " · ".join(parts)


def cards(con: Console, heading: str, summary: str, records: Sequence[dict[str, Any]]) -> None:
    """The category page: heading, count line, then one card per post."""
    _wrapped(con, Text(heading, style=HEADING))
    _wrapped(con, Text(summary))
    for rec in records:
        con.print()
        title = Text(rec["title"] or rec["slug"], style=TITLE)
        if con.is_terminal:
            title.stylize(f"link file://{Path(rec['path']).resolve()}")
        con.print(title)
        if rec.get("description"):
            _wrapped(con, Text(rec["description"]))
        con.print(Text(meta_line(rec), style=META))


def _wrapped(con: Console, text: Text) -> None:
    """Print text wrapped to the console width, without rich's trailing spaces."""
    for line in text.wrap(con, con.width):
        line.rstrip()
        con.print(line, soft_wrap=True)


def _table(con: Console, columns: Sequence[tuple[str, str]]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def posts_table(con: Console, records: Sequence[dict[str, Any]]) -> None:
    table = _table(
        con,
        [
            ("Date", "left"),
            ("Title", "left"),
            ("Categories", "left"),
            ("Tags", "left"),
            ("Min", "right"),
        ],
    )
    for rec in records:
        table.add_row(
            (rec["date"] or "")[:10],
            Text(rec["title"] or rec["slug"]),
            Text(", ".join(rec["categories"])),
            Text(", ".join(rec["tags"])),
            str(rec["reading_minutes"]),
        )
    con.print(table)


def names_table(con: Console, label: str, rows: Sequence[dict[str, Any]]) -> None:
    table = _table(con, [(label, "left"), ("Posts", "right")])
    for row in rows:
        table.add_row(Text(row["name"]), str(row["posts"]))
    con.print(table)


def message(con: Console, text: str, style: str = "") -> None:
    con.print(Text(text, style=style), soft_wrap=True)


@contextmanager
def progress(
    con: Console, label: str
) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """(start(total), advance(n)) callbacks; draws a bar only on a terminal."""
    if not con.is_terminal:
        yield (lambda _n: None), (lambda _n: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=con,
        transient=True,
    )
    task: list[Any] = []

    def start(total: int) -> None:
        if total >= 200 and not task:
            bar.start()
            task.append(bar.add_task(label, total=total))

    def advance(n: int) -> None:
        if task:
            bar.advance(task[0], n)

    try:
        yield start, advance
    finally:
        if task:
            bar.stop()
