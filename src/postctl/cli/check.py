"""`postctl check`: front-matter validation, also run as a pre-commit hook."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Any

import typer

from postctl.cli.app import app, examples, state_of, synced_index, warn
from postctl.errors import UsageError
from postctl.render.inert import inert


class CheckFormat(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command(
    "check",
    epilog=examples(
        "postctl check",
        "postctl check --strict articles/cache-stampede-redis-p99-war-story.md",
        "postctl check --format github --ignore description-length",
    ),
)
def check_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Files or folders to check (default: the whole content folder). Cross-file "
            "rules still compare them with every post in the folder.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="text, json, or github (Actions annotations)."
        ),
    ] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", metavar="ID", help="Run only this rule (repeatable)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="ID", help="Skip this rule (repeatable)."),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="First fix what cannot change meaning: quote YAML 1.1 traps, one spelling "
            "per tag, a date from the file name; then report the rest.",
        ),
    ] = False,
    fix_slugs: Annotated[
        bool,
        typer.Option(
            "--fix-slugs", help="With --fix: also replace bad slugs (file, alias, links)."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="With --fix: print the diff, write nothing.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --fix: write without asking.")
    ] = False,
    hook: Annotated[
        bool,
        typer.Option(
            "--pre-commit",
            help="As the pre-commit hook: ignore given files outside the content folder; "
            "cross-file rules compare with the posts git knows (tracked or staged).",
        ),
    ] = False,
) -> None:
    """Validate front matter, slugs and links; exit 1 on problems (for pre-commit and CI)."""
    from postctl.query import check as checker
    from postctl.query import rules as check

    state = state_of(ctx)
    settings = state.settings
    where = "[check]"
    if settings.config_file is not None:
        table = "[tool.postctl.check]" if settings.config_file.name == "pyproject.toml" else where
        where = f"{settings.rel(settings.config_file)} {table}"
    config, warnings = check.CheckConfig.from_table(settings.check, where, settings.site)
    for w in warnings:
        warn(w)
    active = config.active(rule or [], ignore or [])
    if "category" in active and not config.allowed_categories and rule:
        warn("rule category has nothing to compare with: set allowed-categories in [check]")
    reports: list[Any] = []
    ix = synced_index(state, report_to=reports)
    if fix or fix_slugs:
        if _fix(state, ix, paths, fix_slugs, dry_run, yes, active):
            return
    elif dry_run or yes:
        raise UsageError("--dry-run and --yes go with --fix")
    outcome = checker.run(ix, config, active, paths or None, reports[0].new_skips, hook=hook)
    diags = outcome.diagnostics
    if fmt is CheckFormat.json:
        sys.stdout.write(check.format_json(diags, outcome.checked))
    elif fmt is CheckFormat.github:
        sys.stdout.write(check.format_github(diags, inert))
        sys.stderr.write(check.summary(diags, outcome.checked) + "\n")
    else:
        sys.stdout.write(check.format_text(diags, outcome.checked, inert))
    if fmt is not CheckFormat.json:
        for line in check.fixes(diags):
            sys.stderr.write(inert(line) + "\n")
    raise typer.Exit(check.exit_code(diags, strict))


def _fix(
    state: Any,
    ix: Any,
    paths: list[str] | None,
    fix_slugs: bool,
    dry_run: bool,
    yes: bool,
    active: dict[str, str],
) -> bool:
    """Apply check's safe fixes; True when the command is done (a dry run)."""
    from postctl.cli.edit import finish
    from postctl.edit import fix
    from postctl.edit.conventions import conventions
    from postctl.edit.ops import Workspace
    from postctl.query.listing import find_post

    ws = Workspace(ix, find_post)
    only = ws.paths(paths) if paths else None
    fix.plan(ws, conventions(state.settings), fix_slugs, only, set(active))
    finish(state, ix, ws.plan(), dry_run, yes, stop_on_problems=False)
    return dry_run
