"""Test doubles around the Matrix adapter: a recording ``deliver`` and a dict cursor store.

With them an adapter test reads as: start the bot, let a citizen act,
look at what reached the "engine".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from adapters.base import Inbound

__all__ = ["DictCursorStore", "Recorder"]


class DictCursorStore:
    """``CursorStore`` in memory; counts saves so tests can see when the cursor moved."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.saves = 0

    async def load(self, key: str) -> str | None:
        return self.values.get(key)

    async def save(self, key: str, value: str) -> None:
        self.values[key] = value
        self.saves += 1


class Recorder:
    """A fake engine: records every delivered ``Inbound``; can be told to fail."""

    def __init__(self) -> None:
        self.inbound: list[Inbound] = []
        self.failures_left = 0
        self._changed = asyncio.Condition()

    async def __call__(self, inbound: Inbound) -> None:
        if self.failures_left > 0:
            self.failures_left -= 1
            raise RuntimeError("database unavailable (simulated)")
        self.inbound.append(inbound)
        async with self._changed:
            self._changed.notify_all()

    def in_room(self, room_id: str) -> list[Inbound]:
        return [i for i in self.inbound if i.address == room_id]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition not met in time; delivered so far: {self.inbound!r}")
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.2))
                except TimeoutError:
                    pass

    async def wait_for(self, room_id: str, count: int, timeout: float = 20) -> list[Inbound]:
        await self.wait_until(lambda: len(self.in_room(room_id)) >= count, timeout)
        return self.in_room(room_id)
