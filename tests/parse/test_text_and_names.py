"""The one text normalisation and the one "did you mean"."""

from __future__ import annotations

from postctl.parse.names import did_you_mean
from postctl.parse.text import normalize


def test_normalize_drops_the_bom_and_unifies_line_ends() -> None:
    assert normalize("\ufeff---\r\na: 1\rb\n") == "---\na: 1\nb\n"
    assert normalize("a\ufeffb") == "a\ufeffb"  # only a leading BOM is one


def test_did_you_mean_compares_folded_and_returns_the_candidate() -> None:
    assert did_you_mean("cafe ops", ["Café Ops", "Databases"]) == "Café Ops"
    assert did_you_mean("zzz", ["Café Ops", "Databases"]) is None
    assert did_you_mean("titel", ["time", "title"], cutoff=0.75, key=str) == "title"
