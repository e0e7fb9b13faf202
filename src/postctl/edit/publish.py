"""``publish`` and ``unpublish``: the draft flag each generator reads, and Jekyll's folders.

* A ``draft`` key is set to false (publish) or true; a ``published`` key to true or false.
* Jekyll: ``_drafts/slug.md`` moves to ``_posts/YYYY-MM-DD-slug.md`` (the date it is published
  on) and back to ``_drafts/slug.md``, as jekyll-compose's ``publish`` and ``unpublish`` do; a
  post in ``_posts/`` that is unpublished keeps its date in front matter, so nothing is lost.
* A post with neither key nor folder gets ``draft: true`` (Jekyll: ``published: false``).
* Publishing sets ``date`` to now unless ``--keep-date``, written like the date it replaces
  (a date stays a date; Jekyll's ``2026-06-10 09:30:00 +0200`` stays in that form).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from postctl.edit.conventions import Conventions
from postctl.edit.ops import Doc, Workspace
from postctl.edit.splice import EditError, Raw
from postctl.parse.post import slug_from_path

_JEKYLL_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( [-+]\d{4})?$")


def _is_draft(doc: Doc) -> bool:
    draft = doc.value("draft")
    published = doc.value("published")
    return draft is True or published is False or "_drafts" in doc.rel.split("/")[:-1]


def date_text(old: object, now: dt.datetime, conv: Conventions, raw: str | None) -> Raw:
    """``now`` written like the date it replaces, else as the generator writes dates."""
    if raw is not None and _JEKYLL_TIME.match(raw.strip().strip("'\"")):
        return Raw(now.strftime("%Y-%m-%d %H:%M:%S %z"))
    if isinstance(old, dt.datetime) or (isinstance(old, str) and "T" in old):
        return Raw(now.isoformat(timespec="seconds"))
    if isinstance(old, dt.date) or (isinstance(old, str) and len(old.strip()) == 10):
        return Raw(now.date().isoformat())
    if conv.name == "jekyll":
        return Raw(now.strftime("%Y-%m-%d %H:%M:%S %z"))
    if conv.name in ("hugo", "zola"):
        return Raw(now.isoformat(timespec="seconds"))
    return Raw(now.date().isoformat())


def _raw_value(doc: Doc, key: str) -> str | None:
    entry = doc.lay.entries.get(key)
    return None if entry is None else doc.text[entry.value_start : entry.value_end]


def publish(
    ws: Workspace, doc: Doc, conv: Conventions, keep_date: bool, now: dt.datetime | None = None
) -> None:
    now = now or dt.datetime.now().astimezone().replace(microsecond=0)
    if not _is_draft(doc):
        raise EditError("is published already")
    if doc.value("draft") is True:
        doc.set("draft", False)
    if doc.value("published") is False:
        doc.set("published", True)
    if not keep_date:
        doc.set("date", date_text(doc.value("date"), now, conv, _raw_value(doc, "date")))
    parts = doc.rel.split("/")
    if "_drafts" in parts[:-1]:
        i = len(parts) - 2 - parts[::-1][1:].index("_drafts")
        slug, day = slug_from_path(parts[-1])
        date = now.date().isoformat() if not keep_date else _post_day(doc, day, now)
        ext = posixpath.splitext(parts[-1])[1]
        new = [*parts[:i], "_posts", *parts[i + 1 : -1], f"{date}-{slug}{ext}"]
        _move(ws, doc, "/".join(new))


def _post_day(doc: Doc, day: str | None, now: dt.datetime) -> str:
    from postctl.parse.dates import normalize_date

    value = doc.value("date")
    iso = normalize_date(value) if value is not None else None
    return (iso or day or now.date().isoformat())[:10]


def unpublish(ws: Workspace, doc: Doc, conv: Conventions) -> None:
    if _is_draft(doc):
        raise EditError("is a draft already")
    parts = doc.rel.split("/")
    if conv.drafts_folder and "_posts" in parts[:-1]:
        i = len(parts) - 2 - parts[::-1][1:].index("_posts")
        slug, day = slug_from_path(parts[-1])
        if day is not None and not doc.has("date"):
            doc.set("date", Raw(day))  # the date was in the name: keep it
        ext = posixpath.splitext(parts[-1])[1]
        _move(ws, doc, "/".join([*parts[:i], "_drafts", *parts[i + 1 : -1], f"{slug}{ext}"]))
        return
    if doc.has("draft"):
        doc.set("draft", True)
    elif doc.has("published") or conv.name == "jekyll":
        doc.set("published", False)
    else:
        doc.set("draft", True)


def _move(ws: Workspace, doc: Doc, new_rel: str) -> None:
    import os

    target = os.path.join(ws.root, new_rel)
    if os.path.lexists(target):
        raise EditError(f"{ws.shown(new_rel)} exists already")
    doc.new_rel = new_rel
