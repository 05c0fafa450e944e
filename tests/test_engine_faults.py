"""What the engine does when handling an event fails, alone or among others handled together,
and photos that two citizens share."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.base import Media
from bot.dialogue import Conversation
from bot.runtime.app import Core
from bot.runtime.engine import FloodGuard, Handled
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


def in_the_park(core: Core, first: Citizen, more: int) -> list[Citizen]:
    """``first`` (agreed already) and ``more`` citizens who agree, each at the park survey's first question."""
    citizens = [first] + [Citizen(core, f"c{n}") for n in range(more)]
    for citizen in citizens[1:]:
        citizen.say("hallo")
        citizen.say("1")
    for citizen in citizens:
        assert "Wie oft sind Sie im Park?" in start_park(citizen)
    return citizens


def test_a_fault_in_one_of_turns_handled_together_keeps_the_others(
    consented: Citizen, core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    anna, ben, cara = in_the_park(core, consented, 2)
    fail_on("selten", ValueError("bad answer"), monkeypatch)
    with caplog.at_level(logging.ERROR):
        outcomes = core.engine.handle_all([ben.inbound("oft"), anna.inbound("selten"), cara.inbound("oft")])
    assert [type(o) for o in outcomes] == [Handled] * 3, "every event is handled, none is offered again"
    assert rows(core, "SELECT count(*) FROM answer") == [(2,)], "Ben's and Cara's answers are kept"
    assert "etwas schiefgegangen" in "\n".join(r.text for r in anna.collect()), "Anna gets the apology"
    for citizen in (ben, cara):
        assert "Haben Sie einen Hund?" in "\n".join(r.text for r in citizen.collect()), "each got the next question"
    assert caplog.text.count("could not be handled") == 1, "the fault is logged once, for its own turn"


def test_a_row_one_turn_may_not_write_keeps_the_others(
    consented: Citizen, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben, cara = in_the_park(core, consented, 2)
    fail_on("selten", IntegrityError("INSERT …", {}, Exception("duplicate key")), monkeypatch)
    outcomes = core.engine.handle_all(
        [ben.inbound("oft"), anna.inbound("selten", event_id="again"), cara.inbound("oft")]
    )
    assert isinstance(outcomes[0], Handled) and isinstance(outcomes[2], Handled)
    assert isinstance(outcomes[1], IntegrityError), "only this event is offered again"
    assert rows(core, "SELECT count(*) FROM answer") == [(2,)]
    monkeypatch.undo()
    assert "Warum nicht öfter?" in anna.say("selten", event_id="again"), "and it is handled when offered again"


def test_the_database_away_during_turns_handled_together_keeps_none_of_them(
    consented: Citizen, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben, cara = in_the_park(core, consented, 2)
    fail_on("selten", OperationalError("UPDATE …", {}, Exception("server closed the connection")), monkeypatch)
    events = [
        ben.inbound("oft", event_id="b1"),
        anna.inbound("selten", event_id="a1"),
        cara.inbound("oft", event_id="c1"),
    ]
    outcomes = core.engine.handle_all(events)
    assert all(isinstance(o, OperationalError) for o in outcomes), "every event is offered again"
    assert rows(core, "SELECT count(*) FROM answer") == [(0,)]
    assert rows(core, "SELECT count(*) FROM processed_event WHERE event_id IN ('a1', 'b1', 'c1')") == [(0,)]
    monkeypatch.undo()
    assert all(isinstance(o, Handled) and o.replies for o in core.engine.handle_all(events)), "and handled then"
    assert rows(core, "SELECT count(*) FROM answer") == [(3,)]


def test_a_photo_that_cannot_be_kept_fails_only_its_own_event(
    consented: Citizen, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben, cara = in_the_park(core, consented, 2)

    def disk_full(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(core.engine.media, "keep", disk_full)
    picture = Media(kind="image", mime_type="image/png", size=len(PNG), data=PNG)
    outcomes = core.engine.handle_all([ben.inbound("oft"), anna.inbound(media=picture), cara.inbound("oft")])
    assert isinstance(outcomes[1], OSError), "the channel learns it for this event and offers it again"
    assert isinstance(outcomes[0], Handled) and isinstance(outcomes[2], Handled), "the others are handled"
    assert rows(core, "SELECT count(*) FROM answer") == [(2,)]


def test_turns_that_wait_together_are_committed_together(consented: Citizen, core: Core) -> None:
    citizens = in_the_park(core, consented, 11)
    commits = 0

    def count(_conn: Any) -> None:
        nonlocal commits
        commits += 1

    engine = core.store._engine  # type: ignore[attr-defined]
    sa.event.listen(engine, "commit", count)

    async def all_at_once() -> None:
        await asyncio.gather(*(core.engine.deliver(c.inbound("oft")) for c in citizens))

    asyncio.run(all_at_once())
    sa.event.remove(engine, "commit", count)
    assert rows(core, "SELECT count(*) FROM answer") == [(12,)], "every answer is stored"
    assert 1 <= commits < len(citizens), f"{commits} commits for {len(citizens)} turns"
    for citizen in citizens:
        assert "Haben Sie einen Hund?" in "\n".join(r.text for r in citizen.collect())


def test_citizens_answering_one_after_another_are_all_answered(consented: Citizen, core: Core) -> None:
    """Each citizen's next answer comes as the writer finishes the last batch: none is left waiting."""
    citizens = in_the_park(core, consented, 7)

    async def answering(citizen: Citizen) -> None:
        for text in ("oft", "nein"):
            await core.engine.deliver(citizen.inbound(text))  # at once, as a pipe or a busy chat would

    async def all_of_them() -> None:
        await asyncio.wait_for(asyncio.gather(*(answering(c) for c in citizens)), timeout=30)

    asyncio.run(all_of_them())
    assert rows(core, "SELECT count(*) FROM answer") == [(2 * len(citizens),)]


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


def test_the_flood_guard_forgets_senders_idle_for_a_window() -> None:
    now = [0.0]
    guard = FloodGuard(limit=2, window=60.0, clock=lambda: now[0])
    assert [guard.check("telegram", "a") for _ in range(4)] == ["ok", "ok", "warn", "drop"]
    assert guard.check("terminal", "me") == "ok" and guard.senders() == 1, "the terminal is not counted"
    now[0] = 50.0
    guard.check("telegram", "b")
    assert guard.senders() == 2
    now[0] = 95.0  # a's events are over a window old, b's are not
    assert guard.check("telegram", "c") == "ok"
    assert guard.senders() == 2, "a is forgotten, b and c are held"
    assert [guard.check("telegram", "a") for _ in range(3)] == ["ok", "ok", "warn"], "a starts afresh"
