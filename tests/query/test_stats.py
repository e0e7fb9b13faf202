"""`postctl stats`, `show` and `reading-time` on a small fixture folder: exact numbers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from conftest import Result, bump_mtime, post_text, write

Run = Callable[..., Result]

PROSE = "The cat sat on the mat. It was a sunny day and the cat purred. "


@pytest.fixture
def stats_blog(blog: Path) -> Path:
    write(
        blog / "articles/a.md",
        post_text("Alpha", "2025-01-05", tags=("redis", "caching"), body=PROSE * 20),
    )  # 300 words
    write(
        blog / "articles/b.md",
        post_text(
            "Beta", "2025-03-10", tags=("redis",), body=PROSE * 40 + "\n```\nx = 1\ny = 2\n```\n"
        ),
    )
    write(
        blog / "articles/c.md",
        post_text(
            "Gamma", "2024-11-30", category="Databases", tags=("postgresql",), body=PROSE * 4
        ),
    )
    write(
        blog / "articles/d.md", post_text("Delta", "2025-02-01", extra="draft: true\n", body=PROSE)
    )
    return blog


def test_stats_json_numbers(stats_blog: Path, run: Run) -> None:
    res = run("stats", "--format", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert (data["posts"], data["published"], data["drafts"]) == (3, 3, 1)
    assert data["words"] == {"total": 300 + 600 + 60, "average": 320.0, "median": 300}
    # 300/238 → 2 min; 600 words + 2 code lines (4 s) → 3 min; 60 words → 1 min
    assert data["reading_minutes"] == {"total": 6, "average": 2.0, "wpm": 238}
    assert data["categories"] == [
        {"name": "Performance", "posts": 2},
        {"name": "Databases", "posts": 1},
    ]
    assert data["tags"] == [
        {"name": "redis", "posts": 2},
        {"name": "caching", "posts": 1},
        {"name": "postgresql", "posts": 1},
    ]
    assert data["cadence"] == {
        "by": "month",
        "periods": [
            {"period": "2024-11", "posts": 1},
            {"period": "2024-12", "posts": 0},
            {"period": "2025-01", "posts": 1},
            {"period": "2025-02", "posts": 0},
            {"period": "2025-03", "posts": 1},
        ],
    }
    assert [p["title"] for p in data["longest"]] == ["Beta", "Alpha", "Gamma"]
    assert [p["title"] for p in data["shortest"]] == ["Gamma", "Alpha", "Beta"]
    r = data["readability"]
    assert r["posts"] == 3
    # the same prose everywhere: every post scores the same
    assert r["flesch_reading_ease"]["min"] == r["flesch_reading_ease"]["max"]
    assert r["flesch_reading_ease"]["stdev"] == 0
    assert set(r["hardest"][0]) == {
        "path",
        "title",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "automated_readability_index",
        "slug",  # added at the end (#18: top lists show the slug)
    }


def test_stats_readability_matches_textstat(
    stats_blog: Path, run: Run, textstat_mod: ModuleType
) -> None:
    from postctl.query.readability import readable_text

    textstat = textstat_mod
    data = json.loads(run("stats", "-f", "json", "--top", "1").stdout)
    expected = round(textstat.flesch_reading_ease(readable_text(PROSE * 4)), 2)
    assert data["readability"]["hardest"][0]["flesch_reading_ease"] == expected


def test_stats_filters_by_year_and_drafts(stats_blog: Path, run: Run) -> None:
    data = json.loads(run("stats", "--by", "year", "--all", "-f", "json").stdout)
    assert data["posts"] == 4
    assert data["cadence"]["periods"] == [
        {"period": "2024", "posts": 1},
        {"period": "2025", "posts": 3},
    ]
    data = json.loads(run("stats", "-c", "databases", "-f", "json").stdout)
    assert (data["posts"], data["words"]["total"]) == (1, 60)
    res = run("stats", "-c", "databse")
    assert res.exit_code == 1
    assert res.stderr == 'postctl: error: no category "databse"; did you mean "databases"?\n'


def test_stats_view_draws_panels(stats_blog: Path, run: Run) -> None:
    res = run("stats", env={"COLUMNS": "100"})
    out = res.stdout
    assert "3 posts  (3 published, 1 drafts in all)" in out
    assert "960 words  average 320, median 300" in out
    assert "Performance 2 ████████" in out
    # the cadence is a year × month heat-map (#18; it was a sparkline: "2024 ··········█· 1")
    assert "2024 ·· ·· ·· ·· ·· ·· ·· ·· ·· ·· ██ ··      1" in out
    assert "Flesch reading ease" in out
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_readability_is_cached_per_content_version(stats_blog: Path, run: Run) -> None:
    import sqlite3

    run("stats")  # a cold index: every post parsed is scored during the sync, the draft too
    db = sqlite3.connect(stats_blog / ".postctl/index.db")
    assert db.execute("SELECT count(*) FROM readability").fetchone()[0] == 4
    path = stats_blog / "articles/a.md"
    write(path, path.read_text() + "\nA brand new sentence appears here today.\n")
    bump_mtime(path)
    run("stats")
    assert db.execute("SELECT count(*) FROM readability").fetchone()[0] == 5  # old one kept


def test_words_counted_once_per_machine(
    stats_blog: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Syllable counts outlive the index: kept in the cache folder, keyed by the counting rules
    and the dictionary files; a broken cache file is replaced, an unwritable one ignored."""
    import sqlite3

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = tmp_path / "cache/postctl/syllables.sqlite"
    run("stats")
    words = dict(sqlite3.connect(cache).execute("SELECT word, n FROM syllables"))
    assert words["sunny"] == 2 and words["purred"] == 1 and "the" in words
    path = stats_blog / "articles/a.md"
    write(path, path.read_text() + "\nA marvellous unprecedented sentence.\n")
    bump_mtime(path)
    first = run("stats", "--format", "json").stdout
    now = dict(sqlite3.connect(cache).execute("SELECT word, n FROM syllables"))
    assert now["unprecedented"] == 5 and len(now) == len(words) + 3
    # another textstat (or dictionary) may count otherwise: its words start again
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE meta SET value = 'textstat 0.1' WHERE key = 'counted_by'")
        db.execute("UPDATE syllables SET n = 99")
    run("index", "--rebuild")
    assert run("stats", "--format", "json").stdout == first
    assert sqlite3.connect(cache).execute("SELECT max(n) FROM syllables").fetchone()[0] < 99
    cache.write_bytes(b"this is not a SQLite database, not even close" * 100)
    run("index", "--rebuild")
    assert run("stats", "--format", "json").stdout == first
    assert sqlite3.connect(cache).execute("SELECT count(*) FROM syllables").fetchone()[0] > 5
    cache.unlink()
    cache.mkdir()  # cannot be opened as a file: stats works without it
    run("index", "--rebuild")
    res = run("stats", "--format", "json")
    assert (res.exit_code, res.stdout, res.stderr) == (0, first, "")


def test_scored_during_the_sync_or_afterwards_alike(stats_blog: Path, run: Run) -> None:
    """A first stats scores while parsing; after a plain `index` (or with filters) it scores
    its selection afterwards: the same numbers either way."""
    import sqlite3

    during = json.loads(run("stats", "--format", "json").stdout)
    run("index", "--rebuild")
    db = sqlite3.connect(stats_blog / ".postctl/index.db")
    assert db.execute("SELECT count(*) FROM readability").fetchone()[0] == 0
    after = json.loads(run("stats", "--format", "json").stdout)
    assert after == during
    assert db.execute("SELECT count(*) FROM readability").fetchone()[0] == 3  # published only
    run("index", "--rebuild")
    picked = json.loads(run("stats", "--format", "json", "--tag", "redis").stdout)
    assert db.execute("SELECT count(*) FROM readability").fetchone()[0] == 2  # the selection
    assert picked["readability"]["hardest"] == [
        p
        for p in during["readability"]["hardest"]
        if p["path"] in ("articles/a.md", "articles/b.md")
    ]


def test_show_plain_and_json(stats_blog: Path, run: Run) -> None:
    res = run("show", "b")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "Beta"
    assert "path         articles/b.md" in lines
    assert "reading      3 min (600 words, 2 code lines, 0 images)" in lines
    assert "x = 1" in res.stdout
    data = json.loads(run("show", "articles/b.md", "-f", "json").stdout)
    assert data["slug"] == "b"
    assert data["metrics"]["words"] == 600
    assert data["metrics"]["reading_minutes"] == 3
    assert data["body"].startswith(PROSE)


def test_show_unknown_post(stats_blog: Path, run: Run) -> None:
    res = run("show", "alpah")
    assert res.exit_code == 1
    assert res.stderr == 'postctl: error: no post "alpah"; did you mean "a"?\n' or res.stderr == (
        'postctl: error: no post "alpah"\n'
    )


def test_reading_time_of_files_slugs_and_stdin(stats_blog: Path, run: Run) -> None:
    res = run("reading-time", "articles/b.md", "c", "-", "-f", "json", input="one two three")
    rows = json.loads(res.stdout)
    assert [(r["name"], r["minutes"], r["words"], r["code_lines"]) for r in rows] == [
        ("articles/b.md", 3, 600, 2),
        ("c", 1, 60, 0),
        ("-", 1, 3, 0),
    ]
    assert rows[0]["seconds"] == round(600 * 60 / 238 + 4, 1)
    res = run("--wpm", "100", "reading-time", "articles/a.md", "-f", "json")
    assert json.loads(res.stdout)[0]["minutes"] == 3
    res = run("reading-time", "articles/a.md", env={"TTY_COMPATIBLE": "1"})
    assert res.stdout.splitlines() == [
        "Post           Min  Seconds  Words  Code lines  Images  CJK",
        "articles/a.md    2       76    300           0       0    0",
    ]
    res = run("reading-time", "articles/a.md")  # piped: tab-separated, one line per post
    assert res.stdout == "articles/a.md\t2\t76\t300\t0\t0\t0\n"


def test_reading_time_errors(stats_blog: Path, run: Run) -> None:
    write(stats_blog / "bad.md", "---\ntitle: [x\n---\n")
    res = run("reading-time", "bad.md")
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: bad.md:3:1: invalid YAML front matter: did not find expected ',' or ']'\n"
    )
    res = run("reading-time", "nothing-like-this")
    assert res.exit_code == 1


def test_categories_and_tags_are_counted_over_the_selection(stats_blog: Path, run: Run) -> None:
    write(
        stats_blog / "articles/e.md",
        "---\ntitle: Epsilon\ndate: 2025-04-01\ntags: [caching, Caching]\n---\nPlain words.\n",
    )
    data = json.loads(run("stats", "--format", "json").stdout)
    # a post without a category is counted apart, not as a category named "(none)"
    assert data["categories"] == [
        {"name": "Performance", "posts": 2},
        {"name": "Databases", "posts": 1},
    ]
    assert data["uncategorized"] == 1
    # names as written: "Caching" and "caching" are two bars, tied, in a stable order
    assert data["tags"][:3] == [
        {"name": "caching", "posts": 2},
        {"name": "redis", "posts": 2},
        {"name": "Caching", "posts": 1},
    ]
    picked = json.loads(run("stats", "--format", "json", "--tag", "caching").stdout)
    assert picked["posts"] == 2
    assert picked["categories"] == [{"name": "Performance", "posts": 1}]
    assert picked["uncategorized"] == 1
    assert (picked["published"], picked["drafts"]) == (2, 0)
    drafts = json.loads(run("stats", "--format", "json", "--all").stdout)
    assert (drafts["posts"], drafts["published"], drafts["drafts"]) == (5, 4, 1)


def test_many_posts_scored_in_parallel_during_the_sync_or_afterwards_alike(
    blog: Path, run: Run
) -> None:
    words = "the quick brown fox jumps over a lazy dog while extraordinary circumstances unfold"
    vocab = words.split()
    for i in range(450):  # over PARALLEL_THRESHOLD: parsed and scored by worker processes
        sentences = [
            " ".join(vocab[(i + k + j) % len(vocab)] for j in range(3 + (i + k) % 9)).capitalize()
            + "."
            for k in range(5 + i % 7)
        ]
        write(blog / f"articles/p{i:03}.md", post_text(f"Post {i:03}", body=" ".join(sentences)))
    during = json.loads(run("stats", "--format", "json", "--top", "20").stdout)
    assert during["readability"]["posts"] == 450
    run("index", "--rebuild")
    after = json.loads(run("stats", "--format", "json", "--top", "20").stdout)
    assert after == during
    assert len({p["flesch_reading_ease"] for p in after["readability"]["hardest"]}) > 5
