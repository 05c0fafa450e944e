"""``mitwirken enter``: paper and phone forms typed in through the survey runner, as transcripts —
a condition, ``zurück`` and ``überspringen``, a refused answer, replacing a form, and double entry
(``--check``) listing the forms whose answers differ."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Cli, Clock, make_config, make_core
from tests.storage_fixtures import BACKENDS, backend_url
from tests.transcript_surveys import PARK

SKIP = "überspringen"


@pytest.fixture(params=BACKENDS)
def config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """The transcript surveys on SQLite, and on PostgreSQL when MITWIRKEN_TEST_DATABASE_URL is set."""
    with backend_url(request.param, tmp_path) as url:
        yield make_config(tmp_path, {"park.toml": PARK}, database_url=url)


def _enter(cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch, lines: list[str], *options: str) -> int:
    """``mitwirken enter`` with ``lines`` typed, one after another (a pipe: what is typed is echoed)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    return cli("enter", "park-test", *options, "--config", config)


def _forms(config: Path, clock: Clock) -> dict[str, tuple[str | None, str | None, str | None, dict[str, object]]]:
    core = make_core(config, clock)
    try:
        return {
            str(record.form_number): (
                record.channel,
                record.batch,
                record.entered_by,
                {a.question_id: a.value for a in answers},
            )
            for record, answers in core.store.responses("park-test")
        }
    finally:
        core.close()


# Form 17: "Selten" shows the follow-up question (a condition); a wrong number is refused and asked again;
# "zurück" changes the answer before.
FORM_17 = ["17", "selten", "1, 3", "nein", "9", "2", "zurück", "3", SKIP, "Mehr Bänke", SKIP, SKIP, SKIP]
# Form 18: "Oft" leaves the follow-up out.
FORM_18 = ["18", "oft", "ja", "5", "70", "Wasserspiel", "01.11.2026", "Am Teich", SKIP]


def test_a_batch_is_typed_in_through_the_runner(
    cli: Cli, config: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _enter(cli, config, monkeypatch, [*FORM_17, *FORM_18, ""], "--channel", "paper", "--batch", "Bib-1")
    out = capsys.readouterr().out
    assert code == 0
    transcript = [
        "Bogen-Nr.: 17",
        "Wie oft sind Sie im Park?",
        "> selten",
        "Warum nicht öfter?",  # shown because of "Selten"
        "> 1, 3",
        "Haben Sie einen Hund?",
        "> nein",
        "Wie gefällt Ihnen der Park?",
        "> 9",
        "Bitte geben Sie eine Zahl von 1 bis 5 an.",  # refused: the same validation as in the chat
        "> 2",
        "Wie alt sind Sie?",
        "> zurück",
        "Ihre bisherige Antwort: 2.",
        "> 3",
        "Bogen 17 gespeichert.",
        "Bogen-Nr.: 18",
        "> oft",
        "Haben Sie einen Hund?",  # no follow-up question for "Oft"
        "Bogen 18 gespeichert.",
        "2 Bogen/Bögen gespeichert.",
    ]
    at = 0
    for line in transcript:
        found = out.find(line, at)
        assert found >= 0, f"{line!r} missing after {at} in:\n{out}"
        at = found + len(line)
    forms = _forms(config, clock)
    channel, batch, by, answers = forms["17"]
    assert (channel, batch) == ("paper", "Bib-1") and by is not None and by.startswith("cli:")
    assert answers == {
        "besuch": "selten", "grund": ["weg", "zeit"], "hund": False, "note": 3, "alter": None,
        "wunsch": "Mehr Bänke", "termin": None, "ort": None, "bild": None,
    }  # fmt: skip
    assert forms["18"][3]["termin"] == "2026-11-01" and "grund" not in forms["18"][3]


def test_an_end_if_ends_the_form_early(
    cli: Cli, config: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _enter(cli, config, monkeypatch, ["5", "nie", "2", "nein", ""], "--channel", "phone")
    assert code == 0
    assert "Bogen 5 gespeichert." in capsys.readouterr().out
    core = make_core(config, clock)
    try:
        [(record, answers)] = list(core.store.responses("park-test"))
    finally:
        core.close()
    assert (record.status, record.channel) == ("ended", "phone")
    assert {a.question_id: a.value for a in answers} == {"besuch": "nie", "grund": ["dreck"], "hund": False}


def test_a_stored_form_is_replaced_only_when_asked_and_a_cancelled_one_stores_nothing(
    cli: Cli, config: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _enter(cli, config, monkeypatch, [*FORM_18, ""], "--channel", "paper") == 0
    again = ["18", "nein", "18", "ja", "oft", "nein", "abbrechen", "18", "ja", "oft", "nein", "4", SKIP, "Bänke"]
    assert _enter(cli, config, monkeypatch, [*again, SKIP, SKIP, SKIP, ""], "--channel", "paper") == 0
    out = capsys.readouterr().out
    assert "Bogen 18 ist schon erfasst" in out and "Bogen 18 bleibt, wie er ist." in out
    assert "Bogen 18 verworfen, nichts gespeichert." in out and "Bogen 18 ersetzt." in out
    forms = _forms(config, clock)
    assert list(forms) == ["18"] and forms["18"][3]["hund"] is False and forms["18"][3]["note"] == 4


def test_double_entry_lists_the_forms_that_differ(
    cli: Cli, config: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _enter(cli, config, monkeypatch, [*FORM_17, *FORM_18, ""], "--channel", "paper", "--batch", "B") == 0
    before = _forms(config, clock)
    capsys.readouterr()
    second_18 = [*FORM_18[:3], "4", *FORM_18[4:]]  # the scale read as 4 instead of 5
    lines = [*FORM_17, *second_18, "99", ""]
    code = _enter(cli, config, monkeypatch, lines, "--channel", "paper", "--batch", "B", "--check")
    out = capsys.readouterr().out
    assert code == 1, "differences: the exit code says so"
    assert "Bogen 17: stimmt mit der ersten Erfassung überein." in out
    # question 4 as numbered on the printed form
    assert "Bogen 18 weicht ab:\n  Frage 4 (note): erste Erfassung „5“, zweite „4“" in out
    assert "Bogen 99 ist noch nicht erfasst" in out
    assert "2 Bogen/Bögen geprüft, 1 weichen ab: 18." in out
    assert _forms(config, clock) == before, "the check stores nothing"


def test_double_entry_names_the_forms_of_the_batch_not_checked_yet(
    cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _enter(cli, config, monkeypatch, [*FORM_17, *FORM_18, ""], "--channel", "paper", "--batch", "B") == 0
    capsys.readouterr()
    assert _enter(cli, config, monkeypatch, [*FORM_18, ""], "--channel", "paper", "--batch", "B", "--check") == 0
    assert "Im Stapel B noch nicht kontrolliert: 17" in capsys.readouterr().out
