"""One text normalisation: a file's text as every reader of posts sees it."""

from __future__ import annotations


def normalize(text: str) -> str:
    """Without a leading UTF-8 BOM, with LF line ends (CRLF and lone CR become LF)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
