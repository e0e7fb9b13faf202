"""Where each front-matter key and its value sit in a file's text: the spans an edit splices into.

The parser (:mod:`postctl.parse.post`) keeps each key's first line for diagnostics; an edit needs
more: the character range of the whole entry (the key's line to the value's last line), of the
value, and of each item of a list, in the text exactly as it is on disk (a BOM stripped by the
caller, CRLF kept). Offsets are ``str`` indices.

* YAML: PyYAML's C composer, the loader the parser uses. Its node marks are character offsets
  into the text, CRLF and non-ASCII included (``tests/parse/test_spans.py`` holds them to the
  pure-Python composer's).
* TOML: tomllib gives no positions, so key lines are found by a scan of the lines and the extent
  of each value is confirmed by tomllib itself (the shortest run of lines that parses).
* JSON: ``json.JSONDecoder.raw_decode`` gives the end of every value it reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from postctl.errors import PostError
from postctl.parse.post import split_front_matter

_JSON_START = re.compile(r'\{\s*["}]')  # as the parser tells JSON front matter from {{< x >}}


@dataclass(frozen=True, slots=True)
class Item:
    """One scalar item of a list: its text span and its quoting ('"', "'" or '' for plain)."""

    start: int
    end: int
    style: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key: value`` of the front matter (nested keys are dotted: ``taxonomies.tags``)."""

    key: str
    start: int  # first character of the key's line (JSON: of the key)
    key_end: int  # just past the key as written (its quotes included)
    end: int  # just past the line break that ends the value's last line (or the text's end)
    value_start: int
    value_end: int
    kind: str  # "scalar", "flow" (a [list] on the key's line or lines), "block" (- items), "map"
    style: str = ""  # a scalar's quoting: '"', "'", '' (plain) or '|'/'>' (block scalar)
    items: tuple[Item, ...] | None = None  # a list's items, when every one is a plain string
    indent: str = ""  # block list: what precedes "- " on an item's line; map: a child's indent


@dataclass
class Layout:
    """The front matter of one text: its format, extent and entries."""

    fmt: str  # yaml, toml, json or none
    start: int  # first character of the front matter (after the opening delimiter line)
    end: int  # first character of the closing delimiter line (JSON: the closing brace)
    newline: str  # the line break the front matter uses ("\n" or "\r\n")
    entries: dict[str, Entry] = field(default_factory=dict)
    duplicates: set[str] = field(default_factory=set)
    top: list[str] = field(default_factory=list)  # top-level keys, in order


def layout(path: str, text: str) -> Layout:
    """The layout of a post's text (without a BOM). Raises PostError as the parser does."""
    if text.startswith("---"):
        fmt = "yaml"
    elif text.startswith("+++"):
        fmt = "toml"
    elif _JSON_START.match(text):
        fmt = "json"
    else:
        return Layout("none", 0, 0, _newline(text))
    got, fm, _, _ = split_front_matter(path, text)
    if got == "none":
        return Layout("none", 0, 0, _newline(text))
    if fmt == "json":
        lay = Layout("json", 0, len(fm) - 1, _newline(text))
        _json_entries(text, lay)
        return lay
    start = text.find("\n") + 1
    lay = Layout(fmt, start, start + len(fm), _newline(text))
    if fmt == "yaml":
        _yaml_entries(path, text, lay)
    else:
        _toml_entries(text, lay)
    return lay


def parses(path: str, text: str) -> None:
    """Raise PostError unless the text's front matter still parses (a cheaper check than
    :func:`layout`: YAML is only scanned and parsed into events, no nodes are built)."""
    if not text.startswith("---"):
        layout(path, text)
        return
    import yaml

    fm = split_front_matter(path, text)[1]
    loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(fm)
    try:
        while loader.check_event():
            loader.get_event()
    except yaml.YAMLError as e:
        raise PostError(path, f"invalid YAML front matter: {e}") from None
    finally:
        loader.dispose()


def _newline(text: str) -> str:
    nl = text.find("\n")
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def line_end(text: str, pos: int) -> int:
    """Just past the line break of the line holding ``pos`` (or the text's end)."""
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl + 1


# --------------------------------------------------------------------------- YAML


def _yaml_entries(path: str, text: str, lay: Layout) -> None:
    import yaml

    fm = text[lay.start : lay.end]
    # The base loader: its nodes carry the same marks and styles, without the implicit-tag
    # regexes the safe loader runs on every scalar (spans need no types).
    loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(fm)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 2, mark.column + 1) if mark is not None else (None, None)
        reason = f"invalid YAML front matter: {e.problem or e.context}"
        raise PostError(path, reason, line, col) from None
    except yaml.YAMLError as e:
        raise PostError(path, f"invalid YAML front matter: {e}") from None
    finally:
        loader.dispose()
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        raise PostError(path, "front matter is not a mapping of keys to values", 2, 1)
    _yaml_mapping(text, node, lay, "", lay.start, top=True)


def _yaml_mapping(text: str, node: Any, lay: Layout, prefix: str, base: int, top: bool) -> None:
    import yaml

    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            continue
        key = prefix + str(knode.value)
        kstart = base + knode.start_mark.index
        vstart = base + vnode.start_mark.index
        vend = base + _content_end(vnode)
        if isinstance(vnode, yaml.ScalarNode) and vnode.style in ("|", ">"):
            vend = base + _block_scalar_end(text[base:], vnode)
        kind, style, items, indent = "scalar", "", None, ""
        if isinstance(vnode, yaml.ScalarNode):
            style = vnode.style or ""
            if vstart == vend:  # an empty value (null): nothing after the colon
                vstart = vend = base + knode.end_mark.index
                colon = text.find(":", vstart)
                vstart = vend = colon + 1 if colon != -1 else vend
        elif isinstance(vnode, yaml.SequenceNode):
            kind = "flow" if vnode.flow_style else "block"
            if all(isinstance(i, yaml.ScalarNode) for i in vnode.value):
                items = tuple(
                    Item(
                        base + i.start_mark.index,
                        base + i.end_mark.index,
                        i.style or "",
                    )
                    for i in vnode.value
                )
            if kind == "block" and vnode.value:
                first = base + vnode.value[0].start_mark.index
                indent = text[line_start(text, first) : text.rfind("-", 0, first)]
        elif isinstance(vnode, yaml.MappingNode):
            kind = "map"
            if vnode.value and not vnode.flow_style:
                child = base + vnode.value[0][0].start_mark.index
                indent = text[line_start(text, child) : child]
        entry = Entry(
            key,
            line_start(text, kstart),
            base + knode.end_mark.index,
            line_end(text, max(vend - 1, kstart)),
            vstart,
            vend,
            kind,
            style,
            items,
            indent,
        )
        if key in lay.entries:
            lay.duplicates.add(key)
        lay.entries[key] = entry
        if top:
            lay.top.append(key)
        if isinstance(vnode, yaml.MappingNode):
            _yaml_mapping(text, vnode, lay, key + ".", base, top=False)


def _content_end(node: Any) -> int:
    """Where a node's own text ends: block collections end at their last child's end (their
    end mark is the next token's start, past any comments and blank lines)."""
    import yaml

    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    if not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    if isinstance(last, tuple):
        last = last[1]
    return _content_end(last)


def _block_scalar_end(fm: str, node: Any) -> int:
    """A literal or folded scalar's end: its last line that is not blank."""
    end = int(node.end_mark.index)
    start = int(node.start_mark.index)
    chunk = fm[start:end].rstrip(" \t\r\n")
    return start + len(chunk)


# --------------------------------------------------------------------------- TOML

_TOML_KEY = re.compile(
    r"""[ \t]*((?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
    r"""(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'))*)[ \t]*=[ \t]*"""
)
_TOML_TABLE = re.compile(r"[ \t]*\[([^\[\]\n]+)\][ \t]*(?:#.*)?\r?$")
_TOML_ARRAY_TABLE = re.compile(r"[ \t]*\[\[")
# The tokens of an array of plain strings: anything else (numbers, tables) is edited whole.
_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\n]+)|(?P<comment>\#[^\n]*)|(?P<comma>,)|(?P<close>\])"""
    r"""|(?P<dq>"(?:[^"\\\n]|\\.)*")|(?P<sq>'[^'\n]*')"""
)


def _toml_key(raw: str) -> str:
    parts = []
    for part in re.findall(r"""[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'""", raw):
        if part.startswith('"'):
            parts.append(json.loads(part))
        elif part.startswith("'"):
            parts.append(part[1:-1])
        else:
            parts.append(part)
    return ".".join(parts)


def _parses(value: str) -> bool:
    import tomllib

    try:
        tomllib.loads("v = " + value)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _toml_entries(text: str, lay: Layout) -> None:
    pos = lay.start
    table = ""
    while pos < lay.end:
        eol = line_end(text, pos)
        line = text[pos:eol]
        m_table = _TOML_TABLE.match(line.rstrip("\n"))
        if _TOML_ARRAY_TABLE.match(line):
            table = "\x00"  # an array of tables: its keys are not edited
            pos = eol
            continue
        if m_table:
            table = _toml_key(m_table.group(1).strip())
            pos = eol
            continue
        m = _TOML_KEY.match(line)
        if not m or table == "\x00":
            pos = eol
            continue
        key = (table + "." if table else "") + _toml_key(m.group(1))
        vstart = pos + m.end()
        # The value ends on the first line at which it parses on its own.
        end = eol
        while not _parses(text[vstart:end]) and end < lay.end:
            end = line_end(text, end)
        vend = _toml_value_end(text, vstart, end)
        kind, items = "scalar", None
        style = text[vstart : vstart + 1] if text[vstart : vstart + 1] in ('"', "'") else ""
        if text.startswith("[", vstart):
            kind, items = "flow", _flow_items(text, vstart + 1, vend, toml=True)
        entry = Entry(key, pos, pos + m.end(1), end, vstart, vend, kind, style, items)
        if key in lay.entries:
            lay.duplicates.add(key)
        lay.entries[key] = entry
        if not table and "." not in key:
            lay.top.append(key)
        pos = end


def _toml_value_end(text: str, vstart: int, end: int) -> int:
    """The end of the value's text, before a trailing comment and spaces."""
    last = text[vstart:end]
    stripped = last.rstrip(" \t\r\n")
    hashes = [i for i, c in enumerate(stripped) if c == "#"]
    for h in hashes:
        head = stripped[:h].rstrip(" \t")
        if head and _parses(head) and _parses(stripped):
            return vstart + len(head)
    return vstart + len(stripped)


def _flow_items(text: str, pos: int, end: int, toml: bool) -> tuple[Item, ...] | None:
    """The string items of a ``[...]`` list in TOML or JSON text; None if any is not a string."""
    items: list[Item] = []
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        kind = m.lastgroup
        if kind == "close":
            return tuple(items)
        if kind == "comment" and not toml:
            return None
        if kind == "sq" and not toml:
            return None
        if kind in ("dq", "sq"):
            items.append(Item(m.start(), m.end(), '"' if kind == "dq" else "'"))
        pos = m.end()
    return None


# --------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\r\n]*")


def _json_entries(text: str, lay: Layout) -> None:
    dec = json.JSONDecoder()
    pos = _WS.match(text, 1).end()  # type: ignore[union-attr]
    while pos < len(text) and text[pos] != "}":
        kstart = pos
        key, pos = dec.raw_decode(text, pos)
        kend = pos
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]  # past ':'
        vstart = pos
        value, vend = dec.raw_decode(text, pos)
        kind, items, style = "scalar", None, ""
        if isinstance(value, list):
            kind = "flow"
            items = _flow_items(text, vstart + 1, vend, toml=False)
        elif isinstance(value, dict):
            kind = "map"
        elif isinstance(value, str):
            style = '"'
        pos = _WS.match(text, vend).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        entry = Entry(str(key), kstart, kend, vend, vstart, vend, kind, style, items)
        if key in lay.entries:
            lay.duplicates.add(str(key))
        lay.entries[str(key)] = entry
        lay.top.append(str(key))
