"""Which generator a site is for, and what that means for an edit: the one seam between editing
and the dialects (:mod:`postctl.parse.dialects` says which generator; this says what an edit
does about it).

What the edits need to know, per /work/shared/DIALECTS.md:

* Jekyll: drafts live in ``_drafts/slug.md``, posts in ``_posts/YYYY-MM-DD-slug.md``; old URLs go
  to ``redirect_from`` (jekyll-redirect-from); links are ``{% post_url YYYY-MM-DD-slug %}`` and
  ``{% link _posts/YYYY-MM-DD-slug.md %}``; ``published: false`` hides a post.
* Hugo: ``draft``; old URLs go to ``aliases``; links are ``{{< ref "x" >}}`` / ``relref``.
* Zola: ``draft``; ``aliases``; links are ``@/section/x.md``; taxonomies in ``[taxonomies]``.
* Eleventy, Astro and plain folders: ``draft``; no alias key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from postctl.config import Settings


@dataclass(frozen=True, slots=True)
class Conventions:
    name: str  # jekyll, hugo, zola, eleventy, astro or plain
    site: Path | None = None  # the site's root folder, where its config file is
    alias_key: str | None = None  # where an old URL goes after ``mv``
    drafts_folder: bool = False  # Jekyll: _drafts/ ↔ _posts/YYYY-MM-DD-slug.md
    taxonomy_table: bool = False  # Zola: tags under [taxonomies]
    permalink: str | None = None  # Jekyll: the posts' permalink pattern, from its config
    timezone: str | None = None  # the site's time zone (IANA), from its config


ALIAS_KEYS = {"jekyll": "redirect_from", "hugo": "aliases", "zola": "aliases"}


def conventions(settings: Settings) -> Conventions:
    """The conventions of the site the content folder belongs to, from the dialect the settings
    carry (:mod:`postctl.parse.dialects` detects it from the generator's own config)."""
    site = settings.site
    if site is None:
        return Conventions("plain")
    dialect = site.dialect
    return Conventions(
        site.name,
        Path(site.root),
        ALIAS_KEYS.get(site.name),
        drafts_folder=bool(dialect.draft_dirs),
        taxonomy_table=dialect.taxonomy_table is not None,
        permalink=site.permalink,
        timezone=site.timezone,
    )
