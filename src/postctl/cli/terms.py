"""`postctl categories` and `postctl tags`: each name with its number of posts, and the
subcommands that rename, merge and remove names across every post (`taxonomy` for any other
list key, such as Hugo's `series`)."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.app import (
    AllOpt,
    CategoryOpt,
    DraftsOpt,
    NamesFormat,
    TagOpt,
    WhereOpt,
    app,
    state_of,
)
from postctl.cli.edit import DryRunOpt, YesOpt, run_edit
from postctl.cli.listing import _names

IntoOpt = Annotated[str, typer.Option("--into", metavar="NAME", help="The name they become.")]
FormatOpt = Annotated[NamesFormat, typer.Option("--format", "-f", help="Output format.")]

categories_app = typer.Typer(
    name="categories",
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
tags_app = typer.Typer(
    name="tags",
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
taxonomy_app = typer.Typer(
    name="taxonomy",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@categories_app.callback()
def categories_cmd(
    ctx: typer.Context,
    tag: TagOpt = None,
    where: WhereOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    fmt: FormatOpt = NamesFormat.table,
) -> None:
    """Each category with its number of posts, most used first; or rename, merge, rm."""
    if ctx.invoked_subcommand is None:
        _names(ctx, "post_categories", "Category", None, tag, where, drafts, all_posts, fmt)


@tags_app.callback()
def tags_cmd(
    ctx: typer.Context,
    category: CategoryOpt = None,
    where: WhereOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    fmt: FormatOpt = NamesFormat.table,
) -> None:
    """Each tag with its number of posts, most used first; or rename, merge, rm."""
    if ctx.invoked_subcommand is None:
        _names(ctx, "post_tags", "Tag", category, None, where, drafts, all_posts, fmt)


def _retag(
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


def _register(group: typer.Typer, word: str) -> None:
    plural = "categories" if word == "category" else word + "s"

    @group.command("rename")
    def rename(
        ctx: typer.Context,
        old: Annotated[str, typer.Argument(metavar="OLD", show_default=False)],
        new: Annotated[str, typer.Argument(metavar="NEW", show_default=False)],
        dry_run: DryRunOpt = False,
        yes: YesOpt = False,
    ) -> None:
        _retag(ctx, word, [old], new, dry_run, yes)

    rename.__doc__ = (
        f"Rename a {word} in every post that has it (any spelling of it: case and accents "
        "aside); only that name's text changes."
    )

    @group.command("merge")
    def merge(
        ctx: typer.Context,
        names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
        into: IntoOpt,
        dry_run: DryRunOpt = False,
        yes: YesOpt = False,
    ) -> None:
        _retag(ctx, word, names, into, dry_run, yes)

    merge.__doc__ = f"Merge {plural} into one: each post keeps one of them, named --into."

    @group.command("rm")
    def rm(
        ctx: typer.Context,
        names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
        dry_run: DryRunOpt = False,
        yes: YesOpt = False,
    ) -> None:
        _retag(ctx, word, names, None, dry_run, yes)

    rm.__doc__ = f"Remove {plural} from every post that has them."


_register(tags_app, "tag")
_register(categories_app, "category")


@taxonomy_app.command("rename")
def taxonomy_rename(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", show_default=False)],
    old: Annotated[str, typer.Argument(metavar="OLD", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", show_default=False)],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Rename a name in the list key KEY (e.g. series) in every post that has it."""
    _retag(ctx, key, [old], new, dry_run, yes)


@taxonomy_app.command("merge")
def taxonomy_merge(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", show_default=False)],
    names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
    into: IntoOpt,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Merge names of the list key KEY into one."""
    _retag(ctx, key, names, into, dry_run, yes)


@taxonomy_app.command("rm")
def taxonomy_rm(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", show_default=False)],
    names: Annotated[list[str], typer.Argument(metavar="NAME...", show_default=False)],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Remove names from the list key KEY in every post."""
    _retag(ctx, key, names, None, dry_run, yes)


app.add_typer(categories_app)
app.add_typer(tags_app)
app.add_typer(taxonomy_app, help="Rename, merge or remove names of any list key (series, authors).")
