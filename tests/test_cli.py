"""The `mitwirken` command line as staff use it: check, results, export, db upgrade, run, errors."""

from __future__ import annotations

import argparse
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.terminal import picture_at
from tests.harness import Citizen, Cli, Clock, data_copy_of, export_rows, make_config, make_core
from tests.test_engine_faults import take_park_with_photo
from tests.transcript_surveys import ANONYM, PARK

ROOT = Path(__file__).resolve().parents[1]
MITWIRKEN = str(Path(sys.executable).with_name("mitwirken"))


@pytest.fixture
def config(tmp_path: Path, clock: Clock) -> Path:
    """A config with answers from three citizens in the park survey."""
    path = make_config(tmp_path, {"park.toml": PARK, "anonym.toml": ANONYM})
    core = make_core(path, clock)
    try:
        for name, visits, text in (
            ("a", "oft", '=HYPERLINK("http://x")'),
            ("b", "selten", "Bänke"),
            ("c", "oft", None),
        ):
            citizen = Citizen(core, name)
            citizen.say("hallo")
            citizen.say("1")
            citizen.say("start park-test")
            citizen.say(visits)
            if visits == "selten":
                citizen.say("1")
            citizen.say("ja")
            citizen.say("4")
            citizen.say("33")
            if text:
                citizen.say(text)
    finally:
        core.close()
    return path


def test_check_passes_on_the_example_config(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--config", str(ROOT / "config.example.toml"), "check") == 0
    assert "All good" in capsys.readouterr().out


def test_check_lists_every_problem_with_file_and_place(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = PARK.replace('type = "yesno"', 'type = "yesnoo"').replace(
        "show_if = \"besuch in ['selten', 'nie']\"", "show_if = \"besuh in ['selten', 'nie']\""
    )
    config = make_config(tmp_path, {"park.toml": broken})
    assert cli("--config", str(config), "check") == 1
    out = capsys.readouterr().out
    assert "park.toml" in out and "did you mean 'yesno'" in out and "did you mean 'besuch'" in out


def test_results_json_has_the_spec_shape(cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--config", str(config), "results", "park-test", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "park-test" and data["kind"] == "survey"
    assert data["responses"] == {
        "started": 3,
        "completed": 0,
        "weeks": {"2026-11-30": {"started": 3, "completed": 0}},
        "channels": {"test": {"started": 3, "completed": 0}},  # the harness's channel
    }
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["besuch"]["counts"] == {"oft": 2, "selten": 1, "nie": 0, "other": 0}
    assert by_id["hund"]["counts"] == {"yes": 3, "no": 0}
    assert by_id["note"]["mean"] == 4 and by_id["note"]["answered"] == 3
    assert by_id["alter"]["median"] == 33
    assert sorted(by_id["wunsch"]["answers"]) == ['=HYPERLINK("http://x")', "Bänke"]


def test_results_table_for_staff(cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--config", str(config), "results", "park-test") == 0
    out = capsys.readouterr().out
    assert "Parkumfrage" in out and "Wie oft sind Sie im Park?" in out and "Oft" in out


def test_export_csv_is_safe_and_pseudonymous(cli: Cli, config: Path, tmp_path: Path) -> None:
    out = tmp_path / "park.csv"
    assert cli("--config", str(config), "export", "park-test", "--format", "csv", "-o", str(out)) == 0
    rows = export_rows(out)
    assert len(rows) == 3
    assert all(r["response"].startswith("P-") for r in rows)
    assert '\'=HYPERLINK("http://x")' in [r["wunsch"] for r in rows]
    assert "user-a" not in out.read_text(encoding="utf-8-sig")


def test_export_xlsx_and_json(cli: Cli, config: Path, tmp_path: Path) -> None:
    assert cli("--config", str(config), "export", "park-test", "--format", "xlsx", "-o", str(tmp_path / "p.xlsx")) == 0
    assert (tmp_path / "p.xlsx").stat().st_size > 0
    assert cli("--config", str(config), "export", "park-test", "--format", "json", "-o", str(tmp_path / "p.json")) == 0
    assert len(json.loads((tmp_path / "p.json").read_text())) == 3


def test_unknown_process_is_one_sentence(cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--config", str(config), "results", "nope") == 2
    err = capsys.readouterr().err
    assert "no process file with id 'nope'" in err and "Traceback" not in err


def test_missing_config_file_is_one_sentence(tmp_path: Path) -> None:
    done = subprocess.run(
        [MITWIRKEN, "--config", str(tmp_path / "none.toml"), "check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "none.toml" in done.stderr and "Traceback" not in done.stderr


def test_db_upgrade_and_run_without_channels(config: Path) -> None:
    done = subprocess.run(
        [MITWIRKEN, "--config", str(config), "db", "upgrade"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [MITWIRKEN, "--config", str(config), "run"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 2
    assert "telegram: off" in done.stderr and "no channel is on" in done.stderr
    assert "Traceback" not in done.stderr


def test_piped_chat_shows_every_reply_even_before_an_erasure(tmp_path: Path) -> None:
    """A scripted chat reads a line only after the previous line's replies are shown, so
    an erasure at the end can't take replies with it that were still queued."""
    config = make_config(tmp_path, {"park.toml": PARK})
    lines = "hallo\n1\n" + "hilfe\n" * 10 + "löschen\nja\n"
    done = subprocess.run(
        [MITWIRKEN, "--config", str(config), "chat", "--as", "script"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Diese Wörter können Sie jederzeit schreiben") == 10
    assert done.stdout.index("Möchten Sie wirklich alles löschen") < done.stdout.index("ist gelöscht")


def test_interactive_chat_says_how_to_begin(tmp_path: Path) -> None:
    """At a terminal the citizen writes first; an empty screen would leave staff waiting."""
    config = make_config(tmp_path, {"park.toml": PARK})
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [MITWIRKEN, "--config", str(config), "chat", "--as", "probe"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        os.write(leader, b"\x04")  # Ctrl+D: end of input
        _, err = process.communicate(timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert process.returncode == 0, err
    assert "Taking part as 'probe'. Write a message, e.g. 'hallo', and press Enter" in err


def test_a_photo_is_sent_at_the_terminal_as_at_path(tmp_path: Path) -> None:
    """Staff trying a survey with a photo question at the terminal: '@bild.png' sends the picture."""
    config = make_config(tmp_path, {"park.toml": PARK})
    picture = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    (tmp_path / "bild.png").write_bytes(picture)
    lines = [
        "hallo",
        "1",
        "start park-test",
        "selten",
        "1, 3",
        "nein",
        "5",
        "überspringen",
        "Mehr Schatten",
        "24.12.2026",
        "Am Teich",
        "@bild.png",
    ]
    done = subprocess.run(
        [MITWIRKEN, "--config", str(config), "chat", "--as", "fotografin"],
        input="\n".join(lines),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Danke für Ihre Antworten!" in done.stdout
    stored = list((tmp_path / "media").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == picture


def test_only_an_existing_picture_after_at_is_a_photo(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no picture")
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8\xff" + b"0" * 10)
    assert picture_at("@notes.txt", tmp_path) is None
    assert picture_at("@missing.jpg", tmp_path) is None
    assert picture_at("@home", tmp_path) is None and picture_at("@", tmp_path) is None
    found = picture_at("@b.jpg", tmp_path)
    assert found is not None and found.mime_type == "image/jpeg" and found.size == 13 and found.data is not None


def test_a_data_request_to_staff_hands_out_and_erases_by_pseudonym(
    cli: Cli, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A citizen without access to the chat any more asks the city, naming the pseudonym from their file."""
    config = make_config(tmp_path, {"park.toml": PARK})
    core = make_core(config, clock)
    try:
        anna, ben = Citizen(core, "anna"), Citizen(core, "ben")
        for citizen in (anna, ben):
            take_park_with_photo(citizen, b"\x89PNG\r\n\x1a\n" + citizen.name.encode() * 20)
        (reply,) = anna.send("meinedaten")
        assert reply.attachment is not None and reply.attachment.filename == "mitwirken-meine-daten.zip"
        copy, photos = data_copy_of(reply.attachment.data)
        pseudonym = copy["participant"]["pseudonym"]
        assert list(photos.values()) == [b"\x89PNG\r\n\x1a\n" + b"anna" * 20], "her photo, and only hers"
    finally:
        core.close()
    media = tmp_path / "media"
    assert len(list(media.iterdir())) == 2

    out = tmp_path / "anfrage.zip"
    assert cli("--config", str(config), "participant", pseudonym.lower(), "show", "-o", str(out)) == 0
    handed_out, photos = data_copy_of(out.read_bytes())
    assert handed_out["participant"]["pseudonym"] == pseudonym and len(handed_out["responses"]) == 1
    assert len(photos) == 1, "the staff's copy holds the photo too"
    assert "user-anna" not in json.dumps(handed_out), "no platform id in the file"

    assert cli("--config", str(config), "participant", pseudonym, "erase") == 0
    assert "Nothing was erased; run again with --yes" in capsys.readouterr().out
    assert len(list(media.iterdir())) == 2
    assert cli("--config", str(config), "participant", pseudonym, "erase", "--yes") == 0
    assert f"{pseudonym} erased: 1 response(s), 0 idea(s), 1 photo(s)" in capsys.readouterr().out
    assert len(list(media.iterdir())) == 1, "ben's photo stays"

    assert cli("--config", str(config), "participant", pseudonym, "show") == 2
    assert "no participant has the pseudonym" in capsys.readouterr().err
    core = make_core(config, clock)
    try:
        assert "Sind Sie einverstanden?" in Citizen(core, "anna").say("hallo"), "anna is a stranger now"
        assert "Danke für Ihre Antworten" not in Citizen(core, "ben").say("menü")
    finally:
        core.close()


def test_check_warns_of_topics_and_districts_nobody_can_follow(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = PARK.replace("title = ", 'topics = ["verker", "gruen"]\ndistricts = ["Hombruch"]\ntitle = ', 1)
    config = make_config(tmp_path, {"park.toml": survey})
    config.write_text(config.read_text().replace("[bot]\n", '[bot]\ntopics = ["verkehr", "gruen"]\n', 1))
    assert cli("--config", str(config), "check") == 0, "a warning: the file is still served"
    out = capsys.readouterr().out
    assert "park.toml: warning: topics[1]: 'verker' is not in bot.topics" in out and "did you mean 'verkehr'?" in out
    assert "districts[1]: 'Hombruch' is not in bot.districts" in out and "add it to bot.districts" in out
    assert "topics[2]" not in out


def test_check_warns_per_language_of_texts_without_a_version(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PARK is in German and English; offered in Turkish too, every text lacks its Turkish version."""
    survey = PARK.replace('languages = ["de", "en"]', 'languages = ["de", "en", "tr"]').replace(
        'title = { de = "Parkumfrage", en = "Park survey" }',
        'title = { de = "Parkumfrage", en = "Park survey", tr = "Park anketi" }',
    )
    config = make_config(tmp_path, {"park.toml": survey})
    config.write_text(config.read_text().replace('languages = ["de", "en"]', 'languages = ["de", "en", "tr"]'))
    assert cli("--config", str(config), "check") == 0, "a warning: the file is still served"
    out = capsys.readouterr().out
    (line,) = [line for line in out.splitlines() if "have no 'tr' version" in line]
    assert line.startswith(f"{tmp_path / 'surveys' / 'park.toml'}:4:1: warning: intro: ")
    assert "so readers of 'tr' see the 'de' text: intro, outro, questions[1].text," in line and " more — add tr" in line
    assert "have no 'en' version" not in out


COMMAND_LINES = {
    "run": ["run"],
    "chat": ["chat", "--as", "anna"],
    "check": ["check"],
    "results": ["results", "park-test"],
    "report": ["report", "park-test", "-o", "bericht.html", "--public"],
    "texts": ["texts", "park-test", "approve", "1", "3-4"],
    "ideas": ["ideas", "ideen-rad"],
    "moderate": ["moderate", "I-7KQ2", "approve"],
    "participant": ["participant", "P-7KQ2MX", "show"],
    "export": ["export", "park-test"],
    "import-xlsform": ["import-xlsform", "form.xlsx", "-o", "survey.toml"],
    "announce": ["announce", "park-test"],
    "jobs": ["jobs"],
    "outbox": ["outbox"],
    "db": ["db", "upgrade"],
    "print": ["print", "park-test"],
    "import": ["import", "park-test", "vorlage.xlsx"],
    "enter": ["enter", "park-test", "--channel", "paper"],
    "poster": ["poster", "park-test"],
    "link": ["link", "park-test"],
}


def test_every_command_is_in_the_option_position_test() -> None:
    from bot.staff.cli import parser

    (commands,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(commands.choices) == sorted(COMMAND_LINES)


@pytest.mark.parametrize("words", COMMAND_LINES.values(), ids=COMMAND_LINES.keys())
def test_config_and_debug_stand_before_or_after_every_command(words: list[str]) -> None:
    from bot.staff.cli import parser

    for argv in (
        ["--config", "c.toml", "--debug", *words],
        [*words, "--config", "c.toml", "--debug"],
        ["--debug", *words, "--config", "c.toml"],
        ["--config", "c.toml", *words, "--debug"],
    ):
        args = parser().parse_args(argv)
        assert (args.config, args.debug) == ("c.toml", True), argv
    args = parser().parse_args(words)
    assert (args.config, args.debug) == (None, False)


def test_config_after_the_command_is_used(cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("results", "park-test", "--format", "json", "--config", config) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "park-test"
    assert cli("check", "--config", config) == 0
    assert f"config {config}" in capsys.readouterr().out


AGE_QUESTION = """
[[questions]]
id = "alter"
type = "number"
text = { de = "Wie alt sind Sie?", en = "How old are you?" }
"""


def test_an_anonymous_survey_counts_the_same_in_results_and_export(
    cli: Cli, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One finished and one begun participant: both count one response, and the begun one is named as left out."""
    config = make_config(tmp_path, {"anonym.toml": ANONYM + AGE_QUESTION})
    core = make_core(config, clock)
    try:
        for name, answers in (("fertig", ["ja", "41"]), ("halb", ["nein"])):
            citizen = Citizen(core, name)
            citizen.say("hallo")
            citizen.say("1")
            citizen.say("start anonym-test")
            for answer in answers:
                citizen.say(answer)
    finally:
        core.close()
    assert cli("results", "anonym-test", "--format", "json", "--config", config) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["responses"] == {
        "started": 1,
        "completed": 1,
        "unfinished_not_counted": 1,
        "weeks": {"2026-11-30": {"started": 1, "completed": 1}},
        "channels": {"test": {"started": 1, "completed": 1}},
    }
    by_id = {q["id"]: q for q in summary["questions"]}
    assert by_id["zufrieden"]["counts"] == {"yes": 1, "no": 0}, "the begun 'nein' is not counted"
    assert by_id["alter"]["answered"] == 1 and by_id["alter"]["mean"] == 41
    assert cli("results", "anonym-test", "--config", config) == 0
    assert "1 angefangene Teilnahme(n) zählen erst, wenn sie fertig sind" in capsys.readouterr().out
    out = tmp_path / "anonym.json"
    assert cli("export", "anonym-test", "--format", "json", "-o", out, "--config", config) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == summary["responses"]["started"] == 1


def test_export_takes_its_format_from_the_file_name_and_writes_to_stdout(
    cli: Cli, config: Path, tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    from openpyxl import load_workbook

    assert cli("export", "park-test", "-o", tmp_path / "r.xlsx", "--config", config) == 0
    assert load_workbook(tmp_path / "r.xlsx").sheetnames == ["park-test", "Codebuch"], "an xlsx, not csv in r.xlsx"
    assert cli("export", "park-test", "--format", "csv", "-o", tmp_path / "r.xlsx", "--config", config) == 2
    assert b"ends in .xlsx but --format is csv" in capfdbinary.readouterr().err
    assert cli("export", "park-test", "-o", "-", "--delimiter", ";", "--config", config) == 0
    captured = capfdbinary.readouterr()
    lines = captured.out.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Teilnahme;Status;Begonnen am;") and lines[1].startswith("response;status;")
    assert len(lines) == 5 and b"3 response(s) written to stdout" in captured.err
    assert cli("export", "park-test", "-o", "-", "--format", "json", "--language", "en", "--config", config) == 0
    assert len(json.loads(capfdbinary.readouterr().out)) == 3


def test_the_commands_staff_run_most_load_no_channel_sdk_engine_or_scheduler() -> None:
    """``check``, ``results`` and ``export`` start fast: what only ``run`` and ``chat`` need is
    imported by those commands (a structural check; bench/startup.py prints the times)."""
    heavy = ("telegram", "nio", "aiohttp", "apscheduler", "weasyprint", "pyxform", "bot.dialogue", "bot.runtime.app")
    probe = f"import sys, bot.staff.commands; print([m for m in {heavy!r} if m in sys.modules])"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
