"""Where ``postctl new`` puts a post on a generator's site, and what its built-in template
looks like there: the file the generator publishes (Jekyll's ``_posts/YYYY-MM-DD-slug.md``,
``_drafts/``; a Hugo or Zola section, a page bundle; a category's folder where the blog keeps
one per category) written in the blog's own style (its majority front-matter format, its
``categories`` or ``category``, its date key).

The bare folder (``plain``) keeps the behaviour of :mod:`postctl.edit.scaffold` unchanged.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.errors import UsageError
from postctl.parse.dialects import Site as Site  # re-exported for cli/new.py's types
from postctl.parse.names import fold

if TYPE_CHECKING:
    from postctl.index.store import Index

_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Style:
    """How the blog writes its front matter: what most of its posts do."""

    fmt: str = "yaml"
    category_key: str | None = "categories"  # None: the blog uses no categories
    date_key: str = "date"
    category_folders: bool = False  # posts live in a folder named after their category
    description: bool = True  # most posts have a description (or summary)
    date_quote: str = ""  # '"' or "'" when most posts quote their date ("2024-01-02")


def house_style(ix: Index, site: Site) -> Style:
    """The majority's format and keys; the dialect's defaults where the blog has no posts."""
    d = site.dialect
    rows = ix.query("SELECT fm_format, count(*) FROM posts GROUP BY fm_format ORDER BY 2 DESC")
    formats = [r[0] for r in rows if r[0] in ("yaml", "toml", "json")]
    fmt = formats[0] if formats else d.new_format
    sql = "SELECT j.key, count(*) FROM posts, json_each(posts.key_lines) j GROUP BY j.key"
    keys: dict[str, int] = {r[0]: r[1] for r in ix.query(sql)}
    if d.taxonomy_table:
        keys["categories"] = keys.get("categories", 0) + keys.get(d.taxonomy_table, 0)
    cats = [k for k in site.cats() if keys.get(k)]
    category_key = max(cats, key=lambda k: keys[k]) if cats else (site.cats() or (None,))[-1]
    dates = [k for k in (site.date_keys or d.date_keys) if keys.get(k)]
    date_key = max(dates, key=lambda k: keys[k]) if dates else "date"
    described = keys.get("description", 0) + keys.get("summary", 0)
    posts = ix.query("SELECT count(*) FROM posts")[0][0]
    return Style(
        fmt,
        category_key,
        date_key,
        _category_folders(ix, site),
        described * 2 >= posts,
        _date_quote(ix, site, date_key),
    )


_SAMPLE = 200  # the newest posts whose date lines are read for the quoting style


def _date_quote(ix: Index, site: Site, key: str) -> str:
    """The quote most posts put around their date (``date: "2024-01-02"``), or ``""`` for a
    bare date: read from the date line of the newest 200 posts that have one (a file that
    cannot be read is not counted; a tie is bare)."""
    from collections import Counter

    from postctl.errors import PostError
    from postctl.parse.post import read_file

    sql = (
        "SELECT path, json_extract(key_lines, ?) FROM posts "
        "WHERE json_extract(key_lines, ?) IS NOT NULL ORDER BY date_key DESC LIMIT ?"
    )
    where = '$."' + key.replace('"', "") + '"'
    counts: Counter[str] = Counter()
    content = os.path.realpath(site.content)
    for rel, line in ix.query(sql, (where, where, _SAMPLE)):
        try:
            text, _, _ = read_file(os.path.join(content, rel), inside=content)
        except PostError:
            continue
        lines = text.splitlines()
        if not isinstance(line, int) or not 0 < line <= len(lines):
            continue
        m = _DATE_LINE.match(lines[line - 1])
        if m and m.group(1) == key:
            counts[m.group(2)[:1] if m.group(2)[:1] in "\"'" else ""] += 1
    top = counts.most_common()
    return top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else ""


_DATE_LINE = re.compile(r"\s*\"?([\w.-]+)\"?\s*[:=]\s*(\S?)")


def _category_folders(ix: Index, site: Site) -> bool:
    """Do most posts with a category live in a folder named after it?"""
    from postctl.parse.record import json_column

    d = site.dialect
    total = inside = 0
    for path, categories in ix.query("SELECT path, categories FROM posts"):
        names = {fold(c) for c in json_column(categories)}
        if not names:
            continue
        total += 1
        top = path.split("/")[0]
        if "/" in path and top not in d.post_dirs and fold(top) in names:
            inside += 1
    return total >= 3 and inside * 2 > total


def template(site: Site, style: Style, draft: bool, category: bool, description: bool) -> str:
    """The built-in template for a generator's site, in the blog's style: no key the blog
    does not use, none left empty (``category``, ``description``: is there a value)."""
    d = site.dialect
    in_drafts = draft and d.new_draft_dir is not None  # Jekyll dates a draft when publishing
    dated = (style.date_key, style.date_quote + "{date}" + style.date_quote)
    lines = [("title", "{title}")] + ([] if in_drafts else [dated])
    if description or style.description:
        lines.append(("description", "{description}"))
    table: list[tuple[str, str]] = []
    # Zola: only taxonomies its config declares, or the build fails.
    declared = set(site.taxonomies) if d.taxonomy_table else None
    if style.category_key and category:
        value = "{categories}" if style.category_key.endswith("s") else "{category}"
        if declared is None or style.category_key in declared:
            (table if d.taxonomy_table else lines).append((style.category_key, value))
    if "tags" in site.tagkeys() and (declared is None or "tags" in declared):
        (table if d.taxonomy_table else lines).append(("tags", "{tags}"))
    if d.new_draft_dir is None and draft:
        lines.append(("draft", "{draft}"))
    if d.name == "jekyll":
        lines.insert(0, ("layout", '"post"'))
    if style.fmt == "toml":
        head = "".join(f"{k} = {v}\n" for k, v in lines)
        if table:
            head += f"\n[{d.taxonomy_table}]\n" + "".join(f"{k} = {v}\n" for k, v in table)
        return f"+++\n{head}+++\n\nStart with the problem this post solves.\n"
    head = "".join(f"{k}: {v}\n" for k, v in lines)
    if table:
        head += f"{d.taxonomy_table}:\n" + "".join(f"  {k}: {v}\n" for k, v in table)
    return f"---\n{head}---\n\nStart with the problem this post solves.\n"


def folder_for(site: Site, style: Style, section: str | None, category: str, bundle: bool) -> str:
    """The folder below the content root a new post goes in: ``--section``, else its
    category's folder where the blog keeps one per category, else the dialect's own."""
    if bundle and site.dialect.new_draft_dir is not None:
        raise UsageError(f"--bundle: {site.name} has no page bundles")
    if section is not None:
        parts = [p for p in section.replace("\\", "/").split("/") if p]
        for p in parts:
            if not _SEGMENT.fullmatch(p) or p in (".", ".."):
                raise UsageError(
                    f"--section {section!r}: folder names are letters, digits, '.', '_' "
                    "and '-', not starting with '.'"
                )
        return "/".join(parts)
    if style.category_folders and category:
        slug = fold(category)
        if _SEGMENT.fullmatch(slug):
            return slug
    return ""


def relative_path(site: Site, slug: str, date: str, draft: bool, folder: str, bundle: bool) -> str:
    """The new post's path below the content root."""
    import datetime as dt

    from postctl.parse.dialects import new_path

    if bundle:
        return "/".join(p for p in (folder, slug, "index.md") if p)
    return new_path(site, slug, dt.date.fromisoformat(date), draft, folder)


def inside(content_dir: Path, rel: str) -> Path:
    """``content_dir / rel``, refused unless it stays inside the content folder, symlinks
    followed (the folders that exist already are resolved)."""
    path = content_dir / rel
    base = os.path.realpath(content_dir)
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    real = os.path.realpath(parent)
    if real != base and not real.startswith(base + os.sep):
        raise UsageError(f"{rel}: the folder leads outside the content folder")
    return path


def archetype(root: Path, section: str) -> tuple[str, str] | None:
    """Hugo's archetype for a section: ``archetypes/<section>.md``, else ``default.md``."""
    names = [f"{section}.md"] if section else []
    for name in [*names, "default.md"]:
        path = root / "archetypes" / name
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as e:
                raise UsageError(f"{path}: cannot read the archetype: {e}") from None
    return None


def url_clash(ix: Index, site: Site, rel: str, content: str) -> tuple[str, str] | None:
    """(path, URL) of an indexed post whose URL the new post would take, or None."""
    from postctl.parse.post import parse_text

    url = parse_text(rel, content, site).url
    if not url:
        return None
    rows = ix.query("SELECT path FROM posts WHERE url = ?", (url,))
    return (rows[0][0], url) if rows else None


def add_keys(text: str, pairs: list[tuple[str, str | list[str]]]) -> str:
    """Front matter ``text`` (YAML or TOML) with the keys of ``pairs`` it lacks added at its
    end, quoted for its format: what the user gave that an archetype does not hold."""
    from postctl.edit.scaffold import quote

    first = text.split("\n", 1)[0].rstrip()
    fmt, close, sep = ("toml", "+++", " = ") if first == "+++" else ("yaml", "---", ": ")
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (close, "...")), None)
    if first not in ("---", "+++") or end is None:
        return text
    present = {re.split(r"\s*[:=]", line, maxsplit=1)[0].strip() for line in lines[1:end]}
    added = []
    for key, value in pairs:
        if key in present or not value:
            continue
        if isinstance(value, list):
            shown = "[" + ", ".join(quote(v, fmt) for v in value) + "]"
        else:
            shown = quote(value, fmt)
        added.append(f"{key}{sep}{shown}")
    return "\n".join(lines[:end] + added + lines[end:])


def fill_archetype(
    site: Site,
    found: tuple[str, str],
    title: str,
    slug: str,
    section: str,
    draft: bool,
    date: str,
) -> str:
    """A Hugo archetype filled in as ``hugo new content`` would: ``.Date`` is now in the
    site's time zone, or midnight of ``date`` when another day is asked for."""
    import datetime as dt

    from postctl.edit import archetype
    from postctl.parse.dialects import zone

    text, source = found
    tz = zone(site.timezone)
    now = dt.datetime.now(tz).replace(microsecond=0)
    if date != now.date().isoformat():
        now = dt.datetime.fromisoformat(date).replace(tzinfo=tz)
    page = archetype.Page(title, slug, section, draft, now)
    return archetype.render(text, page, os.path.relpath(source, site.root))
