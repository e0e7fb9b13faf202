"""Writers for scripts: json, jsonl, csv and paths. No rich here, so they start fast."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any


def write_json(records: Sequence[dict[str, Any]], out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    json.dump(list(records), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_csv(
    records: Sequence[dict[str, Any]], fields: Sequence[str], out: IO[str] | None = None
) -> None:
    """Lists and objects are written as JSON text, so every cell round-trips."""
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for rec in records:
        writer.writerow([_cell(rec.get(f)) for f in fields])


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_paths(paths: Iterable[str], nul: bool = False, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    end = "\0" if nul else "\n"
    for p in paths:
        out.write(p + end)


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
