"""`postctl init`: detects the site, writes postctl.toml and a template, never overwrites."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, post_text, write

from postctl.config import load_settings
from postctl.edit.scaffold import DEFAULT_TEMPLATE

Run = Callable[..., Result]


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("POSTCTL_DB", "POSTCTL_CONTENT", "POSTCTL_WPM"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_init_in_an_empty_folder_then_the_next_command_works(empty: Path, run: Run) -> None:
    res = run("init")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert res.stderr.splitlines() == [
        "No site generator's config here: a folder of plain Markdown posts.",
        "Will create the content folder articles/.",
        "Wrote postctl.toml",
        "Wrote templates/post.md",
        'Next: postctl new "My first post"',
    ]
    assert (empty / "articles").is_dir()
    assert (empty / "templates/post.md").read_text() == DEFAULT_TEMPLATE
    config = tomllib.loads((empty / "postctl.toml").read_text())
    assert config == {"dialect": "plain", "content": "articles", "new": {}, "check": {}}
    assert load_settings(cwd=empty, env={}).warnings == []
    res = run("new", "My first post", "--category", "General")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip().startswith("articles/")
    assert not (empty / ".postctl").exists() or (empty / ".postctl/index.db").is_file()


def test_the_commented_defaults_are_valid_settings(empty: Path, run: Run) -> None:
    """Uncommenting every `# key = value` line gives a config postctl accepts without a word."""
    run("init")
    text = (empty / "postctl.toml").read_text()
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and " = " in line else line for line in text.splitlines()
    )
    (empty / "postctl.toml").write_text(uncommented)
    settings = load_settings(cwd=empty, env={})
    assert settings.warnings == []
    assert settings.wpm == 238
    assert run("check", "--rule", "required").exit_code == 0


@pytest.mark.parametrize(
    ("files", "generator", "content"),
    [
        (["_config.yml", "_posts/2025-01-02-a.md"], "a Jekyll site (_config.yml)", "."),
        (["hugo.toml", "content/posts/a.md"], "a Hugo site (hugo.toml)", "content"),
        (["config.toml:base_url = 'x'", "content/a.md"], "a Zola site (config.toml)", "content"),
        (["eleventy.config.js", "src/blog/a.md"], "an Eleventy site", "."),
        (["astro.config.mjs", "src/content/blog/a.md"], "an Astro site", "src/content"),
    ],
)
def test_init_detects_the_site_and_its_content_folder(
    empty: Path, run: Run, files: list[str], generator: str, content: str
) -> None:
    for spec in files:
        name, _, text = spec.partition(":")
        write(empty / name, text or post_text())
    res = run("init")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.startswith(f"Found {generator}")
    assert f"Content folder: {content}/ (1 content file)." in res.stderr
    assert res.stderr.endswith("Next: postctl list\n")
    config = tomllib.loads((empty / "postctl.toml").read_text())
    assert "content" not in config  # the generator's own content root, as the dialect reads it
    assert config["dialect"] in generator.lower()
    assert f'# content = "{content}"' in (empty / "postctl.toml").read_text()
    assert run("list", "-f", "paths").stdout == files[1] + "\n"


def test_init_never_overwrites(empty: Path, run: Run) -> None:
    write(empty / "templates/post.md", "mine\n")
    assert run("init").exit_code == 0
    assert (empty / "templates/post.md").read_text() == "mine\n"
    before = (empty / "postctl.toml").read_text()
    res = run("init")
    assert res.exit_code == 2
    assert res.stderr == (
        "postctl: error: postctl.toml: postctl is set up already; edit it to change the settings\n"
    )
    assert (empty / "postctl.toml").read_text() == before


def test_init_inside_a_configured_project_refuses(empty: Path, run: Run) -> None:
    write(empty / "pyproject.toml", '[tool.postctl]\ncontent = "posts"\n')
    (empty / "sub").mkdir()
    import os

    os.chdir(empty / "sub")
    res = run("init")
    assert res.exit_code == 2
    assert "pyproject.toml: postctl is set up already" in res.stderr
    assert list((empty / "sub").iterdir()) == []


def test_init_dry_run_writes_nothing_and_shows_the_config(empty: Path, run: Run) -> None:
    res = run("init", "--dry-run", "--content", "posts")
    assert res.exit_code == 0
    assert 'content = "posts"' in res.stdout
    assert "Would create the content folder posts/." in res.stderr
    assert list(empty.iterdir()) == []


def test_init_content_must_be_inside(empty: Path, run: Run) -> None:
    res = run("init", "--content", "../elsewhere")
    assert res.exit_code == 2
    assert "must be inside this folder" in res.stderr
    assert list(empty.iterdir()) == []


def test_in_an_empty_folder_every_command_says_to_run_init(empty: Path, run: Run) -> None:
    for command in (["list"], ["stats"], ["categories"], ["search", "x"], ["new", "T"]):
        res = run(*command)
        assert res.exit_code == 2, command
        assert "run 'postctl init'" in res.stderr, command
    assert list(empty.iterdir()) == []
