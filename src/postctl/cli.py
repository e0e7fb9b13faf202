"""The console-script entry point: the app with every command registered."""

from __future__ import annotations

import sys

from postctl.app import app
from postctl.commands import listing, search, stats  # noqa: F401  (importing registers the commands)

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: one line on stderr and an exit code for every expected error."""
    try:
        app(args=argv, prog_name="postctl")
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
