"""Running ``postctl check``: which posts to check, and what the cross-file rules compare them with.

Posts come from the synced index; a path the index does not hold (outside the content folder, or
excluded from it) is parsed on the spot. Cross-file rules compare the checked posts with the whole
folder through SQL restricted to their slugs, titles and tags, so checking one file does not load
ten thousand. Bodies are read only for ``broken-link``: for the given files, or for the whole
folder through a cache of each body's links in the index (its only write). Posts are only read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import json
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postctl.config import shown_path
from postctl.errors import PostError, UsageError
from postctl.index.dberrors import OperationalError
from postctl.index.scan import SKIP_DIRS, scan
from postctl.index.store import Index, busy_timeout, transaction
from postctl.parse import links
from postctl.parse.dialects import POST, Site, blank_template_code
from postctl.parse.names import fold
from postctl.parse.record import COLUMNS, PostRecord, Skipped, content_hash
from postctl.query import rules as check
from postctl.query.rules import CheckConfig, Diagnostic

_COLUMNS = ", ".join(COLUMNS)
# More keys than this and the title look-up scans every title instead of pre-filtering.
_PREFILTER_LIMIT = 200


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    checked: int  # files checked, parsed or not


@dataclass
class _Selection:
    entries: list[PostRecord] = field(default_factory=list)
    unparsed: list[Skipped] = field(default_factory=list)
    outside: list[PostRecord] = field(default_factory=list)  # parsed here, not in the index
    bodies: dict[str, str] = field(default_factory=dict)  # path → body of those parsed here
    files: dict[str, str] = field(default_factory=dict)  # shown path → absolute path


def run(
    ix: Index,
    config: CheckConfig,
    active: Mapping[str, str],
    paths: Sequence[str] | None,
    scan_problems: Sequence[Skipped] = (),
    now: dt.datetime | None = None,
    hook: bool = False,
) -> Outcome:
    """Check the whole folder (``paths`` None) or just ``paths``, against the whole folder.

    ``hook`` (pre-commit's view of the folder): given files outside the content folder are
    ignored, and cross-file rules compare only with the posts git knows (tracked or staged),
    when the folder is in a git work tree: an untracked draft is not part of the commit."""
    now = now or dt.datetime.now().astimezone()
    folder = _Folder(ix)
    whole = paths is None
    if hook:
        folder.known = git_known(folder.root)
        if paths is not None:
            paths = [p for p in paths if folder.inside(p)]
    sel = folder.everything(scan_problems) if whole else folder.select(paths or (), scan_problems)
    diags: list[Diagnostic] = []
    for item in sel.unparsed:
        diags += check.check_unparsed(item, active)
    for e in sel.entries:
        diags += check.check_entry(e, config, active, now)
    if "broken-link" in active:
        diags += _broken_links(folder, sel, active["broken-link"], whole)
    if active.keys() & check.CROSS_FILE:
        diags += _cross_file(folder, sel, active, whole, config)
    diags.sort(key=_order)
    return Outcome(diags, len(sel.entries) + len(sel.unparsed))


def _order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.col, d.rule, d.message)


class _Folder:
    """The content folder as the index sees it, with paths shown relative to the working dir."""

    def __init__(self, ix: Index) -> None:
        self.ix = ix
        self.settings = ix.settings
        self.root = str(self.settings.content_dir)
        base = shown_path(self.root)
        self.prefix = "" if os.path.abspath(self.root) == os.getcwd() else base + "/"
        self.scan_problems: Sequence[Skipped] = ()
        self._lowered: frozenset[str] | None = None
        self.known: set[str] | None = None  # what git knows, for the hook; None: every post

    def inside(self, raw: str) -> bool:
        return self._rel(os.path.abspath(raw)) is not None

    def scope(self, column: str = "path") -> tuple[str, tuple[str, ...]]:
        """SQL (`` AND …``) and its parameter keeping rows to the posts git knows (hook)."""
        if self.known is None:
            return "", ()
        return (
            f" AND {column} IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(self.known)),),
        )

    def shown(self, rel: str) -> str:
        return self.prefix + rel

    def lowered(self) -> frozenset[str]:
        """Every path under the content root (files and folders), lowercased: for generators
        that find pages whatever their case. Listed once per run."""
        if self._lowered is None:
            found: set[str] = set()
            for dirpath, dirnames, filenames in os.walk(self.root):
                rel = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
                prefix = "" if rel == "." else rel + "/"
                found.update((prefix + n).lower() for n in (*dirnames, *filenames))
            self._lowered = frozenset(found)
        return self._lowered

    def knows(self, rel: str) -> bool:
        return self.known is None or rel in self.known

    def entry(self, row: Mapping[str, Any]) -> PostRecord:
        return check.entry_from_row(row, self.shown(row["path"]))

    def file(self, e: PostRecord, sel: _Selection) -> str:
        """The absolute path of a record's file (its path is as shown)."""
        found = sel.files.get(e.path)
        if found is not None:
            return found
        return os.path.join(self.root, e.path[len(self.prefix) :])

    # -- the whole folder

    def everything(self, scan_problems: Sequence[Skipped]) -> _Selection:
        conn = self.ix.conn
        sel = _Selection()
        sel.entries = [self.entry(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM posts")]
        seen = set()
        for path, reason, line, col in conn.execute("SELECT path, reason, line, col FROM skipped"):
            seen.add(path)
            sel.unparsed.append(Skipped(self.shown(path), reason, line, col))
        for s in scan_problems:  # a FIFO, a symlink loop, an unreadable folder
            if s.path not in seen:
                seen.add(s.path)
                sel.unparsed.append(Skipped(self.shown(s.path), s.reason, s.line, s.col))
        return sel

    # -- given paths

    def select(self, paths: Sequence[str], scan_problems: Sequence[Skipped] = ()) -> _Selection:
        sel = _Selection()
        self.scan_problems = scan_problems
        done: set[str] = set()
        for raw in paths:
            path = os.path.abspath(raw)
            if not os.path.lexists(path):
                raise UsageError(f"{raw}: no such file or folder")
            rel = self._rel(path)
            if os.path.isdir(path):
                self._add_folder(sel, path, rel, done)
            elif rel is not None:
                if not self._excluded(rel) and rel not in done:
                    done.add(rel)
                    self._add_indexed(sel, path, rel)
            elif path not in done:
                done.add(path)
                self._add_parsed(sel, path)
        return sel

    def _rel(self, path: str) -> str | None:
        """``path`` relative to the content folder, or None when it is outside."""
        for candidate in (path, os.path.realpath(path)):
            if candidate == self.root:
                return ""
            if candidate.startswith(self.root + os.sep):
                return candidate[len(self.root) + 1 :].replace(os.sep, "/")
        return None

    def _excluded(self, rel: str) -> bool:
        """Left out of the index on purpose: an ``exclude`` pattern, a dot or vendor folder."""
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if any(fnmatch.fnmatch(prefix, p) for p in self.settings.exclude):
                return True
        return any(p.startswith(".") or p in SKIP_DIRS for p in parts[:-1])

    def _add_folder(self, sel: _Selection, path: str, rel: str | None, done: set[str]) -> None:
        if rel is None:
            found = scan(Path(path), self.settings.exclude)
            for name in sorted(found.files):
                file = os.path.join(path, name)
                if file not in done:
                    done.add(file)
                    self._add_parsed(sel, file)
            for s in found.problems:
                sel.unparsed.append(Skipped(shown_path(os.path.join(path, s.path)), s.reason))
            return
        if rel and self._excluded(rel):
            return
        prefix = rel + "/" if rel else ""
        conn = self.ix.conn
        under = "substr(path, 1, ?) = ?"  # not LIKE, which ignores case
        rows = conn.execute(f"SELECT {_COLUMNS} FROM posts WHERE {under}", (len(prefix), prefix))
        for row in rows:
            if row["path"] not in done:
                done.add(row["path"])
                sel.entries.append(self.entry(row))
        skipped = conn.execute(
            f"SELECT path, reason, line, col FROM skipped WHERE {under}", (len(prefix), prefix)
        )
        problems = [(s.path, s.reason, s.line, s.col) for s in self.scan_problems]
        for p, reason, line, col in [*skipped, *problems]:
            if p not in done and p.startswith(prefix):
                done.add(p)
                sel.unparsed.append(Skipped(self.shown(p), reason, line, col))

    def _add_indexed(self, sel: _Selection, path: str, rel: str) -> None:
        conn = self.ix.conn
        row = conn.execute(f"SELECT {_COLUMNS} FROM posts WHERE path = ?", (rel,)).fetchone()
        if row is not None:
            sel.entries.append(self.entry(row))
            return
        skip = conn.execute(
            "SELECT reason, line, col FROM skipped WHERE path = ?", (rel,)
        ).fetchone()
        if skip is not None:
            sel.unparsed.append(Skipped(self.shown(rel), skip[0], skip[1], skip[2]))
            return
        if self._not_a_post(rel):
            return
        # Not indexed (not a Markdown name, or it appeared after the sync): parse it here.
        self._add_parsed(sel, path, self.shown(rel))

    def _not_a_post(self, rel: str) -> bool:
        """A section page, a bundle's resource, a headless page, or (on a generator's site)
        a file the generator does not read as content: check has nothing to say about it."""
        site = self.ix.site
        page = self.ix.conn.execute("SELECT 1 FROM pages WHERE path = ?", (rel,)).fetchone()
        if page is not None or site is None:
            return page is not None
        kind = site.path_kind(rel)
        return kind not in (POST, None) or (kind is None and site.name != "plain")

    def _add_parsed(self, sel: _Selection, path: str, shown: str | None = None) -> None:
        from postctl.parse.post import parse_post

        shown = shown or shown_path(path)
        try:
            post = parse_post(path, display=shown, max_bytes=self.settings.max_bytes)
        except PostError as e:
            sel.unparsed.append(Skipped(shown, e.reason, e.line, e.column))
            return
        entry = post.record(shown)
        sel.files[shown] = path
        sel.entries.append(entry)
        sel.outside.append(entry)
        sel.bodies[shown] = post.body


# --------------------------------------------------------------------------- broken links


# The links found in each indexed body, by content hash (the check_links table of
# index/schema.py), so that checking the whole folder again reads no file that has not changed.
# A cache, never required: a read-only or busy index just means no caching.


_DIALECT_LINKS = 2  # bump when what a dialect finds in a body changes: cached finds are stale


def _broken_links(folder: _Folder, sel: _Selection, level: str, whole: bool) -> list[Diagnostic]:
    known: dict[str, bool] = {}

    def exists(path: str) -> bool:
        if path not in known:
            known[path] = os.path.exists(path)
        return known[path]

    site = folder.ix.site
    # The cache's key: the body's hash, and the dialect whose link syntax was looked for.
    tag = "" if site is None or site.name == "plain" else f":{site.name}:{_DIALECT_LINKS}"
    cached = _cached_links(folder.ix) if whole else {}
    fresh: dict[str, str] = {}
    out: list[Diagnostic] = []
    for e in sel.entries:
        body = sel.bodies.get(e.path)
        if body is not None:
            found = _links_in(body, e.body_line, site)
        elif e.hash + tag in cached:
            found = _decode_links(cached[e.hash + tag])
        else:
            inside = os.path.realpath(folder.root)
            read = _read_links(
                folder.file(e, sel), e.body_line, site, folder.settings.max_bytes, inside
            )
            if read is None:
                continue  # vanished since the sync: nothing to say about its links
            digest, found = read
            if whole:
                fresh[digest + tag] = _encode_links(found)
        if found:
            file = folder.file(e, sel)
            resolve = _resolver(folder, file, exists) if site is not None else None
            out += check.broken_links(e.path, os.path.dirname(file), found, level, exists, resolve)
    if fresh:
        _store_links(folder.ix, fresh, prune=len(cached) > len(sel.entries))
    return out


def _links_in(body: str, body_line: int, site: Site | None) -> list[links.Link]:
    """Markdown and HTML links, and the dialect's own (outside its template code blocks)."""
    if site is None:
        return links.local_links(body, body_line)
    body = blank_template_code(site, body)
    found = links.local_links(body, body_line)
    return found + links.dialect_links(body, body_line, site.dialect.links)


def _resolver(
    folder: _Folder, file: str, exists: Callable[[str], bool]
) -> Callable[[links.Link], bool | None]:
    """The dialect's say on each link of the post in ``file``: its own syntax resolved as the
    generator does; with a Hugo link render hook, a destination is a page path (a bare word
    such as ``g`` is the hook's own convention, not a file)."""
    from postctl.parse.dialects import resolve_link

    site = folder.ix.site
    assert site is not None
    content = site.content
    here = os.path.dirname(file)
    rel_folder = os.path.relpath(here, content).replace(os.sep, "/")
    rel_folder = "" if rel_folder == "." else rel_folder
    by_name = {s.name: s for s in site.dialect.links}

    def in_content(rel: str) -> bool:
        if exists(os.path.normpath(os.path.join(content, rel))):
            return True
        # Hugo finds pages whatever the case of their file names (URLs are lowercased).
        return site.dialect.lower_url and posixpath.normpath(rel).lower() in folder.lowered()

    def resolve(link: links.Link) -> bool | None:
        if not link.kind and any(s.pattern.match("](" + link.target) for s in by_name.values()):
            return True  # a link in the dialect's syntax (Zola's @/): checked as that
        if link.kind:
            syntax = by_name.get(link.kind)
            return (
                None
                if syntax is None
                else resolve_link(site, syntax, link.target, rel_folder, in_content)
            )
        beside = exists(os.path.normpath(os.path.join(here, link.path)))
        if site.dialect.links_from_root and not beside:
            return in_content(link.path)
        if site.link_hook and not link.image and not beside:
            if "/" not in link.path and "." not in link.path:
                return True  # the render hook's convention
            ref = site.dialect.links[0] if site.dialect.links else None
            return (
                None if ref is None else resolve_link(site, ref, link.path, rel_folder, in_content)
            )
        return None

    return resolve


def _read_links(
    file: str, body_line: int, site: Site | None, max_bytes: int, inside: str
) -> tuple[str, list[links.Link]] | None:
    """The links of an indexed post, read as the sync reads it (a regular file under the size
    limit, never blocking, the very file inside the content folder): None when it cannot be
    any more (changed since the sync)."""
    from postctl.parse.post import read_file

    try:
        text, data, _ = read_file(file, max_bytes, inside)
    except PostError:
        return None
    # Keyed by the hash of the bytes read, which may be newer than the index row.
    digest = content_hash(data)
    body = links.body_text(text, body_line)
    return digest, _links_in(body, body_line, site)


def _encode_links(found: Sequence[links.Link]) -> str:
    return json.dumps(
        [[k.target, k.path, k.line, k.col, k.image, *([k.kind] if k.kind else [])] for k in found]
    )


def _decode_links(text: str) -> list[links.Link]:
    if text == "[]":
        return []
    return [links.Link(t, p, ln, c, bool(i), *kind) for t, p, ln, c, i, *kind in json.loads(text)]


def _cached_links(ix: Index) -> dict[str, str]:
    return dict(ix.conn.execute("SELECT hash, links FROM check_links").fetchall())


def _store_links(ix: Index, rows: Mapping[str, str], prune: bool) -> None:
    conn = ix.conn
    # a cache is not worth waiting for; the connection's own timeout is back afterwards
    with busy_timeout(conn, 2), contextlib.suppress(OperationalError), transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO check_links VALUES (?, ?)", rows.items())
        if prune:
            conn.execute(  # keys are a post's hash, or the hash and a dialect's tag
                "DELETE FROM check_links WHERE substr(hash, 1, 32) NOT IN (SELECT hash FROM posts)"
            )


# --------------------------------------------------------------------------- cross-file


def _cross_file(
    folder: _Folder,
    sel: _Selection,
    active: Mapping[str, str],
    whole: bool,
    config: CheckConfig,
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if "duplicate-slug" in active:
        by_url = config.unique_urls
        out += _duplicate_slugs(folder, sel, active["duplicate-slug"], whole, by_url)
    if "duplicate-title" in active:
        out += _duplicate_titles(folder, sel, active["duplicate-title"], whole)
    if "tag-spelling" in active:
        out += _tag_spellings(folder, sel, active["tag-spelling"], whole)
    if "category-spelling" in active and not config.allowed_categories:
        out += _category_spellings(folder, sel, active["category-spelling"])
    return out


def _duplicate_slugs(
    folder: _Folder, sel: _Selection, level: str, whole: bool, by_url: bool
) -> list[Diagnostic]:
    """Posts that share a slug, or a URL where the site's URLs (not slugs) must be unique
    (Hugo's and Zola's sections, Jekyll's permalinks)."""
    conn = folder.ix.conn
    scope, known = folder.scope()
    col = "coalesce(url, slug)" if by_url else "slug"

    def key(e: PostRecord) -> str:
        return (e.url or e.slug) if by_url else e.slug

    if whole:
        rows = conn.execute(
            f"SELECT {col}, path FROM posts WHERE {col} IN "
            f"(SELECT {col} FROM posts WHERE 1{scope} GROUP BY {col} HAVING count(*) > 1)"
            f"{scope}",
            (*known, *known),
        )
    else:
        rows = conn.execute(
            f"SELECT {col}, path FROM posts WHERE {col} IN (SELECT value FROM json_each(?)){scope}",
            (json.dumps(sorted({key(e) for e in sel.entries})), *known),
        )
    groups = _group((s, folder.shown(p)) for s, p in rows)
    _add_outside(groups, ((key(e), e.path) for e in sel.outside))
    keyed = [(e, key(e)) for e in sel.entries]
    return check.duplicates(keyed, "duplicate-slug", level, groups)


def _duplicate_titles(
    folder: _Folder, sel: _Selection, level: str, whole: bool
) -> list[Diagnostic]:
    keyed = [(e, check.title_key(e.title)) for e in sel.entries]
    if whole:
        groups = _group((k, e.path) for e, k in keyed)
    else:
        keys = sorted({k for _, k in keyed if k})
        titles = [(p, t) for p, t in _titles(folder.ix, keys) if folder.knows(p)]
        groups = _group((check.title_key(t), folder.shown(p)) for p, t in titles)
        _add_outside(groups, ((check.title_key(e.title), e.path) for e in sel.outside))
    return check.duplicates(keyed, "duplicate-title", level, groups)


def _tag_spellings(folder: _Folder, sel: _Selection, level: str, whole: bool) -> list[Diagnostic]:
    conn = folder.ix.conn
    scope, known = folder.scope()
    if whole:
        rows = conn.execute(
            "SELECT slug, name, count(DISTINCT path) FROM post_tags WHERE slug IN "
            f"(SELECT slug FROM post_tags WHERE 1{scope} GROUP BY slug "
            f"HAVING count(DISTINCT name) > 1){scope} GROUP BY slug, name",
            (*known, *known),
        )
    else:
        tags = sorted({fold(t) for e in sel.entries for t in e.tags})
        rows = conn.execute(
            "SELECT slug, name, count(DISTINCT path) FROM post_tags "
            f"WHERE slug IN (SELECT value FROM json_each(?)){scope} GROUP BY slug, name",
            (json.dumps(tags), *known),
        )
    spellings: dict[str, dict[str, int]] = {}
    for slug, name, n in rows:
        spellings.setdefault(slug, {})[name] = n
    for e in sel.outside:
        for t in e.tags:
            names = spellings.setdefault(fold(t), {})
            names[t] = names.get(t, 0) + 1
    return check.tag_spelling(sel.entries, level, spellings)


def _category_spellings(folder: _Folder, sel: _Selection, level: str) -> list[Diagnostic]:
    counts: dict[str, tuple[str, int]] = {}
    scope, known = folder.scope()
    for slug, name, n in folder.ix.conn.execute(
        f"SELECT slug, name, count(DISTINCT path) AS n FROM post_categories WHERE 1{scope} "
        "GROUP BY slug, name ORDER BY n DESC, name",
        known,
    ):
        best, total = counts.get(slug, (name, 0))
        counts[slug] = (best, total + n)
    for e in sel.outside:
        for c in e.categories:
            best, total = counts.get(fold(c), (c, 0))
            counts[fold(c)] = (best, total + 1)
    return check.category_spelling(sel.entries, level, counts)


def git_known(folder: str) -> set[str] | None:
    """The files under ``folder`` that git knows (tracked or staged), relative to it; None when
    the folder is not in a git work tree or git is not installed. Read from git's index with
    ``ls-files``: no network, nothing written."""
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "-C", folder, "ls-files", "-z", "--cached", "--", "."],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {n for n in names if n}


def _group(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key, path in pairs:
        if key:
            groups.setdefault(key, []).append(path)
    return groups


def _add_outside(groups: dict[str, list[str]], pairs: Iterable[tuple[str, str]]) -> None:
    for key, path in pairs:
        if key:
            groups.setdefault(key, []).append(path)


def _titles(ix: Index, keys: Sequence[str]) -> list[tuple[str, str]]:
    """(path, title) of every indexed post whose folded title is one of ``keys``.

    Folding runs in Python, so a cheap SQL pre-filter keeps it to a few rows: an ASCII title
    folds to ``key`` only if it contains the key's longest word (lowercased); titles with
    non-ASCII characters (``length`` differs from the byte length) always go through."""
    if not keys:
        return []
    conn = ix.conn
    conn.create_function("postctl_fold", 1, fold, deterministic=True)
    where = "title IS NOT NULL AND postctl_fold(title) IN (SELECT value FROM json_each(?))"
    params: list[str] = []
    if len(keys) <= _PREFILTER_LIMIT and all(k.isascii() for k in keys):
        words = [max(k.split("-"), key=len) for k in keys]
        likes = " OR ".join("instr(lower(title), ?) > 0" for _ in words)
        where = f"(length(title) != length(CAST(title AS BLOB)) OR {likes}) AND {where}"
        params = words
    rows = conn.execute(f"SELECT path, title FROM posts WHERE {where}", (*params, json.dumps(keys)))
    return [(p, t) for p, t in rows]
