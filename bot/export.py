"""Export of a survey's responses to CSV, XLSX or JSON: one row per response.

Columns: ``response`` (the pseudonym — never a platform id), ``status``,
``started_at``, ``completed_at`` (ISO 8601, UTC), then per answerable question
a column named by its id. A ``multi`` question adds one 0/1 column per option
(``<qid>.<option>``); a question with ``other = true`` adds ``<qid>.other``
with the free text (whether "other" was chosen shows in the question's own
column). Skipped and unasked questions are empty cells (``null`` in JSON).

Spreadsheet cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return (also after leading whitespace) get a leading ``'`` so no
spreadsheet runs a citizen's text as a formula (OWASP "CSV injection").
Numbers stay numbers. JSON keeps typed values and needs no such guard.

Rows are streamed: CSV and JSON are written row by row, XLSX in openpyxl's
write-only mode, so memory stays bounded for 100,000 responses. The file
appears under its name only when it is complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storage.records import AnswerRecord, ResponseRecord
from surveys.model import Question, QuestionType, Survey
from surveys.results import counts_in_results, location_text

__all__ = ["Column", "ExportFormat", "export_responses", "spreadsheet_safe", "write_rows"]

ExportFormat = Literal["csv", "xlsx", "json"]
Row = tuple[ResponseRecord, Mapping[str, AnswerRecord]]

_FORMULA_STARTS = ("=", "+", "-", "@")
_CONTROL_STARTS = ("\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` that no spreadsheet will read as a formula."""
    if text.startswith(_CONTROL_STARTS) or text.lstrip().startswith(_FORMULA_STARTS + _CONTROL_STARTS):
        return "'" + text
    return text


# --- values -----------------------------------------------------------------------------


def _file_name(value: object) -> str | None:
    path = value.get("path") if isinstance(value, Mapping) else None
    return PurePath(str(path)).name if path else None




def _flat(question: Question, value: object) -> object:
    """The spreadsheet cell of an answer: a number or a string."""
    if value is None:
        return ""
    match question.type:
        case QuestionType.MULTI:
            return "; ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        case QuestionType.YESNO:
            return "yes" if value else "no"
        case QuestionType.SCALE | QuestionType.NUMBER if isinstance(value, int | float):
            return value
        case QuestionType.LOCATION:
            return location_text(value)
        case QuestionType.PHOTO:
            return _file_name(value) or ""
    return str(value)


def _typed(question: Question, value: object) -> object:
    """The JSON value of an answer."""
    if question.type is QuestionType.PHOTO and value is not None:
        return _file_name(value)
    return value


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # the store hands out UTC; a naive value can only be UTC too
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    header: str
    typed: Callable[[Row], object] | None  # the JSON value; None: a spreadsheet convenience, not in JSON
    flat: Callable[[Row], object] | None = None  # the spreadsheet cell, where it differs from the JSON value

    def cell(self, row: Row) -> object:
        if self.flat is not None:
            return self.flat(row)
        value = self.typed(row) if self.typed is not None else None
        return "" if value is None else value


def _answer(row: Row, question_id: str) -> AnswerRecord | None:
    return row[1].get(question_id)


def _value(row: Row, question_id: str) -> object:
    answer = _answer(row, question_id)
    return None if answer is None else answer.value


def _record_columns() -> list[_Column]:
    return [
        _Column("response", lambda row: row[0].pseudonym),
        _Column("status", lambda row: row[0].status),
        _Column("started_at", lambda row: _iso(row[0].started_at)),
        _Column("completed_at", lambda row: _iso(row[0].completed_at)),
    ]


def _option_flag(question: Question, option_id: str) -> Callable[[Row], object]:
    def flag(row: Row) -> object:
        value = _value(row, question.id)
        if value is None:
            return ""
        chosen = value if isinstance(value, list | tuple) else [value]
        return int(option_id in chosen)

    return flag


def _other_text(question: Question) -> Callable[[Row], object]:
    def text(row: Row) -> object:
        answer = _answer(row, question.id)
        return None if answer is None else answer.other_text

    return text


def _question_columns(question: Question) -> list[_Column]:
    qid = question.id
    columns = [
        _Column(qid, lambda row: _typed(question, _value(row, qid)), lambda row: _flat(question, _value(row, qid)))
    ]
    if question.type is QuestionType.MULTI:
        columns += [_Column(f"{qid}.{o.id}", None, _option_flag(question, o.id)) for o in question.options]
    if question.other:
        columns.append(_Column(f"{qid}.other", _other_text(question)))
    return columns


def _columns(survey: Survey) -> list[_Column]:
    columns = _record_columns()
    for question in survey.questions:
        if question.answerable:
            columns += _question_columns(question)
    return columns


# --- writers ----------------------------------------------------------------------------


def _spreadsheet_cells(columns: Sequence[_Column], row: Row) -> list[object]:
    cells = (column.cell(row) for column in columns)
    return [spreadsheet_safe(c) if isinstance(c, str) else c for c in cells]


def _write_csv(columns: Sequence[_Column], rows: Iterable[Row], out: Path) -> int:
    written = 0
    # utf-8-sig: the byte order mark makes Excel read umlauts as UTF-8
    with out.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow(_spreadsheet_cells(columns, row))
            written += 1
    return written


def _xlsx_cell(cell: object) -> object:
    # XML 1.0 forbids most control characters; openpyxl refuses them rather than dropping them
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


def _write_xlsx(columns: Sequence[_Column], rows: Iterable[Row], out: Path, sheet: str) -> int:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])  # Excel's limit for sheet names
    worksheet.append([c.header for c in columns])
    written = 0
    for row in rows:
        worksheet.append([_xlsx_cell(c) for c in _spreadsheet_cells(columns, row)])
        written += 1
    workbook.save(out)
    return written


def _write_json(columns: Sequence[_Column], rows: Iterable[Row], out: Path) -> int:
    typed = [(c.header, c.typed) for c in columns if c.typed is not None]
    written = 0
    with out.open("w", encoding="utf-8") as file:
        file.write("[")
        for row in rows:
            item = {header: value(row) for header, value in typed}
            file.write(("\n" if written == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
            written += 1
        file.write("\n]\n")
    return written


# --- the export -------------------------------------------------------------------------


def _rows(survey: Survey, rows: Iterable[tuple[ResponseRecord, Sequence[AnswerRecord]]]) -> Iterator[Row]:
    for record, answers in rows:
        if counts_in_results(survey, record.status):
            yield record, {a.question_id: a for a in answers}


def _with_progress(rows: Iterable[Row], total: int | None) -> Iterator[Row]:
    columns = (TextColumn("Export"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("export", total=total)
        for row in rows:
            yield row
            bar.advance(task)


def export_responses(
    survey: Survey,
    rows: Iterable[tuple[ResponseRecord, Sequence[AnswerRecord]]],
    fmt: ExportFormat,
    out: Path,
    *,
    total: int | None,
    progress: bool,
) -> int:
    """Write one row per response of ``survey`` to ``out``; returns the number of rows written."""
    columns = _columns(survey)
    selected = _rows(survey, rows)
    if progress:
        selected = _with_progress(selected, total)
    return write_rows(columns, selected, fmt, out, sheet=survey.id)


Column = _Column  # for other exports (idea calls): a header, the JSON value, the spreadsheet cell


def write_rows(columns: Sequence[_Column], rows: Iterable[Any], fmt: ExportFormat, out: Path, *, sheet: str) -> int:
    """Write ``rows`` as ``fmt`` to ``out``, which appears only once complete; returns the rows written."""
    partial = out.with_name(out.name + ".part")
    try:
        match fmt:
            case "csv":
                written = _write_csv(columns, rows, partial)
            case "xlsx":
                written = _write_xlsx(columns, rows, partial, sheet)
            case "json":
                written = _write_json(columns, rows, partial)
            case _:
                raise ValueError(f"unknown export format {fmt!r}: use csv, xlsx or json")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return written
