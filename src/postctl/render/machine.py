"""Writers for scripts: json, jsonl, csv and paths. No rich here, so they start fast.

**JSON is strict.** Front matter can hold NaN and infinities (``.nan`` in YAML, ``nan`` in TOML,
``1e999`` in JSON), which Python's encoder writes as ``NaN``/``Infinity``: not JSON, and refused
by strict parsers (jq, browsers, Go, Rust's serde). Every JSON text postctl prints goes through
:func:`dumps`, which writes a non-finite number as ``null`` (a JSON reader cannot tell ``NaN``
from ``null`` usefully anyway) and is called with ``allow_nan=False`` so none can slip through.

**CSV is safe to open in a spreadsheet.** Following OWASP's "CSV Injection" guidance, a text
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (what Excel,
LibreOffice and Google Sheets read as a formula) is written with a ``'`` in front, so the
spreadsheet shows it as text. Numbers are written as they are (``-3`` stays a number). This is
the default because a CSV file's usual reader is a spreadsheet and the cells come from posts,
that is from anyone who can send a pull request; ``--format json``/``jsonl`` give the exact text.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

from postctl.render.inert import inert

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def finite(value: Any) -> Any:
    """``value`` with every NaN and infinity (however deep) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, indent: int | None = 2) -> str:
    """Strict JSON text (see the module docstring): non-finite numbers become null."""
    try:
        return json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:  # a NaN somewhere: the copy is made only then
        return json.dumps(finite(value), ensure_ascii=False, indent=indent, allow_nan=False)


def write_json(records: Sequence[dict[str, Any]], out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    out.write(dumps(list(records)) + "\n")


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    for rec in records:
        out.write(dumps(rec, indent=None) + "\n")


def write_csv(
    records: Sequence[dict[str, Any]], fields: Sequence[str], out: IO[str] | None = None
) -> None:
    """Lists and objects are written as JSON text; text cells that a spreadsheet would run as a
    formula get a ``'`` in front (see the module docstring)."""
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for rec in records:
        writer.writerow([_cell(rec.get(f)) for f in fields])


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return defused(dumps(value, indent=None))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return defused(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return "" if value is None else value


def defused(text: str) -> str:
    """``=1+1`` → ``'=1+1``: text a spreadsheet would read as a formula, made text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_paths(paths: Iterable[str], nul: bool = False, out: IO[str] | None = None) -> None:
    """One path a line (or NUL-ended). Exact when piped, for scripts; on a terminal a name's
    control characters are shown as escapes (as ``ls`` does)."""
    out = out or sys.stdout
    end = "\0" if nul else "\n"
    shown = out.isatty() and not nul
    for p in paths:
        out.write((inert(p) if shown else p) + end)


def write_records(
    fmt: str,
    records: Sequence[dict[str, Any]],
    fields: Sequence[str],
    nul: bool = False,
) -> None:
    if fmt == "json":
        write_json(records)
    elif fmt == "jsonl":
        write_jsonl(records)
    elif fmt == "csv":
        write_csv(records, fields)
    elif fmt == "paths":
        write_paths((str(r["path"]) for r in records), nul)
    else:  # pragma: no cover - the CLI validates formats
        raise ValueError(fmt)
