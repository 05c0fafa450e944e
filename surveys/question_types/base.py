"""What a question type is: one object that knows everything about its kind of question.

A type says what its file may hold (``keys``, ``read``), which answers it offers
(``options``, ``choices``), how a message becomes an answer or a refusal
(``parse``), how it is asked (``how_to_answer``, ``asks_for``, ``toggles``), how it is printed
on a paper questionnaire (``paper``, ``single_values``) and typed into and read
back from a spreadsheet cell (``cell_check``, ``read_cell``), how an answer reads (``reads_as``, ``cell``,
``typed``), and how answers are counted and drawn (``tally``, ``drawn``,
``count_label``). The defaults below fit a type that
takes one free value; each module of this package overrides what its type needs.

Texts for citizens come from the caller's ``Speaker`` (``bot.i18n.Translator``),
so their msgids are written here, beside the type, and extracted into the catalogs.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, TypeGuard

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType, Text

if TYPE_CHECKING:  # the loader's checker, handed in by the loader
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = [
    "N_",
    "AnswerList",
    "CellCheck",
    "Choice",
    "Drawn",
    "Fields",
    "Kind",
    "Paper",
    "PaperBox",
    "Result",
    "Speaker",
    "Table",
    "Tally",
    "XLSFormQuestion",
    "histogram",
    "is_number",
    "stats",
]

Result = Accepted | Rejected
Table = Mapping[str, Any]
Fields = dict[str, Any]
Drawn = Literal["counts", "figures", "answers", "other_answers", "files"]  # parts of a question's results


def N_(message: str) -> str:
    """Mark a msgid for the catalogs where it is translated later (``Speaker.gettext``)."""
    return message


class Speaker(Protocol):
    """The participant's language: catalog texts and the Babel locale for numbers and dates."""

    @property
    def language(self) -> str: ...
    @property
    def locale(self) -> str: ...
    def gettext(self, message: str, /, **params: object) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str: ...


@dataclass(frozen=True)
class Choice:
    """One answer a citizen can pick by number or button: the button's value, the answer it
    stands for (an option id, "yes", a scale step) and its label."""

    value: str
    answer: str
    label: str


@dataclass(frozen=True)
class PaperBox:
    """One tick box of a printed question: the answer it stands for and its label; ``write_in``:
    a line to write on follows ("Other: ____")."""

    answer: str
    label: str
    write_in: bool = False


@dataclass(frozen=True)
class Paper:
    """How a question is printed: tick boxes one under another (``boxes``), a row of boxes
    (``row``, a scale), a field for a short value (``field``), ``lines`` to write on, or nothing
    to fill in (``none``, e.g. a photo, which only an online answer can send). ``note`` says what
    to fill in ("several possible, at most 2"); ``ends`` are the labels under a row's first and last box."""

    layout: Literal["boxes", "row", "field", "lines", "none"]
    note: str = ""
    boxes: tuple[PaperBox, ...] = ()
    lines: int = 0
    ends: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class CellCheck:
    """What a spreadsheet template checks in a question's column: an answer picked from a list
    (``choices``), a whole or decimal number from ``low`` to ``high``, a date, or nothing but a
    ``note`` on how to write the answer (shown when the cell is selected)."""

    check: Literal["list", "whole", "decimal", "date", "note"]
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    note: str = ""


def is_number(value: object) -> TypeGuard[int | float]:
    """A number, but not a yes/no answer (bool is an int to Python)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def stats(numbers: list[float]) -> dict[str, Any]:
    if not numbers:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {
        "mean": round(statistics.fmean(numbers), 2),
        "median": round(float(statistics.median(numbers)), 2),
        "min": round(min(numbers), 2),
        "max": round(max(numbers), 2),
    }


def histogram(numbers: list[float], max_bins: int = 10) -> list[dict[str, Any]]:
    """Counts of ``numbers`` in at most ``max_bins`` bins of one round width (1, 2, 2.5 or 5 times a power
    of ten), each ``{"from", "to", "count"}``: from inclusive, to exclusive."""
    if not numbers:
        return []
    low, high = min(numbers), max(numbers)
    if low == high:
        return [{"from": _plain(low), "to": _plain(high), "count": len(numbers)}]
    wanted = min(max_bins, max(1, math.ceil(math.sqrt(len(numbers)))))
    raw = (high - low) / wanted
    magnitude = 10 ** math.floor(math.log10(raw))
    width = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    start = math.floor(low / width) * width
    bins = int((high - start) // width) + 1  # ``high`` falls into the last one
    counts = [0] * bins
    for x in numbers:
        counts[min(int((x - start) // width), bins - 1)] += 1
    return [
        {"from": _plain(start + i * width), "to": _plain(start + (i + 1) * width), "count": count}
        for i, count in enumerate(counts)
    ]


def _plain(number: float) -> int | float:
    rounded = round(number, 10)
    return int(rounded) if float(rounded).is_integer() else rounded


class Tally:
    """What one question's summary in the results needs, filled one answer at a time."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.answered = 0

    def add(self, value: object, other_text: str | None) -> None:
        if value is None:
            return
        self.answered += 1
        self.take(value, other_text)

    def take(self, value: object, other_text: str | None) -> None:
        """Fold one non-null answer in."""

    def summary(self) -> dict[str, Any]:
        return {"id": self.question.id, "type": self.question.type.value, "answered": self.answered}


class AnswerList(Tally):
    """Every answer as stored (text, date, location)."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.answers: list[object] = []

    def take(self, value: object, other_text: str | None) -> None:
        self.answers.append(value)

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"answers": self.answers}


class XLSFormQuestion(Protocol):
    """One question of an XLSForm being imported (``surveys.xlsform``), as a kind needs to see it."""

    @property
    def xlsform_type(self) -> str: ...  # the type as pyxform names it: "select one", "integer", "range"
    @property
    def parameters(self) -> Mapping[str, str]: ...  # the ``parameters`` column: start=0 end=10 step=1
    @property
    def options(self) -> list[dict[str, str]]: ...  # choices with our ids: {"id": …, "de": label, …}
    @property
    def or_other(self) -> bool: ...  # ``select_one list or_other``
    def warn(self, message: str, hint: str | None = None, *, column: str = "type") -> None: ...


class Kind:
    """One question type. Subclasses set ``type`` and override what differs."""

    type: ClassVar[QuestionType]
    keys: ClassVar[tuple[str, ...]] = ()  # the file keys of this type, beyond those of every question
    answerable: ClassVar[bool] = True
    stores_option_ids: ClassVar[bool] = False  # answers are option ids: checked against the file's options
    toggles: ClassVar[bool] = False  # buttons switch options on and off until "Done"
    asks_for: ClassVar[Literal["", "location", "photo"]] = ""  # what the channel offers to send
    column_per_option: ClassVar[bool] = False  # exports add a 0/1 column for each option
    # each respondent is counted under exactly one key: the counts add up to ``answered``
    # (small-group protection hides a second count where one could be worked out from the total)
    one_count_each: ClassVar[bool] = False
    groups_responses: ClassVar[bool] = False  # ``--by`` may break results down by its answer
    drawn: ClassVar[tuple[Drawn, ...]] = ("answers",)  # the parts of its results, in order
    xlsform_types: ClassVar[tuple[str, ...]] = ()  # XLSForm types (as pyxform names them) imported as this type
    on_paper: ClassVar[bool] = True  # a paper form or a phone call can give the answer (a photo: no)

    # --- the file --------------------------------------------------------------------
    def read(self, check: Check, table: Table, at: Path) -> Fields:
        """This type's keys of a question table, checked, as ``Question`` fields."""
        return {}

    def literal_problem(self, question_id: str, option_ids: frozenset[str], literal: object) -> tuple[str, str] | None:
        """(message, hint) when a condition compares this question with ``literal`` it can never be."""
        return None

    def from_xlsform(self, question: XLSFormQuestion) -> Fields:
        """This type's file keys for an imported XLSForm question of one of ``xlsform_types``.

        A ``"type"`` among them imports the question as that type instead (a range too long
        for a scale becomes a number); what can't be carried over is said with ``question.warn``."""
        return {}

    # --- answering --------------------------------------------------------------------
    def options(self, question: Question) -> tuple[tuple[str, Text | None], ...]:
        """(answer id, label) in display order; a label None is the engine's own word."""
        return ()

    def choices(self, question: Question, t: Speaker) -> tuple[Choice, ...]:
        """The answers offered as numbered buttons, labelled in the citizen's language."""
        return ()

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        raise NotImplementedError(f"{self.type.value} takes no answer")

    def ticked(self, question: Question, chosen: list[str]) -> Result:
        """The answer made of the options ticked (``toggles``) when "Done" is pressed."""
        return Rejected(Refusal.NOT_AN_OPTION)

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        """What the question accepts, limits included, said with the question."""
        return ""

    # --- on paper and in a spreadsheet --------------------------------------------------
    def paper(self, question: Question, t: Speaker) -> Paper:
        """How the question is printed on a paper questionnaire, in the language of ``t``."""
        return Paper("lines", lines=2)

    def single_values(self, question: Question) -> tuple[tuple[str, object], ...]:
        """(answer id, stored value) for each answer of a one-tick question, so a printed
        questionnaire can work out where each answer leads; () when answers are not a few ticks."""
        return ()

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        """What the template of a paper batch checks in this question's column (None: nothing)."""
        return None

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        """The answer in a spreadsheet cell of a paper batch (never empty: the caller handles that).

        By default the cell is read as if it had been typed in the chat."""
        text = cell.isoformat() if isinstance(cell, dt.date) else str(cell)
        return self.parse(question, Given(text=text), text.strip(), today, words)

    # --- an answer in words -------------------------------------------------------------
    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        """A stored answer as the citizen reads it (a long text cut at ``limit`` characters)."""
        return str(value)

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        """The spreadsheet cell of a stored answer (``fixed``: the staff words for yes, no, other)."""
        return str(value)

    def typed(self, question: Question, value: object) -> object:
        """The JSON value of a stored answer in an export."""
        return value

    # --- results ------------------------------------------------------------------------
    def tally(self, question: Question) -> Tally:
        return AnswerList(question)

    def count_label(self, question: Question, key: str, language: str, fixed: Mapping[str, str]) -> str:
        """The label of one row of counts in the results."""
        return key
