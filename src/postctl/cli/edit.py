"""`postctl set`, `unset`, `publish`, `unpublish`, `mv`, and what every editing command shares:
--dry-run (a unified diff on stdout, nothing written), --yes, the confirmation on a terminal,
the summary on stderr, the index updated before the command returns."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from postctl.cli.app import (
    DryRunOpt,
    Filters,
    IntoOpt,
    YesOpt,
    app,
    build_query,
    examples,
    filter_options,
    state_of,
    synced_index,
    warn,
)
from postctl.errors import UsageError
from postctl.render.inert import inert

if TYPE_CHECKING:
    from postctl.cli.app import State
    from postctl.edit.ops import Doc, Outcome, Plan, Workspace
    from postctl.index.store import Index


def interactive() -> bool:
    """May the command ask a question? (stdin and stderr on a terminal)"""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_edit(
    state: State,
    build: Callable[[Workspace], object],
    dry_run: bool,
    yes: bool,
    ix: Index | None = None,
) -> None:
    """Open the index, let ``build`` plan the edit on a Workspace, then show or write it."""
    from postctl.edit.ops import Workspace
    from postctl.query.listing import find_post

    ix = ix or synced_index(state)
    ws = Workspace(ix, find_post)
    build(ws)
    finish(state, ix, ws.plan(), dry_run, yes)


def finish(
    state: State, ix: Index, plan: Plan, dry_run: bool, yes: bool, stop_on_problems: bool = True
) -> None:
    """Show (--dry-run) or write the plan, re-sync the index, and say what was done. Exits 1
    when a file was not edited (unless ``stop_on_problems`` is false: check goes on)."""
    from postctl.edit import ops

    root = str(state.settings.content_dir)
    for problem in plan.problems:
        warn(problem)
    shown = [(ix.shown_content + d.rel, ix.shown_content + plan.final(d, root)) for d in plan.docs]
    if not plan.docs:
        sys.stderr.write("nothing to change\n")
        if plan.problems and stop_on_problems:
            raise typer.Exit(1)
        return
    if dry_run:
        _show(state, plan, shown, _size(plan))
        return
    if len(plan.docs) > 1 and not yes:  # --yes: no diff is computed at all
        _confirm(plan, shown, _size(plan))
    in_git, dirty = ops.git_dirty(root, [d.path for d in plan.docs])
    outcome = ops.apply(plan, root)
    try:  # the index in step with the files, before the command returns; the files this
        # edit wrote are parsed again without measuring a body it left alone
        ix.sync(written={d.rel: d.data for d in outcome.done if d.new_rel is None})
    except Exception as e:  # noqa: BLE001 - the files are written: say so, whatever failed
        warn(
            f"the files are written, but the index could not be updated ({e}); "
            "the next command updates it"
        )
    _report(ix, plan, outcome, root, in_git, dirty)
    if (outcome.failed or outcome.not_reached or plan.problems) and stop_on_problems:
        raise typer.Exit(1)


def _size(plan: Plan) -> str:
    removed, added = plan.lines()
    return f"{_plural(len(plan.docs), 'file')} (-{removed} +{added} lines)"


def _show(state: State, plan: Plan, shown: list[tuple[str, str]], size: str) -> None:
    """--dry-run: the diff on stdout (controls escaped on a terminal), a summary on stderr."""
    from postctl.edit import ops

    tty = sys.stdout.isatty()
    for doc, (a, b) in zip(plan.docs, shown, strict=True):
        diff = ops.unified_diff(doc, a, b)
        sys.stdout.write(inert(diff, layout=True, crlf=True) if tty else diff)
    for old, new in plan.dirs:
        a, b = state.settings.rel(Path(old)), state.settings.rel(Path(new))
        sys.stderr.write(f"would rename folder {a} → {b}\n")
    sys.stderr.write(f"would edit {size}; nothing written (--dry-run)\n")


def _confirm(plan: Plan, shown: list[tuple[str, str]], size: str) -> None:
    """More than one file: ask on a terminal; elsewhere refuse without --yes."""
    from postctl.edit import ops

    if not interactive():
        raise UsageError(
            f"this edit changes {size}; add --yes to write them, or --dry-run to see the diff"
        )
    for doc, (a, b) in zip(plan.docs, shown, strict=True):
        r, ad = ops.line_counts(doc)
        where = inert(a if a == b else f"{a} → {b}")
        sys.stderr.write(f"  {where}  -{r} +{ad}\n")
    if not typer.confirm(f"Edit {size}?", default=False, err=True):
        sys.stderr.write("nothing written\n")
        raise typer.Exit(1)


def _report(
    ix: Index, plan: Plan, outcome: Outcome, root: str, in_git: bool, dirty: dict[str, str]
) -> None:
    """What was done, what was not, and how to review it, on stderr."""
    if outcome.swept:
        n = len(outcome.swept)
        sys.stderr.write(f"removed {_plural(n, 'temporary file')} an interrupted edit left\n")
    for doc, why in outcome.failed:
        warn(f"{ix.shown_content + doc.rel}: {why}")
    if outcome.not_reached:
        left = ", ".join(ix.shown_content + d.rel for d in outcome.not_reached)
        warn(f"stopped: {_plural(len(outcome.not_reached), 'file')} not edited: {left}")
    done = outcome.done
    if not done:
        return
    names = ", ".join(ix.shown_content + plan.final(d, root) for d in done[:3])
    more = f" and {len(done) - 3} more" if len(done) > 3 else ""
    sys.stderr.write(f"edited {_plural(len(done), 'file')}: {inert(names)}{more}\n")
    for doc in done:
        where = ix.shown_content + doc.rel
        if dirty.get(doc.path) == "modified":
            warn(f"{where} had uncommitted changes before this edit; git diff shows both")
        elif dirty.get(doc.path) == "untracked":
            warn(f"{where} is not in git: git diff cannot show this edit")
    if in_git:
        moved = any(d.new_rel for d in done) or plan.dirs
        extra = " (moved files: git add -A && git diff --cached -M)" if moved else ""
        sys.stderr.write(f"review with: git diff{extra}\n")


# --------------------------------------------------------------------------- set / unset


def _selection(ws: Workspace, refs: list[str], filters: Filters, published: bool) -> list[str]:
    """The posts set/unset edit: those named, within those the options select."""
    from postctl.query.filters import Drafts
    from postctl.query.listing import require_names

    f = filters
    if not (refs or f.category or f.tag or f.where or f.drafts or published):
        raise UsageError(
            "say which posts: PATH or slug arguments, --where, --category, --tag, "
            "--drafts or --published"
        )
    query = build_query(**vars(f))  # no `now`: a post scheduled for later is not a draft here
    if not f.drafts:
        query.drafts = Drafts.PUBLISHED if published else Drafts.ALL
    if refs:
        query.paths = ws.paths(refs)
    require_names(ws.ix, query)
    from postctl.query.filters import count_sql

    sql, params = count_sql(query, "posts.path")
    return sorted(r[0] for r in ws.ix.conn.execute(sql + " ORDER BY posts.path", params))


PublishedOpt = Annotated[bool, typer.Option("--published", help="Only published posts.")]
SELECTION = ("category", "tag", "where", "drafts")  # set's and unset's filter options


@app.command(
    "set",
    epilog=examples(
        "postctl set series=war-stories --tag debugging --dry-run",
        "postctl set draft=true cache-stampede-redis-p99-war-story --dry-run",
    ),
)
@filter_options(*SELECTION)
def set_cmd(
    ctx: typer.Context,
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE... [PATH|SLUG]...",
            help="Front-matter assignments, then the posts to edit (or select with options).",
            show_default=False,
        ),
    ],
    filters: Filters,
    published: PublishedOpt = False,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Set front-matter keys on the selected posts, typed like the key's other values."""
    from postctl.edit import values

    pairs: list[tuple[str, str]] = []
    refs: list[str] = []
    for arg in args:
        pair = values.assignment(arg) if not refs else None
        if pair is None:
            refs.append(arg)
        else:
            pairs.append(pair)
    if not pairs:
        raise UsageError("nothing to set: give KEY=VALUE before the posts")
    state = state_of(ctx)

    def build(ws: Workspace) -> None:
        typed = [(k, values.typed(ws.ix, k, v)) for k, v in pairs]
        _edit_each(ws, _selection(ws, refs, filters, published), _set_all, typed)

    run_edit(state, build, dry_run, yes)


def _set_all(doc: Doc, pairs: list[tuple[str, Any]]) -> None:
    for key, value in pairs:
        doc.set(key, value)


def _unset_all(doc: Doc, keys: list[str]) -> None:
    for key in keys:
        doc.unset(key)


def _edit_each(ws: Workspace, rels: list[str], edit: Callable[..., object], *args: Any) -> None:
    """``edit(doc, *args)`` on each post of ``rels``; a post it cannot edit (an EditError) is a
    problem reported, its other changes dropped, and the rest go on."""
    from postctl.edit.splice import EditError

    for rel in rels:
        doc = ws.load(rel)
        if doc is None:
            continue
        try:
            edit(doc, *args)
        except EditError as e:
            ws.problems.append(f"{ws.shown(rel)}: {e.message}; not edited")
            ws.docs.pop(rel, None)


@app.command(
    "unset",
    epilog=examples(
        "postctl unset series --tag debugging --dry-run",
        "postctl unset updated --where updated --dry-run",
    ),
)
@filter_options(*SELECTION)
def unset_cmd(
    ctx: typer.Context,
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY... [PATH|SLUG]...",
            help="Front-matter keys to remove, then the posts (a path has a / or a suffix).",
            show_default=False,
        ),
    ],
    filters: Filters,
    published: PublishedOpt = False,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Remove front-matter keys (all their lines) from the selected posts."""
    keys: list[str] = []
    refs: list[str] = []
    for arg in args:
        if not refs and "/" not in arg and not os.path.splitext(arg)[1] and not os.path.exists(arg):
            keys.append(arg)
        else:
            refs.append(arg)
    if not keys:
        raise UsageError("nothing to unset: give the keys before the posts")
    state = state_of(ctx)

    def build(ws: Workspace) -> None:
        _edit_each(ws, _selection(ws, refs, filters, published), _unset_all, keys)

    run_edit(state, build, dry_run, yes)


# --------------------------------------------------------------------------- publish / mv


@app.command(
    "publish",
    epilog=examples(
        "postctl publish cache-stampede-redis-p99-war-story --dry-run",
        "postctl publish cache-stampede-redis-p99-war-story --keep-date --dry-run",
    ),
)
def publish_cmd(
    ctx: typer.Context,
    refs: Annotated[list[str], typer.Argument(metavar="SLUG|PATH...", show_default=False)],
    keep_date: Annotated[
        bool, typer.Option("--keep-date", help="Keep the post's date instead of setting it to now.")
    ] = False,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Publish drafts: clear the draft flag (Jekyll: move _drafts/x.md to _posts/DATE-x.md),
    dated now unless --keep-date."""
    _publish(ctx, refs, True, keep_date, dry_run, yes)


@app.command(
    "unpublish",
    epilog=examples(
        "postctl unpublish cache-stampede-redis-p99-war-story --dry-run",
        "postctl unpublish articles/cache-stampede-redis-p99-war-story.md --dry-run",
    ),
)
def unpublish_cmd(
    ctx: typer.Context,
    refs: Annotated[list[str], typer.Argument(metavar="SLUG|PATH...", show_default=False)],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Make posts drafts again (Jekyll: move _posts/DATE-x.md to _drafts/x.md)."""
    _publish(ctx, refs, False, True, dry_run, yes)


def _publish(
    ctx: typer.Context, refs: list[str], publish: bool, keep_date: bool, dry_run: bool, yes: bool
) -> None:
    from postctl.edit import publish as pub
    from postctl.edit.conventions import conventions

    state = state_of(ctx)
    conv = conventions(state.settings)

    def build(ws: Workspace) -> None:
        if publish:
            _edit_each(ws, ws.paths(refs), lambda doc: pub.publish(ws, doc, conv, keep_date))
        else:
            _edit_each(ws, ws.paths(refs), lambda doc: pub.unpublish(ws, doc, conv))

    run_edit(state, build, dry_run, yes)


@app.command(
    "mv",
    epilog=examples(
        "postctl mv cache-stampede-redis-p99-war-story redis-cache-stampede --dry-run",
        "postctl mv cache-stampede-redis-p99-war-story redis-cache-stampede --no-alias --dry-run",
    ),
)
def mv_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SLUG|PATH", show_default=False)],
    new_slug: Annotated[str, typer.Argument(metavar="NEW-SLUG", show_default=False)],
    no_alias: Annotated[
        bool, typer.Option("--no-alias", help="Do not record the old URL (aliases/redirect_from).")
    ] = False,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Rename a post's slug: its file (or bundle folder), its slug key, the old URL kept as an
    alias where the generator has one, and the links to it in every other post."""
    from postctl.edit import move
    from postctl.edit.conventions import conventions

    state = state_of(ctx)
    conv = conventions(state.settings)

    def build(ws: Workspace) -> None:
        (rel,) = ws.paths([move.bundle_index(ref)])
        move.move(ws, rel, new_slug, conv, alias=not no_alias)

    run_edit(state, build, dry_run, yes)


# --------------------------------------------------------------------------- names


def retag(
    ctx: typer.Context,
    key: str,
    sources: list[str],
    target: str | None,
    dry_run: bool,
    yes: bool,
) -> None:
    from postctl.edit import terms

    if key in ("tags", "tag"):
        tax = terms.TAGS
    elif key in ("categories", "category"):
        tax = terms.CATEGORIES
    else:
        tax = terms.custom(key)
    state = state_of(ctx)
    run_edit(state, lambda ws: terms.plan_retag(ws, tax, sources, target), dry_run, yes)


taxonomy_app = typer.Typer(
    name="taxonomy",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@taxonomy_app.command(
    "rename", epilog=examples("postctl taxonomy rename tags benchmarks benchmarking --dry-run")
)
def taxonomy_rename(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", show_default=False)],
    old: Annotated[str, typer.Argument(metavar="OLD", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", show_default=False)],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Rename a name in the list key KEY (e.g. series) in every post that has it."""
    retag(ctx, key, [old], new, dry_run, yes)


@taxonomy_app.command(
    "merge",
    epilog=examples("postctl taxonomy merge tags go rust --into systems --dry-run"),
)
def taxonomy_merge(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", show_default=False)],
    names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
    into: IntoOpt,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Merge names of the list key KEY into one."""
    retag(ctx, key, names, into, dry_run, yes)


@taxonomy_app.command("rm", epilog=examples("postctl taxonomy rm tags benchmarks --dry-run"))
def taxonomy_rm(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", show_default=False)],
    names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Remove names from the list key KEY in every post."""
    retag(ctx, key, names, None, dry_run, yes)


app.add_typer(
    taxonomy_app,
    name="taxonomy",
    help="Rename, merge or remove names of any list key (series, authors).",
)
