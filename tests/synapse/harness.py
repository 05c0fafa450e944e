"""Test doubles around the Matrix adapter: a recording ``deliver``, a dict cursor store, a bot.

With them an adapter test reads as: start the bot, let a citizen act,
look at what reached the "engine". ``Bot`` keeps one account's store dir,
cursor and recorder across adapter restarts (and simulated crashes).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.base import Inbound
from adapters.matrix import MatrixAdapter
from tests.synapse.citizen import Citizen
from tests.synapse.server import MatrixAccount, SynapseServer

__all__ = ["Bot", "DictCursorStore", "Recorder", "dm_with_start"]


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


class Bot:
    """One bot account with a store dir, cursor store and recorder that survive adapter restarts."""

    def __init__(self, server: SynapseServer, account: MatrixAccount, store: Path) -> None:
        self.server = server
        self.account = account
        self.store = store
        self.cursor = DictCursorStore()
        self.recorder = Recorder()
        self.adapter: MatrixAdapter | None = None

    async def start(self, **options: Any) -> MatrixAdapter:
        settings: dict[str, Any] = {
            "allowed_servers": ["localhost"],
            "sync_timeout_ms": 2000,
            "password": self.account.password,
            **options,
        }
        self.adapter = MatrixAdapter(
            homeserver=self.server.url,
            user_id=self.account.user_id,
            store_dir=self.store,
            cursor_store=self.cursor,
            **settings,
        )
        await self.adapter.start(self.recorder)
        return self.adapter

    async def stop(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
            self.adapter = None


async def dm_with_start(bot: Bot, citizen: Citizen, *, encrypted: bool) -> str:
    """A direct chat the bot has joined (its ``start`` reached the recorder)."""
    room_id = await citizen.open_dm(encrypted=encrypted)
    await bot.recorder.wait_for(room_id, 1)
    return room_id
