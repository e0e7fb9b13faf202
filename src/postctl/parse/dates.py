"""Dates as postctl stores them: ISO 8601 text. Kept apart from the parser so that commands
that only filter by date (--since, --where date>...) do not import it."""

from __future__ import annotations

import datetime as dt
from typing import Any


def normalize_date(value: Any) -> str | None:
    """A YAML/TOML date, datetime or string → ISO 8601 text; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return None
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return None
        try:
            if len(s) == 10:
                return dt.date.fromisoformat(s).isoformat()
            return dt.datetime.fromisoformat(s).isoformat(timespec="seconds")
        except ValueError:
            pass
        for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%dT%H:%M:%S%z"):
            try:
                return dt.datetime.strptime(s, fmt).isoformat(timespec="seconds")
            except ValueError:
                continue
    return None
