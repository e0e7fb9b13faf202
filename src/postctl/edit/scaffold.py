"""``postctl new``: the slug, the template, and a write that never replaces a file.

Pure logic with no terminal I/O: the command in ``postctl.cli.new`` gathers the options, asks
the index what exists, and calls into here.

* **Slug.** python-slugify (transliteration by text-unidecode: ``Café Straße`` → ``cafe-strasse``,
  ``性能优化`` → ``xing-neng-you-hua``), apostrophes dropped (``don't`` → ``dont``), at most 80
  characters cut on a word boundary. Only ``[a-z0-9]`` and single hyphens, so a slug can never
  name a path outside the content folder. An empty slug (an emoji-only title) falls back to
  ``post-<date>``; a Windows device name (``con``, ``lpt1``) gets ``-post`` appended.
* **Template.** Eight placeholders (``categories`` is the category as a list). In the front
  matter a bare placeholder becomes a complete, safely quoted value for the template's format
  (YAML, TOML or JSON), and one inside a quoted string is escaped for that string; in the body
  it is the plain text. Other braces are left alone.
* **Write.** The text goes to a hidden temporary file in the content folder, which is then
  hard-linked to the post's name: ``link`` fails if that name exists, so nothing is ever replaced
  and no reader sees half a file. Where hard links are not supported, ``open(path, "x")``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.config import shown_path
from postctl.errors import ConfigError, PostctlError, PostError, UsageError
from postctl.parse import handlers
from postctl.parse.names import MARKDOWN_SUFFIXES, fold
from postctl.parse.names import did_you_mean as did_you_mean  # re-exported for cli/new.py
from postctl.parse.post import parse_text, slug_from_path
from postctl.parse.text import normalize

# Names a new post must not clash with: every Markdown post, and MDX pages (same URL slug).
_CLASHING_SUFFIXES = (*MARKDOWN_SUFFIXES, ".mdx")

if TYPE_CHECKING:
    from postctl.index.store import Index

MAX_SLUG_LENGTH = 80
PLACEHOLDERS = (
    "title",
    "slug",
    "date",
    "categories",
    "category",
    "tags",
    "description",
    "draft",
)
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
PROJECT_TEMPLATE = "templates/post.md"
DEFAULT_DESCRIPTION = (
    "One or two sentences on what this post covers and what the reader takes away from it."
)
DEFAULT_BODY = "\nStart with the problem this post solves, then show how, step by step.\n"
# What the built-in post looks like; :func:`built_in` writes it through the YAML handler.
DEFAULT_TEMPLATE = (
    "---\ntitle: {title}\ndate: {date}\ndescription: {description}\ncategory: {category}\n"
    "tags: {tags}\ndraft: {draft}\nslug: {slug}\n---\n" + DEFAULT_BODY
)
CONFIG_KEYS: dict[str, type] = {"template": str, "category": str, "draft": bool}

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_APOSTROPHES = [["'", ""], ["\u2019", ""], ["\u02bc", ""]]


class SlugTaken(PostctlError):
    """A post with this slug exists already (exit 1)."""

    exit_code = 1


class TemplateError(UsageError):
    """A template that cannot make a valid post (exit 2)."""


# --------------------------------------------------------------------------- inputs


def clean_text(what: str, value: str) -> str:
    """One line of text: whitespace runs (newlines included) become one space, ends trimmed."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{what} is not valid UTF-8 text") from None
    text = " ".join(value.split())
    bad = next((c for c in text if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0), None)
    if bad is not None:
        raise UsageError(f"{what} contains the control character U+{ord(bad):04X}")
    return text


def clean_title(title: str) -> str:
    text = clean_text("the title", title)
    if not text:
        raise UsageError('the title is empty; give the post a title: postctl new "Title"')
    return text


def split_tags(values: Iterable[str]) -> list[str]:
    """``-t redis -t "caching, latency"`` → three tags; empty ones dropped, duplicates kept once."""
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            tag = clean_text("a tag", part)
            if tag and tag not in out:
                out.append(tag)
    return out


def check_date(value: str | None, today: dt.date | None = None) -> str:
    """``--date``: YYYY-MM-DD, a real day; today when not given."""
    if value is None:
        return (today or dt.date.today()).isoformat()
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"--date {value!r}: not a date (use YYYY-MM-DD)") from None


def spelled(name: str, names: Iterable[str]) -> str | None:
    """The blog's spelling of ``name`` (``performance`` → ``Performance``), if it has one."""
    key = fold(name)
    return next((n for n in names if fold(n) == key), None)


# --------------------------------------------------------------------------- slugs


def slug_for(title: str, date: str) -> str:
    """The slug a title gives: transliterated, at most 80 characters, never empty or reserved."""
    from slugify import slugify

    slug = slugify(
        title,
        max_length=MAX_SLUG_LENGTH,
        word_boundary=True,
        save_order=True,
        replacements=_APOSTROPHES,
    )
    if not _SLUG.fullmatch(slug):
        return f"post-{date}"
    if slug in WINDOWS_RESERVED:
        return f"{slug}-post"
    return slug


def check_slug(value: str) -> str:
    """A ``--slug`` given by the user: used as it is, or refused with a way out."""
    if len(value) > MAX_SLUG_LENGTH:
        raise UsageError(
            f"--slug: at most {MAX_SLUG_LENGTH} characters (this one has {len(value)})"
        )
    if not _SLUG.fullmatch(value):
        from slugify import slugify

        hint = slugify(value, max_length=MAX_SLUG_LENGTH, word_boundary=True, save_order=True)
        example = f" (e.g. --slug {hint})" if _SLUG.fullmatch(hint) else ""
        raise UsageError(
            f"--slug {value!r}: use lowercase letters, digits and single hyphens{example}"
        )
    if value in WINDOWS_RESERVED:
        raise UsageError(
            f"--slug {value!r}: {value.upper()} is a reserved file name on Windows "
            f"(e.g. --slug {value}-post)"
        )
    return value


def target_path(content_dir: Path, slug: str) -> Path:
    """``<content>/<slug>.md``; refuses anything that is not a plain slug (defence in depth)."""
    if not _SLUG.fullmatch(slug) or slug in WINDOWS_RESERVED:
        raise ValueError(f"not a safe slug: {slug!r}")
    path = content_dir / f"{slug}.md"
    if os.path.dirname(os.path.abspath(path)) != os.path.abspath(content_dir):
        raise ValueError(f"{path} is not directly inside {content_dir}")
    return path


# --------------------------------------------------------------------------- clashes


@dataclass(frozen=True)
class Known:
    """A file the index knows: its path relative to the content folder and its slug."""

    path: str
    slug: str
    from_front_matter: bool


def known_posts(index: Index) -> list[Known]:
    """Every post the index holds, and every file it skipped (by the slug of its name)."""
    out = []
    for row in index.query("SELECT path, slug FROM posts"):
        out.append(Known(row[0], row[1], row[1] != slug_from_path(row[0])[0]))
    for row in index.query("SELECT path FROM skipped"):
        out.append(Known(row[0], slug_from_path(row[0])[0], False))
    return out


def find_clash(slug: str, content_dir: Path, known: Iterable[Known]) -> str | None:
    """Why ``slug`` cannot be used (naming the file that has it), or None when it is free.

    A clash is the same name, the same name with another Markdown extension or another case
    (``Foo.markdown``), a date-prefixed name (``2024-01-02-foo.md``), or a post anywhere in the
    folder whose front matter sets ``slug: foo``.
    """
    exact = f"{slug}.md"
    try:
        names = sorted(os.listdir(content_dir))
    except OSError:
        names = []
    if exact in names:
        return f"{shown_path(content_dir / exact)} already exists"
    for name in names:
        if name.lower() == exact or (
            name.lower().endswith(_CLASHING_SUFFIXES)
            and slug_from_path(name)[0].lower() == slug
            and not name.startswith(".")
        ):
            return f'{shown_path(content_dir / name)} already has the slug "{slug}"'
    for k in sorted(known, key=lambda k: k.path):
        if k.slug.strip().lower() == slug:
            how = " (set in its front matter)" if k.from_front_matter else ""
            return f'{shown_path(content_dir / k.path)} already has the slug "{slug}"{how}'
    return None


def free_slug(slug: str, content_dir: Path, known: list[Known]) -> str:
    """``slug-2``, ``slug-3``…: the first that is free, kept within the length limit."""
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
        if find_clash(candidate, content_dir, known) is None:
            return candidate
        n += 1


def taken(reason: str, suggestion: str) -> SlugTaken:
    return SlugTaken(f"{reason}; choose another slug with --slug (e.g. --slug {suggestion})")


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class NewSettings:
    """The ``new`` table of the configuration: ``template``, ``category``, ``draft``."""

    template: str | None = None
    category: str | None = None
    draft: bool = False


def new_settings(table: dict[str, Any]) -> tuple[NewSettings, list[str]]:
    """Validate the ``new`` table; unknown keys are warnings, wrong types errors."""
    warnings = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        expected = CONFIG_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(CONFIG_KEYS))
            warnings.append(f"new: unknown key {key!r} (known: {known})")
        elif not isinstance(value, expected):
            raise ConfigError(f"new.{key} must be a {expected.__name__}, not {value!r}")
        else:
            values[key] = value
    return NewSettings(**values), warnings


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Values:
    title: str
    slug: str
    date: str
    category: str
    tags: list[str]
    description: str
    draft: bool

    @property
    def categories(self) -> list[str]:
        """The category as a list, for a ``categories`` key: empty when there is none."""
        return [self.category] if self.category else []

    def plain(self, name: str) -> str:
        """A placeholder in the body: the plain text."""
        value = getattr(self, name)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ", ".join(value)
        return str(value)

    def bare(self, name: str, fmt: str) -> str:
        """A bare placeholder in the front matter: a complete value in the format's syntax."""
        value = getattr(self, name)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "[" + ", ".join(quote(v, fmt) for v in value) + "]"
        if name == "date" and fmt != "json":
            return str(value)  # a YAML date or a TOML local date
        return quote(str(value), fmt)


def resolve_template(
    root: Path, flag: Path | None, configured: str | None
) -> tuple[str, str | None]:
    """The template text and where it came from (None: the built-in one).

    ``--template`` wins, then ``new.template`` from the configuration (relative to the project
    root), then ``templates/post.md`` at the project root, then the built-in default.
    """
    if flag is not None:
        return _read_template(flag, "--template"), str(flag)
    if configured:
        path = root / configured
        return _read_template(path, "new.template"), str(path)
    project = root / PROJECT_TEMPLATE
    if project.is_file():
        return _read_template(project, PROJECT_TEMPLATE), str(project)
    return DEFAULT_TEMPLATE, None


MAX_TEMPLATE_BYTES = 1024 * 1024  # a template is a page of front matter, not a book


def _read_template(path: Path, what: str) -> str:
    """A template is a regular file under MAX_TEMPLATE_BYTES, opened without blocking: a FIFO
    would hang the command and /dev/zero would fill the memory."""
    import stat

    shown = shown_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise TemplateError(f"{what} {shown}: cannot read: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO, socket or device"
            raise TemplateError(f"{what} {shown}: not a regular file ({kind})")
        if st.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"{what} {shown}: over the limit of 1 MB for a template")
        chunks = []
        left = MAX_TEMPLATE_BYTES + 1  # a file that grows while read is cut off, then refused
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as e:
        raise TemplateError(f"{what} {shown}: cannot read: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{what} {shown}: over the limit of 1 MB for a template")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"{what} {shown_path(path)}: not UTF-8 text") from None


def built_in(values: Values) -> str:
    """The built-in post: a ``frontmatter.Post`` serialised by postctl's YAML handler (keys in
    this order, strings double-quoted, the date bare)."""
    import frontmatter

    post = frontmatter.Post(
        DEFAULT_BODY,
        handler=handlers.YAML,
        title=values.title,
        date=dt.date.fromisoformat(values.date),
        description=values.description,
        category=values.category,
        tags=values.tags,
        draft=values.draft,
        slug=values.slug,
    )
    return frontmatter.dumps(post)


def render(template: str, values: Values, source: str = "the template") -> str:
    """Fill in a template; the result has LF line ends, no BOM, and parses as a post."""
    if template is DEFAULT_TEMPLATE:
        return _checked(built_in(values), source)
    text = normalize(template)
    fmt, end = _front_matter_span(text, source)
    lines = text[:end].splitlines(keepends=True)
    head = "".join(_render_line(line, n, values, fmt, source) for n, line in enumerate(lines, 1))
    body = _PLACEHOLDER.sub(lambda m: values.plain(m[1]), text[end:])
    return _checked(head + body, source, f"{values.slug}.md")


def _checked(text: str, source: str, name: str = "new.md") -> str:
    """The text of a new post, once it parses."""
    try:
        parse_text(name, text)
    except PostError as e:
        where = f"line {e.line}: " if e.line else ""
        raise TemplateError(
            f"{source}: the post it makes does not parse: {where}{e.reason}"
        ) from None
    return text


def _front_matter_span(text: str, source: str) -> tuple[str, int]:
    """The template's front-matter format and where its closing line ends."""
    lines = text.splitlines(keepends=True)
    first = lines[0].rstrip() if lines else ""
    closers: tuple[str, ...]
    if first == "---":
        fmt, closers = "yaml", ("---", "...")
    elif first == "+++":
        fmt, closers = "toml", ("+++",)
    elif first.startswith("{"):
        fmt, closers = "json", ("}",)
    else:
        raise TemplateError(
            f"{source}: no front matter; start it with --- (YAML), +++ (TOML) or {{ (JSON)"
        )
    pos = len(lines[0])
    for line in lines[1:]:
        pos += len(line)
        if line.rstrip() in closers:
            return fmt, pos
    raise TemplateError(f"{source}: the front matter opened on line 1 is never closed")


def _render_line(line: str, lineno: int, values: Values, fmt: str, source: str) -> str:
    """Substitute the placeholders of one front-matter line, minding quoted strings."""
    out: list[str] = []
    quote_char = ""  # the quote of the string we are in, if any
    i = 0
    while i < len(line):
        c = line[i]
        m = _PLACEHOLDER.match(line, i)
        if m:
            name = m[1]
            if not quote_char:
                out.append(values.bare(name, fmt))
            elif quote_char == '"':
                out.append(quote(values.plain(name), fmt)[1:-1])
            else:
                out.append(_single_quoted(values.plain(name), fmt, source, lineno))
            i = m.end()
            continue
        out.append(c)
        if quote_char == '"' and c == "\\":
            out.append(line[i + 1 : i + 2])
            i += 2
            continue
        if quote_char:
            if c == quote_char:
                if quote_char == "'" and fmt == "yaml" and line.startswith("'", i + 1):
                    out.append("'")  # '' inside a YAML single-quoted string
                    i += 2
                    continue
                quote_char = ""
        elif c in "\"'" and _opens_string(line, i):
            quote_char = c
        i += 1
    return "".join(out)


def _opens_string(line: str, i: int) -> bool:
    """Does the quote at ``i`` start a string (rather than sit inside a plain value)?"""
    before = line[:i].rstrip()
    return not before or before[-1] in ":=[{,-"


def _single_quoted(text: str, fmt: str, source: str, lineno: int) -> str:
    if fmt == "yaml":
        return text.replace("'", "''")
    if "'" in text:  # a TOML literal string (or JSON, which has none) cannot hold a quote
        raise TemplateError(
            f"{source}:{lineno}: a placeholder in single quotes cannot hold {text!r}; "
            'write it bare or in double quotes ("...")'
        )
    return text


# --------------------------------------------------------------------------- quoting


_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def quote(text: str, fmt: str) -> str:
    """A double-quoted string that reads back as exactly ``text`` in YAML, TOML or JSON."""
    if fmt == "json":
        import json

        return json.dumps(text, ensure_ascii=False)
    if fmt == "yaml":
        return handlers.yaml_string(text)
    out = ['"']
    for c in text:
        code = ord(c)
        if c in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[c])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------- writing


def create(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, atomically; FileExistsError if the name is taken.

    Nothing existing is replaced, followed or truncated: the hard link (or ``O_EXCL``) fails on
    any existing entry, a dangling symlink included.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError as e:
            if e.errno not in _NO_LINKS:
                raise
            _create_exclusive(path, data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _sync_folder(folder)


_NO_LINKS = frozenset(
    getattr(errno, name)
    for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK", "EACCES")
    if hasattr(errno, name)
)


def _create_exclusive(path: Path, data: bytes) -> None:
    """The fallback where hard links are not supported: ``open(path, "xb")``."""
    with open(path, "xb") as fh:
        try:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        except BaseException:
            fh.close()
            os.unlink(path)  # ours: created by this very call
            raise


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
