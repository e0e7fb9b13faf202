"""`postctl index`, `list`, `categories` and `tags`."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from postctl.cli.app import (
    DryRunOpt,
    Filters,
    IntoOpt,
    ListFormat,
    NamesFormat,
    ReportFormat,
    YesOpt,
    app,
    complete,
    examples,
    filter_options,
    shown_skip,
    state_of,
    synced_index,
    warn,
)
from postctl.errors import UsageError

# --------------------------------------------------------------------------- index


@app.command(
    "index",
    epilog=examples(
        "postctl index", "postctl index --rebuild", "postctl index --strict --format json"
    ),
)
def index_cmd(
    ctx: typer.Context,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rebuild the index from scratch.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any file was skipped.")
    ] = False,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
    ] = ReportFormat.text,
) -> None:
    """Sync the index with the content folder and report +added ~modified -removed."""
    state = state_of(ctx)
    t0 = time.perf_counter()
    reports: list[Any] = []
    ix = synced_index(state, rebuild=rebuild, report_to=reports)
    report = reports[0]
    skipped = ix.skipped()
    seen = {s.path for s in skipped}
    skipped += [s for s in report.new_skips if s.path not in seen]
    total = ix.count_posts()
    elapsed = time.perf_counter() - t0
    settings = state.settings
    if fmt is ReportFormat.json:
        from postctl.render.machine import dumps

        typer.echo(
            dumps(
                {
                    "added": report.added,
                    "modified": report.modified,
                    "removed": report.removed,
                    "posts": total,
                    "dialect": settings.dialect,
                    "content": settings.rel(settings.content_dir),
                    "not_posts": ix.not_posts(),
                    "skipped": [
                        {"path": s.path, "reason": s.reason, "line": s.line, "column": s.col}
                        for s in skipped
                    ],
                    "seconds": round(elapsed, 3),
                },
            )
        )
    else:
        for skip in skipped:
            warn(f"skipped {shown_skip(settings, skip)}")
        typer.echo(
            f"{report.summary()}  {total} posts indexed, {len(skipped)} skipped "
            f"({settings.rel(settings.db_path)}, {elapsed:.2f}s)"
        )
        if settings.dialect != "plain":
            from postctl.query.listing import site_line

            typer.echo(site_line(ix))
    if strict and skipped:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- list


@app.command(
    "list",
    epilog=examples(
        "postctl list --category performance",
        "postctl list --tag redis --sort -reading-time --limit 5 --format table",
        "postctl list --where 'reading-time>10' --format paths",
    ),
)
@filter_options()
def list_cmd(
    ctx: typer.Context,
    filters: Filters,
    sort: Annotated[
        list[str] | None,
        typer.Option(
            "--sort",
            "-s",
            metavar="KEY",
            autocompletion=lambda ctx, incomplete: complete(ctx, "sort", incomplete),
            help="date, title, words, reading-time, updated or any front-matter key; "
            "'-' prefix for descending. [default: -date]",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, metavar="N", help="At most N posts.")
    ] = None,
    fmt: Annotated[
        ListFormat,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="cards, table, json, jsonl, csv or paths."
        ),
    ] = ListFormat.cards,
    nul: Annotated[
        bool, typer.Option("-0", "--null", help="With --format paths: end each path with NUL.")
    ] = False,
) -> None:
    """List posts, newest first: the category page on a terminal, data for scripts."""
    from postctl.query.listing import RECORD_FIELDS, select

    state = state_of(ctx)
    query = filters.query(state, sort, limit)
    if nul and fmt is not ListFormat.paths:
        if fmt is not ListFormat.cards:
            raise UsageError("-0/--null goes with --format paths")
        fmt = ListFormat.paths
    ix = synced_index(state)
    sel = select(ix, query)
    if not sel.records and sel.total == 0:
        warn(f"no posts match: {sel.summary.replace('0 articles', 'no articles', 1)}")
    if fmt.value in ("json", "jsonl", "csv", "paths"):
        from postctl.render.machine import write_records

        write_records(fmt.value, sel.records, RECORD_FIELDS, nul)
        return
    from postctl.render import terminal as render

    con = render.console(no_color=state.no_color)
    if fmt is ListFormat.table:
        with render.paged(con, state.pager), render.output(con):
            render.posts_table(con, sel.records)
    elif sel.records:
        with render.paged(con, state.pager):
            render.cards(con, sel.heading, sel.summary, sel.records)


def _names(
    ctx: typer.Context,
    table: str,
    label: str,
    filters: Filters,
    fmt: NamesFormat,
) -> None:
    from postctl.query.listing import names_with_counts

    state = state_of(ctx)
    query = filters.query(state)
    ix = synced_index(state)
    rows = names_with_counts(ix, table, query)
    if fmt is NamesFormat.table:
        from postctl.render import terminal as render

        render.draw(state.no_color, render.names_table, label, rows, pager=state.pager)
    else:
        from postctl.render.machine import write_records

        write_records(fmt.value, rows, ("name", "slug", "posts"))


# --------------------------------------------------------------------------- categories, tags
# Each is a group: without a subcommand it lists the names with their counts; rename, merge
# and rm edit the posts (postctl.cli.edit does the work).

FormatOpt = Annotated[
    NamesFormat,
    typer.Option("--format", "-f", metavar="FORMAT", help="table, json, jsonl or csv."),
]

categories_app = typer.Typer(
    name="categories",
    epilog=examples(
        "postctl categories",
        "postctl categories --all --format json",
        "postctl categories rename Perf Performance --dry-run",
    ),
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
tags_app = typer.Typer(
    name="tags",
    epilog=examples(
        "postctl tags --category performance",
        "postctl tags --format csv",
        "postctl tags merge postgres postgresql --into postgresql --dry-run",
    ),
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@categories_app.callback()
@filter_options("tag", "where", "drafts", "all_posts")
def categories_cmd(
    ctx: typer.Context, filters: Filters, fmt: FormatOpt = NamesFormat.table
) -> None:
    """Each category with its number of posts, most used first; or rename, merge, rm."""
    if ctx.invoked_subcommand is None:
        _names(ctx, "post_categories", "Category", filters, fmt)


@tags_app.callback()
@filter_options("category", "where", "drafts", "all_posts")
def tags_cmd(ctx: typer.Context, filters: Filters, fmt: FormatOpt = NamesFormat.table) -> None:
    """Each tag with its number of posts, most used first; or rename, merge, rm."""
    if ctx.invoked_subcommand is None:
        _names(ctx, "post_tags", "Tag", filters, fmt)


def _edit(
    ctx: typer.Context, word: str, sources: list[str], target: str | None, dry_run: bool, yes: bool
) -> None:
    from postctl.cli.edit import retag  # the edit package only when an edit runs

    retag(ctx, word, sources, target, dry_run, yes)


def _register(group: typer.Typer, word: str) -> None:
    plural = "categories" if word == "category" else word + "s"

    # Examples that run on the shipped articles/ (tests/cli/test_usage.py runs them).
    a, b = ("Performance", "Backend") if word == "category" else ("benchmarks", "benchmarking")
    merged = "Performance" if word == "category" else "go rust"

    @group.command("rename", epilog=examples(f"postctl {plural} rename {a} {b} --dry-run"))
    def rename(
        ctx: typer.Context,
        old: Annotated[str, typer.Argument(metavar="OLD", show_default=False)],
        new: Annotated[str, typer.Argument(metavar="NEW", show_default=False)],
        dry_run: DryRunOpt = False,
        yes: YesOpt = False,
    ) -> None:
        _edit(ctx, word, [old], new, dry_run, yes)

    rename.__doc__ = (
        f"Rename a {word} in every post that has it (any spelling of it: case and accents "
        "aside); only that name's text changes."
    )

    @group.command(
        "merge", epilog=examples(f"postctl {plural} merge {merged} --into {b} --dry-run")
    )
    def merge(
        ctx: typer.Context,
        names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
        into: IntoOpt,
        dry_run: DryRunOpt = False,
        yes: YesOpt = False,
    ) -> None:
        _edit(ctx, word, names, into, dry_run, yes)

    merge.__doc__ = f"Merge {plural} into one: each post keeps one of them, named --into."

    @group.command("rm", epilog=examples(f"postctl {plural} rm {a} --dry-run"))
    def rm(
        ctx: typer.Context,
        names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
        dry_run: DryRunOpt = False,
        yes: YesOpt = False,
    ) -> None:
        _edit(ctx, word, names, None, dry_run, yes)

    rm.__doc__ = f"Remove {plural} from every post that has them."


_register(tags_app, "tag")
_register(categories_app, "category")


app.add_typer(categories_app, name="categories")
app.add_typer(tags_app, name="tags")
