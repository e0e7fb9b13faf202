"""The typed query: filters, sort and limit, and their translation to SQL with named parameters.

Nothing a user types is spliced into SQL: known sort keys are an Enum, front-matter keys travel
as JSON-path parameters, values as parameters.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from postctl.errors import UsageError
from postctl.parse.dates import normalize_date
from postctl.parse.names import fold
from postctl.parse.speed import DEFAULT_WPM

_WHERE = re.compile(r"^\s*([^!<>=~\s][^!<>=~]*?)\s*(!=|<=|>=|~=|=|<|>)\s*(.*)$")


class Drafts(enum.Enum):
    PUBLISHED = "published"
    DRAFTS = "drafts"
    ALL = "all"


class SortKey(enum.Enum):
    DATE = "date"
    TITLE = "title"
    WORDS = "words"
    READING_TIME = "reading-time"
    UPDATED = "updated"
    SLUG = "slug"
    PATH = "path"


# Columns a --where or --sort key may name directly; everything else is a front-matter key.
COLUMNS = {
    "title": "posts.title",
    "slug": "posts.slug",
    "date": "posts.date",
    "updated": "posts.updated",
    "description": "posts.description",
    "draft": "posts.draft",
    "words": "posts.words",
    "file": "posts.path",
    "url": "posts.url",
}
# A front-matter key named `path` (Zola's URL) wins over postctl's file path, which is also
# `file`; where a post has no such key, `path` is the file's path.
PATH_EXPR = "coalesce(json_extract(posts.extra, '$.path'), posts.path)"
# Keys whose values are lists held as JSON columns: matched item by item.
JSON_LISTS = {"author": "posts.authors", "authors": "posts.authors"}
# Where a bare key is also looked for: the tables generators keep custom keys in.
NESTED = ("extra", "params")
# Keys computed from columns, filterable under the names they sort by (reading_minutes: the
# record's field name). Their SQL needs the reading speed: see computed_sql.
COMPUTED = ("reading-time", "reading_minutes")
LIST_KEYS = {
    "category": "post_categories",
    "categories": "post_categories",
    "tags": "post_tags",
    "tag": "post_tags",
}


@dataclass(frozen=True)
class Condition:
    key: str
    op: str  # = != ~= < > <= >=, or "exists"
    value: str = ""

    @classmethod
    def parse(cls, text: str) -> Condition:
        m = _WHERE.match(text)
        if m:
            key, op, value = m.group(1).strip(), m.group(2), m.group(3).strip()
            if not value and op not in ("=", "!=", "~="):
                raise UsageError(f"--where {text!r}: {op} needs a value to compare with")
            return cls(key, op, value)
        key = text.strip()
        if not key or any(c in key for c in "<>=!"):
            raise UsageError(
                f"--where {text!r}: expected KEY=VALUE, KEY!=VALUE, KEY<VALUE, KEY>VALUE or KEY"
            )
        return cls(key, "exists")

    def __str__(self) -> str:
        return self.key if self.op == "exists" else f"{self.key}{self.op}{self.value}"


@dataclass(frozen=True)
class Sort:
    key: SortKey | str
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> Sort:
        desc = text.startswith("-")
        name = text.lstrip("-+").strip()
        if not name:
            raise UsageError(
                "--sort needs a key: date, title, words, reading-time, updated or any "
                "front-matter key, with '-' for descending"
            )
        low = name.lower()  # built-in keys in any case; front-matter keys as written
        try:
            return cls(SortKey(low), desc)
        except ValueError:
            return cls(low if low in builtin_keys() else name, desc)


@dataclass
class Query:
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    where: list[Condition] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    drafts: Drafts = Drafts.PUBLISHED
    sort: list[Sort] = field(default_factory=lambda: [Sort(SortKey.DATE, True)])
    limit: int | None = None
    paths: list[str] | None = None  # restrict to these content-relative paths
    # The UTC instant that decides which scheduled posts are out (see parse.dialects), where
    # the site's generator schedules posts; None: a post is published unless a draft.
    now: str | None = None

    def describe(self) -> str:
        """Words for what is selected, for headings and 'nothing matched' messages."""
        parts = []
        if self.tags:
            parts.append("tagged " + " and ".join(self.tags))
        if self.where:
            parts.append("where " + " and ".join(str(c) for c in self.where))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return ", ".join(parts)


def check_date(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    norm = normalize_date(value)
    if norm is None:
        raise UsageError(f"{option} {value!r}: not a date (use YYYY-MM-DD)")
    return norm


def _json_path(key: str) -> str:
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _json_paths(key: str) -> list[str]:
    """Where a front-matter key may be: as written (``a.b`` may be a key with a dot), nested
    (``extra.release`` is ``release`` inside ``[extra]``), then inside ``extra``/``params``."""
    paths = [_json_path(key)]
    if "." in key:
        paths.append("$" + "".join('."' + p.replace('"', '\\"') + '"' for p in key.split(".")))
    else:
        paths += [f"$.{t}" + '."' + key.replace('"', '\\"') + '"' for t in NESTED]
    return paths


def _extra_expr(key: str, params: Params, fn: str = "json_extract") -> str:
    exprs = [f"{fn}(posts.extra, {params.add(p)})" for p in _json_paths(key)]
    return exprs[0] if len(exprs) == 1 else f"coalesce({', '.join(exprs)})"


class Params:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return ":" + name


def reading_minutes_sql(params: Params, wpm: int) -> str:
    """Whole minutes, rounded up, at least one: readtime.minutes in SQL (SQLite may lack ceil)."""
    secs = f"round(posts.words * 60.0 / {params.add(wpm)} + posts.other_seconds, 6) / 60.0"
    return f"max(1, CAST({secs} AS INTEGER) + ({secs} > CAST({secs} AS INTEGER)))"


def builtin_keys() -> set[str]:
    """Keys every post has a value for, whatever its front matter: columns, lists, computed."""
    return {*COLUMNS, *LIST_KEYS, *JSON_LISTS, *COMPUTED, "path", *(k.value for k in SortKey)}


def present_sql(key: str, params: Params) -> str:
    """True for a post whose front matter has ``key`` wherever a filter would look for it (as
    written, as a dotted path, or inside ``extra``/``params``)."""
    return f"{_extra_expr(key, params, 'json_type')} IS NOT NULL"


def unknown_keys(query: Query) -> list[tuple[str, str]]:
    """(option, key) for the --where and --sort keys that are not built in: front-matter keys,
    which the index must be asked about."""
    known = builtin_keys()
    out = [("--where", c.key) for c in query.where if c.key not in known]
    out += [("--sort", s.key) for s in query.sort if isinstance(s.key, str) and s.key not in known]
    return out


def _value_expr(key: str, params: Params) -> str:
    if key in COLUMNS:
        return COLUMNS[key]
    if key == "path":
        return PATH_EXPR
    if key in JSON_LISTS:
        return "posts.author"
    return _extra_expr(key, params)


def _literal(value: str) -> str:
    low = value.lower()
    if low in ("true", "yes"):
        return "1"
    if low in ("false", "no"):
        return "0"
    return value


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def condition_sql(cond: Condition, params: Params, wpm: int = DEFAULT_WPM) -> str:
    key = cond.key
    if key in COMPUTED:
        if cond.op == "exists":
            return "1"
        number = _number(cond.value)
        if number is None:
            raise UsageError(f"--where {cond}: {key} is compared with a number of minutes")
        op = "=" if cond.op == "=" else cond.op
        return f"{reading_minutes_sql(params, wpm)} {op} {params.add(number)}"
    if key in LIST_KEYS:
        return _list_condition(cond, LIST_KEYS[key], params)
    if key in JSON_LISTS:
        return _json_list_condition(cond, JSON_LISTS[key], params)
    path: str | None = None
    if key in COLUMNS:
        expr = COLUMNS[key]
        kind = None
    elif key == "path":
        expr, kind = PATH_EXPR, None
    else:
        located = [params.add(p) for p in _json_paths(key)]
        # The first place the key is, and its JSON type there.
        exprs = [f"json_extract(posts.extra, {p})" for p in located]
        types = [f"json_type(posts.extra, {p})" for p in located]
        expr = exprs[0] if len(exprs) == 1 else f"coalesce({', '.join(exprs)})"
        kind = types[0] if len(types) == 1 else f"coalesce({', '.join(types)})"
        path = (
            located[0]
            if len(located) == 1
            else (
                "CASE "
                + " ".join(
                    f"WHEN {t} IS NOT NULL THEN {p}" for t, p in zip(types, located, strict=True)
                )
                + " END"
            )
        )
    if cond.op == "exists":
        return f"{expr} IS NOT NULL"
    if cond.op in ("=", "!=", "~="):
        contains = cond.op == "~="
        value = params.add(cond.value if contains else _literal(cond.value))
        eq = _match(f"CAST({expr} AS TEXT)", value, contains)
        if kind is not None:
            item = _match("CAST(j.value AS TEXT)", value, contains)
            eq = (
                f"(CASE {kind} WHEN 'array' THEN EXISTS (SELECT 1 FROM json_each(posts.extra, "
                f"{path}) j WHERE {item}) ELSE {eq} END)"
            )
        return f"NOT coalesce({eq}, 0)" if cond.op == "!=" else eq
    number = _number(cond.value)
    if number is not None and key not in ("date", "updated"):
        return f"({expr} IS NOT NULL AND CAST({expr} AS REAL) {cond.op} {params.add(number)})"
    if key == "date":
        return date_condition("posts.date", "posts.date_key", cond.op, cond.value, params)
    value = cond.value
    if key == "updated" or normalize_date(value):
        value = normalize_date(value) or value
    return f"({expr} IS NOT NULL AND CAST({expr} AS TEXT) {cond.op} {params.add(value)})"


def _match(expr: str, value: str, contains: bool) -> str:
    if contains:  # case-insensitive for ASCII, as = is; instr() has no NOCASE
        return f"instr(lower({expr}), lower({value})) > 0"
    return f"{expr} = {value} COLLATE NOCASE"


def _list_condition(cond: Condition, table: str, params: Params) -> str:
    key = cond.key
    if cond.op == "exists":
        return f"EXISTS (SELECT 1 FROM {table} x WHERE x.path = posts.path)"
    if cond.op == "~=":
        value = params.add(fold(cond.value))
        return (
            f"EXISTS (SELECT 1 FROM {table} x WHERE x.path = posts.path "
            f"AND instr(x.slug, {value}) > 0)"
        )
    if cond.op not in ("=", "!="):
        raise UsageError(f"--where {cond}: {key} takes = or != only, or ~= (contains)")
    sql = (
        f"EXISTS (SELECT 1 FROM {table} x WHERE x.path = posts.path "
        f"AND x.slug = {params.add(fold(cond.value))})"
    )
    return sql if cond.op == "=" else f"NOT {sql}"


def _json_list_condition(cond: Condition, column: str, params: Params) -> str:
    """author/authors: each name of the post's authors, matched on its own."""
    if cond.op == "exists":
        return f"{column} != '[]'"
    if cond.op not in ("=", "!=", "~="):
        raise UsageError(f"--where {cond}: {cond.key} takes = or != only, or ~= (contains)")
    value = params.add(cond.value)
    item = _match("j.value", value, cond.op == "~=")
    sql = f"EXISTS (SELECT 1 FROM json_each({column}) j WHERE {item})"
    return f"NOT {sql}" if cond.op == "!=" else sql


def date_condition(shown: str, key: str, op: str, value: str, params: Params) -> str:
    """A date compared as a date: a date-only value against the date as written (the day
    the author meant), a date and time against the UTC instant."""
    from postctl.parse.dates import instant

    if len(value.strip()) == 10 and normalize_date(value):
        return f"({shown} IS NOT NULL AND substr({shown}, 1, 10) {op} {params.add(value.strip())})"
    when = instant(value)
    if when is None:
        raise UsageError(f"--where date{op}{value}: not a date (use YYYY-MM-DD)")
    return f"({key} IS NOT NULL AND {key} {op} {params.add(when)})"


def _sort_sql(sort: Sort, params: Params, wpm: int) -> list[str]:
    direction = "DESC" if sort.descending else "ASC"
    key = sort.key
    if key is SortKey.READING_TIME or key in COMPUTED:
        expr = f"(posts.words * 60.0 / {params.add(wpm)} + posts.other_seconds)"
        return [f"{expr} {direction}"]
    if key is SortKey.TITLE:
        return [f"posts.title IS NULL, posts.title COLLATE NOCASE {direction}"]
    if key is SortKey.DATE:
        return ["posts.date_key IS NULL", f"posts.date_key {direction}"]
    if key is SortKey.PATH:
        expr = "posts.path"
    elif isinstance(key, SortKey):
        expr = COLUMNS[key.value]
    else:
        expr = _value_expr(key, params)
    name = key.value if isinstance(key, SortKey) else key
    if name in _ORDERED_AS_IS:  # dates and counts: the plain order, which their indexes serve
        return [f"{expr} IS NULL", f"{expr} {direction}"]
    # Text sorts as it filters, ignoring case (numbers compare as numbers either way); names
    # that differ only in case then go in a fixed order.
    return [f"{expr} IS NULL", f"{expr} COLLATE NOCASE {direction}", f"{expr} {direction}"]


_ORDERED_AS_IS = frozenset({"date", "updated", "words", "draft"})


def to_sql(query: Query, wpm: int, columns: str = "posts.*") -> tuple[str, dict[str, Any]]:
    """The SELECT for a query: (sql, named parameters). Ties go by title, then path."""
    params = Params()
    where = where_clauses(query, params, wpm)
    order: list[str] = []
    for sort in query.sort:
        order.extend(_sort_sql(sort, params, wpm))
    order += ["posts.title COLLATE NOCASE", "posts.path"]
    sql = f"SELECT {columns} FROM posts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY " + ", ".join(order)
    if query.limit is not None:
        sql += f" LIMIT {params.add(query.limit)}"
    return sql, params.values


def count_sql(
    query: Query, columns: str = "count(*)", source: str = "posts", wpm: int = DEFAULT_WPM
) -> tuple[str, dict[str, Any]]:
    """An unordered SELECT over every post the query matches, --limit ignored: for counts and
    sums. ``source`` may join other tables to ``posts``."""
    params = Params()
    where = where_clauses(query, params, wpm)
    sql = f"SELECT {columns} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params.values


def where_clauses(query: Query, params: Params, wpm: int = DEFAULT_WPM) -> list[str]:
    where: list[str] = []
    if query.now is not None and query.drafts is not Drafts.ALL:
        # a future post, or an expired one, is not out: it counts with the drafts
        now = params.add(query.now)
        out = (
            f"posts.draft = 0 AND (posts.publish_key IS NULL OR posts.publish_key <= {now}) "
            f"AND (posts.expiry_key IS NULL OR posts.expiry_key > {now})"
        )
        where.append(f"({out})" if query.drafts is Drafts.PUBLISHED else f"NOT ({out})")
    elif query.drafts is Drafts.PUBLISHED:
        where.append("posts.draft = 0")
    elif query.drafts is Drafts.DRAFTS:
        where.append("posts.draft = 1")
    for cat in query.categories:
        where.append(
            "EXISTS (SELECT 1 FROM post_categories c WHERE c.path = posts.path "
            f"AND c.slug = {params.add(fold(cat))})"
        )
    for tag in query.tags:
        where.append(
            "EXISTS (SELECT 1 FROM post_tags t WHERE t.path = posts.path "
            f"AND t.slug = {params.add(fold(tag))})"
        )
    for cond in query.where:
        where.append(condition_sql(cond, params, wpm))
    if query.since:
        where.append(date_condition("posts.date", "posts.date_key", ">=", query.since, params))
    if query.until:
        where.append(date_condition("posts.date", "posts.date_key", "<=", query.until, params))
    if query.paths is not None:
        marks = ", ".join(params.add(p) for p in query.paths)
        where.append(f"posts.path IN ({marks})")
    return where
