"""Dialects: how each static-site generator decides what a post is, as tables of rules.

A *dialect* (:class:`Dialect`) is one generator's rules as data: which files are content, which
are section pages or bundle resources, where drafts live, which keys date a post, how slugs and
URLs are made, which keys are taxonomies and authors, how posts link to each other, what
``check`` requires and how ``new`` names a file. One module per generator holds its table:
:mod:`.plain` (a bare folder such as ``articles/``), :mod:`.jekyll`, :mod:`.hugo`, :mod:`.zola`,
:mod:`.eleventy`, :mod:`.astro`. The table's shape is :mod:`.base`; the code that applies a
table is in :mod:`.reading` (a post) and :mod:`.links` (a link), once.

A *site* (:class:`Site`) is a dialect applied to one project: its root, its content root and
what the generator's own configuration says (time zone, taxonomies, Hugo's ``contentDir`` and
``[frontmatter]``, Jekyll's ``collections_dir`` and permalink).

The API, for the rest of postctl (scan, parse, check, new, and edits such as publish):

- :func:`find_site` — the project root above a folder, found by a generator's config file.
- :func:`detect` — the dialect a root's own files name, or None; :func:`sites_below` — the
  sites one level down (for a hint when postctl runs at a repository's root).
- :func:`load_site` — a :class:`Site` for a root (a dialect name from ``dialect = "…"`` in
  postctl.toml, else detected, else ``plain``).
- ``Site.path_kind(rel)`` — POST, SECTION, RESOURCE, or None (not content) from the name alone;
  ``Site.with_context(paths)`` — the site once the content files are listed (leaf bundles,
  Hugo cascades); ``Site.fingerprint()`` changes when the rules that read posts change.
- :func:`read` — a parsed post's front matter through the site's rules → :class:`Reading`
  (kind, slug, url, date and where it came from, draft, categories, tags, authors).
- :func:`new_path` — the content-relative path a new post gets; :func:`published_path` and
  :func:`unpublished_path` — where ``publish``/``unpublish`` move a post (Jekyll's
  ``_drafts/slug.md`` ⇄ ``_posts/YYYY-MM-DD-slug.md``; other dialects keep the path and flip
  ``Dialect.draft_keys``).
- :func:`resolve_link` with ``Dialect.links`` — does an internal link in the dialect's own
  syntax (``{% post_url %}``, ``{{< ref >}}``, ``@/…``) name a file that exists.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from postctl.errors import ConfigError
from postctl.parse.dialects import astro, eleventy, hugo, jekyll, plain, zola
from postctl.parse.dialects.base import (
    HEADLESS,
    KIND_WORDS,
    NO_OUTPUT,
    POST,
    RESOURCE,
    SECTION,
    Cascade,
    Dialect,
    LinkSyntax,
    Site,
    zone,
)
from postctl.parse.dialects.links import blank_template_code, resolve_link
from postctl.parse.dialects.reading import Reading, people, read

__all__ = [
    "DIALECTS",
    "HEADLESS",
    "KIND_WORDS",
    "NO_OUTPUT",
    "POST",
    "RESOURCE",
    "SECTION",
    "Cascade",
    "Dialect",
    "LinkSyntax",
    "Reading",
    "Site",
    "blank_template_code",
    "detect",
    "find_site",
    "load_site",
    "new_path",
    "people",
    "published_path",
    "read",
    "resolve_link",
    "sites_below",
    "unpublished_path",
    "zone",
]

DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        plain.DIALECT,
        jekyll.DIALECT,
        hugo.DIALECT,
        zola.DIALECT,
        eleventy.DIALECT,
        astro.DIALECT,
    )
}


def detect(root: Path) -> Dialect | None:
    """The generator whose configuration file is in ``root``; None for a bare folder.

    Hugo's ``hugo.*`` first; then Zola (``zola.toml``, or a ``config.toml`` with ``base_url``);
    then Hugo's legacy ``config.*`` or ``config/_default/`` beside a ``content/`` folder;
    Jekyll's ``_config.*``; Eleventy; Astro."""
    if any((root / n).is_file() for n in hugo.CONFIG_NAMES):
        return hugo.DIALECT
    if zola.config_file(root) is not None:
        return zola.DIALECT
    if (root / "content").is_dir() and hugo.config_file(root) is not None:
        return hugo.DIALECT
    for d in (jekyll.DIALECT, eleventy.DIALECT, astro.DIALECT):
        if any((root / n).is_file() for n in d.markers):
            return d
    return None


def find_site(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that a generator's configuration marks as a
    site root; the search stops at the top of a git repository."""
    for folder in (start, *start.parents):
        if detect(folder) is not None:
            return folder
        if (folder / ".git").exists():
            return None
    return None


_LOOKED_AT = 100  # subfolders sites_below inspects at most (a hint, not a search)


def sites_below(folder: Path) -> list[tuple[str, str]]:
    """(subfolder, dialect) for each folder just below ``folder`` that a generator's
    configuration marks as a site root, such as a repository that keeps its site in ``docs/``.
    Hidden folders and ``node_modules`` are passed by; at most 100 subfolders are looked at."""
    found: list[tuple[str, str]] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    looked = 0
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "node_modules":
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
        except OSError:
            continue
        looked += 1
        if looked > _LOOKED_AT:
            break
        dialect = detect(Path(entry.path))
        if dialect is not None:
            found.append((entry.name, dialect.name))
    return found


def load_site(root: Path, name: str | None = None, content: Path | None = None) -> Site:
    """The site at ``root``: dialect ``name`` (from config) or detected, configured from the
    generator's own files. ``content`` (postctl's --content or config) overrides the content
    root the generator implies."""
    if name is not None:
        dialect = DIALECTS.get(name)
        if dialect is None:
            known = ", ".join(DIALECTS)
            raise ConfigError(f'unknown dialect "{name}" (known: {known})')
    else:
        dialect = detect(root) or plain.DIALECT
    site = Site(dialect=dialect, root=str(root), content=str(root / "articles"))
    if dialect.configure is not None:
        site = dialect.configure(site)
    if content is not None:
        site = site.fields(content=str(content), languages=())
    return site


def new_path(site: Site, slug: str, date: dt.date, draft: bool = False, folder: str = "") -> str:
    """Where a new post goes, relative to the content root: Jekyll's
    ``[folder/]_posts/YYYY-MM-DD-slug.md`` (``_drafts/slug.md`` for a draft), elsewhere
    ``folder/slug.md``."""
    d = site.dialect
    if draft and d.new_draft_dir is not None:
        parts = [folder, d.new_draft_dir, slug + ".md"]
    else:
        name = d.new_name.format(date=date.isoformat(), slug=slug) + ".md"
        parts = [folder, d.new_dir, name]
    return "/".join(p for p in parts if p)


def published_path(site: Site, rel: str, date: dt.date) -> str:
    """Where a draft goes when it is published: Jekyll moves ``[a/]_drafts/slug.md`` to
    ``[a/]_posts/YYYY-MM-DD-slug.md``; elsewhere the path stays (the draft key changes)."""
    d = site.dialect
    folder, _, name = rel.rpartition("/")
    parts = folder.split("/") if folder else []
    if not d.new_draft_dir or d.new_draft_dir not in parts:
        return rel
    parts[parts.index(d.new_draft_dir)] = d.new_dir
    stem, dot, ext = name.rpartition(".")
    named = d.new_name.format(date=date.isoformat(), slug=stem if dot else name)
    return "/".join([*parts, named + (dot + ext if dot else "")])


def unpublished_path(site: Site, rel: str) -> str:
    """The reverse: Jekyll's ``_posts/YYYY-MM-DD-slug.md`` back to ``_drafts/slug.md``."""
    from postctl.parse.dialects.base import FILE_DATE

    d = site.dialect
    folder, _, name = rel.rpartition("/")
    parts = folder.split("/") if folder else []
    if not d.new_draft_dir or d.new_dir not in parts:
        return rel
    parts[parts.index(d.new_dir)] = d.new_draft_dir
    m = FILE_DATE.match(name)
    return "/".join([*parts, m.group(4) if m else name])
