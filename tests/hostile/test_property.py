"""Arbitrary front matter and bodies through parse → index → list → check, in process.

Whatever the files hold: no exception escapes, the exit codes are the documented ones, no file is
changed, the posts listed are exactly the files the parser accepts, and the files skipped (and
reported by ``check`` as ``parse`` errors) are exactly those it refuses, with its reason.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from postctl.cli import app
from postctl.errors import PostError
from postctl.parse.post import parse_post

KEYS = st.sampled_from(
    [
        *("title", "date", "updated", "lastmod", "tags", "categories", "category", "draft"),
        *("published", "slug", "description", "summary", "author", "on", "1", "content", "x"),
    ]
) | st.text(alphabet="abcxyz_-é", min_size=1, max_size=8)
RAW_VALUES = st.sampled_from(
    [
        *("no", "yes", "12:30", "0777", "2026-13-45", "2016-10-06", "2016-10-06 11:10:38 -0700"),
        *("~", "[a, b]", "{a: 1}", "&a x", "*a", "!!python/object:os.system", "'q'", '"q"', "|"),
        *(">", "[unclosed", "a: b", "!!binary aGk=", "!!set {a}", "[redis, Redis]", "Perf, Ops"),
    ]
) | st.text(alphabet="abc 019:-,.'\"[]{}#&*!|>%@`\\\té中", max_size=20)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates().map(str)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["yaml-raw", "yaml", "json", "toml", "none", "garbage"]))
    if kind == "yaml-raw":  # line by line, unescaped: often not YAML at all
        pairs = draw(st.lists(st.tuples(KEYS, RAW_VALUES), max_size=6))
        return "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + "---\n"
    if kind == "yaml":
        data = draw(st.dictionaries(KEYS, VALUES, max_size=6))
        return "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n"
    if kind == "json":
        data = draw(st.dictionaries(KEYS, VALUES, max_size=6))
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if kind == "toml":
        pairs = draw(st.dictionaries(KEYS, st.text(max_size=12) | st.integers(0, 99), max_size=5))
        lines = [
            f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in pairs.items()
        ]
        return "+++\n" + "".join(lines) + "+++\n"
    if kind == "garbage":
        delim = draw(st.sampled_from(["---", "+++", "{"]))
        return delim + draw(st.text(max_size=40)) + "\n"
    return ""


BODY = st.lists(
    st.sampled_from(
        [
            *("Words of prose. ", "```\ncode\n```\n", "![img](a.png)\n", "性能优化", "# Heading\n"),
            *("[link](missing.md)\n", "---\n", "\n", "<!-- x -->", "`span`", "\t", "\r\n"),
        ]
    )
    | st.text(max_size=30),
    max_size=8,
).map("".join)


@st.composite
def post_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=80))
    text = draw(front_matter()) + draw(BODY)
    encoding = draw(st.sampled_from(["utf-8", "bom", "crlf", "cr", "latin-1"]))
    if encoding == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if encoding == "crlf":
        text = text.replace("\n", "\r\n")
    elif encoding == "cr":
        text = text.replace("\n", "\r")
    elif encoding == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode("utf-8", "surrogatepass")


NAMES = st.sampled_from(["a.md", "b.markdown", "sub/c.md", "2016-10-06-d.md", "e f.md", "Ü.md"])
FOLDERS = st.dictionaries(NAMES, post_bytes(), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def invoke(*args: str) -> tuple[int, str, str]:
    env = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}
    res = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=FOLDERS)
def test_any_posts_through_index_list_and_check(workdir: Path, files: dict[str, bytes]) -> None:
    example = Path(tempfile.mkdtemp(dir=workdir))
    content = example / "articles"
    for rel, data in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(data)
    parsed: dict[str, Any] = {}
    refused: dict[str, PostError] = {}
    for rel in files:
        try:
            parsed[rel] = parse_post(content / rel, display=rel)
        except PostError as e:
            refused[rel] = e

    cwd = os.getcwd()
    os.chdir(example)
    try:
        code, out, err = invoke("index", "--format", "json")
        assert code == 0, err
        report = json.loads(out)
        assert sorted(report["added"]) == sorted(files)
        assert report["posts"] == len(parsed)
        assert {s["path"]: (s["reason"], s["line"], s["column"]) for s in report["skipped"]} == {
            rel: (e.reason, e.line, e.column) for rel, e in refused.items()
        }

        code, out, err = invoke("list", "--all", "--format", "json")
        assert code == 0, err
        records = {r["path"]: r for r in json.loads(out)}
        assert set(records) == {f"articles/{rel}" for rel in parsed}
        for rel, post in parsed.items():
            record = records[f"articles/{rel}"]
            assert (record["title"], record["date"], record["draft"]) == (
                post.title,
                post.date,
                post.draft,
            )
            assert (record["categories"], record["tags"]) == (post.categories, post.tags)

        code, out, err = invoke("check", "--format", "json")
        result = json.loads(out)
        assert result["checked"] == len(files)
        parse_errors = {
            d["path"]: d["message"] for d in result["diagnostics"] if d["rule"] == "parse"
        }
        assert parse_errors == {f"articles/{rel}": e.reason for rel, e in refused.items()}
        assert code == (1 if result["errors"] else 0), err
        assert "Traceback" not in err
    finally:
        os.chdir(cwd)
    for rel, data in files.items():
        assert (content / rel).read_bytes() == data
