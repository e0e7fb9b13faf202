"""Property tests: whatever a file holds, the parser answers with a Post or a PostError."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.errors import PostError
from postctl.parse.post import Post, parse_post, parse_text

FAST = settings(max_examples=200, deadline=None)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    # One directory for all examples (hypothesis would reuse a function-scoped tmp_path anyway).
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def parse_bytes(workdir: Path, data: bytes) -> Post | None:
    path = workdir / "post.md"
    path.write_bytes(data)
    try:
        return parse_post(path, display="post.md")
    except PostError as e:
        assert e.path == "post.md"
        assert str(e).startswith("post.md")
        assert e.reason
        assert e.line is None or e.line >= 1
        assert e.column is None or (e.line is not None and e.column >= 1)
        return None


def check_post(post: Post) -> None:
    assert post.body_line >= 1
    assert post.fm_format in ("yaml", "toml", "json", "none")
    assert post.words >= 0 and post.other_seconds >= 0
    assert post.reading_minutes() >= 1
    for problem in post.problems:
        assert problem.message
        assert problem.severity in ("error", "warning")


# Bytes that look like the start of a post more often than uniform noise would.
PREFIXES = st.sampled_from(
    [b"", b"---\n", b"+++\n", b"{", b"\xef\xbb\xbf---\n", b"---\r\n", b"---\ntitle: x\n---\n"]
)


@FAST
@given(prefix=PREFIXES, data=st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_post_error(workdir: Path, prefix: bytes, data: bytes) -> None:
    post = parse_bytes(workdir, prefix + data)
    if post is not None:
        check_post(post)


FRAGMENT = st.text(
    alphabet=st.sampled_from(
        [*"abcxyz019 :-,.'\"[]{}&*!|>#?%@`~\\\n\t", "\u00e9", "\u4e2d", "\ufeff", "\r"]
    ),
    max_size=40,
)
KEY_WORDS = ["title", "date", "updated", "lastmod", "tags", "categories", "category", "draft"]
KEY_WORDS += ["published", "slug", "summary", "author", "on", "1", "content", "x", "<<"]
VALUE_WORDS = ["no", "yes", "12:30", "0777", "1.10", "2026-13-45", "2016-10-06", "~", "|", ">"]
VALUE_WORDS += ["2016-10-06 11:10:38 -0700", "2016-10-06T11:10:38Z", "[a, b]", "{a: 1}", "&a x"]
VALUE_WORDS += ["*a", "!!binary aGk=", "!!set {a}", "!!python/object:os.system", "'q'", '"q"']
WORDS = st.text(alphabet="abcxyz019 -\u00e9\u4e2d", min_size=1, max_size=20)
KEYS_ISH = st.sampled_from(KEY_WORDS) | WORDS
VALUES_ISH = st.sampled_from(VALUE_WORDS) | WORDS | FRAGMENT


def entry(key: str, value: str, items: list[str]) -> str:
    """A top-level ``key: value`` line, or ``key:`` and a block list."""
    if items:
        return f"{key}:" + "".join(f"\n  - {item}" for item in items)
    return f"{key}: {value}"


def with_noise(entries: list[str], noise: str | None, at: int) -> str:
    if noise is not None:
        entries.insert(min(at, len(entries)), noise)
    return "\n".join(entries)


ENTRY = st.builds(entry, KEYS_ISH, VALUES_ISH, st.lists(VALUES_ISH, max_size=3))
# Mostly well-formed "key: value" entries (so that many examples get past the YAML parser to the
# normalizing code), sometimes with one line of noise.
YAMLISH = st.builds(
    with_noise, st.lists(ENTRY, max_size=6), st.none() | FRAGMENT, st.integers(0, 6)
)


@FAST
@given(front=YAMLISH, body=st.text(max_size=100))
def test_yamlish_front_matter_raises_only_post_error(workdir: Path, front: str, body: str) -> None:
    text = "---\n" + front + "\n---\n" + body
    post = parse_bytes(workdir, text.encode("utf-8"))
    if post is not None:
        check_post(post)
        assert post.fm_format in ("yaml", "none")


@FAST
@given(front=YAMLISH)
def test_parse_text_agrees_with_parse_post(workdir: Path, front: str) -> None:
    text = "---\n" + front + "\n---\nBody\n"
    try:
        expected: Post | str = parse_text("post.md", text)
    except PostError as e:
        expected = str(e)
    path = workdir / "post.md"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        got: Post | str = parse_post(path, display="post.md")
    except PostError as e:
        got = str(e)
    assert got == expected


KEYS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=8,
)


@FAST
@given(meta=st.dictionaries(KEYS, VALUES, max_size=6), title=st.none() | st.text(max_size=40))
def test_safe_dumped_front_matter_parses(
    workdir: Path, meta: dict[str, Any], title: str | None
) -> None:
    if title is not None:
        meta["title"] = title
    dumped = yaml.safe_dump(meta, allow_unicode=True)
    post = parse_bytes(workdir, ("---\n" + dumped + "---\nBody text.\n").encode("utf-8"))
    assert post is not None, "safe_dump output must parse"
    check_post(post)
    if isinstance(meta.get("title"), str):
        # Compared with what PyYAML itself reads back: its emitter folds a NEL (U+0085) inside
        # a quoted scalar into a space, so "0\x850" does not survive safe_dump + safe_load.
        reread = yaml.safe_load(dumped)["title"]
        assert post.title == reread.strip()
        if "\x85" not in meta["title"]:
            assert post.title == meta["title"].strip()
    assert set(post.key_lines) == set(meta)
    assert set(post.extra) <= set(meta) - {"title"}
    assert post.words == 2
