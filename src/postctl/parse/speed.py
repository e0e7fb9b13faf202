"""The reading speed and the arithmetic on it, kept apart from :mod:`postctl.parse.readtime`:
settings, which every command reads (``--version`` included), and listings from the index need
the numbers but not the regular expressions readtime compiles when imported (48 M instructions
of ``postctl --version``'s 339 M, callgrind; 5 ms of a warm ``list``, -X importtime)."""

from __future__ import annotations

import math

DEFAULT_WPM = 238  # words per minute for non-fiction (Brysbaert 2019)


def total_seconds(words: int, other_seconds: float, wpm: int = DEFAULT_WPM) -> float:
    if wpm <= 0:
        raise ValueError("words per minute must be positive")
    return words * 60.0 / wpm + other_seconds


def minutes(words: int, other_seconds: float, wpm: int = DEFAULT_WPM) -> int:
    """Whole minutes, rounded up, at least one."""
    return max(1, math.ceil(round(total_seconds(words, other_seconds, wpm), 6) / 60))
