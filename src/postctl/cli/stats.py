"""`postctl stats`, `show` and `reading-time`."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from postctl.cli.app import (
    Filters,
    app,
    complete,
    examples,
    filter_options,
    progress,
    state_of,
    synced_index,
)


class TextOrJson(enum.StrEnum):
    text = "text"
    json = "json"


class By(enum.StrEnum):
    month = "month"
    year = "year"


FormatOpt = Annotated[
    TextOrJson, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
]


@app.command(
    "stats",
    epilog=examples(
        "postctl stats",
        "postctl stats --category performance --by year",
        "postctl stats --svg stats.svg",
    ),
)
@filter_options()
def stats_cmd(
    ctx: typer.Context,
    filters: Filters,
    by: Annotated[
        By, typer.Option("--by", metavar="PERIOD", help="Cadence per month or year.")
    ] = By.month,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="Posts in each top list.")
    ] = 5,
    fmt: FormatOpt = TextOrJson.text,
    svg: Annotated[
        Path | None,
        typer.Option("--svg", metavar="FILE", help="Also write the view as an SVG picture."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Also write the view as an HTML page."),
    ] = None,
) -> None:
    """Counts, words, reading time, readability, cadence, categories and tags, as charts."""
    from postctl.query.listing import require_names
    from postctl.query.stats import compute, derivations
    from postctl.render.machine import dumps

    state = state_of(ctx)
    query = filters.query(state)
    ix = synced_index(state, derive=derivations(query))
    require_names(ix, query)
    with progress(state, "scoring readability") as (start, advance):
        data = compute(ix, query, by=by.value, top=top, progress=advance, on_start=start)
    settings = state.settings
    data["site"] = {"dialect": settings.dialect, "content": settings.rel(settings.content_dir)}
    if svg is not None or html is not None:
        _pictures(data, svg, html)
    if fmt is TextOrJson.json:
        typer.echo(dumps(data))
        return
    from postctl.render import terminal as render

    render.draw(state.no_color, render.stats_view, data, pager=state.pager)


def _pictures(data: dict[str, Any], svg: Path | None, html: Path | None) -> None:
    """The stats view as SVG and HTML files (rich's export), written before stdout's view."""
    from postctl.config import shown_path
    from postctl.edit.output import write_own
    from postctl.render import terminal as render

    for path, kind in ((svg, "svg"), (html, "html")):
        if path is not None:
            write_own(path, render.picture(data, kind), render.PICTURE_MARK, shown_path(path))
            sys.stderr.write(f"postctl: wrote {shown_path(path)}\n")


@app.command(
    "show",
    epilog=examples(
        "postctl show cache-stampede-redis-p99-war-story",
        "postctl show articles/cache-stampede-redis-p99-war-story.md --format json",
    ),
)
def show_cmd(
    ctx: typer.Context,
    post: Annotated[
        str,
        typer.Argument(
            metavar="SLUG|PATH",
            help="The post to show.",
            autocompletion=lambda ctx, incomplete: complete(ctx, "slugs", incomplete),
        ),
    ],
    fmt: FormatOpt = TextOrJson.text,
    pager: Annotated[
        bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")
    ] = True,
) -> None:
    """A post's metadata, metrics and body (rendered Markdown on a terminal)."""
    from postctl.query.listing import find_post, record
    from postctl.query.stats import post_readability, read_body
    from postctl.render import terminal as render
    from postctl.render.machine import dumps

    state = state_of(ctx)
    ix = synced_index(state)
    row = find_post(ix, post)
    rec = record(row, ix)
    metrics: dict[str, Any] = {
        "words": row["words"],
        "code_lines": row["code_lines"],
        "images": row["images"],
        "cjk_chars": row["cjk_chars"],
        "reading_minutes": rec["reading_minutes"],
        **post_readability(ix, row),
    }
    body = read_body(ix, row["path"])
    if fmt is TextOrJson.json:
        typer.echo(dumps({**rec, "metrics": metrics, "body": body}))
        return
    con = render.console(no_color=state.no_color)
    with render.paged(con, pager and state.pager), render.output(con):
        render.show_post(con, rec, metrics, body)


@app.command(
    "reading-time",
    epilog=examples(
        "postctl reading-time",
        "postctl reading-time cache-stampede-redis-p99-war-story --format json",
        "postctl reading-time - --wpm 200",
    ),
)
def reading_time_cmd(
    ctx: typer.Context,
    posts: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH|SLUG|-]...",
            help="Files, indexed posts by slug, or - for standard input. Default: all posts.",
            autocompletion=lambda ctx, incomplete: complete(ctx, "slugs", incomplete),
        ),
    ] = None,
    fmt: FormatOpt = TextOrJson.text,
) -> None:
    """Reading-time estimates with their breakdown: words, code lines, images, seconds."""
    from postctl.query.reading import reading_times

    state = state_of(ctx)
    rows = reading_times(posts or [], state.settings, lambda: synced_index(state))
    if fmt is TextOrJson.json:
        from postctl.render.machine import dumps

        typer.echo(dumps(rows))
        return
    from postctl.render import terminal as render

    render.draw(state.no_color, render.reading_times, rows, pager=state.pager)
