"""The rule table every dialect fills in (:class:`Dialect`) and a dialect applied to one
project (:class:`Site`): which files are content, and what the generator's configuration says.

A dialect module holds data (which files are content, which keys date a post, how a URL is
built...) and, where the generator reads its own configuration, a small ``configure`` function;
the logic that reads a post through those rules is in :mod:`.reading`, once, so no other module
asks which generator it is talking to.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- kinds of files

POST = "post"
SECTION = "section"  # a list page (Hugo's and Zola's _index.md): not a post
RESOURCE = "resource"  # a content file inside a leaf bundle: part of that page, not a post
HEADLESS = "headless"  # a page the generator neither lists nor renders (build options)
NO_OUTPUT = "no-output"  # Eleventy's permalink: false

KIND_WORDS = {
    SECTION: "section pages",
    RESOURCE: "bundle resources",
    HEADLESS: "headless pages",
    NO_OUTPUT: "pages without output",
}

# A date at the start of a file name: 2024-11-26-slug, 2024-11-00-slug (day 00: the month).
FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[-_](.+)$")
# A date in a path: 2024/11/26/slug or 2024-11-26 anywhere.
PATH_DATE = re.compile(r"(?:^|/)(\d{4})[/-](\d{2})[/-](\d{2})(?:[/_-]|$)")
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")  # RFC 3986 unreserved characters
URL_SAFE_WORDS = "letters, digits, '.', '_', '~' and '-' (characters a URL keeps as they are)"
# Liquid and Nunjucks blocks that hold code: {% raw %}…{% endraw %}, {% highlight x %}…,
# {%- set codeBlock %}…{%- endset %}.
LIQUID_CODE = re.compile(
    r"\{%-?\s*(raw|highlight|set|codeblock|capture)\b[^%]*%\}.*?\{%-?\s*end\1\s*-?%\}", re.DOTALL
)
# Raised when the code that reads posts changes what it makes of the same files (2: Eleventy's
# file-time dates and folder permalinks, Hugo's x.en.md): an index built by older rules is rebuilt.
RULES_VERSION = 2
STRICT_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class LinkSyntax:
    """A way a post names another file in its body, and how the target is found.

    ``resolve`` is one of: ``post-name`` (Jekyll's post_url: a _posts file name without
    extension), ``site`` (relative to the site root), ``content`` (relative to the content root),
    ``ref`` (Hugo: the page's folder, then the content root; the extension may be left out)."""

    name: str
    pattern: re.Pattern[str]  # group 1: the target
    resolve: str


@dataclass(frozen=True)
class Dialect:
    """The rules of one generator. Every field is data; see each dialect module for values."""

    name: str
    # Files that identify a site of this generator, at its root (first match wins).
    markers: tuple[str, ...] = ()
    # Content: suffixes read as posts, folders never entered.
    suffixes: tuple[str, ...] = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
    skip_dirs: frozenset[str] = frozenset()
    # Only files inside one of these folders are posts (Jekyll's _posts, _drafts).
    post_dirs: frozenset[str] = frozenset()
    draft_dirs: frozenset[str] = frozenset()  # files in these are drafts
    section_stems: frozenset[str] = frozenset()  # _index: a list page, not a post
    bundle_stems: frozenset[str] = frozenset({"index"})  # dir/index.md: named after dir
    leaf_bundles: bool = False  # other content files in a leaf bundle are resources
    skip_underscore: bool = False  # _name.md is not content (Astro's glob loaders)
    fold_keys: bool = False  # front-matter keys are case-insensitive (Hugo)
    blank_before_front_matter: bool = False  # Zola: whitespace may precede +++
    # Dates: front-matter keys in order, then the file name, then the path.
    date_keys: tuple[str, ...] = ("date",)
    updated_keys: tuple[str, ...] = ("updated", "lastmod")
    file_date: bool = True  # a YYYY-MM-DD- prefix of the file name dates the post
    file_date_required: bool = False  # Jekyll: an undated file in _posts is not a post
    path_date: bool = False  # a YYYY/MM/DD or YYYY-MM-DD anywhere in the path dates it
    front_path_key: str | None = None  # Zola's `path`: a URL, which may carry the date
    date_words: frozenset[str] = frozenset()  # values of `date` that are valid but no date
    # Eleventy: those words name a file time (parse.filetimes), and a page with no date at
    # all is dated by the first YYYY-MM-DD in its path, else by the file's creation time.
    file_times: bool = False
    lenient_dates: bool = False  # Ruby's Time.parse: a date, time and offset amid other words
    # Names.
    slug_keys: tuple[str, ...] = ("slug",)
    url_keys: tuple[str, ...] = ()  # a key that replaces the whole URL
    strip_date_from_slug: bool = True
    lower_url: bool = False  # Hugo lowercases the content path into the URL
    url_unique: bool = False  # duplicate slugs only matter per URL (Hugo's sections)
    url_has_dirs: bool = False  # the URL is the folder path + slug
    url_from_stem: bool = False  # ... + the file's name as it is (Eleventy keeps the date)
    slug_rule: re.Pattern[str] = STRICT_SLUG
    slug_rule_words: str = "lowercase ASCII letters, digits and hyphens"
    # Taxonomies and people.
    category_keys: tuple[str, ...] = ("category", "categories")
    tag_keys: tuple[str, ...] = ("tags",)
    split_tag_strings: bool = True  # "a b" is two tags (Jekyll); Eleventy: one tag
    taxonomy_table: str | None = None  # Zola: [taxonomies] holds categories and tags
    folder_categories: bool = False  # Jekyll: folders above _posts are categories
    author_keys: tuple[str, ...] = ("author", "authors")
    nested_tables: tuple[str, ...] = ("extra", "params")
    # Visibility. A generator that schedules posts leaves out those whose publish date is
    # still to come (publish_keys, else the date) and those past their expiry.
    schedules: bool = False
    publish_keys: tuple[str, ...] = ()
    expiry_keys: tuple[str, ...] = ()
    draft_keys: tuple[str, ...] = ("draft",)
    published_keys: tuple[str, ...] = ("published",)  # false: a draft
    # Links.
    links: tuple[LinkSyntax, ...] = ()
    links_from_root: bool = False  # a relative link may also be relative to the content root
    # Template blocks whose text is code shown, not links followed ({% raw %}, {% highlight %}).
    template_code: re.Pattern[str] | None = None
    # check: what the generator needs of a post, and postctl's editorial rules it leaves off
    # (lengths and repeated titles are no fault to a generator; postctl.toml turns them on).
    required: tuple[str, ...] = ("title",)
    quiet_rules: tuple[str, ...] = ("title-length", "description-length", "duplicate-title")
    # new: how a new post is named and written.
    new_name: str = "{slug}"  # {date} {slug}
    new_format: str = "yaml"
    new_dir: str = ""  # relative to the content root
    new_draft_dir: str | None = None  # --draft writes here instead of setting draft: true
    # The generator's configuration, read once: (site) -> site with config values filled in.
    configure: Callable[[Site], Site] | None = None
    # Once the folder is listed: (site, content paths) -> site with per-folder context.
    context: Callable[[Site, Sequence[str]], Site] | None = None
    # A front-matter predicate for pages that are not posts (Hugo build options): kind or None.
    page_kind: Callable[[Site, str, Mapping[str, Any]], str | None] | None = None


@dataclass(frozen=True)
class Cascade:
    """Hugo: build options an _index.md passes down to the pages below its folder."""

    folder: str  # content-relative, "" for the root
    kind: str  # HEADLESS when the pages are neither listed nor rendered
    path_glob: str | None = None  # Hugo's target.path, matched against /section/page


@dataclass(frozen=True)
class Site:
    """A dialect applied to one project: its folders and the settings it read from the
    generator's configuration. Picklable (it travels to the parsing workers)."""

    dialect: Dialect
    root: str  # the project's root (where the generator's config is)
    content: str  # the content root, absolute
    config_file: str | None = None
    timezone: str | None = None  # IANA name: naive dates are in this zone; else UTC
    taxonomies: tuple[str, ...] = ()  # front-matter keys that are taxonomies beyond the two
    category_keys: tuple[str, ...] | None = None  # overrides the dialect's
    tag_keys: tuple[str, ...] | None = None
    date_keys: tuple[str, ...] | None = None  # Hugo's [frontmatter] date
    file_date: bool | None = None  # Hugo: ':filename' in [frontmatter] date
    permalink: str | None = None  # Jekyll: posts' permalink pattern
    languages: tuple[str, ...] = ()  # per-language content folders below the root
    language_dirs: tuple[tuple[str, str], ...] = ()  # (folder, language) pairs
    language_codes: frozenset[str] = frozenset()  # Hugo: post.fr.md is post.md in French
    default_language: str = "en"  # its pages are not under /<language>/
    cascades: tuple[Cascade, ...] = ()
    bundles: frozenset[str] = frozenset()  # folders that are leaf bundles
    # Eleventy: (folder, permalink) from a folder's data file (blog/blog.json), nearest wins
    folder_permalinks: tuple[tuple[str, str], ...] = ()
    link_hook: bool = False  # Hugo: a link render hook resolves Markdown link destinations
    build_future: bool = False  # Jekyll's future: true, Hugo's buildFuture: future posts go out
    build_expired: bool = False  # Hugo's buildExpired
    notes: tuple[str, ...] = ()  # what was read and from where, for `postctl index`

    @property
    def name(self) -> str:
        return self.dialect.name

    def cats(self) -> tuple[str, ...]:
        return self.category_keys if self.category_keys is not None else self.dialect.category_keys

    def tagkeys(self) -> tuple[str, ...]:
        return self.tag_keys if self.tag_keys is not None else self.dialect.tag_keys

    def fingerprint(self) -> str:
        """Changes when anything that decides how posts are read changes: a new value means the
        index must be rebuilt (a changed cascade re-classifies pages that did not change)."""
        text = repr(
            (
                RULES_VERSION,
                self.dialect.name,
                self.content,
                self.timezone,
                self.taxonomies,
                self.category_keys,
                self.tag_keys,
                self.date_keys,
                self.file_date,
                self.permalink,
                self.languages,
                self.language_dirs,
                sorted(self.language_codes),
                self.default_language,
                self.build_future,
                self.build_expired,
                self.cascades,
                sorted(self.bundles),
                self.folder_permalinks,
            )
        )
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    # -- files

    def skip_dir(self, name: str) -> bool:
        return name in self.dialect.skip_dirs

    def every_listed_file_is_a_post(self) -> bool:
        """True when :meth:`path_kind` says POST of every file the scan lists (a name ending in
        one of the suffixes, not starting with a dot): no rule of the dialect looks further.
        The scan then keeps its list whole instead of asking 10,000 times (9 ms of 233 for a
        warm ``categories`` on 10,000 posts, best-of-9 CPU)."""
        d = self.dialect
        return not (
            d.post_dirs
            or self.languages
            or d.section_stems
            or d.skip_underscore
            or d.file_date_required
            or (d.leaf_bundles and self.bundles)
            or any(s.count(".") != 1 or not s.startswith(".") for s in d.suffixes)
        )

    def path_kind(self, rel: str) -> str | None:
        """What a content-relative path is, from its name alone: POST, SECTION, RESOURCE, or
        None when the generator does not read it as content at all."""
        d = self.dialect
        name = rel.rsplit("/", 1)[-1]
        dot = name.rfind(".")
        if dot <= 0 or name[dot:].lower() not in d.suffixes:
            return None
        parts = rel.split("/")[:-1]
        if d.post_dirs and not any(p in d.post_dirs or p in d.draft_dirs for p in parts):
            return None
        if self.languages and (not parts or parts[0] not in self.languages):
            return None
        stem = name[:dot]
        if stem in d.section_stems:
            return SECTION
        if d.skip_underscore and stem.startswith("_"):
            return None
        in_drafts = any(p in d.draft_dirs for p in parts)
        if d.file_date_required and not in_drafts and not FILE_DATE.match(stem):
            return None
        if d.leaf_bundles and self.bundles:
            folder = "/".join(parts)
            if stem not in d.bundle_stems or folder not in self.bundles:
                for i in range(len(parts), 0, -1):
                    if "/".join(parts[:i]) in self.bundles:
                        return RESOURCE
        return POST

    def with_context(self, paths: Sequence[str]) -> Site:
        """The site once its content files are known (leaf bundles, cascades)."""
        if self.dialect.context is None:
            return self
        return self.dialect.context(self, paths)

    def fields(self, **changes: Any) -> Site:
        return replace(self, **changes)


def matches_glob(path: str, pattern: str) -> bool:
    """Hugo's target.path globs: ``{/a/**,/b/**}`` alternatives, ``**`` any depth."""
    alternatives = pattern.strip("{}").split(",") if pattern.startswith("{") else [pattern]
    return any(fnmatch.fnmatch(path, p.strip()) for p in alternatives)


def zone(name: str | None) -> dt.tzinfo:
    """The zone naive dates are in: the site's, else UTC."""
    if name:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except (ValueError, KeyError, OSError):
            pass
    return dt.UTC


def load_config(path: Path) -> dict[str, Any]:
    """A generator's configuration file (TOML, YAML or JSON) as a mapping; {} when it cannot
    be read (the generator will say why; postctl falls back to the dialect's defaults)."""
    import json
    import tomllib

    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(raw.decode("utf-8"))
        elif path.suffix == ".json":
            data = json.loads(raw)
        else:
            import yaml

            data = yaml.safe_load(raw)
    except (ValueError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    except Exception:  # noqa: BLE001 - yaml.YAMLError and friends: a config postctl cannot read
        return {}
    return data if isinstance(data, dict) else {}
