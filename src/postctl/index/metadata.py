"""Datasette metadata for the index: what each table, view and column holds, and the facets
that make the posts browsable (``postctl datasette-metadata > metadata.json``, then
``datasette .postctl/index.db -m metadata.json``)."""

from __future__ import annotations

from typing import Any

from postctl.index import schema

POSTS_VIEW_COLUMNS = {
    "path": "the file, as postctl prints it from the project root",
    "slug": "the URL slug: front-matter slug, else from the file name",
    "title": "front-matter title",
    "date": "publication date, ISO 8601 (a date, or a date and time with its offset)",
    "updated": "last update date (updated or lastmod), ISO 8601",
    "description": "front-matter description or summary",
    "categories": "JSON list of the category names as written",
    "tags": "JSON list of the tag names as written",
    "draft": "1 for a draft, 0 for a published post",
    "author": "front-matter author",
    "words": "words of prose (code, markup and front matter not counted)",
    "reading_minutes": "reading time in whole minutes, rounded up, at least one, at the "
    "project's words per minute (as postctl list shows it)",
    "flesch_reading_ease": "Flesch reading ease (higher is easier); empty until postctl stats "
    "or show has scored the post, and for a page without prose",
    "flesch_kincaid_grade": "Flesch-Kincaid grade level; empty where not known",
    "automated_readability_index": "Automated Readability Index; empty where not known",
    "extra": "JSON object of every other front-matter key",
}
NAME_COLUMNS = {
    "name": "the spelling most posts use",
    "slug": "the folded name postctl matches on (case and accents ignored)",
    "posts": "published posts with it, as postctl categories and postctl tags count them",
    "drafts": "drafts with it",
}
POSTS_COLUMNS = {
    "path": "relative to the content folder, with / separators",
    "other_seconds": "reading seconds that are not prose words: code lines and images",
    "cjk_chars": "Chinese, Japanese and Korean characters, read by the character",
    "code_lines": "non-blank lines in fenced code blocks",
    "images": "images in the body",
    "fm_format": "front-matter format: yaml, toml, json or none",
    "hash": "blake2b of the file's bytes: the content version readability is kept for",
}
HIDDEN = ("meta", "check_links", "post_text", "post_text_fts")


def datasette_metadata(database: str, content: str) -> dict[str, Any]:
    """The metadata.json for an index file opened by Datasette as ``database`` (its file name
    without the extension: ``index`` for .postctl/index.db)."""
    post_facets: list[Any] = [{"array": "categories"}, {"array": "tags"}, "draft"]
    tables: dict[str, Any] = {
        "posts_view": {
            "description": "One row per post, computed as the postctl command line shows it.",
            "label_column": "title",
            "sort_desc": "date",
            "facets": post_facets,
            "columns": POSTS_VIEW_COLUMNS,
        },
        "categories": {
            "description": "Each category and its posts, as postctl categories counts them.",
            "sort_desc": "posts",
            "columns": NAME_COLUMNS,
        },
        "tags": {
            "description": "Each tag and its posts, as postctl tags counts them.",
            "sort_desc": "posts",
            "columns": NAME_COLUMNS,
        },
        "posts": {
            "description": "The index's own rows, one per post (posts_view reads better).",
            "label_column": "title",
            "sort_desc": "date",
            "facets": post_facets,
            "columns": {
                c: POSTS_VIEW_COLUMNS.get(c, POSTS_COLUMNS.get(c, "")) for c in schema.POSTS
            },
        },
        "post_categories": {
            "description": "One row per post and category name.",
            "facets": ["name"],
        },
        "post_tags": {"description": "One row per post and tag name.", "facets": ["name"]},
        "skipped": {
            "description": "Files postctl could not index, with the reason (and line, column).",
        },
        "readability": {
            "description": "Readability scores per content version (posts.hash), filled by "
            "postctl stats and show.",
        },
    }
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    for table in tables.values():
        columns = table.get("columns")
        if columns:
            table["columns"] = {k: v for k, v in columns.items() if v}
    return {
        "title": "postctl index",
        "description": f"The posts of {content}, indexed by postctl: a cache of the folder, "
        "rebuilt whenever needed. Open posts_view, categories or tags.",
        "databases": {
            database: {
                "description": "Built by postctl; every read command brings it up to date.",
                "tables": tables,
            }
        },
    }
