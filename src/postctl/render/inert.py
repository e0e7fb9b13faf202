r"""Text from a post or a file name made inert before it reaches a terminal.

A title such as ``"\x1b]52;c;…\x07"`` would otherwise write the clipboard (OSC 52), clear the
screen or plant a hyperlink: rich strips only BEL, BS, VT, FF and CR, and plain output strips
nothing. Every C0 control character (U+0000–U+001F), DEL and every C1 control (U+0080–U+009F) is
shown as a visible escape (``\x1b``, ``\x9b``; ``\n``, ``\t`` and ``\r`` by their letters), as
Python's ``repr`` would; tab and newline are kept where a view can lay them out (``keep``).
Undecodable bytes of a file name (lone surrogates) become ``\xe9`` too, so the text can always
be encoded for the terminal.

Applied at the edge: the terminal views and plain text outputs (warnings, errors, check's text
and the prompts of ``new``) call it; machine formats (JSON, CSV, NUL-separated paths) keep the
data exact, since their encoders escape what they must.
"""

from __future__ import annotations

import re
from typing import Any

_LETTERS = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_ALL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # keeps \t and \n
# keeps \t, \n and the \r of a CRLF line end (a diff of a CRLF file, shown as it is)
_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    if code >= 0xD800:  # a byte of an undecodable name, kept by Python as U+DC80..U+DCFF
        code = code - 0xDC00 if 0xDC80 <= code <= 0xDCFF else code
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return _LETTERS.get(c) or f"\\x{code:02x}"


def inert(text: str, layout: bool = False, crlf: bool = False) -> str:
    r"""``text`` with its control characters as visible escapes (``\x1b``); ``layout`` keeps
    tab and newline, for views that wrap text; ``crlf`` (with ``layout``) keeps CRLF line ends
    too, for a unified diff of a file that has them."""
    pattern = (_BUT_LINES if crlf else _BUT_LAYOUT) if layout else _ALL
    if pattern.search(text) is None:  # the common case: no copy
        return text
    return pattern.sub(_escape, text)


def inert_data(value: Any) -> Any:
    """Every string inside ``value`` (dicts, lists, tuples) made inert, tab and newline kept."""
    if isinstance(value, str):
        return inert(value, layout=True)
    if isinstance(value, dict):
        return {k: inert_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(inert_data(v) for v in value)
    return value
