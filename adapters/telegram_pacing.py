"""Pacing for the Telegram sender: stay inside the Bot API limits, before Telegram says so.

Telegram allows about 30 messages per second overall, one per second in a
chat and 20 per minute in a group, and answers an excess with HTTP 429 —
repeated excess can get a bot banned. The pacer makes every send wait for its
turn *before* it reaches the API, so our own traffic never causes a 429.

Each limit is a sliding window ("at most N sends in any W seconds"). A send
occupies its place in the window from the moment it is let through until W
seconds after its *response* arrived: the server saw the request somewhere in
between, so this is the only rule that holds however much the network delays
a request. It costs a few per cent of the rate (one round trip per window).

Pure asyncio and no Telegram import; the clock and sleep are injectable for tests.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

__all__ = ["Pacer", "Window", "window_for_rate"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Float rounding must never let a send land exactly on the window's edge.
_EPSILON = 0.001
# How many sends between sweeps of idle per-chat windows (keeps memory bounded).
_SWEEP_EVERY = 1024


@dataclass(frozen=True)
class Window:
    """At most ``count`` sends in any ``seconds`` long stretch of time."""

    count: int
    seconds: float


def window_for_rate(per_second: float) -> Window:
    """The window that expresses a rate: 30/s → 30 per 1 s, 0.5/s → 1 per 2 s."""
    if per_second <= 0:
        raise ValueError("a rate must be positive")
    count = max(1, math.floor(per_second))
    return Window(count, count / per_second)


class _Slots:
    """The sends currently counted against one window."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.in_flight = 0
        self.finished: deque[float] = deque()  # response times, in order
        self.released = asyncio.Event()
        self.waiting = 0  # senders waiting for this chat: its slots must not be swept away

    def delay(self, now: float) -> float | None:
        """Seconds until a send may start: 0 now, None when only a response can free a place."""
        horizon = now - self.window.seconds
        while self.finished and self.finished[0] <= horizon:
            self.finished.popleft()
        if self.in_flight + len(self.finished) < self.window.count:
            return 0.0
        if not self.finished:
            return None
        return self.finished[0] + self.window.seconds - now + _EPSILON

    def idle(self, now: float) -> bool:
        return self.delay(now) == 0.0 and self.in_flight == 0 and not self.finished and not self.waiting

    def take(self) -> None:
        self.in_flight += 1

    def give_back(self, now: float) -> None:
        self.in_flight -= 1
        self.finished.append(now)
        self.released.set()


class Pacer:
    """Lets each send through when the global, per-chat and per-group windows allow it.

    Use ``async with pacer.turn(chat_id): await api_call()``. Group chats have
    negative ids (Telegram's convention). ``pause(seconds)`` holds every send
    back after a 429, as Telegram asks.
    """

    def __init__(
        self,
        *,
        max_per_second: float = 30.0,
        per_chat_per_second: float = 1.0,
        group_per_minute: float = 20,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._global = _Slots(window_for_rate(max_per_second))
        self._chat_window = window_for_rate(per_chat_per_second)
        self._group_window = Window(max(1, int(group_per_minute)), 60.0)
        self._chats: dict[int, list[_Slots]] = {}
        self._global_lock = asyncio.Lock()  # FIFO: one waiter at a time watches the global window
        self._paused_until = 0.0
        self._acquired = 0

    def pause(self, seconds: float) -> None:
        """Hold every send back for ``seconds`` from now (a 429's ``retry_after``)."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))

    @property
    def paused_for(self) -> float:
        """Seconds left of the current pause (0 when none)."""
        return max(0.0, self._paused_until - self._clock())

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for this chat's turn, hold the places during the call, release with its end time."""
        slots = await self._acquire(chat_id)
        try:
            yield
        finally:
            now = self._clock()
            for slot in slots:
                slot.give_back(now)

    async def _acquire(self, chat_id: int) -> list[_Slots]:
        chat_slots = self._slots_of(chat_id)
        chat_slots[0].waiting += 1
        try:
            while True:
                # Per-chat waits happen outside the global lock: one slow chat never blocks the rest.
                await self._wait_for(chat_slots)
                async with self._global_lock:
                    await self._wait_for([self._global], pause=True)
                    if all(s.delay(self._clock()) == 0.0 for s in chat_slots):
                        granted = [self._global, *chat_slots]
                        for slot in granted:
                            slot.take()
                        return granted
        finally:
            chat_slots[0].waiting -= 1
            self._sweep_now_and_then()

    async def _wait_for(self, slots: list[_Slots], *, pause: bool = False) -> None:
        while True:
            now = self._clock()
            delays = [s.delay(now) for s in slots]
            if pause and self._paused_until > now:
                delays.append(self._paused_until - now)
            blocked = [s for s, d in zip(slots, delays, strict=False) if d is None]  # the pause adds a delay
            if blocked:
                event = blocked[0].released
                event.clear()
                await event.wait()
                continue
            longest = max((d for d in delays if d is not None), default=0.0)
            if longest <= 0:
                return
            await self._sleep(longest)

    def _slots_of(self, chat_id: int) -> list[_Slots]:
        slots = self._chats.get(chat_id)
        if slots is None:
            slots = [_Slots(self._chat_window)]
            if chat_id < 0:
                slots.append(_Slots(self._group_window))
            self._chats[chat_id] = slots
        return slots

    def _sweep_now_and_then(self) -> None:
        self._acquired += 1
        if self._acquired % _SWEEP_EVERY == 0:
            now = self._clock()
            idle = [chat for chat, slots in self._chats.items() if all(s.idle(now) for s in slots)]
            for chat in idle:
                del self._chats[chat]
