"""The program's one clock: what every command, the engine, the senders and the jobs ask for the time.

``system_clock`` is the real one. ``open_core`` takes a clock and hands it to
everything it builds, and ``bot.staff.cli.main`` takes one and hands it to every
command, so a test (or a replay) that passes its own clock sees every
timestamp, quiet hour and due time computed from it, and never from the
machine's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

__all__ = ["Clock", "system_clock"]

Clock = Callable[[], dt.datetime]
"""A function that returns the current time, timezone-aware, in UTC."""


def system_clock() -> dt.datetime:
    """The machine's time, in UTC."""
    return dt.datetime.now(dt.UTC)
