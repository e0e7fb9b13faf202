"""Long output on a terminal goes through a pager, as ``git log`` does.

The pager is ``POSTCTL_PAGER``, else ``PAGER``, else ``less``, run through the shell like git
runs its own; ``LESS`` defaults to ``FRX`` (quit if one screen, keep colours, leave the text on
the screen), so short output is never held up. An empty value or ``cat`` means no pager. If the
pager cannot be started the text is written as it is.

Why not rich's ``Console.pager()``: it hands the text to ``pydoc.pager``, which prefers
``MANPAGER`` to ``PAGER``, runs ``less`` without ``-F`` or ``-R`` (tried in tmux: a six-line
``show`` printed its styles as ``ESC[1m`` text and waited at ``(END)`` for ``q``), and probes
for ``less`` with ``os.system`` on every call (a shell more per command). Here the text is paged
only when it is longer than the screen, and ``LESS`` gets git's default.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import IO


def command(env: dict[str, str] | None = None) -> str | None:
    """The pager to run, or None for none."""
    env = dict(os.environ) if env is None else env
    for name in ("POSTCTL_PAGER", "PAGER"):
        if name in env:
            value = env[name].strip()
            return None if value in ("", "cat") else value
    return "less"


def page(text: str, out: IO[str] | None = None) -> None:
    """Show ``text`` through the pager; write it to ``out`` when there is none to run."""
    out = out or sys.stdout
    cmd = command()
    if cmd is None:
        out.write(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    out.flush()
    try:
        proc = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        out.write(text)
        return
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before reading everything: that is fine
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        code = proc.wait()
    if code == 127:  # the shell found no such command: show the text rather than nothing
        out.write(text)
