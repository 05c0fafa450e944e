"""Small helpers for tests of the Telegram adapter against the double.

``Engine`` stands in for the engine's ``deliver``: it records every event,
can be told to fail (as an engine does when the database is down) or to
answer each event through a reply function, like a tiny bot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.base import Inbound, Reply, RetryLater, TransientSendError
from adapters.telegram import TelegramAdapter
from tests.telegram_double.server import TelegramDouble

__all__ = ["Engine", "make_adapter", "send_like_the_outbox", "wait_until"]


def make_adapter(double: TelegramDouble, **overrides: Any) -> TelegramAdapter:
    """An adapter pointed at the double, with a short long-poll so tests stop quickly."""
    options: dict[str, Any] = {
        "token": double.token,
        "api_url": double.api_url,
        "poll_timeout": 1,
        "request_timeout": 5.0,
        "max_per_second": double.limits.max_per_second,
        "per_chat_per_second": double.limits.per_chat_per_second,
        "group_per_minute": double.limits.group_per_minute,
    }
    options.update(overrides)
    return TelegramAdapter(**options)


class Engine:
    """A fake ``deliver``: records events; fails the next ``fail_next`` calls; optional pause."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.events: list[Inbound] = []
        self.fail_next = 0
        self.delay = delay
        self.calls = 0
        self.on_event: Callable[[Inbound], Awaitable[None]] | None = None

    async def __call__(self, inbound: Inbound) -> None:
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_next > 0:
            self.fail_next -= 1
            raise RuntimeError("database unavailable")
        self.events.append(inbound)
        if self.on_event is not None:
            await self.on_event(inbound)

    @property
    def event_ids(self) -> list[int]:
        return [int(e.event_id) for e in self.events]


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def send_like_the_outbox(adapter: TelegramAdapter, rows: dict[str, list[tuple[str, Reply]]]) -> dict[str, str]:
    """What the engine's outbox does: one task per address, rows in order, retry on 429 and 5xx.

    Returns txn id → platform message id.
    """
    sent: dict[str, str] = {}

    async def one_address(address: str, queue: list[tuple[str, Reply]]) -> None:
        for txn_id, reply in queue:
            failures = 0
            while True:
                try:
                    sent[txn_id] = await adapter.send(address, reply, txn_id=txn_id)
                    break
                except RetryLater as wait:
                    await asyncio.sleep(wait.seconds)
                except TransientSendError:
                    failures += 1
                    await asyncio.sleep(0.05 * 2**failures)

    await asyncio.gather(*(one_address(a, q) for a, q in rows.items()))
    return sent
