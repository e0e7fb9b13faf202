"""Hugo: content files under ``contentDir`` (or the folders ``module.mounts`` mount as content,
or one per language); ``_index.*`` is a section page; ``dir/index.*`` a leaf bundle whose other
content files are its resources; build options (``build``/``_build``, legacy ``headless``, and
``cascade`` from a section) take pages out of lists.

Front-matter keys are case-insensitive (``publishDate`` is ``publishdate``). The date is the
first of ``date``, ``publishDate``, ``pubdate``, ``published``, ``lastmod``, ``modified``, or
what ``[frontmatter] date`` says (``:filename`` takes the file name's date, off by default).
Taxonomies are ``categories`` and ``tags`` unless ``[taxonomies]`` replaces them. Dates without
an offset are in ``timeZone``, else UTC. The URL is the lowercased content path, ``slug`` its
last segment, ``url`` all of it: URLs, not slugs, must be unique.

Sources: gohugo.io/content-management/{page-bundles,build-options,front-matter,urls},
gohugo.io/configuration/{front-matter,taxonomies}, hugo/resources/page/pagemeta/
page_frontmatter.go; behaviour confirmed with ``hugo list all`` (tests/dialects).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from postctl.parse.dialects.base import (
    HEADLESS,
    URL_SAFE,
    URL_SAFE_WORDS,
    Cascade,
    Dialect,
    LinkSyntax,
    Site,
    load_config,
    matches_glob,
)

CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
LEGACY_NAMES = ("config.toml", "config.yaml", "config.yml", "config.json")
_DEFAULT_DATE = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")


def is_hugo_config(path: Path) -> bool:
    """A legacy ``config.toml`` is Hugo's unless it is Zola's (``base_url``)."""
    if path.name in CONFIG_NAMES:
        return True
    data = load_config(path)
    return "base_url" not in data


def config_file(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    for name in CONFIG_NAMES + LEGACY_NAMES:
        if (root / "config" / "_default" / name).is_file():
            return root / "config" / "_default" / name
    for name in LEGACY_NAMES:
        if (root / name).is_file() and is_hugo_config(root / name):
            return root / name
    return None


def _lower(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k).lower(): _lower(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_lower(v) for v in data]
    return data


def configure(site: Site) -> Site:
    path = config_file(Path(site.root))
    cfg: dict[str, Any] = _lower(load_config(path)) if path else {}
    root = Path(site.root)
    found = _content_dirs(root, cfg)
    dirs = [d for d, _ in found]
    languages: tuple[str, ...] = ()
    codes: tuple[tuple[str, str], ...] = ()
    if len(dirs) == 1:
        content = dirs[0]
    else:
        content = Path(os.path.commonpath([str(d) for d in dirs]))
        languages = tuple(sorted(str(d.relative_to(content)) for d in dirs))
        codes = tuple((str(d.relative_to(content)), lang) for d, lang in found if lang)
    langs = cfg.get("languages")
    default = str(cfg.get("defaultcontentlanguage") or "en").lower()
    taxonomies = cfg.get("taxonomies")
    plurals: tuple[str, ...] = ("categories", "tags")
    if isinstance(taxonomies, dict):
        plurals = tuple(str(v).lower() for v in taxonomies.values() if isinstance(v, str))
    fm = cfg.get("frontmatter")
    date_keys: tuple[str, ...] = _DEFAULT_DATE
    file_date = False
    if isinstance(fm, dict) and isinstance(fm.get("date"), list):
        keys: list[str] = []
        for k in fm["date"]:
            k = str(k).lower()
            if k == ":default":
                keys.extend(_DEFAULT_DATE)
            elif k == ":filename":
                file_date = True
            elif not k.startswith(":"):
                keys.append(k)
        date_keys = tuple(keys)
    tz = cfg.get("timezone")
    hooks = ("layouts/_markup/render-link.html", "layouts/_default/_markup/render-link.html")
    return site.fields(
        link_hook=any((root / h).is_file() for h in hooks),
        content=str(content),
        config_file=str(path) if path else None,
        languages=languages,
        language_dirs=codes,
        # post.fr.md is French only where fr is a language; the default language always is
        # (Hugo 0.168: with no [languages], d.en.md is /d/ and a.fr.md is /a.fr/)
        language_codes=frozenset({str(k).lower() for k in langs} if isinstance(langs, dict) else ())
        | {default},
        default_language=default,
        timezone=tz if isinstance(tz, str) else None,
        category_keys=tuple(k for k in plurals if k == "categories"),
        tag_keys=tuple(k for k in plurals if k == "tags"),
        taxonomies=tuple(k for k in plurals if k not in ("categories", "tags")),
        date_keys=date_keys,
        file_date=file_date,
        build_future=cfg.get("buildfuture") is True,
        build_expired=cfg.get("buildexpired") is True,
    )


def _content_dirs(root: Path, cfg: Mapping[str, Any]) -> list[tuple[Path, str | None]]:
    """contentDir, per-language contentDirs, or the folders mounted as content, each with
    its language where the configuration names one."""
    found: list[tuple[Path, str | None]] = []
    module = cfg.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    if isinstance(mounts, list):
        for m in mounts:
            if isinstance(m, dict) and str(m.get("target", "")).strip("/") == "content":
                lang = m.get("lang")
                found.append((root / str(m.get("source", "content")), lang or None))
    languages = cfg.get("languages")
    if not found and isinstance(languages, dict):
        for code, lang in languages.items():
            if isinstance(lang, dict) and isinstance(lang.get("contentdir"), str):
                found.append((root / lang["contentdir"], str(code)))
    if not found:
        found.append((root / str(cfg.get("contentdir") or "content"), None))
    return found


def context(site: Site, paths: Sequence[str]) -> Site:
    """Leaf bundles (folders with an index file) and the cascades of section pages."""
    suffixes = site.dialect.suffixes
    bundles = set()
    sections = []
    for rel in paths:
        folder, _, name = rel.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        if not dot or "." + ext.lower() not in suffixes:
            continue
        if stem == "index":
            bundles.add(folder)
        elif stem == "_index":
            sections.append(rel)
    cascades = []
    for rel in sorted(sections):
        cascades.extend(_cascades(site, rel))
    return site.fields(bundles=frozenset(bundles), cascades=tuple(cascades))


def _cascades(site: Site, rel: str) -> list[Cascade]:
    from postctl.errors import PostError
    from postctl.parse.post import parse_front_matter

    path = os.path.join(site.content, rel)
    try:
        with open(path, "rb") as fh:
            if b"cascade" not in fh.read().lower():
                return []  # most section pages cascade nothing: no front matter to parse
        meta = parse_front_matter(path)
    except (OSError, PostError):
        return []
    raw = _lower(meta).get("cascade")
    tables = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    folder = rel.rpartition("/")[0]
    out = []
    for table in tables:
        if not isinstance(table, dict):
            continue
        if _hidden(table):
            target = table.get("target") or table.get("_target") or {}
            glob = target.get("path") if isinstance(target, dict) else None
            kind = target.get("kind") if isinstance(target, dict) else None
            if kind and "page" not in str(kind):
                continue
            out.append(Cascade(folder, HEADLESS, glob if isinstance(glob, str) else None))
    return out


def _hidden(meta: Mapping[str, Any]) -> bool:
    """Build options that keep a page out of every list (what ``hugo list`` leaves out)."""
    if meta.get("headless") is True:
        return True
    for key in ("build", "_build"):
        opts = meta.get(key)
        if isinstance(opts, dict):
            lst = opts.get("list")
            # never: in no list; local: only in its own section's pages, not site-wide
            if lst is False or str(lst).lower() in ("never", "local"):
                return True
    return False


def page_kind(site: Site, rel: str, meta: Mapping[str, Any]) -> str | None:
    if _hidden(meta):
        return HEADLESS
    explicit = any(k in meta for k in ("build", "_build", "headless"))
    for c in site.cascades:
        if c.folder and not rel.startswith(c.folder + "/"):
            continue
        if explicit:
            continue  # the page's own build options win over a cascade
        url_path = "/" + rel.rsplit(".", 1)[0]
        if c.path_glob is None or matches_glob(url_path, c.path_glob):
            return c.kind
    return None


DIALECT = Dialect(
    name="hugo",
    markers=(*CONFIG_NAMES, "config/_default", *LEGACY_NAMES),
    suffixes=(".md", ".markdown", ".mdown"),
    skip_dirs=frozenset(),
    section_stems=frozenset({"_index"}),
    leaf_bundles=True,
    fold_keys=True,
    date_keys=_DEFAULT_DATE,
    updated_keys=("lastmod", "modified", "updated"),
    file_date=False,
    url_keys=("url",),
    schedules=True,
    publish_keys=("publishdate", "pubdate", "published"),
    expiry_keys=("expirydate", "unpublishdate"),
    lower_url=True,
    url_unique=True,
    url_has_dirs=True,
    strip_date_from_slug=False,
    slug_rule=URL_SAFE,
    slug_rule_words=URL_SAFE_WORDS,
    category_keys=("categories",),
    links=(
        LinkSyntax(
            "ref",
            re.compile(r"\{\{[<%]-?\s*(?:rel)?ref\s+\"?([^\"\s>%}]+)\"?\s*-?[>%]\}\}"),
            "ref",
        ),
    ),
    required=("title",),
    new_dir="",
    configure=configure,
    context=context,
    page_kind=page_kind,
)
