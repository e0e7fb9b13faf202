"""The one post record: columns, SQLite rows and public fields derive from PostRecord."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from pathlib import Path

import pytest

from postctl.index import scan, schema
from postctl.parse.keys import Problem
from postctl.parse.post import parse_text
from postctl.parse.record import (
    COLUMNS,
    PUBLIC_FIELDS,
    PostRecord,
    Skipped,
    content_hash,
    public_record,
)

TEXT = """---
title: "Café"
date: 2026-01-02
tags: [a, b]
category: Ops
draft: maybe
x: {y: [1, 2]}
---
Body words here.
"""


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    schema.create(conn)
    return conn


def test_the_posts_table_has_the_record_columns_in_order() -> None:
    conn = _db()
    names = tuple(r["name"] for r in conn.execute("PRAGMA table_info(posts)"))
    assert names == COLUMNS


def test_a_record_round_trips_through_a_sqlite_row() -> None:
    rec = parse_text("p.md", TEXT).record("dir/p.md", 123, 456, content_hash(TEXT.encode()))
    assert rec.problems == [Problem("type", "draft: 'maybe' should be true or false", 6, 1)]
    conn = _db()
    conn.execute(f"INSERT INTO posts VALUES ({', '.join('?' * len(COLUMNS))})", rec.to_row())
    row = conn.execute("SELECT * FROM posts").fetchone()
    assert PostRecord.from_row(row) == rec
    assert PostRecord.from_row(row, "shown/p.md") == dataclasses.replace(rec, path="shown/p.md")


def test_public_record_fields_and_order() -> None:
    rec = parse_text("p.md", TEXT).record("p.md")
    conn = _db()
    conn.execute(f"INSERT INTO posts VALUES ({', '.join('?' * len(COLUMNS))})", rec.to_row())
    row = conn.execute("SELECT * FROM posts").fetchone()
    out = public_record(row, 238, "content/")
    assert tuple(out) == PUBLIC_FIELDS
    assert PUBLIC_FIELDS == (
        "path", "slug", "title", "date", "updated", "description", "categories", "tags",
        "draft", "author", "words", "reading_minutes", "extra",
    )  # fmt: skip
    assert out["path"] == "content/p.md"
    assert (out["categories"], out["tags"], out["draft"]) == (["Ops"], ["a", "b"], False)
    assert out["extra"] == {"x": {"y": [1, 2]}}
    assert out["reading_minutes"] == rec.reading_minutes(238)


def test_records_are_frozen_and_travel_to_workers() -> None:
    rec = parse_text("p.md", TEXT).record("p.md")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.title = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(rec)) == rec
    skip = Skipped("a.md", "bad", 2, 3, 10, 20, "h")
    assert pickle.loads(pickle.dumps(skip)).to_row() == ("a.md", "bad", 2, 3, 10, 20, "h")
    assert skip == Skipped("a.md", "bad", 2, 3)  # size, mtime and hash are not identity


def test_parse_file_is_typed(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "good.md").write_text(TEXT)
    (folder / "bad.md").write_text("---\ntitle: [\n---\n")
    good = scan.parse_file(str(folder / "good.md"), "good.md", 1 << 20)
    assert isinstance(good, scan.Parsed)
    assert good.record.hash == content_hash(TEXT.encode())
    assert good.record.size == len(TEXT.encode())
    bad = scan.parse_file(str(folder / "bad.md"), "bad.md", 1 << 20)
    assert isinstance(bad, Skipped)
    assert (bad.path, bad.line, bad.hash) == ("bad.md", 3, content_hash(b"---\ntitle: [\n---\n"))


def test_parsed_travels_as_its_row_and_gives_back_the_record(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(TEXT)
    parsed = scan.parse_file(str(tmp_path / "good.md"), "good.md", 1 << 20)
    assert isinstance(parsed, scan.Parsed)
    back = pickle.loads(pickle.dumps(parsed))
    assert back.row == parsed.row == parsed.record.to_row()
    assert back.record == parsed.record
    assert back.tags == [("good.md", "a", "a"), ("good.md", "b", "b")]
    assert back.categories == [("good.md", "Ops", "ops")]
