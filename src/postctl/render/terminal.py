"""Every terminal view, drawn with rich: cards, tables, messages, progress.

The only module that imports rich. Styles are used only on a terminal: ``NO_COLOR`` removes
colour (bold and links stay), ``--no-color`` or ``TERM=dumb`` remove every escape sequence.
Piped output carries no ANSI codes, and a piped table is one tab-separated line per row, so
grep, cut and awk work (as gh does). ``TTY_COMPATIBLE=1`` (rich's convention) draws as on a
terminal whatever stdout is; long output on a terminal goes through a pager (render.pager).
Every view makes the data it is given inert first (``render.inert``): no text from a post
reaches the terminal as a control sequence, piped or not.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from postctl.render.grid import Column, fitted
from postctl.render.inert import inert, inert_data

if TYPE_CHECKING:
    from rich.table import Table

# rich.table is imported where a table is drawn (stats, show): 4.5 ms of every other view's
# start (python -X importtime).

TITLE = "bold"
MAX_MEASURE = 100  # cards wrap at most this wide: long lines are hard to read on a wide terminal
META = "dim"
HEADING = "bold underline"


def console(stderr: bool = False, no_color: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    plain = no_color or os.environ.get("TERM") == "dumb"
    tty = os.environ.get("TTY_COMPATIBLE", "")
    force = True if tty == "1" else False if tty == "0" else None
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
        force_terminal=force,
        color_system=None if plain else "auto",
    )


@contextmanager
def output(con: Console) -> Iterator[None]:
    """Piped output: what was printed, without the trailing spaces rich pads lines with."""
    if con.is_terminal:
        yield
        return
    with con.capture() as capture:
        yield
    text = "\n".join(line.rstrip() for line in capture.get().split("\n"))
    con.file.write(text)


def draw(no_color: bool, view: Callable[..., None], *args: Any, pager: bool = False) -> None:
    """Draw a view on stdout: a console, and on a pipe no trailing spaces (see ``output``);
    with ``pager``, on a terminal, through the pager when it is longer than the screen."""
    con = console(no_color=no_color)
    with paged(con, pager), output(con):
        view(con, *args)


@contextmanager
def paged(con: Console, enabled: bool = True) -> Iterator[None]:
    """On a terminal, what is printed inside goes through the pager if it does not fit on the
    screen; elsewhere (or not ``enabled``) it is printed as usual."""
    if not (enabled and con.is_terminal):
        yield
        return
    with con.capture() as capture:
        yield
    text = capture.get()
    if text.count("\n") < con.height:
        con.file.write(text)
        return
    from postctl.render.pager import page

    page(text, con.file)


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
    """The category page: heading, count line, then one card per post.

    Piped, the page is plain text wrapped by textwrap and written at once: rich's per-line work
    made a 1,500-card page cost over a second. On a terminal rich draws it, in one print."""
    width = min(con.width, MAX_MEASURE)
    if not con.is_terminal:
        con.file.write(plain_cards(width, heading, summary, records))
        return
    paths = [rec["path"] for rec in records]
    heading, summary, records = inert(heading), inert(summary), inert_data(records)
    from rich.console import Group

    parts: list[Any] = [
        *_wrap(con, Text(heading, style=HEADING), width),
        *_wrap(con, Text(summary), width),
    ]
    for rec, path in zip(records, paths, strict=True):
        title = Text(rec["title"] or rec["slug"], style=TITLE)
        title.stylize(f"link {_uri(path)}")
        parts += [Text(), title]
        if rec.get("description"):
            parts += _wrap(con, Text(rec["description"]), width)
        parts.append(Text(meta_line(rec), style=META))
    con.print(Group(*parts), soft_wrap=True)


def _uri(path: str) -> str:
    """``file:///…`` with every byte that is not plain ASCII percent-encoded (as_uri quotes)."""
    return Path(path).resolve().as_uri()


def plain_cards(width: int, heading: str, summary: str, records: Sequence[dict[str, Any]]) -> str:
    """The piped card page. Only the fields a card shows are made inert (the whole records
    were: their tags, paths and the rest, for nothing), and a line that already fits is not
    handed to textwrap (:func:`fits`). Together 22 ms of 282 ms CPU for ``list -c
    Performance`` piped on 10,000 posts (1,390 cards; best of 9)."""
    import textwrap

    wrapper = textwrap.TextWrapper(width=width, break_on_hyphens=False)

    def wrap(text: str) -> list[str]:
        return [text] if fits(text, width) else wrapper.wrap(text)

    lines = [*wrap(inert(heading)), *wrap(inert(summary))]
    for rec in records:
        lines += ["", *wrap(inert(rec["title"] or rec["slug"], layout=True))]
        if rec.get("description"):
            lines += wrap(inert(rec["description"], layout=True))
        lines.append(inert(meta_line(rec), layout=True))
    return "\n".join(lines) + "\n"


_TEXTWRAP_SPACE = re.compile("[\t\n\x0b\x0c\r]")


def fits(text: str, width: int) -> bool:
    """True when ``textwrap.wrap(text, width)`` is ``[text]``: the text is not empty, fits,
    has no surrounding white space (which textwrap drops) and no tab or line break (which it
    expands or turns into spaces)."""
    return 0 < len(text) <= width and text == text.strip() and _TEXTWRAP_SPACE.search(text) is None


def _wrap(con: Console, text: Text, width: int) -> list[Text]:
    lines = list(text.wrap(con, width))
    for line in lines:
        line.rstrip()
    return lines


def _wrapped(con: Console, text: Text) -> None:
    """Print text wrapped to the console width, without rich's trailing spaces."""
    for line in text.wrap(con, con.width):
        line.rstrip()
        con.print(line, soft_wrap=True)


def rows_out(
    con: Console,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[str]],
    fold: Sequence[str] = (),
    flex: dict[str, int] | None = None,
) -> None:
    """A table. Piped: one line per row, cells separated by tabs (control characters inside a
    cell, tabs and line breaks included, written as visible escapes: ``render.inert``), no
    header, as gh prints. On a terminal: aligned columns under a header
    that never breaks inside a word. When the table is wider than the screen, the ``flex``
    columns (name → share) give up the room, and a cell cut short ends with …; a ``fold``
    column wraps instead (a path must stay whole)."""
    rows = [[inert(cell) for cell in row] for row in rows]  # cells quote posts and file names
    if not con.is_terminal:
        con.file.write("".join("\t".join(r) + "\n" for r in rows))
        return
    header, *body = fitted(
        [Column(name, justify) for name, justify in columns],  # type: ignore[arg-type]
        rows,
        con.width,
        flex,
        fold,
    )
    con.print(Text(header, style="bold"), soft_wrap=True)
    if body:
        con.print(Text("\n".join(body)), soft_wrap=True)


def posts_table(con: Console, records: Sequence[dict[str, Any]]) -> None:
    columns = [
        ("Date", "left"),
        ("Title", "left"),
        ("Categories", "left"),
        ("Tags", "left"),
        ("Min", "right"),
    ]
    rows = [
        (
            (rec["date"] or "")[:10],
            rec["title"] or rec["slug"],
            ", ".join(rec["categories"]),
            ", ".join(rec["tags"]),
            str(rec["reading_minutes"]),
        )
        for rec in records
    ]
    rows_out(con, columns, rows, flex={"Title": 3, "Tags": 2})


def names_table(con: Console, label: str, rows: Sequence[dict[str, Any]]) -> None:
    rows_out(
        con, [(label, "left"), ("Posts", "right")], [(r["name"], str(r["posts"])) for r in rows]
    )


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


# --------------------------------------------------------------------------- stats

_EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(value: float, biggest: float, width: int) -> str:
    """A horizontal bar of ``width`` cells for the largest value, in eighths of a cell."""
    if biggest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / biggest * width * 8))
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def _bar_table(rows: Sequence[tuple[str, int]], width: int) -> Table:
    from rich.table import Table

    table = Table.grid(padding=(0, 1))
    table.add_column(overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column(justify="right")
    table.add_column()
    biggest = max((n for _, n in rows), default=0)
    for name, n in rows:
        table.add_row(Text(name), str(n), Text(bar(n, biggest, width), style="cyan"))
    return table


# Heat-map levels, as contribution graphs draw them: a glyph (readable without colour) and a
# colour each; level 0 is an empty month.
_HEAT = (("·", "grey35"), ("░", "#9be9a8"), ("▒", "#40c463"), ("▓", "#30a14e"), ("█", "#216e39"))


def heat_level(n: int, biggest: int) -> int:
    """0 for none, else 1-4: the quarter of the busiest month's count that ``n`` falls in."""
    if n <= 0 or biggest <= 0:
        return 0
    return min(4, max(1, -(-n * 4 // biggest)))


def heat_scale(biggest: int) -> list[tuple[int, str]]:
    """(level, "posts") for the legend: the counts each level stands for."""
    out = [(0, "0")]
    for level in range(1, 5):
        lo, hi = biggest * (level - 1) // 4 + 1, biggest * level // 4
        if lo <= hi:
            out.append((level, str(lo) if lo == hi else f"{lo}–{hi}"))
    return out


def _heat(level: int, size: int = 2) -> Text:
    glyph, colour = _HEAT[level]
    return Text(glyph * size, style=colour)


def _heat_map(periods: Sequence[dict[str, Any]], narrow: bool = False) -> Any:
    """Posts per month as a year × month grid (a row per year, a cell per month, darker is more)
    with the year's total and a scale of posts per cell; ``narrow``: one-character cells, for
    a terminal under 60 columns."""
    from rich.console import Group

    size = 1 if narrow else 2
    years: dict[str, list[int]] = {}
    for p in periods:
        years.setdefault(p["period"][:4], [0] * 12)[int(p["period"][5:7]) - 1] = p["posts"]
    biggest = max((p["posts"] for p in periods), default=0)
    from rich.table import Table

    grid = Table.grid(padding=(0, 0))
    grid.add_column(min_width=5)
    for _ in range(12):
        grid.add_column(width=size + 1)
    grid.add_column(justify="right", min_width=6)
    grid.add_row("", *(Text(m, style=META) for m in "JFMAMJJASOND"), Text("posts", style=META))
    for year, months in years.items():
        cells = (_heat(heat_level(n, biggest), size) for n in months)
        grid.add_row(year, *cells, str(sum(months)))
    scale = Text("per month: " if narrow else "posts per month: ", style=META)
    for level, label in heat_scale(biggest):
        scale.append_text(_heat(level, size))
        scale.append(f" {label}  ")
    scale.rstrip()
    return Group(grid, Text(), scale)


def _post_list(
    con: Console, items: Sequence[dict[str, Any]], value: Callable[[dict[str, Any]], str]
) -> Table:
    """A top list: the figure and the post's slug (what `postctl show` takes), a link to the
    file on a terminal."""
    from rich.table import Table

    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="cyan", no_wrap=True, min_width=7)
    table.add_column(overflow="ellipsis", no_wrap=True, max_width=64)
    for item in items:
        slug = Text(item.get("slug") or item["title"])
        if con.is_terminal and item.get("path"):
            slug.stylize(f"link file://{Path(item['path']).resolve()}")
        table.add_row(value(item), slug)
    return table


def _panel(body: Any, title: str, expand: bool = True) -> Any:
    from rich.panel import Panel

    return Panel(body, title=title, title_align="left", expand=expand)


def _side_by_side(con: Console, *panels: Any) -> None:
    """Panels in a row; a section with nothing in it (None) is left out, not drawn empty."""
    from rich.columns import Columns

    shown = [p for p in panels if p is not None]
    if shown:
        con.print(Columns(shown))


def stats_view(con: Console, data: dict[str, Any], top_tags: int = 15) -> None:
    data = inert_data(data)
    width = max(10, min(40, con.width // 2 - 34))
    _stats_summary(con, data)
    if not data["posts"]:
        return
    cats = [(c["name"], c["posts"]) for c in data["categories"]]
    if data.get("uncategorized"):
        cats.append(("(no category)", data["uncategorized"]))
    tags = [(t["name"], t["posts"]) for t in data["tags"][:top_tags]]
    shown_tags = f"Tags (top {min(top_tags, len(data['tags']))} of {len(data['tags'])})"
    _side_by_side(
        con,
        _panel(_bar_table(cats, width), "Categories") if data["categories"] else None,
        _panel(_bar_table(tags, width), shown_tags) if tags else None,
    )
    periods = data["cadence"]["periods"]
    if periods:
        if data["cadence"]["by"] == "month":
            cadence: Any = _heat_map(periods, narrow=con.width < 60)
        else:
            cadence = _bar_table([(p["period"], p["posts"]) for p in periods], width)
        con.print(_panel(cadence, f"Posts per {data['cadence']['by']}", expand=False))

    _top_lists(con, data, ("longest", "Longest"), ("shortest", "Shortest"), "{words:,} w")
    if data["readability"].get("posts"):
        _stats_readability(con, data["readability"])


def _stats_summary(con: Console, data: dict[str, Any]) -> None:
    w = data["words"]
    rt = data["reading_minutes"]
    summary = Text()
    summary.append(f"{data['posts']:,} posts", style="bold")
    summary.append(f"  ({data['published']:,} published, {data['drafts']:,} drafts in all)\n")
    summary.append(f"{w['total']:,} words", style="bold")
    summary.append(f"  average {w['average']:,.0f}, median {w['median']:,.0f}\n")
    summary.append(f"{rt['total']:,} minutes of reading", style="bold")
    summary.append(f"  average {rt['average']:.1f} min at {rt['wpm']} wpm")
    site = data.get("site")
    if site and site["dialect"] != "plain":
        summary.append(f"\n{site['dialect']} site, content in {site['content']}")
    con.print(_panel(summary, "postctl stats", expand=False))


def _stats_readability(con: Console, r: dict[str, Any]) -> None:
    f = r["flesch_reading_ease"]
    text = Text()
    text.append(f"Flesch reading ease {f['average']:.1f}", style="bold")
    text.append(f"  (range {f['min']:.1f}–{f['max']:.1f}, σ {f['stdev']:.1f}; higher is easier)\n")
    text.append(f"Flesch–Kincaid grade {r['flesch_kincaid_grade']['average']:.1f}", style="bold")
    text.append("   ")
    text.append(
        f"Automated Readability Index {r['automated_readability_index']['average']:.1f}",
        style="bold",
    )
    con.print(_panel(text, f"Readability ({r['posts']:,} posts with prose)", expand=False))
    lists = (("hardest", "Hardest to read"), ("easiest", "Easiest to read"))
    _top_lists(con, r, *lists, "{flesch_reading_ease:.1f}")


def _top_lists(
    con: Console, data: dict[str, Any], left: tuple[str, str], right: tuple[str, str], value: str
) -> None:
    """Two top lists side by side, each ``(key in data, title)``; ``value`` formats an entry's
    figure from its fields (``"{words:,} w"``)."""
    _side_by_side(
        con,
        *(
            _panel(_post_list(con, data[key], value.format_map), title)
            for key, title in (left, right)
        ),
    )


def picture(data: dict[str, Any], kind: str, width: int = 100) -> str:
    """The stats view as an SVG or HTML document (rich's export), drawn ``width`` columns wide
    in colour whatever the terminal, with a comment that marks it as postctl's own file."""
    import io

    con = Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        emoji=False,
    )
    stats_view(con, data)
    if kind == "svg":
        text = con.export_svg(title="postctl stats")
        # The font is the viewer's own Fira Code if it has one: no fetch from a CDN.
        text = _FONT_URL.sub("", text)
        return text.replace(">", f">\n{PICTURE_MARK}", 1)
    text = con.export_html(inline_styles=True)
    return text.replace(">", f">\n{PICTURE_MARK}", 1)  # after <!DOCTYPE html>


PICTURE_MARK = "<!-- written by postctl stats -->"
_FONT_URL = re.compile(r',\s*url\("[^"]*"\) format\("[^"]*"\)')


# --------------------------------------------------------------------------- show, reading time


def show_post(con: Console, rec: dict[str, Any], metrics: dict[str, Any], body: str) -> None:
    from rich.markdown import Markdown
    from rich.rule import Rule

    rec, body = inert_data(rec), inert(body, layout=True)
    con.print(Text(rec["title"] or rec["slug"], style="bold"))
    if rec.get("description"):
        _wrapped(con, Text(rec["description"], style="italic"))
    from rich.table import Table

    meta = Table.grid(padding=(0, 2))
    meta.add_column(style=META)
    meta.add_column()
    fields = [
        ("path", rec["path"]),
        ("date", human_date(rec.get("date"))),
        ("updated", human_date(rec["updated"]) if rec.get("updated") else ""),
        ("categories", ", ".join(rec["categories"])),
        ("tags", ", ".join(rec["tags"])),
        ("author", rec.get("author") or ""),
        ("draft", "yes" if rec["draft"] else ""),
        (
            "reading",
            f"{rec['reading_minutes']} min ({metrics['words']:,} words, "
            f"{metrics['code_lines']} code lines, {metrics['images']} images)",
        ),
        (
            "readability",
            f"Flesch {metrics['flesch_reading_ease']:.1f} · "
            f"grade {metrics['flesch_kincaid_grade']:.1f} · "
            f"ARI {metrics['automated_readability_index']:.1f}"
            if metrics.get("flesch_reading_ease") is not None
            else "",
        ),
    ]
    for key, value in rec.get("extra", {}).items():
        text = value if isinstance(value, str) else inert(json_text(value), layout=True)
        fields.append((inert(key), text))
    for key, value in fields:
        if value:
            meta.add_row(key, Text(str(value)))
    con.print(meta)
    con.print(Rule(style=META))
    con.print(Markdown(body))


def json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def reading_times(con: Console, rows: Sequence[dict[str, Any]]) -> None:
    columns = [
        ("Post", "left"),
        ("Min", "right"),
        ("Seconds", "right"),
        ("Words", "right"),
        ("Code lines", "right"),
        ("Images", "right"),
        ("CJK", "right"),
    ]
    piped = not con.is_terminal
    cells = [
        (
            r["name"],
            str(r["minutes"]),
            f"{r['seconds']:.0f}",
            str(r["words"]) if piped else f"{r['words']:,}",  # piped: numbers as numbers
            str(r["code_lines"]),
            str(r["images"]),
            str(r["cjk_chars"]),
        )
        for r in rows
    ]
    rows_out(con, columns, cells, fold=("Post",))


# --------------------------------------------------------------------------- search


# Around a match in a piped snippet: marks no Markdown uses (a match inside a link's text was
# "[[wasm]-bindgen]" with square brackets).
PIPED_MATCH = ("⟦", "⟧")


def search_results(con: Console, text: str, hits: Sequence[Any], total: int | None = None) -> None:
    """Cards with the matched words in a short snippet: styled on a terminal, between ⟦ ⟧
    when piped or without colour. The count line says how many matched when --limit cut."""
    from postctl.index.schema import HIT_END, HIT_START

    if not hits:
        return
    n = len(hits)
    total = n if total is None else total
    count = f"{n} of {total:,}" if total > n else f"{n}"
    _wrapped(
        con, Text(f"{count} result{'s' if total != 1 else ''} for {inert(text)}", style=HEADING)
    )
    for hit in hits:
        rec = inert_data(hit.record)
        con.print()
        title = Text(rec["title"] or rec["slug"], style=TITLE)
        if con.is_terminal:
            title.stylize(f"link {_uri(hit.record['path'])}")
        con.print(title)
        snippet = Text()
        plain = not con.is_terminal or con.no_color
        marked = HIT_START.join(
            HIT_END.join(inert(piece, layout=True) for piece in part.split(HIT_END))
            for part in hit.snippet.split(HIT_START)
        )
        for i, part in enumerate(marked.split(HIT_START)):
            if i == 0:
                snippet.append(part)
                continue
            match, _, rest = part.partition(HIT_END)
            marked = f"{PIPED_MATCH[0]}{match}{PIPED_MATCH[1]}" if plain else match
            snippet.append(marked, style="bold yellow")
            snippet.append(rest)
        _wrapped(con, snippet)
        con.print(Text(f"{meta_line(rec)} · {rec['path']}", style=META))
