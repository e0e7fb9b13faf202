"""The flat front-matter fast path returns what the full YAML loader returns, or steps aside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.parse import flatyaml
from postctl.parse.post import load_yaml, split_front_matter

ROOT = Path(__file__).resolve().parents[2]


def _full(fm: str) -> Any:
    """load_yaml without the fast path."""
    real = flatyaml.load
    flatyaml.load = lambda fm: None  # type: ignore[assignment]
    try:
        return _typed(load_yaml("x.md", fm))
    finally:
        flatyaml.load = real  # type: ignore[assignment]


def _typed(value: Any) -> Any:
    """Values with their types (True == 1 and 1 == 1.0 in Python; not here)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_typed(v) for v in value]
    if isinstance(value, dt.datetime):
        return ("datetime", value.isoformat(), repr(value.tzinfo))
    return (type(value).__name__, value)


def _fast(fm: str) -> Any:
    got = flatyaml.load(fm)
    return None if got is None else _typed(got)


def test_the_usual_front_matter_takes_the_fast_path() -> None:
    fm = (
        'title: "10 Boring Tips for Channels"\n'
        "date: 2018-07-19\n"
        "description: 'A guide, with code you can copy.'\n"
        "category: Go\n"
        "tags:\n"
        "  - concurrency\n"
        "  - golang\n"
        "\n"
        "featured: true\n"
        "weight: 10\n"
        "series:\n"
        "aliases: [\"/a, b\", old path, '/c']\n"
    )
    got = flatyaml.load(fm)
    assert got == (
        {
            "title": "10 Boring Tips for Channels",
            "date": dt.date(2018, 7, 19),
            "description": "A guide, with code you can copy.",
            "category": "Go",
            "tags": ["concurrency", "golang"],
            "featured": True,
            "weight": 10,
            "series": None,
            "aliases": ["/a, b", "old path", "/c"],
        },
        {
            "title": 2,
            "date": 3,
            "description": 4,
            "category": 5,
            "tags": 6,
            "featured": 10,
            "weight": 11,
            "series": 12,
            "aliases": 13,
        },
        [],
    )
    assert _typed(got) == _full(fm)


@pytest.mark.parametrize(
    "fm",
    [
        "title: yes\n",  # a YAML 1.1 boolean where a string is wanted: a trap to report
        "draft: on\n",
        "title: 2024\n",
        "tags: [a, 2]\n",
        "tags: [yes]\n",
        "tags: [a, [b]]\n",
        "title: a: b\n",
        "title: C# tips\n",
        'title: "a \\" b"\n',
        "date: 2026-13-45\n",
        "date: 2026-01-01 10:00\n",
        "yes: 1\n",
        "a: 1\na: 2\n",  # duplicate key
        "tags:\n  - a\n - b\n",
        "tags:\n  - true\n",
        "description: a long\n  continued line\n",
        "nested:\n  key: value\n",
        "weight: 007\n",
        "when: null\n",
        "title: &anchor x\n",
        "title:\tx\n",
        "title: |\n  block\n",
        "x:\n- a\n-\n",
        "".join(f"k{i}: v\n" for i in range(10_000)),  # over MAX_LENGTH: the loader's limits
    ],
)
def test_anything_else_is_left_to_the_full_loader(fm: str) -> None:
    assert flatyaml.load(fm) is None


@pytest.mark.parametrize("path", sorted((ROOT / "articles").glob("*.md")), ids=lambda p: p.stem)
def test_every_article_reads_the_same(path: Path) -> None:
    _, fm, _, _ = split_front_matter(path, path.read_text(encoding="utf-8"))
    assert _fast(fm) is not None, "the shipped posts are plain: they should take the fast path"
    assert _fast(fm) == _full(fm)


_KEYS = st.sampled_from(
    ["title", "date", "description", "tags", "category", "draft", "weight", "x", "yes", "a_b"]
)
_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "true",
            "False",
            "yes",
            "No",
            "null",
            "~",
            "0",
            "07",
            "12",
            "1e3",
            "2024-02-29",
            "2023-02-29",
            "2024-2-9",
            "2015-08-31T06:00:00+00:00",
            "2015-08-31T06:00:00-05:30",
            "2015-08-31T06:00:00Z",
            "2015-08-31T06:00:00",
            "2015-08-31T25:00:00",
            "2015-08-31T06:00:00.5",
            "2015-08-31 06:00:00",
            '"quoted"',
            '"a: b"',
            "'single'",
            "'it''s'",
            "plain words, with a comma",
            "a: b",
            "x #c",
            "[a]",
            "-dash",
            ".5",
            "é",
            "[]",
            "[a, b c]",
            '["a", "b, c", \'d\']',
            "[ a ,b ]",
            "[true]",
            "[a, [b]]",
            "[a,]",
            "[a: b]",
            "[1, 2]",
            '["x"y]',
        ]
    ),
    st.text(alphabet=st.sampled_from(list("aZ1 -:#'\"[],.!\\é")), max_size=8),
)
_ITEMS = st.lists(st.tuples(st.sampled_from(["  ", " ", ""]), _VALUES), min_size=1, max_size=3)


@st.composite
def _front_matter(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(0, 5))):
        key, value = draw(_KEYS), draw(_VALUES)
        out.append(f"{key}: {value}".rstrip(" ") if value else f"{key}:")
        if not value and draw(st.booleans()):
            out.extend(f"{indent}- {item}" for indent, item in draw(_ITEMS))
        if draw(st.booleans()):
            out.append("")
    return "\n".join(out) + "\n"


@settings(max_examples=1500, deadline=None)
@given(_front_matter())
def test_equal_to_the_full_loader_whenever_it_answers(fm: str) -> None:
    fast = _fast(fm)
    if fast is None:
        return
    assert fast == _full(fm)
