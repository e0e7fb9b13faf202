"""Astro content collections: Markdown, MDX and Markdoc entries under ``src/content/`` (or the
``base`` a ``glob()`` loader names in ``src/content.config.*``); a leading ``_`` leaves a file
out; the entry's id is its slugified path without ``/index``, which ``slug`` replaces. Dates,
drafts and taxonomies are whatever the collection's schema says: postctl reads the common
``date``/``pubDate``, ``draft`` and ``tags``.

Sources: docs.astro.build/en/guides/content-collections, reference/content-loader-reference,
astro/packages/astro/src/core/constants.ts (Markdown extensions), content/loaders/glob.ts.
"""

from __future__ import annotations

import re
from pathlib import Path

from postctl.parse.dialects.base import URL_SAFE, URL_SAFE_WORDS, Dialect, Site

CONFIG_NAMES = (
    "astro.config.mjs",
    "astro.config.js",
    "astro.config.ts",
    "astro.config.mts",
    "astro.config.cjs",
)
_BASE = re.compile(r"""\bbase\s*:\s*["'`]([^"'`]+)["'`]""")


def configure(site: Site) -> Site:
    root = Path(site.root)
    content = root / "src" / "content"
    for name in ("content.config.ts", "content.config.mjs", "content.config.js"):
        path = root / "src" / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                break
            bases = {m.group(1).strip() for m in _BASE.finditer(text)}
            if len(bases) == 1:
                content = (root / bases.pop()).resolve()
            break
    config = next((root / n for n in CONFIG_NAMES if (root / n).is_file()), None)
    return site.fields(content=str(content), config_file=str(config) if config else None)


DIALECT = Dialect(
    name="astro",
    markers=CONFIG_NAMES,
    suffixes=(".md", ".mdx", ".mdoc", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn"),
    skip_underscore=True,
    date_keys=("date", "pubDate", "publishDate"),
    updated_keys=("updated", "updatedDate", "lastUpdated", "lastmod"),
    file_date=False,
    strip_date_from_slug=False,
    url_has_dirs=True,
    url_unique=True,
    lower_url=True,
    slug_rule=URL_SAFE,
    slug_rule_words=URL_SAFE_WORDS,
    required=("title",),
    configure=configure,
)
