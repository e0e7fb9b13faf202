"""Parse one Markdown post: front matter (YAML, TOML or JSON) + body → :class:`Post`.

Every failure that makes a file unusable is raised as one :class:`~postctl.errors.PostError`
carrying the path and, where known, the line and column. Problems that still leave a usable post
(a date that is not a date, a duplicate key, a YAML 1.1 trap) are kept on ``Post.problems`` for
``postctl check`` to report; the post is still indexed.

The front matter is split here rather than by python-frontmatter: that library silently returns
empty metadata for a UTF-8 BOM, an unclosed ``---`` and non-mapping front matter, and loses line
numbers, which every diagnostic needs. YAML goes through PyYAML's C SafeLoader node by node, so a
bad value is reported at its own line; plain flat front matter, the common case, is read by
:mod:`postctl.parse.flatyaml` with the same result and a fifth of the cost.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from postctl.errors import PostError, os_reason
from postctl.parse import dialects, flatyaml
from postctl.parse.dates import instant, normalize_date
from postctl.parse.dialects import Site
from postctl.parse.readtime import DEFAULT_WPM, estimate, minutes

MAX_FRONT_MATTER_VALUES = 100_000
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

KNOWN_KEYS = frozenset(
    {
        "title",
        "date",
        "updated",
        "lastmod",
        "description",
        "summary",
        "category",
        "categories",
        "tags",
        "draft",
        "published",
        "slug",
        "author",
        "authors",
    }
)
STRING_KEYS = frozenset({"title", "description", "summary", "slug", "author", "category"})
# Keys whose values, or list items, are meant as text: a YAML 1.1 boolean there is a trap.
WANTS_STRING = STRING_KEYS | {"categories", "tags"}
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_TOML_LINE = re.compile(r"line (\d+), column (\d+)")
_SEXAGESIMAL = re.compile(r"^[-+]?\d+(?::[0-5]?\d)+(?:\.\d*)?$")
_JSON_START = re.compile(r'\{\s*["}]')  # Hugo's JSON front matter, not a {{< shortcode >}}
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off"})


@dataclass(frozen=True, slots=True)
class Problem:
    """A non-fatal finding about a post, reported by ``postctl check``."""

    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = "error"


@dataclass(slots=True)
class Post:
    path: str
    slug: str
    title: str | None = None
    date: str | None = None
    updated: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    draft: bool = False
    author: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    kind: str = "post"  # or what the dialect calls a file that is not a post (a section page)
    url: str | None = None  # the URL path the generator gives it, where postctl can tell
    date_key: str | None = None  # the date as a UTC instant (or a date), for sorting
    publish_key: str | None = None  # the generator publishes it from then (Hugo, Jekyll)
    expiry_key: str | None = None  # ... until then (Hugo's expiryDate)
    body: str = ""
    body_line: int = 1
    fm_format: str = "none"
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    words: int = 0
    cjk_chars: int = 0
    code_lines: int = 0
    images: int = 0
    other_seconds: float = 0.0

    def reading_minutes(self, wpm: int = DEFAULT_WPM) -> int:
        return minutes(self.words, self.other_seconds, wpm)


# --------------------------------------------------------------------------- reading files


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bytes]:
    """Read a regular file as UTF-8 text; return (text, raw bytes). Never blocks on a FIFO."""
    text, data, _ = read_file(path, max_bytes)
    return text, data


def read_file(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bytes, int]:
    """:func:`read_text`, plus the modification time (ns) of the file as it was read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise PostError(path, os_reason(e)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise PostError(path, "is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise PostError(path, "not a regular file (a FIFO, socket or device)")
        if st.st_size > max_bytes:
            raise PostError(
                path, f"file is {_size(st.st_size)}, over the limit of {_size(max_bytes)}"
            )
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        data = b"".join(chunks)
    except OSError as e:
        raise PostError(path, os_reason(e)) from None
    finally:
        os.close(fd)
    return decode(path, data), data, st.st_mtime_ns


def _size(n: int) -> str:
    """10485760 → '10 MB', 1572864 → '1.5 MB', 2000 → '2,000 bytes'."""
    if n >= 1048576:
        return f"{n / 1048576:.1f}".removesuffix(".0") + " MB"
    return f"{n:,} bytes"


def decode(path: Path | str, data: bytes) -> str:
    if b"\x00" in data:
        return _raise_binary(path, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise PostError(
            path, f"not UTF-8 text (byte 0x{data[e.start]:02x}); save the file as UTF-8", line, col
        ) from None
    return text


def _raise_binary(path: Path | str, data: bytes) -> str:
    pos = data.index(b"\x00")
    line = data.count(b"\n", 0, pos) + 1
    raise PostError(path, "binary file (contains NUL bytes), not Markdown text", line)


# --------------------------------------------------------------------------- front matter


def split_front_matter(path: Path | str, text: str) -> tuple[str, str, str, int]:
    """Return (format, front matter text, body, body's first line number)."""
    delim: tuple[str, ...]
    if text.startswith("---"):
        fmt, delim = "yaml", ("---", "...")
    elif text.startswith("+++"):
        fmt, delim = "toml", ("+++",)
    elif _JSON_START.match(text):
        return _split_json(path, text)
    else:
        return "none", "", text, 1
    first_nl = text.find("\n")
    if text[3 : first_nl if first_nl != -1 else len(text)].strip():
        # "---foo" or "--- x": not a delimiter line, so no front matter.
        return "none", "", text, 1
    if first_nl == -1:
        raise PostError(path, f"front matter opened with '{text[:3]}' is never closed", 1, 1)
    pos = first_nl
    while True:
        found = text.find("\n" + delim[0], pos)
        if len(delim) > 1:  # YAML may also close with "...": only look before the first "---"
            dots = text.find("\n" + delim[1], pos, len(text) if found == -1 else found)
            found = dots if dots != -1 else found
        if found == -1:
            raise PostError(path, f"front matter opened with '{text[:3]}' is never closed", 1, 1)
        end = text.find("\n", found + 1)
        line_text = text[found + 1 : end if end != -1 else len(text)]
        if line_text.rstrip() in delim:
            fm = text[first_nl + 1 : found + 1]
            body = "" if end == -1 else text[end + 1 :]
            body_line = fm.count("\n") + 3
            return fmt, fm, body, body_line
        pos = found + 1


def _split_json(path: Path | str, text: str) -> tuple[str, str, str, int]:
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as e:
        raise PostError(path, f"invalid JSON front matter: {e.msg}", e.lineno, e.colno) from None
    fm = text[:end]
    rest = text[end:]
    nl = rest.find("\n")
    body = "" if nl == -1 else rest[nl + 1 :]
    return "json", fm, body, fm.count("\n") + 2


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


def load_yaml(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Load YAML front matter node by node; return (mapping, key → line, problems)."""
    fast = flatyaml.load(fm)  # plain flat front matter, read without building nodes
    if fast is not None:
        return fast
    import yaml

    offset = 2  # the front matter starts on the file's second line
    loader = _yaml_loader()(fm)
    loader.bad_scalars = []
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            raise _yaml_error(path, e, offset) from None
        except yaml.YAMLError as e:
            raise PostError(path, f"invalid YAML front matter: {e}") from None
        if node is None:
            return {}, {}, []
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise PostError(
                path,
                f"front matter is {kind}, expected 'key: value' lines",
                node.start_mark.line + offset,
                node.start_mark.column + 1,
            )
        # Without an alias (*name) every value takes at least half a character of the text,
        # so only front matter with aliases, or huge, needs counting.
        counted = "*" in fm or len(fm) * 2 > MAX_FRONT_MATTER_VALUES
        try:
            size = _expanded_size(node, {}) if counted else 0
        except RecursionError:
            raise PostError(path, "front matter is nested too deeply", offset) from None
        if size > MAX_FRONT_MATTER_VALUES:
            raise PostError(
                path,
                f"front matter expands to more than {MAX_FRONT_MATTER_VALUES:,} values "
                "(an alias bomb or a generated file?)",
                offset,
            )
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        for knode, vnode in node.value:
            line = knode.start_mark.line + offset
            if not isinstance(knode, yaml.ScalarNode):
                raise PostError(path, "front matter key is not a plain name", line, 1)
            key = knode.value
            if (
                not knode.style  # plain: None from PyYAML, '' from the libyaml composer
                and knode.tag != "tag:yaml.org,2002:str"
                and key.lower() in _YAML11_BOOLS
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
                raise _yaml_error(path, e, offset) from None
            except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as e:
                vline, vcol = vnode.start_mark.line + offset, vnode.start_mark.column + 1
                raise PostError(path, f"{key}: invalid value ({e})", vline, vcol) from None
            # e.g. 2026-13-45 looks like a date to YAML but is none: the text was kept.
            for bad, reason in loader.bad_scalars:
                if bad is vnode and key in ("date", "updated", "lastmod"):
                    continue  # parse_text reports a date that is not a date
                bline, bcol = bad.start_mark.line + offset, bad.start_mark.column + 1
                problems.append(
                    Problem("type", f"{key}: {bad.value!r} is invalid ({reason})", bline, bcol)
                )
            loader.bad_scalars.clear()
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
            problems.extend(_yaml_traps(key, vnode, value, offset))
        return data, lines, problems
    finally:
        loader.dispose()


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
        if isinstance(val, bool) and raw.lower() in _YAML11_BOOLS and wanted_string:
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


def load_toml(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int]]:
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


def load_json(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int]]:
    data = json.loads(fm)  # already validated by _split_json
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


# --------------------------------------------------------------------------- normalizing


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def slug_from_path(path: Path | str) -> tuple[str, str | None]:
    """The slug a file name implies, and the date of a ``YYYY-MM-DD-`` prefix if there is one."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    stem = name[:dot] if dot > 0 else name  # what Path(path).stem is, without a Path
    m = _DATE_PREFIX.match(stem)
    if m:
        return m.group(2), m.group(1)
    return stem, None


def _json_default(o: Any) -> Any:
    if isinstance(o, dt.date | dt.time):
        return o.isoformat()
    if isinstance(o, set | frozenset | tuple):
        return list(o)
    if isinstance(o, bytes):
        return o.decode("utf-8", "replace")
    return str(o)


def _string_keys(o: Any) -> Any:
    """Nested mapping keys as strings: json.dumps does not apply ``default`` to keys, so a
    ``{2020-01-01: created}`` mapping would raise TypeError."""
    if isinstance(o, dict):
        return {
            k if isinstance(k, str) else str(_json_default(k)): _string_keys(v)
            for k, v in o.items()
        }
    if isinstance(o, list | tuple | set | frozenset):
        return [_string_keys(v) for v in o]
    return o


def parse_text(
    path: Path | str, text: str, site: Site | None = None, rel: str | None = None
) -> Post:
    """Parse decoded text. ``path`` is used for messages; ``rel`` (the path relative to the
    content root, default ``path``) and ``site`` (default: a bare folder) decide the slug, the
    date and whether the file is a post at all (see :mod:`postctl.parse.dialects`)."""
    site = site or _plain_site()
    skipped = 0
    if site.dialect.blank_before_front_matter and text[:1] in ("\n", " ", "\t", "\r"):
        stripped = text.lstrip(" \t\r\n")
        if stripped.startswith(("---", "+++")):
            skipped = text[: len(text) - len(stripped)].count("\n")
            text = stripped
    meta, lines, problems, fmt, body, body_line = _front_matter(path, text)
    if skipped:  # line numbers count the blank lines the front matter follows
        lines = {k: v + skipped for k, v in lines.items()}
        problems = [replace(p, line=p.line + skipped if p.line else p.line) for p in problems]
        body_line += skipped
    if site.dialect.fold_keys:  # Hugo: `Title` is `title`
        meta = {_fold_known(k): v for k, v in meta.items()}
        lines = {_fold_known(k): v for k, v in lines.items()}
    reading = dialects.read(site, str(path if rel is None else rel), meta, _is_date)
    post = Post(
        path=str(path),
        slug=reading.slug,
        body=body,
        body_line=body_line,
        fm_format=fmt,
        key_lines=lines,
        problems=problems,
        kind=reading.kind,
        url=reading.url,
        draft=reading.draft,
        categories=reading.categories,
        tags=reading.tags,
        authors=reading.authors,
        author=", ".join(reading.authors) or None,
    )

    def bad(key: str, msg: str, severity: str = "error") -> None:
        post.problems.append(Problem("type", f"{key}: {msg}", lines.get(key), 1, severity))

    post.title = _text(meta.get("title"))
    for key in ("date", "updated", "lastmod"):
        value = meta.get(key)
        if value is None or normalize_date(value) is not None:
            continue
        if isinstance(value, str) and value.strip().lower() in site.dialect.date_words:
            continue  # Eleventy's "Last Modified": the generator's word for a file date
        bad(key, f"{value!r} is not a date (use YYYY-MM-DD)")
    if reading.date is not None:
        post.date = normalize_date(reading.date)
        post.date_key = instant(reading.date, dialects.zone(site.timezone))
    if reading.updated is not None:
        post.updated = normalize_date(reading.updated)
    tz = dialects.zone(site.timezone)
    post.publish_key = None if reading.publish is None else instant(reading.publish, tz)
    post.expiry_key = None if reading.expiry is None else instant(reading.expiry, tz)
    post.description = _text(meta.get("description", meta.get("summary")))
    for key, msg in reading.odd_keys:
        bad(key, msg)
    if "draft" in meta and not isinstance(meta["draft"], bool):
        bad("draft", f"{meta['draft']!r} should be true or false")
    published = meta.get("published")
    if "published" in meta and not isinstance(published, bool) and not _is_date(published):
        bad("published", f"{published!r} should be true or false")
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    if extra:
        post.extra = json.loads(json.dumps(_string_keys(extra), default=_json_default))
    rt = estimate(body)
    post.words, post.cjk_chars, post.code_lines, post.images = (
        rt.words,
        rt.cjk_chars,
        rt.code_lines,
        rt.images,
    )
    post.other_seconds = rt.other_seconds
    return post


def _front_matter(
    path: Path | str, text: str
) -> tuple[dict[str, Any], dict[str, int], list[Problem], str, str, int]:
    """(mapping, key → line, problems, format, body, body's first line) of a file's text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt, fm, body, body_line = split_front_matter(path, text)
    problems: list[Problem] = []
    if fmt == "yaml":
        meta, lines, problems = load_yaml(path, fm)
    elif fmt == "toml":
        meta, lines = load_toml(path, fm)
    elif fmt == "json":
        meta, lines = load_json(path, fm)
    else:
        meta, lines = {}, {}
    return meta, lines, problems, fmt, body, body_line


def parse_front_matter(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Only the front matter of a file, as a mapping (a dialect reads section pages so)."""
    text, _ = read_text(Path(path), max_bytes)
    return _front_matter(path, text)[0]


def _fold_known(key: str) -> str:
    low = key.lower()
    return low if low in KNOWN_KEYS else key


def _is_date(value: Any) -> bool:
    return normalize_date(value) is not None


@functools.cache
def _plain_site() -> Site:
    return dialects.load_site(Path("."), "plain")


def parse_post(
    path: Path | str, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Post:
    """Read and parse a file. ``display`` is the path used in the Post and in messages."""
    shown = display if display is not None else str(path)
    try:
        text, _ = read_text(Path(path), max_bytes)
    except PostError as e:
        e.path = shown
        raise PostError(shown, e.reason, e.line, e.column) from None
    try:
        return parse_text(shown, text)
    except PostError:
        raise
    except RecursionError:
        raise PostError(shown, "front matter is nested too deeply") from None
    except Exception as e:  # noqa: BLE001 - the parser's promise: nothing but PostError escapes
        raise PostError(shown, f"cannot parse: {type(e).__name__}: {e}") from None


def body_of(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The body of a post file without parsing its front matter (no YAML, no counts), or ""
    when the file cannot be read any more (changed since the sync)."""
    try:
        text, _ = read_text(Path(path), max_bytes)
        if text.startswith("\ufeff"):
            text = text[1:]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return split_front_matter(path, text)[2]
    except PostError:
        return ""
