"""Values for shell completion, from the index: categories, tags, slugs, sort and filter keys.

Each function returns (value, description) pairs whose value starts with ``incomplete``
(compared without case); shells that show descriptions (zsh, fish) show the second part.
"""

from __future__ import annotations

from postctl.index.store import Index
from postctl.query.filters import COLUMNS, COMPUTED, LIST_KEYS, SortKey
from postctl.query.listing import front_matter_keys

Choice = tuple[str, str]
_OPS = ("!=", "<=", ">=", "=", "<", ">")
_SORT_HELP = {
    "date": "oldest first; -date: newest first",
    "title": "A to Z, ignoring case",
    "words": "shortest first",
    "reading-time": "quickest first",
    "updated": "last updated",
    "slug": "by slug",
    "path": "by file path",
}


def _starts(value: str, incomplete: str) -> bool:
    return value.lower().startswith(incomplete.lower())


def names(index: Index, table: str, incomplete: str) -> list[Choice]:
    """Category or tag slugs (what the filters match), most used first, with the name as
    written and the number of published posts."""
    rows = index.conn.execute(
        f"SELECT x.slug, min(x.name), count(*) FROM {table} x JOIN posts USING (path) "
        "GROUP BY x.slug ORDER BY sum(posts.draft = 0) DESC, x.slug"
    )
    return [
        (slug, f"{name} ({n} post{'s' if n != 1 else ''})")
        for slug, name, n in rows
        if _starts(slug, incomplete) or _starts(name, incomplete)
    ]


def slugs(index: Index, incomplete: str) -> list[Choice]:
    """Post slugs, newest first, with their titles."""
    rows = index.conn.execute("SELECT slug, title FROM posts ORDER BY date DESC, slug")
    seen: set[str] = set()
    out: list[Choice] = []
    for slug, title in rows:
        if slug not in seen and _starts(slug, incomplete):
            seen.add(slug)
            out.append((slug, title or ""))
    return out


def sort_keys(index: Index, incomplete: str) -> list[Choice]:
    """Sort keys: the built-in ones, then front-matter keys. (A word starting with ``-`` is
    completed by Click as an option name, so ``-date`` is not offered.)"""
    keys = [(k.value, _SORT_HELP.get(k.value, "")) for k in SortKey]
    keys += [(k, "front matter") for k in front_matter_keys(index)]
    return [(k, h) for k, h in keys if _starts(k, incomplete)]


def where_terms(index: Index, incomplete: str) -> list[Choice]:
    """``--where`` keys, or after ``key=`` the values that key has."""
    for op in _OPS:
        key, found, value = incomplete.partition(op)
        if found and key:
            return [(key + op + v, h) for v, h in _values(index, key.strip(), value)]
    keys = [(k, "") for k in (*COLUMNS, "category", "tag", *COMPUTED)]
    keys += [(k, "front matter") for k in front_matter_keys(index)]
    return [(k, h) for k, h in keys if _starts(k, incomplete)]


def _values(index: Index, key: str, incomplete: str) -> list[Choice]:
    if key in LIST_KEYS:
        return names(index, LIST_KEYS[key], incomplete)
    if key == "draft":
        return [(v, "") for v in ("true", "false") if _starts(v, incomplete)]
    if key in COLUMNS:
        sql = f"SELECT DISTINCT CAST({COLUMNS[key]} AS TEXT) FROM posts"
        rows = index.conn.execute(sql + " WHERE 1 IS NOT NULL LIMIT 200")
    elif key in COMPUTED:
        return []
    else:
        path = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
        rows = index.conn.execute(
            "SELECT DISTINCT CAST(json_extract(extra, ?) AS TEXT) FROM posts "
            "WHERE json_type(extra, ?) IN ('text', 'integer', 'real', 'true', 'false') LIMIT 200",
            (path, path),
        )
    values = sorted({r[0] for r in rows if r[0] is not None and "\n" not in r[0]})
    return [(v, "") for v in values if _starts(v, incomplete)]
