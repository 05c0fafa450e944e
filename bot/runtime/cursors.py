"""Channel cursors kept in the database, for adapters that need them (Matrix ``next_batch``)."""

from __future__ import annotations

import asyncio

from bot.clock import Clock
from storage.contract import Store

__all__ = ["StoreCursors"]


class StoreCursors:
    """``adapters.base.CursorStore`` over the storage contract."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store, self._clock = store, clock

    async def load(self, key: str) -> str | None:
        return await asyncio.to_thread(self._store.get_cursor, key)

    async def save(self, key: str, value: str) -> None:
        await asyncio.to_thread(self._store.set_cursor, key, value, self._clock())
