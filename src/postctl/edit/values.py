"""``postctl set KEY=VALUE``: the value typed like the values that key already has.

Known keys have their type (``draft`` a boolean, ``date`` a date, ``tags`` a list). Any other key
takes the type most of the posts that have it give it (an integer, a number, a boolean, a list
or text), read from the index. A key no post has yet: ``true``/``false`` are booleans, whole
numbers integers, anything else text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from postctl.edit.splice import Raw
from postctl.errors import UsageError
from postctl.parse.dates import normalize_date

if TYPE_CHECKING:
    from postctl.index.store import Index

TEXT_KEYS = frozenset({"title", "description", "summary", "slug", "author", "category"})
BOOL_KEYS = frozenset({"draft", "published"})
DATE_KEYS = frozenset({"date", "updated", "lastmod", "publishDate", "expiryDate"})
LIST_KEYS = frozenset({"tags", "categories", "aliases", "redirect_from", "authors"})
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)=(.*)", re.DOTALL)
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")


def assignment(text: str) -> tuple[str, str] | None:
    """``key=value`` → (key, value); None when ``text`` is not an assignment."""
    m = _ASSIGN.fullmatch(text)
    return (m.group(1), m.group(2)) if m else None


def _clean(key: str, value: str) -> str:
    bad = next((c for c in value if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0), None)
    if bad is not None:
        raise UsageError(f"{key}: the value contains the control character U+{ord(bad):04X}")
    return value.strip()


def _bool(key: str, value: str) -> bool:
    low = value.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise UsageError(f"{key}={value}: {key} is true or false")


def _list(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def existing_type(ix: Index, key: str) -> str | None:
    """The JSON type most posts give ``key`` (integer, real, true/false, text, array), if any."""
    path = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    row = ix.conn.execute(
        "SELECT json_type(extra, ?) AS t, count(*) AS n FROM posts "
        "WHERE json_type(extra, ?) IS NOT NULL AND json_type(extra, ?) != 'null' "
        "GROUP BY t ORDER BY n DESC LIMIT 1",
        (path, path, path),
    ).fetchone()
    if row is None:
        return None
    kind = str(row[0])
    return "bool" if kind in ("true", "false") else kind


def typed(ix: Index | None, key: str, value: str, fmt: str = "yaml") -> Any:
    """The value to write for ``key=value``."""
    value = _clean(key, value)
    base = key.rpartition(".")[2]
    if base in BOOL_KEYS:
        return _bool(key, value)
    if base in DATE_KEYS:
        if normalize_date(value) is None:
            raise UsageError(f"{key}={value}: not a date (use YYYY-MM-DD or an ISO 8601 time)")
        return Raw(value)
    if base in LIST_KEYS:
        return _list(value)
    if base in TEXT_KEYS:
        return value
    kind = existing_type(ix, key) if ix is not None else None
    if kind is None:
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        return int(value) if _INT.fullmatch(value) else value
    if kind == "bool":
        return _bool(key, value)
    if kind == "integer":
        if not _INT.fullmatch(value):
            raise UsageError(f"{key}={value}: {key} is a whole number in the other posts")
        return int(value)
    if kind == "real":
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"{key}={value}: {key} is a number in the other posts") from None
    if kind == "array":
        return _list(value)
    return value
