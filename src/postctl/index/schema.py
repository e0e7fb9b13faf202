"""Every table, index, view and the full-text table of the index, under one version.

Declared through sqlite-utils (``Table.create``, ``create_index``, ``create_view``,
``enable_fts``) and created in one transaction by :func:`create`, which the store calls when the
index is new, rebuilt, or of another version. A change here changes the DDL text: bump
``SCHEMA_VERSION`` so that indexes written by an older postctl are rebuilt, not misread.

Rows are written with ``executemany`` and warm reads use the connection directly, not
sqlite-utils' ``insert_all`` and ``rows_where``. Measured with ``bench/writes.py`` on the
1,000-post bench corpus (1,000 post rows and 4,988 category and tag rows, one transaction, best
of 5, a shared 2-core machine): ``executemany`` 72 ms, ``insert_all`` 232 ms (3.2x; over three
runs 72-124 ms against 196-348 ms). Importing sqlite-utils costs 98 ms (best of 7,
``python -X importtime -c "import sqlite_utils"``), which only creating the schema pays: a warm
``list`` does not import it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from postctl.parse.record import COLUMN_TYPES, COLUMNS, NULLABLE_COLUMNS

SCHEMA_VERSION = 6  # 6: views agree with the CLI; readability.sentences 0 without prose

TOKENIZE = "porter unicode61 remove_diacritics 2"
# The columns of the full-text index, in the order of its bm25 weights.
FTS_COLUMNS = ("title", "description", "tags", "body")
# What FTS5's snippet() puts around each hit (search writes them, the views replace them).
HIT_START, HIT_END = "\x02", "\x03"

# posts: one row per indexed post, its columns and their order those of the one post record
# (postctl.parse.record.PostRecord: the comments on its fields say what each holds).
POSTS: dict[str, Any] = dict(COLUMN_TYPES)
POSTS_NULLABLE = NULLABLE_COLUMNS
POST_COLUMNS = COLUMNS

# post_categories, post_tags: one row per (post, name); slug is the folded name.
NAMES: dict[str, Any] = {"path": str, "name": str, "slug": str}

SKIPPED: dict[str, Any] = {
    "path": str,
    "reason": str,
    "line": int,
    "col": int,
    "size": int,  # -1: retried on every sync (permission denied, vanished)
    "mtime_ns": int,
    "hash": str,
}

# Content files the site's dialect reads and finds not to be posts (a headless page, Eleventy's
# permalink: false); kept so that a sync does not read them again. Section pages and bundle
# resources are known by their names and never read.
PAGES: dict[str, Any] = {"path": str, "kind": str, "size": int, "mtime_ns": int, "hash": str}

# content_dir, generation, fts_generation, site (the fingerprint of the dialect's rules); wpm
# and content_prefix for the views
META: dict[str, Any] = {"key": str, "value": str}

# Filled lazily by stats and show, per content version (posts.hash).
READABILITY: dict[str, Any] = {
    "hash": str,
    "flesch_reading_ease": float,
    "flesch_kincaid_grade": float,
    "automated_readability_index": float,
    "sentences": int,
}

# The links found in each indexed body, by content hash, so that checking the whole folder
# again reads no file that has not changed (postctl check). A cache: never required.
CHECK_LINKS: dict[str, Any] = {"hash": str, "links": str}

# The searchable text of each post with the content hash it came from: the external content
# table of the FTS5 table post_text_fts, which query/search.py keeps in step batch by batch.
POST_TEXT: dict[str, Any] = {"path": str, "hash": str, **{c: str for c in FTS_COLUMNS}}


# The reading speed, the content folder as the CLI shows it (relative to the project root) and
# whether the site's generator schedules posts are kept in meta by the store, so that the views
# compute what the CLI prints.
_VIEW_SETTINGS = (
    "(SELECT coalesce(CAST((SELECT value FROM meta WHERE key = 'wpm') AS INTEGER), 238) AS wpm, "
    "coalesce((SELECT value FROM meta WHERE key = 'content_prefix'), '') AS prefix, "
    "coalesce((SELECT value FROM meta WHERE key = 'schedules'), '0') = '1' AS schedules, "
    "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now)"
)
# Published as the CLI counts it: not a draft and, where the generator schedules posts (Hugo's
# publishDate and expiryDate, Jekyll's future dates), out now.
_OUT = (
    "(p.draft = 0 AND (NOT v.schedules OR ((p.publish_key IS NULL OR p.publish_key <= v.now) "
    "AND (p.expiry_key IS NULL OR p.expiry_key > v.now))))"
)


def _names_view(table: str) -> str:
    """Each category (or tag) as ``postctl categories`` shows it: the spelling most posts use,
    the published posts that carry it, and beside them the drafts (and scheduled posts)."""
    return (
        f"SELECT (SELECT x.name FROM {table} x WHERE x.slug = t.slug GROUP BY x.name "
        "ORDER BY count(*) DESC, x.name LIMIT 1) AS name, t.slug AS slug, "
        f"count(DISTINCT CASE WHEN {_OUT} THEN p.path END) AS posts, "
        f"count(DISTINCT CASE WHEN NOT {_OUT} THEN p.path END) AS drafts "
        f"FROM {table} t JOIN posts p ON p.path = t.path CROSS JOIN {_VIEW_SETTINGS} v "
        "GROUP BY t.slug"
    )


# One row per post with what the CLI computes: the path as printed, reading minutes (rounded
# up, at least one, as readtime.minutes), the three readability scores where they are known
# (stats or show computed them; a page without prose has none), categories and tags as JSON.
_POSTS_VIEW = (
    "SELECT path, slug, title, date, updated, description, categories, tags, draft, author, "
    "words, max(1, CAST(m AS INTEGER) + (m > CAST(m AS INTEGER))) AS reading_minutes, "
    "flesch_reading_ease, flesch_kincaid_grade, automated_readability_index, extra FROM ("
    "SELECT v.prefix || p.path AS path, p.slug, p.title, p.date, p.updated, p.description, "
    "p.categories, p.tags, p.draft, p.author, p.words, p.extra, "
    "round(p.words * 60.0 / v.wpm + p.other_seconds, 6) / 60.0 AS m, "
    "r.flesch_reading_ease, r.flesch_kincaid_grade, r.automated_readability_index "
    f"FROM posts p CROSS JOIN {_VIEW_SETTINGS} v "
    "LEFT JOIN readability r ON r.hash = p.hash AND r.sentences > 0)"
)
VIEWS = {
    "categories": _names_view("post_categories"),
    "tags": _names_view("post_tags"),
    "posts_view": _POSTS_VIEW,
}


def create(conn: sqlite3.Connection) -> None:
    """Drop whatever the database holds and create the schema; the caller holds a transaction
    and sets ``user_version`` to :data:`SCHEMA_VERSION` in it."""
    import sqlite_utils

    for name, kind in list(
        conn.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ):
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    posts = db.table("posts").create(
        POSTS, pk="path", not_null=[c for c in POSTS if c not in POSTS_NULLABLE]
    )
    posts.create_index(["date_key"], index_name="posts_date")
    posts.create_index(["slug"], index_name="posts_slug")
    posts.create_index(["url"], index_name="posts_url")
    for name in ("post_categories", "post_tags"):
        table = db.table(name).create(
            NAMES,
            not_null=list(NAMES),
            foreign_keys=[
                sqlite_utils.db.ForeignKey(name, "path", "posts", "path", on_delete="CASCADE")
            ],
        )
        table.create_index(["slug"], index_name=f"{name}_slug")
        table.create_index(["path"], index_name=f"{name}_path")
    db.table("skipped").create(
        SKIPPED, pk="path", not_null=[c for c in SKIPPED if c not in ("line", "col")]
    )
    db.table("pages").create(PAGES, pk="path", not_null=list(PAGES))
    db.table("meta").create(META, pk="key")
    db.table("readability").create(READABILITY, pk="hash", not_null=list(READABILITY))
    db.table("check_links").create(CHECK_LINKS, pk="hash", not_null=list(CHECK_LINKS))
    text = db.table("post_text").create(POST_TEXT, pk="path")
    text.enable_fts(list(FTS_COLUMNS), fts_version="FTS5", tokenize=TOKENIZE)
    for name, sql in VIEWS.items():
        db.create_view(name, sql)
