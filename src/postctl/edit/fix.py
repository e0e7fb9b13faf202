"""``postctl check --fix``: the fixes that cannot change what a post means.

* **YAML 1.1 traps:** an unquoted ``no``, ``on``, ``12:30`` or ``0777`` where text was meant is
  put in double quotes, its text unchanged (YAML 1.2 readers and people read it the same).
* **Tag spelling:** every spelling of a tag becomes the one most posts use (as ``check``'s
  ``tag-spelling`` rule prefers it); tags match by slug, so nothing is merged that was apart.
* **Dates from file names:** a post without ``date`` whose file name starts ``YYYY-MM-DD-`` gets
  that date written (what every generator reads from the name already).
* **Slugs** (only with ``--fix-slugs``, since a slug is a URL): a slug the ``slug`` rule
  refuses becomes the one ``postctl new`` would make of it, as ``postctl mv`` does it (file,
  alias, links).

What needs a person (a category near miss, a missing description) is left to the report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection

from postctl.edit import move, terms
from postctl.edit.conventions import Conventions
from postctl.edit.ops import Doc, Workspace
from postctl.edit.splice import EditError, Raw
from postctl.errors import UsageError
from postctl.parse.post import slug_from_path
from postctl.parse.record import json_column

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def plan(
    ws: Workspace,
    conv: Conventions,
    fix_slugs: bool,
    only: list[str] | None,
    rules: Collection[str] = ("yaml-trap", "tag-spelling", "required", "slug"),
) -> None:
    """Plan every fix on ``ws`` (``only``: index paths to fix; None: the whole folder). A fix
    runs only when its rule does (``rules``: the check's active rules, so ``--ignore`` and
    ``--rule`` choose the fixes too): yaml-trap quotes, tag-spelling respells, required (its
    date) writes a date from the file name, slug (with ``fix_slugs``) renames."""
    conn = ws.ix.conn
    rows = conn.execute("SELECT path, slug, key_lines, problems FROM posts ORDER BY path")
    wanted = None if only is None else set(only)
    posts = [r for r in rows if wanted is None or r[0] in wanted]
    for rel, _slug, key_lines, problems in posts:
        traps = [p for p in json_column(problems) if p[0] == "yaml-trap" and p[2] is not None]
        traps = traps if "yaml-trap" in rules else []
        lines = json_column(key_lines)
        _, day = slug_from_path(rel)
        if "required" not in rules or "date" in lines:
            day = None
        if not traps and day is None:
            continue
        doc = ws.load(rel)
        if doc is None:
            continue
        try:
            for _, _, line, col, *_ in traps:
                quote_at(doc, int(line), int(col or 1))
            if day is not None and doc.fmt != "none":
                doc.set("date", Raw(day))
        except EditError as e:
            ws.problems.append(f"{ws.shown(rel)}: {e.message}; not fixed")
            ws.docs.pop(rel, None)
    if "tag-spelling" in rules:
        _spellings(ws, wanted)
    if fix_slugs and "slug" in rules:
        for rel, slug, _, _ in posts:
            if not _SLUG.fullmatch(slug):
                _fix_slug(ws, rel, slug, conv)


def quote_at(doc: Doc, line: int, col: int) -> None:
    """Double-quote the plain scalar (a value, a list item or a key) at line:col."""
    pos = 0
    for _ in range(line - 1):
        pos = doc.text.find("\n", pos) + 1
        if pos == 0:
            return
    pos += col - 1
    for entry in doc.lay.entries.values():
        spans = [(i.start, i.end, i.style) for i in entry.items or ()]
        spans.append((entry.value_start, entry.value_end, entry.style))
        key_start = entry.key_end - len(entry.key.rpartition(".")[2])
        spans.append((key_start, entry.key_end, ""))
        for start, end, style in spans:
            if start == pos and not style and end > start:
                raw = doc.text[start:end]
                doc.replace_body(start, end, json.dumps(raw, ensure_ascii=False))
                return


def _spellings(ws: Workspace, only: set[str] | None) -> None:
    """One spelling per tag: the one most posts use (on a tie: lowercase, then alphabetical)."""
    conn = ws.ix.conn
    rows = conn.execute(
        "SELECT slug, name, count(DISTINCT path) FROM post_tags WHERE slug IN "
        "(SELECT slug FROM post_tags GROUP BY slug HAVING count(DISTINCT name) > 1) "
        "GROUP BY slug, name"
    )
    spellings: dict[str, dict[str, int]] = {}
    for slug, name, n in rows:
        spellings.setdefault(slug, {})[name] = n
    for names in spellings.values():
        best = preferred(names)
        for rel in terms.posts_with(ws, terms.TAGS, [best]):
            if only is not None and rel not in only:
                continue
            doc = ws.load(rel)
            if doc is None:
                continue
            try:
                terms.retag(doc, terms.TAGS, [best], best)
            except EditError as e:
                ws.problems.append(f"{ws.shown(rel)}: {e.message}; not fixed")
                ws.docs.pop(rel, None)


def preferred(names: dict[str, int]) -> str:
    """The spelling to keep: most posts, then all lowercase, then alphabetical."""
    return min(names, key=lambda n: (-names[n], n != n.lower(), n))


def _fix_slug(ws: Workspace, rel: str, slug: str, conv: Conventions) -> None:
    from postctl.edit.scaffold import slug_for

    better = slug_for(slug, "")
    if not better or better == slug or not _SLUG.fullmatch(better):
        ws.problems.append(f'{ws.shown(rel)}: no slug to make of "{slug}"; not fixed')
        return
    try:
        move.move(ws, rel, better, conv)
    except (EditError, UsageError) as e:
        ws.problems.append(f"{ws.shown(rel)}: {e.message}; slug not fixed")
