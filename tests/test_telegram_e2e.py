"""End to end: ``mitwirken run`` as a real process against the Bot API double as another process."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.telegram_double import RemoteDouble, start_double_process
from tests.telegram_double.citizens import BotProcess, SimulatedCitizens, survey_file, write_config

pytestmark = pytest.mark.slow

RAD = """\
format = 1
id = "rad"
title = "Radumfrage"
languages = ["de"]
outro = "Danke für Ihre Antworten!"

[[questions]]
id = "oft"
type = "choice"
text = "Wie oft fahren Sie Rad?"
options = [{ id = "t", de = "täglich" }, { id = "s", de = "selten" }]

[[questions]]
id = "wege"
type = "multi"
text = "Wofür nutzen Sie das Rad?"
options = [{ id = "arbeit", de = "Arbeit" }, { id = "einkauf", de = "Einkauf" }, { id = "freizeit", de = "Freizeit" }]

[[questions]]
id = "helm"
type = "yesno"
text = "Tragen Sie einen Helm?"

[[questions]]
id = "wunsch"
type = "text"
text = "Was wünschen Sie sich?"
"""

FAST = ("--max-per-second", "1000", "--per-chat-per-second", "100")


class Chat:
    """One citizen's chat: what they do, and the bot's messages that came back."""

    def __init__(self, double: RemoteDouble, chat_id: int) -> None:
        self.double, self.chat_id, self.seen = double, chat_id, 0
        self.messages: dict[int, dict[str, Any]] = {}  # message id → latest state

    def say(self, text: str) -> list[dict[str, Any]]:
        self.double.say(self.chat_id, text)
        return self.wait()

    def press(self, label: str) -> list[dict[str, Any]]:
        message_id, payload = self.button(label)
        self.double.press(self.chat_id, message_id, payload)
        return self.wait()

    def button(self, label: str) -> tuple[int, str]:
        for message_id in sorted(self.messages, reverse=True):
            for text, payload in self.messages[message_id]["buttons"]:
                if label in text:
                    return message_id, payload
        raise AssertionError(f"no button {label!r} in {list(self.messages.values())[-3:]}")

    def wait(self, quiet: float = 0.6, timeout: float = 15) -> list[dict[str, Any]]:
        """The bot's messages and edits in this chat until it has been quiet for a moment."""
        got: list[dict[str, Any]] = []
        deadline, last = time.monotonic() + timeout, time.monotonic()
        while time.monotonic() < deadline and (not got or time.monotonic() - last < quiet):
            events = self.double.events(self.seen)
            self.seen += len(events)
            mine = [e for e in events if e["chat_id"] == self.chat_id]
            for event in mine:
                if event["kind"] != "notice":  # a notice is shown over the chat, no message of its own
                    self.messages[event["message_id"]] = event
            if mine:
                got += mine
                last = time.monotonic()
            time.sleep(0.05)
        return got


def _text(events: list[dict[str, Any]]) -> str:
    return "\n".join(e["text"] or "" for e in events)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RemoteDouble, BotProcess]]:
    folder = tmp_path_factory.mktemp("telegram-e2e")
    process, double = start_double_process(*FAST)
    bot = BotProcess(write_config(folder, double, survey=RAD, per_second=1000, per_chat=100))
    bot.start()
    try:
        yield double, bot
    finally:
        bot.stop()
        process.terminate()
        process.wait(10)


def _answers(config: Path) -> Counter[str]:
    engine = sa.create_engine(f"sqlite:///{config.with_name('bot.db')}")
    with engine.connect() as connection:
        values = [
            json.loads(v) if isinstance(v, str) else v
            for (v,) in connection.execute(sa.text("select value from answer"))
        ]
    engine.dispose()
    return Counter(json.dumps(v, ensure_ascii=False) for v in values)


def _begin(chat: Chat) -> list[dict[str, Any]]:
    chat.say("/start rad")
    return chat.press("einverstanden")


def test_a_survey_taken_with_buttons(running: tuple[RemoteDouble, BotProcess]) -> None:
    double, _ = running
    chat = Chat(double, 9001)
    first = _begin(chat)
    assert "Wie oft fahren Sie Rad?" in _text(first)
    question_id, _ = chat.button("täglich")
    assert [t for t, _ in chat.messages[question_id]["buttons"]] == ["1. täglich", "2. selten"]
    assert "Wofür nutzen Sie das Rad?" in _text(chat.press("täglich"))
    toggled = chat.press("Arbeit")
    assert [(e["kind"], e["text"]) for e in toggled] == [("notice", "Bisher gewählt: Arbeit")], "no message, no edit"
    assert [(e["kind"], e["text"]) for e in chat.press("Freizeit")] == [("notice", "Bisher gewählt: Arbeit, Freizeit")]
    assert [e["kind"] for e in chat.press("Arbeit")] == ["notice"]  # pressed again: off
    done_label = chat.messages[chat.button("Freizeit")[0]]["buttons"][-1][0]
    after = chat.press(done_label)
    assert _text(after).startswith("→ Freizeit") and "Helm" in _text(after)
    assert "Was wünschen Sie sich?" in _text(chat.press("Ja"))
    assert "Danke für Ihre Antworten!" in _text(chat.say("Mehr Radwege, bitte"))


def test_a_pressed_button_gets_one_message_that_says_the_choice(running: tuple[RemoteDouble, BotProcess]) -> None:
    double, _ = running
    chat = Chat(double, 9006)
    welcome = _begin(chat)
    assert len(welcome) == 1, "thanks, title and the first question: one message"
    after = chat.press("täglich")
    assert [e["kind"] for e in after] == ["message"], "one call: no edit of the old question besides"
    assert after[0]["text"].startswith("→ täglich") and "Wofür nutzen Sie das Rad?" in after[0]["text"]


def test_the_same_survey_with_typed_numbers_and_labels(running: tuple[RemoteDouble, BotProcess]) -> None:
    double, _ = running
    chat = Chat(double, 9002)
    chat.say("/start rad")
    assert "Wie oft fahren Sie Rad?" in _text(chat.say("1"))
    assert "Wofür nutzen Sie das Rad?" in _text(chat.say("selten"))
    assert "Helm" in _text(chat.say("1, 3"))
    assert "Was wünschen Sie sich?" in _text(chat.say("nein"))
    assert "Danke für Ihre Antworten!" in _text(chat.say("Sichere Kreuzungen"))


def test_forged_stale_and_foreign_button_payloads_are_refused_kindly(running: tuple[RemoteDouble, BotProcess]) -> None:
    double, bot = running
    victim, mallory = Chat(double, 9003), Chat(double, 9004)
    _begin(victim)
    _begin(mallory)
    before = _answers(bot.config)
    question_id, payload = victim.button("täglich")
    # Forged: a payload nobody was given.
    double.press(mallory.chat_id, mallory.button("täglich")[0], "q.rad.oft.forged")
    forged = mallory.wait()
    # Foreign: the victim's real payload, pressed in another citizen's chat.
    double.press(mallory.chat_id, mallory.button("täglich")[0], payload)
    foreign = mallory.wait()
    for reply in (forged, foreign):
        assert reply and all(e["text"] for e in reply)  # answered in words, not ignored or crashed
        assert "Wofür nutzen Sie das Rad?" not in _text(reply)
    # Stale: the victim answers, then presses the old question's other button.
    stale_payload = victim.button("selten")[1]
    victim.press("täglich")
    double.press(victim.chat_id, question_id, stale_payload)
    stale = victim.wait()
    assert stale and "Helm" not in _text(stale)  # refused: the survey did not move on
    after = _answers(bot.config)
    assert sum(after.values()) - sum(before.values()) == 1  # only the victim's own real answer


def test_a_citizen_who_blocks_the_bot_is_not_written_to_again(running: tuple[RemoteDouble, BotProcess]) -> None:
    double, bot = running
    chat = Chat(double, 9005)
    _begin(chat)
    double.block(chat.chat_id)
    double.say(chat.chat_id, "täglich")  # the answer arrives; the reply can't be delivered
    deadline = time.monotonic() + 10
    while not double.stats()["refused"].get(str(chat.chat_id)) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)
    assert double.stats()["refused"][str(chat.chat_id)] == 1  # one refusal, then silence
    engine = sa.create_engine(f"sqlite:///{bot.config.with_name('bot.db')}")
    with engine.connect() as connection:
        active = connection.execute(
            sa.text("select active from contact where channel = 'telegram' and address = :a"), {"a": str(chat.chat_id)}
        ).scalar_one()
    engine.dispose()
    assert not active


@contextmanager
def survey_under_load(folder: Path, citizens: int) -> Iterator[tuple[Path, SimulatedCitizens, list[BotProcess]]]:
    """A ten-question survey, a running bot and ``citizens`` who begin it; the bot list holds each process started."""
    process, double = start_double_process(*FAST)
    config = write_config(folder, double, survey=survey_file(10), per_second=1000, per_chat=100)
    bots = [BotProcess(config)]
    try:
        bots[0].start()
        crowd = SimulatedCitizens(double, citizens)
        crowd.begin()
        yield config, crowd, bots
    finally:
        for bot in bots:
            bot.stop()
        process.terminate()
        process.wait(10)


def assert_every_answer_once_in_order(config: Path, citizens: SimulatedCitizens, total: int) -> None:
    stored = _answers(config)
    assert len(stored) == total and set(stored.values()) == {1}
    # Every citizen was asked every question, in order (a repeat after the crash is allowed).
    for asked in citizens.questions_received.values():
        assert asked == sorted(asked) and sorted(set(asked)) == list(range(1, 11))


def test_sigkill_during_2000_answers_from_200_citizens_loses_and_doubles_nothing(tmp_path: Path) -> None:
    with survey_under_load(tmp_path, 200) as (config, citizens, bots):
        deadline = time.monotonic() + 240
        citizens.run(deadline, stop_after_answers=700)
        bots[0].kill()
        killed_at = citizens.answers_sent
        for _ in range(10):  # citizens go on answering what they were already asked
            citizens.step()
        bots.append(BotProcess(config))
        bots[1].start()
        citizens.run(deadline)
        assert citizens.all_finished(), bots[1].tail()
        assert bots[1].stop() == 0
        stats = citizens.double.stats()
    assert 0 < killed_at < 2000 and citizens.answers_sent == 2000
    stored = _answers(config)
    acknowledged = set(stats["confirmed"])
    for update_id, answer in citizens.answer_updates.items():
        if update_id in acknowledged:
            assert stored[json.dumps(answer)] == 1, answer
    assert_every_answer_once_in_order(config, citizens, 2000)


def test_sigterm_mid_traffic_finishes_what_is_in_hand_and_exits_cleanly(tmp_path: Path) -> None:
    """An operator's stop while citizens write: exit 0, a quiet log, nothing lost or doubled after restart."""
    with survey_under_load(tmp_path, 50) as (config, citizens, bots):
        deadline = time.monotonic() + 180
        citizens.run(deadline, stop_after_answers=150)
        for _ in range(3):
            citizens.step()  # answers still arriving while the process stops
        assert bots[0].stop() == 0, bots[0].tail()
        log = bots[0].log.read_text(errors="replace")
        for trouble in ("Traceback", "Unclosed", "Task was destroyed", "Task exception was never retrieved"):
            assert trouble not in log, log[-4000:]
        bots.append(BotProcess(config))
        bots[1].start()
        citizens.run(deadline)
        assert citizens.all_finished(), bots[1].tail()
        assert bots[1].stop() == 0
    assert_every_answer_once_in_order(config, citizens, 500)
