"""The console-script entry point: the app, whose commands are registered when first needed.

A command module is imported, and its click command built, only when that command runs (or
when ``--help`` or completion lists them all): ``postctl --version`` imports none of them, and
``postctl list`` only ``listing``. Building all ten commands' click objects at start-up cost
93 M instructions of 422 M for ``postctl --version`` (callgrind), importing their modules more.
"""

from __future__ import annotations

import sys

from postctl.cli.app import app

# The command modules, in the order their commands appear in --help.
COMMAND_MODULES = ("listing", "stats", "search", "check", "new", "edit")

# Where each command is registered, so that running it imports that module only. A command
# missing here still works: its name makes every module load (slower start, same result).
COMMAND_HOME = {
    "index": "listing",
    "list": "listing",
    "categories": "listing",
    "tags": "listing",
    "taxonomy": "edit",
    "stats": "stats",
    "show": "stats",
    "reading-time": "stats",
    "search": "search",
    "check": "check",
    "new": "new",
    "set": "edit",
    "unset": "edit",
    "publish": "edit",
    "unpublish": "edit",
    "mv": "edit",
}

__all__ = ["COMMAND_HOME", "COMMAND_MODULES", "app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: one line on stderr and an exit code for every expected error."""
    try:
        app(args=argv, prog_name="postctl")
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
