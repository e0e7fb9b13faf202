"""`postctl init`: set postctl up in this folder (postctl.toml, a post template)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from postctl.cli.app import app, examples, state_of
from postctl.errors import ConfigError, UsageError


@app.command(
    "init",
    epilog=examples("postctl init", "postctl init --content posts", "postctl init --dry-run"),
)
def init_cmd(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be written; write nothing.")
    ] = False,
) -> None:
    """Set up postctl here: detect the site, write postctl.toml and a post template."""
    from postctl.config import CONFIG_NAME, find_root, shown_path
    from postctl.edit import project

    state = state_of(ctx)
    here = Path.cwd().resolve()
    _root, cfg, _table = find_root(here)
    if cfg is not None:
        raise ConfigError(
            f"{shown_path(cfg)}: postctl is set up already; edit it to change the settings"
        )
    site = project.detect_site(here)
    content = state.content
    if content is not None:
        resolved = (here / content).resolve()
        if not resolved.is_relative_to(here):
            raise UsageError(f"--content {content}: the content folder must be inside this folder")
        content = resolved.relative_to(here).as_posix() or "."
    p = project.plan(here, site, content)
    say = sys.stderr.write
    if site.config is not None:
        article = "an" if site.generator[0] in "AEIOU" else "a"
        say(f"Found {article} {site.generator} site ({shown_path(site.config)}).\n")
    else:
        say("No site generator's config here: a folder of plain Markdown posts.\n")
    posts = project.count_posts(here / p.content, site.suffixes)
    verb = "Would" if dry_run else "Will"
    if p.folders:
        say(f"{verb} create the content folder {p.content}/.\n")
    else:
        files = f"{posts:,} content file{'s' if posts != 1 else ''}"  # as the dialect names them
        say(f"Content folder: {p.content}/ ({files}).\n")
    if not dry_run:
        project.carry_out(p)
    done = "Would write" if dry_run else "Wrote"
    for path, _ in p.files:
        say(f"{done} {shown_path(path)}\n")
    for path in p.kept:
        say(f"Kept {shown_path(path)} as it is\n")
    if dry_run:
        sys.stdout.write(dict(p.files)[here / CONFIG_NAME])
        return
    nxt = "postctl list" if posts else 'postctl new "My first post"'
    say(f"Next: {nxt}\n")
