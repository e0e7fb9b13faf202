"""Settings: root discovery, postctl.toml / [tool.postctl], env, flags, unknown keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.config import load_settings
from postctl.errors import ConfigError


def test_defaults_in_a_plain_folder(tmp_path: Path) -> None:
    s = load_settings(cwd=tmp_path, env={})
    assert s.root == tmp_path.resolve()
    assert s.content_dir == tmp_path.resolve() / "articles"
    assert s.db_path == tmp_path.resolve() / ".postctl/index.db"
    assert s.wpm == 238
    assert s.config_file is None


def test_postctl_toml_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "postctl.toml").write_text('content = "posts"\nwpm = 200\n')
    sub = tmp_path / "posts" / "2025"
    sub.mkdir(parents=True)
    s = load_settings(cwd=sub, env={})
    assert s.root == tmp_path.resolve()
    assert s.content_dir == tmp_path.resolve() / "posts"
    assert s.wpm == 200


def test_pyproject_tool_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.postctl]\ncontent = "content/blog"\n')
    s = load_settings(cwd=tmp_path, env={})
    assert s.content_dir == tmp_path.resolve() / "content/blog"
    assert s.config_file == tmp_path / "pyproject.toml"


def test_pyproject_without_section_is_not_a_root(tmp_path: Path) -> None:
    (tmp_path / "postctl.toml").write_text("wpm = 250\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_settings(cwd=inner, env={}).wpm == 250


def test_precedence_flags_over_env_over_config(tmp_path: Path) -> None:
    (tmp_path / "postctl.toml").write_text('wpm = 200\ndb = "cfg.db"\n')
    env = {"POSTCTL_WPM": "250", "POSTCTL_DB": "env.db"}
    s = load_settings(cwd=tmp_path, env=env)
    assert (s.wpm, s.db_path.name) == (250, "env.db")
    s = load_settings(cwd=tmp_path, env=env, wpm=300, db="flag.db")
    assert (s.wpm, s.db_path.name) == (300, "flag.db")
    s = load_settings(cwd=tmp_path, env={})
    assert (s.wpm, s.db_path) == (200, tmp_path.resolve() / "cfg.db")


def test_unknown_keys_are_reported(tmp_path: Path) -> None:
    (tmp_path / "postctl.toml").write_text('contnet = "posts"\n')
    s = load_settings(cwd=tmp_path, env={})
    assert len(s.warnings) == 1
    assert s.warnings[0].endswith(
        "postctl.toml: unknown key 'contnet' (known: check, content, db, dialect, exclude, "
        "max-file-mb, new, wpm)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wpm = 'fast'\n", "wpm must be a int, not 'fast'"),
        ("content = [1\n", "invalid TOML"),
        ("wpm = 0\n", "words per minute must be positive, not 0"),
    ],
)
def test_bad_config_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "postctl.toml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cwd=tmp_path, env={})


def test_bad_env_wpm(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="whole number, not 'fast'"):
        load_settings(cwd=tmp_path, env={"POSTCTL_WPM": "fast"})


@pytest.mark.parametrize(
    "marker",
    ["postctl.toml", ".postctl/", "_config.yml", "hugo.toml", "zola.toml", "astro.config.mjs"],
)
def test_the_root_is_found_upwards_from_a_subfolder(tmp_path: Path, marker: str) -> None:
    """As git finds its root: the nearest folder above with a postctl or site marker."""
    if marker.endswith("/"):
        (tmp_path / marker).mkdir()
    else:
        (tmp_path / marker).write_text("")
    deep = tmp_path / "articles" / "2025" / "06"
    deep.mkdir(parents=True)
    s = load_settings(cwd=deep, env={})
    assert s.root == tmp_path.resolve()
    assert s.db_path == tmp_path.resolve() / ".postctl/index.db"
    if marker in ("postctl.toml", ".postctl/"):  # a site's own content root: see dialects
        assert s.content_dir == tmp_path.resolve() / "articles"


def test_the_git_root_when_nothing_else_marks_the_project(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")  # a linked work tree's .git is a file
    (tmp_path / "posts").mkdir()
    s = load_settings(cwd=tmp_path / "posts", env={})
    assert s.root == tmp_path.resolve()


def test_a_marker_above_the_git_root_is_not_taken(tmp_path: Path) -> None:
    (tmp_path / "postctl.toml").write_text("wpm = 100\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    s = load_settings(cwd=repo / "sub", env={})
    assert (s.root, s.wpm, s.config_file) == (repo.resolve(), 238, None)


def test_a_legacy_config_toml_counts_only_beside_a_content_folder(tmp_path: Path) -> None:
    """Hugo's legacy config.toml (no base_url, which would make it Zola's)."""
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "config.toml").write_text('title = "My site"\n')
    assert load_settings(cwd=site / "static", env={}).root == (site / "static").resolve()
    (site / "content").mkdir()
    assert load_settings(cwd=site / "static", env={}).root == site.resolve()


def test_outside_any_project_the_folder_holding_articles_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "articles" / "drafts").mkdir(parents=True)
    s = load_settings(cwd=tmp_path / "articles" / "drafts", env={})
    assert s.root == tmp_path.resolve()
    assert s.content_dir == tmp_path.resolve() / "articles"


def test_a_stray_index_folder_in_the_content_folder_does_not_take_the_root(
    tmp_path: Path,
) -> None:
    """Older versions left articles/.postctl/ behind when run from articles/."""
    (tmp_path / "articles" / ".postctl").mkdir(parents=True)
    for repo in (False, True):
        if repo:
            (tmp_path / ".git").mkdir()
        s = load_settings(cwd=tmp_path / "articles", env={})
        assert s.root == tmp_path.resolve(), repo
        assert s.content_dir == tmp_path.resolve() / "articles"


def test_an_index_folder_marks_the_root_of_a_folder_with_another_content_name(
    tmp_path: Path,
) -> None:
    (tmp_path / ".postctl").mkdir()
    (tmp_path / "posts" / "2025").mkdir(parents=True)
    s = load_settings(cwd=tmp_path / "posts" / "2025", env={"POSTCTL_CONTENT": "posts"})
    assert s.root == tmp_path.resolve()
