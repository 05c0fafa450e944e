"""The flood limits the Telegram double enforces, as Telegram documents them.

Written independently of the adapter's pacer on purpose: the double is the
referee, so it must not share the rules it checks. A limit "N per W seconds"
refuses a send when N sends were already accepted in the W seconds before it.
Only accepted sends count; a refused one costs nothing (as on Telegram).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

__all__ = ["FloodLimits", "Limiter"]


@dataclass(frozen=True)
class FloodLimits:
    """The same three numbers the bot's config has."""

    max_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    group_per_minute: int = 20
    enabled: bool = True


def _count_and_span(per_second: float) -> tuple[int, float]:
    count = max(1, math.floor(per_second))
    return count, count / per_second


class _Window:
    def __init__(self, count: int, seconds: float) -> None:
        self.count = count
        self.seconds = seconds
        self.accepted: deque[float] = deque()

    def wait(self, now: float) -> float:
        """0 when a send is allowed now, else seconds until it would be."""
        while self.accepted and self.accepted[0] <= now - self.seconds:
            self.accepted.popleft()
        if len(self.accepted) < self.count:
            return 0.0
        return self.accepted[0] + self.seconds - now


class Limiter:
    """Checks one send against the global, per-chat and per-group windows."""

    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        self._global = _Window(*_count_and_span(limits.max_per_second))
        self._chats: dict[int, list[_Window]] = {}

    def check(self, chat_id: int, now: float) -> float:
        """Record the send and return 0, or return the seconds to wait (the send is refused)."""
        if not self.limits.enabled:
            return 0.0
        windows = [self._global, *self._windows_of(chat_id)]
        wait = max(w.wait(now) for w in windows)
        if wait > 0:
            return wait
        for window in windows:
            window.accepted.append(now)
        return 0.0

    def _windows_of(self, chat_id: int) -> list[_Window]:
        windows = self._chats.get(chat_id)
        if windows is None:
            windows = [_Window(*_count_and_span(self.limits.per_chat_per_second))]
            if chat_id < 0:
                windows.append(_Window(self.limits.group_per_minute, 60.0))
            self._chats[chat_id] = windows
        return windows
