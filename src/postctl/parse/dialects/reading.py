"""Reading one post through a site's rules: its kind, slug, URL, dates, drafts, taxonomies and
authors. One interpreter for every dialect's table (see :mod:`.base`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from postctl.parse.dialects.base import FILE_DATE, PATH_DATE, POST, Site, zone


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
    word = None
    for key in site.date_keys or d.date_keys:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str) and value.strip().lower() in d.date_words:
            word = value.strip().lower()
            break
        if is_date(value):
            r.date, r.date_key = value, key
            break
        r.bad_date = r.bad_date or key
        loose = lenient_date(value) if d.lenient_dates else None
        if loose is not None:  # the generator reads it; check still reports it
            r.date, r.date_key = loose, key
            break
    if d.file_times and r.bad_date is None and (word or r.date is None):
        _file_times(site, r, rel, word)
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


_ELEVENTY_PATH_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _file_times(site: Site, r: Reading, rel: str, word: str | None) -> None:
    """Eleventy: a date word names a file time; no date at all, the first ``YYYY-MM-DD`` in
    the input path, else the file's creation time (see :mod:`postctl.parse.filetimes`)."""
    from postctl.parse import filetimes

    path = os.path.join(site.content, rel)
    if word is None:
        shown = os.path.relpath(path, site.root)  # Eleventy's inputPath: from the project root
        m = _ELEVENTY_PATH_DATE.search(shown.replace(os.sep, "/"))
        r.date = _ymd(*m.group(1).split("-")) if m else None
        word = None if m else filetimes.CREATED
    if word is not None:
        r.date = filetimes.file_date(path, word)


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
    folder_url = _folder_permalink(site, folder, stem) if site.folder_permalinks else None
    if folder_url is not None:
        return folder_url
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


_SLUG_VAR = re.compile(r"\{\{\s*page\.(fileSlug|filePathStem)\s*\}\}")


def _folder_permalink(site: Site, folder: list[str], stem: str) -> str | None:
    """The URL a folder's data-file permalink gives a template with no permalink of its own
    (Eleventy): ``{{ page.fileSlug }}`` and ``{{ page.filePathStem }}`` filled in; None when it
    holds anything else postctl cannot evaluate, or no folder above has one."""
    links = dict(site.folder_permalinks)
    link = next(
        (links[f] for i in range(len(folder), 0, -1) if (f := "/".join(folder[:i])) in links),
        None,
    )
    if link is None:
        return None
    m = FILE_DATE.match(stem)
    slug = m.group(4) if m else stem
    if stem == "index":
        slug = folder[-1] if folder else ""
    values = {"fileSlug": slug, "filePathStem": "/" + "/".join([*folder, stem])}
    url = _SLUG_VAR.sub(lambda v: values[v.group(1)], link)
    if "{{" in url or "{%" in url:
        return None
    return url if url.startswith("/") else "/" + url


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
