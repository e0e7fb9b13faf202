"""`postctl search`."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from postctl.cli.app import (
    Filters,
    app,
    examples,
    filter_options,
    progress,
    state_of,
    synced_index,
    warn,
)


class SearchFormat(enum.StrEnum):
    cards = "cards"
    json = "json"
    jsonl = "jsonl"
    paths = "paths"


@app.command(
    "search",
    epilog=examples(
        'postctl search "connection pool"',
        "postctl search 'redis NOT cluster' --category performance",
        "postctl search title:nginx --format paths",
    ),
)
@filter_options()
def search_cmd(
    ctx: typer.Context,
    text: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words, "a phrase", prefix*, AND / OR / NOT, title:word.',
        ),
    ],
    filters: Filters,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, metavar="N", help="At most N results.")
    ] = 20,
    fmt: Annotated[
        SearchFormat,
        typer.Option("--format", "-f", metavar="FORMAT", help="cards, json, jsonl or paths."),
    ] = SearchFormat.cards,
) -> None:
    """Full-text search over titles, descriptions, tags and bodies, best match first."""
    from postctl.query.listing import require_names
    from postctl.query.search import TEXT, plain_snippet, search_in_step

    state = state_of(ctx)
    query = filters.query(state, limit=limit)
    ix = synced_index(state, derive=(TEXT,))
    require_names(ix, query)
    with progress(state, "building the search index") as (start, advance):
        found = search_in_step(ix, text, query, advance, start)
    hits = found.hits
    if not hits:
        warn(f"no posts match the search {text!r}")
    if fmt is SearchFormat.cards:
        from postctl.render import terminal as render

        render.draw(
            state.no_color, render.search_results, text, hits, found.total, pager=state.pager
        )
        return
    from postctl.render.machine import write_records

    records = [
        {**h.record, "snippet": plain_snippet(h.snippet, "[", "]"), "score": round(h.score, 4)}
        for h in hits
    ]
    write_records(fmt.value, records, ())
