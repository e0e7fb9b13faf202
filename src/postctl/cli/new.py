"""`postctl new`: scaffold a post from a title, safely.

stdout carries only the new file's path, so ``$EDITOR "$(postctl new 'Title')"`` works; every
message goes to stderr. The logic (slug, template, clash rules, atomic write) is in
``postctl.edit.scaffold``; here are the options, the questions put to the index and the terminal.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from postctl.cli.app import app, examples, state_of, synced_index, warn
from postctl.errors import PostctlError, UsageError
from postctl.index import dberrors
from postctl.render.inert import inert

if TYPE_CHECKING:
    from postctl.config import Settings
    from postctl.edit.placement import Site
    from postctl.index.store import Index


@app.command(
    "new",
    epilog=examples(
        'postctl new "Why our p99 doubled" --category Performance --tag redis',
        'postctl new "An idea for later" --draft --dry-run',
        'postctl new "Kafka lag, again" --edit',
    ),
)
def new_cmd(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="The post's title.", show_default=False)
    ],
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            metavar="NAME",
            help="The post's category; asked for on a terminal when not given "
            "[config: new.category].",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", "-t", metavar="TAG", help="A tag (repeatable; commas separate tags too)."
        ),
    ] = None,
    description: Annotated[
        str | None,
        typer.Option(
            "--description",
            "-d",
            metavar="TEXT",
            help="One or two sentences on what the post covers.",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="The post's date [default: today]."),
    ] = None,
    draft: Annotated[
        bool | None,
        typer.Option(
            "--draft/--no-draft",
            help="Mark the post as a draft [config: new.draft; default: --no-draft].",
            show_default=False,
        ),
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option(
            "--slug",
            metavar="SLUG",
            help="The file name and URL slug: lowercase letters, digits and hyphens "
            "[default: from the title].",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="PATH",
            help="Template file [config: new.template; default: templates/post.md if present, "
            "else built in].",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the post and the path it would take; write nothing."),
    ] = False,
    print_path: Annotated[
        bool,
        typer.Option(
            "--print-path",
            help="Print only the path (the default when writing; with --dry-run, the path "
            "instead of the post).",
        ),
    ] = False,
    section: Annotated[
        str | None,
        typer.Option(
            "--section",
            metavar="DIR",
            help="The section (folder below the content root) on a Hugo, Zola, Eleventy or "
            "Astro site; Jekyll: the category folder holding _posts.",
        ),
    ] = None,
    bundle: Annotated[
        bool,
        typer.Option("--bundle", help="Write a page bundle: SLUG/index.md (Hugo, Zola, Astro)."),
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Open the new post in $VISUAL or $EDITOR.")
    ] = False,
) -> None:
    """Create a post from a title: a safe file name, front matter from a template."""
    if edit and dry_run:
        raise UsageError("--edit and --dry-run exclude each other")
    state = state_of(ctx)
    req = _request(state.settings, title, category, tag, description, date, draft, slug, template)
    req.section, req.bundle = section, bundle
    ix = synced_index(state)
    try:
        path, content = _compose(ix, state.settings, req)
        shown = state.settings.rel(path)
        if any(fnmatch.fnmatch(path.name, p) for p in state.settings.exclude):
            warn(f"{shown} matches an 'exclude' pattern; postctl will not index it")
        if dry_run:
            if print_path:
                typer.echo(shown)
            else:
                sys.stdout.write(content)
                sys.stdout.flush()
                sys.stderr.write(f"postctl: dry run: would create {shown}\n")
            return
        _write(ix, state.settings, path, content, req.slug)
    finally:
        ix.close()
    if edit:
        _edit(path)


@dataclass
class _Request:
    """What the user asked for, checked: the parts of a new post known before the index."""

    title: str
    slug: str
    date: str
    category: str | None
    tags: list[str]
    description: str | None
    draft: bool
    explicit_draft: bool
    template: tuple[str, str | None]  # text, source (None: the built-in one)
    configured_category: str | None
    section: str | None = None
    bundle: bool = False


def _request(
    settings: Settings,
    title: str,
    category: str | None,
    tag: list[str] | None,
    description: str | None,
    date: str | None,
    draft: bool | None,
    slug: str | None,
    template: Path | None,
) -> _Request:
    from postctl.edit import scaffold

    config, config_warnings = scaffold.new_settings(settings.new)
    for w in config_warnings:
        warn(w)
    title = scaffold.clean_title(title)
    post_date = scaffold.check_date(date)
    post_slug = (
        scaffold.check_slug(slug) if slug is not None else scaffold.slug_for(title, post_date)
    )
    return _Request(
        title=title,
        slug=post_slug,
        date=post_date,
        category=category,
        tags=scaffold.split_tags(tag or []),
        description=description,
        draft=config.draft if draft is None else draft,
        explicit_draft=draft is not None,
        template=scaffold.resolve_template(settings.root, template, config.template),
        configured_category=config.category,
    )


def _values(ix: Index, settings: Settings, req: _Request) -> Any:
    from postctl.edit import scaffold

    tags = _pick_tags(req.tags, _names(ix, "post_tags"))
    chosen = _pick_category(
        req.category,
        req.configured_category,
        _names(ix, "post_categories"),
        _allowed_categories(settings.check),
        _requires_category(settings),
    )
    return scaffold.Values(
        title=req.title,
        slug=req.slug,
        date=req.date,
        category=chosen,
        tags=tags,
        description=(
            scaffold.DEFAULT_DESCRIPTION
            if req.description is None
            else scaffold.clean_text("the description", req.description)
        ),
        draft=req.draft,
    )


def _compose(ix: Index, settings: Settings, req: _Request) -> tuple[Path, str]:
    """The new post's path and text: a bare folder's way, or the generator's."""
    from postctl.edit import scaffold

    site = settings.site
    if site is not None and site.name != "plain":
        return _compose_for_site(ix, settings, site, req)
    if req.section is not None or req.bundle:
        raise UsageError("--section and --bundle are for a generator's site (see: postctl index)")
    known = scaffold.known_posts(ix)
    clash = scaffold.find_clash(req.slug, settings.content_dir, known)
    if clash is not None:
        suggestion = scaffold.free_slug(req.slug, settings.content_dir, known)
        raise scaffold.taken(clash, suggestion)
    path = scaffold.target_path(settings.content_dir, req.slug)
    values = _values(ix, settings, req)
    text, source = req.template
    shown_source = settings.rel(Path(source)) if source else "the built-in template"
    return path, scaffold.render(text, values, shown_source)


def _compose_for_site(ix: Index, settings: Settings, site: Site, req: _Request) -> tuple[Path, str]:
    """Where the generator wants the post and what it should hold (see edit.placement)."""
    from postctl.edit import placement, scaffold

    style = placement.house_style(ix, site)
    values = _values(ix, settings, req)
    folder = placement.folder_for(site, style, req.section, values.category, req.bundle)
    rel = placement.relative_path(site, req.slug, req.date, req.draft, folder, req.bundle)
    path = placement.inside(settings.content_dir, rel)
    if os.path.lexists(path):
        raise scaffold.taken(f"{settings.rel(path)} already exists", req.slug + "-2")
    text, source = req.template
    if source is None:
        found = (
            placement.archetype(Path(site.root), folder.split("/")[0])
            if site.name == "hugo"
            else None
        )
        if found is not None:
            page = (req.title, req.slug, folder.split("/")[0], req.draft, req.date)
            content = placement.fill_archetype(site, found, *page)
            given: list[tuple[str, str | list[str]]] = [("tags", values.tags)]
            if style.category_key and values.category:
                plural = style.category_key.endswith("s")
                given.append((style.category_key, values.categories if plural else values.category))
            if req.description is not None:
                given.append(("description", values.description))
            content = placement.add_keys(content, given)
            return path, _no_url_clash(ix, settings, site, rel, content, req.slug)
        if site.dialect.taxonomy_table and values.tags and "tags" not in site.taxonomies:
            warn(f"{site.name}: the site declares no 'tags' taxonomy; the tags are not written")
        text = placement.template(
            site, style, req.draft, bool(values.category), req.description is not None
        )
    shown_source = settings.rel(Path(source)) if source else f"the built-in {site.name} template"
    content = scaffold.render(text, values, shown_source)
    return path, _no_url_clash(ix, settings, site, rel, content, req.slug)


def _no_url_clash(
    ix: Index, settings: Settings, site: Site, rel: str, content: str, slug: str
) -> str:
    """Refuse a post whose URL another post has (the generator would drop one of them)."""
    from postctl.edit import placement, scaffold

    clash = placement.url_clash(ix, site, rel, content)
    if clash is not None:
        other, url = clash
        shown = settings.rel(settings.content_dir / other)
        raise scaffold.taken(f'{shown} already has the URL "{url}"', slug + "-2")
    return content


def _write(ix: Index, settings: Settings, path: Path, content: str, slug: str) -> None:
    from postctl.edit import scaffold

    shown = settings.rel(path)
    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scaffold.create(path, content.encode("utf-8"))
    except FileExistsError:
        raise scaffold.taken(
            f"{shown} already exists", scaffold.free_slug(slug, settings.content_dir, [])
        ) from None
    except OSError as e:
        raise UsageError(f"cannot create {shown}: {e.strerror}") from None
    _print_or_undo(shown, path, made)
    try:
        ix.sync()  # the index shows the new post at once
    except (dberrors.Error, PostctlError) as e:
        warn(f"the index was not updated ({e}); the next command will catch up")


def _print_or_undo(shown: str, path: Path, folders: list[Path]) -> None:
    """Print the new post's path; when it cannot be printed (a full disk, /dev/full), remove
    the post just created (and the ``folders`` made for it, if still empty), so that a failed
    command leaves nothing behind: a script that reads the path (``$EDITOR "$(postctl new
    …)"``) would not know where it went."""
    made = os.stat(path)
    try:
        sys.stdout.write(shown + "\n")
        sys.stdout.flush()
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            raise
        with contextlib.suppress(OSError):
            now = os.stat(path)
            if (now.st_dev, now.st_ino) == (made.st_dev, made.st_ino):
                os.unlink(path)  # ours: made a moment ago, same file
        for folder in folders:  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        raise UsageError(
            f"cannot write the output ({e.strerror}); {shown} was not created"
        ) from None


def _names(ix: Index, table: str) -> list[str]:
    """Every category (or tag) name, drafts included, most used first."""
    from postctl.query.filters import Drafts, Query
    from postctl.query.listing import names_with_counts

    return [r["name"] for r in names_with_counts(ix, table, Query(drafts=Drafts.ALL))]


def _existing(name: str, names: list[str]) -> str | None:
    """The blog's spelling of ``name`` (``performance`` → ``Performance``), if it has one."""
    from postctl.edit.scaffold import spelled

    return spelled(name, names)


def _new_name(kind: str, name: str, names: list[str]) -> None:
    from postctl.edit.scaffold import did_you_mean

    hint = did_you_mean(name, names)
    suffix = f'; did you mean "{hint}"?' if hint else ""
    warn(f'new {kind} "{name}"{suffix}')


def _pick_tags(wanted: list[str], names: list[str]) -> list[str]:
    """Tags as the blog spells them; a new tag close to an existing one is probably a typo."""
    out: list[str] = []
    for tag in wanted:
        existing = _existing(tag, names)
        if existing is None:
            from postctl.edit.scaffold import did_you_mean

            if did_you_mean(tag, names):
                _new_name("tag", tag, names)
            existing = tag
        if existing not in out:
            out.append(existing)
    return out


def _requires_category(settings: Settings) -> bool:
    """Does check ask for a category here ([check] required, else the dialect's)?"""
    required = settings.check.get("required")
    if not isinstance(required, list):
        required = settings.site.dialect.required if settings.site else ("category",)
    return any(r in ("category", "categories") for r in required)


def _pick_category(
    flag: str | None,
    configured: str | None,
    names: list[str],
    allowed: list[str],
    required: bool = True,
) -> str:
    """The category as the blog spells it; a new one is accepted with a warning.

    ``names`` are the blog's categories, most used first; ``allowed`` is ``allowed-categories``
    of the check configuration (empty: any category).
    """
    from postctl.edit.scaffold import clean_text, did_you_mean

    candidates = names + [a for a in allowed if _existing(a, names) is None]
    given = flag if flag is not None else configured
    if given is None and candidates and _interactive():
        given = _ask_category(candidates)
    name = clean_text("the category", given or "")
    if not name:
        if required:
            warn(
                "no category given; postctl check will report it "
                "(pass --category or set new.category)"
            )
        return ""
    existing = _existing(name, candidates)
    if allowed and _existing(name, allowed) is None:
        hint = did_you_mean(name, allowed)
        suffix = f'; did you mean "{hint}"?' if hint else ""
        warn(f'category "{name}" is not in [check] allowed-categories{suffix}')
    elif existing is None:
        _new_name("category", name, candidates)
    return existing or name


def _allowed_categories(check_table: dict[str, Any]) -> list[str]:
    """``allowed-categories`` of the check configuration, read leniently (check validates it)."""
    value = check_table.get("allowed-categories")
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def _interactive() -> bool:
    """Questions only when a person can answer: stdin and stdout are both terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_category(names: list[str]) -> str:
    sys.stderr.write("Categories:\n")
    for i, name in enumerate(names, 1):
        sys.stderr.write(f"  {i}. {inert(name)}\n")
    while True:
        answer: str = typer.prompt(
            "Category (number or name; empty for none)", default="", show_default=False, err=True
        )
        answer = answer.strip()
        if answer.isdigit():
            n = int(answer)
            if 1 <= n <= len(names):
                return names[n - 1]
            sys.stderr.write(f"Choose 1 to {len(names)}, or type a name.\n")
            continue
        return answer


def _edit(path: Path) -> None:
    """Open the post in $VISUAL or $EDITOR (a command line, split as a shell would)."""
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        warn("--edit: neither $VISUAL nor $EDITOR is set; the post is created, not opened")
        return
    try:
        argv = shlex.split(editor)
    except ValueError as e:
        warn(f"--edit: cannot read the editor command {editor!r}: {e}")
        return
    if not argv:
        warn("--edit: the editor command is empty")
        return
    try:
        code = subprocess.call([*argv, str(path)])
    except OSError as e:
        warn(f"--edit: cannot run {argv[0]}: {e.strerror}")
        return
    if code != 0:
        warn(f"--edit: {argv[0]} exited with status {code}")
