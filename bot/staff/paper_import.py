"""Paper batches as spreadsheets: ``export ID --template`` writes the template, ``import ID FILE`` reads it.

The template (XLSX) has one row per form and one column per question, laid out like
an export: the first header row names the columns in words, the second holds the
ids (``form_number``, the question ids, ``<qid>.other`` for an "other" text), so a
CSV saved from it, or an export's own layout, reads back too. Options are offered
as a dropdown list (data validation on a sheet of lists), numbers and dates are
validated by Excel itself, and a codebook sheet lists every question. Photo
questions have no column: a photo can't come on paper.

The import checks every row with the survey runner (``surveys.paper.read_form``):
the same types, ranges, required questions, constraints and conditions as a chat
answer. Every text cell of the template is written as text, never as a formula
(a label "=HYPERLINK(…)" stays a label). All problems are listed at once, each with its row, column, what is wrong
and how to fix it; nothing is stored while any row is invalid, unless
``--skip-invalid`` stores the valid ones and reports the rest. A form number
already stored for the survey is not stored again, so importing a file twice (or
two files with the same forms) counts every form once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.i18n import translator
from bot.staff.errors import CommandError
from bot.staff.export import ExportStyle, codebook, with_progress
from surveys.answers import AnswerWords, Refusal
from surveys.model import Question, Survey
from surveys.paper import CellProblem, FormAnswers, read_form
from surveys.question_types import kind_of

__all__ = [
    "FORM_NUMBER",
    "ImportedRow",
    "ReadRows",
    "answer_words",
    "describe_problem",
    "read_rows",
    "template_columns",
    "write_template",
]

FORM_NUMBER = "form_number"
TEMPLATE_ROWS = 5000  # rows that get the dropdowns and checks
MAX_LISTED = 12  # options named in a problem's fix


def answer_words(language: str) -> AnswerWords:
    """The yes/no/today/other words of ``language``, as the chat reads them."""
    from bot.dialogue.turn import answer_words_of

    return answer_words_of(translator(language))


@dataclass(frozen=True)
class TemplateColumn:
    id: str  # form_number, a question id, or <qid>.other
    label: str
    question: Question | None = None
    other: bool = False


def template_columns(survey: Survey, language: str, labels: dict[str, str]) -> list[TemplateColumn]:
    """The form number, then each question that paper can answer, and its "other" text."""
    columns = [TemplateColumn(FORM_NUMBER, labels["form_number"])]
    for question in survey.questions:
        if not question.answerable or not kind_of(question).on_paper:
            continue  # a photo can't come on paper
        text = question.text.get(language)
        columns.append(TemplateColumn(question.id, text, question))
        if question.other:
            columns.append(
                TemplateColumn(f"{question.id}.other", f"{text} – {labels['other_answers']}", question, True)
            )
    return columns


def _choice_labels(question: Question, language: str) -> list[str]:
    """The answers a problem's fix names: the labels the printed form ticks."""
    return [box.label for box in kind_of(question).paper(question, translator(language)).boxes]


def write_template(survey: Survey, out: Path, style: ExportStyle) -> int:
    """The spreadsheet to type paper forms into; returns the number of question columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    labels = dict(style.labels)
    columns = template_columns(survey, style.language, labels)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = labels["answers_sheet"]
    lists = workbook.create_sheet(labels["lists_sheet"])
    bold, quiet = Font(bold=True), Font(italic=True, color="595959")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index, column.label).font = bold
        sheet.cell(2, index, column.id).font = quiet
        sheet.column_dimensions[letter].width = min(40, max(12, len(column.label) + 2))
        cells = f"{letter}3:{letter}{TEMPLATE_ROWS + 2}"
        validation = _validation(column, style.language, lists, index, labels, DataValidation)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(cells)
    sheet.freeze_panes = "B3"
    lists.sheet_state = "hidden"
    book = workbook.create_sheet(labels["codebook"])
    for line in codebook(survey, style):
        book.append(line)
    for index, width in enumerate((12, 6, 60, 10, 80), start=1):
        book.column_dimensions[get_column_letter(index)].width = width
    for each in workbook.worksheets:  # texts of the file (labels, options) are never formulas
        for row in each.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    partial = out.with_name(out.name + ".part")
    try:
        workbook.save(partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return len(columns) - 1


def _validation(
    column: TemplateColumn, language: str, lists: Any, index: int, labels: dict[str, str], validation: Any
) -> Any:
    """The dropdown or check of one column, as its question type says (``Kind.cell_check``)."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    question = column.question
    if question is None or column.other:
        return None
    wanted = kind_of(question).cell_check(question, translator(language))
    if wanted is None:
        return None
    if wanted.check == "list":
        letter = get_column_letter(index)
        for row, label in enumerate(wanted.choices, start=1):
            lists.cell(row, index, label)
        source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(wanted.choices)}"
        check = validation(type="list", formula1=f"={source}", allow_blank=True)
        check.error = labels["pick_from_list"]
        return check
    if wanted.check in ("whole", "decimal"):
        low = wanted.low if wanted.low is not None else -1e15
        high = wanted.high if wanted.high is not None else 1e15
        check = validation(
            type=wanted.check, operator="between", formula1=_figure(low), formula2=_figure(high), allow_blank=True
        )
        check.error = labels["number_range"].format(min=_figure(low), max=_figure(high))
        return check
    if wanted.check == "date":
        return validation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    check = validation(type="custom", formula1="TRUE", allow_blank=True)
    check.prompt = wanted.note
    check.showInputMessage = True
    return check


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- reading a batch ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedRow:
    """One form of the file: its row number, form number and what the runner made of it."""

    row: int
    form_number: str
    result: FormAnswers
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.problems and self.result.valid


@dataclass(frozen=True)
class ReadRows:
    rows: list[ImportedRow]
    file_problems: list[str]  # about the file as a whole (columns, duplicate form numbers)


def _table(path: Path) -> Iterator[list[object]]:
    """The cells of the file's first sheet (XLSX) or of the CSV file, row by row."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield list(values)
        finally:
            workbook.close()
        return
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield list[object](row)
        return
    raise CommandError(f"{path} is neither .xlsx nor .csv: save the batch as one of them (the template is .xlsx)")


def _ids_row(table: list[list[object]], path: Path) -> int:
    for number, row in enumerate(table[:5]):
        if any(isinstance(cell, str) and cell.strip() == FORM_NUMBER for cell in row):
            return number
    raise CommandError(
        f"{path}: no header row with the column ids (form_number, the question ids) in its first rows: "
        "start from the template, 'mitwirken export ID --template -o vorlage.xlsx'"
    )


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _cell_text(cell: object) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def read_rows(
    survey: Survey, path: Path, *, today: dt.date, words: AnswerWords, language: str, progress: bool = False
) -> ReadRows:
    """Every form of the file, checked; the problems worded for staff."""
    table = list(_table(path))
    header = _ids_row(table, path)
    ids = [str(cell).strip() if cell is not None else "" for cell in table[header]]
    known = {q.id for q in survey.questions if q.answerable} | {f"{q.id}.other" for q in survey.questions if q.other}
    file_problems = [
        f"{path.name}: column {_letter(i)} ('{cid}'): no question of '{survey.id}' has this id — "
        "remove the column, or correct its id in the ids row (see the codebook sheet)"
        for i, cid in enumerate(ids)
        if cid and cid != FORM_NUMBER and cid not in known
    ]
    where = {cid: i for i, cid in enumerate(ids) if cid}
    body = [(number + 1, row) for number, row in enumerate(table) if number > header]
    rows: list[ImportedRow] = []
    seen: dict[str, int] = {}
    for number, cells in with_progress(body, len(body), "Import") if progress else body:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        row = _read_row(survey, path, number, cells, where, today=today, words=words, language=language)
        form = row.form_number
        if form and form in seen:
            twice = (
                f"{path.name}: row {number}, column {_letter(where[FORM_NUMBER])} ({FORM_NUMBER}): form number "
                f"{form} is also in row {seen[form]} — each paper form has its own number: correct one of them"
            )
            row = replace(row, problems=(*row.problems, twice))
        seen.setdefault(form, number)
        rows.append(row)
    return ReadRows(rows, file_problems)


def _read_row(
    survey: Survey,
    path: Path,
    number: int,
    cells: Sequence[object],
    where: dict[str, int],
    *,
    today: dt.date,
    words: AnswerWords,
    language: str,
) -> ImportedRow:
    def cell(cid: str) -> object:
        index = where.get(cid)
        return cells[index] if index is not None and index < len(cells) else None

    raw_form = cell(FORM_NUMBER)
    form = _cell_text(raw_form).strip() if raw_form is not None else ""
    questions = [q for q in survey.questions if q.answerable]
    values = {q.id: cell(q.id) for q in questions}
    others = {q.id: cell(f"{q.id}.other") for q in questions if q.other}
    result = read_form(survey, values, others, today=today, words=words)
    problems = [
        describe_problem(survey, problem, language, where=f"{path.name}: row {number}", column=where, cells=cells)
        for problem in result.problems
    ]
    if not form:
        problems.insert(
            0,
            f"{path.name}: row {number}, column {_letter(where[FORM_NUMBER])} ({FORM_NUMBER}): no form number — "
            "write the number printed or stamped on the paper form",
        )
    return ImportedRow(number, form, result, tuple(problems))


def describe_problem(
    survey: Survey,
    problem: CellProblem,
    language: str,
    *,
    where: str,
    column: dict[str, int] | None = None,
    cells: Sequence[object] = (),
) -> str:
    """One problem as staff read it: where, what is wrong, and how to fix it."""
    from bot.dialogue.questions import refusal_text

    question = survey.question(problem.question_id)
    assert question is not None
    cid = f"{question.id}.other" if problem.other else question.id
    index = column.get(cid) if column else None
    place = f"{where}, column {_letter(index)} ({cid})" if index is not None else f"{where} ({cid})"
    written = cells[index] if index is not None and index < len(cells) else None
    shown = f"'{_cell_text(written)}'" if written is not None and str(written).strip() else "empty"
    if problem.hidden and problem.other:
        return (
            f"{place}: {shown}, but '{question.id}' is not answered with the other option — "
            "empty this cell, or choose the other option in the question's column"
        )
    if problem.hidden:
        reason = f"show_if: {question.show_if}" if question.show_if else "an earlier answer ends the form"
        return (
            f"{place}: {shown}, but the answers before it leave this question out ({reason}) — "
            "check those answers on the paper form; if they are right, empty this cell"
        )
    assert problem.reason is not None
    code = problem.reason.code
    english = translator("en")
    if code is Refusal.REQUIRED:
        return (
            f"{place}: empty, but the question must be answered — fill it in from the form; "
            "a form without it can't be counted (--skip-invalid leaves such forms out)"
        )
    if code is Refusal.NOT_AN_OPTION:
        options = _choice_labels(question, language)
        listed = ", ".join(f"'{o}'" for o in options[:MAX_LISTED]) + (" …" if len(options) > MAX_LISTED else "")
        extra = " (several separated by ;)" if kind_of(question).toggles else ""
        return f"{place}: {shown} is not an option — write one of {listed}{extra}"
    if problem.other and code is Refusal.EMPTY:
        return (
            f"{place}: empty, but '{question.id}' is answered with '{english.gettext('Other')}' — "
            "copy the other answer's words from the form into this cell"
        )
    custom = problem.message.get(language) if problem.message else None
    fix = refusal_text(english, problem.reason, custom, question)
    return f"{place}: {shown} is not accepted — {fix}"


def answer_changes(result: FormAnswers) -> list[tuple[str, str, object, str | None]]:
    """(question id, type, value, other text) of a checked form, for ``Transaction.store_form``."""
    return [(qid, qtype, value, other) for qid, (qtype, value, other) in result.answers.items()]


def same_answers(stored: Iterable[Any], result: FormAnswers) -> bool:
    """Whether a stored form (its ``AnswerRecord`` list) holds exactly the answers of ``result``."""
    have = {a.question_id: (a.value, a.other_text) for a in stored}
    want = {qid: (value, other) for qid, (_type, value, other) in result.answers.items()}
    return have == want
