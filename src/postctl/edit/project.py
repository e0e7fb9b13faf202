"""``postctl init``: what kind of site a folder is, and the files that set postctl up in it.

The generator and its content root come from the dialects package (``parse.dialects.detect``
and ``load_site``): the same rules every other command reads the site with.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from postctl.config import CONFIG_NAME, DEFAULT_CONTENT
from postctl.edit.scaffold import DEFAULT_TEMPLATE, PROJECT_TEMPLATE
from postctl.parse.names import MARKDOWN_SUFFIXES

GENERATORS = {
    "jekyll": "Jekyll",
    "hugo": "Hugo",
    "zola": "Zola",
    "eleventy": "Eleventy",
    "astro": "Astro",
    "plain": "plain Markdown",
}


@dataclass(frozen=True)
class Site:
    dialect: str  # a key of GENERATORS
    config: Path | None  # the generator's config file
    content: str  # the content folder, relative to the site's root, with '/' separators
    suffixes: tuple[str, ...] = MARKDOWN_SUFFIXES  # the files the dialect reads as posts

    @property
    def generator(self) -> str:
        return GENERATORS.get(self.dialect, self.dialect)


def detect_site(folder: Path) -> Site:
    """The generator whose config is in ``folder`` (else plain Markdown) and the content root
    its dialect reads (``articles`` for plain Markdown)."""
    from postctl.parse.dialects import detect, load_site

    dialect = detect(folder)
    if dialect is None:
        return Site("plain", None, DEFAULT_CONTENT)
    config = next((folder / n for n in dialect.markers if (folder / n).exists()), None)
    site = load_site(folder, dialect.name)
    content = os.path.relpath(site.content, folder).replace(os.sep, "/")
    return Site(dialect.name, config, content, dialect.suffixes)


def count_posts(
    folder: Path, suffixes: tuple[str, ...] = MARKDOWN_SUFFIXES, limit: int = 100_000
) -> int:
    """Markdown files under ``folder`` (hidden folders, node_modules skipped), at most ``limit``."""
    import os

    n = 0
    for _dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "node_modules"]
        n += sum(1 for f in filenames if f.lower().endswith(suffixes))
        if n >= limit:
            break
    return n


def config_text(site: Site, content: str, explicit: bool = False) -> str:
    """postctl.toml: the content folder, and every other setting commented out at its default."""
    article = "an" if site.generator[0] in "AEIOU" else "a"
    found = (
        f"{article} {site.generator} site ({site.config.name})"
        if site.config is not None
        else "no site generator's config; plain Markdown files"
    )
    if site.dialect == "plain" or explicit:
        where = f"content = {_toml_string(content)}"
    else:
        where = f"# content = {_toml_string(content)}  # what the {site.generator} site implies"
    return f"""\
# postctl settings. Command-line flags and POSTCTL_* variables override them.
# Found {found}.

# How the generator decides what a post is (plain, jekyll, hugo, zola, eleventy, astro).
dialect = {_toml_string(site.dialect)}

# The folder of posts, relative to this file.
{where}

# The index: a cache of the content folder, rebuilt when needed (keep it out of git).
# db = ".postctl/index.db"

# Reading speed in words per minute (Brysbaert 2019).
# wpm = 238

# Files larger than this many megabytes are skipped.
# max-file-mb = 10

# Paths to leave out, as glob patterns relative to the content folder.
# exclude = ["drafts/*"]

[new]
# The template for `postctl new`.
# template = "{PROJECT_TEMPLATE}"
# category = "General"
# draft = false

[check]
# Front-matter keys every post must have.
# required = ["title", "date"]
# The only categories allowed (a near miss suggests the closest).
# allowed-categories = ["Performance", "Postgres"]
# Rules and their severity: error, warning or off.
# severity = {{ "description-length" = "off" }}
"""


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Plan:
    """What ``postctl init`` writes: (path, text) files to create and folders to make."""

    site: Site
    content: str
    folders: tuple[Path, ...]
    files: tuple[tuple[Path, str], ...]
    kept: tuple[Path, ...]  # files that exist already and are left as they are


def plan(folder: Path, site: Site, chosen: str | None = None) -> Plan:
    content = chosen or site.content
    content_dir = folder / content
    folders = () if content_dir.is_dir() else (content_dir,)
    files: list[tuple[Path, str]] = [
        (folder / CONFIG_NAME, config_text(site, content, explicit=chosen is not None))
    ]
    kept: list[Path] = []
    template = folder / PROJECT_TEMPLATE
    if template.exists() or template.is_symlink():
        kept.append(template)
    else:
        files.append((template, DEFAULT_TEMPLATE))
    return Plan(site, content, folders, tuple(files), tuple(kept))


def carry_out(p: Plan) -> None:
    """Make the folders and create the files, each atomically and never over an existing one."""
    from postctl.edit.scaffold import create

    for folder in p.folders:
        folder.mkdir(parents=True, exist_ok=True)
    for path, text in p.files:
        path.parent.mkdir(parents=True, exist_ok=True)
        create(path, text.encode("utf-8"))
