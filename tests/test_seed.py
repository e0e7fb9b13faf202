"""The shipped articles reproduce the blog's real Performance page (../shared/seed/)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Result

Run = Callable[..., Result]
SEED_DIR = ROOT.parent / "shared" / "seed"
META = re.compile(r"([A-Z][a-z]+ \d{1,2}, \d{4})·(\d+) min read")


def _seed() -> tuple[str, str, list[dict[str, Any]]]:
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not files:
        pytest.skip(f"the seed page is not beside this checkout ({SEED_DIR})")
    lines = files[0].read_text(encoding="utf-8").splitlines()
    heading, count, rest = lines[0], lines[1], "\n".join(lines[2:])
    cards = []
    parts = META.split(rest)  # text, date, minutes, text, date, minutes, ..., tail
    for i in range(0, len(parts) - 2, 3):
        title, summary = parts[i].strip("\n").split("\n", 1)
        date = dt.datetime.strptime(parts[i + 1], "%B %d, %Y").date().isoformat()
        cards.append(
            {"title": title, "summary": summary.strip(), "date": date, "minutes": int(parts[i + 2])}
        )
    return heading, count, cards


@pytest.fixture
def repo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("POSTCTL_DB", str(tmp_path / "index.db"))
    return ROOT


def test_list_reproduces_the_seed_page(repo: Path, run: Run) -> None:
    heading, count, cards = _seed()
    assert len(cards) == 17
    res = run("list", "--category", "performance", "--format", "json")
    assert res.exit_code == 0, res.stderr
    got = [(r["title"], r["date"], r["reading_minutes"]) for r in json.loads(res.stdout)]
    assert got == [(c["title"], c["date"], c["minutes"]) for c in cards]
    page = run("list", "--category", "performance", env={"COLUMNS": "200"}).stdout.splitlines()
    assert page[:2] == [heading, count]
    for card in cards:
        d = dt.date.fromisoformat(card["date"])
        assert f"{d:%B} {d.day}, {d.year} · {card['minutes']} min read" in page


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]


def test_no_sentence_is_copied_from_the_seed_summaries(repo: Path) -> None:
    _, _, cards = _seed()
    texts = {p.name: p.read_text(encoding="utf-8") for p in (repo / "articles").glob("*.md")}
    for card in cards:
        for sentence in _sentences(card["summary"]):
            for name, text in texts.items():
                assert sentence not in text, f"{name} copies the seed: {sentence!r}"


def test_articles_check_clean(repo: Path, run: Run) -> None:
    res = run("check", "--strict")
    assert res.exit_code == 0, res.stdout + res.stderr
