"""Export: CSV, XLSX and JSON read back, formula injection, umlauts, long texts, no ids but pseudonyms."""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.staff.export import ExportStyle, export_responses, format_for, spreadsheet_safe
from storage.records import AnswerRecord, ParticipantId, ResponseRecord
from surveys.loader import parse_process
from surveys.model import Survey

SURVEY = """\
format = 1
id = "baeume-test"
title = { de = "Bäume", en = "Trees" }
languages = ["de", "en"]
anonymous = ANONYMOUS

[[questions]]
id = "hallo"
type = "info"
text = { de = "Hallo", en = "Hello" }

[[questions]]
id = "art"
type = "choice"
text = { de = "Welcher Baum?", en = "Which tree?" }
other = true
options = [{ id = "eiche", de = "Eiche", en = "Oak" }, { id = "linde", de = "Linde", en = "Lime" }]

[[questions]]
id = "orte"
type = "multi"
text = { de = "Wo?", en = "Where?" }
other = true
options = [{ id = "park", de = "Park", en = "Park" }, { id = "strasse", de = "Straße", en = "Street" }]

[[questions]]
id = "gern"
type = "yesno"
text = { de = "Gern?", en = "Gladly?" }

[[questions]]
id = "note"
type = "scale"
text = { de = "Note?", en = "Rating?" }

[[questions]]
id = "grad"
type = "number"
text = { de = "Temperatur?", en = "Temperature?" }
min = -30
max = 50

[[questions]]
id = "wunsch"
type = "text"
required = false
max_length = 4000
text = { de = "Wunsch?", en = "Wish?" }

[[questions]]
id = "tag"
type = "date"
required = false
text = { de = "Wann?", en = "When?" }

[[questions]]
id = "ort"
type = "location"
required = false
text = { de = "Wo genau?", en = "Where exactly?" }

[[questions]]
id = "foto"
type = "photo"
required = false
text = { de = "Foto?", en = "Photo?" }
"""

HEADER = [
    "response", "status", "started_at", "completed_at", "channel", "form_number", "batch",
    "art", "art.other", "orte", "orte.park", "orte.strasse", "orte.other",
    "gern", "note", "grad", "wunsch", "tag", "ort", "foto",
]  # fmt: skip
LABELS = [
    "Teilnahme", "Status", "Begonnen am", "Abgeschlossen am", "Kanal", "Bogen-Nr.", "Stapel",
    "Welcher Baum?", "Welcher Baum? – Sonstiges (Freitext)", "Wo?", "Wo? – Park", "Wo? – Straße",
    "Wo? – Sonstiges (Freitext)", "Gern?", "Note?", "Temperatur?", "Wunsch?", "Wann?", "Wo genau?", "Foto?",
]  # fmt: skip
BERLIN = ZoneInfo("Europe/Berlin")
STYLE = ExportStyle(language="de", zone=BERLIN)
PLATFORM_LIKE_ID = "participant-4711-do-not-export"
T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def _survey(anonymous: bool = False) -> Survey:
    text = SURVEY.replace("ANONYMOUS", "true" if anonymous else "false")
    process, problems = parse_process(text, file="baeume.toml", bot_languages=["de", "en"])
    assert problems == [] and isinstance(process, Survey)
    return process


def _row(
    number: int, status: str, answers: dict[str, object], others: dict[str, str] | None = None
) -> tuple[ResponseRecord, list[AnswerRecord]]:
    record = ResponseRecord(
        id=number,
        participant_id=ParticipantId(PLATFORM_LIKE_ID),
        pseudonym=f"P-{number:06d}",
        process_id="baeume-test",
        status=status,  # type: ignore[arg-type]
        started_at=T0,
        updated_at=T0,
        completed_at=T0 + dt.timedelta(minutes=5) if status != "active" else None,
        channel="telegram",
    )
    stored = [AnswerRecord(number, qid, "?", value, (others or {}).get(qid), T0) for qid, value in answers.items()]
    return record, stored


FULL = {
    "art": "other", "orte": ["park", "other"], "gern": True, "note": 4, "grad": -2,
    "wunsch": "Mehr Grün in Hörde", "tag": "2026-04-01", "ort": {"lat": 51.5, "lon": 7.46},
    "foto": {"path": "media/2026/ab12.jpg", "mime_type": "image/jpeg", "size": 2048},
}  # fmt: skip
OTHERS = {"art": "Kastanie", "orte": "Schulhof"}


def _rows() -> list[tuple[ResponseRecord, list[AnswerRecord]]]:
    return [
        _row(1, "completed", FULL, OTHERS),
        _row(2, "active", {"art": "linde", "orte": None, "gern": False, "note": 1, "grad": 3.5,
                           "wunsch": None, "ort": {"text": "Westfalenpark"}}),
    ]  # fmt: skip


def _csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    """The id header row and the data rows (the label row is checked by its own test)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        labels, *rest = list(csv.reader(file, delimiter=delimiter))
    return rest


def _xlsx(path: Path) -> list[list[object]]:
    sheet = load_workbook(path, read_only=True).worksheets[0]
    labels, *rest = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    return [row + [""] * (len(labels) - len(row)) for row in rest]  # an empty last cell is not stored


def _export(tmp_path: Path, fmt: str, rows, survey: Survey | None = None, **kwargs) -> tuple[int, Path]:
    out = tmp_path / f"export.{fmt}"
    options = {"total": None, "progress": False, "style": STYLE} | kwargs
    return export_responses(survey or _survey(), rows, fmt, out, **options), out  # type: ignore[arg-type]


LOCAL_START, LOCAL_END = dt.datetime(2026, 3, 1, 10, 30), dt.datetime(2026, 3, 1, 10, 35)  # Dortmund, UTC+1
EXPECTED_FLAT = [
    ["P-000001", "abgeschlossen", LOCAL_START, LOCAL_END, "Telegram", "", "",
     "Sonstiges", "Kastanie", "Park; Sonstiges", 1, 0, "Schulhof",
     "Ja", 4, -2, "Mehr Grün in Hörde", dt.datetime(2026, 4, 1), "51.5, 7.46", "ab12.jpg"],
    ["P-000002", "in Bearbeitung", LOCAL_START, "", "Telegram", "", "",
     "Linde", "", "", "", "", "",
     "Nein", 1, 3.5, "", "", "Westfalenpark", ""],
]  # fmt: skip


def _as_csv_text(cell: object) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    return str(cell)


def test_csv_round_trip(tmp_path: Path) -> None:
    written, out = _export(tmp_path, "csv", _rows())
    assert written == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads umlauts as UTF-8
    header, *rows = _csv(out)
    assert header == HEADER
    assert rows == [[_as_csv_text(cell) for cell in row] for row in EXPECTED_FLAT]
    assert rows[0][2] == "2026-03-01 10:30:00", "local time, as Excel reads it in any locale"
    assert b"\r\n" in out.read_bytes()  # RFC 4180 line ends


def test_spreadsheets_name_columns_by_their_question_and_keep_the_ids_below(tmp_path: Path) -> None:
    _, out = _export(tmp_path, "csv", _rows())
    with out.open(encoding="utf-8-sig", newline="") as file:
        labels, ids, *_ = csv.reader(file)
    assert (labels, ids) == (LABELS, HEADER)
    _, out = _export(tmp_path, "xlsx", _rows(), style=ExportStyle(language="en", zone=BERLIN))
    sheet = load_workbook(out, read_only=True).worksheets[0]
    english, ids, first, _ = sheet.iter_rows(values_only=True)
    assert english[7] == "Which tree?" and english[10] == "Where? – Park" and list(ids) == HEADER
    assert first[1] == "completed" and first[4] == "Telegram" and first[7] == "Other" and first[13] == "Yes"


def test_xlsx_round_trip_keeps_numbers_numbers_and_dates_dates(tmp_path: Path) -> None:
    written, out = _export(tmp_path, "xlsx", _rows())
    assert written == 2
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["baeume-test", "Codebuch"]
    header, *rows = _xlsx(out)
    assert header == HEADER
    assert rows == EXPECTED_FLAT
    grad = HEADER.index("grad")
    assert isinstance(rows[0][grad], int) and rows[0][grad] == -2  # a negative number stays a number
    assert isinstance(rows[0][2], dt.datetime), "a real date cell, not text"


def test_xlsx_has_a_formatted_frozen_header_widths_a_filter_and_a_codebook(tmp_path: Path) -> None:
    _, out = _export(tmp_path, "xlsx", _rows())
    workbook = load_workbook(out)
    sheet = workbook["baeume-test"]
    assert sheet["A1"].font.b and sheet["H1"].value == "Welcher Baum?"
    assert sheet.freeze_panes == "B3" and sheet.auto_filter.ref == "A2:T2"
    assert sheet.column_dimensions["H"].width == len("Welcher Baum?") + 2
    assert sheet["C3"].number_format == "DD.MM.YYYY HH:MM" and sheet["R3"].number_format == "DD.MM.YYYY"
    codebook = [list(row) for row in workbook["Codebuch"].iter_rows(values_only=True)]
    assert codebook[0] == ["Spalte", "Nr.", "Frage", "Typ", "Antwortmöglichkeiten (Kennung = Text)"]
    assert codebook[1] == ["art", 1, "Welcher Baum?", "choice", "eiche = Eiche; linde = Linde; other = Sonstiges"]
    assert [row[0] for row in codebook[1:]] == ["art", "orte", "gern", "note", "grad", "wunsch", "tag", "ort", "foto"]


def test_german_excel_csv_uses_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    _, out = _export(tmp_path, "csv", _rows(), style=ExportStyle(language="de", zone=BERLIN, delimiter=";"))
    header, first, second = _csv(out, delimiter=";")
    assert header == HEADER and second[HEADER.index("grad")] == "3,5" and first[HEADER.index("grad")] == "-2"


@pytest.mark.parametrize(("requested", "output", "chosen"), [
    (None, "r.xlsx", "xlsx"), (None, "r.JSON", "json"), (None, "r.txt", "csv"), (None, None, "csv"),
    (None, "-", "csv"), ("xlsx", "-", "xlsx"), ("json", "r.json", "json"), ("csv", "daten", "csv"),
])  # fmt: skip
def test_the_format_follows_the_file_name_unless_given(requested: str | None, output: str | None, chosen: str) -> None:
    assert format_for(requested, output) == chosen


def test_a_format_that_contradicts_the_file_name_is_refused() -> None:
    with pytest.raises(ValueError, match=r"ends in \.xlsx but --format is csv"):
        format_for("csv", "r.xlsx")


def test_json_round_trip_has_typed_values(tmp_path: Path) -> None:
    written, out = _export(tmp_path, "json", _rows())
    first, second = json.loads(out.read_text(encoding="utf-8"))
    assert written == 2
    assert first == {
        "response": "P-000001", "status": "completed",
        "started_at": "2026-03-01T09:30:00+00:00", "completed_at": "2026-03-01T09:35:00+00:00",
        "channel": "telegram", "form_number": None, "batch": None,
        "art": "other", "art.other": "Kastanie", "orte": ["park", "other"], "orte.other": "Schulhof",
        "gern": True, "note": 4, "grad": -2, "wunsch": "Mehr Grün in Hörde", "tag": "2026-04-01",
        "ort": {"lat": 51.5, "lon": 7.46}, "foto": "ab12.jpg",
    }  # fmt: skip
    assert second["completed_at"] is None and second["orte"] is None and second["tag"] is None
    assert second["ort"] == {"text": "Westfalenpark"} and second["grad"] == 3.5


def test_empty_export_writes_the_header_only(tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx", "json"):
        written, _ = _export(tmp_path, fmt, [])
        assert written == 0
    assert _csv(tmp_path / "export.csv") == [HEADER]
    assert _xlsx(tmp_path / "export.xlsx") == [HEADER]
    assert json.loads((tmp_path / "export.json").read_text()) == []


INJECTIONS = ["=HYPERLINK(\"http://evil.example\",\"klick\")", "+1", "-2+3", "@SUM(A1:A9)", "\t=1", " =1", "\r=1",
              "\n =cmd|' /C calc'!A0"]  # fmt: skip


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_is_defused(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Mehr Bänke", "1-2 Bäume", "a=b", "", "E-Mail: x@example.org"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert spreadsheet_safe(text) == text


def test_injections_are_defused_in_csv(tmp_path: Path) -> None:
    rows = [_row(n, "completed", {"wunsch": text, "art": "other", "grad": -5}, {"art": text})
            for n, text in enumerate(INJECTIONS, start=1)]  # fmt: skip
    _export(tmp_path, "csv", rows)
    header, *cells = _csv(tmp_path / "export.csv")
    wunsch, other, grad = header.index("wunsch"), header.index("art.other"), header.index("grad")
    for text, row in zip(INJECTIONS, cells, strict=True):
        assert [row[wunsch], row[other]] == ["'" + text] * 2
        assert row[grad] == "-5"  # a number, not text: no quote


def test_injections_in_xlsx_are_text_cells_shown_as_written(tmp_path: Path) -> None:
    """No visible quote: the cell's type is string, so no spreadsheet evaluates it."""
    rows = [_row(n, "completed", {"wunsch": text, "art": "other", "grad": -5}, {"art": text})
            for n, text in enumerate(INJECTIONS, start=1)]  # fmt: skip
    _, out = _export(tmp_path, "xlsx", rows)
    sheet = load_workbook(out)["baeume-test"]
    wunsch, other, grad = (HEADER.index(h) + 1 for h in ("wunsch", "art.other", "grad"))
    for line, text in enumerate(INJECTIONS, start=3):
        for column in (wunsch, other):
            cell = sheet.cell(line, column)
            # XML reads a carriage return back as a line feed
            assert cell.data_type == "s" and cell.value.replace("\r", "\n") == text.replace("\r", "\n")
        assert sheet.cell(line, grad).value == -5 and sheet.cell(line, grad).data_type == "n"
    raw = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw, "no formula in the file"


def test_json_keeps_text_exactly(tmp_path: Path) -> None:
    rows = [_row(1, "completed", {"wunsch": "=1+1"})]
    _, out = _export(tmp_path, "json", rows)
    assert json.loads(out.read_text())[0]["wunsch"] == "=1+1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_umlauts_and_long_texts_survive(tmp_path: Path, fmt: str) -> None:
    long_text = ("Grünflächen für Dortmund-Hörde ßäöü ÄÖÜ – " * 250)[:10_000]
    rows = [_row(1, "completed", {"wunsch": long_text, "art": "other"}, {"art": "Ulme über Straße"})]
    _, out = _export(tmp_path, fmt, rows)
    if fmt == "json":
        item = json.loads(out.read_text(encoding="utf-8"))[0]
        values = [item["wunsch"], item["art.other"]]
    else:
        header, row = _csv(out) if fmt == "csv" else _xlsx(out)
        values = [row[header.index("wunsch")], row[header.index("art.other")]]
    assert values == [long_text, "Ulme über Straße"]
    assert len(values[0]) == 10_000


def test_no_id_but_the_pseudonym_is_written(tmp_path: Path) -> None:
    for fmt in ("csv", "json"):
        _, out = _export(tmp_path, fmt, _rows())
        assert PLATFORM_LIKE_ID not in out.read_text(encoding="utf-8")
    _, out = _export(tmp_path, "xlsx", _rows())
    cells = [str(cell) for row in _xlsx(out) for cell in row]
    assert not any(PLATFORM_LIKE_ID in cell for cell in cells)
    assert "P-000001" in cells


def test_anonymous_survey_exports_only_detached_responses(tmp_path: Path) -> None:
    anonymous = _survey(anonymous=True)
    rows = [
        _row(1, "completed", {}),  # the participant's row: only *that* they took part
        _row(2, "anonymous", {"art": "eiche", "gern": True}),
        _row(3, "active", {"art": "linde"}),  # still answering: linked to them, so not exported yet
    ]
    written, out = _export(tmp_path, "json", rows, survey=anonymous)
    assert written == 1
    assert [item["response"] for item in json.loads(out.read_text())] == ["P-000002"]


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> Iterator[tuple[ResponseRecord, list[AnswerRecord]]]:
        yield _rows()[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        _export(tmp_path, "csv", broken())
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [_row(n, "completed", {"note": 3}) for n in range(1, 51)]
    written, out = _export(tmp_path, "csv", rows, total=50, progress=True)
    captured = capsys.readouterr()
    assert written == 50 and len(_csv(out)) == 51
    assert captured.out == "" and "Export" in captured.err
    written, _ = _export(tmp_path, "json", iter(rows), total=None, progress=True)
    assert written == 50


def test_a_detached_anonymous_response_shows_only_its_day(tmp_path: Path) -> None:
    day = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)  # detached answers keep only the day, stored as midnight UTC
    record, answers = _row(2, "anonymous", {"art": "eiche"})
    rows = [(replace(record, started_at=day, completed_at=day), answers)]
    _, out = _export(tmp_path, "csv", rows, survey=_survey(anonymous=True))
    (_, first) = _csv(out)
    assert first[1:4] == ["abgeschlossen (anonym)", "2026-03-01", "2026-03-01"], "not 01:00 of the city's time"
