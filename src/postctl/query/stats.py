"""The numbers behind ``postctl stats``: counts, words, reading time, readability, cadence.

Readability is computed once per content version (keyed by the file's hash) and kept in the
index, so a warm ``stats`` reads numbers only: while the sync parses, for a first ``stats`` of the
whole blog, else lazily for the posts selected. Syllables per word are kept per machine.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sqlite3
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from postctl.index import workers
from postctl.index.store import Index, transaction
from postctl.index.sync import Derivation
from postctl.parse.readtime import minutes as reading_minutes
from postctl.query.filters import Drafts, Query, count_sql
from postctl.query.readability import Scorer, Scores, WordCache, readable_text

if TYPE_CHECKING:
    from postctl.parse.post import Post

PARALLEL_SCORING = 64


@dataclass
class PostScore:
    path: str
    title: str
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    automated_readability_index: float
    slug: str


def read_body(index: Index, rel: str) -> str:
    from postctl.parse.post import body_of

    content = index.settings.content_dir
    return body_of(str(content / rel), index.settings.max_bytes, os.path.realpath(content))


# --------------------------------------------------------------------------- scoring
#
# One Scorer per process, started from the machine's word cache (readability.WordCache). It is
# prepared in the main process before worker processes are forked, so that each inherits the
# known words (and, when few are known, the CMU dictionary already loaded) instead of copies.

_KNOWN: dict[str, int] = {}
_SCORER: Scorer | None = None
_LEARNT: dict[str, int] = {}  # words counted since the scoring was prepared, for the cache


def _prepare_scoring(_conn: sqlite3.Connection | None, posts: int) -> None:
    """Load the known words. With none known (a first run on this machine) every worker would
    load the dictionary: load it once, here, to share. Otherwise a worker loads it only if it
    meets a word not known yet."""
    global _KNOWN, _SCORER
    _KNOWN = WordCache().load()
    _SCORER = None
    _LEARNT.clear()
    if posts >= PARALLEL_SCORING and not _KNOWN:
        Scorer().preload()


def score_body(body: str) -> tuple[Scores, dict[str, int]]:
    """A body's scores and the words this process learnt for them."""
    global _SCORER
    if _SCORER is None:
        _SCORER = Scorer(_KNOWN)
    _SCORER.new_words = {}
    return _SCORER.score(readable_text(body)), _SCORER.new_words


def score_post(post: Post) -> tuple[Scores, dict[str, int]]:
    return score_body(post.body)


def _store_scores(conn: sqlite3.Connection, rows: Sequence[tuple[Any, str, Any]]) -> None:
    """(anything, hash, (scores, words learnt)) → the readability table; the words are kept
    for :func:`_remember_words`."""
    conn.executemany(
        "INSERT OR REPLACE INTO readability VALUES (?, ?, ?, ?, ?)",
        [
            (
                h,
                s.flesch_reading_ease,
                s.flesch_kincaid_grade,
                s.automated_readability_index,
                s.sentences,
            )
            for _, h, (s, _) in rows
        ],
    )
    for _, _, (_, words) in rows:
        _LEARNT.update(words)


def _remember_words(_conn: sqlite3.Connection | None = None) -> None:
    """The words counted by this scoring into the machine's word cache, in one write."""
    WordCache().add(_LEARNT)
    _LEARNT.clear()


# Scored while the sync parses (the body is in hand, on every core): what a first `stats`
# over the whole blog wants. A filtered `stats` scores only its selection, afterwards.
READABILITY = Derivation(
    "readability", score_post, _store_scores, prepare=_prepare_scoring, finish=_remember_words
)


def derivations(query: Query) -> tuple[Derivation, ...]:
    """What the sync should compute for ``stats`` of this query."""
    narrowed = query.categories or query.tags or query.where or query.since or query.until
    return () if narrowed else (READABILITY,)


def _score_chunk(
    items: list[tuple[str, str]], max_bytes: int
) -> list[tuple[str, str, tuple[Scores, dict[str, int]]]]:
    from postctl.parse.post import body_of

    return [(path, h, score_body(body_of(path, max_bytes))) for h, path in items]


def ensure_readability(
    index: Index,
    posts: Sequence[tuple[str, str]],
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> dict[str, Scores]:
    """Scores for every (hash, path), by hash, computing and storing the missing ones."""
    conn = index.conn
    hashes = dict(posts)
    have: dict[str, Scores] = {}
    if not hashes:
        return have
    for h, fre, fkg, ari, sent in conn.execute(
        "SELECT hash, flesch_reading_ease, flesch_kincaid_grade, automated_readability_index, "
        "sentences FROM readability"
    ):
        if h in hashes:
            have[h] = Scores(fre, fkg, ari, sent)
    content = index.settings.content_dir
    missing = [(h, str(content / p)) for h, p in hashes.items() if h not in have]
    if not missing:
        return have
    if on_start:
        on_start(len(missing))
    _prepare_scoring(conn, len(missing))
    results = _score_all(missing, index.settings.max_bytes, progress)
    with transaction(conn):
        _store_scores(conn, results)
    _remember_words()
    have.update((h, scores) for _, h, (scores, _) in results)
    return have


def _score_all(
    items: list[tuple[str, str]],
    max_bytes: int,
    progress: Callable[[int], None] | None,
) -> list[tuple[str, str, tuple[Scores, dict[str, int]]]]:
    """Score files: (hash, path) → (path, hash, (scores, words learnt)), on every core when
    there are many."""
    results: list[tuple[str, str, tuple[Scores, dict[str, int]]]] = []
    work = functools.partial(_score_chunk, max_bytes=max_bytes)
    size = workers.chunk_size(len(items), per_core=4, smallest=16, largest=128)
    for part in workers.map_chunks(work, items, size, threshold=PARALLEL_SCORING):
        results.extend(part)
        if progress:
            progress(len(part))
    return results


def _bars(counter: Counter[str] | dict[str, int], top: int | None = None) -> list[dict[str, Any]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].lower(), kv[0]))
    if top is not None:
        items = items[:top]
    return [{"name": k, "posts": v} for k, v in items]


def _round(x: float) -> float:
    return round(x, 2)


# The columns stats reads, in this order (plain tuples: sqlite3.Row costs more than the rest).
_COLUMNS = (
    "posts.path, posts.title, posts.slug, posts.date, posts.words, posts.other_seconds, "
    "posts.hash, posts.categories = '[]'"
)


def compute(
    index: Index,
    query: Query,
    by: str = "month",
    top: int = 5,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Every number of ``postctl stats`` for the posts the query selects (stats has no --limit).

    Categories, tags and the draft count are counted by SQL over the selection; the rest reads
    one plain row per post (no record with decoded JSON: this runs over the whole blog)."""
    wpm = index.settings.wpm
    cur = index.conn.cursor()
    cur.row_factory = None
    sql, params = count_sql(query, _COLUMNS, wpm=wpm)
    rows = cur.execute(sql, params).fetchall()
    cats, tags, total, drafts, uncategorized = _counts(cur, query, rows, wpm)
    words = [r[4] for r in rows]
    minutes = [reading_minutes(r[4], r[5], wpm) for r in rows]
    cut = 7 if by == "month" else 4
    cadence = Counter(r[3][:cut] for r in rows if r[3])
    scores = ensure_readability(index, [(r[6], r[0]) for r in rows], progress, on_start)
    per_post = _post_scores(index.shown_content, rows, scores)
    fre = [p.flesch_reading_ease for p in per_post]
    longest, shortest = _extremes(index.shown_content, rows, minutes, top)
    return {
        "posts": len(rows),
        "published": total - drafts,
        "drafts": drafts,
        "words": {
            "total": sum(words),
            "average": _round(statistics.fmean(words)) if words else 0,
            "median": _round(statistics.median(words)) if words else 0,
        },
        "reading_minutes": {
            "total": sum(minutes),
            "average": _round(statistics.fmean(minutes)) if minutes else 0,
            "wpm": wpm,
        },
        "categories": _bars(cats),
        "tags": _bars(tags),
        "cadence": {"by": by, "periods": _fill_periods(cadence, by)},
        "longest": longest,
        "shortest": shortest,
        "readability": _readability_summary(per_post, fre, top),
        "uncategorized": uncategorized,
    }


def _counts(
    cur: sqlite3.Cursor, query: Query, rows: list[Any], wpm: int
) -> tuple[Counter[str], Counter[str], int, int, int]:
    """(posts per category, per tag, posts, drafts, posts without a category) of the
    selection, counted by SQL."""
    cats = _count_names(cur, query, "post_categories", wpm)
    uncategorized = sum(1 for r in rows if r[7])
    tags = _count_names(cur, query, "post_tags", wpm)
    count_query = dataclasses.replace(query, drafts=Drafts.ALL)
    total, drafts = cur.execute(
        *count_sql(count_query, "count(*), coalesce(sum(posts.draft), 0)", wpm=wpm)
    ).fetchone()
    if query.now is not None:  # scheduled posts not out yet (or any more) count as drafts
        out = dataclasses.replace(query, drafts=Drafts.PUBLISHED)
        drafts = total - cur.execute(*count_sql(out, wpm=wpm)).fetchone()[0]
    return cats, tags, total, drafts, uncategorized


def _post_scores(base: str, rows: list[Any], scores: dict[str, Scores]) -> list[PostScore]:
    return [
        PostScore(
            base + r[0],
            r[1] or r[2],
            _round(sc.flesch_reading_ease),
            _round(sc.flesch_kincaid_grade),
            _round(sc.automated_readability_index),
            r[2],
        )
        for r in rows
        if (sc := scores.get(r[6])) is not None and has_prose(sc)
    ]


def _extremes(
    base: str, rows: list[Any], minutes: list[int], top: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``top`` longest posts and the ``top`` shortest, by words (then path)."""
    by_words = sorted(range(len(rows)), key=lambda i: (-rows[i][4], rows[i][0]))

    def brief(i: int) -> dict[str, Any]:
        r = rows[i]
        return {
            "path": base + r[0],
            "title": r[1] or r[2],
            "words": r[4],
            "reading_minutes": minutes[i],
            "slug": r[2],
        }

    longest = [brief(i) for i in by_words[:top]]
    shortest = [brief(i) for i in reversed(by_words[-top:])] if by_words else []
    return longest, shortest


def has_prose(scores: Scores) -> bool:
    """Readability is a property of sentences: a page without one (a list of links, a table,
    only code) has no score, rather than the 0.0 that would rank it hardest to read."""
    return scores.sentences > 0


def _count_names(cur: sqlite3.Cursor, query: Query, table: str, wpm: int) -> Counter[str]:
    """How many selected posts carry each category (or tag), by the name as written."""
    sql, params = count_sql(query, "t.name, count(*)", f"{table} t JOIN posts USING (path)", wpm)
    return Counter(dict(cur.execute(sql + " GROUP BY t.name", params)))


def _fill_periods(cadence: Counter[str], by: str) -> list[dict[str, Any]]:
    """Every month (or year) from the first post to the last, empty ones included."""
    if not cadence:
        return []
    keys = sorted(cadence)
    out = []
    if by == "year":
        for y in range(int(keys[0]), int(keys[-1]) + 1):
            out.append({"period": str(y), "posts": cadence.get(str(y), 0)})
        return out
    y, m = int(keys[0][:4]), int(keys[0][5:7])
    end = (int(keys[-1][:4]), int(keys[-1][5:7]))
    while (y, m) <= end:
        key = f"{y:04d}-{m:02d}"
        out.append({"period": key, "posts": cadence.get(key, 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _readability_summary(per_post: list[PostScore], fre: list[float], top: int) -> dict[str, Any]:
    if not per_post:  # the same keys, empty: the JSON has one shape (see docs)
        return {
            "posts": 0,
            "flesch_reading_ease": None,
            "flesch_kincaid_grade": None,
            "automated_readability_index": None,
            "hardest": [],
            "easiest": [],
        }
    ordered = sorted(per_post, key=lambda p: (p.flesch_reading_ease, p.path))

    def mean(attr: str) -> float:
        return _round(statistics.fmean(getattr(p, attr) for p in per_post))

    return {
        "posts": len(per_post),
        "flesch_reading_ease": {
            "average": mean("flesch_reading_ease"),
            "min": min(fre),
            "max": max(fre),
            "stdev": _round(statistics.pstdev(fre)),
        },
        "flesch_kincaid_grade": {"average": mean("flesch_kincaid_grade")},
        "automated_readability_index": {"average": mean("automated_readability_index")},
        "hardest": [asdict(p) for p in ordered[:top]],
        "easiest": [asdict(p) for p in reversed(ordered[-top:])],
    }


def post_readability(index: Index, row: Any) -> dict[str, float | None]:
    """The post's three scores; None for each when it has no prose to score."""
    scores = ensure_readability(index, [(row["hash"], row["path"])])[row["hash"]]
    if not has_prose(scores):
        return dict.fromkeys(_SCORE_NAMES)
    return {
        "flesch_reading_ease": _round(scores.flesch_reading_ease),
        "flesch_kincaid_grade": _round(scores.flesch_kincaid_grade),
        "automated_readability_index": _round(scores.automated_readability_index),
    }


_SCORE_NAMES = ("flesch_reading_ease", "flesch_kincaid_grade", "automated_readability_index")
