"""Golden tests: every post in tests/parse/fixtures/ against the ``<name>.expected.json`` beside it.

The golden files hold what the parser makes of each front-matter variant: the Post's fields except
``body``. Regenerate: ``POSTCTL_REGEN=1 pytest tests/parse/test_parser_fixtures.py``, then read
every changed golden file: a golden file is only worth something once a person has checked it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from postctl.parse.names import MARKDOWN_SUFFIXES
from postctl.parse.post import parse_post

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
GOLDEN_SUFFIX = ".expected.json"
REGEN = os.environ.get("POSTCTL_REGEN") == "1"


def post_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in MARKDOWN_SUFFIXES)


def golden_path(post: Path) -> Path:
    return post.with_name(post.name + GOLDEN_SUFFIX)


def parsed(post: Path) -> dict[str, Any]:
    """The parse result as plain JSON data; the path shown is the bare file name."""
    result = dataclasses.asdict(parse_post(post, display=post.name))
    del result["body"]
    # Through JSON, so tuples become lists and the comparison sees what a golden file can hold.
    data: dict[str, Any] = json.loads(json.dumps(result, allow_nan=False))
    return data


def write_golden(post: Path) -> None:
    text = json.dumps(parsed(post), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    golden_path(post).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("post", post_files(), ids=lambda p: p.name)
def test_golden(post: Path) -> None:
    if REGEN:
        write_golden(post)
    golden = golden_path(post)
    assert golden.exists(), f"no golden file; run POSTCTL_REGEN=1 pytest {__file__}"
    assert parsed(post) == json.loads(golden.read_text(encoding="utf-8"))


def test_no_orphan_golden_files() -> None:
    posts = {p.name for p in post_files()}
    goldens = {p.name.removesuffix(GOLDEN_SUFFIX) for p in FIXTURES.glob("*" + GOLDEN_SUFFIX)}
    assert goldens == posts


def test_line_ending_fixtures_keep_their_bytes() -> None:
    """Guard against a checkout that rewrites line endings (see fixtures/parse/.gitattributes)."""
    assert (FIXTURES / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---\n")
    crlf = (FIXTURES / "crlf.md").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") == 7
    cr = (FIXTURES / "cr.md").read_bytes()
    assert b"\n" not in cr and cr.count(b"\r") == 7
