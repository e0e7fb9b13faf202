"""Settings: the project root (the first folder up from the working directory with a
``postctl.toml`` or a ``pyproject.toml`` with ``[tool.postctl]``), its config, ``POSTCTL_*``.

Precedence: command-line flags > environment > project config > defaults. A relative path is
relative to the working directory when it comes from a flag or the environment, to the project
root when it comes from the config file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.errors import ConfigError
from postctl.parse.speed import DEFAULT_WPM

if TYPE_CHECKING:
    from postctl.parse.dialects import Site

CONFIG_NAME = "postctl.toml"
DEFAULT_CONTENT = "articles"
DEFAULT_DB = ".postctl/index.db"

# key → type. Tables (check, new) are validated by the modules that read them.
KNOWN_KEYS: dict[str, type] = {
    "dialect": str,
    "content": str,
    "db": str,
    "wpm": int,
    "max-file-mb": int,
    "exclude": list,
    "check": dict,
    "new": dict,
}
ENV = {"content": "POSTCTL_CONTENT", "db": "POSTCTL_DB", "wpm": "POSTCTL_WPM"}


@dataclass
class Settings:
    root: Path
    content_dir: Path
    db_path: Path
    wpm: int = DEFAULT_WPM
    max_bytes: int = 10 * 1024 * 1024
    exclude: list[str] = field(default_factory=list)
    check: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    config_file: Path | None = None
    warnings: list[str] = field(default_factory=list)
    site: Site | None = None  # the dialect and what the generator's config says

    @property
    def dialect(self) -> str:
        return self.site.name if self.site is not None else "plain"

    def rel(self, path: Path) -> str:
        """A path as shown to the user: relative to the working directory when inside it."""
        return shown_path(path)


def shown_path(path: Path | str) -> str:
    """Relative to the working directory when inside it, else absolute."""
    text = os.path.abspath(path)
    cwd = os.getcwd()
    if text == cwd:
        return "."
    if text.startswith(cwd.rstrip(os.sep) + os.sep):
        return text[len(cwd.rstrip(os.sep)) + 1 :]
    return text


def find_root(start: Path) -> tuple[Path, Path | None, dict[str, Any]]:
    """Walk up from ``start`` to the first folder with postctl config; else ``start`` itself."""
    import tomllib

    for folder in (start, *start.parents):
        cfg = folder / CONFIG_NAME
        if cfg.is_file():
            return folder, cfg, _load(cfg, tomllib)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = _load(pyproject, tomllib)
            tool = data.get("tool", {})
            if isinstance(tool, dict) and "postctl" in tool:
                section = tool["postctl"]
                if not isinstance(section, dict):
                    raise ConfigError(f"{pyproject}: [tool.postctl] must be a table")
                return folder, pyproject, section
    return start, None, {}


def _load(path: Path, tomllib: Any) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from None


def undecodable_argument(args: Iterable[object]) -> str | None:
    """The first argument that is not UTF-8 text (a Latin-1 file name from a shell or from
    pre-commit), printable; SQLite cannot take it. None when every argument is text."""
    from postctl.parse.names import printable, undecodable

    for arg in args:
        if isinstance(arg, str) and undecodable(arg):
            return printable(arg)
    return None


def load_settings(
    cwd: Path | None = None,
    content: str | None = None,
    db: str | None = None,
    wpm: int | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    env = dict(os.environ) if env is None else env
    start = (cwd or Path.cwd()).resolve()
    from postctl.parse.dialects import find_site, load_site

    root, cfg_path, cfg = find_root(start)
    if cfg_path is None:  # no postctl config: a generator's config marks the project root
        root = find_site(start) or start
    if cfg_path is not None and cfg_path.name == "pyproject.toml":
        where = f"{cfg_path} [tool.postctl]"
    else:
        where = str(cfg_path)
    warnings: list[str] = []
    for key, value in cfg.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(KNOWN_KEYS))
            warnings.append(f"{where}: unknown key {key!r} (known: {known})")
        elif not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(f"{where}: {key} must be a {expected.__name__}, not {value!r}")

    def pick(name: str, flag: Any) -> tuple[Any, Path]:
        """The value and the folder a relative path in it is relative to."""
        if flag is not None:
            return flag, start
        if name in ENV and env.get(ENV[name]):
            return env[ENV[name]], start
        return cfg.get(name), root

    content_value, content_base = pick("content", content)
    db_value, db_base = pick("db", db)
    wpm_value, _ = pick("wpm", wpm)
    if wpm_value is None:
        wpm_value = DEFAULT_WPM
    try:
        wpm_int = int(wpm_value)
    except (TypeError, ValueError):
        raise ConfigError(f"words per minute must be a whole number, not {wpm_value!r}") from None
    if wpm_int <= 0:
        raise ConfigError(f"words per minute must be positive, not {wpm_int}")
    max_mb = cfg.get("max-file-mb", 10)
    explicit = (content_base / content_value).resolve() if content_value else None
    site = load_site(root, cfg.get("dialect"), explicit)
    if explicit is None and site.name == "plain":
        explicit = (content_base / DEFAULT_CONTENT).resolve()
        site = site.fields(content=str(explicit))
    return Settings(
        root=root,
        site=site,
        content_dir=Path(site.content).resolve(),
        db_path=(db_base / (db_value or DEFAULT_DB)),
        wpm=wpm_int,
        max_bytes=int(max_mb) * 1024 * 1024,
        exclude=[str(x) for x in cfg.get("exclude", [])],
        check=dict(cfg.get("check", {})),
        new=dict(cfg.get("new", {})),
        config_file=cfg_path,
        warnings=warnings,
    )
