"""Links in a generator's own syntax (``{% post_url %}``, ``{{< ref >}}``, ``@/``): whether the
target names a file of the site, as the generator would find it; and the template code blocks
whose text is code shown, not links followed."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from postctl.parse.dialects.base import LinkSyntax, Site


def resolve_link(
    site: Site,
    syntax: LinkSyntax,
    target: str,
    rel_folder: str,
    exists: Callable[[str], bool],
) -> bool:
    """Does ``target`` (written with ``syntax`` in a post in ``rel_folder``) name a file that
    exists? ``exists`` takes a path relative to the content root (may start with ``../`` for
    the site root above it)."""
    t = target.strip().strip("\"'").split("#", 1)[0]
    if not t:
        return True
    site_prefix = posixpath.relpath(site.root, site.content).replace("\\", "/")
    if syntax.resolve == "post-name":
        return any(exists(p) for p in _post_names(site, t, rel_folder))
    if syntax.resolve == "site":
        return exists(posixpath.normpath(posixpath.join(site_prefix, t.lstrip("/"))))
    if syntax.resolve == "content":
        return exists(posixpath.normpath(t.lstrip("/")))
    # ref: the page's folder, then the content root (and the language folders); a page may be
    # named without its extension, or as its bundle's folder.
    bases = [t.lstrip("/")] if t.startswith("/") else [posixpath.join(rel_folder, t), t]
    bases += [posixpath.join(lang, t.lstrip("/")) for lang in site.languages]
    for b in bases:
        b = posixpath.normpath(b)
        candidates = [b] + [b + s for s in site.dialect.suffixes]
        candidates += [posixpath.join(b, "index" + s) for s in site.dialect.suffixes]
        candidates += [posixpath.join(b, "_index" + s) for s in site.dialect.suffixes]
        if any(exists(c) for c in candidates):
            return True
    return False


def _post_names(site: Site, name: str, rel_folder: str) -> list[str]:
    out = []
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    base = name.rsplit("/", 1)[-1]
    for d in sorted(site.dialect.post_dirs):
        for s in site.dialect.suffixes:
            out.append(posixpath.join(folder, d, base + s))
    return out


def blank_template_code(site: Site, body: str) -> str:
    """The body with the text of its template code blocks blanked (lines and columns kept)."""
    pattern = site.dialect.template_code
    if pattern is None or "{%" not in body:
        return body
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
