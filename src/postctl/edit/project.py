"""``postctl init``: what kind of site a folder is, and the files that set postctl up in it.

Detection here is a seam: a static-site generator is recognised by its config file (see
``config.SITE_CONFIGS``) and its usual content folder is taken. The dialects package replaces
:func:`detect_site` with its own, fuller rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from postctl.config import CONFIG_NAME, LEGACY_SITE_CONFIGS, SITE_CONFIGS, site_config
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
# Where each generator keeps its posts, most specific first; the first that exists is taken.
CONTENT_FOLDERS = {
    "jekyll": ("_posts",),
    "hugo": ("content",),
    "zola": ("content",),
    "eleventy": ("content/blog", "src/blog", "src/posts", "blog", "posts", "content", "src"),
    "astro": ("src/content/blog", "src/content/docs", "src/content", "src/data"),
    "plain": ("articles", "posts", "_posts", "content", "blog"),
}


@dataclass(frozen=True)
class Site:
    dialect: str  # a key of GENERATORS
    config: Path | None  # the generator's config file
    content: str  # the content folder, relative to the site's root, with '/' separators

    @property
    def generator(self) -> str:
        return GENERATORS[self.dialect]


def detect_site(folder: Path) -> Site:
    """The generator whose config is in ``folder`` (else plain Markdown) and its content folder."""
    config = site_config(folder)
    if config is None:
        dialect = "plain"
    elif config.name in LEGACY_SITE_CONFIGS:
        text = _head(config)
        dialect = "zola" if "base_url" in text else "hugo"
    else:
        dialect = SITE_CONFIGS[config.name]
    candidates = CONTENT_FOLDERS[dialect]
    content = next((c for c in candidates if (folder / c).is_dir()), candidates[0])
    return Site(dialect, config, content)


def _head(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return fh.read(64 * 1024)
    except OSError:
        return ""


def count_posts(folder: Path, limit: int = 100_000) -> int:
    """Markdown files under ``folder`` (hidden folders, node_modules skipped), at most ``limit``."""
    import os

    n = 0
    for _dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "node_modules"]
        n += sum(1 for f in filenames if f.lower().endswith(MARKDOWN_SUFFIXES))
        if n >= limit:
            break
    return n


def config_text(site: Site, content: str) -> str:
    """postctl.toml: the content folder, and every other setting commented out at its default."""
    article = "an" if site.generator[0] in "AEIOU" else "a"
    found = (
        f"{article} {site.generator} site ({site.config.name})"
        if site.config is not None
        else "no site generator's config; plain Markdown files"
    )
    return f"""\
# postctl settings. Command-line flags and POSTCTL_* variables override them.
# Found {found}.

# The folder of posts, relative to this file.
content = {_toml_string(content)}

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


def plan(folder: Path, site: Site, content: str | None = None) -> Plan:
    content = content or site.content
    content_dir = folder / content
    folders = () if content_dir.is_dir() else (content_dir,)
    files: list[tuple[Path, str]] = [(folder / CONFIG_NAME, config_text(site, content))]
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
