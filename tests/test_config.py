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
