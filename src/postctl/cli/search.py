"""`postctl search`."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from postctl.cli.app import (
    AllOpt,
    CategoryOpt,
    DraftsOpt,
    SinceOpt,
    TagOpt,
    UntilOpt,
    WhereOpt,
    app,
    build_query,
    examples,
    progress,
    schedule_now,
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
def search_cmd(
    ctx: typer.Context,
    text: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words, "a phrase", prefix*, AND / OR / NOT, title:word.',
        ),
    ],
    category: CategoryOpt = None,
    tag: TagOpt = None,
    where: WhereOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
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
    now = schedule_now(state_of(ctx))
    query = build_query(category, tag, where, since, until, drafts, all_posts, limit=limit, now=now)
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
