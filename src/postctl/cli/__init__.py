"""The console-script entry point: the app with every command registered."""

from __future__ import annotations

import importlib
import sys

from postctl.cli.app import app

# Importing a command module registers its commands on the app, in this order in --help.
for _module in ("listing", "stats", "search", "check", "new"):
    importlib.import_module(f"postctl.cli.{_module}")

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: one line on stderr and an exit code for every expected error."""
    try:
        app(args=argv, prog_name="postctl")
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
