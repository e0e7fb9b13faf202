"""``postctl mv SLUG NEW-SLUG``: a post's new slug, everywhere it is written.

* The file is renamed (a ``YYYY-MM-DD-`` prefix and the extension kept), or for a bundle
  (``slug/index.md``) its folder; a file whose name is not its slug (the ``slug`` key says
  otherwise) keeps its name. A ``slug`` key is set to the new slug.
* The old URL goes where the generator looks for old URLs: Hugo and Zola ``aliases``, Jekyll
  ``redirect_from`` (jekyll-redirect-from). Plain folders and Eleventy/Astro have no such key.
* Links to the post in every other post are rewritten: relative Markdown/HTML links (to the file,
  to it without its extension, to its bundle folder), Jekyll ``{% post_url %}`` and
  ``{% link %}``, Hugo ``{{< ref >}}``/``{{< relref >}}``, Zola ``@/path.md``. Only the link
  target's text changes.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import quote

from postctl.edit.atomic import read_bytes
from postctl.edit.conventions import Conventions
from postctl.edit.ops import Doc, Workspace
from postctl.edit.splice import EditError
from postctl.errors import UsageError
from postctl.parse.post import slug_from_path

_SLUG = re.compile(r"[^\W_][\w-]*(?:\.[\w-]+)*")
_BUNDLE = ("index", "_index")


def check_slug(slug: str) -> str:
    if not _SLUG.fullmatch(slug) or any(ord(c) < 0x20 for c in slug):
        raise UsageError(
            f'"{slug}" is not a slug: use letters, digits and hyphens (no / or leading dot)'
        )
    return slug


def move(ws: Workspace, rel: str, new_slug: str, conv: Conventions, alias: bool = True) -> None:
    check_slug(new_slug)
    doc = ws.load(rel)
    if doc is None:
        return
    row = ws.ix.conn.execute("SELECT slug, date, categories FROM posts WHERE path = ?", (rel,))
    old_slug, date, categories = row.fetchone()
    folder, name = posixpath.split(rel)
    stem, ext = posixpath.splitext(name)
    bundle = stem in _BUNDLE and bool(folder)
    if bundle and not doc.has("slug"):  # a bundle is named, and found, by its folder
        old_slug = slug_from_path(posixpath.basename(folder) + ".x")[0]
    if old_slug == new_slug:
        raise UsageError(f'{ws.shown(rel)} has the slug "{new_slug}" already')
    clash = ws.ix.conn.execute(
        "SELECT path FROM posts WHERE slug = ? AND path != ?", (new_slug, rel)
    ).fetchone()
    if clash is not None:
        raise UsageError(f'the slug "{new_slug}" is taken by {ws.shown(clash[0])}')
    renames: list[tuple[str, str]] = []  # (old, new) content-relative paths of files or folders
    if bundle:
        parent, base = posixpath.split(folder)
        base_slug, day = slug_from_path(base + ".x")
        if base_slug == old_slug or not doc.has("slug"):
            new_folder = posixpath.join(parent, (f"{day}-" if day else "") + new_slug)
            _free(ws, new_folder)
            ws.dirs.append((os.path.join(ws.root, folder), os.path.join(ws.root, new_folder)))
            renames.append((folder, new_folder))
    else:
        file_slug, day = slug_from_path(name)
        if file_slug == old_slug or not doc.has("slug"):
            new_rel = posixpath.join(folder, (f"{day}-" if day else "") + new_slug + ext)
            _free(ws, new_rel)
            doc.new_rel = new_rel
            renames.append((rel, new_rel))
    if doc.has("slug"):
        doc.set("slug", new_slug)
    urls = None
    if conv.alias_key:
        url = old_url(conv, rel, old_slug, date, categories)
        urls = (url, old_url(conv, rel, new_slug, date, categories))
        indexed = _indexed_url(ws, rel)  # the dialect's own URL, when the index keeps one
        if indexed and indexed.rstrip("/").endswith("/" + old_slug):
            base = indexed.rstrip("/")[: -len(old_slug)]
            urls = (indexed, base + new_slug + ("/" if indexed.endswith("/") else ""))
        url = urls[0]
        if alias:
            _add_alias(doc, conv.alias_key, url)
    if renames:
        _rewrite_links(ws, rel, renames[0], conv, urls)


def _indexed_url(ws: Workspace, rel: str) -> str | None:
    """The post's URL as the index holds it (a ``url`` column, where the dialects keep one)."""
    row = ws.ix.conn.execute("SELECT * FROM posts WHERE path = ?", (rel,)).fetchone()
    if row is None or "url" not in row.keys():  # noqa: SIM118 - `in` on a Row looks at values
        return None
    value = row["url"]
    return value if isinstance(value, str) and value.startswith("/") else None


def bundle_index(ref: str) -> str:
    """A bundle folder given on the command line → its index file; anything else as it is."""
    if os.path.isdir(ref):
        for name in sorted(os.listdir(ref)):
            if name.split(".")[0] in _BUNDLE and name.endswith((".md", ".markdown")):
                return os.path.join(ref, name)
    return ref


def _free(ws: Workspace, new_rel: str) -> None:
    if os.path.lexists(os.path.join(ws.root, new_rel)):
        raise UsageError(f"{ws.shown(new_rel)} exists already")


def _add_alias(doc: Doc, key: str, url: str) -> None:
    items = doc.items(key)
    if items is not None:
        if url not in items:
            doc.edit_items(key, list[str | None](items), [url])
        return
    value = doc.value(key)
    if isinstance(value, str):
        if value != url:
            doc.set(key, [value, url])
        return
    if doc.has(key):
        raise EditError(f"{key} is not a list; not adding the old URL")
    doc.set(key, [url])


def old_url(conv: Conventions, rel: str, slug: str, date: str | None, categories: str) -> str:
    """The post's URL before the move, as the generator builds it by default."""
    folder = posixpath.dirname(rel)
    if posixpath.basename(rel).split(".")[0] in _BUNDLE:
        folder = posixpath.dirname(folder)
    if conv.name == "jekyll":
        return _jekyll_url(conv, rel, slug, date, categories)
    parts = [p for p in folder.split("/") if p]
    path = "/".join([*parts, slug]).lower() if conv.name == "hugo" else "/".join([*parts, slug])
    return "/" + path + "/"


def _jekyll_url(conv: Conventions, rel: str, slug: str, date: str | None, categories: str) -> str:
    """The URL Jekyll gives the post: the site's permalink pattern (the dialect read it from
    ``_config.yml``, the posts collection's own first), its day in the site's time zone."""
    import json

    from postctl.parse.names import fold

    pattern = conv.permalink or "/:categories/:year/:month/:day/:title.html"
    cats = "/".join(fold(c) for c in json.loads(categories or "[]"))
    day = _local_day(date, conv.timezone)
    out = (
        pattern.replace(":categories", cats)
        .replace(":year", day[:4])
        .replace(":month", day[5:7])
        .replace(":day", day[8:10])
        .replace(":title", slug)
        .replace(":slug", slug)
        .replace(":output_ext", ".html")
    )
    return re.sub("/+", "/", out)


def _local_day(date: str | None, zone: object) -> str:
    """The post's day where Jekyll builds it: a time with an offset is moved to the site's
    ``timezone`` (else the machine's), as Jekyll does before filling :year/:month/:day."""
    import datetime as dt

    if not date:
        return "0000-00-00"
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        return date[:10]
    if len(date) <= 10 or when.tzinfo is None:
        return date[:10]
    tz: dt.tzinfo | None = None
    if isinstance(zone, str):
        try:
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(zone)
        except (ValueError, KeyError, OSError):
            tz = None
    return when.astimezone(tz).date().isoformat()


# --------------------------------------------------------------------------- links

_POST_URL = re.compile(r"(\{%-?\s*post_url\s+)([^\s%]+)(\s*-?%\})")
_JEKYLL_LINK = re.compile(r"(\{%-?\s*link\s+)([^\s%]+)(\s*-?%\})")
_HUGO_REF = re.compile(r"""(\{\{[<%]\s*(?:rel)?ref\s+)("?)([^"\s>%]+)("?)(\s*[>%]\}\})""")
_ZOLA = re.compile(r"(\]\(|href=\"|href=')(@/[^)\s\"'#?]+)")


def _rewrite_links(
    ws: Workspace,
    moved: str,
    rename: tuple[str, str],
    conv: Conventions,
    urls: tuple[str, str] | None,
) -> None:
    """Rewrite, in every post, the links that lead to the moved post (its file, or its URL on
    the site: ``](/posts/old/)``)."""
    old, new = rename
    old_stem = posixpath.basename(old)
    if old == moved:
        old_stem = old_stem.rsplit(".", 1)[0]
    for (rel,) in ws.ix.conn.execute("SELECT path FROM posts ORDER BY path").fetchall():
        path = os.path.join(ws.root, rel)
        try:
            data = read_bytes(path)
        except OSError:
            continue
        if old_stem.encode() not in data:
            continue
        doc = ws.docs.get(rel) or ws.load(rel)
        if doc is None:
            continue
        _rewrite_relative(doc, moved, old, new)
        if conv.name == "jekyll" or "post_url" in doc.text or "{% link" in doc.text:
            _rewrite_jekyll(ws, doc, moved, old, new, conv)
        if "ref" in doc.text:
            _rewrite_hugo(doc, old, new)
        if "@/" in doc.text:
            _rewrite_zola(doc, old, new)
        if urls is not None and rel != moved:
            _rewrite_urls(doc, *urls)


def _body_lines(doc: Doc) -> Iterator[tuple[int, int]]:
    """(line number, offset of the line in doc.text) for each line of the text."""
    pos, n = 0, 1
    while pos <= len(doc.text):
        yield n, pos
        nl = doc.text.find("\n", pos)
        if nl == -1:
            return
        pos, n = nl + 1, n + 1


def _rewrite_relative(doc: Doc, moved: str, old: str, new: str) -> None:
    from postctl.parse.links import local_links

    start = doc.body_start
    body = doc.text[start:].replace("\r\n", "\n")
    first_line = doc.text.count("\n", 0, start) + 1
    found = local_links(body, first_line)
    if not found:
        return
    offsets = dict(_body_lines(doc))
    here = posixpath.dirname(doc.rel)
    targets = {old: new}
    if old == moved:
        targets[old.rsplit(".", 1)[0]] = new.rsplit(".", 1)[0]
    else:  # a bundle folder: links to it, and to its index file
        targets[posixpath.join(old, posixpath.basename(moved))] = posixpath.join(
            new, posixpath.basename(moved)
        )
    edits: list[tuple[int, int, str]] = []
    for link in found:
        resolved = posixpath.normpath(posixpath.join(here, link.path))
        if resolved not in targets:
            continue
        pos = offsets.get(link.line, -1) + link.col - 1
        if doc.text[pos : pos + len(link.target)] != link.target:
            continue  # a line the parser counts differently (a lone CR): leave it
        raw = re.split(r"[#?]", link.target, maxsplit=1)[0]
        rest = link.target[len(raw) :]
        new_path = posixpath.relpath(targets[resolved], here or ".")
        if raw.endswith("/"):
            new_path += "/"
        if raw != link.path:  # it was %-escaped
            new_path = quote(new_path)
        edits.append((pos, pos + len(link.target), new_path + rest))
    for s, e, text in sorted(edits, reverse=True):
        doc.replace_body(s, e, text)


def _rewrite_jekyll(
    ws: Workspace, doc: Doc, moved: str, old: str, new: str, conv: Conventions
) -> None:
    old_name = posixpath.basename(old).rsplit(".", 1)[0]
    new_name = posixpath.basename(new).rsplit(".", 1)[0]

    def post_url(m: re.Match[str]) -> str:
        target = m.group(2)
        head, _, tail = target.rpartition("/")
        if tail != old_name:
            return m.group(0)
        return m.group(1) + (head + "/" if head else "") + new_name + m.group(3)

    site_rel = _site_rel(ws, conv)

    def link(m: re.Match[str]) -> str:
        target = m.group(2)
        if site_rel is None or posixpath.normpath(target) != posixpath.join(site_rel, old):
            return m.group(0)
        return m.group(1) + posixpath.join(site_rel, new) + m.group(3)

    text = _JEKYLL_LINK.sub(link, _POST_URL.sub(post_url, doc.text))
    doc.replace_body(0, len(doc.text), text) if text != doc.text else None


def _site_rel(ws: Workspace, conv: Conventions) -> str | None:
    """The content folder relative to the Jekyll site (``""`` when it is the site)."""
    if conv.site is None:
        return None
    rel = os.path.relpath(ws.root, conv.site)
    return None if rel.startswith("..") else ("" if rel == "." else rel.replace(os.sep, "/"))


def _rewrite_hugo(doc: Doc, old: str, new: str) -> None:
    old_base = posixpath.basename(old)
    old_stem = old_base.rsplit(".", 1)[0] if "." in old_base else old_base
    new_base = posixpath.basename(new)
    new_stem = new_base.rsplit(".", 1)[0] if "." in new_base else new_base
    old_dir = posixpath.dirname(old)

    def ref(m: re.Match[str]) -> str:
        target = m.group(3)
        path, hash_, anchor = target.partition("#")
        head, _, tail = path.rstrip("/").rpartition("/")
        stem, dot, ext = tail.partition(".")
        if stem != old_stem:
            return m.group(0)
        parts = [p for p in head.split("/") if p not in ("", ".", "..")]
        if parts and old_dir.split("/")[-len(parts) :] != parts:
            return m.group(0)  # another folder's post of the same name
        slash = "/" if path.endswith("/") else ""
        new_tail = new_stem + (dot + ext if dot else "")
        new_target = (head + "/" if head or path.startswith("/") else "") + new_tail + slash
        return m.group(1) + m.group(2) + new_target + hash_ + anchor + m.group(4) + m.group(5)

    text = _HUGO_REF.sub(ref, doc.text)
    if text != doc.text:
        doc.replace_body(0, len(doc.text), text)


def _rewrite_urls(doc: Doc, old_url: str, new_url: str) -> None:
    """Site links to the old URL: ``](/posts/old/#part)``, ``href="/posts/old"``, and
    reference definitions ``[old]: /posts/old/``."""
    base = old_url.rstrip("/")
    if not base or base not in doc.text:
        return
    pattern = re.compile(
        r"(\]\(\s*|href=[\"']|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*)"
        + re.escape(base)
        + r"(/?)(?=[#?)\"'\s]|$)",
        re.MULTILINE,
    )
    new_base = new_url.rstrip("/")
    text = pattern.sub(lambda m: m.group(1) + new_base + m.group(2), doc.text)
    if text != doc.text:
        doc.replace_body(0, len(doc.text), text)


def _rewrite_zola(doc: Doc, old: str, new: str) -> None:
    def at(m: re.Match[str]) -> str:
        target = m.group(2)[2:]
        if target == old:
            return m.group(1) + "@/" + new
        if target.startswith(old + "/"):  # a file in a moved bundle folder
            return m.group(1) + "@/" + new + target[len(old) :]
        return m.group(0)

    text = _ZOLA.sub(at, doc.text)
    if text != doc.text:
        doc.replace_body(0, len(doc.text), text)
