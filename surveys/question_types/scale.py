"""``scale``: a whole number from ``min`` to ``max`` (1 to 5 unless set), each step a button;
the end labels ("not at all", "very") may be typed too."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType, Text
from surveys.option_matching import any_word
from surveys.question_types.base import (
    N_,
    CellCheck,
    Choice,
    Fields,
    Paper,
    PaperBox,
    Result,
    Speaker,
    Table,
    Tally,
    XLSFormQuestion,
    is_number,
    stats,
)
from surveys.question_types.number import NumberKind, NumberTally
from surveys.text_input import match_keys

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["MAX_SCALE_STEPS", "ScaleKind"]

MAX_SCALE_STEPS = 11


def steps(question: Question) -> range:
    """The scale's steps, ``min`` to ``max`` (1 to 5 unless the file says otherwise)."""
    low = int(question.min) if is_number(question.min) else 1
    high = int(question.max) if is_number(question.max) else 5
    return range(low, high + 1)


class ScaleTally(NumberTally):
    """A count for every step, and the number statistics."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.counts: dict[str, int] = {str(step): 0 for step in steps(question)}

    def take(self, value: object, other_text: str | None) -> None:
        super().take(value, other_text)
        if is_number(value):
            key = str(int(value)) if float(value).is_integer() else str(value)
            self.counts[key] = self.counts.get(key, 0) + 1

    def summary(self) -> dict[str, Any]:
        return Tally.summary(self) | {"counts": self.counts} | stats(self.numbers)


class ScaleKind(NumberKind):
    type = QuestionType.SCALE
    keys = ("min", "max", "min_label", "max_label")
    drawn = ("counts", "figures")
    xlsform_types = ("range",)
    one_count_each = True

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        from surveys.loader.texts import read_text

        low = check.whole(table, "min", at, 1)
        high = check.whole(table, "max", at, 5)
        if low is not None and high is not None:
            if low >= high:
                check.error((*at, "min"), f"'min' ({low}) must be smaller than 'max' ({high})")
            elif high - low + 1 > MAX_SCALE_STEPS:
                check.error(
                    (*at, "max"),
                    f"a scale from {low} to {high} has {high - low + 1} steps; at most {MAX_SCALE_STEPS} are allowed",
                    "each step is a button, and a longer row of buttons is hard to read",
                )
        return {
            "min": low,
            "max": high,
            "min_label": read_text(check, table, "min_label", at),
            "max_label": read_text(check, table, "max_label", at),
        }

    def from_xlsform(self, question: XLSFormQuestion) -> Fields:
        """A range of whole steps of 1 with at most ``MAX_SCALE_STEPS`` is a scale; any other a number."""
        bounds = _range_parameters(question)
        if bounds is None:
            return {"type": "number"}
        start, end, step = bounds
        low, high = min(start, end), max(start, end)
        whole = all(v == v.to_integral_value() for v in (start, end, step))
        if whole and step == 1 and start < end and high - low + 1 <= MAX_SCALE_STEPS:
            return {"min": int(low), "max": int(high)}
        if not whole or step != 1:
            steps_note = f" in steps of {step}"
        elif start > end:
            steps_note = " counting down"
        else:
            steps_note = f" has {int(high - low) + 1} steps, more than a scale's {MAX_SCALE_STEPS}, and"
        question.warn(
            f"the range from {start} to {end}{steps_note} is imported as a number from {low} to {high}",
            "participants type the number; a scale (at most 11 whole steps of 1) would give them buttons",
            column="parameters",
        )
        fields: Fields = {"type": "number", "min": _plain(low), "max": _plain(high)}
        return fields | ({"integer": True} if whole else {})

    def end_label(self, question: Question, step: int) -> Text | None:
        values = steps(question)
        return question.min_label if step == values[0] else question.max_label if step == values[-1] else None

    def choices(self, question: Question, t: Speaker) -> tuple[Choice, ...]:
        labelled = ((step, self.end_label(question, step)) for step in steps(question))
        return tuple(
            Choice(str(step), str(step), f"{step} ({end.get(t.language)})" if end else str(step))
            for step, end in labelled
        )

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        values = steps(question)
        low, high = values[0], values[-1]
        typed = (given.option_id or text).strip()
        value: int | None = int(typed) if re.fullmatch(r"[+-]?\d{1,6}", typed) else None
        keys = match_keys(typed)
        if value is None and question.min_label and any_word(keys, question.min_label.all()):
            value = low
        if value is None and question.max_label and any_word(keys, question.max_label.all()):
            value = high
        if value is None or not low <= value <= high:
            return Rejected(Refusal.OUT_OF_RANGE, {"min": low, "max": high})
        return Accepted(value)

    def paper(self, question: Question, t: Speaker) -> Paper:
        values = steps(question)
        note = t.gettext(N_("Tick one box from {low} to {high}."), low=values[0], high=values[-1])
        ends = tuple(end.get(t.language) if end else "" for end in (question.min_label, question.max_label))
        return Paper("row", note, tuple(PaperBox(str(s), str(s)) for s in values), ends=(ends[0], ends[1]))

    def single_values(self, question: Question) -> tuple[tuple[str, object], ...]:
        return tuple((str(s), s) for s in steps(question))

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        values = steps(question)
        return CellCheck("whole", low=values[0], high=values[-1])

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        if is_number(cell) and float(cell).is_integer():
            cell = str(int(cell))  # a spreadsheet's 4.0 is the step 4
        return super().read_cell(question, cell, today, words)

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        values = steps(question)
        return t.gettext("Please answer with a number from {low} to {high}.", low=values[0], high=values[-1])

    def tally(self, question: Question) -> Tally:
        return ScaleTally(question)

    def count_label(self, question: Question, key: str, language: str, fixed: Mapping[str, str]) -> str:
        end = self.end_label(question, int(key)) if key.lstrip("-").isdigit() else None
        return f"{key} ({end.get(language)})" if end else key


def _range_parameters(question: XLSFormQuestion) -> tuple[Decimal, Decimal, Decimal] | None:
    """start, end and step of an XLSForm range (defaults 1, 10 and 1, as in XLSForm)."""
    values = []
    for key, default in (("start", "1"), ("end", "10"), ("step", "1")):
        written = str(question.parameters.get(key, default)).strip()
        try:
            values.append(Decimal(written))
        except InvalidOperation:
            question.warn(
                f"the range's {key} {written!r} is no number", f"write e.g. {key}={default}", column="parameters"
            )
            return None
    start, end, step = values
    if step <= 0 or start == end:
        question.warn(f"a range from {start} to {end} in steps of {step} can't be asked", column="parameters")
        return None
    return start, end, step


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)
