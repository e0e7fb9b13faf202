"""Which generator a site is for, and what that means for an edit: the one seam between editing
and dialects (``postctl.dialects`` will answer this; until it lands, the site's config file does).

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


JEKYLL = ("_config.yml", "_config.yaml", "_config.toml")
HUGO = ("hugo.toml", "hugo.yaml", "hugo.json")
ELEVENTY = (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs")
ASTRO = ("astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts")


ALIAS_KEYS = {"jekyll": "redirect_from", "hugo": "aliases", "zola": "aliases"}


def conventions(settings: Settings) -> Conventions:
    """The conventions of the site the content folder belongs to: from the dialect the settings
    carry once the dialects package is in (``settings.site``), else from the nearest
    generator config file, looking up from the content folder to the project root."""
    site = getattr(settings, "site", None)
    if site is not None and isinstance(getattr(site, "name", None), str):
        dialect = getattr(site, "dialect", None)
        return Conventions(
            site.name,
            Path(site.root),
            ALIAS_KEYS.get(site.name),
            drafts_folder=bool(getattr(dialect, "draft_dirs", ())),
            taxonomy_table=getattr(dialect, "taxonomy_table", None) is not None,
        )
    folder = settings.content_dir
    stop = settings.root.resolve()
    for candidate in (folder, *folder.parents):
        found = _site(candidate)
        if found is not None:
            return found
        if candidate == stop or candidate == candidate.parent:
            break
    return Conventions("plain")


def _site(folder: Path) -> Conventions | None:
    if any((folder / n).is_file() for n in JEKYLL):
        return Conventions("jekyll", folder, "redirect_from", drafts_folder=True)
    if any((folder / n).is_file() for n in HUGO):
        return Conventions("hugo", folder, "aliases")
    if (folder / "zola.toml").is_file():
        return Conventions("zola", folder, "aliases", taxonomy_table=True)
    config = folder / "config.toml"
    if config.is_file():
        try:
            text = config.read_text("utf-8", "replace")
        except OSError:
            text = ""
        if "base_url" in text:
            return Conventions("zola", folder, "aliases", taxonomy_table=True)
        if "baseURL" in text or "baseurl" in text:
            return Conventions("hugo", folder, "aliases")
    if any((folder / n).is_file() for n in ELEVENTY):
        return Conventions("eleventy", folder)
    if any((folder / n).is_file() for n in ASTRO):
        return Conventions("astro", folder)
    return None
