"""Pins each reading-time rule in the docstring of postctl.parse.readtime, one text at a time."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.parse.post import parse_text
from postctl.parse.readtime import (
    _WORD,
    CJK_PER_MINUTE,
    DEFAULT_WPM,
    ReadingTime,
    ascii_word_count,
    estimate,
    has_ref_colon,
    image_seconds,
    minutes,
    split_code,
    total_seconds,
)


def words(body: str) -> int:
    return estimate(body).words


# --------------------------------------------------------------------------- prose words


def test_default_speed_is_238_words_per_minute() -> None:
    assert DEFAULT_WPM == 238
    assert CJK_PER_MINUTE == 500


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", 0),
        ("Hello world", 2),
        ("  Hello\n\n\tworld  \n", 2),
        ("It's a well-known fact, e.g. 42.", 6),
        ("2024 was 1 year", 4),
        ("Café naïve Ünïcode", 3),
        ("— - -- ... | * ___ !? ()", 0),  # tokens without a letter or digit
        ("snake_case and __dunder__", 3),
    ],
)
def test_prose_words_are_tokens_with_a_letter_or_digit(body: str, expected: int) -> None:
    assert words(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[a link](https://example.com/a/very/long/path?query=1)", 2),
        ("see [the docs][ref] now", 4),
        ("[ref]: https://example.com/docs 'The docs'\nword", 1),
        ("<https://example.com/path> ok", 1),
        ("<mailto:someone@example.com> ok", 1),
        ('<span class="note">hi</span> <br/> <div\n  id="x">there</div>', 2),
        ("before <!-- a comment\nover two lines --> after", 2),
        ("# Title\n## Sub title\n###### Six", 4),
        ("- one\n* two\n+ three\n1. four\n23) five", 5),
        ("  - nested item", 2),
        ("**bold** _italic_ ***both*** ~~struck~~", 4),
        ("| a | b |\n|---|:---:|\n| c | d |", 4),
        ("> quoted words", 2),
        ("---\n\n***\n\n___", 0),  # thematic breaks
    ],
)
def test_markdown_syntax_is_stripped(body: str, expected: int) -> None:
    assert words(body) == expected


def test_link_text_counts_and_url_does_not() -> None:
    long_url = "https://example.com/" + "/".join(["segment"] * 50)
    assert words(f"[two words]({long_url})") == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("call `parse()` first", 3),
        ("run `make test` now", 4),
        ("`x`", 1),
        ("``code with ` backtick``", 3),  # the lone ` is no word
    ],
)
def test_inline_code_is_prose(body: str, expected: int) -> None:
    rt = estimate(body)
    assert (rt.words, rt.code_lines, rt.other_seconds) == (expected, 0, 0.0)


# --------------------------------------------------------------------------- code blocks


def test_fenced_code_costs_two_seconds_per_non_blank_line() -> None:
    body = "Intro words here\n\n```python\nimport os\n\nprint(os.getcwd())\n   \n```\n\nAfter"
    rt = estimate(body)
    assert (rt.words, rt.code_lines, rt.other_seconds) == (4, 2, 4.0)


def test_words_in_code_are_not_prose() -> None:
    code = "\n".join(f"word{i} = another_word + yet_another" for i in range(10))
    rt = estimate(f"```\n{code}\n```\n")
    assert (rt.words, rt.code_lines, rt.other_seconds) == (0, 10, 20.0)


def test_tilde_fences() -> None:
    rt = estimate("~~~ sh\necho one\necho two\n~~~\nprose")
    assert (rt.words, rt.code_lines) == (1, 2)


def test_a_backtick_fence_does_not_close_a_tilde_fence() -> None:
    rt = estimate("~~~\n```\ninside\n```\n~~~\nprose")
    assert (rt.words, rt.code_lines) == (1, 3)


def test_a_shorter_fence_does_not_close_a_longer_one() -> None:
    rt = estimate("````md\n```\ninside\n```\n````\nprose")
    assert (rt.words, rt.code_lines) == (1, 3)


def test_a_longer_fence_closes() -> None:
    rt = estimate("```\ncode\n`````\nprose")
    assert (rt.words, rt.code_lines) == (1, 1)


def test_an_unclosed_fence_runs_to_the_end() -> None:
    rt = estimate("prose\n```\ncode one\ncode two\n")
    assert (rt.words, rt.code_lines) == (1, 2)


def test_fence_indented_up_to_three_spaces() -> None:
    assert estimate("   ```\ncode\n   ```\n").code_lines == 1
    # Four spaces make an indented code block, which is not a fence: its text is prose here.
    assert estimate("    ```\ncode\n").code_lines == 0


def test_code_blocks_with_crlf_line_endings() -> None:
    rt = estimate("```\r\nx = 1\r\n\r\ny = 2\r\n```\r\nprose\r\n")
    assert (rt.words, rt.code_lines) == (1, 2)


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize(
    ("count", "seconds"),
    [(0, 0), (1, 12), (2, 23), (3, 33), (9, 72), (10, 75), (11, 78), (12, 81), (20, 105)],
)
def test_images_cost_12_then_one_second_less_never_below_3(count: int, seconds: int) -> None:
    assert image_seconds(count) == seconds


def test_image_kinds_are_counted() -> None:
    body = '![alt](a.png) ![](b.png "title") ![ref image][r]\n<img src="c.png">\n<IMG SRC=d>'
    rt = estimate(body)
    assert rt.images == 5
    assert rt.other_seconds == 12 + 11 + 10 + 9 + 8


def test_image_alt_text_is_prose_and_url_is_not() -> None:
    rt = estimate("![a cat on a mat](https://example.com/images/cat.png)")
    assert (rt.words, rt.images, rt.other_seconds) == (5, 1, 12.0)


def test_images_inside_code_are_not_images() -> None:
    rt = estimate("```md\n![alt](a.png)\n```\n")
    assert (rt.images, rt.code_lines, rt.other_seconds) == (0, 1, 2.0)


# --------------------------------------------------------------------------- CJK


@pytest.mark.parametrize(
    "text",
    ["漢字", "ひら", "カタ", "한글", "\uf900\uf901"],
    ids=["han", "hiragana", "katakana", "hangul", "compatibility"],
)
def test_cjk_scripts_count_as_characters(text: str) -> None:
    rt = estimate(text)
    assert (rt.words, rt.cjk_chars, rt.other_seconds) == (0, 2, 0.24)


def test_cjk_reads_at_500_characters_per_minute() -> None:
    assert estimate("字" * 500).other_seconds == 60.0
    assert estimate("字" * 500).minutes() == 1
    assert estimate("字" * 501).minutes() == 2


def test_cjk_mixed_with_latin_words() -> None:
    rt = estimate("Python是一种编程语言 and more")
    assert (rt.words, rt.cjk_chars) == (3, 7)


def test_fullwidth_punctuation_is_neither_word_nor_cjk() -> None:
    rt = estimate("。、「」")
    assert (rt.words, rt.cjk_chars) == (0, 0)


# --------------------------------------------------------------------------- totals


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, 1), (1, 1), (237, 1), (238, 1), (239, 2), (476, 2), (477, 3), (2380, 10)],
)
def test_minutes_round_up_with_a_minimum_of_one(n: int, expected: int) -> None:
    assert estimate("word " * n).minutes() == expected
    assert minutes(n, 0.0) == expected


def test_code_images_and_cjk_add_to_prose() -> None:
    # 119 words = 30 s, 15 code lines = 30 s: exactly one minute; one more code line tips it.
    prose = "word " * 119
    assert estimate(prose + "\n```\n" + "x\n" * 15 + "```\n").minutes() == 1
    assert estimate(prose + "\n```\n" + "x\n" * 16 + "```\n").minutes() == 2
    # Four images = 12 + 11 + 10 + 9 = 42 s; with 119 + 4 (alt text) words that is 73 s → 2 min.
    rt = estimate(prose + "![a](1.png) ![b](2.png) ![c](3.png) ![d](4.png)")
    assert (rt.words, rt.other_seconds) == (123, 42.0)
    assert rt.seconds() == pytest.approx(42.0 + 123 * 60 / 238)
    assert rt.minutes() == 2


def test_float_noise_does_not_round_up() -> None:
    # 0.1 s steps that sum to exactly 60 s in decimal but not in binary floating point
    assert minutes(0, sum([0.1] * 600)) == 1


def test_wpm_parameter() -> None:
    rt = estimate("word " * 200)
    assert rt.minutes() == 1
    assert rt.minutes(wpm=100) == 2
    assert rt.minutes(wpm=1000) == 1
    assert rt.seconds(wpm=100) == 120.0
    assert minutes(200, 0.0, wpm=199) == 2
    assert total_seconds(200, 5.0, wpm=200) == 65.0


@pytest.mark.parametrize("wpm", [0, -1])
def test_wpm_must_be_positive(wpm: int) -> None:
    with pytest.raises(ValueError, match="words per minute must be positive"):
        estimate("word").minutes(wpm=wpm)


def test_reading_time_breakdown() -> None:
    rt = estimate("Two words\n\n```\ncode\n```\n![i](i.png)\n字")
    assert rt == ReadingTime(words=3, cjk_chars=1, code_lines=1, images=1, other_seconds=14.12)


# --------------------------------------------------------------------------- front matter


def test_front_matter_is_the_callers_job() -> None:
    text = "---\ntitle: Many words in a long title here\ntags: [a, b, c]\n---\nOne body word\n"
    # estimate() is given the body only; handed a whole file it would count the front matter.
    assert words(text) > 3
    post = parse_text("post.md", text)
    assert (post.words, post.body) == (3, "One body word\n")
    assert post.reading_minutes() == 1
    assert post.reading_minutes(wpm=1) == 3


def test_post_carries_the_breakdown() -> None:
    post = parse_text("post.md", "+++\ntitle = 'T'\n+++\n字字 words\n```\ncode\n```\n![x](x.png)\n")
    assert (post.words, post.cjk_chars, post.code_lines, post.images) == (2, 2, 1, 1)
    assert post.other_seconds == pytest.approx(0.24 + 2 + 12)


# --------------------------------------------------------------------------- fast paths


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_word_count_counts_what_the_word_pattern_finds(text: str) -> None:
    assert ascii_word_count(text) == len(_WORD.findall(text))


def _fences_by_lines(body: str) -> tuple[list[str], int]:
    """The fence rules of the module docstring, applied line by line: (prose words, code lines)."""
    prose: list[str] = []
    code = 0
    fence: tuple[str, int] | None = None
    for line in body.split("\n"):
        if fence is None:
            m = re.match(r"([ \t]*)(`{3,}|~{3,})", line)
            if m and len(m.group(1)) <= 3:
                fence = (m.group(2)[0], len(m.group(2)))
            else:
                prose.extend(line.split())
            continue
        m = re.fullmatch(r"[ \t]*(`{3,}|~{3,})\s*", line)
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1]:
            fence = None
        elif line.strip():
            code += 1
    return prose, code


_FENCE_LINES = st.sampled_from(
    [
        "```",
        "````",
        "```py",
        "~~~",
        "~~~~",
        "   ```",
        "    ```",
        " ~~~ ",
        "\t```",
        "a ```",
        "``",
        "",
    ]
)
_TEXT_LINES = st.text(alphabet=" \t`~ab", max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_FENCE_LINES, _TEXT_LINES), max_size=30))
def test_split_code_follows_the_fence_rules_line_by_line(lines: list[str]) -> None:
    body = "\n".join(lines)
    prose, code_lines = split_code(body)
    expected_prose, expected_code = _fences_by_lines(body)
    assert (prose.split(), code_lines) == (expected_prose, expected_code)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="]:[ a\n", max_size=40))
def testhas_ref_colon_is_the_substring_test(text: str) -> None:
    assert has_ref_colon(text) == ("]:" in text)
