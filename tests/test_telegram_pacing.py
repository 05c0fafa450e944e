"""The Telegram pacer and layout rules, without any network."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from adapters.base import Attachment, Option, Reply
from adapters.telegram import file_url_for
from adapters.telegram_layout import button_rows, text_parts
from adapters.telegram_pacing import Pacer, Window, window_for_rate
from adapters.telegram_webhook import parse_listen, webhook_path


class FakeTime:
    """A clock that only moves when someone sleeps (sequential use only)."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def test_rates_become_windows() -> None:
    assert window_for_rate(30) == Window(30, 1.0)
    assert window_for_rate(1.0) == Window(1, 1.0)
    assert window_for_rate(0.5) == Window(1, 2.0)
    with pytest.raises(ValueError):
        window_for_rate(0)


async def test_one_chat_gets_one_message_per_second_counted_from_the_response() -> None:
    fake = FakeTime()
    pacer = Pacer(max_per_second=30, per_chat_per_second=1.0, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(4):
        async with pacer.turn(7):
            starts.append(fake.now)
            fake.now += 0.25  # the round trip
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert all(gap == pytest.approx(1.25, abs=0.01) for gap in gaps)


async def test_group_chats_get_twenty_per_minute() -> None:
    fake = FakeTime()
    pacer = Pacer(max_per_second=30, per_chat_per_second=100, group_per_minute=20, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(41):
        async with pacer.turn(-100):
            starts.append(fake.now)
    assert starts[19] < 1.0  # the first twenty go at once
    assert starts[20] >= 60.0 and starts[40] >= 120.0


async def test_a_pause_holds_every_chat_back() -> None:
    fake = FakeTime()
    pacer = Pacer(clock=fake.clock, sleep=fake.sleep)
    pacer.pause(5)
    assert pacer.paused_for == 5
    async with pacer.turn(1):
        assert fake.now >= 5


def _max_in_window(times: list[float], seconds: float) -> int:
    times = sorted(times)
    best, left = 0, 0
    for right, t in enumerate(times):
        while times[left] <= t - seconds:
            left += 1
        best = max(best, right - left + 1)
    return best


async def test_concurrent_burst_never_exceeds_any_window_even_with_network_jitter() -> None:
    """The server sees a request somewhere between start and response: whatever the jitter, the limits hold."""
    pacer = Pacer(max_per_second=30, per_chat_per_second=5)
    arrivals: dict[int, list[float]] = {}
    everything: list[float] = []
    rng = random.Random(3)

    async def send(chat: int) -> None:
        async with pacer.turn(chat):
            await asyncio.sleep(rng.uniform(0, 0.01))
            arrived = time.monotonic()  # when the "server" sees it
            arrivals.setdefault(chat, []).append(arrived)
            everything.append(arrived)
            await asyncio.sleep(rng.uniform(0, 0.01))

    await asyncio.gather(*(send(chat) for chat in range(6) for _ in range(10)))
    assert len(everything) == 60
    assert _max_in_window(everything, 1.0) == 30  # as fast as allowed, never faster
    assert max(_max_in_window(times, 1.0) for times in arrivals.values()) == 5


def _options(*labels: str) -> tuple[Option, ...]:
    return tuple(Option(payload=f"p{i}", label=label, number=i) for i, label in enumerate(labels, 1))


def test_buttons_carry_the_number_a_citizen_may_type() -> None:
    rows = button_rows(Reply("Wie oft?", options=_options("täglich", "selten")))
    assert [[(b.text, b.payload) for b in row] for row in rows] == [[("1. täglich", "p1"), ("2. selten", "p2")]]


def test_long_labels_get_a_row_each_short_ones_share() -> None:
    long = button_rows(Reply("?", options=_options("Mehr sichere Radwege in der Innenstadt", "Weniger Autos")))
    assert [len(row) for row in long] == [1, 1]
    scale = button_rows(Reply("?", options=_options("1", "2", "3", "4", "5", "6")))
    assert [len(row) for row in scale] == [5, 1]


def test_multi_marks_the_chosen_options_and_ends_with_done() -> None:
    reply = Reply(
        "Was nutzen Sie?",
        options=_options("Rad", "Bus"),
        multi=True,
        selected=("p2",),
        chosen_mark="gewählt",
        done=Option("d", "Fertig", 3),
    )
    texts = [b.text for row in button_rows(reply) for b in row]
    assert texts == ["1. Rad", "✓ 2. Bus (gewählt)", "3. Fertig"], "chosen in words a screen reader reads"
    unmarked = Reply("?", options=_options("Rad"), multi=True, selected=("p1",))
    assert [b.text for row in button_rows(unmarked) for b in row] == ["✓ 1. Rad [x]"]
    assert button_rows(reply)[-1][0].payload == "d"


def test_long_text_is_split_below_telegrams_limit_at_sentence_ends() -> None:
    sentence = "Das ist ein Satz über den Radverkehr. "
    parts = text_parts(Reply(sentence * 300))
    assert len(parts) >= 3 and all(len(p) <= 4096 for p in parts)
    assert all(p.rstrip().endswith(".") for p in parts)
    assert "".join(p + " " for p in parts).split() == (sentence * 300).split()


def test_an_attachment_alone_needs_no_text_message_but_a_keyboard_does() -> None:
    attachment = Attachment("meinedaten.json", "application/json", b"{}")
    assert text_parts(Reply("", attachment=attachment)) == []
    assert text_parts(Reply(" ", options=_options("Ja"))) == ["…"]


def test_webhook_and_file_urls() -> None:
    assert parse_listen("0.0.0.0:8443") == ("0.0.0.0", 8443)
    assert parse_listen("[::]:88") == ("::", 88)
    with pytest.raises(ValueError):
        parse_listen("8443")
    assert webhook_path("https://bot.example.org/telegram/hook") == "/telegram/hook"
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"
