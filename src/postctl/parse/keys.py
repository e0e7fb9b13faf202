"""The front-matter keys postctl knows, and :class:`Problem`, a non-fatal finding about a post.

A leaf module: the YAML fast path (:mod:`postctl.parse.flatyaml`), the front-matter handlers
(:mod:`postctl.parse.handlers`) and the post parser all import it, and it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

KNOWN_KEYS = frozenset(
    {
        "title",
        "date",
        "updated",
        "lastmod",
        "description",
        "summary",
        "category",
        "categories",
        "tags",
        "draft",
        "published",
        "slug",
        "author",
        "authors",
    }
)
STRING_KEYS = frozenset({"title", "description", "summary", "slug", "author", "category"})
# Keys whose values, or list items, are meant as text: a YAML 1.1 boolean there is a trap.
WANTS_STRING = STRING_KEYS | {"categories", "tags"}
# Plain words YAML 1.1 reads as booleans (a trap as a key, or under a key that wants text).
YAML11_BOOLS = frozenset({"yes", "no", "on", "off"})


@dataclass(frozen=True, slots=True)
class Problem:
    """A non-fatal finding about a post, reported by ``postctl check``."""

    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = "error"
