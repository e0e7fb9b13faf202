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
MAX_WPM = 100_000  # far beyond any reader; keeps SQLite's 64-bit arithmetic from overflowing
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


def find_root(
    start: Path, warnings: list[str] | None = None
) -> tuple[Path, Path | None, dict[str, Any]]:
    """The project root, found upwards from ``start`` as git finds its own: the nearest folder
    with ``postctl.toml``, a ``pyproject.toml`` with ``[tool.postctl]`` or a site generator's
    config; else the git root; else the nearest folder holding the default content folder, or
    a ``.postctl/`` index folder; else ``start``. Inside a git work tree the walk stops at its
    root, so a stray marker above the repository is never taken. A ``.postctl/`` counts last:
    older versions left one inside the content folder when run from there. Returns (root,
    config file, its postctl table).

    A ``pyproject.toml`` that cannot be read (not TOML, not UTF-8) stops the walk only when it
    mentions ``[tool.postctl]``: a parent project's broken file is someone else's, so it is
    named in ``warnings`` and passed by."""
    from postctl.parse.dialects import detect

    git_root: Path | None = None
    walked: list[Path] = []
    for folder in (start, *start.parents):
        walked.append(folder)
        cfg = folder / CONFIG_NAME
        if cfg.is_file():
            return folder, cfg, _load(cfg)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = _load(pyproject)
            except ConfigError as e:
                if _mentions_postctl(pyproject):
                    raise
                if warnings is not None:
                    warnings.append(f"{e.message} (skipped: it has no [tool.postctl])")
                data = {}  # passed by; the folder may still be the root by another marker
            tool = data.get("tool", {})
            if isinstance(tool, dict) and "postctl" in tool:
                section = tool["postctl"]
                if not isinstance(section, dict):
                    raise ConfigError(f"{pyproject}: [tool.postctl] must be a table")
                return folder, pyproject, section
        if detect(folder) is not None:  # a generator's config: see parse.dialects.detect
            return folder, None, {}
        if os.path.lexists(folder / ".git"):  # a folder, or a file in a linked work tree
            git_root = folder
            break
    if git_root is not None:
        return git_root, None, {}
    for marker in (DEFAULT_CONTENT, str(Path(DEFAULT_DB).parent)):
        for folder in walked:
            if (folder / marker).is_dir():
                return folder, None, {}
    return start, None, {}


MAX_CONFIG_BYTES = 1024 * 1024


def missing_content(settings: Settings) -> str:
    """Why a command cannot start when the content folder is not there, and what to do."""
    shown = settings.rel(settings.content_dir)
    if settings.config_file is not None:
        return (
            f"{shown}: content folder not found (set by {settings.rel(settings.config_file)}; "
            "change 'content' there or pass --content DIR)"
        )
    return (
        f"{shown}: content folder not found; run 'postctl init' to set up this folder, "
        "or pass --content DIR"
    )


def _load(path: Path) -> dict[str, Any]:
    """A TOML file; tomllib is imported only when there is one (3.6 ms of a warm command's
    start in a folder without one, python -X importtime)."""
    import tomllib

    try:
        data = _read_config(path)
        loaded: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
        return loaded
    except UnicodeDecodeError as e:
        raise ConfigError(
            f"{shown_path(path)}: not UTF-8 text (byte 0x{e.object[e.start]:02x}); "
            "TOML files are UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{shown_path(path)}: invalid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{shown_path(path)}: cannot read: {e.strerror}") from None


def _read_config(path: Path) -> bytes:
    """The file's bytes: a regular file, opened without blocking, at most MAX_CONFIG_BYTES."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{shown_path(path)}: not a regular file")
        data = os.read(fd, MAX_CONFIG_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{shown_path(path)}: over 1 MB; not a configuration file")
    return data


def _mentions_postctl(path: Path) -> bool:
    try:
        return b"tool.postctl" in _read_config(path)
    except (OSError, ConfigError):
        return False


def undecodable_argument(args: Iterable[object]) -> str | None:
    """The first argument that is not UTF-8 text (a Latin-1 file name from a shell or from
    pre-commit), printable; SQLite cannot take it. None when every argument is text."""
    from postctl.parse.names import printable, undecodable

    for arg in args:
        if isinstance(arg, str) and undecodable(arg):
            return printable(arg)
    return None


def _words_per_minute(value: Any) -> int:
    if value is None:
        return DEFAULT_WPM
    try:
        wpm = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"words per minute must be a whole number, not {value!r}") from None
    if wpm <= 0:
        raise ConfigError(f"words per minute must be positive, not {wpm}")
    if wpm > MAX_WPM:
        raise ConfigError(f"words per minute must be at most {MAX_WPM:,}, not {wpm}")
    return wpm


def _check_values(where: str, max_mb: int, content: Any, db: Any) -> None:
    """Values no file system or size limit can work with: refused, not carried along."""
    if max_mb < 0:
        raise ConfigError(f"{where}: max-file-mb must be 0 or more, not {max_mb}")
    for name, value in (("content", content), ("db", db)):
        if isinstance(value, str) and "\0" in value:
            raise ConfigError(f"{name} {value!r} contains a NUL character; it cannot be a path")


def _site_hints(start: Path) -> list[str]:
    """A site one level down (a repository whose site is in ``docs/``): a hint naming it,
    rather than reading the repository root as a bare folder without saying so."""
    from postctl.parse.dialects import sites_below

    found = sites_below(start)
    if not found:
        return []
    named = ", ".join(f"{sub}/ ({name})" for sub, name in found[:3])
    if len(found) == 1:
        sub = found[0][0]
        return [f"no site here, but {named} is one: run postctl there (cd {sub})"]
    return [f"no site here, but these folders are: {named}: run postctl in one of them"]


def load_settings(
    cwd: Path | None = None,
    content: str | None = None,
    db: str | None = None,
    wpm: int | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    env = dict(os.environ) if env is None else env
    start = (cwd or Path.cwd()).resolve()
    from postctl.parse.dialects import load_site

    warnings: list[str] = []
    root, cfg_path, cfg = find_root(start, warnings)
    if cfg_path is None and not (root / DEFAULT_CONTENT).exists():
        from postctl.parse.dialects import detect

        if detect(root) is None:  # a bare folder with no articles/: is the site one below?
            warnings.extend(_site_hints(root))
    if cfg_path is not None and cfg_path.name == "pyproject.toml":
        where = f"{cfg_path} [tool.postctl]"
    else:
        where = str(cfg_path)
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
    wpm_int = _words_per_minute(pick("wpm", wpm)[0])
    max_mb = cfg.get("max-file-mb", 10)
    _check_values(where, max_mb, content_value, db_value)
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
