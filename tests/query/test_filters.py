"""Raw options → typed Query → SQL with named parameters (no user text spliced into SQL)."""

from __future__ import annotations

import pytest

from postctl.cli.app import build_query
from postctl.errors import UsageError
from postctl.query.filters import Condition, Drafts, Query, Sort, SortKey, count_sql, to_sql


def test_defaults_are_published_newest_first() -> None:
    q = build_query(None, None, None, None, None, False, False)
    assert q == Query()
    sql, params = to_sql(q, 238)
    assert sql == (
        "SELECT posts.* FROM posts WHERE posts.draft = 0 ORDER BY posts.date_key IS NULL, "
        "posts.date_key DESC, posts.title COLLATE NOCASE, posts.path"
    )
    assert params == {}


def test_options_become_typed_fields() -> None:
    q = build_query(
        ["Performance"],
        ["redis", "Latency"],
        ["level>3"],
        "2025-01-01",
        "2025-12-31",
        False,
        True,
        ["-reading-time", "title"],
        5,
    )
    assert q.categories == ["Performance"]
    assert q.tags == ["redis", "Latency"]
    assert q.where == [Condition("level", ">", "3")]
    assert (q.since, q.until, q.drafts, q.limit) == ("2025-01-01", "2025-12-31", Drafts.ALL, 5)
    assert q.sort == [Sort(SortKey.READING_TIME, True), Sort(SortKey.TITLE, False)]


def test_names_are_folded_and_passed_as_parameters() -> None:
    q = Query(categories=["Opérations"], tags=["Redis"], drafts=Drafts.DRAFTS)
    sql, params = to_sql(q, 238)
    assert "posts.draft = 1" in sql
    assert "c.slug = :p0" in sql and "t.slug = :p1" in sql
    assert params == {"p0": "operations", "p1": "redis"}


@pytest.mark.parametrize(
    ("text", "cond"),
    [
        ("series=scale", Condition("series", "=", "scale")),
        ("series = a=b", Condition("series", "=", "a=b")),
        ("level!=3", Condition("level", "!=", "3")),
        ("level<=3", Condition("level", "<=", "3")),
        ("date>2025-01-01", Condition("date", ">", "2025-01-01")),
        ("featured", Condition("featured", "exists")),
    ],
)
def test_where_parsing(text: str, cond: Condition) -> None:
    assert Condition.parse(text) == cond


def test_unknown_keys_go_through_a_json_path_parameter() -> None:
    q = Query(where=[Condition('we"ird', "=", "x'); DROP TABLE posts; --")])
    sql, params = to_sql(q, 238)
    assert "DROP" not in sql
    # the key as written, then nested in [extra] and [params] (issue 16)
    assert params["p0"] == '$."we\\"ird"'
    assert params["p1"] == '$.extra."we\\"ird"'
    assert params["p3"] == "x'); DROP TABLE posts; --"


def test_numbers_compare_as_numbers_and_dates_as_iso_text() -> None:
    sql, params = to_sql(Query(where=[Condition("level", ">", "3")]), 238)
    value = (
        "coalesce(json_extract(posts.extra, :p0), json_extract(posts.extra, :p1), "
        "json_extract(posts.extra, :p2))"
    )
    assert f"CAST({value} AS REAL) > :p3" in sql
    assert params["p3"] == 3.0
    # a day compares with the day as written (issue 16: a time, with the UTC instant)
    sql, params = to_sql(Query(where=[Condition("date", "<", "2025-01-01")]), 238)
    assert "substr(posts.date, 1, 10) < :p0" in sql
    assert params["p0"] == "2025-01-01"


def test_booleans_match_yaml_true_and_false() -> None:
    _, params = to_sql(Query(where=[Condition("featured", "=", "true")]), 238)
    assert params["p3"] == "1"


def test_reading_time_sort_uses_the_configured_wpm() -> None:
    sql, params = to_sql(Query(sort=[Sort(SortKey.READING_TIME, False)]), 200)
    assert "(posts.words * 60.0 / :p0 + posts.other_seconds) ASC" in sql
    assert params == {"p0": 200}


def test_any_front_matter_key_sorts() -> None:
    assert Sort.parse("-series") == Sort("series", True)
    sql, params = to_sql(Query(sort=[Sort.parse("-series")]), 238)
    assert "json_extract(posts.extra, :p0), json_extract(posts.extra, :p1), " in sql
    assert "json_extract(posts.extra, :p2)) DESC" in sql
    assert params == {"p0": '$."series"', "p1": '$.extra."series"', "p2": '$.params."series"'}


def test_limit_and_count() -> None:
    sql, params = to_sql(Query(limit=3), 238)
    assert sql.endswith("LIMIT :p0") and params == {"p0": 3}
    sql, _ = count_sql(Query(limit=3))
    assert sql == "SELECT count(*) FROM posts WHERE posts.draft = 0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"since": "soon"}, "--since 'soon': not a date (use YYYY-MM-DD)"),
        (
            {"where": ["<3"]},
            "--where '<3': expected KEY=VALUE, KEY!=VALUE, KEY<VALUE, KEY>VALUE or KEY",
        ),
        ({"sort": ["-"]}, "--sort needs a key"),
        ({"where": ["level>"]}, "--where 'level>': > needs a value to compare with"),
        ({"where": ["tags>a"]}, "--where tags>a: tags takes = or != only"),
    ],
)
def test_bad_options(args: dict[str, object], message: str) -> None:
    base: dict[str, object] = dict(
        category=None, tag=None, where=None, since=None, until=None, drafts=False, all_posts=False
    )
    base.update(args)
    with pytest.raises(UsageError) as exc:
        q = build_query(**base)  # type: ignore[arg-type]
        to_sql(q, 238)
    assert str(exc.value).startswith(message)
