"""Loaded only by ``make test-at``: lets the suite run under libfaketime with the real monotonic clock.

With ``FAKETIME_DONT_FAKE_MONOTONIC=1`` (so timers, ``select`` and asyncio keep
working), libfaketime 0.9.10 answers ``clock_nanosleep(CLOCK_MONOTONIC,
TIMER_ABSTIME)`` — what ``time.sleep`` uses since Python 3.11 — with EINVAL.
``select`` with a timeout sleeps just as well and is not faked, so this puts
it behind ``time.sleep`` for every Python process of the run (the suite and
the ``mitwirken`` processes it starts, which inherit ``PYTHONPATH``).
"""

import select
import time


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


time.sleep = _sleep
