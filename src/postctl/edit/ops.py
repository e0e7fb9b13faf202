"""The edit pipeline every editing command shares: load → plan → diff → write → re-index.

* :class:`Workspace` loads a post for editing: only a post the index holds, only inside the
  content folder (a symlink is followed only when its target is inside too, and the target is
  what is edited), only when its bytes still hash to what the index holds.
* :class:`Doc` is one file being edited: its bytes as read, its text (BOM and line endings kept),
  and the splices made to it; each splice re-reads the layout of the text it produced.
* :class:`Plan` is the set of changed files; :func:`unified_diff` shows it, :func:`apply` writes
  it through :mod:`postctl.edit.atomic` and says which files were done if one fails.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from postctl.edit import atomic, splice
from postctl.errors import NotFound, PostctlError, PostError, UsageError
from postctl.parse.spans import Layout, layout, parses

if TYPE_CHECKING:
    from postctl.index.store import Index

BOM = "\ufeff"


class Refused(PostctlError):
    """A file an edit may not touch (exit 2)."""


# --------------------------------------------------------------------------- one file


@dataclass
class Doc:
    rel: str  # path relative to the content folder, as indexed
    path: str  # absolute path of the file written (a symlink's target)
    data: bytes  # as read
    text: str  # as edited so far, without the BOM
    bom: str
    _lay: Layout | None
    new_rel: str | None = None  # the file moves here (relative to the content folder)
    new_path: str | None = None
    notes: list[str] = field(default_factory=list)
    diff_cache: tuple[str, list[str]] | None = None

    @classmethod
    def read(cls, rel: str, path: str, data: bytes) -> Doc:
        from postctl.parse.post import decode

        text = decode(rel, data)
        bom = BOM if text.startswith(BOM) else ""
        text = text[len(bom) :]
        return cls(rel, path, data, text, bom, layout(rel, text))

    @property
    def lay(self) -> Layout:
        """The layout of the text as it is now (read again only after a change)."""
        if self._lay is None:
            self._lay = layout(self.rel, self.text)
        return self._lay

    @property
    def fmt(self) -> str:
        return self.lay.fmt

    @property
    def new_bytes(self) -> bytes:
        return (self.bom + self.text).encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.new_bytes != self.data or self.new_rel is not None

    def _apply(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self._lay = None

    def check(self) -> None:
        """Raise PostError unless the text as edited still parses."""
        if self._lay is None:
            parses(self.rel, self.text)

    def has(self, key: str) -> bool:
        return key in self.lay.entries

    def set(self, key: str, value: Any) -> None:
        self._apply(splice.set_value(self.text, self.lay, key, value))

    def unset(self, key: str) -> None:
        self._apply(splice.unset(self.text, self.lay, key))

    def items(self, key: str) -> list[str] | None:
        """A list key's items as strings, or None when the key holds no list of strings."""
        entry = self.lay.entries.get(key)
        if entry is None or entry.items is None:
            return None
        return [splice.item_value(self.text, i) for i in entry.items]

    def edit_items(self, key: str, new: list[str | None], append: Iterable[str] = ()) -> None:
        self._apply(splice.edit_items(self.text, self.lay, key, new, list(append)))

    def value(self, key: str) -> Any:
        """The key's value as the parser reads it (None when absent)."""
        value: Any = self.meta()
        for part in key.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def meta(self) -> dict[str, Any]:
        """The front matter's values as a YAML 1.1, TOML or JSON reader sees them (a value
        such a reader refuses, ``2026-13-45``, is read as text)."""
        fm = self.text[self.lay.start : self.lay.end]
        data: Any = {}
        if self.fmt == "yaml":
            import yaml

            try:
                data = yaml.load(fm, Loader=_loader())
            except yaml.YAMLError:
                data = {}
        elif self.fmt == "toml":
            import tomllib

            data = tomllib.loads(fm.replace("\r\n", "\n"))
        elif self.fmt == "json":
            data = json.loads(self.text[: self.lay.end + 1])
        return data if isinstance(data, dict) else {}

    def replace_body(self, start: int, end: int, new: str) -> None:
        """Replace text[start:end] (an offset into the text after the front matter)."""
        self._apply(self.text[:start] + new + self.text[end:])

    @property
    def body_start(self) -> int:
        if self.fmt == "none":
            return 0
        nl = self.text.find("\n", self.lay.end)
        return len(self.text) if nl == -1 else nl + 1


@functools.cache
def _loader() -> Any:
    """PyYAML's C SafeLoader, reading a scalar it cannot convert (``2026-13-45``) as text and
    every key as written (``on:`` is the key "on", as the parser reads it, not True)."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def construct_mapping(self: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            plain = isinstance(knode, yaml.ScalarNode)
            key = knode.value if plain else self.construct_object(knode, deep=deep)
            out[key] = self.construct_object(vnode, deep=deep)
        return out

    loader: Any = type("EditLoader", (base,), {"construct_mapping": construct_mapping})
    for tag in ("bool", "int", "float", "timestamp"):
        full = f"tag:yaml.org,2002:{tag}"
        loader.add_constructor(full, _tolerant(base.yaml_constructors[full]))
    return loader


def _tolerant(construct: Any) -> Any:
    def tolerant(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError):
            return node.value

    return tolerant


# --------------------------------------------------------------------------- the folder


class Workspace:
    """The posts of one edit, loaded once each, checked to be editable."""

    def __init__(self, ix: Index, find: Callable[[Index, str], Any] | None = None) -> None:
        self.ix = ix
        self.find = find or _no_lookup
        self.root = str(ix.settings.content_dir)
        self.real_root = os.path.realpath(self.root)
        self.docs: dict[str, Doc] = {}
        self.problems: list[str] = []  # "path: why it was not edited"
        self.dirs: list[tuple[str, str]] = []  # bundle folders to rename (absolute paths)
        self._real: set[str] = set()  # the real paths of the docs loaded
        self._hashes: dict[str, str] | None = None

    def shown(self, rel: str) -> str:
        return self.ix.shown_content + rel

    def inside(self, path: str) -> str | None:
        """``path``'s real path when it is inside the content folder, else None."""
        real = os.path.realpath(path)
        if real == self.real_root or not real.startswith(self.real_root + os.sep):
            return None
        return real

    def load(self, rel: str) -> Doc | None:
        """The post at ``rel`` ready to edit, or None (the reason noted in ``problems``)."""
        if rel in self.docs:
            return self.docs[rel]
        if self._hashes is None:  # one query for every post, not one per post
            self._hashes = dict(self.ix.conn.execute("SELECT path, hash FROM posts").fetchall())
        digest = self._hashes.get(rel)
        if digest is None:
            self.problems.append(f"{self.shown(rel)}: not an indexed post; not edited")
            return None
        path = os.path.join(self.root, rel)
        real = self.inside(path)
        if real is None:
            self.problems.append(f"{self.shown(rel)}: leads outside the content folder; not edited")
            return None
        try:
            data = atomic.read_bytes(real)
        except OSError as e:
            self.problems.append(f"{self.shown(rel)}: cannot read: {e.strerror}; not edited")
            return None
        if atomic.digest(data) != digest:
            self.problems.append(
                f"{self.shown(rel)}: changed since it was indexed; not edited (run the command "
                "again)"
            )
            return None
        try:
            doc = Doc.read(rel, real, data)
        except PostError as e:
            self.problems.append(f"{self.shown(rel)}: {e.reason}; not edited")
            return None
        if real in self._real:  # two symlinks, one file
            return None
        self._real.add(real)
        self.docs[rel] = doc
        return doc

    def paths(self, refs: Iterable[str]) -> list[str]:
        """Index paths for command-line paths (files or folders) or slugs. A file or slug is
        looked up with ``self.find`` (the query layer's, set by the command)."""
        out: list[str] = []
        for ref in refs:
            full = os.path.abspath(ref)
            if os.path.isdir(full):
                real = self.inside(full) if full != self.root else self.real_root
                if real is None:
                    raise Refused(f"{ref}: outside the content folder")
                prefix = os.path.relpath(full, self.root).replace(os.sep, "/")
                prefix = "" if prefix == "." else prefix + "/"
                rows = self.ix.conn.execute(
                    "SELECT path FROM posts WHERE substr(path, 1, ?) = ? ORDER BY path",
                    (len(prefix), prefix),
                )
                out += [r[0] for r in rows if r[0] not in out]
                continue
            if os.path.lexists(full) and self.inside(full) is None and "/" in ref:
                raise Refused(f"{ref}: outside the content folder; postctl edits only posts in it")
            try:
                row = self.find(self.ix, ref)
            except NotFound:
                raise NotFound(f"{ref}: not a post in the content folder") from None
            if row["path"] not in out:
                out.append(row["path"])
        return out

    def plan(self) -> Plan:
        """The changed files; one whose new text would not parse is left out and reported."""
        docs = []
        for doc in self.docs.values():
            if not doc.changed:
                continue
            try:  # the new front matter must still parse: an edit never breaks a post
                doc.check()
            except PostError as e:  # pragma: no cover - a splice bug, caught before writing
                self.problems.append(f"{self.shown(doc.rel)}: the edit would break it: {e}")
                continue
            docs.append(doc)
        return Plan(docs, list(self.problems), self.dirs)


def _no_lookup(ix: Index, ref: str) -> Any:
    raise UsageError(f"{ref}: not a path in the content folder")


# --------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    docs: list[Doc]
    problems: list[str]
    dirs: list[tuple[str, str]] = field(default_factory=list)

    def final(self, doc: Doc, root: str) -> str:
        """Where the doc ends up, relative to the content folder (moved, or in a moved folder)."""
        rel = doc.new_rel or doc.rel
        for old, new in self.dirs:
            old_rel = os.path.relpath(old, root).replace(os.sep, "/")
            if rel.startswith(old_rel + "/"):
                return os.path.relpath(new, root).replace(os.sep, "/") + rel[len(old_rel) :]
        return rel

    def lines(self) -> tuple[int, int]:
        """(lines removed, lines added) over every file."""
        removed = added = 0
        for d in self.docs:
            r, a = line_counts(d)
            removed, added = removed + r, added + a
        return removed, added


_HUNK = re.compile(r"@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")
CONTEXT = 3  # lines of context around a change, as diff -u and git diff show


def _diff(
    a: list[str], b: list[str], fromfile: str = "", tofile: str = "", offset: int = 0
) -> list[str]:
    """difflib's unified diff of ``a`` and ``b``, run only over the lines between their common
    head and tail: an edit touches a few lines of a long post, and difflib over whole posts
    was 2.2 s of a 519-file rename. ``offset``: lines before ``a`` and ``b`` (hunks are
    numbered from the file's start)."""
    head = _common(a, b)
    tail = _common(a[head:][::-1], b[head:][::-1])
    start = max(0, head - CONTEXT)
    keep = max(0, tail - CONTEXT)
    lines = list(
        difflib.unified_diff(a[start : len(a) - keep], b[start : len(b) - keep], fromfile, tofile)
    )
    shift_by = start + offset

    def shift(m: re.Match[str]) -> str:
        old, new = int(m.group(1)) + shift_by, int(m.group(3)) + shift_by
        return f"@@ -{old}{m.group(2) or ''} +{new}{m.group(4) or ''} @@"

    return [_HUNK.sub(shift, line, count=1) if line.startswith("@@") else line for line in lines]


def _common(a: Sequence[Any], b: Sequence[Any]) -> int:
    """How many items (lines, characters) ``a`` and ``b`` share at their start (a binary search
    of slice comparisons, which run in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_tail(a: str, b: str, limit: int) -> int:
    """How many characters ``a`` and ``b`` share at their end, at most ``limit``. One edit in
    one place leaves them sharing all they can: that is tried first, in one comparison."""
    if limit <= 0:
        return 0
    if a[len(a) - limit :] == b[len(b) - limit :]:
        return limit
    lo, hi = 0, limit - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _text_diff(old: str, new: str, fromfile: str, tofile: str) -> list[str]:
    """:func:`_diff` of two texts' lines (``str.splitlines``), without splitting either whole:
    the texts' common head and tail are found character by character, and only the lines
    between them, with their context, are split and compared. The result is _diff's over
    every line (``tests/edit/test_diff.py`` holds them equal)."""
    if old == new:
        return []
    p = _common(old, new)
    s = _common_tail(old, new, min(len(old), len(new)) - p)
    cut = old.rfind("\n", 0, p) + 1  # the lines before it are the same in both
    end_old = old.find("\n", len(old) - s)  # and those after the line break at end_old
    end_old = len(old) if end_old == -1 else end_old + 1
    end_new = end_old + len(new) - len(old)
    before = old[:cut].splitlines(keepends=True)
    stop = end_old
    for _ in range(CONTEXT):  # CONTEXT line breaks on: at least CONTEXT lines
        stop = old.find("\n", stop) + 1 or len(old)
    after = old[end_old:stop].splitlines(keepends=True)[:CONTEXT]
    context = before[len(before) - CONTEXT :] if len(before) > CONTEXT else before
    a = context + old[cut:end_old].splitlines(keepends=True) + after
    b = context + new[cut:end_new].splitlines(keepends=True) + after
    return _diff(a, b, fromfile, tofile, offset=len(before) - len(context))


def _doc_diff(doc: Doc) -> list[str]:
    """The doc's diff lines under the labels a/- and b/- (computed once per text)."""
    if doc.diff_cache is None or doc.diff_cache[0] != doc.text:
        old, new = doc.data.decode("utf-8"), doc.bom + doc.text
        doc.diff_cache = (doc.text, _text_diff(old, new, "a/-", "b/-"))
    return doc.diff_cache[1]


def line_counts(doc: Doc) -> tuple[int, int]:
    removed = added = 0
    for line in _doc_diff(doc)[2:]:
        if line.startswith("-") and not line.startswith("---"):
            removed += 1
        elif line.startswith("+") and not line.startswith("+++"):
            added += 1
    return removed, added


def unified_diff(doc: Doc, shown: str, shown_new: str) -> str:
    """The change to one file as a unified diff (``git apply`` takes it)."""
    out = [f"diff --git a/{shown} b/{shown_new}\n"]
    if shown != shown_new:
        out += [f"rename from {shown}\n", f"rename to {shown_new}\n"]
    body = _doc_diff(doc)
    if body:
        body = [f"--- a/{shown}\n", f"+++ b/{shown_new}\n", *body[2:]]
    for line in body:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out) if body or shown != shown_new else ""


@dataclass
class Outcome:
    done: list[Doc] = field(default_factory=list)
    failed: list[tuple[Doc, str]] = field(default_factory=list)
    not_reached: list[Doc] = field(default_factory=list)
    swept: list[str] = field(default_factory=list)  # stale temporaries of a killed edit


def apply(plan: Plan, root: str) -> Outcome:
    """Write every changed file. Each is staged beside its original and flushed to disk first;
    then renamed into place one by one. A file changed meanwhile is left and reported; any other
    failure (disk full, permission) stops the edit: the files before it are done, the rest
    untouched."""
    out = Outcome()
    real_root = os.path.realpath(root)
    out.swept = atomic.sweep(sorted({os.path.dirname(d.path) for d in plan.docs}))
    staged: list[tuple[Doc, atomic.Staged]] = []
    try:
        for doc in plan.docs:
            new_path = None
            if doc.new_rel is not None:
                new_path = os.path.join(root, doc.new_rel)
                if not os.path.realpath(new_path).startswith(real_root + os.sep):
                    out.failed.append((doc, "its new place leads outside the content folder"))
                    continue
                os.makedirs(os.path.dirname(new_path), exist_ok=True)
            staged.append(
                (doc, atomic.stage(doc.path, doc.new_bytes, atomic.digest(doc.data), new_path))
            )
        atomic.flush([s for _, s in staged])
    except OSError as e:
        for _, s in staged:
            atomic.discard(s)
        done = {id(d) for d, _ in staged}
        failed = next((d for d in plan.docs if id(d) not in done), plan.docs[0])
        out.failed.append((failed, e.strerror or str(e)))
        out.not_reached = [d for d in plan.docs if d is not failed]
        return out
    for i, (doc, s) in enumerate(staged):
        try:
            atomic.commit(s)
        except atomic.Changed:
            out.failed.append((doc, "changed since it was read; not edited"))
            continue
        except (PostctlError, OSError) as e:
            why = e.message if isinstance(e, PostctlError) else (e.strerror or str(e))
            out.failed.append((doc, why))
            for _, rest in staged[i:]:
                atomic.discard(rest)
            out.not_reached = [d for d, _ in staged[i + 1 :]]
            return out
        out.done.append(doc)
    for old, new in plan.dirs:
        if os.path.lexists(new):
            raise UsageError(f"{new}: exists already; not replaced")
        os.rename(old, new)
    return out


# --------------------------------------------------------------------------- git


def git_dirty(folder: str, paths: Iterable[str]) -> tuple[bool, dict[str, str]]:
    """(is ``folder`` in a git work tree, which of ``paths`` have uncommitted changes: path →
    "untracked" or "modified"). Without git, or outside a work tree: (False, {})."""
    git = shutil.which("git")
    if git is None:
        return False, {}
    paths = list(paths)
    try:
        top = subprocess.run(
            [git, "-C", folder, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if top.returncode != 0:
            return False, {}
        root = top.stdout.strip()
        status = subprocess.run(
            [git, "-C", root, "status", "--porcelain=v1", "-z", "--", *paths],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False, {}
    dirty: dict[str, str] = {}
    entries = status.stdout.split(b"\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        name = os.path.realpath(os.path.join(root, os.fsdecode(entry[3:])))
        dirty[name] = "untracked" if entry[:2] == b"??" else "modified"
        if entry[:1] in (b"R", b"C"):
            i += 1  # the rename's source
    return True, {p: dirty[os.path.realpath(p)] for p in paths if os.path.realpath(p) in dirty}
