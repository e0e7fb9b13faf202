"""Reading time: how long a Markdown body takes to read.

The rules (documented in docs/front-matter.md, pinned by ``tests/parse/test_readtime.py``):

* Front matter never counts: callers pass the body only.
* **Prose words** are whitespace-separated tokens holding at least one letter or digit, after
  Markdown syntax is stripped: link and image URLs, HTML tags and comments, heading and list
  markers, emphasis and table pipes. An inline code span is prose (it is read as a word or two).
  Prose reads at ``wpm`` words per minute (default 238, Brysbaert 2019, non-fiction).
* **CJK characters** (Han, Hiragana, Katakana, Hangul) are read one by one at 500 characters per
  minute and are not counted as words.
* **Code blocks** (fenced with backticks or tildes) are skimmed, not read: each non-blank line costs
  2 seconds. Their words are not prose words.
* **Images** cost 12 seconds for the first, one second less for each next one, never below 3
  seconds (Medium's rule).
* The total is rounded **up** to whole minutes, and is at least 1 minute.

This module is pure Python with no third-party imports, so that ``postctl reading-time`` and the
indexer pay nothing for it at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postctl.parse.speed import DEFAULT_WPM as DEFAULT_WPM  # re-exported
from postctl.parse.speed import minutes as minutes
from postctl.parse.speed import total_seconds as total_seconds
from postctl.parse.text import normalize

CJK_PER_MINUTE = 500
SECONDS_PER_CODE_LINE = 2.0
FIRST_IMAGE_SECONDS = 12
MIN_IMAGE_SECONDS = 3

# Patterns that start with a literal character: Python's re then skips ahead with a fast search.
_IMAGE = re.compile(r"!\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINK_URL = re.compile(r"\]\([^)]*\)")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>]*>")
# "1." is a token with a digit, so numbered-list markers are removed; "-", "*" and "+" are
# punctuation-only tokens, which never count as words anyway.
_NUMBERED_ITEM = re.compile(r"\n[ \t]*\d{1,9}[.)][ \t]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]\S*")  # a token with a letter or digit, counted from the first
# Fast word count for ASCII text (which most text is once common typographic punctuation, curly
# quotes and dashes, is removed): delete every byte that is neither a letter, a digit nor
# whitespace, so that a token without a letter or digit vanishes; turn whitespace (as \s sees it)
# into " " and the rest into "x"; count where a run of "x" starts. The same count as _WORD,
# with no regex and no list of tokens.
_ASCII_NOT_WORD = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c).isspace()))
WHITESPACE_CLASSES = bytes(32 if chr(c).isspace() else 120 for c in range(256))
_TYPOGRAPHIC = str.maketrans("", "", "‘’‚‛“”„‟–—―‐‑…•·′″«»‹›¡¿§¶†‡°±×÷€£¥©®™→←↑↓")


@dataclass(frozen=True, slots=True)
class ReadingTime:
    """The breakdown behind an estimate; ``other_seconds`` is everything but prose words."""

    words: int
    cjk_chars: int
    code_lines: int
    images: int
    other_seconds: float

    def seconds(self, wpm: int = DEFAULT_WPM) -> float:
        return total_seconds(self.words, self.other_seconds, wpm)

    def minutes(self, wpm: int = DEFAULT_WPM) -> int:
        return minutes(self.words, self.other_seconds, wpm)


def split_code(body: str) -> tuple[str, int]:
    """Return (the body without fenced code blocks, the number of non-blank code lines).

    A fence opens with three or more backticks or tildes (indented at most three spaces) and
    closes with a line of at least as many of the same character and nothing else; an unclosed
    fence runs to the end. Candidate fence lines are found in one regex pass that jumps from
    line break to line break (a line-anchored ``^`` would be tried at every character); the
    few candidates are then checked in order.
    """
    if "\r" in body and ("```" in body or "~~~" in body):
        body = normalize(body)
    parts: list[str] = []
    code_lines = 0
    pos = 0  # where the prose not yet kept starts
    fence: tuple[str, int, int] | None = None  # (char, run length, first code line) when open
    n = len(body)
    for m in _FENCE_LINE.finditer("\n" + body):
        indent, run, rest = m.groups()
        # In body coordinates: the line starts at m.start(); the next one at m.end() (or n).
        if fence is None:
            if len(indent) <= 3:
                parts.append(body[pos : m.start()])
                fence = (run[0], len(run), min(m.end(), n))
        elif run[0] == fence[0] and len(run) >= fence[1] and not rest.strip():
            code_lines += _non_blank(body[fence[2] : m.start()])
            pos = min(m.end(), n)
            fence = None
    if fence is not None:
        code_lines += _non_blank(body[fence[2] :])
    else:
        parts.append(body[pos:])
    return "\n".join(parts), code_lines


_FENCE_LINE = re.compile(r"\n([ \t]*)(`{3,}|~{3,})([^\n]*)")


def _non_blank(text: str) -> int:
    return len(list(filter(None, map(str.strip, text.split("\n")))))


def image_seconds(images: int) -> int:
    """Medium's rule: 12 s for the first image, one second less for each next, at least 3 s."""
    return sum(max(FIRST_IMAGE_SECONDS - i, MIN_IMAGE_SECONDS) for i in range(images))


def prose_text(prose: str) -> tuple[str, int]:
    """Strip Markdown syntax from code-free text; return (plain text, number of images)."""
    images = 0
    # The guards test one character first (memchr): an absent "<!--" costs 5.5 µs to rule out
    # in a 10 KB body, "<" 0.3 µs; see has_ref_colon.
    if "<" in prose and "<!--" in prose:
        prose = _HTML_COMMENT.sub(" ", prose)
    if "!" in prose and "![" in prose:
        prose, images = _IMAGE.subn(r" \1 ", prose)
    if "<" in prose and "<img" in prose.lower():
        prose, html_images = _HTML_IMAGE.subn(" ", prose)
        images += html_images
    if "](" in prose:
        prose = _LINK_URL.sub("] ", prose)
    if "<" in prose:
        prose = _AUTOLINK.sub(" ", prose)
        prose = _HTML_TAG.sub(" ", prose)
    if has_ref_colon(prose):
        prose = _REF_DEF.sub(" ", prose)
    prose = _NUMBERED_ITEM.sub("\n", "\n" + prose)[1:]
    return prose, images


def has_ref_colon(text: str) -> bool:
    """``"]:" in text``, found from each "]" (memchr): 2.5 µs against 8.1 µs for ``in`` a post
    of the bench corpus (~9 "]" in ~10 KB; best of 9), since a two-character needle is
    searched for character by character."""
    i = text.find("]")
    while i != -1:
        if text.startswith(":", i + 1):
            return True
        i = text.find("]", i + 1)
    return False


def ascii_word_count(text: str) -> int:
    """Tokens holding a letter or digit in ASCII text (as _WORD counts them), at C speed."""
    return count_runs(text.encode("ascii").translate(WHITESPACE_CLASSES, _ASCII_NOT_WORD))


def count_runs(classes: bytes) -> int:
    """The tokens of text classified by WHITESPACE_CLASSES: runs of "x" between spaces."""
    return classes.count(b" x") + classes.startswith(b"x")


def estimate(body: str) -> ReadingTime:
    """Measure a Markdown body (front matter already removed); see the module's rules."""
    prose, code_lines = split_code(body)
    text, images = prose_text(prose)
    if not text.isascii():
        plain = text.translate(_TYPOGRAPHIC)
        if plain.isascii():
            text = plain
    if text.isascii():
        cjk = 0
        words = ascii_word_count(text)
    else:
        cjk = len(_CJK.findall(text))
        if cjk:
            text = _CJK.sub(" ", text)
        words = len(_WORD.findall(text))
    other = cjk * 60.0 / CJK_PER_MINUTE + code_lines * SECONDS_PER_CODE_LINE + image_seconds(images)
    return ReadingTime(words, cjk, code_lines, images, round(other, 3))


def main() -> None:  # pragma: no cover - for writers: python -m postctl.parse.readtime
    import sys

    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as fh:
            text = fh.read()
        if text.startswith("---"):
            end = text.find("\n---", 3)
            text = text[end + 4 :] if end != -1 else text
        rt = estimate(text)
        print(
            f"{name}: {rt.minutes()} min ({rt.seconds():.0f} s; {rt.words} words, "
            f"{rt.code_lines} code lines, {rt.images} images)"
        )


if __name__ == "__main__":  # pragma: no cover
    main()
