"""Reading-time estimates for `postctl reading-time`: of files and standard input (parsed here),
of indexed posts by slug, or of every post (from the index)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from postctl.config import Settings, shown_path
from postctl.index.store import Index
from postctl.parse.speed import minutes, total_seconds
from postctl.query.filters import Query, to_sql


def reading_times(
    refs: list[str], settings: Settings, open_index: Callable[[], Index]
) -> list[dict[str, Any]]:
    """One row per reference (a file, ``-`` for standard input, or a slug), or per post when
    there is none. ``open_index`` is called once, when the index is first needed."""
    wpm = settings.wpm
    if not refs:
        ix = open_index()
        sql, params = to_sql(Query(), wpm)
        return [
            _row(shown_path(ix.settings.content_dir / r["path"]), _measures(r), wpm)
            for r in ix.query(sql, params)
        ]
    rows: list[dict[str, Any]] = []
    index: Index | None = None
    for ref in refs:
        if ref == "-" or os.path.exists(ref) or os.path.islink(ref):
            p = _parse(ref, settings.max_bytes)
            measures = (p.words, p.cjk_chars, p.code_lines, p.images, p.other_seconds)
            rows.append(_row(ref, measures, wpm))
            continue
        from postctl.query.listing import find_post

        if index is None:
            index = open_index()
        rows.append(_row(ref, _measures(find_post(index, ref)), wpm))
    return rows


def _measures(row: Any) -> tuple[int, int, int, int, float]:
    return row["words"], row["cjk_chars"], row["code_lines"], row["images"], row["other_seconds"]


def _parse(ref: str, max_bytes: int) -> Any:
    """A file or standard input parsed, every failure a PostError (one line): JSON nested
    100,000 deep, a number of 5,000 digits, bytes that are not UTF-8 on standard input."""
    from postctl.parse.post import decode, parse_checked, read_text

    if ref == "-":
        return parse_checked("<stdin>", decode("<stdin>", _stdin(max_bytes)))
    text, _ = read_text(Path(ref), max_bytes)
    return parse_checked(ref, text)


def _stdin(max_bytes: int) -> bytes:
    """Standard input as bytes (decoded as a file is: a stray byte is named, not a traceback),
    at most ``max_bytes`` of it."""
    from postctl.errors import PostError

    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PostError("<stdin>", f"more than {max_bytes:,} bytes (max-file-mb)")
    return data


def _row(name: str, measures: tuple[int, int, int, int, float], wpm: int) -> dict[str, Any]:
    words, cjk, code, images, other = measures
    return {
        "name": name,
        "words": words,
        "cjk_chars": cjk,
        "code_lines": code,
        "images": images,
        "seconds": round(total_seconds(words, other, wpm), 1),
        "minutes": minutes(words, other, wpm),
        "wpm": wpm,
    }
