"""Staff moderation in chat, and closing the loop: authors and supporters hear of changes exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest

from bot.notifications import opening
from bot.runtime.app import Core
from bot.runtime.outbox import OutboxSender
from tests.harness import Clock
from tests.idea_harness import citizen, hand_in, icore, ref_in, rows, staff, two_calls  # noqa: F401
from tests.test_outbox import Scripted


def test_moderation_before_approve_publishes_and_tells_the_author(icore: Core) -> None:
    anna, ben, mia = citizen(icore, "anna"), citizen(icore, "ben"), staff(icore)
    ref = ref_in(hand_in(anna, "Mehr Bäume am Hafen pflanzen"))
    assert ref not in ben.say("ideen")
    queue = mia.say("mod")
    assert "1 Idee(n) warten auf Prüfung" in queue and ref in queue and "Mehr Bäume am Hafen" in queue
    assert f"Idee {ref} ist veröffentlicht" in mia.say(f"mod freigeben {ref}")
    assert "schon veröffentlicht" in mia.say(f"mod approve {ref}")
    assert "Keine Idee wartet" in mia.say("mod")
    assert f"Ihre Idee {ref} ist jetzt veröffentlicht" in anna.say("hilfe")
    assert ref in ben.say("ideen")
    assert rows(icore, "SELECT actor, action FROM idea_audit") == [("terminal:user-mia", "approve")]


def test_reject_needs_a_reason_and_the_author_reads_it(icore: Core) -> None:
    anna, mia = citizen(icore, "anna"), staff(icore)
    ref = ref_in(hand_in(anna, "Die ganze Nordstadt abreißen"))
    assert "Bitte geben Sie einen Grund an" in mia.say(f"mod ablehnen {ref}")
    assert "abgelehnt" in mia.say(f"mod ablehnen {ref} Das ist keine Idee für mehr Grün.")
    told = anna.say("hilfe")
    assert f"Ihre Idee {ref} wurde nicht veröffentlicht. Der Grund: Das ist keine Idee für mehr Grün." in told
    assert rows(icore, "SELECT visibility, reason FROM idea") == [("rejected", "Das ist keine Idee für mehr Grün.")]
    assert rows(icore, "SELECT action, reason FROM idea_audit") == [("reject", "Das ist keine Idee für mehr Grün.")]


def test_moderation_after_staff_hide_and_reported_ideas_come_back_on_approval(two_calls: Core) -> None:
    anna, ben, cem = (citizen(two_calls, n) for n in ("anna", "ben", "cem"))
    mia = staff(two_calls)
    anna.say("idee")
    anna.say("2")
    anna.say("Radweg auf der Kaiserstraße markieren")
    ref = ref_in(anna.say("Kaiserstraße"))
    ben.say(f"melden {ref}")
    cem.say(f"melden {ref}")
    assert ref not in ben.say("ideen")
    assert f"Idee {ref} ist veröffentlicht" in mia.say(f"mod freigeben {ref}")
    assert ref in ben.say("ideen")
    ben.say(f"melden {ref}")
    assert rows(two_calls, "SELECT visibility FROM idea") == [("published",)], "old reports were cleared"
    assert f"Idee {ref} ist verborgen" in mia.say(f"mod verbergen {ref}")
    assert ref not in cem.say("ideen")
    assert [a for (a,) in rows(two_calls, "SELECT action FROM idea_audit ORDER BY id")] == [
        "reported",
        "approve",
        "hide",
    ]


def test_a_non_staff_participant_gets_no_staff_commands(icore: Core, caplog: pytest.LogCaptureFixture) -> None:
    anna, ben = citizen(icore, "anna"), citizen(icore, "ben")
    ref = ref_in(hand_in(anna, "Mehr Bäume am Hafen pflanzen"))
    with caplog.at_level(logging.INFO):
        refused = ben.say(f"mod freigeben {ref}")
        queue = ben.say("mod")
    assert "Das habe ich nicht verstanden" in refused and "Das habe ich nicht verstanden" in queue
    assert "Mehr Bäume" not in queue
    assert rows(icore, "SELECT visibility FROM idea") == [("pending",)]
    assert rows(icore, "SELECT count(*) FROM idea_audit") == [(0,)]
    logged = [r.getMessage() for r in caplog.records if "staff" in r.getMessage()]
    assert logged and all("user-ben" not in line and "chat-ben" not in line for line in logged)


def test_a_staff_word_inside_an_idea_text_is_just_text(icore: Core) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    assert "Wo ist das?" in anna.say("mod freigeben I-AAAA bitte, und mehr Bäume")


def test_status_change_reaches_author_and_supporters_once_across_a_sender_restart(two_calls: Core) -> None:
    anna, ben, cem = (citizen(two_calls, n) for n in ("anna", "ben", "cem"))
    mia = staff(two_calls)
    anna.say("idee")
    anna.say("2")
    anna.say("Radweg auf der Kaiserstraße markieren")
    ref = ref_in(anna.say("Kaiserstraße"))
    ben.say(f"unterstützen {ref}")
    cem.say(f"unterstützen {ref}")
    assert "wird umgesetzt" in mia.say(f"mod status {ref} umsetzung")
    store = two_calls.store
    assert store.outbox_pending("test") == 3, "one row per recipient"

    adapter = Scripted()
    first = OutboxSender(store, adapter, clock=two_calls.engine.clock, address="chat-anna")  # type: ignore[arg-type]
    asyncio.run(first.drain())  # this sender then "crashes": it is dropped with rows still pending
    assert store.outbox_pending("test") == 2
    for _ in range(2):  # restarted, and restarted again: nothing goes out twice
        asyncio.run(OutboxSender(store, adapter, clock=two_calls.engine.clock).drain())  # type: ignore[arg-type]
    news = (
        f"Neues zu Idee {ref}: Ihr Status ist jetzt „wird umgesetzt“.\n"
        "Die Idee: „Radweg auf der Kaiserstraße markieren“"
    )
    assert {address: texts for address, texts in adapter.sent.items()} == {
        "chat-anna": [news],
        "chat-ben": [news],
        "chat-cem": [news],
    }
    assert store.outbox_pending("test") == 0


def test_declined_needs_a_reason_which_everyone_concerned_reads(icore: Core) -> None:
    anna, ben, mia = citizen(icore, "anna"), citizen(icore, "ben"), staff(icore)
    ref = ref_in(hand_in(anna, "Mehr Bäume am Hafen pflanzen"))
    mia.say(f"mod freigeben {ref}")
    ben.say(f"unterstützen {ref}")
    anna.say("hilfe")  # reads the publication news
    assert "Bitte geben Sie einen Grund an" in mia.say(f"mod status {ref} abgelehnt")
    assert "„abgelehnt“" in mia.say(f"mod status {ref} declined Dort liegen Leitungen im Boden.")
    for person in (anna, ben):
        told = person.say("hilfe")
        assert f"Neues zu Idee {ref}: Ihr Status ist jetzt „abgelehnt“." in told
        assert "Der Grund: Dort liegen Leitungen im Boden." in told
    assert "Unbekannter Status" in mia.say(f"mod status {ref} vielleicht")
    assert "Es gibt keine Idee I-ZZZZ" in mia.say("mod freigeben I-ZZZZ")


def test_status_news_waits_for_the_end_of_the_quiet_hours(icore: Core, clock: Clock) -> None:
    anna, ben, mia = citizen(icore, "anna"), citizen(icore, "ben"), staff(icore)
    ref = ref_in(hand_in(anna, "Mehr Bäume am Hafen pflanzen"))
    mia.say(f"mod freigeben {ref}")
    ben.say(f"unterstützen {ref}")
    anna.say("hilfe")  # reads the publication news, sent in the day
    clock.now = dt.datetime(2026, 12, 1, 22, 30, tzinfo=dt.UTC)  # 23:30 in Berlin: quiet (21:00-08:00)
    mia.say(f"mod status {ref} angenommen")
    news = f"Neues zu Idee {ref}: Ihr Status ist jetzt „angenommen“."
    assert all(news not in person.say("hilfe") for person in (anna, ben)), "nothing at night"
    clock.now = dt.datetime(2026, 12, 2, 7, 1, tzinfo=dt.UTC)  # 08:01 in Berlin
    assert all(news in person.say("hilfe") for person in (anna, ben)), "then once each"
    assert all(news not in person.say("hilfe") for person in (anna, ben))


def test_an_unknown_status_is_answered_with_the_words_staff_may_type(two_calls: Core) -> None:
    anna = citizen(two_calls, "anna")
    mia = staff(two_calls)
    anna.say("idee")
    anna.say("2")
    anna.say("Radweg auf der Kaiserstraße markieren")
    ref = ref_in(anna.say("Kaiserstraße"))
    unknown = mia.say(f"mod status {ref} vielleicht")
    assert "Unbekannter Status vielleicht" in unknown
    words = unknown.split("Möglich sind: ", 1)[1].rstrip(".").replace(" oder ", ", ").split(", ")
    assert words == ["eingegangen", "pruefung", "angenommen", "umsetzung", "abgelehnt"]
    for word in words[:-1]:  # each word it names works (declined would need a reason)
        assert "Unbekannter Status" not in mia.say(f"mod status {ref} {word}")


def test_news_quotes_the_opening_words_of_long_ideas() -> None:
    assert opening("Mehr  Bänke\nam Teich") == "Mehr Bänke am Teich"
    long = "Ein Radweg " * 20
    cut = opening(long)
    assert len(cut) <= 80 and cut.endswith("Radweg…") and cut.startswith("Ein Radweg Ein")
    assert opening("x" * 200) == "x" * 79 + "…"
