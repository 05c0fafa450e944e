"""Channel cursors kept in the database, for adapters that need them (Matrix ``next_batch``)."""

from __future__ import annotations

import asyncio
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from adapters.base import NotNow
from bot.clock import Clock
from bot.outage import Outage
from storage.contract import Store

__all__ = ["StoreCursors"]


class StoreCursors:
    """``adapters.base.CursorStore`` over the storage contract; with the database away it raises
    ``NotNow`` (after a pause), and the adapter keeps its events to offer them again."""

    def __init__(self, store: Store, clock: Clock, outage: Outage | None = None) -> None:
        self._store, self._clock = store, clock
        self._outage = outage or Outage(clock)

    async def load(self, key: str) -> str | None:
        try:
            value = await asyncio.to_thread(self._store.get_cursor, key)
        except SQLAlchemyError as exc:
            await self._not_now(exc)
        self._outage.answered(wrote=False)
        return value

    async def save(self, key: str, value: str) -> None:
        try:
            await asyncio.to_thread(self._store.set_cursor, key, value, self._clock())
        except SQLAlchemyError as exc:
            await self._not_now(exc)
        self._outage.answered()

    async def _not_now(self, exc: SQLAlchemyError) -> NoReturn:
        await asyncio.sleep(self._outage.pause_after(exc))
        raise NotNow from None
