"""Receiving on Telegram (polling) against the Bot API double: no update lost, none confirmed early."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.base import Inbound, Option, Reply
from tests.telegram_double import TelegramDouble
from tests.telegram_double.harness import Engine, make_adapter, wait_until


@pytest.fixture
async def double() -> AsyncIterator[TelegramDouble]:
    async with TelegramDouble() as running:
        yield running


async def test_updates_arrive_in_order_and_are_confirmed_only_after_deliver_returned(double: TelegramDouble) -> None:
    world = double.world
    gate = asyncio.Event()
    seen: list[Inbound] = []

    async def deliver(inbound: Inbound) -> None:
        seen.append(inbound)
        await gate.wait()  # the engine is still committing

    first = world.say(10, "Hallo")
    world.say(10, "1")
    world.say(10, "2")
    adapter = make_adapter(double)
    await adapter.start(deliver)
    await wait_until(lambda: len(seen) == 1)
    await asyncio.sleep(0.2)
    assert world.confirmed == [] and adapter.offset is None
    assert [e.text for e in seen] == ["Hallo"]  # the chat's next update waits for the first
    gate.set()
    await wait_until(lambda: len(world.confirmed) == 3, what="confirmation")
    assert [e.text for e in seen] == ["Hallo", "1", "2"]
    assert [int(e.event_id) for e in seen] == [first, first + 1, first + 2]
    assert adapter.offset == first + 3
    await adapter.stop()


async def test_a_failed_delivery_is_not_confirmed_and_comes_again_in_order(double: TelegramDouble) -> None:
    engine = Engine()
    engine.fail_next = 1  # the database is briefly down
    first = double.world.say(11, "eins")
    double.world.say(11, "zwei")
    adapter = make_adapter(double)
    await adapter.start(engine)
    await wait_until(lambda: len(engine.events) == 2, what="redelivery")
    assert [e.text for e in engine.events] == ["eins", "zwei"]
    assert engine.calls == 3
    await wait_until(lambda: double.world.confirmed == [first, first + 1])
    await adapter.stop()


async def test_chats_are_delivered_side_by_side_but_each_in_order(double: TelegramDouble) -> None:
    engine = Engine(delay=0.05)
    for n in range(5):
        for chat in (21, 22, 23, 24):
            double.world.say(chat, f"{chat}-{n}")
    adapter = make_adapter(double)
    started = asyncio.get_running_loop().time()
    await adapter.start(engine)
    await wait_until(lambda: len(engine.events) == 20)
    elapsed = asyncio.get_running_loop().time() - started
    for chat in (21, 22, 23, 24):
        assert [e.text for e in engine.events if e.address == str(chat)] == [f"{chat}-{n}" for n in range(5)]
    assert elapsed < 20 * 0.05  # not one after another
    await adapter.stop()


async def test_replayed_updates_are_not_delivered_twice(double: TelegramDouble) -> None:
    engine = Engine()
    adapter = make_adapter(double)
    await adapter.start(engine)
    for n in range(3):
        double.world.say(12, str(n))
    await wait_until(lambda: len(double.world.confirmed) == 3)
    double.world.replay(3)
    double.world.say(12, "neu")
    await wait_until(lambda: len(engine.events) == 4)
    await asyncio.sleep(0.2)
    assert [e.text for e in engine.events] == ["0", "1", "2", "neu"]
    await adapter.stop()


async def test_after_a_crash_unconfirmed_updates_come_again(double: TelegramDouble) -> None:
    first_run = Engine()
    first_run.on_event = lambda _: asyncio.Event().wait()  # committed, then the process hangs
    crashed = make_adapter(double)
    await crashed.start(first_run)
    update = double.world.say(13, "vor dem Absturz")
    await wait_until(lambda: first_run.events)
    # SIGKILL-like: the loop dies after the commit, before it could confirm to Telegram.
    assert crashed._poll_task is not None
    crashed._poll_task.cancel()
    await asyncio.gather(crashed._poll_task, return_exceptions=True)
    assert update not in double.world.confirmed

    second_run = Engine()
    restarted = make_adapter(double)
    await restarted.start(second_run)
    await wait_until(lambda: second_run.events)
    assert second_run.event_ids == [update]  # the engine's de-duplication skips it
    await restarted.stop()


async def test_graceful_stop_finishes_the_update_in_hand_and_confirms_it(double: TelegramDouble) -> None:
    world = double.world
    seen: list[str] = []
    release = asyncio.Event()

    async def deliver(inbound: Inbound) -> None:
        seen.append(inbound.text or "")
        await release.wait()

    in_hand = world.say(14, "in Arbeit")
    waiting = world.say(14, "wartet")
    adapter = make_adapter(double)
    await adapter.start(deliver)
    await wait_until(lambda: seen)
    stopping = asyncio.create_task(adapter.stop())
    await asyncio.sleep(0.2)
    assert not stopping.done()  # stop waits for the engine
    release.set()
    await stopping
    assert seen == ["in Arbeit"]
    assert world.confirmed == [in_hand]
    assert [u["update_id"] for u in world.updates] == [waiting]


async def test_a_stop_during_the_long_poll_returns_at_once(double: TelegramDouble) -> None:
    adapter = make_adapter(double, poll_timeout=30)
    await adapter.start(Engine())
    await asyncio.sleep(0.2)
    await asyncio.wait_for(adapter.stop(), timeout=3)


async def test_buttons_locations_photos_documents_and_language_arrive_as_inbound(double: TelegramDouble) -> None:
    world = double.world
    engine = Engine()
    adapter = make_adapter(double, max_photo_bytes=1000)
    await adapter.start(engine)
    world.press(15, 7, "q:abc", language_code="en-US")
    world.share_location(15, 51.51, 7.46)
    world.share_location(15, 51.52, 7.47, venue="Westfalenpark")
    world.send_photo(15, [b"s" * 100, b"m" * 900, b"L" * 5000], caption="Der Spielplatz")
    world.send_photo(15, [b"L" * 5000])
    world.send_document(15, b"{}", filename="plan.pdf", mime_type="application/pdf")
    await wait_until(lambda: len(engine.events) == 6)
    press, location, venue, photo, big, document = engine.events
    assert (press.choice, press.reply_to, press.language, press.text) == ("q:abc", "7", "en", None)
    assert location.location == (51.51, 7.46) and venue.location == (51.52, 7.47)
    assert photo.text == "Der Spielplatz"
    assert photo.media is not None and photo.media.data == b"m" * 900  # the largest that fits
    assert big.media is not None and (big.media.data, big.media.size) == (None, 5000)
    assert document.media is not None and document.media.kind == "file" and document.media.data == b"{}"
    await wait_until(lambda: all(world.callbacks.values()), what="answerCallbackQuery")
    await adapter.stop()


async def test_group_chats_are_marked_and_commands_lose_the_bot_name(double: TelegramDouble) -> None:
    engine = Engine()
    adapter = make_adapter(double)
    await adapter.start(engine)
    double.world.group_says(-500, "/hilfe@MitwirkenTestBot bitte")
    double.world.say(16, "/start radverkehr")
    await wait_until(lambda: len(engine.events) == 2)
    group, private = engine.events
    assert (group.private, group.address, group.text) == (False, "-500", "/hilfe bitte")
    assert (private.private, private.text, private.sender) == (True, "/start radverkehr", "16")
    # The group heard once that the bot talks in private chats; the rest of its talk is not delivered.
    later = double.world.group_says(-500, "/start")
    double.world.group_says(-501, "Hallo Bot")
    await wait_until(lambda: len(engine.events) == 3)
    await wait_until(lambda: later in double.world.confirmed, what="the skipped update confirmed")
    assert [(e.address, e.text) for e in engine.events[2:]] == [("-501", "Hallo Bot")]
    await adapter.stop()


async def test_commands_are_registered_per_language_and_invalid_names_left_out(double: TelegramDouble) -> None:
    commands = {
        "de": [("start", "Menü öffnen"), ("hilfe", "Hilfe"), ("löschen", "Alles löschen")],
        "en": [("start", "Open the menu"), ("help", "Help")],
        "de-x-simple": [("start", "Die offenen Umfragen")],  # no Telegram app reports this code
    }
    adapter = make_adapter(double, commands=commands)
    await adapter.start(Engine())
    registered = {lang: [c["command"] for c in items] for lang, items in double.world.commands.items()}
    assert registered == {"de": ["start", "hilfe"], "en": ["start", "help"], "": ["start", "hilfe"]}
    await adapter.stop()


async def test_a_wrong_token_fails_at_start(double: TelegramDouble) -> None:
    from telegram.error import InvalidToken

    adapter = make_adapter(double, token="1:wrong")
    with pytest.raises(InvalidToken):
        await adapter.start(Engine())


async def test_a_toggle_answers_its_press_with_the_selection_instead_of_an_edit(double: TelegramDouble) -> None:
    world = double.world
    adapter = make_adapter(double)
    options = (Option("m:r", "Rad", 1), Option("m:b", "Bus", 2))
    question = Reply("Was nutzen Sie?", options=options, multi=True, done=Option("m:d", "Fertig", 3))
    engine = Engine()

    async def toggle(inbound: Inbound) -> None:  # what the outbox does with the turn's reply
        redrawn = replace(question, selected=("m:b",), edit_of=inbound.reply_to, notice="Bisher gewählt: Bus")
        await adapter.send(inbound.address, redrawn, txn_id=f"t{inbound.event_id}")

    await adapter.start(engine)
    message_id = int(await adapter.send("16", question, txn_id="q"))
    engine.on_event = toggle
    world.press(16, message_id, "m:b")
    await wait_until(lambda: any(e["kind"] == "notice" for e in world.events), what="the notice")
    [notice] = [e for e in world.events if e["kind"] == "notice"]
    assert (notice["chat_id"], notice["message_id"], notice["text"]) == (16, message_id, "Bisher gewählt: Bus")
    assert world.calls.get("editMessageText", 0) == 0 and world.calls["sendMessage"] == 1, "no message, no edit"
    assert all(world.callbacks.values()), "the press is answered once, by the notice"
    await adapter.stop()


async def test_a_press_no_reply_answers_is_answered_after_a_moment(double: TelegramDouble) -> None:
    engine = Engine()  # delivers, never replies
    adapter = make_adapter(double)
    await adapter.start(engine)
    double.world.press(17, 3, "q:x")
    await wait_until(lambda: len(engine.events) == 1)
    assert not any(double.world.callbacks.values()), "held for the reply that may carry a notice"
    await wait_until(lambda: all(double.world.callbacks.values()), what="answerCallbackQuery")
    await adapter.stop()
