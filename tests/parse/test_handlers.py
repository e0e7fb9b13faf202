"""Front matter on python-frontmatter's handler API (postctl.parse.handlers)."""

from __future__ import annotations

import frontmatter
import pytest

from postctl.errors import PostError
from postctl.parse import handlers
from postctl.parse.post import parse_text


def test_detection_goes_through_python_frontmatter() -> None:
    assert frontmatter.detect_format("---\ntitle: a\n---\n", handlers.HANDLERS) is handlers.YAML
    assert frontmatter.detect_format("+++\ntitle = 'a'\n+++\n", handlers.HANDLERS) is handlers.TOML
    assert frontmatter.detect_format('{"title": "a"}\n', handlers.HANDLERS) is handlers.JSON
    assert frontmatter.detect_format("{{< shortcode >}}\n", handlers.HANDLERS) is None
    assert frontmatter.detect_format("--- not a delimiter\n", handlers.HANDLERS) is None


@pytest.mark.parametrize("opening", ["----", "-----", "---"])
@pytest.mark.parametrize("closing", ["----", "---", "------  "])
def test_more_than_three_dashes_delimit_yaml(opening: str, closing: str) -> None:
    post = parse_text("p.md", f"{opening}\ntitle: Four\ntags: [a]\n{closing}\nThe body.\n")
    assert post.fm_format == "yaml"
    assert post.title == "Four"
    assert post.tags == ["a"]
    assert post.body == "The body.\n"
    assert post.body_line == 5


def test_more_than_three_pluses_delimit_toml() -> None:
    post = parse_text("p.md", '++++\ntitle = "T"\n++++\nbody\n')
    assert (post.fm_format, post.title, post.body) == ("toml", "T", "body\n")


def test_four_dashes_in_the_body_do_not_close_early() -> None:
    post = parse_text("p.md", "---\ntitle: A\n---\nintro\n\n----\n\nmore\n")
    assert post.body == "intro\n\n----\n\nmore\n"


def test_library_parse_with_our_handler_stays_strict() -> None:
    """python-frontmatter's parse() returns empty metadata for these; through postctl's
    handlers they raise instead, with the line."""
    with pytest.raises(PostError) as unclosed:
        frontmatter.parse("---\ntitle: a\n\nbody\n", handler=handlers.YAML)
    assert (unclosed.value.reason, unclosed.value.line) == (
        "front matter opened with '---' is never closed",
        1,
    )
    with pytest.raises(PostError) as listed:
        frontmatter.parse("---\n- a\n- b\n---\nbody\n", handler=handlers.YAML)
    assert listed.value.line == 2
    assert "front matter is a list" in listed.value.reason
    meta, content = frontmatter.parse("---\ntitle: a\n---\nbody\n", handler=handlers.YAML)
    assert (meta, content) == ({"title": "a"}, "body")


def test_library_loads_reads_toml_and_json_without_the_toml_package() -> None:
    post = frontmatter.loads('+++\ntitle = "T"\n+++\nbody', handler=handlers.TOML)
    assert post.metadata == {"title": "T"}
    post = frontmatter.loads('{"title": "J"}\nbody', handler=handlers.JSON)
    assert post.metadata == {"title": "J"}
    assert post.content == "body"


def test_split_keeps_positions() -> None:
    cut = handlers.split_front_matter("p.md", "----\na: 1\nb: 2\n...\nbody\n")
    assert cut == handlers.Split("yaml", "a: 1\nb: 2\n", "body\n", 5)
    loaded = handlers.load("p.md", cut)
    assert loaded.key_lines == {"a": 2, "b": 3}


def test_export_keeps_key_order_and_quotes_strings() -> None:
    import datetime as dt

    post = frontmatter.Post(
        "\nbody\n", title='Say "hi"', date=dt.date(2026, 1, 2), tags=["a", "b"], draft=False
    )
    text = frontmatter.dumps(post, handler=handlers.YAML)
    assert text == (
        '---\ntitle: "Say \\"hi\\""\ndate: 2026-01-02\ntags: ["a", "b"]\ndraft: false\n---\n'
        "\nbody\n"
    )
    back = parse_text("p.md", text)
    assert (back.title, back.date, back.tags, back.draft) == (
        'Say "hi"',
        "2026-01-02",
        ["a", "b"],
        False,
    )
