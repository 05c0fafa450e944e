"""Bursts against the Bot API double: our pacing causes no 429, a 429 storm loses and doubles nothing."""

from __future__ import annotations

import asyncio
from collections import Counter

from adapters.base import Reply
from tests.telegram_double import FloodLimits, TelegramDouble
from tests.telegram_double.harness import make_adapter, send_like_the_outbox

# Limits raised alike in the double and the adapter, so 500 replies take seconds, not a minute.
FAST = FloodLimits(max_per_second=150, per_chat_per_second=10, group_per_minute=20)


def _burst(chats: int, per_chat: int) -> dict[str, list[tuple[str, Reply]]]:
    return {
        str(chat): [(f"{chat}-{n}", Reply(f"Antwort {chat}-{n}")) for n in range(per_chat)]
        for chat in range(1000, 1000 + chats)
    }


def _delivered(double: TelegramDouble) -> Counter[str]:
    return Counter(e["text"] for e in double.world.events if e["kind"] == "message")


async def _run_burst(double: TelegramDouble, rows: dict[str, list[tuple[str, Reply]]]) -> None:
    adapter = make_adapter(double)
    await adapter._bot.initialize()
    try:
        sent = await send_like_the_outbox(adapter, rows)
    finally:
        await adapter._bot.shutdown()
    assert len(sent) == sum(len(queue) for queue in rows.values())


async def test_a_burst_of_500_replies_stays_inside_every_limit() -> None:
    rows = _burst(chats=50, per_chat=10)
    async with TelegramDouble(limits=FAST) as double:
        await _run_burst(double, rows)
        delivered = _delivered(double)
        assert len(delivered) == 500 and set(delivered.values()) == {1}
        assert double.world.limited_429 == 0
        for address, queue in rows.items():  # each chat in order
            texts = [e["text"] for e in double.world.events if e["chat_id"] == int(address)]
            assert texts == [reply.text for _, reply in queue]


async def test_a_429_storm_during_a_burst_delivers_everything_exactly_once() -> None:
    rows = _burst(chats=100, per_chat=5)
    async with TelegramDouble(limits=FAST) as double:
        double.world.fail("sendMessage", "429", times=40, retry_after=1)
        double.world.fail("sendMessage", "500", times=10)
        await _run_burst(double, rows)
        delivered = _delivered(double)
        assert len(delivered) == 500 and set(delivered.values()) == {1}
        assert double.world.injected_429 == 40
        assert double.world.limited_429 == 0  # none caused by our own pacing


async def test_group_chats_get_at_most_twenty_per_minute() -> None:
    # 25 messages to one group: 20 go at once, the other 5 would take a minute — so only
    # check that the pacer holds them back rather than letting Telegram refuse them.
    async with TelegramDouble(limits=FloodLimits(per_chat_per_second=100)) as double:
        adapter = make_adapter(double)
        await adapter._bot.initialize()
        rows = {"-77": [(f"g{n}", Reply(f"Gruppe {n}")) for n in range(25)]}
        task = asyncio.create_task(send_like_the_outbox(adapter, rows))
        await asyncio.sleep(2)
        assert len(_delivered(double)) == 20 and double.world.limited_429 == 0
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await adapter._bot.shutdown()
