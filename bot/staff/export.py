"""Export of a survey's responses to CSV, XLSX or JSON: one row per response.

Spreadsheets (CSV and XLSX) are for people, the council's clerk first: the
first header row names each column in the chosen language (the question's
text, "Frage – Option" for a multi's 0/1 columns), the second row holds the
ids (``response``, ``status``, ``started_at``, ``completed_at``, ``channel``,
``form_number`` and ``batch`` (paper and phone), the question ids, ``<qid>.<option>``
and ``<qid>.other``), so a script can still find its
columns. Values are what people read: option labels, Ja/Nein, the status in
words, the city's local time. Numbers stay numbers; XLSX has real date cells,
a bold frozen header, column widths, a filter and a codebook sheet (every
question's id, text, type and options). JSON is for machines: ids as keys,
typed values (option ids, true/false), times in ISO 8601 UTC.

Formula safety (OWASP "CSV injection"): in CSV a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after leading
whitespace) gets a leading ``'``. XLSX cells are written with the string type
itself, so a spreadsheet never evaluates them and shows the text as written,
without a visible quote.

Rows are streamed: CSV and JSON row by row, XLSX in openpyxl's write-only
mode, so memory stays bounded for 100,000 responses. The file appears under
its name only when it is complete; ``-`` as the file writes to stdout.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from adapters.base import clean_text
from bot.staff.words import channel_name, staff_words
from storage.records import AnswerRecord, ResponseRecord

if TYPE_CHECKING:  # openpyxl is imported when a spreadsheet is written: it imports numpy, when installed
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from surveys.answers import OTHER
from surveys.model import Question, Survey
from surveys.question_types import kind_of
from surveys.results import counts_in_results

__all__ = [
    "Column",
    "ExportFormat",
    "ExportStyle",
    "Sheet",
    "codebook",
    "export_responses",
    "format_for",
    "iso_utc",
    "spreadsheet_safe",
    "with_progress",
    "write_rows",
]

T = TypeVar("T")

ExportFormat = Literal["csv", "xlsx", "json"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "json")
_FORMAT_NAMES: dict[str, ExportFormat] = {name: name for name in FORMATS}
Row = tuple[ResponseRecord, Mapping[str, AnswerRecord]]

_FORMULA_STARTS = ("=", "+", "-", "@")
_CONTROL_STARTS = ("\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` that no spreadsheet will read as a formula (for CSV, which has no cell types)."""
    if text.startswith(_CONTROL_STARTS) or text.lstrip().startswith(_FORMULA_STARTS + _CONTROL_STARTS):
        return "'" + text
    return text


def format_for(requested: str | None, output: str | None) -> ExportFormat:
    """The format asked for, else the one the file name ends in, else CSV."""
    suffix = PurePath(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    if requested is not None:
        if suffix in FORMATS and suffix != requested:
            raise ValueError(
                f"the file name ends in .{suffix} but --format is {requested}: drop --format or make them agree"
            )
        return _FORMAT_NAMES[requested]
    return _FORMAT_NAMES.get(suffix, "csv")


@dataclass(frozen=True)
class ExportStyle:
    """How spreadsheet cells read: the language of labels, the city's time zone, the CSV delimiter.

    With ``;`` as delimiter (German Excel) decimal numbers are written with a comma."""

    language: str = "de"
    zone: dt.tzinfo = dt.UTC
    delimiter: str = ","

    @property
    def labels(self) -> Mapping[str, str]:
        return staff_words(self.language)

    def local(self, moment: dt.datetime | None) -> dt.datetime | None:
        """``moment`` in the city's time, without zone (what a spreadsheet date cell holds)."""
        return None if moment is None else _utc(moment).astimezone(self.zone).replace(tzinfo=None)


# --- values -----------------------------------------------------------------------------


def _flat(question: Question, value: object, style: ExportStyle) -> object:
    """The spreadsheet cell of an answer, as people read it: a label, a number or a date."""
    return None if value is None else kind_of(question).cell(question, value, style.language, style.labels)


def _typed(question: Question, value: object) -> object:
    """The JSON value of an answer."""
    return None if value is None else kind_of(question).typed(question, value)


def iso_utc(moment: dt.datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC (JSON exports)."""
    return None if moment is None else _utc(moment).isoformat(timespec="seconds")


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored time in UTC; the store hands out UTC, so a naive value can only be UTC too."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an export: its id (JSON key, second header row), its label (first header
    row), the JSON value and the spreadsheet cell where that differs from the JSON value."""

    id: str
    label: str
    typed: Callable[[Any], object] | None  # None: a spreadsheet convenience, not in JSON
    flat: Callable[[Any], object] | None = None

    def cell(self, row: Any) -> object:
        if self.flat is not None:
            return self.flat(row)
        return self.typed(row) if self.typed is not None else None


def _answer(row: Row, question_id: str) -> AnswerRecord | None:
    return row[1].get(question_id)


def _value(row: Row, question_id: str) -> object:
    answer = _answer(row, question_id)
    return None if answer is None else answer.value


def _record_columns(style: ExportStyle) -> list[Column]:
    labels = style.labels
    return [
        Column("response", labels["response"], lambda row: row[0].pseudonym),
        Column(
            "status",
            labels["status"],
            lambda row: row[0].status,
            lambda row: labels.get(f"status.{row[0].status}", row[0].status),
        ),
        Column(
            "started_at",
            labels["started_at"],
            lambda row: iso_utc(row[0].started_at),
            lambda row: _when(row[0], row[0].started_at, style),
        ),
        Column(
            "completed_at",
            labels["completed_at"],
            lambda row: iso_utc(row[0].completed_at),
            lambda row: _when(row[0], row[0].completed_at, style),
        ),
        Column(
            "channel",
            labels["channel"],
            lambda row: row[0].channel,
            lambda row: channel_name(row[0].channel, style.language),
        ),
        Column("form_number", labels["form_number"], lambda row: row[0].form_number),
        Column("batch", labels["batch"], lambda row: row[0].batch),
    ]


def _when(record: ResponseRecord, moment: dt.datetime | None, style: ExportStyle) -> object:
    """A response's time in the city's time; a detached anonymous response keeps only its day."""
    if moment is None or record.status != "anonymous":
        return style.local(moment)
    return _utc(moment).date()


def _option_flag(question: Question, option_id: str) -> Callable[[Row], object]:
    def flag(row: Row) -> object:
        value = _value(row, question.id)
        if value is None:
            return None
        chosen = value if isinstance(value, list | tuple) else [value]
        return int(option_id in chosen)

    return flag


def _other_text(question: Question) -> Callable[[Row], object]:
    def text(row: Row) -> object:
        answer = _answer(row, question.id)
        return None if answer is None else answer.other_text

    return text


def _question_columns(question: Question, style: ExportStyle) -> list[Column]:
    qid = question.id
    text = question.text.get(style.language)
    columns = [
        Column(
            qid,
            text,
            lambda row: _typed(question, _value(row, qid)),
            lambda row: _flat(question, _value(row, qid), style),
        )
    ]
    if kind_of(question).column_per_option:
        columns += [
            Column(f"{qid}.{o.id}", f"{text} – {o.label.get(style.language)}", None, _option_flag(question, o.id))
            for o in question.options
        ]
    if question.other:
        columns.append(Column(f"{qid}.other", f"{text} – {style.labels['other_answers']}", _other_text(question)))
    return columns


def _columns(survey: Survey, style: ExportStyle) -> list[Column]:
    columns = _record_columns(style)
    for question in survey.questions:
        if question.answerable:
            columns += _question_columns(question, style)
    return columns


def codebook(survey: Survey, style: ExportStyle) -> list[list[object]]:
    """One line per question: its columns, number, text, type and options (id = label)."""
    labels = style.labels
    lines: list[list[object]] = [
        [labels["column"], labels["number"], labels["question"], labels["type"], labels["options"]]
    ]
    answerable = [q for q in survey.questions if q.answerable]
    for number, question in enumerate(answerable, start=1):
        options = [f"{o.id} = {o.label.get(style.language)}" for o in question.options]
        if question.other:
            options.append(f"{OTHER} = {labels['other']}")
        lines.append([question.id, number, question.text.get(style.language), question.type.value, "; ".join(options)])
    return lines


# --- writers ----------------------------------------------------------------------------


@dataclass
class Sheet:
    """What a writer needs: the columns, the rows, the sheet's name and any extra sheets (codebook)."""

    columns: Sequence[Column]
    rows: Iterable[Any]
    name: str
    style: ExportStyle = field(default_factory=ExportStyle)
    extra: Mapping[str, list[list[object]]] = field(default_factory=dict)


def _csv_cell(cell: object, style: ExportStyle) -> object:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return spreadsheet_safe(clean_text(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and style.delimiter == ";":
        return str(cell).replace(".", ",")
    return cell


def _write_csv(sheet: Sheet, out: Path) -> int:
    written = 0
    # utf-8-sig: the byte order mark makes Excel read umlauts as UTF-8
    with out.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=sheet.style.delimiter)
        writer.writerow([spreadsheet_safe(c.label) for c in sheet.columns])
        writer.writerow([c.id for c in sheet.columns])
        for row in sheet.rows:
            writer.writerow([_csv_cell(c.cell(row), sheet.style) for c in sheet.columns])
            written += 1
    return written


def _xlsx_text(text: str) -> str:
    # XML 1.0 forbids most control characters; openpyxl refuses them rather than dropping them
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", clean_text(text)))


class _XlsxCells:
    """Cells for openpyxl's write-only sheets: strings typed as strings, dates formatted."""

    def __init__(self, worksheet: WriteOnlyWorksheet, style: ExportStyle) -> None:
        self.worksheet = worksheet
        german = style.language.startswith("de")
        self.datetime_format = "DD.MM.YYYY HH:MM" if german else "YYYY-MM-DD HH:MM"
        self.date_format = "DD.MM.YYYY" if german else "YYYY-MM-DD"

    def cell(self, value: object, *, font: Font | None = None) -> WriteOnlyCell:
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str):
            cell = WriteOnlyCell(self.worksheet)
            cell.value = _xlsx_text(value)
            cell.data_type = "s"  # never "f": a citizen's "=HYPERLINK(…)" stays text, shown as written
        else:
            cell = WriteOnlyCell(self.worksheet, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = self.datetime_format
            elif isinstance(value, dt.date):
                cell.number_format = self.date_format
        if font is not None:
            cell.font = font
        return cell


def _width(label: str) -> float:
    return float(min(50, max(10, len(label) + 2)))


def _write_xlsx(sheet: Sheet, out: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet.name[:31])  # Excel's limit for sheet names
    cells = _XlsxCells(worksheet, sheet.style)
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = _width(column.label)
    worksheet.freeze_panes = "B3"  # both header rows and the response column stay in view
    last = get_column_letter(max(1, len(sheet.columns)))
    worksheet.auto_filter.ref = f"A2:{last}2"
    bold, quiet = Font(bold=True), Font(italic=True, color="595959")
    worksheet.append([cells.cell(c.label, font=bold) for c in sheet.columns])
    worksheet.append([cells.cell(c.id, font=quiet) for c in sheet.columns])
    written = 0
    for row in sheet.rows:
        worksheet.append([cells.cell(c.cell(row)) for c in sheet.columns])
        written += 1
    for title, lines in sheet.extra.items():
        extra = workbook.create_sheet(title=title[:31])
        extra_cells = _XlsxCells(extra, sheet.style)
        widths = [12, 6, 60, 10, 80]
        for index, width in enumerate(widths[: len(lines[0]) if lines else 0], start=1):
            extra.column_dimensions[get_column_letter(index)].width = width
        for number, line in enumerate(lines):
            extra.append([extra_cells.cell(v, font=bold if number == 0 else None) for v in line])
    workbook.save(out)
    return written


def _write_json(sheet: Sheet, out: Path) -> int:
    typed = [(c.id, c.typed) for c in sheet.columns if c.typed is not None]
    written = 0
    with out.open("w", encoding="utf-8") as file:
        file.write("[")
        for row in sheet.rows:
            item = {key: value(row) for key, value in typed}
            file.write(("\n" if written == 0 else ",\n") + clean_text(json.dumps(item, ensure_ascii=False)))
            written += 1
        file.write("\n]\n")
    return written


_WRITERS: dict[str, Callable[[Sheet, Path], int]] = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}


# --- the export -------------------------------------------------------------------------


def _rows(survey: Survey, rows: Iterable[tuple[ResponseRecord, Sequence[AnswerRecord]]]) -> Iterator[Row]:
    for record, answers in rows:
        if counts_in_results(survey, record.status):
            yield record, {a.question_id: a for a in answers}


def with_progress(rows: Iterable[T], total: int | None, label: str = "Export") -> Iterator[T]:
    """``rows`` passed through, a progress bar on stderr counting them (``label`` before it)."""
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=total)
        for row in rows:
            yield row
            bar.advance(task)


def export_responses(
    survey: Survey,
    rows: Iterable[tuple[ResponseRecord, Sequence[AnswerRecord]]],
    fmt: ExportFormat,
    out: Path | None,
    *,
    total: int | None,
    progress: bool,
    style: ExportStyle | None = None,
) -> int:
    """Write one row per response of ``survey`` to ``out`` (None: stdout); returns the rows written."""
    style = style or ExportStyle(language=survey.languages[0] if survey.languages else "de")
    selected: Iterable[Row] = _rows(survey, rows)
    if progress:
        selected = with_progress(selected, total)
    sheet = Sheet(
        _columns(survey, style), selected, survey.id, style, {style.labels["codebook"]: codebook(survey, style)}
    )
    return write_rows(sheet, fmt, out)


def write_rows(sheet: Sheet, fmt: ExportFormat, out: Path | None) -> int:
    """Write ``sheet`` as ``fmt`` to ``out``, which appears only once complete (None: to stdout)."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}: use csv, xlsx or json")
    if out is None:
        with tempfile.TemporaryDirectory() as folder:
            partial = Path(folder) / f"export.{fmt}"
            written = writer(sheet, partial)
            with partial.open("rb") as source:
                shutil.copyfileobj(source, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return written
    partial = out.with_name(out.name + ".part")
    try:
        written = writer(sheet, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return written
