"""How the command line fits the hand: root discovery from a subfolder, nothing written by a
command that cannot start, global options after the subcommand, -V, one error style, help."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, post_text, write

Run = Callable[..., Result]
COMMANDS = (
    "index",
    "list",
    "categories",
    "tags",
    "stats",
    "show",
    "reading-time",
    "search",
    "check",
    "new",
)


def test_list_works_from_inside_the_content_folder(
    blog: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd articles && postctl list`: the root is found upwards, not taken as the cwd."""
    (blog / ".git").mkdir()
    write(blog / "articles/2025/a.md", post_text(title="Deep post"))
    monkeypatch.chdir(blog / "articles")
    res = run("list", "--format", "paths")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "2025/a.md\n"  # paths relative to here, as git prints them
    monkeypatch.chdir(blog / "articles" / "2025")
    assert run("list", "--format", "paths").stdout == "../2025/a.md\n"
    assert (blog / ".postctl" / "index.db").is_file()
    assert not (blog / "articles" / ".postctl").exists()
    assert not (blog / "articles" / "2025" / ".postctl").exists()


@pytest.mark.parametrize("command", ["list", "stats", "check", "search x", "show x", "tags"])
def test_a_command_that_cannot_start_writes_nothing(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    res = run(*command.split())
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: articles: content folder not found; run 'postctl init' to set up "
        "this folder, or pass --content DIR\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_mistyped_content_folder_writes_nothing(blog: Path, run: Run) -> None:
    res = run("--content", "artcles", "list")
    assert res.exit_code == 2
    assert "artcles: content folder not found" in res.stderr
    assert not (blog / ".postctl").exists()


def test_a_configured_content_folder_that_is_missing_names_the_config(blog: Path, run: Run) -> None:
    write(blog / "postctl.toml", 'content = "posts"\n')
    res = run("list")
    assert res.stderr == (
        "postctl: error: posts: content folder not found (set by postctl.toml; change "
        "'content' there or pass --content DIR)\n"
    )
    assert not (blog / ".postctl").exists()


def test_global_options_after_the_subcommand(blog: Path, run: Run) -> None:
    """What a pre-commit `args: [--content, _posts]` line passes: `check --content _posts F`."""
    write(blog / "_posts/a.md", post_text(title="In posts"))
    write(blog / "articles/b.md", post_text(title="In articles"))
    res = run("check", "--content", "_posts", "_posts/a.md", "--strict")
    assert res.exit_code == 1, res.stderr
    assert res.stdout.startswith("_posts/a.md:5:1: warning description-length")
    assert res.stdout.endswith("(1 checked)\n")
    res = run("list", "--content", "_posts", "-f", "paths")
    assert res.stdout == "_posts/a.md\n"
    # after the subcommand wins over before it, as the later of two flags does
    res = run("--content", "articles", "list", "--content", "_posts", "-f", "paths")
    assert res.stdout == "_posts/a.md\n"
    res = run("reading-time", "--wpm", "100", "-f", "json", "_posts/a.md")
    assert '"wpm": 100' in res.stdout


def test_global_options_are_in_every_subcommands_help(run: Run) -> None:
    for command in COMMANDS:
        res = run(command, "--help")
        assert "--content DIR" in res.stdout, command
        assert "--no-color" in res.stdout, command


def test_short_version_flag(run: Run) -> None:
    assert run("-V").stdout == run("--version").stdout
    assert run("-V").stdout.startswith("postctl ")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["list", "--formt", "json"],
            "no such option: --formt (did you mean one of --format, --sort); "
            "see 'postctl list --help'",
        ),
        (["show"], "missing argument 'SLUG|PATH'; see 'postctl show --help'"),
        (["nosuch"], "no such command 'nosuch'; see 'postctl --help'"),
        (
            ["list", "-n", "x"],
            "invalid value for '--limit' / '-n': 'x' is not a whole number; "
            "see 'postctl list --help'",
        ),
    ],
)
def test_click_usage_errors_are_one_line_in_postctls_style(
    blog: Path, run: Run, args: list[str], line: str
) -> None:
    res = run(*args)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == f"postctl: error: {line}\n"


def test_every_help_ends_with_real_examples(run: Run) -> None:
    for command in ("", *COMMANDS):
        res = run(*command.split(), "--help")
        tail = res.stdout.rstrip().split("Examples:\n")
        assert len(tail) == 2, command
        lines = [line.strip() for line in tail[1].splitlines()]
        assert 2 <= len(lines) <= 3, command
        assert all(line.startswith("postctl ") for line in lines), command


def test_examples_in_help_run(blog: Path, run: Run) -> None:
    """The examples are real: each parses (and, on a small blog, runs) without a usage error."""
    import shlex

    write(
        blog / "articles/cache-stampede-redis-p99-war-story.md",
        post_text(title="Cache stampede", body="A connection pool and nginx. " * 300),
    )
    write(blog / "templates/post.md", "---\ntitle: {title}\n---\n")
    for command in ("", *COMMANDS):
        tail = run(*command.split(), "--help").stdout.split("Examples:\n")[1]
        for line in tail.strip().splitlines():
            args = shlex.split(line.strip())[1:]
            if args[0] in ("init", "new") or "--edit" in args or "-e" in args:
                continue  # they write files: tested on their own
            res = run(*args, input="Some words.\n")
            assert res.exit_code in (0, 1), (line, res.stderr)
            assert "--help'" not in res.stderr, line  # no usage error


EDITS = (
    "set",
    "unset",
    "publish",
    "unpublish",
    "mv",
    "taxonomy rename",
    "taxonomy merge",
    "taxonomy rm",
    "tags rename",
    "tags merge",
    "tags rm",
    "categories rename",
    "categories merge",
    "categories rm",
)


def test_the_editing_commands_examples_run_on_the_shipped_articles(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each editing command's --help ends with an example that, with --dry-run, runs on the
    shipped articles/ and writes nothing."""
    import shlex
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "articles").iterdir()}
    for command in EDITS:
        tail = run(*command.split(), "--help").stdout.rstrip().split("Examples:\n")
        assert len(tail) == 2, command
        for line in tail[1].strip().splitlines():
            args = shlex.split(line.strip())
            assert args[0] == "postctl" and "--dry-run" in args, line
            res = run(*args[1:])
            if command == "publish":  # every shipped post is published already
                assert res.exit_code == 1 and "is published already" in res.stderr, line
            else:
                assert res.exit_code == 0, (line, res.stderr)
                assert "(--dry-run)" in res.stderr or "nothing to change" in res.stderr, line
    assert {p: p.read_bytes() for p in (tmp_path / "articles").iterdir()} == before


def test_metavars_read_as_words(run: Run) -> None:
    for command in COMMANDS:
        text = run(command, "--help").stdout
        assert not re.search(r"<[a-z ]+>|\{[A-Z|]+\}|<int range>", text), (command, text)


def test_the_filter_options_stand_where_each_command_puts_them(run: Run) -> None:
    """cli.app.filter_options: one definition, each command's own subset, in its place."""
    every = ["--category", "--tag", "--where", "--since", "--until", "--drafts", "--all"]
    own = {
        "list": (every, "--sort"),
        "stats": (every, "--by"),
        "search": (every, "--limit"),
        "categories": (["--tag", "--where", "--drafts", "--all"], "--format"),
        "tags": (["--category", "--where", "--drafts", "--all"], "--format"),
        "set": (["--category", "--tag", "--where", "--drafts"], "--published"),
        "unset": (["--category", "--tag", "--where", "--drafts"], "--published"),
    }
    for command, (filters, after) in own.items():
        shown = re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", run(command, "--help").stdout, re.M)
        start = shown.index(filters[0])
        assert shown[start : start + len(filters) + 1] == [*filters, after], command
        assert not (set(every) - set(filters)) & set(shown), command


def test_filter_options_reach_the_query(blog: Path, run: Run) -> None:
    write(blog / "articles/a.md", post_text("Alpha", category="Ops", tags=("x",)))
    write(blog / "articles/b.md", post_text("Beta", category="Dev", tags=("x",)))
    res = run("list", "--category", "ops", "--tag", "x", "--format", "paths")
    assert (res.exit_code, res.stdout) == (0, "articles/a.md\n")
    res = run("tags", "--category", "dev", "--format", "csv")
    assert res.stdout.splitlines()[1:] == ["x,x,1"]
