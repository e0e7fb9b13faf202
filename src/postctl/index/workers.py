"""Work over many files on every core: forked worker processes, chunk by chunk, in order.

Used by the sync (parsing), ``stats`` (readability of posts already indexed) and ``search``
(text of posts already indexed). Fork, not spawn: the workers start at once and inherit what the
parent prepared (the known words, the loaded dictionary), which is why the parent's objects are
frozen out of the workers' garbage collector while they run (gc.freeze: a collection in a worker
would otherwise walk, and so copy page by page, the whole inherited heap).
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from typing import TypeVar

IN_FLIGHT = 16  # chunks submitted ahead, per core
Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    return min(os.cpu_count() or 1, 8)


def chunk_size(items: int, per_core: int, smallest: int, largest: int) -> int:
    """About ``per_core`` chunks a core (for even load), within [smallest, largest]."""
    return max(smallest, min(largest, items // (cores() * per_core)))


def map_chunks(
    work: Callable[[list[Item]], list[Result]],
    items: list[Item],
    size: int,
    threshold: int,
) -> Iterator[list[Result]]:
    """``work`` over consecutive chunks of ``size`` items; yields each chunk's results, in order,
    as soon as it is ready. In worker processes when there are ``threshold`` items or more (and
    a second core, and fork), else in this process. ``work`` must be picklable (a module-level
    function, or a functools.partial of one)."""
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    if len(items) < threshold or cores() < 2 or not hasattr(os, "fork"):
        yield from map(work, chunks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=cores(), mp_context=context) as pool:
            # Some chunks in flight per core, not all of them: when the caller is slower than
            # the workers (building a full-text index), finished chunks would pile up in memory
            # (336 MB at 50k posts). Too few and the workers pace the caller, competing with it
            # for the cores the whole time: 4 a core made a first search 10 % slower than 16.
            waiting = iter(chunks)
            running = deque(pool.submit(work, c) for c in islice(waiting, cores() * IN_FLIGHT))
            while running:
                done = running.popleft().result()
                for chunk in islice(waiting, 1):
                    running.append(pool.submit(work, chunk))
                yield done
    finally:
        gc.unfreeze()
