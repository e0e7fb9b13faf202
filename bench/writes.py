"""How the index writes rows: ``executemany`` against sqlite-utils' ``insert_all``.

    python bench/generate.py 1000 /tmp/corpus && python bench/writes.py /tmp/corpus

Parses the corpus once, then writes its post, category and tag rows into a new index five times
each way, one transaction per run, and prints the best time of each (index/schema.py cites it).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from postctl.index import schema
from postctl.index.scan import parse_file, scan
from postctl.index.store import transaction
from postctl.index.sync import _INSERT_POST

Rows = tuple[list[Any], list[Any], list[Any]]


def rows_of(corpus: Path) -> Rows:
    found = scan(corpus)
    parsed = [parse_file(a, r, 1 << 30) for r, (a, _, _) in found.files.items()]
    posts = [p for kind, p in parsed if kind == "post"]
    return [p[0] for p in posts], [c for p in posts for c in p[1]], [t for p in posts for t in p[2]]


def with_executemany(conn: sqlite3.Connection, rows: Rows) -> None:
    posts, cats, tags = rows
    conn.executemany(_INSERT_POST, posts)
    conn.executemany("INSERT INTO post_categories VALUES (?, ?, ?)", cats)
    conn.executemany("INSERT INTO post_tags VALUES (?, ?, ?)", tags)


def with_insert_all(conn: sqlite3.Connection, rows: Rows) -> None:
    import sqlite_utils

    posts, cats, tags = rows
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    db.table("posts").insert_all(
        (dict(zip(schema.POST_COLUMNS, p, strict=True)) for p in posts), replace=True
    )
    for name, names in (("post_categories", cats), ("post_tags", tags)):
        db.table(name).insert_all({"path": a, "name": b, "slug": c} for a, b, c in names)


def best_of(write: Callable[[sqlite3.Connection, Rows], None], rows: Rows, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            conn = sqlite3.connect(Path(tmp, "index.db"), isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            with transaction(conn):
                schema.create(conn)
            start = time.perf_counter()
            with transaction(conn):
                write(conn, rows)
            best = min(best, time.perf_counter() - start)
            conn.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    rows = rows_of(parser.parse_args().corpus)
    import sqlite_utils  # noqa: F401 - imported before timing: its import is measured apart

    print(f"{len(rows[0])} posts, {len(rows[1]) + len(rows[2])} category and tag rows")
    for write in (with_executemany, with_insert_all):
        print(f"{write.__name__:18} {best_of(write, rows) * 1000:7.1f} ms (best of 5)")


if __name__ == "__main__":
    main()
