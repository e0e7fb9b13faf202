"""A fast path for the front matter most posts have: flat ``key: value`` lines and lists of
strings. It returns exactly what the full YAML loader in :mod:`postctl.parse.handlers` would
(values, key lines, no problems), or None as soon as a line is anything else, and the full loader
takes over.

Why: building Python objects node by node is most of the cost of PyYAML's SafeLoader (its C part
only scans and composes), and YAML parsing was a fifth of the time the index spends per post.

What it reads, on purpose narrowly (``tests/parse/test_flatyaml.py`` holds it equal to PyYAML):

* a key: ``[A-Za-z_][A-Za-z0-9_-]*`` at column 0, then ``:`` and a space or the end of the line;
  not a YAML 1.1 boolean word, not seen before;
* a value: a double-quoted string without backslash or quote inside, a single-quoted string
  without a quote inside, a plain string that starts with an ASCII letter and holds none of
  ``: # [ ] { } ' "`` nor a tab, ``true``/``false`` (any YAML case), a ``YYYY-MM-DD`` date or
  a ``YYYY-MM-DDTHH:MM:SS`` time (``Z`` or ``+HH:MM`` after it, or not) that exists, or an
  integer without a leading zero; words that YAML 1.1 reads as booleans or null,
  and numbers or booleans under keys that want a string, are left to the full loader (which
  reports them as traps);
* an empty value followed by block-list items ``- string`` at one indentation, or a flow list
  ``[string, "string", 'string']`` on the key's line;
* blank lines.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from postctl.parse.keys import WANTS_STRING, YAML11_BOOLS

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.*)")
_PLAIN = re.compile(r"[A-Za-z][^:#\[\]{}'\"\t]*")
# A flow list of such strings: ["a", 'b', c d]. Validated whole, then read item by item.
_FLOW_ITEM = r"(?:\"[^\"]*\"|'[^']*'|[A-Za-z][^:#,\[\]{}'\"\t]*?)"
_FLOW = re.compile(rf"\[ *(?:{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})*)? *\]")
_FLOW_ITEMS = re.compile(rf" *({_FLOW_ITEM}) *(?:,|$)")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:(Z)|([-+])(\d\d):(\d\d))?")
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# Plain words YAML 1.1 resolves to something other than a string (PyYAML's resolver).
_SPECIAL = frozenset(
    {
        *(
            w
            for base in ("yes", "no", "on", "off", "null")
            for w in (base, base.title(), base.upper())
        ),
        *_TRUE,
        *_FALSE,
    }
)
_NO = object()  # "not for the fast path"
MAX_LENGTH = 65_536  # longer front matter (a generated file?) gets the full loader's limits


def load(fm: str) -> tuple[dict[str, Any], dict[str, int], list[Any]] | None:
    """(mapping, key → line, problems = []) like load_yaml, or None: use the full loader."""
    if "\t" in fm or "\\" in fm or len(fm) > MAX_LENGTH:
        return None
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    key: str | None = None  # the key whose list items may follow
    items: list[str] | None = None
    indent = -1
    for number, line in enumerate(fm.split("\n"), start=2):
        if not line or line.isspace():
            continue
        if not line.isprintable():
            return None
        if line[0] == " " or line[0] == "-":
            m = _ITEM.fullmatch(line)
            if m is None or key is None:
                return None
            if items is None:
                items, indent = [], len(m.group(1))
                data[key] = items
            elif len(m.group(1)) != indent:
                return None
            raw_item = m.group(2).rstrip(" ")
            item = _scalar(raw_item, None) if raw_item else _NO
            if type(item) is not str:
                return None
            items.append(item)
            continue
        m = _KEY.fullmatch(line)
        if m is None:
            return None
        name, raw = m.group(1), (m.group(2) or "").rstrip(" ")
        if name in data or name.lower() in YAML11_BOOLS:
            return None
        lines[name] = number
        items = None
        if raw:
            value = _scalar(raw, name)
            if value is _NO:
                return None
            data[name] = value
            key = None
        else:
            data[name] = None
            key = name
    return data, lines, []


def _scalar(raw: str, key: str | None) -> Any:
    """A value as SafeLoader reads it, or _NO. ``key`` None: an item of a list."""
    first = raw[0]
    if first == '"':
        return raw[1:-1] if raw[-1] == '"' and len(raw) > 1 and '"' not in raw[1:-1] else _NO
    if first == "'":
        return raw[1:-1] if raw[-1] == "'" and len(raw) > 1 and "'" not in raw[1:-1] else _NO
    if first == "[":
        return _NO if key is None else _flow_list(raw)
    if first.isdigit():
        return _NO if key is None or key in WANTS_STRING else _number_or_date(raw)
    if raw in _SPECIAL:
        if key is None or key in WANTS_STRING:
            return _NO
        if raw in _TRUE:
            return True
        return False if raw in _FALSE else _NO
    return raw if _PLAIN.fullmatch(raw) else _NO


def _flow_list(raw: str) -> Any:
    """``[a, "b", 'c']`` → a list of strings, or _NO."""
    if not _FLOW.fullmatch(raw):
        return _NO
    items = []
    for m in _FLOW_ITEMS.finditer(raw[1:-1].strip(" ")):
        item = m.group(1)
        if item[0] in "\"'":
            items.append(item[1:-1])
        elif item in _SPECIAL:
            return _NO
        else:
            items.append(item)
    return items


def _number_or_date(raw: str) -> Any:
    """A date, a time or an integer as SafeLoader reads it, or _NO."""
    if _DATE.fullmatch(raw):
        try:
            return dt.date(int(raw[:4]), int(raw[5:7]), int(raw[8:10]))
        except ValueError:
            return _NO
    if _INT.fullmatch(raw):
        return int(raw)
    stamp = _DATETIME.fullmatch(raw)
    return _NO if stamp is None else _datetime(stamp)


def _datetime(m: re.Match[str]) -> Any:
    """2015-08-31T06:00:00+00:00 as PyYAML's timestamp constructor builds it."""
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    zulu, sign, tz_hour, tz_minute = m.groups()[6:]
    tzinfo: dt.tzinfo | None = None
    try:  # out of range (month 13, offset +99:00): the full parser decides, as for any odd value
        if sign:
            delta = dt.timedelta(hours=int(tz_hour), minutes=int(tz_minute))
            tzinfo = dt.timezone(-delta if sign == "-" else delta)
        elif zulu:
            tzinfo = dt.UTC
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=tzinfo)
    except ValueError:
        return _NO
