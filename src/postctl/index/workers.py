"""Work over many files on every core: forked worker processes, chunk by chunk, in order.

Used by the sync (parsing), ``stats`` (readability of posts already indexed) and ``search``
(text of posts already indexed). Fork, not spawn: the workers start at once and inherit what the
parent prepared (the known words, the loaded dictionary), which is why the parent's objects are
frozen out of the workers' garbage collector while they run (gc.freeze: a collection in a worker
would otherwise walk, and so copy page by page, the whole inherited heap).

Workers die with their parent: ``kill -9`` of postctl left them blocked in a pipe write, holding
the index open, for over ten minutes. On Linux each asks the kernel for SIGKILL when its parent
dies (``prctl(PR_SET_PDEATHSIG)``, through ctypes: no dependency); elsewhere a thread in each
worker checks every half second that the parent is still there. A worker that dies (killed, out
of memory) is one line and a clean exit (:class:`WorkerDied`); the caller's transaction is rolled
back, so the index is as it was.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from typing import TypeVar

from postctl.errors import PostctlError

IN_FLIGHT = 16  # chunks submitted ahead, per core
Item = TypeVar("Item")
Result = TypeVar("Result")


PR_SET_PDEATHSIG = 1  # linux/prctl.h


class WorkerDied(PostctlError):
    """A worker process ended without answering (killed, out of memory)."""


def die_with_parent(parent: int) -> None:
    """Run in each worker as it starts: end it when ``parent`` (postctl) is gone."""
    import signal
    import sys

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
        if armed:
            if os.getppid() != parent:  # it died before the request was made
                os._exit(1)
            return
    import threading

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="postctl-parent-watch", daemon=True).start()


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
    from concurrent.futures.process import BrokenProcessPool

    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=cores(),
            mp_context=context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            # Some chunks in flight per core, not all of them: when the caller is slower than
            # the workers (building a full-text index), finished chunks would pile up in memory
            # (336 MB at 50k posts). Too few and the workers pace the caller, competing with it
            # for the cores the whole time: 4 a core made a first search 10 % slower than 16.
            waiting = iter(chunks)
            running = deque(pool.submit(work, c) for c in islice(waiting, cores() * IN_FLIGHT))
            while running:
                try:
                    done = running.popleft().result()
                except BrokenProcessPool:
                    raise WorkerDied(
                        "a worker process died (killed, or out of memory); nothing was changed"
                    ) from None
                for chunk in islice(waiting, 1):
                    running.append(pool.submit(work, chunk))
                yield done
    finally:
        gc.unfreeze()
