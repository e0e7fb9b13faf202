"""Format-preserving front-matter edits: change one key's lines, leave every other byte alone.

python-frontmatter would load the metadata and dump all of it again: comments, key order,
quoting, indentation, blank lines and line endings would all change. Measured on the shipped
``articles/``: ``frontmatter.dumps(frontmatter.loads(text))`` with no edit at all changes 17 of
17 files (299 diff lines). So the front matter is never re-dumped here.
:mod:`postctl.parse.spans` says where each key and value sits; a new value's text comes from the
format's own writer (python-frontmatter's YAML handler, ``json.dumps``) and is spliced in. For
TOML, python-frontmatter's handler needs the ``toml`` package, which is not installed (its
``TOMLHandler`` is None here), so :func:`toml_text` writes the few value types postctl sets.

Every function takes the text of a whole file (without its BOM) and returns the new text.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from postctl.errors import PostctlError
from postctl.parse.spans import Entry, Item, Layout, line_end, line_start


class EditError(PostctlError):
    """An edit that cannot be made to this file as it is written (exit 2)."""


@dataclass(frozen=True, slots=True)
class Raw:
    """A value already written in the file's syntax (a date in the post's own style)."""

    text: str


# --------------------------------------------------------------------------- value text


def yaml_text(value: Any, style: str = "", flow: bool = False) -> str:
    """One value as YAML text on one line (``flow``: as an item of a ``[...]`` list)."""
    if isinstance(value, str):
        return _yaml_str(value, style, flow)  # the same tag in a thousand posts: dumped once
    return _yaml_text(value, style, flow)


@functools.lru_cache(maxsize=1024)
def _yaml_str(value: str, style: str, flow: bool) -> str:
    return _yaml_text(value, style, flow)


def _yaml_text(value: Any, style: str, flow: bool) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    from frontmatter.default_handlers import YAMLHandler

    kwargs: dict[str, Any] = {"width": 1 << 30}  # one line, however long
    if isinstance(value, str) and (style in ('"', "'") or "\n" in value):
        kwargs["default_style"] = style if style in ('"', "'") and "\n" not in value else '"'
    if isinstance(value, list):
        inner = ", ".join(yaml_text(v, style, flow=True) for v in value)
        return f"[{inner}]"
    handler = YAMLHandler()
    if flow:
        out = handler.export([value], default_flow_style=True, **kwargs)  # type: ignore[arg-type]
        return out.strip()[1:-1]
    out = handler.export([value], default_flow_style=False, **kwargs)  # type: ignore[arg-type]
    return out.strip()[2:]


def toml_text(value: Any, style: str = '"') -> str:
    if isinstance(value, Raw):  # a date: as written when TOML reads it as one, else ISO 8601
        import tomllib

        from postctl.parse.dates import normalize_date

        try:
            tomllib.loads("v = " + value.text)
            return value.text
        except tomllib.TOMLDecodeError:
            iso = normalize_date(value.text)
            return iso if iso is not None else json.dumps(value.text, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(v, style) for v in value) + "]"
    if value is None:
        raise EditError("TOML has no null value; use 'postctl unset' to remove a key")
    text = str(value)
    if style == "'" and "'" not in text and not any(ord(c) < 0x20 for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string: the same escapes


def json_text(value: Any) -> str:
    if isinstance(value, Raw):
        return json.dumps(value.text, ensure_ascii=False)
    if isinstance(value, dt.date | dt.datetime):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def value_text(fmt: str, value: Any, style: str = "", flow: bool = False) -> str:
    if fmt == "yaml":
        return yaml_text(value, style, flow)
    if fmt == "toml":
        return toml_text(value, style or '"')
    return json_text(value)


def key_text(fmt: str, key: str) -> str:
    """A new key as written at the start of its line."""
    if fmt == "json":
        return json.dumps(key, ensure_ascii=False)
    if fmt == "toml":
        import re

        return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
    return key if yaml_text(key) == key else yaml_text(key, '"')


# --------------------------------------------------------------------------- edits


def _entry(lay: Layout, key: str) -> Entry | None:
    if key in lay.duplicates:
        raise EditError(f"{key} is set twice in the front matter; remove one first")
    return lay.entries.get(key)


def set_value(text: str, lay: Layout, key: str, value: Any) -> str:
    """Set ``key`` to ``value``: replace its value, keeping its style, or add the key."""
    if lay.fmt == "none":
        raise EditError("the post has no front matter")
    entry = _entry(lay, key)
    if entry is None:
        return add_entry(text, lay, key, value)
    if entry.kind == "map":
        raise EditError(f"{key} is a table of keys; set one of them ({key}.NAME=VALUE)")
    if isinstance(value, list) and entry.kind == "block" and entry.items is not None:
        return _block_list(text, lay, entry, value)
    if lay.fmt == "yaml" and (entry.kind == "block" or entry.style in ("|", ">")):
        new = value_text(lay.fmt, value, _style(entry, value))
        return text[: entry.start] + _yaml_line(text, entry, new, lay.newline) + text[entry.end :]
    new = value_text(lay.fmt, value, _style(entry, value))
    if isinstance(value, Raw) and lay.fmt == "yaml" and entry.style in ('"', "'"):
        new = entry.style + new + entry.style  # a quoted date stays quoted
    if lay.fmt == "yaml" and entry.value_start == entry.value_end:  # "key:" with no value
        new = " " + new
    return text[: entry.value_start] + new + text[entry.value_end :]


def _style(entry: Entry, value: Any) -> str:
    """Quote a new value as the old one was; a list's items as its first item was."""
    if entry.items:
        return entry.items[0].style
    return entry.style if entry.style in ('"', "'") else ""


def _yaml_line(text: str, entry: Entry, value: str, newline: str) -> str:
    return text[entry.start : entry.key_end] + ": " + value + newline


def _block_list(text: str, lay: Layout, entry: Entry, values: Sequence[Any]) -> str:
    if not values:
        return text[: entry.start] + _yaml_line(text, entry, "[]", lay.newline) + text[entry.end :]
    style = _style(entry, values)
    first = line_start(text, entry.value_start)
    lines = "".join(f"{entry.indent}- {value_text(lay.fmt, v, style)}{lay.newline}" for v in values)
    return text[:first] + lines + text[entry.end :]


def unset(text: str, lay: Layout, key: str) -> str:
    """Remove ``key`` and its value, all its lines; nothing else."""
    entry = _entry(lay, key)
    if entry is None:
        return text
    if lay.fmt != "json":
        return text[: entry.start] + text[entry.end :]
    # JSON: the member and one comma beside it.
    keys = lay.top
    i = keys.index(key)
    if i + 1 < len(keys):
        nxt = lay.entries[keys[i + 1]]
        start = _json_member_start(text, entry)
        return text[:start] + text[_json_member_start(text, nxt) :]
    if i > 0:
        prev = lay.entries[keys[i - 1]]
        return text[: prev.value_end] + text[entry.value_end :]
    return text[: entry.start] + text[entry.value_end :]


def _json_member_start(text: str, entry: Entry) -> int:
    """A member's start: its line's start when it begins the line, else its key."""
    ls = line_start(text, entry.start)
    return ls if not text[ls : entry.start].strip() else entry.start


def add_entry(text: str, lay: Layout, key: str, value: Any) -> str:
    """Add ``key: value`` as the last key of the front matter (TOML: of its table)."""
    nl = lay.newline
    if lay.fmt == "json":
        member = f"{key_text('json', key)}: {json_text(value)}"
        if not lay.top:
            return text[: lay.end] + member + text[lay.end :]
        last = lay.entries[lay.top[-1]]
        first = lay.entries[lay.top[0]]
        ls = line_start(text, first.start)
        indent = text[ls : first.start]
        if indent.strip():  # members on one line: {"a": 1, "b": 2}
            return text[: last.value_end] + ", " + member + text[last.value_end :]
        return text[: last.value_end] + "," + nl + indent + member + text[last.value_end :]
    if lay.fmt == "toml" and "." in key:
        table, _, name = key.rpartition(".")
        siblings = [e for k, e in lay.entries.items() if k.rpartition(".")[0] == table]
        line = f"{key_text('toml', name)} = {toml_text(value)}{nl}"
        if siblings:
            at = max(e.end for e in siblings)
            return text[:at] + line + text[at:]
        return text[: lay.end] + f"[{table}]{nl}" + line + text[lay.end :]
    if lay.fmt == "yaml" and "." in key:
        parent_key, _, name = key.rpartition(".")
        parent = lay.entries.get(parent_key)
        if parent is None or parent.kind != "map" or not parent.indent:
            raise EditError(f"cannot add {key}: {parent_key} is not a block of keys")
        line = f"{parent.indent}{key_text('yaml', name)}: {yaml_text(value)}{nl}"
        return text[: parent.end] + line + text[parent.end :]
    sep = " = " if lay.fmt == "toml" else ": "
    line = f"{key_text(lay.fmt, key)}{sep}{value_text(lay.fmt, value)}{nl}"
    at = lay.end
    if lay.fmt == "toml":  # after the last top-level key: before any [table]
        top = [lay.entries[k].end for k in lay.top]
        at = max(top) if top else _first_table(text, lay)
    return text[:at] + line + text[at:]


def _first_table(text: str, lay: Layout) -> int:
    """Where TOML's top-level keys end: the first ``[table]`` header, else the end."""
    pos = lay.start
    while pos < lay.end:
        if text[pos:].lstrip(" \t").startswith("["):
            return pos
        pos = line_end(text, pos)
    return lay.end


def edit_items(
    text: str, lay: Layout, key: str, new: Sequence[str | None], append: Sequence[str] = ()
) -> str:
    """Edit a list's items in place: ``new[i]`` replaces item i (None removes it; the item's
    own text is kept where it is unchanged); ``append`` adds items at the end."""
    entry = _entry(lay, key)
    if entry is None or entry.items is None:
        raise EditError(f"{key} is not a list of strings")
    items = entry.items
    if len(new) != len(items):  # pragma: no cover - the caller maps every item
        raise ValueError("one action per item")
    kept = [n for n in new if n is not None] + list(append)
    if not kept:
        return set_value(text, lay, key, [])
    style = items[0].style if items else ""
    if entry.kind == "block":
        return _edit_block_items(text, lay, entry, new, append, style)
    return _edit_flow_items(text, lay, entry, new, append, style)


def _edit_block_items(
    text: str,
    lay: Layout,
    entry: Entry,
    new: Sequence[str | None],
    append: Sequence[str],
    style: str,
) -> str:
    out: list[str] = []
    pos = line_start(text, entry.value_start)
    assert entry.items is not None
    for item, value in zip(entry.items, new, strict=True):
        first, last = line_start(text, item.start), line_end(text, item.end - 1)
        out.append(text[pos:first])
        if value is not None:
            if value == item_value(text, item):
                out.append(text[first:last])
            else:
                new_text = value_text(lay.fmt, value, item.style, False)
                out.append(text[first : item.start] + new_text + text[item.end : last])
        pos = last
    extra = "".join(
        f"{entry.indent}- {value_text(lay.fmt, v, style, False)}{lay.newline}" for v in append
    )
    out.append(text[pos : entry.end] + extra)
    return text[: line_start(text, entry.value_start)] + "".join(out) + text[entry.end :]


def _edit_flow_items(
    text: str,
    lay: Layout,
    entry: Entry,
    new: Sequence[str | None],
    append: Sequence[str],
    style: str,
) -> str:
    assert entry.items is not None
    items = list(entry.items)
    # Replace from the last item backwards so earlier offsets stay valid.
    flow = lay.fmt == "yaml"
    pieces: list[tuple[int, int, str]] = []
    alive = [i for i, v in enumerate(new) if v is not None]
    new_style = style if items or flow else '"'  # new items quoted like the first one
    for item, value in zip(items, new, strict=True):
        if value is None:
            continue
        if value != item_value(text, item):
            pieces.append((item.start, item.end, value_text(lay.fmt, value, item.style, flow)))
    if not alive:  # every old item goes, new ones come
        add = ", ".join(value_text(lay.fmt, v, new_style, flow) for v in append)
        if not items:
            close = text.rfind("]", entry.value_start, entry.value_end)
            return text[:close] + add + text[close:]
        return text[: items[0].start] + add + text[items[-1].end :]
    # Removed items: each takes the separator after it, or before it when it is the last kept.
    for i, value in enumerate(new):
        if value is not None:
            continue
        later = [j for j in alive if j > i]
        if later:
            pieces.append((items[i].start, items[later[0]].start, ""))
        else:
            earlier = [j for j in alive if j < i]
            pieces.append((items[earlier[-1]].end, items[i].end, ""))
    if append:
        add = ", ".join(value_text(lay.fmt, v, new_style, flow) for v in append)
        at = items[alive[-1]].end
        pieces.append((at, at, ", " + add))
    out = text
    for start, end, repl in sorted(_merge(pieces), reverse=True):
        out = out[:start] + repl + out[end:]
    return out


def _merge(pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping removals (two adjacent items removed) → one span each, no overlap."""
    pieces.sort()
    out: list[tuple[int, int, str]] = []
    for start, end, repl in pieces:
        if out and start < out[-1][1]:
            ps, pe, pr = out[-1]
            out[-1] = (ps, max(pe, end), pr + repl)
        else:
            out.append((start, end, repl))
    return out


def item_value(text: str, item: Item) -> str:
    """An item's string value, as its quoting says."""
    raw = text[item.start : item.end]
    if item.style == '"':
        try:
            return str(json.loads(raw))
        except ValueError:
            import yaml

            return str(yaml.safe_load(raw))
    if item.style == "'":
        return raw[1:-1].replace("''", "'")
    return raw
