"""The database going away and coming back: how every task of ``mitwirken run`` notices it.

A database outage (PostgreSQL stopped or restarting, the network to it gone,
SQLite locked by another process beyond its busy timeout) is not a bug: every
task waits, tries again with a growing pause, and goes on by itself when the
database answers again. ``Outage`` is the one place that knows whether the
database is away for this process: the first task to fail logs one WARNING
(since when, how many replies wait), the first to succeed afterwards one
INFO; in between the tasks stay quiet — no flood of tracebacks.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.clock import Clock, system_clock

__all__ = ["MAX_PAUSE", "Outage", "is_outage"]

log = logging.getLogger(__name__)

FIRST_PAUSE = 0.5
MAX_PAUSE = 5.0  # the database back: every task resumes within this many seconds


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database can't be reached now (rather than that a statement is wrong)."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class Outage:
    """Whether the database answers, for this process; safe to use from any thread.

    A lone failure (a write that lost a race for SQLite's lock) is no outage: the WARNING comes
    when failures go on for ``NOTICE_AFTER`` seconds. A write that succeeds ends an outage; a
    read only when no failure came for ``READS_TRUSTED_AFTER`` seconds (SQLite held locked by
    another process still serves reads)."""

    NOTICE_AFTER = 2.0
    READS_TRUSTED_AFTER = 10.0

    def __init__(self, clock: Clock = system_clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._first: dt.datetime | None = None  # the first failure since the database last answered
        self._last: dt.datetime | None = None
        self._noticed = False  # the WARNING was logged
        self._failures = 0
        self._waiting: list[Callable[[], int]] = []

    @property
    def down(self) -> bool:
        return self._noticed

    def count_waiting(self, count: Callable[[], int]) -> None:
        """Add to the WARNING how many replies a sender holds that wait for the database."""
        self._waiting.append(count)

    def failed(self, exc: BaseException) -> float:
        """A task could not reach the database; returns the seconds it should pause before trying again."""
        now = self.clock()
        with self._lock:
            self._failures += 1
            self._first = self._first or now
            self._last = now
            notice = not self._noticed and (now - self._first).total_seconds() >= self.NOTICE_AFTER
            self._noticed = self._noticed or notice
            since, failures = self._first, self._failures
        if notice:
            log.warning(
                "the database is unreachable since %s (%s); %d replies in hand wait, messages that arrive "
                "are taken in when it is back; retrying",
                since.astimezone(dt.UTC).strftime("%H:%M:%S UTC"),
                type(exc).__name__,
                sum(count() for count in self._waiting),
            )
        return float(min(MAX_PAUSE, FIRST_PAUSE * 2 ** min(failures - 1, 8)))

    def answered(self, *, wrote: bool = True) -> None:
        """A task reached the database (``wrote``: and changed something); if it was away, say once
        that it is back."""
        if self._first is None:
            return
        now = self.clock()
        with self._lock:
            if self._first is None or self._last is None:
                return
            if not wrote and (now - self._last).total_seconds() < self.READS_TRUSTED_AFTER:
                return
            since, noticed = self._first, self._noticed
            self._first = self._last = None
            self._noticed, self._failures = False, 0
        if noticed:
            log.info("the database answers again after %.0f s; everything resumes", (now - since).total_seconds())

    def guard(self, exc: BaseException) -> float | None:
        """``failed`` for an outage error; None for any other error."""
        if isinstance(exc, SQLAlchemyError) and is_outage(exc):
            return self.failed(exc)
        return None

    def pause_after(self, exc: BaseException) -> float:
        """``failed`` for an outage error, returning the pause; any other error is raised again."""
        pause = self.guard(exc)
        if pause is None:
            raise exc
        return pause
