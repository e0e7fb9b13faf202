"""The console-script entry point: the app, whose commands are registered when first needed.

A command module is imported, and its click command built, only when that command runs (or
when ``--help`` or completion lists them all): ``postctl --version`` imports none of them, and
``postctl list`` only ``listing``. Building all ten commands' click objects at start-up cost
93 M instructions of 422 M for ``postctl --version`` (callgrind), importing their modules more.
"""

from __future__ import annotations

import os
import sys

from postctl.cli.app import app, discard_stdout, output_error

# The command modules, in the order their commands appear in --help.
COMMAND_MODULES = ("init", "listing", "stats", "search", "check", "new", "edit", "datasette")

# Where each command is registered, so that running it imports that module only. A command
# missing here still works: its name makes every module load (slower start, same result).
COMMAND_HOME = {
    "init": "init",
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
    "datasette-metadata": "datasette",
}

__all__ = ["COMMAND_HOME", "COMMAND_MODULES", "app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: one line on stderr and an exit code for every expected error.

    Output that cannot be written (a full disk, ``> /dev/full``, a closed stdout) is one such
    error: stdout is flushed here, inside the edge, not by the interpreter on its way out."""
    if sys.stdout is None or sys.stderr is None:
        # A closed descriptor 1 or 2 (``postctl list >&-``): the next file opened (the index)
        # would take its number and receive the output. Say so if possible, and stop.
        if sys.stderr is not None:
            sys.stderr.write("postctl: error: standard output is closed\n")
        os._exit(2)
    try:
        app(args=argv, prog_name="postctl")
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except SystemExit as e:
        code = e.code
    else:  # pragma: no cover - typer always exits
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
        sys.exit(0)
    except OSError as e:
        discard_stdout()
        sys.stderr.write(f"postctl: error: {output_error(e)}\n")
        sys.exit(2)
    sys.exit(code)
