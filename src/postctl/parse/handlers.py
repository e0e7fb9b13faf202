"""Front matter on python-frontmatter's handler API, kept as strict as postctl's diagnostics need.

Format detection goes through :func:`frontmatter.detect_format` over :data:`HANDLERS`, one
subclass of python-frontmatter's handlers per format; each splits and loads the way postctl always
has, where the library's own ``parse()`` is lenient or loses positions:

* the library returns empty metadata for a UTF-8 BOM (the parser strips it first), an unclosed
  delimiter and non-mapping front matter; here each is a :class:`~postctl.errors.PostError` with
  its line;
* YAML goes through PyYAML's C SafeLoader node by node, so every bad value is reported at its own
  line and column; plain flat front matter, the common case, is read by
  :mod:`postctl.parse.flatyaml` inside :meth:`YAMLFrontMatter.read` with the same result and a
  fifth of the cost;
* TOML goes through the standard library's ``tomllib`` (python-frontmatter's ``TOMLHandler`` needs
  the third-party ``toml`` package, and is None without it), JSON through ``raw_decode`` so that
  the object may close anywhere on its line.

Opening and closing delimiters are python-frontmatter's: three or more ``-`` (or ``+`` for
TOML) alone on a line; YAML may also close with ``...``. Writing goes through the handler too:
:meth:`YAMLFrontMatter.export` keeps the key order and quotes every string the way
:func:`postctl.edit.scaffold.quote` does, so a post written by ``new`` reads back exactly.

Each handler keeps python-frontmatter's path-less ``split(text)`` / ``load(fm)``; postctl calls
:meth:`split_at` and :meth:`read`, which name the file in their errors.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import frontmatter
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from postctl.errors import PostError
from postctl.parse import flatyaml
from postctl.parse.keys import STRING_KEYS, WANTS_STRING, YAML11_BOOLS, Problem

if TYPE_CHECKING:
    from frontmatter import Post as FrontMatterPost

MAX_FRONT_MATTER_VALUES = 100_000
_TOML_LINE = re.compile(r"line (\d+), column (\d+)")
_SEXAGESIMAL = re.compile(r"^[-+]?\d+(?::[0-5]?\d)+(?:\.\d*)?$")
_JSON_START = re.compile(r'\{\s*["}]')  # Hugo's JSON front matter, not a {{< shortcode >}}
_NOWHERE = "<front matter>"  # the path in errors of the library's path-less API


@dataclass(frozen=True, slots=True)
class Split:
    """A post's text cut in two: the front matter (without its delimiters) and the body."""

    format: str  # yaml, toml, json or none
    front_matter: str
    body: str
    body_line: int  # the body's first line in the file


@dataclass(frozen=True, slots=True)
class Loaded:
    """Front matter read: the mapping, each key's line in the file, and non-fatal problems."""

    data: dict[str, Any]
    key_lines: dict[str, int]
    problems: list[Problem]


class _Strict:
    """What postctl's handlers share: a strict split with positions, a load that names the file."""

    FORMAT: ClassVar[str]
    _MARK: ClassVar[str]  # how a closing line starts, after its newline
    _ALT: ClassVar[str] = ""  # another closing line
    _CLOSERS: ClassVar[re.Pattern[str]]

    def split_at(self, path: Path | str, text: str) -> Split:
        """Cut front matter from body (``text`` opens with this handler's delimiter: see
        :meth:`detect`); an opening line without a closing one is an error."""
        first_nl = text.find("\n")
        if first_nl == -1:
            raise PostError(path, f"front matter opened with '{text[:3]}' is never closed", 1, 1)
        pos = first_nl
        while True:  # str.find, not a MULTILINE regex search: 4x faster over a front matter
            found = text.find(self._MARK, pos)
            if self._ALT:  # YAML may also close with "...": only look before the next "---"
                alt = text.find(self._ALT, pos, len(text) if found == -1 else found)
                found = alt if alt != -1 else found
            if found == -1:
                raise PostError(
                    path, f"front matter opened with '{text[:3]}' is never closed", 1, 1
                )
            end = text.find("\n", found + 1)
            if self._CLOSERS.fullmatch(text[found + 1 : end if end != -1 else len(text)].rstrip()):
                fm = text[first_nl + 1 : found + 1]
                body = "" if end == -1 else text[end + 1 :]
                return Split(self.FORMAT, fm, body, fm.count("\n") + 3)
            pos = found + 1

    def split(self, text: str) -> tuple[str, str]:
        """python-frontmatter's API: (front matter, content)."""
        cut = self.split_at(_NOWHERE, text)
        return cut.front_matter, cut.body

    def read(self, path: Path | str, fm: str) -> Loaded:
        raise NotImplementedError

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        """python-frontmatter's API: the mapping alone."""
        return self.read(_NOWHERE, fm).data


class YAMLFrontMatter(_Strict, YAMLHandler):
    """``---`` … ``---`` (or ``...``): YAML, node by node, with the flat fast path."""

    FORMAT = "yaml"
    # a line of three or more dashes, or "...", with nothing but blanks after it
    _MARK, _ALT = "\n---", "\n..."
    _CLOSERS = re.compile(r"-{3,}|\.\.\.")  # a closing line, trailing blanks stripped

    def read(self, path: Path | str, fm: str) -> Loaded:
        fast = flatyaml.load(fm)  # plain flat front matter, read without building nodes
        if fast is not None:
            return Loaded(*fast)
        return Loaded(*_load_yaml(path, fm))

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        """``key: value`` lines in the metadata's order; strings double-quoted and escaped,
        dates bare (a YAML date), lists in flow style (``["a", "b"]``)."""
        return "\n".join(f"{key}: {yaml_value(value)}" for key, value in metadata.items())

    def format(self, post: FrontMatterPost, **kwargs: object) -> str:
        """The post as text: delimiters, metadata, content as given (nothing stripped)."""
        return f"---\n{self.export(post.metadata)}\n---\n{post.content}"


class TOMLFrontMatter(_Strict, BaseHandler):
    """``+++`` … ``+++``: TOML through ``tomllib``."""

    FORMAT = "toml"
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)  # python-frontmatter's TOMLHandler's
    START_DELIMITER = END_DELIMITER = "+++"
    _MARK = "\n+++"
    _CLOSERS = re.compile(r"\+{3,}")

    def read(self, path: Path | str, fm: str) -> Loaded:
        data, lines = _load_toml(path, fm)
        return Loaded(data, lines, [])


class JSONFrontMatter(JSONHandler):
    """A JSON object at the top of the file, read with ``raw_decode`` (Hugo's JSON front matter:
    the object may close anywhere, the body starts on the next line)."""

    FORMAT = "json"

    def detect(self, text: str) -> bool:
        return _JSON_START.match(text) is not None

    def split_at(self, path: Path | str, text: str) -> Split:
        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as e:
            raise PostError(
                path, f"invalid JSON front matter: {e.msg}", e.lineno, e.colno
            ) from None
        fm = text[:end]
        nl = text.find("\n", end)
        body = "" if nl == -1 else text[nl + 1 :]
        return Split("json", fm, body, fm.count("\n") + 2)

    def split(self, text: str) -> tuple[str, str]:
        cut = self.split_at(_NOWHERE, text)
        return cut.front_matter, cut.body

    def read(self, path: Path | str, fm: str) -> Loaded:
        data, lines = _load_json(path, fm)
        return Loaded(data, lines, [])

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        return self.read(_NOWHERE, fm).data


Handler = YAMLFrontMatter | TOMLFrontMatter | JSONFrontMatter
YAML = YAMLFrontMatter()
TOML = TOMLFrontMatter()
JSON = JSONFrontMatter()
HANDLERS: tuple[Handler, ...] = (YAML, TOML, JSON)


def handler_for(text: str) -> Handler | None:
    """The handler whose opening delimiter starts ``text``, or None: no front matter."""
    found = frontmatter.detect_format(text, HANDLERS)
    return found if isinstance(found, YAMLFrontMatter | TOMLFrontMatter | JSONFrontMatter) else None


def split_front_matter(path: Path | str, text: str) -> Split:
    """Detect the format and cut the front matter from the body."""
    handler = handler_for(text)
    if handler is None:
        return Split("none", "", text, 1)
    return handler.split_at(path, text)


def load(path: Path | str, cut: Split) -> Loaded:
    """Read the front matter of a split post (an empty Loaded when there is none)."""
    if cut.format == "yaml":
        return YAML.read(path, cut.front_matter)
    if cut.format == "toml":
        return TOML.read(path, cut.front_matter)
    if cut.format == "json":
        return JSON.read(path, cut.front_matter)
    return Loaded({}, {}, [])


def yaml_value(value: object) -> str:
    """One value as ``new`` writes it in YAML front matter."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_string(str(v)) for v in value) + "]"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return yaml_string(str(value))


_YAML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\t": "\\t",
    "\n": "\\n",
    "\r": "\\r",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\uFEFF",
}


def yaml_string(text: str) -> str:
    """A double-quoted YAML string that reads back as exactly ``text``."""
    out = ['"']
    for c in text:
        code = ord(c)
        if c in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[c])
        elif yaml_printable(code):
            out.append(c)
        else:
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
    out.append('"')
    return "".join(out)


def yaml_printable(code: int) -> bool:
    """What PyYAML and libyaml accept unescaped in a document."""
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


_TOLERANT_TAGS = (
    ("tag:yaml.org,2002:bool", "a boolean"),
    ("tag:yaml.org,2002:int", "an integer"),
    ("tag:yaml.org,2002:float", "a number"),
    ("tag:yaml.org,2002:timestamp", "a date"),
)


@functools.cache
def _yaml_loader() -> Any:
    """PyYAML's C SafeLoader, made tolerant of scalars its constructors cannot convert.

    ``2026-13-45`` (ValueError), ``!!timestamp soon`` (AttributeError) or ``!!bool maybe``
    (KeyError) would otherwise abort the whole front matter, even deep inside a list; instead the
    scalar keeps its text and is noted on ``loader.bad_scalars`` for :func:`load_yaml` to report.
    """
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("TolerantSafeLoader", (base,), {})
    for tag, what in _TOLERANT_TAGS:
        loader.add_constructor(tag, _tolerant(base.yaml_constructors[tag], what))
    return loader


def _tolerant(construct: Any, what: str) -> Any:
    def tolerant_construct(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as e:
            reason = str(e) if isinstance(e, ValueError) and str(e) else f"not {what}"
            loader.bad_scalars.append((node, reason))
            return node.value

    return tolerant_construct


_OFFSET = 2  # YAML front matter starts on the file's second line


def _load_yaml(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Load YAML front matter node by node; return (mapping, key → line, problems)."""
    loader = _yaml_loader()(fm)
    loader.bad_scalars = []
    try:
        node = _mapping_node(path, fm, loader)
        if node is None:
            return {}, {}, []
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        for knode, vnode in node.value:
            key, value, line = _load_pair(path, loader, knode, vnode, problems)
            if key in data:
                problems.append(
                    Problem(
                        "duplicate-key",
                        f"{key} is set twice (line {lines[key]} and here); "
                        "YAML keeps only the last",
                        line,
                        1,
                    )
                )
            data[key] = value
            lines[key] = line
            problems.extend(_yaml_traps(key, vnode, value, _OFFSET))
        return data, lines, problems
    finally:
        loader.dispose()


def _mapping_node(path: Path | str, fm: str, loader: Any) -> Any:
    """The front matter's top node, a mapping (or None when empty), within the size limit."""
    import yaml

    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(path, e, _OFFSET) from None
    except yaml.reader.ReaderError as e:  # a control character: one line, with its place
        line = fm.count("\n", 0, e.position) + _OFFSET
        col = e.position - (fm.rfind("\n", 0, e.position) + 1) + 1
        char = e.character if isinstance(e.character, int) else ord(e.character)
        raise PostError(
            path,
            f"invalid YAML front matter: control character U+{char:04X} is not allowed",
            line,
            col,
        ) from None
    except yaml.YAMLError as e:
        reason = " ".join(str(e).split())  # one line
        raise PostError(path, f"invalid YAML front matter: {reason}") from None
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise PostError(
            path,
            f"front matter is {kind}, expected 'key: value' lines",
            node.start_mark.line + _OFFSET,
            node.start_mark.column + 1,
        )
    # Without an alias (*name) every value takes at least half a character of the text,
    # so only front matter with aliases, or huge, needs counting.
    counted = "*" in fm or len(fm) * 2 > MAX_FRONT_MATTER_VALUES
    try:
        size = _expanded_size(node, {}) if counted else 0
    except RecursionError:
        raise PostError(path, "front matter is nested too deeply", _OFFSET) from None
    if size > MAX_FRONT_MATTER_VALUES:
        raise PostError(
            path,
            f"front matter expands to more than {MAX_FRONT_MATTER_VALUES:,} values "
            "(an alias bomb or a generated file?)",
            _OFFSET,
        )
    return node


def _load_pair(
    path: Path | str, loader: Any, knode: Any, vnode: Any, problems: list[Problem]
) -> tuple[str, Any, int]:
    """One ``key: value`` of the mapping → (key, value, line); findings go to ``problems``."""
    import yaml

    line = knode.start_mark.line + _OFFSET
    if not isinstance(knode, yaml.ScalarNode):
        raise PostError(path, "front matter key is not a plain name", line, 1)
    key = knode.value
    if (
        not knode.style  # plain: None from PyYAML, '' from the libyaml composer
        and knode.tag != "tag:yaml.org,2002:str"
        and key.lower() in YAML11_BOOLS
    ):
        problems.append(
            Problem(
                "yaml-trap",
                f'key {key} is read as a boolean by YAML 1.1; quote it: "{key}":',
                line,
                knode.start_mark.column + 1,
                "warning",
            )
        )
    try:
        value = loader.construct_object(vnode, deep=True)
    except RecursionError:
        raise PostError(path, f"{key}: value is nested too deeply", line) from None
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(path, e, _OFFSET) from None
    except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as e:
        vline, vcol = vnode.start_mark.line + _OFFSET, vnode.start_mark.column + 1
        raise PostError(path, f"{key}: invalid value ({e})", vline, vcol) from None
    # e.g. 2026-13-45 looks like a date to YAML but is none: the text was kept.
    for bad, reason in loader.bad_scalars:
        if bad is vnode and key in ("date", "updated", "lastmod"):
            continue  # parse_text reports a date that is not a date
        bline, bcol = bad.start_mark.line + _OFFSET, bad.start_mark.column + 1
        problems.append(Problem("type", f"{key}: {bad.value!r} is invalid ({reason})", bline, bcol))
    loader.bad_scalars.clear()
    return key, value, line


def _yaml_error(path: Path | str, e: Any, offset: int) -> PostError:
    mark = e.problem_mark or e.context_mark
    problem = e.problem or e.context or "invalid YAML"
    if mark is None:
        return PostError(path, f"invalid YAML front matter: {problem}")
    return PostError(
        path, f"invalid YAML front matter: {problem}", mark.line + offset, mark.column + 1
    )


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values the node stands for once aliases are expanded (computed in linear time)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # guards against recursive aliases
    value = node.value
    if isinstance(value, list):
        total = 1
        for item in value:
            if isinstance(item, tuple):
                total += _expanded_size(item[0], memo) + _expanded_size(item[1], memo)
            else:
                total += _expanded_size(item, memo)
            if total > MAX_FRONT_MATTER_VALUES:
                break
    else:
        total = 1
    memo[key] = total
    return total


def _yaml_traps(key: str, vnode: Any, value: Any, offset: int) -> list[Problem]:
    """YAML 1.1 reads some unquoted words as booleans or numbers where a string was meant."""
    nodes: list[tuple[Any, Any]] = [(vnode, value)]
    if isinstance(value, list) and isinstance(vnode.value, list) and len(vnode.value) == len(value):
        nodes = list(zip(vnode.value, value, strict=True))
    out = []
    for node, val in nodes:
        # Only plain scalars resolve implicitly: style is None (PyYAML) or '' (libyaml).
        if getattr(node, "style", "x") or not isinstance(node.value, str):
            continue
        raw = node.value
        wanted_string = key in WANTS_STRING
        line, col = node.start_mark.line + offset, node.start_mark.column + 1
        if isinstance(val, bool) and raw.lower() in YAML11_BOOLS and wanted_string:
            msg = f'{key}: {raw} is read as the boolean {str(val).lower()}; quote it: "{raw}"'
        elif isinstance(val, int | float) and not isinstance(val, bool) and _SEXAGESIMAL.match(raw):
            msg = f'{key}: {raw} is read as the number {val} (base 60); quote it: "{raw}"'
        elif (
            isinstance(val, int)
            and not isinstance(val, bool)
            and re.fullmatch(r"[-+]?0[0-7]+", raw)
        ):
            msg = f'{key}: {raw} is read as the octal number {val}; quote it: "{raw}"'
        elif isinstance(val, int | float) and not isinstance(val, bool) and key in STRING_KEYS:
            msg = f'{key}: {raw} is read as a number; quote it: "{raw}"'
        else:
            continue
        out.append(Problem("yaml-trap", msg, line, col, "warning"))
    return out


def _load_toml(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int]]:
    import tomllib

    try:
        data = tomllib.loads(fm)
    except tomllib.TOMLDecodeError as e:
        m = _TOML_LINE.search(str(e))
        msg = _TOML_LINE.sub("", str(e)).replace("(at )", "").strip()
        if m:
            raise PostError(
                path, f"invalid TOML front matter: {msg}", int(m.group(1)) + 1, int(m.group(2))
            ) from None
        if "(at end of document)" in msg:
            # e.g. an unclosed string or array: point at the front matter's last line
            msg = msg.replace("(at end of document)", "at the end of the front matter")
            raise PostError(path, f"invalid TOML front matter: {msg}", fm.count("\n") + 1) from None
        raise PostError(path, f"invalid TOML front matter: {msg}") from None
    return data, _key_lines(fm, r"^\s*[\"']?{}[\"']?\s*=", 2)


def _load_json(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int]]:
    data = json.loads(fm)  # already validated by the split
    if not isinstance(data, dict):  # pragma: no cover - raw_decode of "{" always yields a dict
        raise PostError(path, "JSON front matter is not an object", 1, 1)
    return data, _key_lines(fm, r"^\s*\"{}\"\s*:", 1)


def _key_lines(fm: str, pattern: str, offset: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    text_lines = fm.split("\n")
    for i, line in enumerate(text_lines):
        m = re.match(r"^\s*[\"']?([A-Za-z0-9_.-]+)[\"']?\s*[=:]", line)
        if m and m.group(1) not in lines and re.match(pattern.format(re.escape(m.group(1))), line):
            lines[m.group(1)] = i + offset
    return lines
