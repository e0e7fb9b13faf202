"""The rule table every dialect fills in, and the one interpreter that applies a table to a post.

A dialect module holds data (which files are content, which keys date a post, how a URL is
built...) and, where the generator reads its own configuration, a small ``configure`` function;
the logic that reads a post through those rules is here, once, so no other module asks which
generator it is talking to.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
# Liquid and Nunjucks blocks that hold code: {% raw %}…{% endraw %}, {% highlight x %}…,
# {%- set codeBlock %}…{%- endset %}.
LIQUID_CODE = re.compile(
    r"\{%-?\s*(raw|highlight|set|codeblock|capture)\b[^%]*%\}.*?\{%-?\s*end\1\s*-?%\}", re.DOTALL
)
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
            )
        )
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    # -- files

    def skip_dir(self, name: str) -> bool:
        return name in self.dialect.skip_dirs

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


# --------------------------------------------------------------------------- reading a post


@dataclass(slots=True)
class Reading:
    """What the dialect decides about one parsed post."""

    kind: str = POST
    language: str | None = None  # where the site has several (Hugo)
    slug: str = ""
    url: str | None = None
    date: Any = None  # the value that dates the post (front matter, or a date from the name)
    date_key: str | None = None  # the front-matter key it came from; None: the file's name/path
    bad_date: str | None = None  # a front-matter date key whose value is not a date
    updated: Any = None
    updated_key: str | None = None
    publish: Any = None  # from when the generator publishes it (scheduling dialects)
    expiry: Any = None  # until when
    draft: bool = False
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    odd_keys: list[tuple[str, str]] = field(default_factory=list)  # (key, what is wrong)


def read(
    site: Site,
    rel: str,
    meta: Mapping[str, Any],
    is_date: Callable[[Any], bool],
) -> Reading:
    """Apply the site's rules to one post: ``rel`` is its content-relative path, ``meta`` its
    front matter, ``is_date`` tells a value that parses as a date."""
    d = site.dialect
    r = Reading()
    if d.fold_keys:
        meta = {str(k).lower(): v for k, v in meta.items()}
    r.kind = site.path_kind(rel) or POST
    if r.kind == POST and d.page_kind is not None:
        r.kind = d.page_kind(site, rel, meta) or POST
    parts = rel.split("/")
    folder, name = parts[:-1], parts[-1]
    dot = name.rfind(".")
    stem = name[:dot] if dot > 0 else name
    lang_dot = stem.rfind(".")
    if site.language_codes and lang_dot > 0 and stem[lang_dot + 1 :].lower() in site.language_codes:
        stem, r.language = stem[:lang_dot], stem[lang_dot + 1 :].lower()
    name_date = _name(site, r, meta, folder, stem)
    _dates(site, r, meta, is_date, rel, name_date)
    r.draft = any(p in d.draft_dirs for p in folder)
    for key in d.draft_keys:
        if key in meta:
            r.draft = r.draft or truthy(meta[key])
    for key in d.published_keys:
        value = meta.get(key)
        if isinstance(value, bool) or str(value).lower() in ("true", "false", "yes", "no"):
            r.draft = r.draft or not truthy(value)
    _taxonomies(site, r, meta, folder)
    for key in d.author_keys:
        if key in meta:
            r.authors.extend(p for p in people(meta[key]) if p not in r.authors)
    r.url = _url(site, folder, stem, r, meta)
    return r


def _name(
    site: Site, r: Reading, meta: Mapping[str, Any], folder: list[str], stem: str
) -> dt.date | None:
    """Set the slug (a bundle's folder, the file name less a date prefix, or ``slug``);
    return the date the name carries."""
    d = site.dialect
    base = folder[-1] if stem in d.bundle_stems and folder else stem
    file_date = d.file_date if site.file_date is None else site.file_date
    m = FILE_DATE.match(base)
    if m and (d.strip_date_from_slug or file_date):
        base = m.group(4)
    r.slug = base
    for key in d.slug_keys:
        value = meta.get(key)
        if value is not None and str(value).strip():
            r.slug = str(value).strip()
            break
    return _ymd(m.group(1), m.group(2), m.group(3)) if m else None


def _dates(
    site: Site,
    r: Reading,
    meta: Mapping[str, Any],
    is_date: Callable[[Any], bool],
    rel: str,
    name_date: dt.date | None,
) -> None:
    """The date: front matter, else the file's name, else a date in a path; and updated."""
    d = site.dialect
    for key in site.date_keys or d.date_keys:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str) and value.strip().lower() in d.date_words:
            break
        if is_date(value):
            r.date, r.date_key = value, key
            break
        r.bad_date = r.bad_date or key
        loose = lenient_date(value) if d.lenient_dates else None
        if loose is not None:  # the generator reads it; check still reports it
            r.date, r.date_key = loose, key
            break
    file_date = d.file_date if site.file_date is None else site.file_date
    if r.date is None and file_date:
        r.date = name_date
    paths = [meta.get(d.front_path_key)] if d.front_path_key else []
    paths += [rel] if d.path_date else []
    for path in paths:
        pm = PATH_DATE.search(path) if r.date is None and isinstance(path, str) else None
        if pm:
            r.date = _ymd(*pm.groups())
    for key in d.updated_keys:
        if key in meta and meta[key] is not None and is_date(meta[key]):
            r.updated, r.updated_key = meta[key], key
            break
    if d.schedules and not site.build_future:
        found = (meta[k] for k in d.publish_keys if k in meta and is_date(meta[k]))
        r.publish = next(found, r.date)
    if d.schedules and not site.build_expired:
        r.expiry = next((meta[k] for k in d.expiry_keys if k in meta and is_date(meta[k])), None)


def _taxonomies(site: Site, r: Reading, meta: Mapping[str, Any], folder: list[str]) -> None:
    """Categories and tags: top level or in the dialect's table (Zola's [taxonomies]), and
    Jekyll's folders above _posts."""
    d = site.dialect
    table = meta.get(d.taxonomy_table) if d.taxonomy_table else None
    sources = [meta, table] if isinstance(table, Mapping) else [meta]
    for src in sources:
        for key in site.cats():
            if key in src:
                names, odd = as_list(src[key], key.endswith("s"))
                if odd:
                    r.odd_keys.append((key, "should be a string or a list of strings"))
                r.categories.extend(n for n in names if n not in r.categories)
        for key in site.tagkeys():
            if key in src:
                names, odd = as_list(src[key], d.split_tag_strings)
                if odd or not isinstance(src[key], list | str | None):
                    r.odd_keys.append((key, "should be a list of strings"))
                r.tags.extend(n for n in names if n not in r.tags)
    if d.folder_categories:
        for p in folder:
            if p in d.post_dirs or p in d.draft_dirs:
                break
            if p not in r.categories:
                r.categories.append(p)


_LOOSE_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"(?:.*?\s([+-])(\d{2}):?(\d{2})\s*$)?"
)


def lenient_date(value: Any) -> dt.date | None:
    """What Ruby's ``Time.parse`` (Jekyll) makes of ``2023-01-29 18:30:22 2023 -0800``: the
    first date, the time after it and an offset at the end, whatever lies between."""
    if not isinstance(value, str):
        return None
    m = _LOOSE_DATE.search(value)
    if m is None:
        return None
    y, mo, d, h, mi, sec, sign, oh, om = m.groups()
    try:
        if h is None:
            return dt.date(int(y), int(mo), int(d))
        tz = None
        if sign:
            delta = dt.timedelta(hours=int(oh), minutes=int(om))
            tz = dt.timezone(-delta if sign == "-" else delta)
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0), tzinfo=tz)
    except ValueError:
        return None


def _ymd(y: str, m: str, d: str) -> dt.date | None:
    """A date from file-name parts; day 00 (a month's post) is the month's first day."""
    try:
        return dt.date(int(y), int(m), max(int(d), 1))
    except ValueError:
        return None


def _url(
    site: Site, folder: list[str], stem: str, r: Reading, meta: Mapping[str, Any]
) -> str | None:
    d = site.dialect
    for key in d.url_keys:
        value = meta.get(key)
        if isinstance(value, str) and value.strip() and "{" not in value:
            url = "/" + value.strip().strip("/") + "/"
            return url.replace("//", "/")
    if site.permalink:
        return _permalink(site, r, folder, stem)
    if not d.url_has_dirs:
        return None
    dirs = [p for p in folder if p not in d.post_dirs]
    if site.languages and dirs and dirs[0] in site.languages:
        r.language = r.language or dict(site.language_dirs).get(dirs[0])
        dirs = dirs[1:]
    if r.language and r.language != site.default_language:
        dirs = [r.language, *dirs]
    if stem in d.bundle_stems:
        last = [] if d.url_from_stem or not dirs else [r.slug]
        dirs = dirs if d.url_from_stem or not dirs else dirs[:-1]
    else:
        last = [stem if d.url_from_stem else r.slug]
    url = "/" + "/".join([*dirs, *last]) + "/"
    url = url.replace("//", "/")
    return url.lower() if d.lower_url else url


def _permalink(site: Site, r: Reading, folder: list[str], stem: str) -> str | None:
    """Jekyll's permalink placeholders, the date's in the site's time zone."""
    from postctl.parse.dates import parse_date

    pattern = site.permalink or ""
    date = parse_date(r.date)
    if isinstance(date, dt.datetime) and date.tzinfo is not None and site.timezone:
        date = date.astimezone(zone(site.timezone))
    if date is None and any(k in pattern for k in (":year", ":month", ":day")):
        return None  # a draft: its URL takes the date it is published on
    values = {
        ":categories": "/".join(c.lower() for c in r.categories),
        ":year": f"{date.year:04d}" if date else "",
        ":month": f"{date.month:02d}" if date else "",
        ":i_month": str(date.month) if date else "",
        ":day": f"{date.day:02d}" if date else "",
        ":i_day": str(date.day) if date else "",
        ":title": r.slug,
        ":slug": r.slug,
        ":name": stem,
    }
    url = pattern
    for k in sorted(values, key=len, reverse=True):
        url = url.replace(k, values[k])
    url = re.sub(r"/+", "/", url)
    return url if url.startswith("/") else "/" + url


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def as_list(value: Any, split_words: bool) -> tuple[list[str], bool]:
    """A list or a string → list of names; the flag says whether the type was unexpected.
    A string splits on commas; a plural key (categories, tags) also on spaces."""
    if value is None:
        return [], False
    if isinstance(value, str):
        parts = value.split(",") if "," in value or not split_words else value.split()
        return [p.strip() for p in parts if p.strip()], False
    if isinstance(value, list | tuple):
        out, odd = [], False
        for v in value:
            if isinstance(v, str):
                if v.strip():
                    out.append(v.strip())
            elif v is not None:
                out.append(str(v).lower() if isinstance(v, bool) else str(v))
                odd = True
        return out, odd
    return [str(value)], True


_COAUTHORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def people(value: Any) -> list[str]:
    """Authors from ``author``/``authors``: a list, a mapping with a ``name``, or a string.

    A string is split into co-authors (``"Ana Lopez, Tim Cheung"``, ``"Ana Lopez and Tim
    Cheung"``) only when every part is a full name of two or more words, the convention
    that makes the split clear: ``"Cheung, Tim"`` stays one person."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        name = value.get("name")
        return [str(name).strip()] if name else []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for v in value:
            out.extend(p for p in people(v) if p not in out)
        return out
    text = str(value).strip()
    if not text:
        return []
    parts = [p for p in _COAUTHORS.split(text) if p]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [text]


# --------------------------------------------------------------------------- links


def resolve_link(
    site: Site,
    syntax: LinkSyntax,
    target: str,
    rel_folder: str,
    exists: Callable[[str], bool],
) -> bool:
    """Does ``target`` (written with ``syntax`` in a post in ``rel_folder``) name a file that
    exists? ``exists`` takes a path relative to the content root (may start with ``../`` for
    the site root above it)."""
    t = target.strip().strip("\"'").split("#", 1)[0]
    if not t:
        return True
    site_prefix = posixpath.relpath(site.root, site.content).replace("\\", "/")
    if syntax.resolve == "post-name":
        return any(exists(p) for p in _post_names(site, t, rel_folder))
    if syntax.resolve == "site":
        return exists(posixpath.normpath(posixpath.join(site_prefix, t.lstrip("/"))))
    if syntax.resolve == "content":
        return exists(posixpath.normpath(t.lstrip("/")))
    # ref: the page's folder, then the content root (and the language folders); a page may be
    # named without its extension, or as its bundle's folder.
    bases = [t.lstrip("/")] if t.startswith("/") else [posixpath.join(rel_folder, t), t]
    bases += [posixpath.join(lang, t.lstrip("/")) for lang in site.languages]
    for b in bases:
        b = posixpath.normpath(b)
        candidates = [b] + [b + s for s in site.dialect.suffixes]
        candidates += [posixpath.join(b, "index" + s) for s in site.dialect.suffixes]
        candidates += [posixpath.join(b, "_index" + s) for s in site.dialect.suffixes]
        if any(exists(c) for c in candidates):
            return True
    return False


def _post_names(site: Site, name: str, rel_folder: str) -> list[str]:
    out = []
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    base = name.rsplit("/", 1)[-1]
    for d in sorted(site.dialect.post_dirs):
        for s in site.dialect.suffixes:
            out.append(posixpath.join(folder, d, base + s))
    return out


def blank_template_code(site: Site, body: str) -> str:
    """The body with the text of its template code blocks blanked (lines and columns kept)."""
    pattern = site.dialect.template_code
    if pattern is None or "{%" not in body:
        return body
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)


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
