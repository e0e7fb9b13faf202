"""The one post record: what postctl knows about a post once it is parsed.

:class:`PostRecord` is the single shape of a post past the parser. Everything else derives from
its fields, so that a field is added in one place:

* :data:`COLUMNS`, the ``posts`` table's columns in order (the index's DDL must agree: a test
  holds it to this list), and :meth:`PostRecord.to_row` / :meth:`PostRecord.from_row`, the
  conversion to and from a SQLite row (lists and mappings as JSON text, ``draft`` as 0/1);
* :data:`PUBLIC_FIELDS`, the fields of every record ``list``, ``show`` and ``search`` print as
  json, jsonl and csv, in their documented order, and :func:`public_record`, which builds that
  record straight from an index row (warm ``list`` decodes only the JSON it shows);
* the check rules (:mod:`postctl.query.rules`) read records, with the path as shown to the user.

A file that is not a post (unreadable, not UTF-8, bad front matter) is a :class:`Skipped`.

A row's JSON columns are written by one shared ``json.JSONEncoder``, except the empty list and
mapping (3 of a post's 6 JSON columns on the bench corpus), written as text: :func:`row_of` took
15.9 µs a post with the encoder for every column and 7.1 µs so (2,000 posts of the 10k bench
corpus, CPU best of 7).
"""

from __future__ import annotations

import hashlib
import json
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from postctl.parse.keys import Problem
from postctl.parse.speed import DEFAULT_WPM, minutes

_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call


def _to_json(value: Any) -> str:
    """A JSON column's text; the empty list and mapping (``authors``, ``problems`` and most
    ``extra`` of a post) without the encoder: 0.1 µs against 0.9 µs each (timeit, best of 5),
    2 or 3 a post."""
    if not value:
        if value == []:
            return "[]"
        if value == {}:
            return "{}"
    return _encode(value)


def json_column(text: str) -> Any:
    """A JSON column of ``posts`` (categories, tags, extra, key_lines, problems) decoded; the
    empty list and object, most of them, without the JSON parser."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text)


def content_hash(data: bytes) -> str:
    """The hash that tells whether a file's bytes changed: ``posts.hash``, ``skipped.hash`` and
    the caches keyed by content (readability, links)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that is not indexed as a post, and why; ``line``/``col`` where the parser knows.

    ``size``, ``mtime_ns`` and ``hash`` are what the index stores to know when to try again
    (size -1: on every sync, e.g. permission denied); they take no part in equality."""

    path: str
    reason: str
    line: int | None = None
    col: int | None = None
    size: int = field(default=-1, compare=False)
    mtime_ns: int = field(default=0, compare=False)
    hash: str = field(default="", compare=False)

    def __str__(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}" + (f":{self.col}" if self.col is not None else "")
        return f"{loc}: {self.reason}"

    def to_row(self) -> tuple[Any, ...]:
        """The ``skipped`` row."""
        return (self.path, self.reason, self.line, self.col, self.size, self.mtime_ns, self.hash)


def _public(order: int) -> dict[str, Any]:
    """Field metadata: shown in ``list``/``show`` records, at this position."""
    return {"public": order}


_JSON = {"json": True}


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One post, as the index stores it and the commands read it."""

    path: str = field(metadata=_public(0))  # relative to the content folder, '/' separators
    slug: str = field(metadata=_public(1))
    title: str | None = field(default=None, metadata=_public(2))
    date: str | None = field(default=None, metadata=_public(3))  # ISO 8601
    updated: str | None = field(default=None, metadata=_public(4))
    description: str | None = field(default=None, metadata=_public(5))
    categories: list[str] = field(default_factory=list, metadata={**_JSON, **_public(6)})
    tags: list[str] = field(default_factory=list, metadata={**_JSON, **_public(7)})
    draft: bool = field(default=False, metadata=_public(8))
    author: str | None = field(default=None, metadata=_public(9))
    extra: dict[str, Any] = field(default_factory=dict, metadata={**_JSON, **_public(12)})
    words: int = field(default=0, metadata=_public(10))  # prose words
    cjk_chars: int = 0
    code_lines: int = 0
    images: int = 0
    other_seconds: float = 0.0  # reading seconds that are not prose words
    fm_format: str = "none"  # yaml, toml, json or none
    body_line: int = 1  # first line of the body
    key_lines: dict[str, int] = field(default_factory=dict, metadata=_JSON)
    problems: list[Problem] = field(default_factory=list, metadata=_JSON)
    # What the site's dialect decides (postctl.parse.dialects): every author (co-authors split),
    # the URL the generator gives the post, the date as a UTC instant (or a date) for sorting,
    # and when a scheduling generator (Hugo, Jekyll) publishes and expires it.
    authors: list[str] = field(default_factory=list, metadata=_JSON)
    url: str | None = None
    date_key: str | None = None
    publish_key: str | None = None
    expiry_key: str | None = None
    size: int = 0  # bytes of the file
    mtime_ns: int = 0
    hash: str = ""  # content_hash of the file's bytes

    # -- derived

    def reading_minutes(self, wpm: int = DEFAULT_WPM) -> int:
        return minutes(self.words, self.other_seconds, wpm)

    @property
    def empty_body(self) -> bool:
        return not (self.words or self.cjk_chars or self.code_lines or self.images)

    def line(self, *keys: str) -> int:
        """The line of the first of ``keys`` present in the front matter, else 1."""
        for key in keys:
            line = self.key_lines.get(key)
            if line is not None:
                return line
        return 1

    # -- SQLite rows

    def to_row(self) -> tuple[Any, ...]:
        """The ``posts`` row, values in :data:`COLUMNS` order."""
        return row_of(self, self.path, self.size, self.mtime_ns, self.hash)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], path: str | None = None) -> PostRecord:
        """A ``posts`` row (all of :data:`COLUMNS`) → record; ``path`` replaces the stored one
        (the path as shown to the user)."""
        values = {name: row[name] for name in COLUMNS}
        for name in JSON_COLUMNS:
            values[name] = json_column(values[name])
        values["draft"] = bool(values["draft"])
        values["problems"] = [Problem(*p) for p in values["problems"]]
        if path is not None:
            values["path"] = path
        return cls(**values)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(PostRecord))


def row_of(post: Any, path: str, size: int, mtime_ns: int, hash: str) -> tuple[Any, ...]:
    """The ``posts`` row of a record, or of a parsed ``Post`` (which has the same fields but
    the file's): the sync's workers build rows straight from the parser's Post, since building
    the frozen record first cost 5 µs a post more (2,000 bench posts, best of 7)."""
    problems = [[p.rule, p.message, p.line, p.column, p.severity] for p in post.problems]
    return (
        path,
        post.slug,
        post.title,
        post.date,
        post.updated,
        post.description,
        _to_json(post.categories),
        _to_json(post.tags),
        int(post.draft),
        post.author,
        _to_json(post.extra),
        post.words,
        post.cjk_chars,
        post.code_lines,
        post.images,
        post.other_seconds,
        post.fm_format,
        post.body_line,
        _to_json(post.key_lines),
        _to_json(problems),
        _to_json(post.authors),
        post.url,
        post.date_key,
        post.publish_key,
        post.expiry_key,
        size,
        mtime_ns,
        hash,
    )


def _column_type(hint: Any) -> type:
    """The SQLite affinity of a field: JSON and text as str, bool as int (0/1)."""
    base = next((t for t in typing.get_args(hint) if t is not type(None)), hint)
    if base is bool:
        return int
    if base in (int, float, str):
        return base  # type: ignore[no-any-return]
    return str  # lists and mappings are stored as JSON text


_HINTS = typing.get_type_hints(PostRecord)
COLUMN_TYPES: dict[str, type] = {name: _column_type(_HINTS[name]) for name in COLUMNS}
NULLABLE_COLUMNS = frozenset(
    name for name in COLUMNS if type(None) in typing.get_args(_HINTS[name])
)
JSON_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(PostRecord) if f.metadata.get("json"))
_SHOWN = sorted(
    [(f.metadata["public"], f.name) for f in fields(PostRecord) if "public" in f.metadata]
    + [(11, "reading_minutes")]  # computed: words and other_seconds at the reader's speed
)
PUBLIC_FIELDS: tuple[str, ...] = tuple(name for _, name in _SHOWN)
assert [n for n, _ in _SHOWN] == list(range(len(_SHOWN))), "public positions must not collide"


def _decoder(name: str) -> Callable[[Any], Any] | None:
    if name == "reading_minutes":
        return None  # computed: see public_record
    if name in JSON_COLUMNS:
        return json_column
    if name == "draft":
        return bool
    return _same


def _same(value: Any) -> Any:
    return value


_PUBLIC = tuple((name, _decoder(name)) for name in PUBLIC_FIELDS)


def public_record(row: Mapping[str, Any], wpm: int, path_prefix: str = "") -> dict[str, Any]:
    """An index row → the stable record shown to users and scripts (:data:`PUBLIC_FIELDS`)."""
    out: dict[str, Any] = {}
    for name, decode in _PUBLIC:
        if decode is None:
            out[name] = minutes(row["words"], row["other_seconds"], wpm)
        else:
            out[name] = decode(row[name])
    if path_prefix:
        out["path"] = path_prefix + out["path"]
    return out
