"""``postctl check``: validation rules over parsed posts → diagnostics. Pure functions.

A rule sees a :class:`~postctl.parse.record.PostRecord` (an index row, or a file parsed on the spot,
with the path as shown)
and returns :class:`Diagnostic` values; it never reads files or the index itself. Cross-file rules
(duplicate slug and title, tag spelling) are given the groups they compare against, already
looked up by :mod:`postctl.query.check`, and ``broken-link`` is given the body and an ``exists``
function. Each diagnostic points at the line of the offending front-matter key, or the body line.

Rules, their default severities and the ``[check]`` settings that tune them are in :data:`RULES`
and :class:`CheckConfig`; docs/check.md documents both (and tests/query/test_check.py keeps
the rule table in step). Finding links in a body is
:mod:`postctl.parse.links`'s job.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from postctl.errors import ConfigError, UsageError
from postctl.parse.keys import KNOWN_KEYS
from postctl.parse.links import Link
from postctl.parse.names import did_you_mean, fold
from postctl.parse.record import PostRecord, Skipped

if TYPE_CHECKING:
    from postctl.parse.dialects import Site

ERROR = "error"
WARNING = "warning"
OFF = "off"
LEVELS = (ERROR, WARNING, OFF)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    default: str  # error, warning or off
    summary: str
    settings: str = ""  # the [check] keys that tune it
    on: str = ERROR  # the severity when --rule turns on a rule that is off


RULES: tuple[Rule, ...] = (
    Rule("parse", ERROR, "the file can be read and its front matter parsed"),
    Rule("required", ERROR, "required fields are present and not empty", "required"),
    Rule("type", ERROR, "dates are dates, tags a list of strings, draft a boolean"),
    Rule(
        "category",
        ERROR,
        "each category is in the allowed list; a near miss suggests the did_you_mean",
        "allowed-categories",
    ),
    Rule(
        "unknown-key",
        OFF,
        "no front-matter keys beyond the known ones and the allow-list",
        "allowed-keys",
        on=WARNING,
    ),
    Rule("title-length", WARNING, "title length within bounds", "title-min, title-max"),
    Rule(
        "description-length",
        WARNING,
        "description length within bounds",
        "description-min, description-max",
    ),
    Rule("slug", WARNING, "the slug is lowercase ASCII letters, digits and hyphens"),
    Rule("duplicate-slug", ERROR, "no other post in the folder has the same slug"),
    Rule("duplicate-title", WARNING, "no other post has the same title (case, accents ignored)"),
    Rule("tag-spelling", WARNING, "each tag is spelled one way across the folder"),
    Rule(
        "category-spelling",
        WARNING,
        "a category no other post uses is not a near miss of one that others use",
    ),
    Rule("future-date", WARNING, "a post that is not a draft is not dated in the future"),
    Rule("updated-before-date", ERROR, "updated (or lastmod) is not before date"),
    Rule("empty-body", WARNING, "the post has a body"),
    Rule("broken-link", ERROR, "relative links and images point to files that exist"),
    Rule("yaml-trap", ERROR, "no unquoted YAML 1.1 booleans, base-60 or octal numbers"),
    Rule("duplicate-key", ERROR, "no front-matter key is set twice"),
)
RULE_IDS = tuple(r.id for r in RULES)
_BY_ID = {r.id: r for r in RULES}
CROSS_FILE = frozenset({"duplicate-slug", "duplicate-title", "tag-spelling", "category-spelling"})


def unknown_rule(name: str) -> str:
    hint = did_you_mean(name, list(RULE_IDS))
    return f'unknown rule "{name}"' + (f'; did you mean "{hint}"?' if hint else "")


# --------------------------------------------------------------------------- configuration

DEFAULT_REQUIRED = ("title", "date", "description", "category")
_LISTS = ("required", "allowed-categories", "allowed-keys")
_BOUNDS = ("title-min", "title-max", "description-min", "description-max")
_SETTINGS = (*_LISTS, *_BOUNDS, "severity")


@dataclass(frozen=True)
class CheckConfig:
    """The ``[check]`` table of postctl.toml (or ``[tool.postctl.check]``)."""

    required: tuple[str, ...] = DEFAULT_REQUIRED
    allowed_categories: tuple[str, ...] = ()  # empty: any category
    allowed_keys: frozenset[str] = frozenset()
    title_min: int = 0
    title_max: int = 100
    description_min: int = 50
    description_max: int = 200
    severity: Mapping[str, str] = field(default_factory=dict)
    # From the site's dialect: what a slug may be, and whether URLs (not slugs) must be unique.
    slug_rule: re.Pattern[str] = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
    slug_words: str = "lowercase ASCII letters, digits and hyphens"
    unique_urls: bool = False
    undated_drafts: bool = False  # Jekyll: a draft is dated when it is published

    @classmethod
    def from_table(
        cls, table: Mapping[str, Any], where: str = "[check]", site: Site | None = None
    ) -> tuple[CheckConfig, list[str]]:
        """Validate the table; return the config and warnings (unknown keys). Raises
        :class:`ConfigError` for a value of the wrong type or an unknown rule. ``site``: the
        defaults follow its dialect (what the generator requires, its slug rule)."""
        warnings: list[str] = []
        kwargs: dict[str, Any] = {}
        if site is not None:
            d = site.dialect
            kwargs["required"] = d.required
            kwargs["slug_rule"], kwargs["slug_words"] = d.slug_rule, d.slug_rule_words
            kwargs["unique_urls"] = d.url_unique or site.permalink is not None
            kwargs["undated_drafts"] = d.new_draft_dir is not None
            kwargs["severity"] = dict.fromkeys(d.quiet_rules, OFF)
        for key, value in table.items():
            if key in _LISTS:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{where}: {key} must be a list of strings, not {value!r}")
                items = tuple(v.strip() for v in value if v.strip())
                if key == "allowed-keys":
                    kwargs["allowed_keys"] = frozenset(items)
                else:
                    kwargs[key.replace("-", "_")] = items
            elif key in _BOUNDS:
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ConfigError(f"{where}: {key} must be a whole number ≥ 0, not {value!r}")
                kwargs[key.replace("-", "_")] = value
            elif key == "severity":
                kwargs["severity"] = {**kwargs.get("severity", {}), **_severities(value, where)}
            else:
                hint = did_you_mean(key, list(_SETTINGS))
                warnings.append(
                    f"{where}: unknown key {key!r}" + (f'; did you mean "{hint}"?' if hint else "")
                )
        return cls(**kwargs), warnings

    def active(self, only: Sequence[str] = (), ignore: Sequence[str] = ()) -> dict[str, str]:
        """rule id → severity of each rule that runs. ``only`` (--rule) also turns on rules
        that are off; unknown ids raise :class:`UsageError`."""
        for name in (*only, *ignore):
            if name not in _BY_ID:
                raise UsageError(unknown_rule(name))
        out: dict[str, str] = {}
        for rule in RULES:
            level = self.severity.get(rule.id, rule.default)
            if only:
                if rule.id not in only:
                    continue
                if level == OFF:
                    level = rule.on
            if rule.id in ignore or level == OFF:
                continue
            out[rule.id] = level
        return out


def _severities(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: severity must be a table of rule = level, not {value!r}")
    out: dict[str, str] = {}
    for rule, level in value.items():
        if rule not in _BY_ID:
            raise ConfigError(f"{where}: severity: {unknown_rule(rule)}")
        if level not in LEVELS:
            raise ConfigError(
                f"{where}: severity.{rule} must be error, warning or off, not {level!r}"
            )
        out[rule] = level
    return out


# --------------------------------------------------------------------------- what rules see


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str
    rule: str
    message: str
    fix: str = ""  # the one command that fixes it, when there is one

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.rule} {self.message}"

    def record(self) -> dict[str, Any]:
        out = {
            "path": self.path,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }
        if self.fix:
            out["fix"] = self.fix
        return out


def entry_from_row(row: Mapping[str, Any], path: str) -> PostRecord:
    """An index ``posts`` row (every column) → the record the rules see, at its shown path."""
    return PostRecord.from_row(row, path)


# --------------------------------------------------------------------------- per-file rules

_KNOWN_KEYS = sorted(KNOWN_KEYS)
_ALIASES = {
    "description": ("description", "summary"),
    "summary": ("summary", "description"),
    "category": ("category", "categories"),
    "categories": ("categories", "category"),
    "updated": ("updated", "lastmod"),
    "lastmod": ("lastmod", "updated"),
    "draft": ("draft", "published"),
}


def check_unparsed(item: Skipped, active: Mapping[str, str]) -> list[Diagnostic]:
    level = active.get("parse")
    if level is None:
        return []
    return [Diagnostic(item.path, item.line or 1, item.col or 1, level, "parse", item.reason)]


def check_entry(
    e: PostRecord, config: CheckConfig, active: Mapping[str, str], now: dt.datetime
) -> list[Diagnostic]:
    """Every per-file rule but ``broken-link`` (which needs the body)."""
    out: list[Diagnostic] = []

    def add(rule: str, line: int, message: str, col: int = 1) -> None:
        out.append(Diagnostic(e.path, line, col, active[rule], rule, message))

    for p in e.problems:
        rule, message, line, col = p.rule, p.message, p.line, p.column
        # type, yaml-trap and duplicate-key come from the parser; a finding of a kind this
        # module does not know yet is governed by the type rule.
        level = active.get(rule) if rule in _BY_ID else active.get("type")
        if level is not None:
            out.append(Diagnostic(e.path, line or 1, col or 1, level, rule, message))
    if "required" in active:
        _required(e, config, add)
    if "category" in active and config.allowed_categories:
        _categories(e, config.allowed_categories, add)
    if "unknown-key" in active:
        for key in e.extra:
            if key in config.allowed_keys:
                continue
            hint = _near(key, [*_KNOWN_KEYS, *sorted(config.allowed_keys)])
            suggestion = f'; did you mean "{hint}"?' if hint else ""
            add("unknown-key", e.line(key), f'unknown key "{key}"{suggestion}')
    if "title-length" in active and e.title:
        _length(e, "title", e.title, config.title_min, config.title_max, add)
    if "description-length" in active and e.description:
        key = "description" if "description" in e.key_lines else "summary"
        lo, hi = config.description_min, config.description_max
        _length(e, key, e.description, lo, hi, add)
    if "slug" in active and not config.slug_rule.fullmatch(e.slug):
        add("slug", e.line("slug"), _slug_message(e, config))
    if "future-date" in active and e.date and not e.draft and _is_future(e.date, now):
        add(
            "future-date",
            e.line("date"),
            f"date {e.date} is in the future but the post is not a draft",
        )
    if "updated-before-date" in active and e.date and e.updated and _before(e.updated, e.date):
        key = "updated" if "updated" in e.key_lines else "lastmod"
        add("updated-before-date", e.line(key), f"{key} {e.updated} is before date {e.date}")
    if "empty-body" in active and e.empty_body:
        add("empty-body", e.body_line, "the body is empty")
    return out


class Add(Protocol):
    def __call__(self, rule: str, line: int, message: str, col: int = 1) -> None: ...


def _near(key: str, candidates: list[str]) -> str | None:
    """A known key that ``key`` is likely a typo of (``titel`` → ``title``, not ``time``)."""
    return did_you_mean(key.lower(), candidates, cutoff=0.75, key=str)


def _required(e: PostRecord, config: CheckConfig, add: Add) -> None:
    if not config.required:
        return
    wanted = [n for n in config.required if not (config.undated_drafts and e.draft and n == "date")]
    if e.fm_format == "none":
        missing = [n for n in wanted if not _filled(_value(e, n))]
        if missing:
            add("required", 1, f"no front matter (required: {', '.join(missing)})")
        return
    for name in wanted:
        if _filled(_value(e, name)):
            continue
        keys = _ALIASES.get(name, (name,))
        present = [k for k in keys if k in e.key_lines]
        if present or name in e.extra:
            add("required", e.line(*keys), f'required field "{name}" is empty')
        else:
            add("required", 1, f'missing required field "{name}"')


def _value(e: PostRecord, name: str) -> Any:
    """The value of a front-matter field for ``required``: normalized for the known keys."""
    canonical = _ALIASES.get(name, (name,))[0]
    if canonical in ("description", "summary"):
        return e.description
    if canonical in ("category", "categories"):
        return e.categories
    if canonical in ("date", "updated", "lastmod"):
        value = e.date if canonical == "date" else e.updated
        # A date that is not a date is present all the same: the type rule reports it.
        return value or (True if _mistyped(e, _ALIASES.get(canonical, (canonical,))) else None)
    if canonical in ("draft", "published"):
        return any(k in e.key_lines for k in ("draft", "published")) or None
    if canonical == "slug":
        return e.slug if "slug" in e.key_lines else None
    known: dict[str, Any] = {"title": e.title, "tags": e.tags, "author": e.author}
    if canonical in known:
        return known[canonical]
    return e.extra.get(name)


def _mistyped(e: PostRecord, keys: Sequence[str]) -> bool:
    lines = {e.key_lines[k] for k in keys if k in e.key_lines}
    return any(p.rule == "type" and p.line in lines for p in e.problems)


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return bool(value)
    return value is not None


def _categories(e: PostRecord, allowed: Sequence[str], add: Add) -> None:
    line = e.line("category", "categories")
    for name in e.categories:
        if name in allowed:
            continue
        hint = did_you_mean(name, list(allowed))
        if hint:
            add("category", line, f'category "{name}" is not allowed; did you mean "{hint}"?')
        else:
            shown = ", ".join(allowed[:8]) + (
                f" and {len(allowed) - 8} more" if len(allowed) > 8 else ""
            )
            add("category", line, f'category "{name}" is not allowed (allowed: {shown})')


def _length(e: PostRecord, key: str, text: str, lo: int, hi: int, add: Add) -> None:
    n = len(text)
    rule = "title-length" if key == "title" else "description-length"
    if hi and n > hi:
        add(rule, e.line(key), f"{key} is too long: {n} characters (at most {hi})")
    elif lo and n < lo:
        add(rule, e.line(key), f"{key} is too short: {n} characters (at least {lo})")


def _slug_message(e: PostRecord, config: CheckConfig) -> str:
    origin = "" if "slug" in e.key_lines else " (from the file name)"
    message = f'slug "{e.slug}"{origin} is not {config.slug_words}'
    better = fold(e.slug)
    if better and better != e.slug and config.slug_rule.fullmatch(better):
        message += f'; use "{better}"'
    return message


def _is_future(iso: str, now: dt.datetime) -> bool:
    """Is an ISO date or datetime after ``now`` (an aware local datetime)?"""
    if len(iso) == 10:
        return iso > now.date().isoformat()
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return False
    if when.tzinfo is None:
        return when > now.replace(tzinfo=None)
    return when > now


def _before(a: str, b: str) -> bool:
    """Is ISO date/datetime ``a`` before ``b``? Day precision when either has no time."""
    if len(a) == 10 or len(b) == 10:
        return a[:10] < b[:10]
    try:
        da, db = dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)
    except ValueError:
        return False
    if (da.tzinfo is None) != (db.tzinfo is None):
        da, db = da.replace(tzinfo=None), db.replace(tzinfo=None)
    return da < db


# --------------------------------------------------------------------------- cross-file rules


def duplicates(
    keyed: Iterable[tuple[PostRecord, str]],
    rule: str,
    level: str,
    groups: Mapping[str, Sequence[str]],
) -> list[Diagnostic]:
    """``duplicate-slug`` (key: the slug, or the URL where the site's URLs are what must be
    unique) or ``duplicate-title`` (key: :func:`title_key`): each entry whose key ``groups``
    (key → every path that has it) gives to other paths too."""
    what = "slug" if rule == "duplicate-slug" else "title"
    out = []
    for e, key in keyed:
        if not key:
            continue
        others = [p for p in groups.get(key, ()) if p != e.path]
        if others:
            if what == "slug" and key.startswith("/"):
                message = f'URL "{key}" (slug "{e.slug}") is also used by {_paths(others)}'
            else:
                value = e.slug if what == "slug" else e.title
                message = f'{what} "{value}" is also used by {_paths(others)}'
            out.append(Diagnostic(e.path, e.line(what), 1, level, rule, message))
    return out


def title_key(title: str | None) -> str:
    """Titles are duplicates when they fold alike: case, accents and punctuation aside."""
    return fold(title) if title else ""


def _paths(paths: Sequence[str]) -> str:
    paths = sorted(set(paths))
    if len(paths) == 1:
        return paths[0]
    if len(paths) <= 3:
        return ", ".join(paths[:-1]) + " and " + paths[-1]
    return ", ".join(paths[:2]) + f" and {len(paths) - 2} more"


def tag_spelling(
    entries: Iterable[PostRecord], level: str, spellings: Mapping[str, Mapping[str, int]]
) -> list[Diagnostic]:
    """A tag written one way here and another way elsewhere: ``spellings`` maps a folded tag to
    each spelling in the folder and its number of posts. The most used spelling is preferred
    (on a tie: all lowercase, then alphabetical); every other spelling is reported."""
    preferred: dict[str, tuple[str, int]] = {}  # spelling → (preferred spelling, its posts)
    for names in spellings.values():
        if len(names) > 1:
            best = min(names, key=lambda n: (-names[n], n != n.lower(), n))
            for name in names:
                if name != best:
                    preferred[name] = (best, names[best])
    out: list[Diagnostic] = []
    if not preferred:
        return out
    for e in entries:
        for tag in e.tags:
            if tag in preferred:
                best, n = preferred[tag]
                message = (
                    f'tag "{tag}" is also spelled "{best}" ({n} post{"s" if n != 1 else ""}); '
                    "use one spelling"
                )
                fix = fix_command("tags", tag, best)
                out.append(
                    Diagnostic(e.path, e.line("tags"), 1, level, "tag-spelling", message, fix)
                )
    return out


def fix_command(group: str, old: str, new: str) -> str:
    """``postctl tags rename Redis redis``, quoted for a POSIX shell."""
    import shlex

    return f"postctl {group} rename {shlex.quote(old)} {shlex.quote(new)}"


def category_spelling(
    entries: Iterable[PostRecord], level: str, posts_by_category: Mapping[str, tuple[str, int]]
) -> list[Diagnostic]:
    """A category that only this post uses, close to one other posts use: a likely misspelling
    (``Perfomance`` beside 17 posts in ``Performance``). ``posts_by_category`` maps a folded
    category to (its most used spelling, its number of posts), over the whole folder."""
    out: list[Diagnostic] = []
    shared = {slug: v for slug, v in posts_by_category.items() if v[1] >= 2}
    for e in entries:
        for name in e.categories:
            slug = fold(name)
            if posts_by_category.get(slug, ("", 0))[1] > 1:
                continue
            hint = did_you_mean(name, [k for k in shared if k != slug], cutoff=0.8)
            if hint is None:
                continue
            best, n = shared[hint]
            message = (
                f'category "{name}" is used by no other post; did you mean "{best}" ({n} posts)?'
            )
            line = e.line("category", "categories")
            fix = fix_command("categories", name, best)
            out.append(Diagnostic(e.path, line, 1, level, "category-spelling", message, fix))
    return out


# --------------------------------------------------------------------------- broken links


def broken_links(
    path: str,
    folder: str,
    links: Iterable[Link],
    level: str,
    exists: Callable[[str], bool],
    resolve: Callable[[Link], bool | None] | None = None,
) -> list[Diagnostic]:
    """Links whose file does not exist, resolved relative to the post's ``folder``.

    ``resolve`` is the dialect's say on a link: True (it names a page), False (it names none),
    None (ask the file system); a link in the dialect's own syntax (``link.kind``) is the
    dialect's alone."""
    import posixpath

    out = []
    for link in links:
        said = resolve(link) if resolve is not None else None
        if said is None and link.kind:
            continue
        if said is None:
            said = exists(posixpath.normpath(posixpath.join(folder, link.path)))
        if not said:
            what = "image" if link.image else "link"
            if link.kind:
                message = f'{link.kind} "{link.target}" names no file in the site'
            else:
                message = f'{what} "{link.target}" does not exist'
            out.append(Diagnostic(path, link.line, link.col, level, "broken-link", message))
    return out


# --------------------------------------------------------------------------- output


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def counts(diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
    errors = sum(1 for d in diagnostics if d.severity == ERROR)
    return errors, len(diagnostics) - errors


def summary(diagnostics: Sequence[Diagnostic], checked: int) -> str:
    """``2 errors, 1 warning in 2 files (17 checked)`` or ``17 files checked, no problems``."""
    if not diagnostics:
        return f"{_plural(checked, 'file')} checked, no problems"
    errors, warnings = counts(diagnostics)
    parts = [_plural(errors, "error")] if errors else []
    if warnings:
        parts.append(_plural(warnings, "warning"))
    files = len({d.path for d in diagnostics})
    return f"{', '.join(parts)} in {_plural(files, 'file')} ({checked} checked)"


def fixes(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """Each distinct fix command, with the number of findings it fixes."""
    counted: dict[str, int] = {}
    for d in diagnostics:
        if d.fix:
            counted[d.fix] = counted.get(d.fix, 0) + 1
    return [f"to fix {_plural(n, 'finding')}: {cmd}" for cmd, n in counted.items()]


def _same(text: str) -> str:
    return text


def format_text(
    diagnostics: Sequence[Diagnostic], checked: int, clean: Callable[[str], str] = _same
) -> str:
    """One line per diagnostic, then the summary; ``clean`` makes each line safe to print
    (the CLI passes ``render.inert``: a message quotes the post)."""
    lines = "".join(clean(d.text()) + "\n" for d in diagnostics)
    return lines + summary(diagnostics, checked) + "\n"


def format_json(diagnostics: Sequence[Diagnostic], checked: int) -> str:
    errors, warnings = counts(diagnostics)
    data = {
        "checked": checked,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": [d.record() for d in diagnostics],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(diagnostics: Sequence[Diagnostic], clean: Callable[[str], str] = _same) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic (the log shows ANSI
    codes, so the CLI passes ``render.inert`` as ``clean``)."""
    return "".join(
        f"::{d.severity} file={_escape(clean(d.path), True)},line={d.line},col={d.col},"
        f"title={_escape(d.rule, True)}::{_escape(clean(d.message))}\n"
        for d in diagnostics
    )


def exit_code(diagnostics: Sequence[Diagnostic], strict: bool) -> int:
    errors, warnings = counts(diagnostics)
    return 1 if errors or (strict and warnings) else 0
