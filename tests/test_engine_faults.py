"""What the engine does when handling an event fails, and photos that two citizens share."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.dialogue import Conversation
from bot.runtime.app import Core
from tests.harness import Citizen
from tests.test_conversation import rows, start_park

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def fail_on(text: str, error: Exception, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the dialogue raise ``error`` whenever a citizen sends ``text``."""
    run = Conversation.run

    def failing(self: Conversation) -> Any:
        if self.turn.inbound.text == text:
            raise error
        return run(self)

    monkeypatch.setattr(Conversation, "run", failing)


def test_a_fault_in_the_dialogue_is_apologised_for_and_does_not_block(
    consented: Citizen, core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    start_park(consented)
    fail_on("selten", ValueError("bad answer 'selten' from user-anna"), monkeypatch)
    with caplog.at_level(logging.ERROR):
        reply = consented.say("selten", event_id="faulty")
    assert "etwas schiefgegangen" in reply and "noch einmal" in reply
    assert rows(core, "SELECT count(*) FROM answer") == [(0,)], "nothing of the failed event was stored"
    assert consented.say("selten", event_id="faulty") == "", "the event counts as handled: a replay is skipped"
    assert "Wie oft sind Sie im Park?" not in consented.say("oft"), "the next message is handled as usual"
    assert rows(core, "SELECT count(*) FROM answer") == [(1,)]
    logged = caplog.text
    assert "ValueError" in logged and "failing" in logged, "the log names the fault and where it was raised"
    assert "user-anna" not in logged and "selten" not in logged, "but not who sent what"


def test_a_database_error_propagates_so_the_channel_offers_the_event_again(
    consented: Citizen, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    start_park(consented)
    fail_on("selten", OperationalError("UPDATE …", {}, Exception("database is locked")), monkeypatch)
    with pytest.raises(OperationalError):
        consented.say("selten", event_id="retry-me")
    monkeypatch.undo()
    assert "Warum nicht öfter?" in consented.say("selten", event_id="retry-me"), "the same event, handled on retry"


def take_park_with_photo(citizen: Citizen, picture: bytes) -> str:
    """A new citizen agrees, answers the park survey and ends it with ``picture``; the last reply."""
    for text in ("hallo", "1"):
        citizen.say(text)
    start_park(citizen)
    for text in ("selten", "1, 3", "nein", "5", "überspringen", "Mehr Schatten", "24.12.2026", "Am Teich"):
        citizen.say(text)
    return citizen.photo(picture, "image/png")


def test_erasing_one_citizen_keeps_the_same_picture_another_citizen_sent(core: Core) -> None:
    anna, ben = Citizen(core, "anna"), Citizen(core, "ben")
    for citizen in (anna, ben):
        assert "Danke für Ihre Antworten!" in take_park_with_photo(citizen, PNG)
    media = Path(core.config.storage.media_dir)
    files = sorted(p.name for p in media.iterdir())
    assert len(files) == 2, "one file per citizen, though the bytes are the same"
    stored = [v for (v,) in rows(core, "SELECT value FROM answer WHERE question_id = 'bild'")]
    assert all(any(name in str(value) for name in files) for value in stored)

    anna.say("löschen")
    anna.say("ja")
    assert rows(core, "SELECT count(*) FROM participant") == [(1,)]
    left = sorted(p.name for p in media.iterdir())
    assert len(left) == 1 and left[0] in str(rows(core, "SELECT value FROM answer WHERE question_id = 'bild'"))
    assert (media / left[0]).read_bytes() == PNG
