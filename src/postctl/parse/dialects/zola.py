"""Zola: pages are the ``*.md`` files under ``content/`` but ``_index.md`` (a section);
``dir/index.md`` is a page named after its folder. A ``YYYY-MM-DD`` (or RFC 3339) prefix
followed by ``_`` or ``-`` dates a page without ``date`` and leaves the slug; ``slug`` replaces
the slug and ``path`` the whole URL (it may carry a date: ``2024/11/26/slug``). Taxonomies are
a ``[taxonomies]`` table, of names the config declares (others fail the build); custom keys
live in ``[extra]``; authors are ``authors = [...]``; internal links are ``@/path/page.md``;
``+++`` may follow blank lines.

Sources: getzola.org/documentation/content/{page,section,taxonomies,linking},
zola/components/content/src/page.rs (the date prefix), config.rs (``base_url``),
utils/src/de.rs (front matter after whitespace).
"""

from __future__ import annotations

import re
from pathlib import Path

from postctl.parse.dialects.base import (
    URL_SAFE,
    URL_SAFE_WORDS,
    Dialect,
    LinkSyntax,
    Site,
    load_config,
)

CONFIG_NAMES = ("zola.toml", "config.toml")


def config_file(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file() and "base_url" in load_config(path):
            return path
    return None


def configure(site: Site) -> Site:
    path = config_file(Path(site.root))
    cfg = load_config(path) if path else {}
    declared = cfg.get("taxonomies", [])
    names = (
        tuple(
            str(t["name"])
            for t in declared
            if isinstance(t, dict) and isinstance(t.get("name"), str)
        )
        if isinstance(declared, list)
        else ()
    )
    return site.fields(
        content=str(Path(site.root) / "content"),
        config_file=str(path) if path else None,
        taxonomies=names,  # declared in config: the only ones a page may use
    )


DIALECT = Dialect(
    name="zola",
    markers=CONFIG_NAMES,
    suffixes=(".md",),
    section_stems=frozenset({"_index"}),
    blank_before_front_matter=True,
    front_path_key="path",
    url_keys=("path",),
    url_unique=True,
    url_has_dirs=True,
    lower_url=True,
    slug_rule=URL_SAFE,
    slug_rule_words=URL_SAFE_WORDS,
    taxonomy_table="taxonomies",
    links=(LinkSyntax("@/", re.compile(r"\]\(\s*@/([^)\s#]+)"), "content"),),
    required=("title",),
    new_format="toml",
    configure=configure,
)
