"""Whole conversations, read like transcripts: what the citizen types, what the bot says."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from bot.runtime.app import Core
from tests.harness import Citizen, Clock, make_config, make_core, text_survey


def start_park(citizen: Citizen) -> str:
    menu = citizen.say("menü")
    number = next(line.split(" – ")[0] for line in menu.splitlines() if "Parkumfrage" in line)
    return citizen.say(number)


def answers(core: Core, process_id: str = "park-test") -> dict[str, object]:
    """The stored answers of all responses to a process, by question id (through the store)."""
    return {a.question_id: a.value for _, found in core.store.responses(process_id) for a in found}


def rows(core: Core, sql: str) -> list[tuple]:
    engine = sa.create_engine(core.config.storage.url)
    with engine.connect() as db:
        return [tuple(r) for r in db.execute(sa.text(sql)).all()]


def test_first_contact_asks_consent_and_stores_nothing_else(anna: Citizen, core: Core) -> None:
    first = anna.say("Hallo")
    assert "Hallo! Hier ist Mitwirken Test." in first
    assert "Datenschutz:" in first and "https://example.org/datenschutz" in first
    assert "1 – Ja, einverstanden" in first and "2 – Nein" in first
    assert rows(core, "SELECT count(*) FROM response") == [(0,)]
    refused = anna.say("2")
    assert "Ohne Ihre Einwilligung speichere ich nichts" in refused
    assert "Diese Wörter können Sie jederzeit schreiben" in anna.say("hilfe")
    assert "Sind Sie einverstanden?" in anna.say("umfragen"), "no menu without consent"
    assert "Wobei möchten Sie mitmachen?" in anna.say("ja")


def test_consent_by_button_and_forged_button(anna: Citizen) -> None:
    anna.say("hallo")
    forged = anna.say(choice="c.y.AAAAAAAAAA")
    assert "Sind Sie einverstanden?" in forged
    assert "Wobei möchten Sie mitmachen?" in anna.press(1)


def test_forged_buttons_with_non_ascii_or_broken_text_are_refused_not_crashed(anna: Citizen) -> None:
    anna.say("hallo")
    for forged in ("c.y.ÄÄÄÄÄÄÄÄÄÄ", "c.ü.AAAAAAAAAA", "c.y.\ud800AAAAAAAAA"):
        assert "Sind Sie einverstanden?" in anna.say(choice=forged)
    assert "Wobei möchten Sie mitmachen?" in anna.press(1)


def test_full_survey_with_branch_taken(consented: Citizen, core: Core) -> None:
    first = start_park(consented)
    assert "Ein paar Fragen zum Park." in first and "Frage 1 von 9" in first
    assert "4 – Sonstiges" in first
    assert "Warum nicht öfter?" in consented.say("selten")
    assert "Haben Sie einen Hund?" in consented.say("1, 3")
    assert "Wie gefällt Ihnen der Park?" in consented.say("nein")
    assert "Wie alt sind Sie?" in consented.say("5")
    assert "Was wünschen Sie sich?" in consented.say("überspringen")
    assert "Wann waren Sie zuletzt dort?" in consented.say("Mehr Schatten")
    assert "Wo genau?" in consented.say("24.12.2026")
    assert "Haben Sie ein Foto?" in consented.say("Am Teich")
    done = consented.say("skip")
    assert "Danke für Ihre Antworten!" in done and "menü" in done
    assert answers(core) == {
        "besuch": "selten",
        "grund": ["weg", "zeit"],
        "hund": False,
        "note": 5,
        "alter": None,
        "wunsch": "Mehr Schatten",
        "termin": "2026-12-24",
        "ort": {"text": "Am Teich"},
        "bild": None,
    }
    assert rows(core, "SELECT status FROM response") == [("completed",)]


def test_branch_not_taken_and_end_if(consented: Citizen) -> None:
    start_park(consented)
    assert "Haben Sie einen Hund?" in consented.say("oft"), "the reasons question is skipped"
    ben = Citizen(consented.core, "ben")
    ben.say("hallo")
    ben.say("1")
    start_park(ben)
    assert "Warum nicht öfter?" in ben.say("nie")
    ben.say("2")
    ended = ben.say("nein")
    assert "Dann sind wir schon fertig. Danke!" in ended


def test_invalid_answers_get_a_friendly_reask(consented: Citizen) -> None:
    start_park(consented)
    reply = consented.say("vielleicht")
    assert "Bitte wählen Sie" in reply or "Bitte antworten Sie" in reply
    assert reply.count("Wie oft sind Sie im Park?") == 1
    consented.say("oft")
    consented.say("ja")
    scale = consented.say("12")
    assert "von 1 bis 5" in scale and "Wie gefällt Ihnen der Park?" in scale
    consented.say("3")
    age = consented.say("zweihundert")
    assert "Wie alt sind Sie?" in age
    assert "Was wünschen Sie sich?" in consented.say("41")
    huge = consented.say("x" * 50_000)
    assert "Bitte kürzen Sie" in huge and "Was wünschen Sie sich?" in huge
    assert "Das sind 50.000 Zeichen" in huge, "the citizen is told the real length"
    constraint = consented.say("ok")
    assert "Bitte mindestens drei Zeichen." in constraint


def test_back_and_cancel_and_resume(consented: Citizen) -> None:
    start_park(consented)
    consented.say("oft")
    back = consented.say("zurück")
    assert "Wie oft sind Sie im Park?" in back
    assert "Haben Sie einen Hund?" in consented.say("oft")
    paused = consented.say("abbrechen")
    assert "pausiert" in paused
    resumed = start_park(consented)
    assert "Willkommen zurück" in resumed and "Haben Sie einen Hund?" in resumed


def test_other_option_asks_for_text(consented: Citizen, core: Core) -> None:
    start_park(consented)
    assert "Bitte beschreiben Sie Ihre andere Antwort" in consented.say("Sonstiges")
    assert "Haben Sie einen Hund?" in consented.say("Nur sonntags")
    (found,) = [a for _, found in core.store.responses("park-test") for a in found]
    assert (found.value, found.other_text) == ("other", "Nur sonntags")


def test_buttons_bound_to_question(consented: Citizen) -> None:
    first = start_park(consented)
    question_reply = consented.last
    assert "Wie oft" in first
    consented.press(1)  # "Oft"
    stale = consented.say(choice=next(o.payload for r in question_reply if r.options for o in r.options))
    assert "gehört zu einer anderen Frage" in stale and "Haben Sie einen Hund?" in stale
    foreign = Citizen(consented.core, "mallory")
    foreign.say("hallo")
    foreign.say("1")
    start_park(foreign)
    stolen = consented.last[-1].options[0].payload
    assert "gehört zu einer anderen Frage" in foreign.say(choice=stolen)


def test_a_payload_pressed_from_another_chat_is_refused_and_moves_nothing(consented: Citizen, core: Core) -> None:
    """Anna's own, valid payload in an update from Mallory's chat with ``from`` forged to Anna."""
    from adapters.base import Inbound, Reply

    start_park(consented)
    payload = consented.last[-1].options[0].payload
    forged = Inbound("test", "chat-mallory", "user-anna", "forged-1", choice=payload, reply_to="question-message")
    core.engine.handle(forged)
    to_mallory = [
        Reply.from_json(r.payload) for r in core.store.due_outbox("test", core.clock(), 10, address="chat-mallory")
    ]
    assert [r.text for r in to_mallory] == ["Dieser Knopf gilt nicht mehr."]
    assert answers(core) == {}, "nothing was answered"
    assert rows(core, "SELECT address FROM contact") == [("chat-anna",)], "anna's chat stays hers"
    assert "Haben Sie einen Hund?" in consented.press(1), "in her own chat the same button works"


def test_multi_by_buttons(consented: Citizen) -> None:
    start_park(consented)
    consented.say("selten")
    consented.press(1)
    toggled = consented.press(3)
    assert "1 – Zu weit weg (gewählt)" in toggled and "3 – Keine Zeit (gewählt)" in toggled
    assert consented.last[0].edit_of == "question-message", "toggles redraw the question in place"
    after_done = consented.press(4)  # done
    assert after_done.startswith("→ Zu weit weg, Keine Zeit\n\n")
    assert "Haben Sie einen Hund?" in after_done
    assert len(consented.last) == 1, "what was chosen and the next question: one message"


def test_a_pressed_button_opens_the_next_message_with_the_choice(consented: Citizen) -> None:
    start_park(consented)
    consented.press(1)
    (reply,) = consented.last
    assert reply.edit_of is None, "no second call to edit the old question"
    assert reply.text.startswith("→ Oft\n\n") and "Haben Sie einen Hund?" in reply.text
    assert reply.options, "the next question's buttons"


def test_a_turn_is_one_message(anna: Citizen) -> None:
    """Consent, thanks, the survey's title and its first question: each turn one message."""
    anna.say("/start park-test")
    assert len(anna.last) == 1 and anna.last[0].options
    opened = anna.say("ja")
    (reply,) = anna.last
    assert opened.index("Danke!") < opened.index("Parkumfrage") < opened.index("Wie oft sind Sie im Park?")
    assert [o.label for o in reply.options][:3] == ["Oft", "Selten", "Nie"]


def test_no_second_response(consented: Citizen) -> None:
    menu = consented.say("menü")
    number = next(line.split(" – ")[0] for line in menu.splitlines() if "Anonyme Umfrage" in line)
    consented.say(number)
    assert "Danke" in consented.say("ja")
    again = consented.say("start anonym-test")
    assert "schon teilgenommen" in again


def test_anonymous_survey_detaches_answers(consented: Citizen, core: Core) -> None:
    consented.say("start anonym-test")
    consented.say("ja")
    responses = rows(core, "SELECT participant_id IS NULL, status FROM response ORDER BY id")
    assert sorted(responses) == [(False, "completed"), (True, "anonymous")]
    data = consented.send("meinedaten")[0]
    assert data.attachment is not None
    assert "zufrieden" not in data.attachment.data.decode()


def test_direct_start_before_consent(anna: Citizen) -> None:
    first = anna.say("/start park-test")
    assert "Sind Sie einverstanden?" in first
    opened = anna.say("ja")
    assert "Parkumfrage" in opened and "Wie oft sind Sie im Park?" in opened


def test_language_switch(consented: Citizen) -> None:
    english = consented.say("language en")
    assert "I will now write in English." in english
    assert "What would you like to take part in?" in english
    assert "How often are you in the park?" in start_park_en(consented)
    german = consented.say("sprache")
    assert "Which language would you like?" in german
    assert "Ich schreibe ab jetzt auf Deutsch." in consented.say("1")


def start_park_en(citizen: Citizen) -> str:
    menu = citizen.say("menu")
    number = next(line.split(" – ")[0] for line in menu.splitlines() if "Park survey" in line)
    return citizen.say(number)


def test_messenger_language_is_used_first(core: Core) -> None:
    tom = Citizen(core, "tom", language="en-GB")
    assert "Hello! This is Mitwirken Test." in tom.say("hi")


def test_my_data_and_erase(consented: Citizen, core: Core) -> None:
    start_park(consented)
    consented.say("oft")
    (reply,) = consented.send("meinedaten")
    assert reply.attachment is not None
    data = json.loads(reply.attachment.data)
    text = json.dumps(data)
    assert "oft" in text and "user-anna" not in text
    confirm = consented.say("löschen")
    assert "wirklich" in confirm
    assert "nichts gelöscht" in consented.say("nein")
    consented.say("löschen")
    assert "ist gelöscht" in consented.say("ja")
    assert rows(core, "SELECT count(*) FROM participant") == [(0,)]
    assert rows(core, "SELECT count(*) FROM answer") == [(0,)]
    assert "Sind Sie einverstanden?" in consented.say("hallo"), "a new start after erasure"


def test_resume_after_restart(tmp_path, clock: Clock, core: Core) -> None:
    from tests.harness import make_core

    anna = Citizen(core, "anna")
    anna.say("hallo")
    anna.say("1")
    start_park(anna)
    anna.say("oft")
    core.close()
    again = make_core(core.config.path, clock)
    try:
        anna = Citizen(again, "anna")
        assert "Haben Sie einen Hund?" in anna.say("vielleicht")
        assert "Wie gefällt Ihnen der Park?" in anna.say("ja")
    finally:
        again.close()


def test_group_chat_gets_a_note_and_nothing_is_stored(anna: Citizen, core: Core) -> None:
    reply = anna.say("hallo", private=False)
    assert "nur in privaten Chats" in reply
    assert rows(core, "SELECT count(*) FROM participant") == [(0,)]


def test_replayed_event_is_handled_once(anna: Citizen, core: Core) -> None:
    assert anna.say("hallo", event_id="same")
    assert anna.say("hallo", event_id="same") == ""


def test_control_and_direction_characters_are_cleaned(consented: Citizen, core: Core) -> None:
    start_park(consented)
    for text in ("oft", "ja", "4", "40"):
        consented.say(text)
    consented.say("Mehr\u202e Bänke\x00\x07 <b>bitte</b> *jetzt*")
    assert answers(core)["wunsch"] == "Mehr Bänke <b>bitte</b> *jetzt*"


def test_flood_from_one_user_is_slowed(core: Core) -> None:
    eve = Citizen(core, "eve")
    replies = [eve.say(f"nachricht {i}") for i in range(40)]
    slow = [r for r in replies if "sehr schnell" in r]
    assert len(slow) == 1
    assert replies[-1] == "", "after the note, floods are dropped silently"


def test_an_answer_that_begins_with_a_keyword_stays_an_answer(consented: Citizen, core: Core) -> None:
    start_park(consented)
    for text in ("oft", "ja", "4", "40"):
        consented.say(text)
    assert "Wann waren Sie zuletzt dort?" in consented.say("Hilfe für ältere Menschen beim Einstieg")
    assert answers(core)["wunsch"] == "Hilfe für ältere Menschen beim Einstieg"
    assert "Diese Wörter können Sie jederzeit schreiben" in consented.say("/hilfe")


def test_a_new_privacy_notice_asks_for_consent_again(consented: Citizen, core: Core) -> None:
    from dataclasses import replace

    start_park(consented)
    consented.say("oft")
    core.engine.settings = replace(core.engine.settings, consent_version="2")
    asked = consented.say("ja")
    assert "Datenschutzhinweis hat sich geändert" in asked and "Sind Sie einverstanden?" in asked
    assert answers(core) == {"besuch": "oft"}, "nothing is taken as an answer before the new consent"
    resumed = consented.say("1")
    assert "Haben Sie einen Hund?" in resumed, "after agreeing, the survey goes on where it stopped"


def test_an_unreadable_message_is_answered_and_the_question_asked_again(consented: Citizen, core: Core) -> None:
    """An encrypted message the channel could not open (Matrix: its room key never came)."""
    start_park(consented)
    again = consented.say(unreadable=True)
    assert "Ihre letzte Nachricht konnte ich nicht lesen" in again
    assert "Wie oft sind Sie im Park?" in again, "the open question comes again"
    assert answers(core) == {}, "nothing was taken as an answer"
    assert "Warum nicht öfter?" in consented.say("selten")


def test_an_unreadable_first_message_stores_nobody(core: Core) -> None:
    stranger = Citizen(core, "fremd", language="en")
    assert "I could not read your last message" in stranger.say(unreadable=True)
    assert rows(core, "SELECT count(*) FROM participant") == [(0,)]


def test_back_at_the_other_text_returns_to_the_options_of_the_same_question(consented: Citizen, core: Core) -> None:
    start_park(consented)
    assert "Bitte beschreiben Sie Ihre andere Antwort" in consented.say("Sonstiges")
    again = consented.say("zurück")
    assert "Wie oft sind Sie im Park?" in again and "Bitte beschreiben" not in again
    assert "Haben Sie einen Hund?" in consented.say("Oft"), "the options are answered as usual"
    (found,) = [a for _, found in core.store.responses("park-test") for a in found]
    assert (found.value, found.other_text) == ("oft", None)


def test_questions_say_their_limits_before_a_wrong_answer(consented: Citizen) -> None:
    start_park(consented)
    multi = consented.say("selten")
    assert "Wählen Sie höchstens 2: Schreiben Sie die Zahlen in eine Nachricht, zum Beispiel 1, 3." in multi
    assert "tippen Sie" not in multi, "the test channel has no buttons: no word of tapping"
    consented.say("1")
    consented.say("ja")
    age = consented.say("4")
    assert "Bitte antworten Sie mit einer ganzen Zahl von 0 bis 120." in age
    refused = consented.say("viele")
    assert "Bitte geben Sie eine ganze Zahl an, zum Beispiel 12." in refused and "3,5" not in refused


def test_question_numbers_follow_the_citizens_own_path(consented: Citizen) -> None:
    """'Oft' leaves out the reasons question: the next one is question 2, not 3."""
    first = start_park(consented)
    assert "Frage 1 von 9" in first, "all nine may still come"
    after = consented.say("Oft")
    assert "Frage 2 von 8" in after and "Haben Sie einen Hund?" in after
    assert "Frage 3 von 8" in consented.say("ja")


def test_a_wrong_yes_no_answer_is_told_once(consented: Citizen) -> None:
    start_park(consented)
    consented.say("Oft")
    again = consented.say("vielleicht")
    assert again.count("Bitte antworten Sie mit ja oder nein.") == 1 and "Haben Sie einen Hund?" in again


def test_a_day_that_does_not_exist_and_a_unique_label_word(consented: Citizen) -> None:
    start_park(consented)
    consented.say("Oft")
    consented.say("ja")
    consented.say("4")
    consented.say("überspringen")
    consented.say("Mehr Bänke")
    told = consented.say("31.02.2026")
    assert "Den 31.02.2026 gibt es im Kalender nicht. Bitte prüfen Sie das Datum." in told
    assert "Wann waren Sie zuletzt dort?" in told


def test_button_channels_are_told_they_may_tap(core: Core) -> None:
    from bot.dialogue.turn import has_buttons

    assert has_buttons("telegram") and not has_buttons("terminal") and not has_buttons("matrix")
    tina = Citizen(core, "tina", channel="telegram")
    tina.say("hallo")
    tina.say("1")
    start_park(tina)
    assert "Oder tippen Sie sie an, dann auf „Fertig“." in tina.say("selten")


def test_an_unclear_consent_answer_is_named_and_only_the_question_repeated(anna: Citizen) -> None:
    anna.say("hallo")
    unclear = anna.say("vielleicht")
    assert unclear.startswith("Das habe ich leider nicht verstanden.")
    assert "Sind Sie einverstanden? Bitte antworten Sie mit 1 für ja oder 2 für nein." in unclear
    assert "Datenschutz:" not in unclear, "the notice was just shown; it is not repeated"
    declined = anna.say("2")
    assert "funktionieren nur „hilfe“, „datenschutz“, „sprache“ und „löschen“" in declined
    assert "Datenschutz:" in anna.say("start"), "'start' after a refusal shows the notice once more"


def test_switching_the_language_mid_survey_asks_the_same_question_without_welcome_back(consented: Citizen) -> None:
    start_park(consented)
    consented.say("sprache")
    switched = consented.say("2")
    assert "How often are you in the park?" in switched
    assert "Welcome back" not in switched and "Willkommen zurück" not in switched


def test_help_in_a_survey_that_closed_meanwhile_says_so_instead_of_asking(tmp_path: Path, clock: Clock) -> None:
    closing = text_survey("bald-zu", 2, title="Bald zu").replace(
        'languages = ["de"]', f'languages = ["de"]\ncloses = {(clock.now + dt.timedelta(hours=1)).isoformat()}'
    )
    core = make_core(make_config(tmp_path, {"zu.toml": closing}), clock)
    try:
        bea = Citizen(core, "bea")
        bea.say("hallo")
        bea.say("1")
        assert "Frage Nummer 1" in bea.say("1")
        clock.advance(hours=2)
        helped = bea.say("hilfe")
        assert "Die Umfrage „Bald zu“, die Sie beantwortet haben, ist inzwischen beendet." in helped
        assert "Frage Nummer 1" not in helped
        after = bea.say("Meine Antwort")
        assert "Frage Nummer" not in after and "This survey has ended" not in after
    finally:
        core.close()


def test_the_end_shows_a_summary_of_the_answers_and_the_menu_marks_the_survey(consented: Citizen) -> None:
    start_park(consented)
    for answer in ("selten", "1, 3", "nein", "5", "überspringen", "Mehr Schatten", "24.12.2026", "Am Teich"):
        consented.say(answer)
    done = consented.say("skip")
    summary = done[done.index("Ihre Antworten:") :]
    assert summary.splitlines()[1:10] == [
        "- Wie oft sind Sie im Park? – Selten",
        "- Warum nicht öfter? – Zu weit weg, Keine Zeit",
        "- Haben Sie einen Hund? – Nein",
        "- Wie gefällt Ihnen der Park? – 5",
        "- Wie alt sind Sie? – (übersprungen)",
        "- Was wünschen Sie sich? – Mehr Schatten",
        "- Wann waren Sie zuletzt dort? – 24.12.2026",
        "- Wo genau? – Am Teich",
        "- Haben Sie ein Foto? – (übersprungen)",
    ]
    assert "Parkumfrage (erledigt)" in consented.say("menü")


def test_back_shows_the_answer_being_changed_and_the_menu_marks_a_begun_survey(consented: Citizen) -> None:
    start_park(consented)
    consented.say("selten")
    consented.say("1, 3")
    back = consented.say("zurück")
    assert "Warum nicht öfter?" in back
    assert "Ihre bisherige Antwort: Zu weit weg, Keine Zeit. Antworten Sie neu, um sie zu ändern." in back
    assert "Parkumfrage (begonnen: weitermachen)" in consented.say("menü")


def test_a_text_beyond_the_inbound_cap_is_refused_with_its_length_as_sent(consented: Citizen, core: Core) -> None:
    start_park(consented)
    for answer in ("Oft", "ja", "4", "überspringen"):
        consented.say(answer)
    told = consented.say("x" * 70_000)
    assert "Das sind 70.000 Zeichen; hier passen höchstens 200." in told and "Was wünschen Sie sich?" in told
    assert "wunsch" not in answers(core), "nothing stored cut"


def test_an_empty_line_at_the_terminal_gets_an_answer(core: Core) -> None:
    import asyncio
    import io

    from bot.runtime.app import chat

    out = io.StringIO()
    asyncio.run(chat(core, "emil", stdin=io.StringIO("hallo\n1\n\n"), stdout=out))
    first_menu, after_it = out.getvalue().split("Wobei möchten Sie mitmachen?", 1)
    assert "Das habe ich nicht verstanden." in after_it and "Wobei möchten Sie mitmachen?" in after_it


def test_a_process_about_to_serve_collects_start_ups_garbage_and_freezes_the_rest() -> None:
    import gc
    import weakref

    from bot.runtime.app import settle_heap

    class Node:
        link: object = None

    garbage = Node()
    garbage.link = garbage  # a cycle only the cycle collector frees
    gone = weakref.ref(garbage)
    del garbage
    kept = [{"n": n} for n in range(100)]
    frozen_before = gc.get_freeze_count()
    try:
        settle_heap()
        assert gone() is None, "garbage is collected before the freeze, not kept for ever"
        assert gc.get_freeze_count() >= frozen_before + len(kept), "what lives on is out of the collector's way"
    finally:
        gc.unfreeze()


def test_mydata_at_the_terminal_is_written_where_the_citizen_is_told_with_readable_labels(
    tmp_path: Path, clock: Clock
) -> None:
    import asyncio
    import io

    from bot.runtime.app import chat
    from tests.transcript_surveys import PARK

    folder = tmp_path / "meine-dateien"
    config = make_config(tmp_path, {"park.toml": PARK}, extra=f'\n[channels.terminal]\nfiles_dir = "{folder}"\n')
    core = make_core(config, clock)
    out = io.StringIO()
    try:
        asyncio.run(chat(core, "mara", stdin=io.StringIO("hallo\n1\n1\nselten\n1, 3\nmeinedaten\n"), stdout=out))
    finally:
        core.close()
    written = folder / "mitwirken-meine-daten.json"
    assert f"[{written}]" in out.getvalue(), "the reply names the file"
    assert not (Path.cwd() / "mitwirken-meine-daten.json").exists()
    data = json.loads(written.read_text(encoding="utf-8"))
    (response,) = data["responses"]
    assert response["title"] == "Parkumfrage" and response["status_in_words"] == "begonnen, noch nicht fertig"
    assert response["current_question"] == "Haben Sie einen Hund?"
    assert [(a["question"], a["answer"]) for a in response["answers"]] == [
        ("Wie oft sind Sie im Park?", "Selten"),
        ("Warum nicht öfter?", "Zu weit weg, Keine Zeit"),
    ]
    assert data["participant"]["conversation"] == {"open_survey": "Parkumfrage"}
    text = written.read_text(encoding="utf-8")
    assert "toggled" not in text and "awaiting_other" not in text and "awaiting" not in text


def test_the_dialogue_state_is_versioned_and_an_unknown_awaiting_is_ignored(consented: Citizen, core: Core) -> None:
    from bot.dialogue.turn import STATE_VERSION

    with core.store.transaction() as tx:
        participant = tx.find_participant("test", "user-anna")
        assert participant is not None and participant.state["version"] == STATE_VERSION
        tx.update_participant(participant.id, now=core.clock(), state={**participant.state, "awaiting": "gone"})
    assert "Wobei möchten Sie mitmachen" in consented.say("menü"), "a state from an older version does no harm"
