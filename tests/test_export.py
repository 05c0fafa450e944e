"""Export: CSV, XLSX and JSON read back, formula injection, umlauts, long texts, no ids but pseudonyms."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.export import export_responses, spreadsheet_safe
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
    "response", "status", "started_at", "completed_at",
    "art", "art.other", "orte", "orte.park", "orte.strasse", "orte.other",
    "gern", "note", "grad", "wunsch", "tag", "ort", "foto",
]  # fmt: skip
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
    )
    stored = [
        AnswerRecord(number, qid, "?", value, (others or {}).get(qid), T0) for qid, value in answers.items()
    ]
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


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _xlsx(path: Path) -> list[list[object]]:
    sheet = load_workbook(path, read_only=True).active
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def _export(tmp_path: Path, fmt: str, rows, survey: Survey | None = None, **kwargs) -> tuple[int, Path]:
    out = tmp_path / f"export.{fmt}"
    options = {"total": None, "progress": False} | kwargs
    return export_responses(survey or _survey(), rows, fmt, out, **options), out  # type: ignore[arg-type]


EXPECTED_FLAT = [
    ["P-000001", "completed", "2026-03-01T09:30:00+00:00", "2026-03-01T09:35:00+00:00",
     "other", "Kastanie", "park; other", 1, 0, "Schulhof",
     "yes", 4, -2, "Mehr Grün in Hörde", "2026-04-01", "51.5, 7.46", "ab12.jpg"],
    ["P-000002", "active", "2026-03-01T09:30:00+00:00", "",
     "linde", "", "", "", "", "",
     "no", 1, 3.5, "", "", "Westfalenpark", ""],
]  # fmt: skip


def test_csv_round_trip(tmp_path: Path) -> None:
    written, out = _export(tmp_path, "csv", _rows())
    assert written == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads umlauts as UTF-8
    header, *rows = _csv(out)
    assert header == HEADER
    assert rows == [[str(cell) for cell in row] for row in EXPECTED_FLAT]
    assert b"\r\n" in out.read_bytes()  # RFC 4180 line ends


def test_xlsx_round_trip_keeps_numbers_numbers(tmp_path: Path) -> None:
    written, out = _export(tmp_path, "xlsx", _rows())
    assert written == 2
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["baeume-test"]
    header, *rows = _xlsx(out)
    assert header == HEADER
    assert rows == EXPECTED_FLAT
    grad = HEADER.index("grad")
    assert isinstance(rows[0][grad], int) and rows[0][grad] == -2  # a negative number stays a number


def test_json_round_trip_has_typed_values(tmp_path: Path) -> None:
    written, out = _export(tmp_path, "json", _rows())
    first, second = json.loads(out.read_text(encoding="utf-8"))
    assert written == 2
    assert first == {
        "response": "P-000001", "status": "completed",
        "started_at": "2026-03-01T09:30:00+00:00", "completed_at": "2026-03-01T09:35:00+00:00",
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


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_injections_are_defused_in_spreadsheets(tmp_path: Path, fmt: str) -> None:
    rows = [_row(n, "completed", {"wunsch": text, "art": "other", "grad": -5}, {"art": text})
            for n, text in enumerate(INJECTIONS, start=1)]  # fmt: skip
    _export(tmp_path, fmt, rows)
    header, *cells = _csv(tmp_path / "export.csv") if fmt == "csv" else _xlsx(tmp_path / "export.xlsx")
    wunsch, other, grad = header.index("wunsch"), header.index("art.other"), header.index("grad")
    for text, row in zip(INJECTIONS, cells, strict=True):
        # XML reads a carriage return back as a line feed; the quote in front is what matters
        read = [str(row[wunsch]), str(row[other])]
        assert [cell.replace("\r", "\n") for cell in read] == ["'" + text.replace("\r", "\n")] * 2
        assert row[grad] == (-5 if fmt == "xlsx" else "-5")  # a number, not text: no quote


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
