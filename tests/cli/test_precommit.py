"""The pre-commit hook: one real ``pre-commit try-repo`` on a temporary git repository, and the
other cases through the hook in-process.

try-repo installs the hook's environment with pip from the package index (into a temporary store
of its own, so each call builds it again: ~12 s of the suite's time). It runs once, on a commit
that covers the most at a time: a staged bad post (a missing field and a cross-file rule) beside a
staged good post whose unstaged edit is broken. If that fails because the index cannot be
reached, the test is skipped with the reason; any other failure fails it.

The other cases run the hook as pre-commit would, without the install: the hook's settings
(``entry``, ``args``, ``files``, ``types``, ``pass_filenames``) are read from
``.pre-commit-hooks.yaml`` by pre-commit's own manifest loader, the files are the staged ones that
pre-commit's ``identify`` tags match, unstaged edits are hidden by pre-commit's own
``staged_files_only``, and the entry runs in-process (``postctl check`` is this project's
console script).

try-repo takes the project from git: HEAD plus uncommitted changes to tracked files. While files
the hook needs are still untracked (a new module before its first commit), it is given a
snapshot repository of the working tree instead, so what is tested is always what is on disk.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import post_text, write
from typer.testing import CliRunner

from postctl.cli import app

ROOT = Path(__file__).resolve().parents[2]
HOOK_FILES = ("src", "pyproject.toml", ".pre-commit-hooks.yaml", "README.md")
ID = "postctl-check"
LONG = "A description long enough to pass the fifty character minimum."
NETWORK_ERRORS = (
    "Could not find a version that satisfies",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "NewConnectionError",
    "ProxyError",
    "ConnectTimeout",
    "Read timed out",
)
_offline: list[str] = []  # the skip reason, once the environment could not be built

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _snapshot(dest: Path) -> Path:
    """A one-commit repository holding the working tree's files (tracked or not, not ignored)."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git(
        "-c",
        "user.email=test@example.com",
        "-c",
        "user.name=test",
        "commit",
        "-qm",
        "snapshot",
        cwd=dest,
    )
    return dest


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository try-repo takes the hook from: this project, as it is on disk."""
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout")
    status = git("status", "--porcelain", "--untracked-files=all", "--", *HOOK_FILES, cwd=ROOT)
    if not any(line.startswith("??") for line in status.splitlines()):
        return ROOT
    return _snapshot(tmp_path_factory.mktemp("postctl-snapshot"))


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTCTL_", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.setdefault("PIP_DEFAULT_TIMEOUT", "30")
    env["PIP_RETRIES"] = "1"
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture
def blog(tmp_path: Path) -> Iterator[Path]:
    """A blog's git repository: one committed post (slug "taken"), nothing staged yet."""
    repo = tmp_path / "blog"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    git("config", "user.email", "writer@example.com", cwd=repo)
    git("config", "user.name", "Writer", cwd=repo)
    write(repo / "articles/taken.md", post_text("Taken", description=LONG))
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "first post", cwd=repo)
    yield repo


def try_repo(blog: Path, hook_repo: Path, env: dict[str, str]) -> tuple[int, str]:
    if _offline:
        pytest.skip(_offline[0])
    res = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), ID],
        cwd=blog,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = res.stdout + res.stderr
    if "An unexpected error has occurred" in out and any(e in out for e in NETWORK_ERRORS):
        _offline.append(
            "pre-commit could not build the hook's environment: the package index is "
            "unreachable (pip install failed with a network error)"
        )
        pytest.skip(_offline[0])
    return res.returncode, out


def test_try_repo_fails_a_bad_staged_post_and_ignores_an_unstaged_edit(
    blog: Path, hook_repo: Path, hook_env: dict[str, str]
) -> None:
    """The one real pre-commit run: it installs the hook from this project with pip, hides the
    unstaged edit, passes only the staged Markdown files, and reports postctl's lines."""
    bad = "---\ntitle: Bad\nslug: taken\ncategory: Performance\ndescription: " + LONG + "\n---\nx\n"
    write(blog / "articles/bad.md", bad)
    good = write(blog / "articles/good.md", post_text("Good", description=LONG))
    git("add", "articles/bad.md", "articles/good.md", cwd=blog)
    broken = "---\ntitle: [unclosed\n---\n"
    write(good, broken)  # in the working tree only
    code, out = try_repo(blog, hook_repo, hook_env)
    assert code == 1, out
    assert "postctl check" in out
    assert "Failed" in out
    assert 'articles/bad.md:1:1: error required missing required field "date"' in out
    # a cross-file rule: the committed post is not passed to the hook, yet compared with
    assert (
        'articles/bad.md:3:1: error duplicate-slug slug "taken" is also used by articles/taken.md'
        in out
    )
    assert "articles/taken.md:" not in out.replace("used by articles/taken.md", "")
    assert "articles/good.md" not in out  # the broken edit was hidden while the hook ran
    assert good.read_text() == broken  # and put back afterwards


@dataclass
class HookRun:
    code: int
    out: str
    files: list[str]


def run_hook(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HookRun:
    """Run ``postctl-check`` over the staged files as pre-commit does, in-process."""
    from identify.identify import tags_from_path
    from pre_commit.clientlib import load_manifest
    from pre_commit.git import get_staged_files
    from pre_commit.staged_files_only import staged_files_only

    (hook,) = (h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml")) if h["id"] == ID)
    entry = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[entry[0]] == "postctl.cli:main"  # the entry is this project's command
    monkeypatch.chdir(repo)
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)
    include, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    files = [
        f
        for f in get_staged_files()
        if include.search(f)
        and not exclude.search(f)
        and set(hook["types"]) <= tags_from_path(f)
        and (not hook["types_or"] or tags_from_path(f) & set(hook["types_or"]))
        and not tags_from_path(f) & set(hook["exclude_types"])
    ]
    args = [*entry[1:], *hook["args"], *(files if hook["pass_filenames"] else [])]
    patches = tmp_path / "patches"
    patches.mkdir()
    with staged_files_only(str(patches)):
        res = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "80"})
    return HookRun(res.exit_code, res.stdout + res.stderr, files)


def test_a_staged_good_post_passes(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(blog / "articles/good.md", post_text("Good", description=LONG))
    write(blog / "notes.txt", "not a post")
    git("add", "articles/good.md", "notes.txt", cwd=blog)
    hook = run_hook(blog, tmp_path, monkeypatch)
    assert hook.files == ["articles/good.md"]  # `types: [markdown]` leaves notes.txt out
    assert hook.code == 0, hook.out
    assert "1 file checked, no problems" in hook.out


def test_a_staged_bad_post_fails_naming_file_and_rule(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = "---\ntitle: Bad\nslug: taken\ncategory: Performance\ndescription: " + LONG + "\n---\nx\n"
    write(blog / "articles/bad.md", bad)
    git("add", "articles/bad.md", cwd=blog)
    hook = run_hook(blog, tmp_path, monkeypatch)
    assert hook.code == 1, hook.out
    assert 'articles/bad.md:1:1: error required missing required field "date"' in hook.out
    assert (
        'articles/bad.md:3:1: error duplicate-slug slug "taken" is also used by articles/taken.md'
        in hook.out
    )
    assert "articles/taken.md:" not in hook.out.replace("used by articles/taken.md", "")


def test_an_unstaged_bad_edit_does_not_fail(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = write(blog / "articles/good.md", post_text("Good", description=LONG))
    git("add", "articles/good.md", cwd=blog)
    bad = "---\ntitle: [unclosed\n---\n"
    write(post, bad)  # in the working tree only
    hook = run_hook(blog, tmp_path, monkeypatch)
    assert hook.code == 0, hook.out
    assert post.read_text() == bad  # pre-commit put the unstaged edit back


def test_only_content_posts_are_checked_against_what_git_knows(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staged README.md is not a post; an untracked scratch file is not part of the commit
    (issue #15, item 10)."""
    write(blog / "README.md", "# My blog\n\nNo front matter here.\n")
    write(blog / "articles/good.md", post_text("Good", description=LONG))
    git("add", "README.md", "articles/good.md", cwd=blog)
    scratch = post_text("Scratch", description=LONG, extra="slug: good\n")
    write(blog / "articles/scratch.md", scratch)  # untracked
    hook = run_hook(blog, tmp_path, monkeypatch)
    assert sorted(hook.files) == ["README.md", "articles/good.md"]  # what pre-commit passes
    assert hook.code == 0, hook.out
    assert "1 file checked, no problems" in hook.out


def test_the_hook_runs_once_per_commit() -> None:
    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["require_serial"] is True
    assert hook["entry"] == "postctl check --pre-commit"


def test_check_pre_commit_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rules without pre-commit: files outside the content folder are passed by, and
    cross-file rules compare with tracked or staged posts only."""
    from typer.testing import CliRunner

    from postctl.cli import app

    repo = tmp_path / "blog"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    write(repo / "articles/taken.md", post_text("Taken", description=LONG))
    write(repo / "articles/new.md", post_text("New", description=LONG, tags=("Valkey",)))
    write(repo / "README.md", "# no front matter\n")
    git("add", "articles/taken.md", "articles/new.md", "README.md", cwd=repo)
    # Untracked: same slug as new.md, same title as taken.md, another spelling of its tag.
    write(repo / "articles/scratch.md", post_text("Taken", extra="slug: new\n", tags=("valkey",)))
    monkeypatch.chdir(repo)
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)

    def check(*args: str) -> tuple[int, str]:
        res = CliRunner().invoke(app, ["check", *args], env={"NO_COLOR": "1"})
        return res.exit_code, res.stdout

    code, out = check("--pre-commit", "README.md", "articles/new.md")
    assert (code, out) == (0, "1 file checked, no problems\n")
    code, out = check("--pre-commit", "README.md")
    assert (code, out) == (0, "0 files checked, no problems\n")
    # Without --pre-commit both are findings: the untracked file counts, README.md is read.
    code, out = check("README.md", "articles/new.md")
    assert code == 1
    assert 'error duplicate-slug slug "new" is also used by articles/scratch.md' in out
    assert 'tag "Valkey" is also spelled "valkey"' in out
    assert "README.md:1:1: error required no front matter" in out
    # Once staged, the scratch file is part of the commit and the clash is reported.
    git("add", "articles/scratch.md", cwd=repo)
    code, out = check("--pre-commit", "articles/new.md")
    assert code == 1 and "duplicate-slug" in out
