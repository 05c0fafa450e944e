"""Sending on Telegram against the Bot API double: buttons, edits, files, long texts, errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.base import (
    Attachment,
    Option,
    PermanentSendError,
    RecipientGone,
    Reply,
    RetryLater,
    TransientSendError,
)
from adapters.telegram import TelegramAdapter
from tests.telegram_double import Fault, FloodLimits, TelegramDouble
from tests.telegram_double.harness import make_adapter

QUESTION = Reply(
    "Wie oft fahren Sie Rad?",
    options=(Option("q1:t", "täglich", 1), Option("q1:s", "selten", 2)),
    question_key="rad/haeufigkeit",
)


@pytest.fixture
async def double() -> AsyncIterator[TelegramDouble]:
    # Generous limits: these tests are about what is sent, the flood tests about how fast.
    async with TelegramDouble(limits=FloodLimits(max_per_second=100, per_chat_per_second=50)) as running:
        yield running


@pytest.fixture
async def adapter(double: TelegramDouble) -> AsyncIterator[TelegramAdapter]:
    sender = make_adapter(double, request_timeout=1.0)
    # Sending needs no receive loop; the bot is initialised as start() would do it.
    await sender._bot.initialize()
    yield sender
    await sender._bot.shutdown()


async def test_options_become_numbered_buttons_on_the_question(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    message_id = await adapter.send("40", QUESTION, txn_id="r1")
    sent = double.world.last_message(40)
    assert str(sent.message_id) == message_id
    assert sent.text == "Wie oft fahren Sie Rad?"
    assert sent.buttons() == [("1. täglich", "q1:t"), ("2. selten", "q1:s")]


async def test_text_is_sent_as_plain_text_so_nothing_can_inject_formatting(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    hostile = "<b>Fett</b> *stern* _unter_ [Link](http://evil.example) `code` \\ & < >"
    await adapter.send("41", Reply(hostile), txn_id="r2")
    sent = double.world.last_message(41)
    assert sent.text == hostile and sent.parse_mode is None


async def test_a_long_text_is_split_and_the_buttons_go_on_the_last_part(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    long = Reply("Ein Satz zum Lesen. " * 500, options=QUESTION.options)
    last_id = await adapter.send("42", long, txn_id="r3")
    messages = double.world.chat_messages(42)
    assert len(messages) == 3 and all(len(m.text or "") <= 4096 for m in messages)
    assert [bool(m.buttons()) for m in messages] == [False, False, True]
    assert last_id == str(messages[-1].message_id)


async def test_an_answered_question_is_edited_in_place(adapter: TelegramAdapter, double: TelegramDouble) -> None:
    question_id = await adapter.send("43", QUESTION, txn_id="r4")
    answered = Reply("Wie oft fahren Sie Rad?\n→ 1. täglich", edit_of=question_id)
    assert await adapter.send("43", answered, txn_id="r5") == question_id
    [message] = double.world.chat_messages(43)
    assert (message.text, message.buttons(), message.edits) == (answered.text, [], 1)
    # The same edit again (a retried outbox row) is "not modified": done, not an error.
    assert await adapter.send("43", answered, txn_id="r6") == question_id


async def test_a_toggle_with_no_press_waiting_for_its_answer_redraws_the_keyboard(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    # e.g. the row is sent after a restart: its notice can't answer the press any more
    options = (Option("m:r", "Rad", 1), Option("m:b", "Bus", 2))
    done = Option("m:done", "Fertig", 3)
    question_id = await adapter.send(
        "44", Reply("Was nutzen Sie?", options=options, multi=True, done=done), txn_id="m1"
    )
    toggled = Reply(
        "Was nutzen Sie?",
        options=options,
        multi=True,
        selected=("m:b",),
        chosen_mark="gewählt",
        done=done,
        edit_of=question_id,
        notice="Bisher gewählt: Bus",
    )
    await adapter.send("44", toggled, txn_id="m2")
    assert double.world.last_message(44).buttons() == [
        ("1. Rad", "m:r"),
        ("✓ 2. Bus (gewählt)", "m:b"),
        ("3. Fertig", "m:done"),
    ]


async def test_an_edit_of_a_vanished_message_becomes_a_new_message(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    new_id = await adapter.send("45", Reply("Ihre Antwort: täglich", edit_of="999"), txn_id="r7")
    assert double.world.last_message(45).text == "Ihre Antwort: täglich"
    assert new_id == str(double.world.last_message(45).message_id)


async def test_the_citizens_own_data_arrives_as_a_document(adapter: TelegramAdapter, double: TelegramDouble) -> None:
    data = b'{"antworten": ["t\xc3\xa4glich"]}'
    reply = Reply("Hier sind Ihre Daten.", attachment=Attachment("meinedaten.json", "application/json", data))
    document_id = await adapter.send("46", reply, txn_id="r8")
    text, document = double.world.chat_messages(46)
    assert text.text == "Hier sind Ihre Daten." and document.document is not None
    assert document.document["file_name"] == "meinedaten.json"
    assert double.world.files[document.document["file_id"]] == data
    assert document_id == str(document.message_id)


async def test_location_questions_offer_the_share_button_and_the_next_message_removes_it(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    await adapter.send(
        "47", Reply("Wo genau?", ask_location=True, location_button="Meinen Standort senden"), txn_id="l1"
    )
    await adapter.send("47", Reply("Danke!"), txn_id="l2")
    asked, thanked = double.world.chat_messages(47)
    assert asked.reply_markup is not None
    [[button]] = asked.reply_markup["keyboard"]
    assert button["request_location"] is True and button["text"] == "📍 Meinen Standort senden"
    assert thanked.text == "Danke!" and thanked.reply_markup == {"remove_keyboard": True}


async def test_a_blocked_bot_raises_recipient_gone(adapter: TelegramAdapter, double: TelegramDouble) -> None:
    double.world.blocked.add(48)
    with pytest.raises(RecipientGone):
        await adapter.send("48", Reply("Hallo"), txn_id="e1")


@pytest.mark.parametrize("kind", ["500", "502", "timeout"])
async def test_server_errors_and_timeouts_are_transient(
    adapter: TelegramAdapter, double: TelegramDouble, kind: str
) -> None:
    double.world.fail("sendMessage", kind, seconds=2.0)
    with pytest.raises(TransientSendError):
        await adapter.send("49", Reply("Hallo"), txn_id=f"e-{kind}")
    assert await adapter.send("49", Reply("Hallo"), txn_id=f"e-{kind}")  # the retry goes through
    assert [m.text for m in double.world.chat_messages(49)] == ["Hallo"]


async def test_a_429_asks_the_outbox_to_wait_and_pauses_every_send(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    double.world.fail("sendMessage", "429", retry_after=2)
    with pytest.raises(RetryLater) as caught:
        await adapter.send("50", Reply("Hallo"), txn_id="e3")
    assert caught.value.seconds == 2
    assert adapter._pacer.paused_for > 1.5


async def test_a_refused_request_is_permanent(adapter: TelegramAdapter) -> None:
    too_long_payload = Reply("?", options=(Option("x" * 65, "zu lang", 1),))
    with pytest.raises(PermanentSendError):
        await adapter.send("51", too_long_payload, txn_id="e4")
    with pytest.raises(PermanentSendError):
        await adapter.send("!room:example.org", Reply("?"), txn_id="e5")


async def test_a_retried_split_reply_does_not_repeat_parts_already_sent(
    adapter: TelegramAdapter, double: TelegramDouble
) -> None:
    long = Reply("Ein Satz zum Lesen. " * 400)
    calls = {"n": 0}

    def second_call_fails(method: str, chat_id: int | None) -> Fault | None:
        calls["n"] += 1
        return Fault(method, "500") if calls["n"] == 2 else None

    double.world.take_fault = second_call_fails  # type: ignore[method-assign]
    with pytest.raises(TransientSendError):
        await adapter.send("52", long, txn_id="split")
    assert len(double.world.chat_messages(52)) == 1
    await adapter.send("52", long, txn_id="split")
    texts = [m.text for m in double.world.chat_messages(52)]
    assert len(texts) == 2 and "".join(t or "" for t in texts).count("Ein Satz") == 400


async def test_sends_to_one_chat_keep_one_second_apart_at_telegrams_limits() -> None:
    async with TelegramDouble() as strict:
        sender = make_adapter(strict)
        await sender._bot.initialize()
        started = asyncio.get_running_loop().time()
        for n in range(3):
            await sender.send("53", Reply(f"Nachricht {n}"), txn_id=f"p{n}")
        assert asyncio.get_running_loop().time() - started >= 2.0
        assert strict.world.limited_429 == 0
        await sender._bot.shutdown()
