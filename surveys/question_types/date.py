"""``date``: a day, typed as people write dates, or "today"/"tomorrow"; stored as ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType
from surveys.option_matching import any_word
from surveys.question_types.base import N_, AnswerList, CellCheck, Fields, Kind, Paper, Result, Speaker, Table, Tally
from surveys.text_input import match_keys
from surveys.typed_values import looks_like_a_date, parse_date

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["DateKind", "DateTally", "shown_date"]


def shown_date(value: object, locale: str) -> str:
    """A stored ``YYYY-MM-DD`` as the language writes it (``24.12.2026``); anything else as it is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return format_date(dt.date.fromisoformat(value), format="medium", locale=locale)
        except ValueError:
            return value
    return str(value)


class DateTally(AnswerList):
    """Every date, and how many fall in each month (``"2026-05"``), in order: what a chart over time draws."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.months: dict[str, int] = {}

    def take(self, value: object, other_text: str | None) -> None:
        super().take(value, other_text)
        if isinstance(value, str) and len(value) >= 7 and value[4] == "-":
            self.months[value[:7]] = self.months.get(value[:7], 0) + 1

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"months": dict(sorted(self.months.items()))}


class DateKind(Kind):
    type = QuestionType.DATE
    xlsform_types = ("date",)
    keys = ("min", "max")

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        low = check.day(table, "min", at)
        high = check.day(table, "max", at)
        if low is not None and high is not None and low > high:
            check.error((*at, "min"), f"'min' ({low}) is later than 'max' ({high})")
        return {"min": low, "max": high}

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        typed = given.option_id or text
        keys = match_keys(typed)
        if any_word(keys, (*words.today, "today")):
            day: dt.date | None = today
        elif any_word(keys, (*words.tomorrow, "tomorrow")):
            day = today + dt.timedelta(days=1)
        else:
            day = parse_date(typed)
        if day is None:
            # "31.02.2026" has a date's form, but that day does not exist: say so, not "give a date"
            return (
                Rejected(Refusal.NO_SUCH_DATE, {"date": typed.strip()})
                if looks_like_a_date(typed)
                else Rejected(Refusal.NOT_A_DATE)
            )
        low = question.min if isinstance(question.min, dt.date) else None
        high = question.max if isinstance(question.max, dt.date) else None
        if (low and day < low) or (high and day > high):
            bounds = {"min": low.isoformat() if low else None, "max": high.isoformat() if high else None}
            return Rejected(Refusal.DATE_OUT_OF_RANGE, {k: v for k, v in bounds.items() if v})
        return Accepted(day.isoformat())

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        return t.gettext("Please give a date, for example 24.12.2026, or 'today' or 'tomorrow'.")

    def paper(self, question: Question, t: Speaker) -> Paper:
        note = t.gettext(N_("Write the date, for example 24.12.2026."))
        low = shown_date(question.min.isoformat(), t.locale) if isinstance(question.min, dt.date) else None
        high = shown_date(question.max.isoformat(), t.locale) if isinstance(question.max, dt.date) else None
        if low and high:
            note += " " + t.gettext(N_("Only dates from {min} to {max}."), min=low, max=high)
        elif low:
            note += " " + t.gettext(N_("Only dates from {min} on."), min=low)
        elif high:
            note += " " + t.gettext(N_("Only dates up to {max}."), max=high)
        return Paper("field", note)

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        return CellCheck("date")

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        if isinstance(cell, dt.datetime):
            cell = cell.date()
        return super().read_cell(question, cell, today, words)

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        return shown_date(value, t.locale)

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return str(value)

    def tally(self, question: Question) -> Tally:
        return DateTally(question)
