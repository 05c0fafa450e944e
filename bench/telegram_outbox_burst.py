"""Benchmark (b): a burst of 10,000 outbox messages to 10,000 Telegram chats.

The real outbox sender and the real adapter send to the Bot API double, with
the limits raised alike in both (so it finishes in well under a minute).
Prints the achieved rate divided by the configured limit, and the 429 count.

    .venv/bin/python bench/telegram_outbox_burst.py [--messages 10000] [--per-second 200]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.base import Reply  # noqa: E402
from adapters.telegram import TelegramAdapter  # noqa: E402
from bot.clock import system_clock  # noqa: E402
from bot.runtime.outbox import OutboxSender  # noqa: E402
from storage.store import open_store  # noqa: E402
from tests.telegram_double import FloodLimits, TelegramDouble  # noqa: E402


async def burst(messages: int, per_second: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tg-burst-"))
    store = open_store(f"sqlite:///{folder / 'burst.db'}", b"bench-secret-0123456789")
    store.upgrade()
    now = system_clock()
    with store.transaction() as txn:
        for n in range(messages):
            txn.enqueue("telegram", str(100_000 + n), Reply(f"Neue Umfrage für Sie ({n})").to_json(), now)
    limits = FloodLimits(max_per_second=per_second, per_chat_per_second=1.0)
    async with TelegramDouble(limits=limits) as double:
        adapter = TelegramAdapter(token=double.token, api_url=double.api_url, max_per_second=per_second)
        await adapter._bot.initialize()
        sender = OutboxSender(store, adapter, clock=system_clock, concurrency=512)
        stop = asyncio.Event()
        started = time.monotonic()
        running = asyncio.create_task(sender.run(stop))
        while double.world.calls.get("sendMessage", 0) < messages and time.monotonic() - started < 300:
            await asyncio.sleep(0.05)
        elapsed = time.monotonic() - started
        stop.set()
        await running
        await adapter._bot.shutdown()
        delivered = sum(1 for e in double.world.events if e["kind"] == "message")
        rate = delivered / elapsed
        print(f"messages delivered      {delivered} of {messages} in {elapsed:.1f} s")
        print(f"achieved rate           {rate:.1f} msg/s")
        print(f"configured limit        {per_second:.0f} msg/s")
        print(f"rate / limit            {rate / per_second:.3f}")
        print(f"429 from our pacing     {double.world.limited_429}")
        print(f"outbox hand-overs       {sender.sent} (a row handed over twice is still sent once)")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--per-second", type=float, default=200.0)
    args = parser.parse_args()
    asyncio.run(burst(args.messages, args.per_second))


if __name__ == "__main__":
    main()
