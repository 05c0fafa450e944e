"""Invitations, reminders, last-chance notes and event reminders, with the clock injected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.runtime.app import Core, sweep_context
from bot.scheduled.sweeps import erase_inactive, forget_old_event_keys, send_digest
from tests.harness import Citizen, Clock
from tests.schedule_helpers import consent, schedule_core, sweep, timed_survey
from tests.storage_fixtures import BACKENDS, backend_url

OPENS = "2026-12-02T10:00:00+01:00"  # Wednesday 10:00 in Dortmund
EVENT = """
[[events]]
title = { de = "Stadtteilspaziergang", en = "Neighbourhood walk" }
start = 2026-12-05T18:00:00+01:00
place = "Bürgerhaus Eving"
link = "https://example.org/spaziergang"
"""


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_url(request.param, tmp_path) as found:
        yield found


def open_core(tmp_path: Path, url: str, clock: Clock, **survey: str) -> Core:
    surveys = {
        "verkehr.toml": timed_survey("verkehr-umfrage", opens=OPENS, topics='["verkehr"]', **survey),
        "jetzt.toml": timed_survey("jetzt-offen", reminders='["2d", "5d"]', events=EVENT),
    }
    return schedule_core(tmp_path, surveys, url, clock)


@pytest.fixture
def core(tmp_path: Path, url: str, clock: Clock) -> Iterator[Core]:
    opened = open_core(tmp_path, url, clock)
    yield opened
    opened.close()


def rows(core: Core, sql: str) -> list[tuple[object, ...]]:
    with core.store.transaction() as tx:
        return [tuple(r) for r in tx._conn.execute(sa.text(sql)).all()]  # type: ignore[attr-defined]


def follow(citizen: Citizen, keyword: str, *numbers: int) -> str:
    citizen.say(keyword)
    citizen.say(", ".join(map(str, numbers)))
    return citizen.say(str(10))  # past the list: "done" is the number after the last entry


def test_following_topics_and_districts_and_stopping(core: Core) -> None:
    anna = consent(core, "anna")
    listing = anna.say("themen")
    assert "Zu welchen Themen möchten Sie Neues hören?" in listing
    assert "1 – verkehr" in listing and "2 – gruen" in listing and "3 – Alles" in listing and "4 – Fertig" in listing
    marked = anna.say("1")
    assert marked == "Jetzt an: verkehr.\nWeitere Zahlen schalten mehr an oder aus; 4 beendet die Auswahl.", (
        "a toggle says what changed instead of printing the whole list again"
    )
    assert anna.say("1, 2") == (
        "Jetzt an: gruen.\nJetzt aus: verkehr.\nWeitere Zahlen schalten mehr an oder aus; 4 beendet die Auswahl."
    )
    anna.say("1, 2")
    tina = consent(core, "tina", channel="telegram")
    tina.say("themen")
    tina.say("1")
    (keyboard,) = tina.last
    assert keyboard.options and keyboard.selected == (keyboard.options[0].payload,), "buttons keep their marks"
    tina.say("1")  # and off again
    done = anna.say("4")
    assert "Ich lade Sie ein, wenn es etwas Neues gibt zu: verkehr." in done
    bezirke = anna.say("bezirke")
    assert "1 – Eving" in bezirke
    anna.say("2")
    assert "Hombruch" in anna.say("3") and "verkehr" in anna.say("themen")
    assert rows(core, "SELECT kind, value FROM subscription ORDER BY kind") == [
        ("district", "Hombruch"),
        ("topic", "verkehr"),
    ]
    stopped = anna.say("stopp")
    assert "keine Einladungen oder Erinnerungen mehr" in stopped or "keine" in stopped.lower()
    assert rows(core, "SELECT count(*) FROM subscription") == [(0,)]


def test_invitations_go_only_to_matching_subscribers_once(core: Core, clock: Clock) -> None:
    anna, ben, cara, dora, emil = (consent(core, n) for n in ("anna", "ben", "cara", "dora", "emil"))
    anna.say("themen"), anna.say("1")  # verkehr
    ben.say("themen"), ben.say("2")  # gruen
    dora.say("themen"), dora.say("3")  # everything
    emil.say("bezirke"), emil.say("1")  # Eving: the survey names no district
    assert sweep(core).total == 0, "not open yet"
    clock.now = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)  # 10:00 in Dortmund: opens
    assert sweep(core).queued == {"invitation": 2}
    invitation = anna.say("menü")  # anything: collect() returns what is due for anna
    assert "Neu: Umfrage verkehr-umfrage" in invitation and "start verkehr-umfrage" in invitation
    assert "Schreiben Sie 'stopp'" in invitation
    for citizen in (ben, cara, emil):
        assert "Neu:" not in citizen.say("menü")
    assert "Neu: Umfrage verkehr-umfrage" in dora.say("menü")
    assert sweep(core).total == 0, "never twice"
    assert rows(core, "SELECT count(*) FROM delivery_log WHERE kind = 'invitation'") == [(2,)]


def test_the_invitation_button_starts_the_survey(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    anna.say("themen"), anna.say("1")
    clock.now = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    sweep(core)
    anna.last = anna.collect()
    # the menu's number for it, so typing 2 means the same as pressing the button
    assert [(o.number, o.label) for o in anna.last[0].options] == [(2, "Jetzt mitmachen")]
    assert "Erste Frage?" in anna.press(2)


def test_invitations_wait_for_the_end_of_quiet_hours(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    anna.say("themen"), anna.say("1")
    clock.now = dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.UTC)  # 22:30 in Dortmund: quiet
    assert sweep(core).total == 0
    clock.now = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)  # 08:00: quiet hours are over
    assert sweep(core).queued == {"invitation": 1}


def start_and_stop(citizen: Citizen) -> None:
    citizen.say("start jetzt-offen")
    citizen.say("eine Antwort")  # the first of two questions: started, not finished


def test_a_reminder_after_the_duration_and_none_after_finishing(core: Core, clock: Clock) -> None:
    anna, ben = consent(core, "anna"), consent(core, "ben")
    start_and_stop(anna)
    start_and_stop(ben)
    assert "Zweite Frage?" in ben.say("start jetzt-offen")
    ben.say("fertig")  # ben finishes
    clock.advance(days=1, hours=23)
    assert sweep(core).total == 0, "not yet two days"
    clock.advance(hours=2)
    assert sweep(core).queued == {"reminder": 1}
    reminder = anna.say("hilfe")
    assert "Eine freundliche Erinnerung: Sie haben 'Umfrage jetzt-offen' noch nicht beendet." in reminder
    assert sweep(core).total == 0, "once"
    assert "freundliche Erinnerung" not in ben.say("hilfe")


def test_after_downtime_only_the_latest_reminder_is_sent(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    start_and_stop(anna)
    clock.advance(days=6)
    assert sweep(core).queued == {"reminder": 1}
    assert rows(core, "SELECT slot FROM delivery_log WHERE kind = 'reminder'") == [("1",)]
    clock.advance(days=6)
    assert sweep(core).total == 0


def test_a_reminder_due_at_night_comes_in_the_morning(core: Core, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 12, 1, 21, 0, tzinfo=dt.UTC)  # 22:00 in Dortmund
    anna = consent(core, "anna")
    start_and_stop(anna)
    clock.advance(days=2)  # due now, at 22:00: quiet
    assert sweep(core).total == 0
    clock.now = dt.datetime(2026, 12, 4, 6, 59, tzinfo=dt.UTC)
    assert sweep(core).total == 0
    clock.now = dt.datetime(2026, 12, 4, 7, 0, tzinfo=dt.UTC)  # 08:00
    assert sweep(core).queued == {"reminder": 1}


def test_over_the_weekly_cap_a_reminder_is_dropped_and_recorded(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    start_and_stop(anna)
    pid = anna_id(core)
    with core.store.transaction() as tx:  # two messages this week already
        assert tx.record_delivery(pid, "other", "invitation", "1", "queued", clock.now)
        assert tx.record_delivery(pid, "other", "reminder", "0", "queued", clock.now)
    clock.advance(days=2)
    outcome = sweep(core)
    assert outcome.queued == {} and outcome.dropped == {"reminder": 1}
    assert "freundliche Erinnerung" not in anna.say("hilfe")
    assert rows(core, "SELECT status FROM delivery_log WHERE process_id = 'jetzt-offen'") == [("dropped",)]
    clock.advance(hours=1)
    assert sweep(core).dropped == {}, "recorded once, not retried"


def anna_id(core: Core) -> str:
    return str(rows(core, "SELECT participant_id FROM contact WHERE address = 'chat-anna'")[0][0])


def test_stopp_ends_reminders_of_started_surveys(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    start_and_stop(anna)
    anna.say("stopp")
    clock.advance(days=3)
    assert sweep(core).total == 0


def test_last_chance_one_day_before_closing(tmp_path: Path, url: str, clock: Clock) -> None:
    surveys = {"zu.toml": timed_survey("bald-zu", closes="2026-12-10T18:00:00+01:00")}
    core = schedule_core(tmp_path, surveys, url, clock)
    try:
        anna = consent(core, "anna")
        anna.say("start bald-zu")
        anna.say("eins")
        clock.now = dt.datetime(2026, 12, 9, 16, 59, tzinfo=dt.UTC)
        assert sweep(core).total == 0
        clock.advance(minutes=1)
        assert sweep(core).queued == {"last_chance": 1}
        assert "Letzte Gelegenheit: 'Umfrage bald-zu' endet am 10.12.2026 um 18:00 Uhr." in anna.say("hilfe")
        assert sweep(core).total == 0
    finally:
        core.close()


def test_events_are_listed_and_a_reminder_comes_the_day_before(core: Core, clock: Clock) -> None:
    anna, ben = consent(core, "anna"), consent(core, "ben")
    listing = anna.say("termine")
    assert "05.12.2026, 18:00 – Stadtteilspaziergang" in listing and "Ort: Bürgerhaus Eving" in listing
    assert "1 – 05.12.2026 Stadtteilspaziergang" in listing
    assert "Ich erinnere Sie am Tag davor: Stadtteilspaziergang" in anna.say("1")
    clock.now = dt.datetime(2026, 12, 4, 16, 59, tzinfo=dt.UTC)
    assert sweep(core).total == 0
    clock.advance(minutes=1)
    assert sweep(core).queued == {"event": 1}
    reminder = anna.say("hilfe")
    assert "Erinnerung: Stadtteilspaziergang am 05.12.2026 um 18:00 Uhr, Bürgerhaus Eving." in reminder
    assert "https://example.org/spaziergang" in reminder
    assert "Stadtteilspaziergang" not in ben.say("hilfe")
    assert sweep(core).total == 0


def test_an_event_reminder_can_be_taken_back(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    anna.say("termine")
    anna.say("1")
    assert "Keine Erinnerung mehr für: Stadtteilspaziergang" in anna.say("1")
    clock.now = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
    assert sweep(core).total == 0


def test_the_daily_digest_goes_to_staff_chats_that_exist(core: Core, clock: Clock) -> None:
    chef = consent(core, "chef", channel="terminal")  # bot.staff lists "terminal:user-chef"
    anna = consent(core, "anna")
    start_and_stop(anna)
    assert send_digest(sweep_context(core), core.engine.catalog, clock.now) == 1
    digest = chef.say("hilfe")
    assert "Tagesübersicht für das Team" in digest and "Umfrage jetzt-offen: 1 begonnen, 0 abgeschlossen" in digest
    assert "Ideen, die auf Freigabe warten: 0" in digest
    assert send_digest(sweep_context(core), core.engine.catalog, clock.now) == 0, "once a day"
    assert "Tagesübersicht" not in anna.say("hilfe")


def test_retention_erases_participants_inactive_too_long(core: Core, clock: Clock) -> None:
    old, recent = consent(core, "old"), consent(core, "recent")
    start_and_stop(old)
    clock.advance(days=700)
    recent.say("themen")  # seen again
    clock.advance(days=31)  # old: 731 days; recent: 31 days (retention_days defaults to 730)
    assert erase_inactive(sweep_context(core), clock.now) == 1
    assert rows(core, "SELECT address FROM contact") == [("chat-recent",)]
    assert rows(core, "SELECT count(*) FROM response") == [(0,)]
    assert erase_inactive(sweep_context(core), clock.now) == 0


def test_retention_forgets_handled_event_keys_after_thirty_days(core: Core, clock: Clock) -> None:
    anna = consent(core, "anna")
    anna.say("hilfe", event_id="early")
    clock.advance(days=20)
    anna.say("hilfe", event_id="later")
    clock.advance(days=11)  # "early" (and consent's events) are 31 days old, "later" 11
    before = rows(core, "SELECT count(*) FROM processed_event")[0][0]
    assert forget_old_event_keys(sweep_context(core), clock.now) == before - 1
    assert rows(core, "SELECT event_id FROM processed_event") == [("later",)]
    assert anna.say("hilfe", event_id="later") == "", "a recent event is still recognised"


def test_a_restart_between_scheduling_and_due_time_sends_once(tmp_path: Path, url: str, clock: Clock) -> None:
    core = open_core(tmp_path, url, clock)
    anna = consent(core, "anna")
    start_and_stop(anna)
    clock.advance(days=1)
    assert sweep(core).total == 0
    core.close()
    clock.advance(days=2)
    core = open_core(tmp_path, url, clock)  # a new process on the same database
    try:
        assert sweep(core).queued == {"reminder": 1}
        assert sweep(core).total == 0
        assert rows(core, "SELECT count(*) FROM outbox WHERE payload LIKE '%Erinnerung%'") == [(1,)]
    finally:
        core.close()


def test_follow_lists_take_typed_labels_too() -> None:
    from bot.dialogue.subscriptions import _numbers_by_label

    labels = ["verkehr", "grün", "Alles", "Fertig"]
    assert _numbers_by_label("Verkehr, GRÜN", labels) == [1, 2]
    assert _numbers_by_label("fertig", labels) == [4]
    assert _numbers_by_label("Verkehr und mehr", labels) is None


def test_my_data_lists_what_they_follow(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.harness import Citizen, Clock, make_config, make_core

    config = make_config(
        tmp_path,
        {"s.toml": 'format = 1\nid = "s-1"\ntitle = "S"\n[[questions]]\nid = "a"\ntype = "yesno"\ntext = "A?"\n'},
    )
    text = config.read_text().replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\ntopics = ["verkehr"]')
    config.write_text(text)
    core = make_core(config, Clock())
    try:
        anna = Citizen(core)
        anna.say("hallo")
        anna.say("1")
        anna.say("themen")
        anna.say("1")
        (reply,) = anna.send("meinedaten")
        assert reply.attachment is not None
        data = json.loads(reply.attachment.data)
        assert [s["value"] for s in data["subscriptions"]] == ["verkehr"]
        assert data["invitations_and_reminders"] == []
        texts = [m["text"] for m in data["messages_from_the_bot"]]
        asked = "Zu welchen Themen möchten Sie Neues hören?"
        assert any(asked in text for text in texts), "the messages she got, in full"
        assert all(m["status_in_words"] == "verschickt" for m in data["messages_from_the_bot"])
    finally:
        core.close()


def test_topics_are_shown_by_their_names_and_may_be_typed_by_name_or_id(tmp_path: Path, url: str, clock: Clock) -> None:
    names = '\n[bot.topic_names]\ngruen = { de = "Grün und Parks", en = "Parks and green spaces" }\n'
    core = schedule_core(tmp_path, {"jetzt.toml": timed_survey("jetzt-offen")}, url, clock, extra=names)
    try:
        anna = consent(core, "anna")
        listing = anna.say("themen")
        assert "1 – verkehr" in listing and "2 – Grün und Parks" in listing, "no name: the id is shown"
        assert "Jetzt an: Grün und Parks." in anna.say("grün und parks")
        assert "Jetzt an: verkehr." in anna.say("verkehr")
        assert "Jetzt aus: Grün und Parks." in anna.say("gruen"), "the id switches it off again"
        assert "Ich lade Sie ein, wenn es etwas Neues gibt zu: verkehr." in anna.say("fertig")
        anna.say("themen"), anna.say("2")
        anna.say("sprache en")
        assert "2 – Parks and green spaces (chosen)" in anna.say("topics")
    finally:
        core.close()
