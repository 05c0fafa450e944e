"""Idea calls on the command line: list, moderate (audited, notifying), results and export."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.harness import Citizen, Cli, Clock, export_rows, make_core
from tests.idea_harness import GRUEN, RAD, citizen, idea_config, ref_in, rows, staff

HOSTILE = '=HYPERLINK("http://evil.example","klick") <script>x</script> [/bold] [red]rot'


@pytest.fixture
def setup(tmp_path: Path, clock: Clock) -> tuple[Path, dict[str, str]]:
    """Three ideas in the cycling call (published at once), one supported, one moderated in chat."""
    config = idea_config(tmp_path, None, {"gruen.toml": GRUEN, "rad.toml": RAD})
    core = make_core(config, clock)
    refs: dict[str, str] = {}
    try:
        anna, ben = citizen(core, "anna"), citizen(core, "ben")
        for key, text, place in (
            ("rad", "Radweg auf der Kaiserstraße markieren", "Kaiserstraße"),
            ("bank", "Leihräder am Phoenixsee anbieten", "51.49, 7.51"),
            ("evil", HOSTILE, "@Wall Ecke Ring"),
        ):
            anna.say("idee")
            anna.say("2")
            anna.say(text)
            refs[key] = ref_in(anna.say(place))
        ben.say(f"unterstützen {refs['rad']}")
        staff(core).say(f"mod verbergen {refs['evil']}")
    finally:
        core.close()
    return config, refs


@pytest.fixture
def run(cli: Cli) -> Callable[..., int]:
    """A command on the idea config, on the test's clock."""
    return lambda config, *args: cli("--config", config, *args)


def test_ideas_lists_with_filters(
    run: Callable[..., int], setup: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, refs = setup
    assert run(config, "ideas", "ideen-rad") == 0
    out = capsys.readouterr().out
    assert all(ref in out for ref in refs.values()) and "3 idea(s)" in out
    assert run(config, "ideas", "ideen-rad", "--visibility", "hidden") == 0
    out = capsys.readouterr().out
    assert refs["evil"] in out and refs["rad"] not in out
    assert "[/bold] [red]rot" in out, "rich markup in an idea is shown as written, not run"


def test_moderate_status_is_audited_and_notifies(
    run: Callable[..., int], clock: Clock, setup: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, refs = setup
    assert run(config, "moderate", refs["rad"], "status", "accepted", "Wir", "prüfen", "die", "Markierung") == 0
    said = capsys.readouterr().out
    assert f"Idea {refs['rad']} now has the status “accepted”." in said
    assert "2 messages are queued; they go out at once while 'mitwirken run' is running." in said, "anna and ben"
    core = make_core(config, clock)
    try:
        assert rows(core, "SELECT actor, action, status, reason FROM idea_audit WHERE action = 'status'") == [
            (f"cli:{getpass.getuser()}", "status", "accepted", "Wir prüfen die Markierung"),
        ]
        for name in ("anna", "ben"):
            told = Citizen(core, name).say("hilfe")
            assert f"Neues zu Idee {refs['rad']}: Ihr Status ist jetzt „angenommen“." in told
            assert "Der Grund: Wir prüfen die Markierung" in told
    finally:
        core.close()


def test_moderate_refuses_what_does_not_fit(
    run: Callable[..., int], setup: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, refs = setup
    assert run(config, "moderate", refs["rad"], "reject") == 2
    assert "reason" in capsys.readouterr().err
    assert run(config, "moderate", "I-ZZZZ", "approve") == 2
    assert "no idea I-ZZZZ" in capsys.readouterr().err
    assert run(config, "moderate", refs["rad"], "status", "maybe") == 2
    assert "Unknown status maybe" in capsys.readouterr().err
    assert run(config, "moderate", refs["evil"], "approve") == 0


def test_results_list_every_idea_with_status_and_visibility(
    run: Callable[..., int], setup: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """Staff results show the hidden idea too (marked), with German words for status and visibility."""
    config, refs = setup
    assert run(config, "results", "ideen-rad", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "ideen-rad" and data["kind"] == "ideas"
    assert data["ideas"][0] == {
        "id": refs["rad"],
        "status": "received",
        "visibility": "published",
        "category": None,
        "text": "Radweg auf der Kaiserstraße markieren",
        "supporters": 1,
        "status_news": 0,
    }
    by_ref = {i["id"]: i["visibility"] for i in data["ideas"]}
    assert by_ref == {refs["rad"]: "published", refs["bank"]: "published", refs["evil"]: "hidden"}
    assert run(config, "results", "ideen-rad") == 0
    table = capsys.readouterr().out
    assert refs["rad"] in table and "Unterstützung" in table and "Sichtbarkeit" in table
    assert "eingegangen" in table and "verborgen" in table and "received" not in table


def test_results_of_a_call_moderated_before_publishing_show_the_pending_ideas(
    run: Callable[..., int], clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = idea_config(
        tmp_path, None, {"gruen.toml": GRUEN.replace('kind = "ideas"', 'kind = "ideas"\nmoderation = "before"')}
    )
    core = make_core(config, clock)
    try:
        anna = citizen(core, "anna")
        anna.say("idee")
        anna.say("1")
        anna.say("Mehr Bäume an der Kampstraße pflanzen")
        anna.say("überspringen")
        ref = ref_in(anna.say("überspringen"))
    finally:
        core.close()
    assert run(config, "results", "ideen-gruen", "--format", "json") == 0
    (idea,) = json.loads(capsys.readouterr().out)["ideas"]
    assert (idea["id"], idea["visibility"], idea["category"]) == (ref, "pending", "baeume")
    assert run(config, "results", "ideen-gruen") == 0
    table = capsys.readouterr().out
    assert "wartet auf Freigabe" in table and "Bäume" in table and "baeume" not in table


def test_export_csv_xlsx_json_pseudonyms_history_and_formula_safety(
    run: Callable[..., int], setup: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    config, refs = setup
    out = tmp_path / "ideen.csv"
    assert run(config, "export", "ideen-rad", "--format", "csv", "-o", str(out)) == 0
    table = {row["idea"]: row for row in export_rows(out)}
    evil, rad, bank = table[refs["evil"]], table[refs["rad"]], table[refs["bank"]]
    assert evil["text"] == "'" + HOSTILE, "a formula becomes text"
    assert evil["location"] == "'@Wall Ecke Ring"
    assert evil["visibility"] == "verborgen" and "staff:terminal hide" in evil["moderation"]
    assert rad["status"] == "eingegangen" and rad["created_at"] == "2026-12-01 11:00:00", "words and local time"
    assert "user-mia" not in out.read_text(encoding="utf-8-sig"), "no platform id of staff in the export"
    assert rad["supporters"] == "1" and rad["location"] == "Kaiserstraße"
    assert bank["location"] == "51.49, 7.51"
    assert rad["author"].startswith("P-") and "user-anna" not in out.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "ideen.xlsx"
    assert run(config, "export", "ideen-rad", "--format", "xlsx", "-o", str(xlsx)) == 0
    sheet = load_workbook(xlsx).active
    (hostile,) = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
    assert hostile.data_type == "s", "a formula stays text, shown as written"
    js = tmp_path / "ideen.json"
    assert run(config, "export", "ideen-rad", "--format", "json", "-o", str(js)) == 0
    items = {i["idea"]: i for i in json.loads(js.read_text(encoding="utf-8"))}
    assert items[refs["evil"]]["text"] == HOSTILE, "JSON keeps the text as it is"
    assert items[refs["evil"]]["moderation"][0]["by"] == "staff:terminal"
    assert items[refs["bank"]]["location"] == {"lat": 51.49, "lon": 7.51}


def test_ideas_refuses_a_survey(run: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.transcript_surveys import PARK

    config = idea_config(tmp_path, None, {"park.toml": PARK, "rad.toml": RAD})
    assert run(config, "ideas", "park-test") == 2
    assert "not an idea call" in capsys.readouterr().err


def test_staff_are_told_when_the_news_goes_out_and_see_what_waits(
    run: Callable[..., int], clock: Clock, setup: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """At 23:30 in Dortmund a rejection waits for 08:00: staff read that, not "the author has been told"."""
    config, refs = setup
    capsys.readouterr()
    assert run(config, "outbox") == 0
    assert "The outbox is empty" in capsys.readouterr().out, "the setup's replies were all read"
    clock.now = clock.now.replace(hour=22, minute=30)  # 23:30 local
    assert run(config, "moderate", refs["bank"], "reject", "Gibt", "es", "schon") == 0
    said = capsys.readouterr().out
    assert f"Idea {refs['bank']} is rejected." in said and "told" not in said
    assert "1 message is queued; it goes out at 12/2/26, 8:00\u202fAM, after the quiet hours." in said
    capsys.readouterr()
    assert run(config, "moderate", refs["rad"], "hide") == 0
    assert capsys.readouterr().out.strip() == f"Idea {refs['rad']} is hidden.", "hiding tells nobody, says nothing more"
    assert run(config, "outbox") == 0
    listed = capsys.readouterr().out
    assert "test" in listed and "2026-12-02 08:00" in listed and "1 message(s) wait; 0 go out at once" in listed
    assert run(config, "jobs") == 0
    assert "1 message(s) wait in the outbox: 'mitwirken outbox' says when they go out." in capsys.readouterr().out


def test_staff_chat_moderation_says_when_the_news_goes_out(clock: Clock, setup: tuple[Path, dict[str, str]]) -> None:
    config, refs = setup
    core = make_core(config, clock)
    try:
        clock.now = clock.now.replace(hour=22, minute=30)
        told = staff(core).say(f"mod ablehnen {refs['bank']} Gibt es schon")
        assert f"Idee {refs['bank']} ist abgelehnt." in told
        assert "1 Nachricht wartet im Postausgang; sie geht am 02.12.26, 08:00 hinaus, nach der Ruhezeit." in told
    finally:
        core.close()


def test_the_cli_takes_status_words_in_every_bot_language(
    run: Callable[..., int], setup: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, refs = setup
    assert run(config, "moderate", refs["rad"], "status", "angenommen") == 0
    assert f"Idea {refs['rad']} now has the status “accepted”." in capsys.readouterr().out
    assert run(config, "moderate", refs["bank"], "status", "In_Prüfung") == 0
    assert "“under review”" in capsys.readouterr().out
    assert run(config, "ideas", "ideen-rad", "--status", "angenommen") == 0
    listed = capsys.readouterr().out
    assert refs["rad"] in listed and refs["bank"] not in listed
    with pytest.raises(SystemExit):
        run(config, "ideas", "ideen-rad", "--status", "vielleicht")
    assert "unknown status 'vielleicht'" in capsys.readouterr().err
