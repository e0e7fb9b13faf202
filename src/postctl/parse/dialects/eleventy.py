"""Eleventy: every Markdown template under the input folder (``dir.input``, default ``.``) is a
page, but those in ``_includes``, ``_data`` and the output folder; ``permalink: false`` writes
no file. ``date`` may be a date or one of the words ``Last Modified``, ``Created``, ``git Last
Modified``, ``git Created``; without it the first ``YYYY-MM-DD`` in the path dates the page.
The URL is the path with the file name as it is (a date prefix stays); ``page.fileSlug``
drops the date. A ``tags`` string is one tag.

Sources: 11ty.dev/docs/{config,dates,permalinks,collections,data-eleventy-supplied},
eleventy/src/defaultConfig.js (template formats).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from postctl.parse import filetimes
from postctl.parse.dialects.base import (
    LIQUID_CODE,
    NO_OUTPUT,
    URL_SAFE,
    URL_SAFE_WORDS,
    Dialect,
    Site,
)

CONFIG_NAMES = (
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
    "eleventy.config.ts",
    ".eleventy.js",
)
_INPUT = re.compile(r"""\binput\s*:\s*["'`]([^"'`]+)["'`]""")


def configure(site: Site) -> Site:
    root = Path(site.root)
    content = root
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                break
            m = _INPUT.search(text)
            if m:
                content = root / m.group(1).strip("./") if m.group(1).strip("./") else root
            return site.fields(content=str(content), config_file=str(path))
    return site.fields(content=str(content))


def context(site: Site, paths: Sequence[str]) -> Site:
    """The ``permalink`` of each content folder's JSON data file (``blog/blog.11tydata.json``
    or ``blog/blog.json``), which Eleventy applies to every template below it. postctl runs no
    JavaScript: a ``*.11tydata.js`` file is not read."""
    folders = {p.rpartition("/")[0] for p in paths if "/" in p}
    for f in list(folders):
        while "/" in f:
            f = f.rpartition("/")[0]
            folders.add(f)
    found = []
    for folder in sorted(folders):
        name = folder.rsplit("/", 1)[-1]
        for data_name in (f"{name}.11tydata.json", f"{name}.json"):
            data = _json(Path(site.content) / folder / data_name)
            if data is not None:
                link = data.get("permalink")
                if isinstance(link, str) and link.strip():
                    found.append((folder, link.strip()))
                break
    return site.fields(folder_permalinks=tuple(found))


def _json(path: Path) -> dict[str, Any] | None:
    import json

    try:
        if not path.is_file() or path.stat().st_size > 1 << 20:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def page_kind(site: Site, rel: str, meta: Mapping[str, Any]) -> str | None:
    return NO_OUTPUT if meta.get("permalink") is False else None


DIALECT = Dialect(
    name="eleventy",
    markers=CONFIG_NAMES,
    suffixes=(".md",),
    skip_dirs=frozenset({"_includes", "_data", "_site", "node_modules"}),
    file_date=False,
    file_times=True,
    date_words=filetimes.WORDS,
    url_keys=("permalink",),
    url_has_dirs=True,
    url_from_stem=True,
    url_unique=True,
    slug_rule=URL_SAFE,
    template_code=LIQUID_CODE,
    links_from_root=True,  # the InputPathToUrl plugin's paths are relative to the input folder
    slug_rule_words=URL_SAFE_WORDS,
    split_tag_strings=False,
    required=(),
    configure=configure,
    context=context,
    page_kind=page_kind,
)
