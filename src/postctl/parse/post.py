"""Parse one Markdown post: front matter (YAML, TOML or JSON) + body → :class:`Post`.

Every failure that makes a file unusable is raised as one :class:`~postctl.errors.PostError`
carrying the path and, where known, the line and column. Problems that still leave a usable post
(a date that is not a date, a duplicate key, a YAML 1.1 trap) are kept on ``Post.problems`` for
``postctl check`` to report; the post is still indexed.

Reading a file (size limit, no FIFO, UTF-8 with the position of a bad byte) is here; splitting
and loading the front matter is :mod:`postctl.parse.handlers` (python-frontmatter's handler API,
kept strict); turning its values into the post's fields is :func:`parse_text`. A parsed post
becomes the one :class:`~postctl.parse.record.PostRecord` with :meth:`Post.record` (the body,
which only ``show`` and ``check`` need, stays on the ``Post``).
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
from postctl.parse import dialects, handlers
from postctl.parse.dates import instant, normalize_date, parse_date
from postctl.parse.dialects import Site
from postctl.parse.handlers import (  # noqa: F401 - re-exported: the parser's public names
    MAX_FRONT_MATTER_VALUES,
    _yaml_loader,
)
from postctl.parse.keys import KNOWN_KEYS, STRING_KEYS, WANTS_STRING, Problem  # noqa: F401
from postctl.parse.readtime import DEFAULT_WPM, ReadingTime, estimate, minutes
from postctl.parse.record import PostRecord
from postctl.parse.text import normalize

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


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
    authors: list[str] = field(default_factory=list)
    url: str | None = None  # the URL path the generator gives it, where postctl can tell
    date_key: str | None = None  # the date as a UTC instant (or a date), for sorting
    publish_key: str | None = None  # the generator publishes it from then (Hugo, Jekyll)
    expiry_key: str | None = None  # ... until then (Hugo's expiryDate)
    kind: str = "post"  # or what the dialect calls a file that is not a post (a section page)

    def reading_minutes(self, wpm: int = DEFAULT_WPM) -> int:
        return minutes(self.words, self.other_seconds, wpm)

    def record(
        self, path: str | None = None, size: int = 0, mtime_ns: int = 0, hash: str = ""
    ) -> PostRecord:
        """The post as the one :class:`~postctl.parse.record.PostRecord` (the body left out);
        ``path`` replaces the parser's (the path as stored or shown)."""
        return PostRecord(
            path=self.path if path is None else path,
            slug=self.slug,
            title=self.title,
            date=self.date,
            updated=self.updated,
            description=self.description,
            categories=self.categories,
            tags=self.tags,
            draft=self.draft,
            author=self.author,
            extra=self.extra,
            words=self.words,
            cjk_chars=self.cjk_chars,
            code_lines=self.code_lines,
            images=self.images,
            other_seconds=self.other_seconds,
            fm_format=self.fm_format,
            body_line=self.body_line,
            key_lines=self.key_lines,
            problems=self.problems,
            authors=self.authors,
            url=self.url,
            date_key=self.date_key,
            publish_key=self.publish_key,
            expiry_key=self.expiry_key,
            size=size,
            mtime_ns=mtime_ns,
            hash=hash,
        )


# --------------------------------------------------------------------------- reading files


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bytes]:
    """Read a regular file as UTF-8 text; return (text, raw bytes). Never blocks on a FIFO."""
    text, data, _ = read_file(path, max_bytes)
    return text, data


def read_file(
    path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES, inside: str | None = None
) -> tuple[str, bytes, int]:
    """:func:`read_text`, plus the modification time (ns) of the file as it was read.

    ``inside`` (a resolved folder): the file that was opened must be in it. The scan checked
    where a symlink points, but a name can be swapped for a symlink between that check and the
    open; so the check is made again on the open descriptor itself (see :func:`_opened_inside`).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise PostError(path, os_reason(e)) from None
    try:
        if inside is not None and not _opened_inside(fd, path, inside):
            raise PostError(path, "symlink points outside the content folder")
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


def _opened_inside(fd: int, path: Path | str, folder: str) -> bool:
    """Is the open file ``fd`` inside ``folder``? Linux names the file behind a descriptor
    (``/proc/self/fd``), which no rename can change; elsewhere the path is resolved again and
    must lead to the very file opened (same device and inode)."""
    try:
        real: str | None = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        real = None
    if real is None or not real.startswith("/"):
        real = os.path.realpath(path)
        try:
            st, opened = os.stat(real), os.fstat(fd)
        except OSError:
            return False
        if (st.st_dev, st.st_ino) != (opened.st_dev, opened.st_ino):
            return False
    return (real + os.sep).startswith(folder.rstrip(os.sep) + os.sep)


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
    cut = handlers.split_front_matter(path, text)
    return cut.format, cut.front_matter, cut.body, cut.body_line


def load_yaml(path: Path | str, fm: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Load YAML front matter; return (mapping, key → line, problems)."""
    loaded = handlers.YAML.read(path, fm)
    return loaded.data, loaded.key_lines, loaded.problems


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
    path: Path | str,
    text: str,
    site: Site | None = None,
    rel: str | None = None,
    known: tuple[str, ReadingTime] | None = None,
) -> Post:
    """Parse decoded text. ``path`` is used for messages; ``rel`` (the path relative to the
    content root, default ``path``) and ``site`` (default: a bare folder) decide the slug, the
    date and whether the file is a post at all (see :mod:`postctl.parse.dialects`). ``known``:
    a body and its reading-time counts, used instead of measuring the body again when this
    text's body is that one (an edit that changed only front matter)."""
    site = site or _plain_site()
    text, skipped = _after_blank_lines(site, normalize(text))
    cut = handlers.split_front_matter(path, text)
    loaded = handlers.load(path, cut)
    meta, lines, problems = loaded.data, loaded.key_lines, loaded.problems
    if skipped:  # line numbers count the blank lines the front matter follows
        lines = {k: v + skipped for k, v in lines.items()}
        problems = [replace(p, line=p.line + skipped if p.line else p.line) for p in problems]
    if site.dialect.fold_keys:  # Hugo: `Title` is `title`
        meta = {_fold_known(k): v for k, v in meta.items()}
        lines = {_fold_known(k): v for k, v in lines.items()}
    reading = dialects.read(site, str(path if rel is None else rel), meta, _is_date)
    post = Post(
        path=str(path),
        slug=reading.slug,
        body=cut.body,
        body_line=cut.body_line + skipped,
        fm_format=cut.format,
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
    post.title = _text(meta.get("title"))
    _read_dates(post, meta, site, reading)
    post.description = _text(meta.get("description", meta.get("summary")))
    for key, msg in reading.odd_keys:
        _bad(post, key, msg)
    _check_flags(post, meta)
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    if extra:
        post.extra = json.loads(json.dumps(_string_keys(extra), default=_json_default))
    rt = known[1] if known is not None and known[0] == cut.body else estimate(cut.body)
    post.words, post.cjk_chars, post.code_lines, post.images = (
        rt.words,
        rt.cjk_chars,
        rt.code_lines,
        rt.images,
    )
    post.other_seconds = rt.other_seconds
    return post


def body_text(path: Path | str, text: str, site: Site | None = None) -> str:
    """The body :func:`parse_text` measures in this text (raises PostError as it does)."""
    text, _ = _after_blank_lines(site or _plain_site(), normalize(text))
    return handlers.split_front_matter(path, text).body


def _after_blank_lines(site: Site, text: str) -> tuple[str, int]:
    """Zola reads ``+++`` after blank lines: the text from there, and how many lines it skips."""
    if not site.dialect.blank_before_front_matter or text[:1] not in ("\n", " ", "\t"):
        return text, 0
    stripped = text.lstrip(" \t\n")
    if not stripped.startswith(("---", "+++")):
        return text, 0
    return stripped, text[: len(text) - len(stripped)].count("\n")


def _bad(post: Post, key: str, msg: str) -> None:
    """A value of the wrong type: noted for ``check`` at its key's line; the post is kept."""
    post.problems.append(Problem("type", f"{key}: {msg}", post.key_lines.get(key), 1))


def _read_dates(post: Post, meta: dict[str, Any], site: Site, reading: Any) -> None:
    """The date the dialect chose (front matter, else the file name, else a path) as written
    and as an instant; ``updated``; when a scheduling generator publishes and expires it. A
    ``date``/``updated``/``lastmod`` that is not a date is noted (the post may still be dated
    by its file name)."""
    for key in ("date", "updated", "lastmod"):
        value = meta.get(key)
        if value is None or parse_date(value) is not None:
            continue
        if isinstance(value, str) and value.strip().lower() in site.dialect.date_words:
            continue  # Eleventy's "Last Modified": the generator's word for a file date
        _bad(post, key, f"{value!r} is not a date (use YYYY-MM-DD)")
    tz = dialects.zone(site.timezone)
    if reading.date is not None:
        post.date = normalize_date(reading.date)
        post.date_key = instant(reading.date, tz)
    if reading.updated is not None:
        post.updated = normalize_date(reading.updated)
    post.publish_key = None if reading.publish is None else instant(reading.publish, tz)
    post.expiry_key = None if reading.expiry is None else instant(reading.expiry, tz)


def _check_flags(post: Post, meta: dict[str, Any]) -> None:
    """``draft`` and ``published`` should be booleans (``published`` may be a date: Hugo)."""
    if "draft" in meta and not isinstance(meta["draft"], bool):
        _bad(post, "draft", f"{meta['draft']!r} should be true or false")
    published = meta.get("published")
    if "published" in meta and not isinstance(published, bool) and not _is_date(published):
        _bad(post, "published", f"{published!r} should be true or false")


def parse_front_matter(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Only the front matter of a file, as a mapping (a dialect reads section pages so)."""
    text, _ = read_text(Path(path), max_bytes)
    cut = handlers.split_front_matter(path, normalize(text))
    return handlers.load(path, cut).data


def _fold_known(key: str) -> str:
    low = key.lower()
    return low if low in KNOWN_KEYS else key


def _is_date(value: Any) -> bool:
    """Whether ``value`` is a date: :func:`parse_date` alone, without the formatting
    :func:`normalize_date` adds (0.1 µs against 0.4 µs for a date, 1.35 µs for a datetime;
    timeit best of 5). The answer is the same: normalize_date is None only when parse_date is."""
    return parse_date(value) is not None


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
    return parse_checked(shown, text)


def parse_checked(
    path: Path | str,
    text: str,
    site: Site | None = None,
    rel: str | None = None,
    known: tuple[str, ReadingTime] | None = None,
) -> Post:
    """:func:`parse_text` with the parser's promise kept: nothing but PostError escapes (JSON
    nested 100,000 deep, a number of 5,000 digits, a bug)."""
    try:
        return parse_text(path, text, site, rel, known)
    except PostError:
        raise
    except RecursionError:
        raise PostError(path, "front matter is nested too deeply") from None
    except ValueError as e:
        if "integer string conversion" in str(e):
            raise PostError(path, "front matter has a number of more than 4,300 digits") from None
        raise PostError(path, f"cannot parse: ValueError: {e}") from None
    except Exception as e:  # noqa: BLE001 - the parser's promise: nothing but PostError escapes
        raise PostError(path, f"cannot parse: {type(e).__name__}: {e}") from None


def body_of(path: str, max_bytes: int = DEFAULT_MAX_BYTES, inside: str | None = None) -> str:
    """The body of a post file without parsing its front matter (no YAML, no counts), or ""
    when the file cannot be read any more (changed since the sync, or now a symlink out of
    ``inside``: see :func:`read_file`)."""
    try:
        text, _, _ = read_file(path, max_bytes, inside)
        return split_front_matter(path, normalize(text))[2]
    except PostError:
        return ""
