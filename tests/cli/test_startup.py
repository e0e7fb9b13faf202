"""Start-up: a command imports only what it runs; --help still lists every command, in order."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import typer

from postctl.cli import COMMAND_HOME, COMMAND_MODULES, app

LOADED = """
import json, sys
sys.argv = ["postctl", *sys.argv[1:]]
from postctl.cli import main
try:
    main()
except SystemExit:
    pass
mine = ("postctl", "rich", "sqlite_utils")
print(json.dumps(sorted(m for m in sys.modules if m.startswith(mine))))
"""


def loaded_by(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.splitlines()[-1])


def test_version_imports_no_command_and_no_rich() -> None:
    loaded = loaded_by("--version")
    assert not [m for m in loaded if m.startswith("postctl.cli.") and m != "postctl.cli.app"]
    assert not [m for m in loaded if m.startswith(("rich", "sqlite_utils", "postctl.query"))]


def test_a_command_imports_its_own_module_only() -> None:
    loaded = loaded_by("categories", "--help")
    commands = {m.rsplit(".", 1)[1] for m in loaded if m.startswith("postctl.cli.")}
    assert commands == {"app", "listing"}


def test_every_command_has_a_home() -> None:
    """COMMAND_HOME names each command's module (else running it imports them all)."""
    for module in COMMAND_MODULES:
        importlib.import_module(f"postctl.cli.{module}")
    homes = {
        info.name or typer.main.get_command_name(info.callback.__name__): (
            info.callback.__module__.rsplit(".", 1)[1]
        )
        for info in app.registered_commands
        if info.callback is not None
    }
    groups = {info.name for info in app.registered_groups if info.name}
    assert homes == {n: m for n, m in COMMAND_HOME.items() if n not in groups}
    assert groups <= set(COMMAND_HOME)


STALE = """
import sys
import postctl.cli
postctl.cli.COMMAND_HOME["categories"] = "new"
sys.argv = ["postctl", "categories", "--help"]
postctl.cli.main()
"""


def test_a_command_missing_from_its_home_is_found_elsewhere() -> None:
    """A stale COMMAND_HOME costs time, never the command (a fresh process: nothing loaded)."""
    proc = subprocess.run([sys.executable, "-c", STALE], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Usage: postctl categories" in proc.stdout


def _assert_in_module_order(help_text: str) -> None:
    lines = help_text.split("Commands:", 1)[1].splitlines()
    listed = [line.split()[0] for line in lines if line.startswith("  ") and line.strip()]
    shown = [name for name in listed if name in COMMAND_HOME]
    order = sorted(COMMAND_HOME, key=lambda n: COMMAND_MODULES.index(COMMAND_HOME[n]))
    assert sorted(shown) == sorted(COMMAND_HOME)
    assert [COMMAND_HOME[n] for n in shown] == [COMMAND_HOME[n] for n in order]


def test_help_lists_every_command_in_module_order() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "postctl", "--help"], capture_output=True, text=True, check=True
    )
    _assert_in_module_order(proc.stdout)


def test_help_keeps_the_order_whatever_order_the_modules_were_imported_in() -> None:
    from typer.testing import CliRunner

    for module in reversed(COMMAND_MODULES):
        importlib.import_module(f"postctl.cli.{module}")
    res = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert res.exit_code == 0
    _assert_in_module_order(res.stdout)
