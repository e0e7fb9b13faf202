"""workers.map_chunks: every chunk's results, in order, with a bounded number in flight."""

from __future__ import annotations

import functools
import sys
from concurrent.futures import Future
from typing import Any

import pytest

from postctl.index import workers


def _square_all(items: list[int], plus: int) -> list[int]:
    return [i * i + plus for i in items]


@pytest.mark.parametrize("threshold", [10, 10_000], ids=["worker processes", "this process"])
def test_results_in_order_whichever_way_it_runs(threshold: int) -> None:
    items = list(range(1000))
    work = functools.partial(_square_all, plus=1)
    chunks = list(workers.map_chunks(work, items, size=37, threshold=threshold))
    assert [len(c) for c in chunks] == [37] * 27 + [1]
    assert [x for c in chunks for x in c] == [i * i + 1 for i in items]


class _CountingPool:
    """Runs work at once but counts the futures handed out and not yet collected."""

    most = 0

    def __init__(self, *_: Any, **__: Any) -> None:
        self.out: list[Future[Any]] = []

    def __enter__(self) -> _CountingPool:
        return self

    def __exit__(self, *_: Any) -> None:
        pass

    def submit(self, fn: Any, arg: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(arg))
        self.out = [f for f in self.out if not getattr(f, "taken", False)] + [future]
        _CountingPool.most = max(_CountingPool.most, len(self.out))
        original = future.result

        def result(timeout: float | None = None) -> Any:
            future.taken = True  # type: ignore[attr-defined]
            return original(timeout)

        future.result = result  # type: ignore[method-assign]
        return future


def test_only_a_few_chunks_are_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow consumer (building the full-text index) must not make results pile up."""
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _CountingPool)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    items = list(range(500))
    got = list(workers.map_chunks(functools.partial(_square_all, plus=0), items, 5, threshold=1))
    assert [x for c in got for x in c] == [i * i for i in items]
    assert len(got) == 100
    assert _CountingPool.most <= 2 * workers.IN_FLIGHT + 1


# -------------------------------------------------------------------------- dying (issue #15, 3)


def _die_on_chunk(items: list[int], victim: int) -> list[int]:
    import os
    import signal

    if victim in items:
        os.kill(os.getpid(), signal.SIGKILL)
    return items


def test_a_killed_worker_is_one_error_not_a_traceback() -> None:
    work = functools.partial(_die_on_chunk, victim=500)
    with pytest.raises(workers.WorkerDied, match="a worker process died"):
        list(workers.map_chunks(work, list(range(1000)), size=50, threshold=10))


_ORPHANS = """
import functools, os, sys, time
if sys.argv[1] != "linux":
    sys.platform = sys.argv[1]  # the workers, forked, take the parent-liveness thread instead
from postctl.index import workers

def nap(items):
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: lines of two workers never mix
    time.sleep(600)
    return items

for _ in workers.map_chunks(nap, list(range(8)), size=1, threshold=1):
    pass
"""


@pytest.mark.skipif(
    workers.cores() < 2 or not sys.platform.startswith("linux"),
    reason="workers run only with a second core; /proc tells a zombie apart",
)
@pytest.mark.parametrize("platform", ["linux", "darwin"], ids=["pdeathsig", "liveness thread"])
def test_workers_die_with_their_parent(tmp_path: Any, platform: str) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHANS, platform],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert parent.stdout is not None
    lines = [parent.stdout.readline() for _ in range(workers.cores())]
    if not all(line.strip().isdigit() for line in lines):
        parent.kill()
        pytest.fail(f"no worker pids: {lines} {parent.communicate()}")
    pids = [int(line) for line in lines]
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # A zombie (exited, not yet reaped by init) is gone for this purpose.
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"

    deadline = time.monotonic() + 30  # a bound on the wait, not a speed requirement
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in pids if alive(p)]
    for pid in left:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
