"""Dates as postctl stores them: ISO 8601 text as written (for display) and a UTC instant (for
comparing and sorting). Kept apart from the parser so that commands that only filter by date
(--since, --where date>...) do not import it.

A date-only value stays a date (``2026-06-10``); a date and time becomes an instant: its offset
as written, or the site's time zone when it has none (UTC when the site names none). The
sort key is ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC, fixed width, so text order is time order
(a date-only key sorts before every instant of that day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S.%f %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
)


def parse_date(value: Any) -> dt.date | dt.datetime | None:
    """A YAML/TOML date, datetime or string → date or datetime; None when it is not a date."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    try:
        if len(s) == 10:
            return dt.date.fromisoformat(s)
        return dt.datetime.fromisoformat(s)
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    return None


def _iso(when: dt.datetime) -> str:
    """Seconds, or milliseconds, or microseconds: as precise as the value is."""
    if when.microsecond == 0:
        spec = "seconds"
    elif when.microsecond % 1000 == 0:
        spec = "milliseconds"
    else:
        spec = "microseconds"
    return when.isoformat(timespec=spec)


def normalize_date(value: Any) -> str | None:
    """A YAML/TOML date, datetime or string → ISO 8601 text as written (its offset kept);
    None when it is not a date."""
    when = parse_date(value)
    if when is None:
        return None
    if isinstance(when, dt.datetime):
        return _iso(when)
    return when.isoformat()


def instant(value: Any, zone: dt.tzinfo = dt.UTC) -> str | None:
    """The sort key of a date: ``2026-06-10`` for a date, the UTC instant
    ``2026-06-10T07:30:00.000000Z`` for a date and time (naive ones are in ``zone``)."""
    when = parse_date(value)
    if when is None:
        return None
    if not isinstance(when, dt.datetime):
        return when.isoformat()
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
