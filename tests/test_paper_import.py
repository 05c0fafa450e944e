"""``export --template`` and ``import``: the template read back, bad rows (all problems at once, with row,
column and fix; nothing stored), ``--skip-invalid``, re-import without duplicates, CSV, and the channel
of each response in results and exports (``results --by channel``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.harness import Citizen, Cli, Clock, export_rows, make_config, make_core
from tests.storage_fixtures import BACKENDS, backend_url
from tests.transcript_surveys import ANONYM, PARK

IDS = ["form_number", "besuch", "besuch.other", "grund", "hund", "note", "alter", "wunsch", "termin", "ort"]


@pytest.fixture(params=BACKENDS)
def config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """The transcript surveys on SQLite, and on PostgreSQL when MITWIRKEN_TEST_DATABASE_URL is set."""
    with backend_url(request.param, tmp_path) as url:
        yield make_config(tmp_path, {"park.toml": PARK, "anonym.toml": ANONYM}, database_url=url)


def _template(cli: Cli, config: Path, tmp_path: Path) -> Path:
    out = tmp_path / "vorlage.xlsx"
    assert cli("export", "park-test", "--template", "-o", out, "--config", config) == 0
    return out


def _fill(template: Path, rows: list[dict[str, object]], out: Path) -> Path:
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    ids = [cell.value for cell in sheet[2]]
    for number, row in enumerate(rows, start=3):
        for key, value in row.items():
            sheet.cell(number, ids.index(key) + 1, value)
    workbook.save(out)
    return out


GOOD: list[dict[str, object]] = [
    {"form_number": "1001", "besuch": "Oft", "hund": "Ja", "note": 4, "alter": 34, "wunsch": "Mehr Bänke"},
    {"form_number": "1002", "besuch": "Selten", "grund": "Zu weit weg; Keine Zeit", "hund": "Nein", "note": 2,
     "wunsch": "Toiletten", "termin": "24.11.2026"},
    {"form_number": "1003", "besuch": "Sonstiges", "besuch.other": "Nur im Sommer", "hund": "nein", "note": "5",
     "wunsch": "Schatten", "ort": "Am Teich"},
]  # fmt: skip


def _stored(config: Path, clock: Clock) -> list[tuple[str | None, str | None, str | None, dict[str, object]]]:
    core = make_core(config, clock)
    try:
        return [
            (record.form_number, record.channel, record.batch, {a.question_id: a.value for a in answers})
            for record, answers in core.store.responses("park-test")
        ]
    finally:
        core.close()


def test_the_template_has_ids_dropdowns_and_a_codebook(cli: Cli, config: Path, tmp_path: Path) -> None:
    workbook = load_workbook(_template(cli, config, tmp_path))
    assert workbook.sheetnames == ["Antworten", "Listen", "Codebuch"]
    sheet, lists = workbook["Antworten"], workbook["Listen"]
    assert [cell.value for cell in sheet[2]] == IDS  # the photo question can't come on paper
    assert [cell.value for cell in sheet[1]][:3] == [
        "Bogen-Nr.",
        "Wie oft sind Sie im Park?",
        "Wie oft sind Sie im Park? – Sonstiges (Freitext)",
    ]
    assert lists.sheet_state == "hidden"
    by_range = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    besuch = by_range["B3:B5002"]
    assert besuch.type == "list" and besuch.formula1 == "='Listen'!$B$1:$B$4"
    assert [lists.cell(row, 2).value for row in range(1, 5)] == ["Oft", "Selten", "Nie", "Sonstiges"]
    assert [lists.cell(row, 5).value for row in range(1, 3)] == ["Ja", "Nein"]
    alter = by_range["G3:G5002"]
    assert (alter.type, alter.formula1, alter.formula2) == ("whole", "0", "120")
    codebook = [row for row in workbook["Codebuch"].iter_rows(values_only=True)]
    assert codebook[1][:3] == ("besuch", 1, "Wie oft sind Sie im Park?")


def test_import_round_trip_stores_each_form_with_its_channel_and_batch(
    cli: Cli, config: Path, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = _fill(_template(cli, config, tmp_path), GOOD, tmp_path / "stapel-1.xlsx")
    assert cli("import", "park-test", filled, "--config", config) == 0
    assert "3 form(s) stored from stapel-1.xlsx (channel paper, batch stapel-1)" in capsys.readouterr().err
    stored = {form: (channel, batch, answers) for form, channel, batch, answers in _stored(config, clock)}
    assert stored["1001"] == (
        "paper",
        "stapel-1",
        {"besuch": "oft", "hund": True, "note": 4, "alter": 34, "wunsch": "Mehr Bänke", "termin": None, "ort": None}
        | {"bild": None},  # skipped, as a chat answer skips it
    )
    assert stored["1002"][2]["grund"] == ["weg", "zeit"] and stored["1002"][2]["termin"] == "2026-11-24"
    assert stored["1003"][2]["besuch"] == "other" and stored["1003"][2]["ort"] == {"text": "Am Teich"}
    assert "grund" not in stored["1001"][2]  # hidden by its condition: not stored, like in the chat


def test_reimporting_stores_nothing_twice(
    cli: Cli, config: Path, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = _fill(_template(cli, config, tmp_path), GOOD, tmp_path / "stapel-1.xlsx")
    assert cli("import", "park-test", filled, "--config", config) == 0
    assert cli("import", "park-test", filled, "--config", config) == 0
    assert "0 form(s) stored from stapel-1.xlsx" in capsys.readouterr().err
    again = _fill(_template(cli, config, tmp_path), [GOOD[0] | {"note": 1}], tmp_path / "stapel-2.xlsx")
    assert cli("import", "park-test", again, "--config", config) == 0
    err = capsys.readouterr().err
    assert "1 already stored, not stored again" in err and "stored before with other answers: form(s) 1001" in err
    assert sorted(str(form) for form, *_ in _stored(config, clock)) == ["1001", "1002", "1003"]


BAD: list[dict[str, object]] = [
    {"form_number": "2001", "besuch": "Manchmal", "hund": "Ja", "note": 3, "wunsch": "Mehr Bänke"},
    {"form_number": "2002", "besuch": "Oft", "hund": "Ja", "note": 3, "alter": 130, "wunsch": "Mehr Bänke"},
    {"form_number": "2003", "besuch": "Oft", "note": 3, "wunsch": "Mehr Bänke"},
    {"form_number": "2004", "besuch": "Oft", "grund": "Keine Zeit", "hund": "Ja", "note": 3, "wunsch": "Bänke"},
    {"form_number": "2005", "besuch": "Oft", "hund": "Ja", "note": 3, "wunsch": "ok"},
    {"besuch": "Oft", "hund": "Ja", "note": 3, "wunsch": "Mehr Bänke"},
    {"form_number": "2007", "besuch": "Oft", "hund": "Ja", "note": 3, "wunsch": "Gut so"},
]  # fmt: skip


def test_bad_rows_are_all_listed_with_row_column_and_fix_and_nothing_is_stored(
    cli: Cli, config: Path, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = _fill(_template(cli, config, tmp_path), BAD, tmp_path / "stapel.xlsx")
    assert cli("import", "park-test", filled, "--config", config) == 1
    err = capsys.readouterr().err
    expected = [
        "stapel.xlsx: row 3, column B (besuch): 'Manchmal' is not an option — write one of 'Oft', 'Selten', 'Nie', "
        "'Sonstiges'",
        "stapel.xlsx: row 4, column G (alter): '130' is not accepted — Please give a number from 0 to 120.",
        "stapel.xlsx: row 5, column E (hund): empty, but the question must be answered — fill it in from the form",
        "stapel.xlsx: row 6, column D (grund): 'Keine Zeit', but the answers before it leave this question out "
        "(show_if: besuch in ['selten', 'nie']) — check those answers on the paper form",
        # the survey file's own constraint_message
        "stapel.xlsx: row 7, column H (wunsch): 'ok' is not accepted — Bitte mindestens drei Zeichen.",
        "stapel.xlsx: row 8, column A (form_number): no form number — write the number printed or stamped",
        "6 problem(s) in stapel.xlsx (6 of 7 form(s)): nothing stored.",
    ]
    for line in expected:
        assert line in err, f"{line!r} not in:\n{err}"
    assert _stored(config, clock) == []


def test_skip_invalid_stores_the_valid_forms_and_reports_the_rest(
    cli: Cli, config: Path, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = _fill(_template(cli, config, tmp_path), BAD, tmp_path / "stapel.xlsx")
    assert cli("import", "park-test", filled, "--skip-invalid", "--channel", "phone", "--config", config) == 0
    err = capsys.readouterr().err
    assert "row 4, column G (alter)" in err
    assert "1 form(s) stored from stapel.xlsx (channel phone, batch stapel); 6 invalid form(s) left out" in err
    assert [(form, channel) for form, channel, *_ in _stored(config, clock)] == [("2007", "phone")]


def test_a_csv_saved_from_the_template_imports_too(cli: Cli, config: Path, tmp_path: Path, clock: Clock) -> None:
    csv = tmp_path / "telefon.csv"
    csv.write_text(
        "Bogen-Nr.;Wie oft?;Sonstiges;Warum?;Hund?;Note;Alter;Wunsch;Wann;Wo\n"
        + ";".join(IDS)
        + "\nT-1;Nie;;Zu schmutzig;ja;1;;Sauberkeit;1.11.2026;\n",
        encoding="utf-8-sig",
    )
    assert cli("import", "park-test", csv, "--channel", "phone", "--batch", "Hotline November", "--config", config) == 0
    [(form, channel, batch, answers)] = _stored(config, clock)
    assert (form, channel, batch) == ("T-1", "phone", "Hotline November")
    assert answers["grund"] == ["dreck"] and answers["termin"] == "2026-11-01" and answers["alter"] is None


def test_an_unknown_column_stops_the_import(
    cli: Cli, config: Path, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("form_number,besuchh\n1,Oft\n", encoding="utf-8")
    assert cli("import", "park-test", csv, "--skip-invalid", "--config", config) == 1
    assert "x.csv: column B ('besuchh'): no question of 'park-test' has this id" in capsys.readouterr().err
    assert _stored(config, clock) == []


def test_results_and_exports_carry_three_channels(
    cli: Cli, config: Path, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    core = make_core(config, clock)
    try:
        anna = Citizen(core, "anna", channel="telegram")
        anna.say("hallo")
        anna.press(1)  # agrees
        anna.say("start park-test")
        for answer in ("oft", "ja", "5", "überspringen", "Mehr Blumen", "überspringen", "überspringen", "überspringen"):
            anna.say(answer)
    finally:
        core.close()
    template = _template(cli, config, tmp_path)
    assert cli("import", "park-test", _fill(template, GOOD[:2], tmp_path / "p.xlsx"), "--config", config) == 0
    phone = _fill(template, [GOOD[2]], tmp_path / "t.xlsx")
    assert cli("import", "park-test", phone, "--channel", "phone", "--config", config) == 0
    capsys.readouterr()
    assert cli("results", "park-test", "--by", "channel", "--format", "json", "--config", config) == 0
    results = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in results["responses"].items() if k != "weeks"} == {
        "started": 4,
        "completed": 4,
        "channels": {c: {"started": n, "completed": n} for c, n in (("paper", 2), ("phone", 1), ("telegram", 1))},
    }
    assert results["breakdown"]["by"] == "channel"
    groups = {g["key"]: g for g in results["breakdown"]["groups"]}
    assert set(groups) == {"telegram", "paper", "phone"}
    assert [groups[c]["responses"]["completed"] for c in ("telegram", "paper", "phone")] == [1, 2, 1]
    besuch = {c: groups[c]["questions"][0]["counts"] for c in groups}
    assert besuch["paper"] == {"oft": 1, "selten": 1, "nie": 0, "other": 0}
    assert besuch["telegram"]["oft"] == 1 and besuch["phone"]["other"] == 1
    assert cli("results", "park-test", "--by", "channel", "--config", config) == 0
    table = capsys.readouterr().out
    assert "nach: Kanal" in table and "Papier" in table and "Telefon" in table and "Telegram" in table
    out = tmp_path / "export.csv"
    assert cli("export", "park-test", "-o", out, "--config", config) == 0
    rows = export_rows(out)
    assert sorted((r["channel"], r["form_number"]) for r in rows) == [
        ("Papier", "1001"),
        ("Papier", "1002"),
        ("Telefon", "1003"),
        ("Telegram", ""),
    ]


def test_an_anonymous_survey_counts_its_paper_forms(
    cli: Cli, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("form_number,zufrieden\n7,Ja\n8,Nein\n", encoding="utf-8")
    assert cli("import", "anonym-test", csv, "--config", config) == 0
    capsys.readouterr()
    assert cli("results", "anonym-test", "--format", "json", "--config", config) == 0
    results = json.loads(capsys.readouterr().out)
    assert results["responses"]["completed"] == 2
    assert results["questions"][0]["counts"] == {"yes": 1, "no": 1}


def test_the_template_writes_formula_like_labels_as_text(cli: Cli, tmp_path: Path) -> None:
    survey = PARK.replace(
        '{ id = "oft", de = "Oft", en = "Often" }', '{ id = "oft", de = "=HYPERLINK(\\"x\\")", en = "x" }'
    )
    survey = survey.replace('text = { de = "Wie oft sind Sie im Park?"', 'text = { de = "=1+1"')
    config = make_config(tmp_path, {"park.toml": survey})
    out = tmp_path / "vorlage.xlsx"
    assert cli("export", "park-test", "--template", "-o", out, "--config", config) == 0
    workbook = load_workbook(out)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in risky} >= {'=HYPERLINK("x")', "=1+1"}
    assert {c.data_type for c in risky} == {"s"}, "shown as written, never evaluated"


def test_a_required_photo_question_does_not_block_paper_forms(
    cli: Cli, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = PARK.replace('type = "photo"\nrequired = false', 'type = "photo"')
    config = make_config(tmp_path, {"park.toml": survey})
    filled = _fill(_template(cli, config, tmp_path), GOOD[:1], tmp_path / "stapel.xlsx")
    assert cli("import", "park-test", filled, "--config", config) == 0, capsys.readouterr().err
    [(form, _channel, _batch, answers)] = _stored(config, clock)
    assert form == "1001" and answers["bild"] is None
