"""An XLSForm, as pyxform read it, made into the text of a survey file (format 1) and notes for staff.

Pure: the caller reads the spreadsheet with pyxform (``bot.staff.xlsform_import``)
and hands in pyxform's JSON form together with the rows of its sheets, which
give every note its row number. The result is loaded again by the survey
loader before it is handed out: what ``convert`` returns with a text is a file
that ``mitwirken check`` accepts, keeping the form's names as ids wherever
they are valid ids of ours.

Each question type says which XLSForm types it takes (``Kind.xlsform_types``)
and what its own keys become (``Kind.from_xlsform``); conditions are
translated by ``surveys.xlsform.expressions``.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.conditions import parse_condition
from surveys.conditions.nodes import Or
from surveys.loader import parse_process
from surveys.loader.process import MAX_TITLE
from surveys.loader.questions import RESERVED_IDS
from surveys.question_types import KINDS, Kind
from surveys.xlsform.expressions import Subject, Untranslatable, translate
from surveys.xlsform.names import DEFAULT_LANGUAGE, language_code, option_id, question_id, survey_id
from surveys.xlsform.notes import Note, Severity
from surveys.xlsform.toml_text import comment, question_block, value

__all__ = ["Conversion", "Workbook", "convert"]

_BY_XLSFORM: dict[str, Kind] = {t: kind for kind in KINDS.values() for t in kind.xlsform_types}
_KINDS_BY_NAME = {kind.type.value: kind for kind in KINDS.values()}
_INFO = next(name for name, kind in _KINDS_BY_NAME.items() if not kind.answerable)  # a group's label becomes one
# Fields a form computes or collects by itself: nobody is asked, so nothing is imported.
_NOT_ASKED = frozenset(
    {
        "calculate", "start", "end", "today", "deviceid", "phonenumber", "username", "email", "simserial",
        "subscriberid", "audit", "hidden", "start-geopoint", "background-audio", "xml-external", "csv-external",
        "uri:deviceid", "uri:email", "uri:phonenumber", "uri:subscriberid", "uri:simserial", "uri:username",
    }
)  # fmt: skip
_OR_OTHER = re.compile(r"\s(or_other|or specify other|or other)\s*$")
_TRUE = frozenset({"yes", "true", "true()", "1"})
_FALSE = frozenset({"no", "false", "false()", "0", ""})
_REFERENCE_IN_TEXT = re.compile(r"\$\{[^}]*\}")
_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>|\*\*|__|^#+ ", re.MULTILINE)
# Columns of the survey sheet with nothing to go to; noted once per column, with their rows.
_DROPPED = {
    "appearance": "the bot asks every question the same way",
    "default": "a survey question starts without an answer",
    "guidance_hint": "only 'hint' is shown",
    "media": "images, audio and video beside a question are not shown",
    "choice_filter": "every option is offered",
    "read_only": "every question is asked",
    "calculation": "nothing is calculated",
    "trigger": "nothing is recalculated",
    "repeat_count": "a repeat is asked once",
    "jr:requiredMsg": "the bot says the answer is required in its own words",
}

# A key of the written file → the survey sheet's column it came from (for the loader's problems).
_COLUMN_OF_KEY = {
    "text": "label",
    "hint": "hint",
    "required": "required",
    "show_if": "relevant",
    "constraint": "constraint",
    "constraint_message": "constraint_message",
    "min": "parameters",
    "max": "parameters",
}


@dataclass(frozen=True)
class Workbook:
    """An XLSForm as pyxform read it: the form, and the rows of its sheets for row numbers."""

    form: Mapping[str, Any]  # pyxform's JSON form (``pyxform.xls2json.workbook_to_json``)
    survey_rows: Sequence[Mapping[str, Any]]  # the survey sheet as read, from row 2, empty rows included
    choice_rows: Sequence[Mapping[str, Any]] = ()  # the choices sheet, likewise
    settings: Mapping[str, Any] = field(default_factory=dict)  # the settings sheet's (first) row
    name: str = "form"  # the file's name without extension: the survey's id if the form has no form_id


@dataclass(frozen=True)
class Conversion:
    """The survey file's text (None when there are errors) and every note, in the order of the form."""

    text: str | None
    notes: tuple[Note, ...]
    survey_id: str = ""
    languages: tuple[str, ...] = ()
    questions: int = 0

    @property
    def errors(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if n.severity == "error")


def convert(workbook: Workbook, *, language: str = "de", file: str = "survey.toml") -> Conversion:
    """The survey file for ``workbook``; ``language`` is the language of texts in columns without
    ``::language``; ``file`` names the written file in the check's messages."""
    return _Converter(workbook, language, file).run()


@dataclass
class _Question:
    """One question of the form as a ``Kind`` sees it (``surveys.question_types.base.XLSFormQuestion``)."""

    xlsform_type: str
    parameters: Mapping[str, str]
    options: list[dict[str, str]]
    or_other: bool
    converter: _Converter
    row: int | None

    def warn(self, message: str, hint: str | None = None, *, column: str = "type") -> None:
        self.converter.note(message, hint, row=self.row, column=column)


class _Converter:
    def __init__(self, workbook: Workbook, language: str, file: str) -> None:
        self.workbook = workbook
        self.form = workbook.form
        self.default_code = language
        self.file = file
        self.notes: list[Note] = []
        self.rows = _rows_by_name(workbook.survey_rows)
        self.choice_rows = _choice_rows(workbook.choice_rows)
        # XLSForm name → what a condition may use of it: its Subject, or why it can't be named
        self.named: dict[str, Subject | str] = {
            name: f"'{name}' comes later (row {rows[0]}): a condition can only use answers given before it"
            for name, rows in self.rows.items()
            if rows
        }
        self.taken: set[str] = set()
        self.blocks: list[str] = []
        self.block_rows: list[int | None] = []
        self.dropped: dict[str, list[int]] = {}
        self.codes: dict[str, str] = {}
        self.languages: tuple[str, ...] = ()

    # --- notes -----------------------------------------------------------------------

    def note(
        self,
        message: str,
        hint: str | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str = "survey",
        severity: Severity = "warning",
    ) -> None:
        self.notes.append(Note(message, hint, sheet, row, column, severity))

    # --- the whole form ----------------------------------------------------------------

    def run(self) -> Conversion:
        self.languages = self.read_languages()
        if any(n.severity == "error" for n in self.notes):
            return Conversion(None, tuple(self.notes))
        process_id = self.read_id()
        title = self.read_title()
        self.walk(self.form.get("children", ()), None)
        for column, rows in self.dropped.items():
            shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
            rows_word = "row" if len(rows) == 1 else "rows"
            self.note(f"column {column} is not imported ({rows_word} {shown})", _DROPPED.get(column), column=column)
        if not self.blocks:
            self.note("the form has no question that can be imported", "see the notes above", sheet="")
            return Conversion(None, tuple(self.notes))
        self.note(
            "the form does not say when the survey opens and closes, who runs it, or what participants read "
            "first and last",
            f"fill in closes, contact, intro and outro in the commented lines at the top of {self.file}",
            sheet="",
        )
        text = self.header(process_id, title) + "".join(self.blocks)
        return self.verified(text, process_id)

    def header(self, process_id: str, title: Any) -> str:
        lines = [
            comment("Imported from an XLSForm with 'mitwirken import-xlsform'. Still to fill in before publishing:"),
            '# intro = "…"      # shown before the first question: what the survey is about, how long it takes',
            '# outro = "…"      # shown at the end: thanks, and when the results follow',
            '# contact = "…"    # who runs this survey and how to reach them',
            "# opens = 2027-01-01T00:00:00+01:00   # without it the survey is open once the file is served",
            "# closes = 2027-12-31T23:59:00+01:00  # without it the survey stays open",
            "format = 1",
            f"id = {value(process_id)}",
            f"title = {value(title)}",
            f"languages = {value(list(self.languages))}",
        ]
        return "\n".join(lines) + "\n"

    def verified(self, text: str, process_id: str) -> Conversion:
        """Load the text as ``mitwirken check`` does; its problems become notes on the rows they come from."""
        tomllib.loads(text)  # a writing mistake here is a bug: let it surface
        survey, problems = parse_process(text, file=self.file, bot_languages=self.languages)
        for problem in problems:
            match = re.match(r"questions\[(\d+)\](?:\.(\w+))?", problem.place)
            row = self.block_rows[int(match.group(1)) - 1] if match else None
            column = _COLUMN_OF_KEY.get(match.group(2) or "") if match else None
            where = f"{self.file}: {problem.place}: " if problem.place else f"{self.file}: "
            self.note(where + problem.message, problem.hint, row=row, column=column, severity=problem.severity)
        count = len(survey.questions) if survey is not None and hasattr(survey, "questions") else 0
        written = text if survey is not None else None
        return Conversion(written, tuple(self.notes), process_id, self.languages, count)

    def read_id(self) -> str:
        settings = self.workbook.settings
        written = str(settings.get("form_id") or "").strip()
        name = written or self.workbook.name
        process_id, why = survey_id(name)
        if why:
            source = f"form_id '{name}'" if written else f"the file name '{name}' (the form has no form_id)"
            self.note(f"{source} became the survey id '{process_id}'", why, sheet="settings", severity="note")
        return process_id

    def read_title(self) -> Any:
        written = self.workbook.settings.get("form_title")
        titles = self.texts(written, sheet="settings", row=2, column="form_title") if written else None
        if titles is None:
            titles = self.workbook.name
            self.note(
                f"the form has no form_title; the title is '{titles}'",
                "write the title participants see in the menu in the TOML file",
                sheet="settings",
            )
        if isinstance(titles, str) and len(titles) > MAX_TITLE:
            self.note(f"the title has {len(titles)} characters; at most {MAX_TITLE} fit", sheet="settings")
        return titles

    def read_languages(self) -> tuple[str, ...]:
        names = dict.fromkeys(_language_names(self.form))
        for name in names:
            if name == DEFAULT_LANGUAGE:
                self.codes[name] = self.default_code
                continue
            code = language_code(name)
            if code is None:
                self.note(
                    f"which language is '{name}'?",
                    f"add its code in brackets to the column names, e.g. label::{name} (xx) with the two-letter code",
                    column=f"label::{name}",
                    severity="error",
                )
            elif code in self.codes.values():
                other = next(n for n, c in self.codes.items() if c == code)
                self.note(
                    f"the languages '{other}' and '{name}' are both '{code}'",
                    "give each language its own code in brackets",
                    column=f"label::{name}",
                    severity="error",
                )
            else:
                self.codes[name] = code
                if f"({code})" not in name.replace(" ", "") and name != code:
                    self.note(f"the language '{name}' was taken as '{code}'", f"write ({code}) after it to be sure",
                              column=f"label::{name}", severity="note")  # fmt: skip
        codes = list(dict.fromkeys(self.codes.values())) or [self.default_code]
        default = str(self.workbook.settings.get("default_language") or "").strip()
        wanted = self.codes.get(default) or (language_code(default) if default else None)
        if DEFAULT_LANGUAGE in names and not wanted:
            wanted = self.default_code
        first = wanted if wanted in codes else ("de" if "de" in codes else codes[0])
        return (first, *(c for c in codes if c != first))

    # --- texts -------------------------------------------------------------------------

    def texts(self, written: Any, *, sheet: str, row: int | None, column: str) -> str | dict[str, str] | None:
        """A text of ours from an XLSForm text (a plain string, or language name → string)."""
        if written is None:
            return None
        pairs = written.items() if isinstance(written, Mapping) else [(DEFAULT_LANGUAGE, written)]
        values: dict[str, str] = {}
        for name, text in pairs:
            cleaned = str(text).strip() if text is not None else ""
            code = self.codes.get(name, self.default_code)
            if cleaned and code in self.languages:
                values.setdefault(code, cleaned)
        if not values:
            return None
        fallback = self.languages[0]
        if fallback not in values:
            used = next(iter(values))
            self.note(
                f"the {column} has no '{fallback}' text, the survey's first language; the '{used}' text stands in",
                f"add the {fallback} text in the spreadsheet or the TOML file",
                sheet=sheet,
                row=row,
                column=column,
            )
            values[fallback] = values[used]
        for text in values.values():
            if _REFERENCE_IN_TEXT.search(text):
                self.note(f"the {column} shows an answer with ${{…}}, which participants will see as written",
                          "rephrase the text without the reference", sheet=sheet, row=row, column=column)  # fmt: skip
                break
        for text in values.values():
            if _MARKUP.search(text):
                self.note(f"the {column} has HTML or Markdown, which participants see as written",
                          "write it as plain text", sheet=sheet, row=row, column=column)  # fmt: skip
                break
        ordered = {code: values[code] for code in self.languages if code in values}
        return ordered[fallback] if len(ordered) == 1 else ordered

    # --- the questions -----------------------------------------------------------------

    def walk(self, children: Iterable[Mapping[str, Any]], shown_if: str | None) -> None:
        for element in children:
            name = str(element.get("name", ""))
            row = self.take_row(name)
            kind = str(element.get("type", ""))
            if kind in ("group", "repeat", "loop"):
                self.section(element, name, kind, row, shown_if)
            elif row is None and _generated(element):
                continue  # pyxform's own: the "specify other" text, the meta group's instanceID
            else:
                self.question(element, name, kind, row, shown_if)

    def take_row(self, name: str) -> int | None:
        rows = self.rows.get(name)
        return rows.popleft() if rows else None

    def section(self, element: Mapping[str, Any], name: str, kind: str, row: int | None, shown_if: str | None) -> None:
        if row is None and name == "meta":
            return  # pyxform adds it: the instance id, nothing asked
        condition = self.condition(element, row, "relevant", shown_if, own=None)
        self.record_dropped(element, row)
        if kind == "group":
            self.note(
                f"group '{name}' is flattened: its questions are asked one by one"
                + (", its label becomes an info text" if element.get("label") else ""),
                "its relevant, if any, is joined to each question's show_if; its appearance is not kept",
                row=row,
            )
        else:
            self.note(
                f"repeat '{name}' is asked once: a survey asks each question once",
                "for several answers (e.g. one per child) add the questions as often as needed",
                row=row,
            )
        label = self.texts(element.get("label"), sheet="survey", row=row, column="label")
        if label is not None:
            qid = self.new_id(name, row)
            fields: dict[str, Any] = {"id": qid, "type": _INFO, "text": label}
            if condition:
                fields["show_if"] = condition
            self.add(fields, row)
        self.named[name] = f"'{name}' is a group, not a question"
        self.walk(element.get("children", ()), condition)

    def question(
        self, element: Mapping[str, Any], name: str, type_: str, row: int | None, shown_if: str | None
    ) -> None:
        kind = _BY_XLSFORM.get(type_)
        if kind is None:
            if type_ in _NOT_ASKED:
                self.note(f"'{name}' ({type_}) is not imported: nobody is asked for it", row=row, column="type",
                          severity="note")  # fmt: skip
                self.named[name] = f"'{name}' ({type_}, row {row}) is not imported"
            else:
                self.note(
                    f"'{name}' is left out: the type '{type_}' has no counterpart",
                    "the types are select_one, select_multiple, integer, decimal, range, text, date, geopoint, "
                    "image and note",
                    row=row,
                    column="type",
                )
                self.named[name] = f"'{name}' ({type_}, row {row}) is left out"
            return
        self.record_dropped(element, row)
        qid = self.new_id(name, row)
        text = self.texts(element.get("label"), sheet="survey", row=row, column="label")
        hint = self.texts(element.get("hint"), sheet="survey", row=row, column="hint")
        if text is None and hint is not None:
            text, hint = hint, None
        if text is None:
            self.note(f"'{name}' has no label", "write the question in the label column", row=row, column="label",
                      severity="error")  # fmt: skip
            return
        self.named[name] = f"'{name}' is this question itself: a condition can only use answers given before it"
        comments: list[str] = []
        condition = self.condition(element, row, "relevant", shown_if, own=None, comments=comments)
        fields: dict[str, Any] = {"id": qid, "type": kind.type.value, "text": text}
        if hint is not None:
            fields["hint"] = hint
        options, mapping, or_other = self.options(element, row) if kind.stores_option_ids else ([], {}, False)
        own = _Question(type_, _parameters(element), options, or_other, self, row)
        kind_fields = dict(kind.from_xlsform(own))
        type_name = str(kind_fields.pop("type", kind.type.value))
        fields["type"] = type_name
        answerable = _KINDS_BY_NAME[type_name].answerable
        if answerable and not self.required(element, row):
            fields["required"] = False
        if condition:
            fields["show_if"] = condition
        subject = Subject(qid, type_name, mapping)
        if answerable:
            constraint = self.condition(element, row, "constraint", None, own=(name, subject), comments=comments)
            if constraint:
                fields["constraint"] = constraint
                message = _bind(element).get("jr:constraintMsg")
                texts = self.texts(message, sheet="survey", row=row, column="constraint_message")
                if texts is not None:
                    fields["constraint_message"] = texts
        fields.update(kind_fields)
        self.add(fields, row, comments)
        self.named[name] = subject if answerable else f"'{name}' is a note and has no answer to test"

    def new_id(self, name: str, row: int | None) -> str:
        qid, why = question_id(name, self.taken, RESERVED_IDS)
        self.taken.add(qid)
        if why:
            self.note(f"the name '{name}' became the id '{qid}'", why, row=row, column="name", severity="note")
        return qid

    def add(self, fields: Mapping[str, Any], row: int | None, comments: Sequence[str] = ()) -> None:
        self.blocks.append(question_block(fields, comments))
        self.block_rows.append(row)

    def required(self, element: Mapping[str, Any], row: int | None) -> bool:
        written = _bind(element).get("required")
        if written is None:
            return False
        folded = str(written).strip().lower()
        if folded in _TRUE:
            return True
        if folded not in _FALSE:
            self.note(
                f"required = {written!r} depends on other answers; the question is imported as optional",
                "a survey question is either required or not",
                row=row,
                column="required",
            )
        return False

    def condition(
        self,
        element: Mapping[str, Any],
        row: int | None,
        column: str,
        shown_if: str | None,
        *,
        own: tuple[str, Subject] | None,
        comments: list[str] | None = None,
    ) -> str | None:
        """The translated ``relevant`` (joined with the group's) or ``constraint``, or None."""
        written = _bind(element).get(column)
        translated: str | None = None
        if written is not None and str(written).strip():
            expression = str(written).strip()
            try:
                translated = translate(
                    expression,
                    questions=self.named,
                    own=own[1] if own else None,
                    own_name=own[0] if own else None,
                )
            except Untranslatable as problem:
                effect = "the question is always asked" if column == "relevant" else "answers are not checked"
                self.note(
                    f"{column} {expression!r} can't be translated: {problem.message}; {effect}",
                    problem.hint or f"write a {'show_if' if column == 'relevant' else 'constraint'} in the TOML file",
                    row=row,
                    column=column,
                )
                if comments is not None:
                    comments.append(f"XLSForm {column} (row {row}), not translated: {expression}")
        return _joined(shown_if, translated)

    def options(self, element: Mapping[str, Any], row: int | None) -> tuple[list[dict[str, str]], dict[str, str], bool]:
        """The options with our ids, XLSForm choice name → option id, and whether "or_other" was asked for."""
        list_name = str(element.get("itemset") or element.get("list_name") or "")
        choices = element.get("choices") or self.form.get("choices", {}).get(list_name, [])
        raw_type = str(self.workbook.survey_rows[row - 2].get("type", "")) if row is not None else ""
        or_other = bool(_OR_OTHER.search(raw_type))
        options: list[dict[str, str]] = []
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        for choice in choices:
            name = str(choice.get("name", ""))
            choice_row = self.choice_rows.get((list_name, name))
            if name == "other" and (or_other or choice_row is None):
                # our own "other" option has the bot's label in each language; and pyxform adds its
                # "other" to the list itself, so that every question using the list gets it
                continue
            oid, why = option_id(name, taken)
            taken.add(oid)
            if why:
                self.note(f"the choice '{name}' of list '{list_name}' became the option id '{oid}'", why,
                          sheet="choices", row=choice_row, column="name", severity="note")  # fmt: skip
            label = self.texts(choice.get("label"), sheet="choices", row=choice_row, column="label")
            if label is None:
                label = name
                self.note(f"the choice '{name}' has no label; its name stands in", "write a label",
                          sheet="choices", row=choice_row, column="label")  # fmt: skip
            labels = label if isinstance(label, dict) else {self.languages[0]: label}
            options.append({"id": oid, **labels})
            mapping[name] = oid
        if or_other:
            mapping["other"] = "other"
        return options, mapping, or_other

    def record_dropped(self, element: Mapping[str, Any], row: int | None) -> None:
        if row is None:
            return
        written = self.workbook.survey_rows[row - 2]
        bind = _bind(element)
        for column in _DROPPED:
            if written.get(column) not in (None, "") or bind.get(column) not in (None, ""):
                self.dropped.setdefault(column, []).append(row)
        for key in written:
            if key.startswith(("media::", "image", "audio", "video", "big-image")) and written[key]:
                self.dropped.setdefault("media", []).append(row)
                break


def _rows_by_name(rows: Sequence[Mapping[str, Any]]) -> dict[str, deque[int]]:
    found: dict[str, deque[int]] = {}
    for index, row in enumerate(rows):
        name = row.get("name")
        if name not in (None, ""):
            found.setdefault(str(name).strip(), deque()).append(index + 2)
    return found


def _choice_rows(rows: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows):
        key = (str(row.get("list_name", "")).strip(), str(row.get("name", "")).strip())
        found.setdefault(key, index + 2)
    return found


def _bind(element: Mapping[str, Any]) -> Mapping[str, Any]:
    bind = element.get("bind")
    return bind if isinstance(bind, Mapping) else {}


def _parameters(element: Mapping[str, Any]) -> Mapping[str, str]:
    parameters = element.get("parameters")
    return {str(k): str(v) for k, v in parameters.items()} if isinstance(parameters, Mapping) else {}


def _generated(element: Mapping[str, Any]) -> bool:
    """A question pyxform adds by itself: "Specify other." for ``or_other``, or the meta fields."""
    relevant = str(_bind(element).get("relevant", ""))
    return (element.get("type") == "text" and relevant.startswith("selected(../")) or element.get("type") in _NOT_ASKED


def _joined(first: str | None, second: str | None) -> str | None:
    if not first or not second:
        return first or second
    parts = [f"({c})" if isinstance(parse_condition(c).tree, Or) else c for c in (first, second)]
    return " and ".join(parts)


def _language_names(form: Mapping[str, Any]) -> Iterable[str]:
    """Every language name of the form's texts, in the order they first appear."""
    yield from _names_in(form.get("children", ()))
    for choices in (form.get("choices") or {}).values():
        for choice in choices:
            yield from _text_languages(choice.get("label"))


def _names_in(children: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    for element in children:
        if _generated(element):
            continue
        for key in ("label", "hint"):
            yield from _text_languages(element.get(key))
        yield from _text_languages(_bind(element).get("jr:constraintMsg"))
        for choice in element.get("choices") or ():
            yield from _text_languages(choice.get("label"))
        yield from _names_in(element.get("children") or ())


def _text_languages(text: Any) -> Iterable[str]:
    if isinstance(text, Mapping):
        yield from (str(name) for name, value in text.items() if value not in (None, ""))
    elif text not in (None, ""):
        yield DEFAULT_LANGUAGE
