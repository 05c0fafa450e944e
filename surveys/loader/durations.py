"""Durations as staff write them in a file: ``"2d"``, ``"12h"``, ``"30m"``, ``"1d12h"``."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_duration"]

_DURATION = re.compile(r"\s*(?:(\d{1,4})\s*d)?\s*(?:(\d{1,5})\s*h)?\s*(?:(\d{1,6})\s*m)?\s*")


def parse_duration(text: str) -> dt.timedelta | None:
    """Days, hours and minutes in that order, each optional; None unless positive and well-formed."""
    match = _DURATION.fullmatch(text.lower())
    if match is None or not any(match.groups()):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    duration = dt.timedelta(days=days, hours=hours, minutes=minutes)
    return duration if duration > dt.timedelta(0) else None
