"""Jekyll (4.x): posts are ``_posts/YYYY-MM-DD-slug.ext`` files, anywhere (``a/b/_posts``) under
``collections_dir``, whatever their extension and with or without front matter; ``_drafts/``
holds drafts; an undated file in ``_posts`` is not a post. A front-matter date is read as
Ruby's ``Time.parse`` reads it (``2023-01-29 18:30:22 2023 -0800`` is 18:30:22 -0800), and
``check`` still reports it as not a date. Confirmed with ``jekyll build`` (tests/dialects).

Sources: jekyll/lib/jekyll/readers/post_reader.rb (the date pattern,
``\\d{2,4}-\\d{1,2}-\\d{1,2}``), document.rb (the slug after the date; ``slug`` overrides it;
folders above ``_posts`` are categories), configuration.rb (Markdown extensions,
``timezone``), docs/permalinks (the ``:categories/:year/:month/:day/:title`` default),
docs/liquid/tags (``post_url``, ``link``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from postctl.parse.dialects.base import (
    LIQUID_CODE,
    URL_SAFE,
    URL_SAFE_WORDS,
    Dialect,
    LinkSyntax,
    Site,
    load_config,
)

_PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def configure(site: Site) -> Site:
    cfg: dict[str, Any] = {}
    found = None
    for name in DIALECT.markers:
        path = Path(site.root) / name
        if path.is_file():
            cfg, found = load_config(path), str(path)
            break
    content = site.root
    cdir = cfg.get("collections_dir")
    if isinstance(cdir, str) and cdir.strip():
        content = str(Path(site.root) / cdir.strip())
    permalink = cfg.get("permalink", "date")
    posts = cfg.get("collections", {})
    if isinstance(posts, dict) and isinstance(posts.get("posts"), dict):
        permalink = posts["posts"].get("permalink", permalink)
    if isinstance(permalink, str):
        permalink = _PERMALINK_STYLES.get(permalink, permalink).replace(":output_ext", ".html")
    else:
        permalink = None
    tz = cfg.get("timezone")
    return site.fields(
        content=content,
        timezone=tz if isinstance(tz, str) else None,
        permalink=permalink,
        config_file=found,
        build_future=cfg.get("future") is True,
    )


DIALECT = Dialect(
    name="jekyll",
    markers=("_config.yml", "_config.yaml", "_config.toml"),
    # Any dated file in _posts is a post; these are the text formats found there.
    suffixes=(".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdx", ".html", ".htm", ".textile"),
    lenient_dates=True,
    schedules=True,  # a post dated in the future waits (unless future: true)
    skip_dirs=frozenset({"_site", "vendor", "node_modules", ".jekyll-cache", ".sass-cache"}),
    post_dirs=frozenset({"_posts"}),
    draft_dirs=frozenset({"_drafts"}),
    file_date_required=True,
    updated_keys=("last_modified_at", "updated", "lastmod"),
    folder_categories=True,
    slug_rule=URL_SAFE,
    template_code=LIQUID_CODE,
    slug_rule_words=URL_SAFE_WORDS,
    links=(
        LinkSyntax("post_url", re.compile(r"\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}"), "post-name"),
        LinkSyntax("link", re.compile(r"\{%-?\s*link\s+([^\s%]+)\s*-?%\}"), "site"),
    ),
    required=("title", "date"),
    new_name="{date}-{slug}",
    new_dir="_posts",
    new_draft_dir="_drafts",
    configure=configure,
)
