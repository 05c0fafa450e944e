"""Idea calls as citizens meet them: handing in, similar ideas, browsing, support, reports, own data."""

from __future__ import annotations

import json
from pathlib import Path

from bot.runtime.app import Core
from tests.harness import Citizen, Clock, make_core
from tests.idea_harness import GRUEN, citizen, hand_in, icore, idea_config, ref_in, rows, staff, two_calls  # noqa: F401
from tests.transcript_surveys import PARK

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def test_hand_in_with_category_location_and_photo(icore: Core) -> None:
    anna = citizen(icore, "anna")
    menu = anna.say("menü")
    assert "1 – Ideen für mehr Grün" in menu, "the menu lists open idea calls"
    first = anna.say("1")
    assert "Zu welchem Thema gehört Ihre Idee?" in first and "2 – Sitzplätze" in first
    assert "Fragen zu diesem Ideenaufruf: Grünflächenamt, gruen@example.org" in first
    assert "höchstens 200 Zeichen" in anna.say("Bäume")
    assert "Wo ist das?" in anna.say("Mehr Bäume in der Münsterstraße pflanzen")
    assert "Foto" in anna.say(location=(51.52, 7.46))
    done = anna.photo(PNG, "image/png")
    assert "Danke! Ihre Idee ist eingereicht. Ihre Nummer ist I-" in done
    assert "Die Stadt prüft sie" in done
    ref = ref_in(done)
    [(category, text, location, photo, visibility, status)] = rows(
        icore, "SELECT category, text, location, photo, visibility, status FROM idea"
    )
    assert (category, text, visibility, status) == (
        "baeume",
        "Mehr Bäume in der Münsterstraße pflanzen",
        "pending",
        "received",
    )
    assert json.loads(location) if isinstance(location, str) else location == {"lat": 51.52, "lon": 7.46}
    assert "png" in str(photo)
    assert rows(icore, "SELECT ref FROM idea") == [(ref,)]


def test_hand_in_without_location_and_photo(icore: Core) -> None:
    anna = citizen(icore, "anna")
    assert "Ihre Nummer ist" in hand_in(anna, "Eine Bank am Nordmarkt zum Ausruhen aufstellen", category="2")
    assert rows(icore, "SELECT category, location, photo FROM idea") == [("sitzen", None, None)]


def test_optional_steps_are_skipped_by_typing_the_number_shown(icore: Core) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    asked = anna.say("Eine Bank am Nordmarkt zum Ausruhen aufstellen")
    assert "Wo ist das?" in asked and "1 – Überspringen" in asked
    assert anna.last[-1].ask_location, "a channel that can offers its share-location button"
    assert anna.last[-1].location_button == "Meinen Standort senden", "labelled in the citizen's language"
    assert "Foto" in anna.say("1")
    assert anna.last[-1].ask_photo
    assert "Ihre Nummer ist" in anna.say("1")
    assert rows(icore, "SELECT location, photo FROM idea") == [(None, None)]


def test_required_location_cannot_be_skipped(two_calls: Core) -> None:
    ben = citizen(two_calls, "ben")
    assert "Welcher Ideenaufruf?" in ben.say("idee")
    assert "höchstens 1000 Zeichen" in ben.say("2")
    assert "Wo ist das?" in ben.say("Fahrradständer vor dem Hauptbahnhof")
    assert "nicht überspringen" in ben.say("überspringen")
    done = ben.say("Königswall vor dem Bahnhof")
    assert "Andere können sie jetzt sehen" in done, "moderation after: public at once"
    assert done.endswith("\n\nWir melden uns im Frühjahr."), "the call's outro closes the confirmation"
    assert rows(two_calls, "SELECT visibility FROM idea") == [("published",)]


def test_too_long_and_too_short_ideas_are_refused_with_the_length(icore: Core) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    assert "Das sind 201 Zeichen; hier passen höchstens 200" in anna.say("x" * 201)
    assert "mindestens 10 Zeichen" in anna.say("Bäume")
    flood = anna.say("Bäume " * 2000)  # 12,000 characters
    assert "höchstens 200" in flood
    assert rows(icore, "SELECT count(*) FROM idea") == [(0,)]
    assert "Wo ist das?" in anna.say("Mehr Bäume am Hafen pflanzen")


def test_cancelled_halfway_files_nothing(icore: Core) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    anna.say("Mehr Bäume am Hafen pflanzen")
    assert "Ihre Idee wurde nicht eingereicht" in anna.say("abbrechen")
    assert rows(icore, "SELECT count(*) FROM idea") == [(0,)]
    assert "Wobei möchten Sie mitmachen?" in anna.say("3"), "after cancelling, numbers mean the menu again"


def test_a_draft_survives_a_restart(icore: Core, clock: Clock) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    anna.say("Mehr Bäume am Hafen pflanzen")
    icore.close()
    again = make_core(icore.config.path, clock)
    try:
        anna = Citizen(again, "anna")
        assert "Foto" in anna.say("Am Hafen")
        assert "Ihre Nummer ist" in anna.say("überspringen")
        assert rows(again, "SELECT text, location FROM idea")[0][0] == "Mehr Bäume am Hafen pflanzen"
    finally:
        again.close()


def test_similar_ideas_are_offered_for_a_near_duplicate_only(two_calls: Core) -> None:
    anna, ben = citizen(two_calls, "anna"), citizen(two_calls, "ben")
    anna.say("idee")
    anna.say("2")
    anna.say("Mehr Bäume in der Münsterstraße pflanzen")
    original = ref_in(anna.say("Münsterstraße"))
    ben.say("idee")
    ben.say("2")
    offer = ben.say("Bitte pflanzt mehr Bäume auf der Münsterstraße")
    assert "Es gibt schon ähnliche Ideen" in offer and original in offer, "offered right after the text"
    assert "2 – Meine eigene Idee einreichen" in offer
    assert f"Sie unterstützen jetzt Idee {original}" in ben.press(1)
    assert rows(two_calls, "SELECT count(*) FROM idea") == [(1,)]
    ben.say("idee")
    ben.say("2")
    ben.say("Trinkbrunnen im Westpark aufstellen")
    assert "Ihre Nummer ist" in ben.say("Westpark"), "an unrelated idea is filed without an offer"
    ben.say("idee")
    ben.say("2")
    assert "ähnliche Ideen" in ben.say("Pflanzt Bäume in der Münsterstraße")
    assert "Wo ist das?" in ben.say("2"), "or hands in their own after all: the place comes next"
    assert "Ihre Nummer ist" in ben.say("Münsterstraße")


def test_browse_support_once_and_withdraw(two_calls: Core) -> None:
    anna, ben = citizen(two_calls, "anna"), citizen(two_calls, "ben")
    refs = []
    ideas = (
        "Fahrradbügel am Hafen aufstellen",
        "Eine Fahrradstraße durch den Westpark",
        "Ampel am Nordmarkt für Räder schneller schalten",
        "Leihräder am Phoenixsee anbieten",
    )
    for text in ideas:
        anna.say("idee")
        anna.say("2")
        anna.say(text)
        refs.append(ref_in(anna.say("Dortmund")))
    page = ben.say("ideen")
    assert "Die neuesten Ideen:" in page and refs[3] in page and refs[0] not in page
    assert "4 – Weitere Ideen" in page
    assert "P-" not in page, "authors stay pseudonymous: not even their pseudonym is shown"
    assert refs[0] in ben.say("4")
    assert f"Sie unterstützen jetzt Idee {refs[0]}" in ben.press(1)
    assert f"Sie unterstützen Idee {refs[0]} schon" in ben.say("1"), "a second press says so"
    ranked = ben.say("ideen")
    assert "Meistunterstützte zuerst" in ranked
    top = ben.say(str(ranked.count(" – ")))  # the last option: change the order
    assert "Die Ideen mit der meisten Unterstützung:" in top
    assert top.index(refs[0]) < top.index(refs[3]) and "Unterstützungen: 1" in top
    assert f"Unterstützung für {refs[0]} zurückziehen" in top
    assert "zurückgezogen" in ben.say(f"zurückziehen {refs[0]}")
    assert rows(two_calls, "SELECT count(*) FROM idea_support") == [(0,)]
    assert "eigene Idee" in anna.say(f"unterstützen {refs[0]}")


def test_pending_ideas_are_not_listed_or_supportable(icore: Core) -> None:
    anna, ben = citizen(icore, "anna"), citizen(icore, "ben")
    ref = ref_in(hand_in(anna, "Mehr Bäume am Hafen pflanzen"))
    assert "noch keine Idee veröffentlicht" in ben.say("ideen")
    assert f"keine veröffentlichte Idee {ref}" in ben.say(f"unterstützen {ref}")


def test_reports_hide_an_idea_at_the_threshold(two_calls: Core) -> None:
    anna, ben, cem = citizen(two_calls, "anna"), citizen(two_calls, "ben"), citizen(two_calls, "cem")
    anna.say("idee")
    anna.say("2")
    anna.say("Alle Autos verbieten, sofort!!")
    ref = ref_in(anna.say("überall"))
    assert "Die Stadt sieht sich Idee" in ben.say(f"melden {ref}")
    assert "schon gemeldet" in ben.say(f"melden {ref}")
    assert rows(two_calls, "SELECT visibility FROM idea") == [("published",)], "one report is not enough"
    cem.say(f"melden {ref}")
    assert rows(two_calls, "SELECT visibility FROM idea") == [("reported",)]
    assert ref not in ben.say("ideen")
    assert rows(two_calls, "SELECT actor, action FROM idea_audit") == [("reports", "reported")]
    queue = staff(two_calls).say("mod")
    assert ref in queue and "2-mal gemeldet" in queue


def test_hostile_texts_stay_plain_text(two_calls: Core) -> None:
    anna, ben = citizen(two_calls, "anna"), citizen(two_calls, "ben")
    anna.say("idee")
    anna.say("2")
    anna.say('<b>fett</b> *stern* [link](http://x) \u202eevil\u202c =HYPERLINK("x")')
    anna.say("Wall")
    [(text,)] = rows(two_calls, "SELECT text FROM idea")
    assert text == '<b>fett</b> *stern* [link](http://x) evil =HYPERLINK("x")', "direction overrides removed"
    assert "<b>fett</b> *stern*" in ben.say("ideen")


def test_my_data_lists_ideas_supports_and_reports_and_erasure_removes_them(two_calls: Core) -> None:
    anna, ben = citizen(two_calls, "anna"), citizen(two_calls, "ben")
    anna.say("idee")
    anna.say("2")
    anna.say("Fahrradbügel am Hafen aufstellen")
    ref = ref_in(anna.say("Hafen"))
    ben.say("idee")
    ben.say("2")
    ben.say("Radweg an der Kaiserstraße bauen")
    own = ref_in(ben.say("Kaiserstraße"))
    anna.say(f"unterstützen {own}")
    ben.say(f"unterstützen {ref}")
    anna.say(f"melden {own}")
    [reply] = anna.send("meinedaten")
    assert reply.attachment is not None
    data = json.loads(reply.attachment.data)
    assert [i["ref"] for i in data["ideas"]] == [ref]
    assert [s["idea"] for s in data["idea_supports"]] == [own]
    assert [r["idea"] for r in data["idea_reports"]] == [own]
    anna.say("löschen")
    anna.say("ja")
    # the idea goes with its author (and ben's support of it); anna's support and report of ben's idea go too
    assert rows(two_calls, "SELECT ref FROM idea") == [(own,)]
    assert rows(two_calls, "SELECT count(*) FROM idea_support") == [(0,)]
    assert rows(two_calls, "SELECT count(*) FROM idea_report") == [(0,)]


def test_a_begun_idea_waits_through_the_menu_and_a_language_change(icore: Core) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    assert "Wo ist das?" in anna.say("Mehr Bäume in der Münsterstraße pflanzen")
    assert "Wobei möchten Sie mitmachen?" in anna.say("menü")
    anna.say("sprache en")
    back = anna.say("idea")
    assert "Welcome back! Let's continue your idea where you stopped." in back
    assert "Where is it?" in back, "the step where she stopped, in her new language"
    anna.say("skip")
    assert "reference is I-" in anna.say("skip")
    assert rows(icore, "SELECT category, text FROM idea") == [("baeume", "Mehr Bäume in der Münsterstraße pflanzen")]


def test_cancel_ends_a_kept_idea_too(icore: Core) -> None:
    anna = citizen(icore, "anna")
    anna.say("idee")
    anna.say("1")
    anna.say("Mehr Bäume in der Münsterstraße pflanzen")
    anna.say("menü")
    anna.say("idee")
    assert "nicht eingereicht" in anna.say("abbrechen")
    fresh = anna.say("idee")
    assert "Willkommen zurück" not in fresh and "Zu welchem Thema gehört Ihre Idee?" in fresh


def test_a_survey_opened_mid_idea_takes_the_answers_and_the_idea_waits(tmp_path: Path) -> None:
    core = make_core(
        idea_config(tmp_path, f"sqlite:///{tmp_path / 'ideas.db'}", {"gruen.toml": GRUEN, "park.toml": PARK}), Clock()
    )
    try:
        anna = citizen(core, "anna")
        anna.say("idee")
        anna.say("1")
        assert "Wo ist das?" in anna.say("Mehr Bäume in der Münsterstraße pflanzen")
        assert "Wie oft sind Sie im Park?" in anna.say("start park-test")
        assert "pausiert" in anna.say("abbrechen")
        stray = anna.say("Am Nordmarkt bitte")
        assert "Foto" not in stray, "words typed after leaving the idea are not filed into it"
        back = anna.say("idee")
        assert "Willkommen zurück" in back and "Wo ist das?" in back
    finally:
        core.close()
