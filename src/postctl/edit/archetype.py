"""Hugo archetypes (``archetypes/<section>.md``, ``archetypes/default.md``) filled in as
``hugo new content`` fills them, for the template actions archetypes commonly use.

Understood: ``.Title``, ``.Date``, ``.Draft``, ``.Type``, ``.Section``, ``.Name``,
``.File.ContentBaseName``, ``.File.BaseFileName``, ``now`` (and ``now.Format "…"``),
string literals, the functions ``replace``, ``title``, ``lower``, ``upper``, ``humanize``,
``urlize`` and pipes between them. Anything else (``.Site``, ``range``, ``if``…) is refused
with an error naming it, rather than written into the post as it stands: Hugo would have
replaced it, and a post holding ``{{ … }}`` in its front matter does not build.

Why not a template engine: Go templates have no Python implementation; this subset covers
the archetypes of Hugo's own default (``{{ replace .File.ContentBaseName "-" " " | title }}``,
``{{ .Date }}``) and of the Hugo sites tried (hugoDocs' ``archetypes/`` uses only these).
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from postctl.errors import UsageError

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
_GO_LAYOUT = (  # Go's reference time → strftime, for now.Format
    ("2006", "%Y"),
    ("01", "%m"),
    ("02", "%d"),
    ("15", "%H"),
    ("04", "%M"),
    ("05", "%S"),
    ("-07:00", "%:z"),
    ("Z07:00", "%:z"),
    ("MST", "%Z"),
    ("Jan", "%b"),
    ("January", "%B"),
    ("Mon", "%a"),
)


class ArchetypeError(UsageError):
    """An archetype postctl cannot fill in as Hugo would (exit 2)."""


@dataclass(frozen=True)
class Page:
    """What an archetype sees of the new page."""

    title: str
    base_name: str  # the file's name without extension (the bundle folder for index.md)
    section: str
    draft: bool
    now: dt.datetime


def render(text: str, page: Page, source: str) -> str:
    """The archetype with every action replaced by its value."""

    def one(m: re.Match[str]) -> str:
        line = text.count("\n", 0, m.start()) + 1
        return _pipeline(m.group(1), page, f"{source}:{line}")

    return _ACTION.sub(one, text)


def _pipeline(expr: str, page: Page, where: str) -> str:
    if expr.startswith("/*") and expr.endswith("*/"):
        return ""  # a comment
    value: str | None = None
    for stage in expr.split("|"):
        try:
            words = shlex.split(stage.strip(), posix=False)  # quotes kept: literals
        except ValueError:
            raise ArchetypeError(f"{where}: cannot read the action {{{{ {expr} }}}}") from None
        if not words:
            raise ArchetypeError(f"{where}: empty stage in {{{{ {expr} }}}}")
        _known(words[0], bool(words[1:]), where, expr)
        args = [_term(w, page, where, expr) for w in words[1:]]
        if value is not None:
            args.append(value)
        value = _call(words[0], args, page, where, expr)
    return value or ""


def _term(word: str, page: Page, where: str, expr: str) -> str:
    if word.startswith("."):
        return _field(word, page, where, expr)
    if word == "now":
        return _iso(page.now)
    return _literal(word)


def _literal(word: str) -> str:
    if len(word) >= 2 and word[0] == word[-1] and word[0] in '"`':
        return word[1:-1].replace('\\"', '"')
    return word


def _field(name: str, page: Page, where: str, expr: str) -> str:
    fields: dict[str, Callable[[], str]] = {
        ".Title": lambda: page.title,
        ".Name": lambda: page.title,
        ".Date": lambda: _iso(page.now),
        ".Draft": lambda: "true" if page.draft else "false",
        ".Type": lambda: page.section,
        ".Section": lambda: page.section,
        ".File.ContentBaseName": lambda: page.base_name,
        ".File.BaseFileName": lambda: page.base_name,
    }
    if name not in fields:
        raise ArchetypeError(
            f"{where}: {name} in {{{{ {expr} }}}} is beyond what postctl fills in "
            f"(it knows {', '.join(fields)}); run hugo new content, or edit the archetype"
        )
    return fields[name]()


_FUNCTIONS: dict[str, Callable[[list[str]], str]] = {
    "replace": lambda a: a[0].replace(a[1], a[2]),
    "title": lambda a: " ".join(w[:1].upper() + w[1:] for w in a[0].split(" ")),
    "lower": lambda a: a[0].lower(),
    "upper": lambda a: a[0].upper(),
    "humanize": lambda a: a[0].replace("-", " ").replace("_", " ").capitalize(),
    "urlize": lambda a: re.sub(r"[^\w-]+", "-", a[0].lower()).strip("-"),
}
_ARITY = {"replace": 3, "title": 1, "lower": 1, "upper": 1, "humanize": 1, "urlize": 1}


def _known(name: str, has_args: bool, where: str, expr: str) -> None:
    """Refuse an action postctl does not implement, naming it (``range``, ``if``, ``.Site``)."""
    if name.startswith(".") or name in ("now", "now.Format") or name in _FUNCTIONS:
        return
    if not has_args and name[:1] in '"`':
        return  # a string literal
    raise ArchetypeError(
        f"{where}: {name} in {{{{ {expr} }}}} is beyond what postctl fills in "
        f"(functions: {', '.join(_FUNCTIONS)}, now.Format); run hugo new content, "
        "or edit the archetype"
    )


def _call(name: str, args: list[str], page: Page, where: str, expr: str) -> str:
    if name.startswith(".") or name == "now":
        if args:
            raise ArchetypeError(f"{where}: {name} takes no arguments in {{{{ {expr} }}}}")
        return _term(name, page, where, expr)
    if name == "now.Format":
        if len(args) != 1:
            raise ArchetypeError(f"{where}: now.Format takes one layout in {{{{ {expr} }}}}")
        layout = args[0]
        for go, py in _GO_LAYOUT:
            layout = layout.replace(go, py)
        return page.now.strftime(layout)
    if name not in _FUNCTIONS:
        return _literal(name)  # _known refused the rest
    if len(args) != _ARITY[name]:
        raise ArchetypeError(
            f"{where}: {name} takes {_ARITY[name]} argument(s) in {{{{ {expr} }}}}"
        )
    return _FUNCTIONS[name](args)


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")
