"""Names: folding for matching (categories and tags match case- and accent-insensitively), and
names that are not UTF-8."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable

# The file extensions of Markdown posts, indexed and checked ("x.mdx" is MDX, JSX inside: not).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(name: str) -> str:
    """``Café Ops`` → ``cafe-ops``: the key two names must share to be the same category or tag."""
    if name.isascii():
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
        if not text.isascii():
            # Keep letters of scripts that have no ASCII form (CJK, Cyrillic) as they are.
            return re.sub(r"[\W_]+", "-", text).strip("-")
    return _NON_ALNUM.sub("-", text).strip("-")


def did_you_mean(
    word: str,
    candidates: Iterable[str],
    cutoff: float = 0.6,
    key: Callable[[str], str] = fold,
) -> str | None:
    """The candidate nearest to ``word`` (both compared through ``key``: folded, by default),
    or None when nothing is close: the one "did you mean" of every message that has one."""
    keyed = {key(c): c for c in candidates}
    match = difflib.get_close_matches(key(word), list(keyed), n=1, cutoff=cutoff)
    return keyed[match[0]] if match else None


def undecodable(name: str) -> bool:
    """A file name or argument with bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which SQLite and a UTF-8 terminal refuse)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable(name: str) -> str:
    r"""The name with its undecodable bytes as escapes (``caf\xe9.md``), safe to print."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
