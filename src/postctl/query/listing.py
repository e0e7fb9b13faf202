"""Selecting posts from the index: the core of ``list``, ``categories`` and ``tags``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from postctl.errors import NotFound, UsageError
from postctl.index.store import Index
from postctl.parse.names import did_you_mean, fold
from postctl.parse.record import PUBLIC_FIELDS, public_record
from postctl.query.filters import (
    Params,
    Query,
    builtin_keys,
    count_sql,
    present_sql,
    to_sql,
    unknown_keys,
)

# The fields of every record in json, jsonl and csv, in this order (documented in docs/commands.md).
RECORD_FIELDS = PUBLIC_FIELDS  # derived from the post record: postctl.parse.record


@dataclass
class Selection:
    query: Query
    records: list[dict[str, Any]]
    total: int  # matches before --limit
    heading: str
    summary: str  # "17 articles on Performance."


def record(row: Any, index: Index) -> dict[str, Any]:
    """An index row → the stable record shown to users and scripts."""
    return public_record(row, index.settings.wpm, index.shown_content)


def display_name(index: Index, table: str, slug: str) -> str | None:
    """The most used spelling of a category or tag (``Performance`` for ``performance``)."""
    row = index.conn.execute(
        f"SELECT name FROM {table} WHERE slug = ? "
        "GROUP BY name ORDER BY count(*) DESC, name LIMIT 1",
        (slug,),
    ).fetchone()
    return row[0] if row else None


def _require(index: Index, table: str, kind: str, name: str) -> str:
    shown = display_name(index, table, fold(name))
    if shown is not None:
        return shown
    names = [r[0] for r in index.conn.execute(f"SELECT DISTINCT slug FROM {table}")]
    hint = did_you_mean(name, names)
    suffix = f'; did you mean "{hint}"?' if hint else ""
    raise NotFound(f'no {kind} "{name}"{suffix}')


def _plural(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


def require_names(index: Index, query: Query) -> tuple[list[str], list[str]]:
    """The display names of the query's categories and tags; an unknown one raises NotFound
    with the did_you_mean name. Every command that filters calls this before its own work."""
    cats = [_require(index, "post_categories", "category", c) for c in query.categories]
    tags = [_require(index, "post_tags", "tag", t) for t in query.tags]
    require_keys(index, query)
    return cats, tags


def front_matter_keys(index: Index) -> list[str]:
    """Every key some post's front matter has beyond the known ones, most used first, with the
    keys inside an ``extra`` or ``params`` table (which a bare key also finds)."""
    rows = index.conn.execute(
        "SELECT key FROM (SELECT j.key AS key FROM posts, json_each(posts.extra) j "
        "UNION ALL SELECT j.key FROM posts, json_each(posts.extra, '$.extra') j "
        "WHERE json_type(posts.extra, '$.extra') = 'object' "
        "UNION ALL SELECT j.key FROM posts, json_each(posts.extra, '$.params') j "
        "WHERE json_type(posts.extra, '$.params') = 'object') "
        "GROUP BY key ORDER BY count(*) DESC, key"
    )
    return [r[0] for r in rows]


def require_keys(index: Index, query: Query) -> None:
    """A --where or --sort key that is neither built in nor in any post's front matter is a
    typo: a usage error naming the closest key, not a silently empty or unsorted answer."""
    for option, key in unknown_keys(query):
        params = Params()
        sql = f"SELECT 1 FROM posts WHERE {present_sql(key, params)} LIMIT 1"
        if index.conn.execute(sql, params.values).fetchone() is not None:
            continue
        candidates = sorted(builtin_keys() - {"categories", "tags"}) + front_matter_keys(index)
        hint = did_you_mean(key, candidates)
        suffix = f'; did you mean "{hint}"?' if hint else ""
        raise UsageError(f'{option} {key}: no post has the key "{key}"{suffix}')


def select(index: Index, query: Query) -> Selection:
    """Run a query; unknown categories and tags raise NotFound with the did_you_mean name."""
    cat_names, tag_names = require_names(index, query)
    sql, params = to_sql(query, index.settings.wpm)
    rows = index.query(sql, params)
    if query.limit is not None and len(rows) >= query.limit:
        csql, cparams = count_sql(query, wpm=index.settings.wpm)
        total = index.conn.execute(csql, cparams).fetchone()[0]
    else:
        total = len(rows)
    heading, summary = _headline(query, cat_names, tag_names, total, len(rows))
    return Selection(query, [record(r, index) for r in rows], total, heading, summary)


def _headline(
    query: Query, cats: list[str], tags: list[str], total: int, shown: int
) -> tuple[str, str]:
    drafts = {"drafts": "draft ", "all": ""}.get(query.drafts.value, "")
    count = _plural(total).replace("article", drafts + "article", 1)
    if shown < total:
        count = f"Showing {shown} of {count}"
    if cats:
        heading = " & ".join(cats)
        summary = f"{count} on {heading}"
    elif tags:
        heading = "Tagged " + " & ".join(tags)
        summary = count
    else:
        heading = {"drafts": "Drafts", "all": "All articles and drafts"}.get(
            query.drafts.value, "All articles"
        )
        summary = count
    rest = query.describe()
    if rest:
        summary += ", " + rest
        if not cats and not tags:
            heading = "Articles " + rest.split(", ")[0]
    return heading, summary + "."


def names_with_counts(index: Index, table: str, query: Query) -> list[dict[str, Any]]:
    """Each category or tag of the selected posts with its post count, most used first."""
    sql, params = count_sql(
        query,
        "x.slug AS slug, count(*) AS posts",
        f"{table} x JOIN posts ON posts.path = x.path",
        index.settings.wpm,
    )
    out = []
    for row in index.query(sql + " GROUP BY x.slug ORDER BY posts DESC, x.slug", params):
        name = display_name(index, table, row["slug"]) or row["slug"]
        out.append({"name": name, "slug": row["slug"], "posts": row["posts"]})
    return out


def site_line(index: Index) -> str:
    """``hugo site: content in content; not posts: 3 section pages``: what ``index`` says of
    a generator's site."""
    from postctl.parse.dialects import KIND_WORDS

    settings = index.settings
    aside = index.not_posts()
    words = ", ".join(f"{n} {KIND_WORDS.get(k, k)}" for k, n in aside.items() if n)
    return f"{settings.dialect} site: content in {settings.rel(settings.content_dir)}" + (
        f"; not posts: {words}" if words else ""
    )


def find_post(index: Index, ref: str) -> Any:
    """An index row by path (as typed, relative to here, or to the content folder) or slug."""
    import os
    from pathlib import Path

    candidates = [ref]
    if Path(ref).suffix:
        rel = os.path.relpath(Path(ref).resolve(), index.settings.content_dir)
        candidates.append(rel.replace(os.sep, "/"))
    conn = index.conn
    for c in candidates:
        row = conn.execute("SELECT * FROM posts WHERE path = ?", (c,)).fetchone()
        if row is not None:
            return row
    url = "/" + ref.strip("/") + "/"
    rows = conn.execute(
        "SELECT * FROM posts WHERE slug = ? OR url = ? ORDER BY path", (ref, url)
    ).fetchall()
    if len(rows) == 1:
        return rows[0]
    if rows:
        base = index.shown_content
        shown = [base + r["path"] for r in rows]
        listed = ", ".join(shown[:10])
        if len(shown) > 10:
            listed += (
                f" and {len(shown) - 10} more (all: postctl list --all --where slug={ref} -f paths)"
            )
        raise UsageError(f'"{ref}" names {len(rows)} posts; give one of their paths: {listed}')
    skipped = conn.execute(
        f"SELECT path, reason FROM skipped WHERE path IN ({','.join('?' * len(candidates))})",
        candidates,
    ).fetchone()
    if skipped is not None:
        raise UsageError(f"{ref}: not indexed: {skipped[1]}")
    hint = did_you_mean(ref, [r[0] for r in conn.execute("SELECT slug FROM posts")])
    raise NotFound(f'no post "{ref}"' + (f'; did you mean "{hint}"?' if hint else ""))
