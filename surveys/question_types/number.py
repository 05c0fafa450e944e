"""``number``: a number, with an optional unit typed after it, within the question's bounds."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from babel.numbers import format_decimal

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType
from surveys.option_matching import any_word
from surveys.question_types.base import (
    N_,
    CellCheck,
    Drawn,
    Fields,
    Kind,
    Paper,
    Result,
    Speaker,
    Table,
    Tally,
    XLSFormQuestion,
    histogram,
    is_number,
    stats,
)
from surveys.text_input import match_keys
from surveys.typed_values import european_digits, parse_number

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["NumberKind", "NumberTally", "shown_number"]

_NUMBER_AND_UNIT = re.compile(r"\s*([+\-−–]?\s*\d[\d.,'’ \u00a0\u202f]*?)[.,]?\s*(\D*?)\s*")

# (whole numbers only, has a minimum, has a maximum) -> the sentence
_RULES = {
    (True, True, True): N_("Please answer with a whole number from {min} to {max}."),
    (True, True, False): N_("Please answer with a whole number of at least {min}."),
    (True, False, True): N_("Please answer with a whole number of at most {max}."),
    (True, False, False): N_("Please answer with a whole number."),
    (False, True, True): N_("Please answer with a number from {min} to {max}."),
    (False, True, False): N_("Please answer with a number of at least {min}."),
    (False, False, True): N_("Please answer with a number of at most {max}."),
    (False, False, False): N_("Please answer with a number."),
}


def shown_number(value: int | float, t: Speaker) -> str:
    """A number as the citizen's language writes it: ``3,5`` in German."""
    return format_decimal(value, locale=t.locale)


class NumberTally(Tally):
    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.numbers: list[float] = []

    def take(self, value: object, other_text: str | None) -> None:
        if is_number(value):
            self.numbers.append(value)

    def summary(self) -> dict[str, Any]:
        return super().summary() | stats(self.numbers) | {"histogram": histogram(self.numbers)}


class NumberKind(Kind):
    type = QuestionType.NUMBER
    keys: ClassVar[tuple[str, ...]] = ("min", "max", "integer", "unit")
    drawn: ClassVar[tuple[Drawn, ...]] = ("figures",)
    xlsform_types: ClassVar[tuple[str, ...]] = ("integer", "decimal")

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        from surveys.loader.texts import read_text

        low = check.number(table, "min", at)
        high = check.number(table, "max", at)
        if low is not None and high is not None and low > high:
            check.error((*at, "min"), f"'min' ({low}) is larger than 'max' ({high})")
        return {
            "min": low,
            "max": high,
            "integer": check.boolean(table, "integer", at, False),
            "unit": read_text(check, table, "unit", at),
        }

    def from_xlsform(self, question: XLSFormQuestion) -> Fields:
        return {"integer": True} if question.xlsform_type == "integer" else {}

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        match = _NUMBER_AND_UNIT.fullmatch(european_digits(text))
        if match is None or (match.group(2) and not _is_unit(question, match.group(2))):
            return Rejected(Refusal.NOT_A_NUMBER)
        number = parse_number(match.group(1))
        if number is None:
            return Rejected(Refusal.NOT_A_NUMBER)
        whole = number == number.to_integral_value()
        if question.integer and not whole:
            return Rejected(Refusal.NOT_A_WHOLE_NUMBER)
        refused = _outside(number, question.min, question.max)
        if refused is not None:
            return refused
        return Accepted(int(number) if whole else float(number))

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        bounds = (("min", question.min), ("max", question.max))
        p = {key: shown_number(value, t) for key, value in bounds if is_number(value)}
        rule = t.gettext(_RULES[(question.integer, "min" in p, "max" in p)], **p)
        unit = question.unit.get(t.language) if question.unit else ""
        return rule + (f" ({unit})" if unit else "")

    def paper(self, question: Question, t: Speaker) -> Paper:
        return Paper("field", self.how_to_answer(question, t, buttons=False))

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        low = float(question.min) if is_number(question.min) else None
        high = float(question.max) if is_number(question.max) else None
        return CellCheck("whole" if question.integer else "decimal", low=low, high=high)

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        if is_number(cell):  # a number cell is read as it is, not as German or English writing
            number = Decimal(str(cell))
            if question.integer and number != number.to_integral_value():
                return Rejected(Refusal.NOT_A_WHOLE_NUMBER)
            return _outside(number, question.min, question.max) or Accepted(
                int(number) if number == number.to_integral_value() else float(number)
            )
        return super().read_cell(question, cell, today, words)

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        if not is_number(value):
            return str(value)
        unit = question.unit.get(t.language) if question.unit else ""
        return shown_number(value, t) + (f" {unit}" if unit else "")

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        return value if is_number(value) else str(value)

    def tally(self, question: Question) -> Tally:
        return NumberTally(question)


def _is_unit(question: Question, typed: str) -> bool:
    return question.unit is not None and any_word(match_keys(typed), question.unit.all())


def _outside(number: Decimal, low: object, high: object) -> Rejected | None:
    has_low, has_high = isinstance(low, int | float), isinstance(high, int | float)
    too_small = has_low and number < Decimal(str(low))
    too_large = has_high and number > Decimal(str(high))
    if not (too_small or too_large):
        return None
    if has_low and has_high:
        return Rejected(Refusal.OUT_OF_RANGE, {"min": low, "max": high})
    return Rejected(Refusal.TOO_SMALL, {"min": low}) if too_small else Rejected(Refusal.TOO_LARGE, {"max": high})
