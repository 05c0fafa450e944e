"""``yesno``: yes or no, by button, by 1 and 2, or by a yes or no word of the citizen's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType, Text
from surveys.option_matching import any_word
from surveys.question_types.base import N_, CellCheck, Choice, Kind, Paper, PaperBox, Result, Speaker, Tally
from surveys.text_input import match_keys
from surveys.typed_values import european_digits

__all__ = ["YesNoKind"]


class YesNoTally(Tally):
    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.counts = {"yes": 0, "no": 0}

    def take(self, value: object, other_text: str | None) -> None:
        self.counts["yes" if value else "no"] += 1

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"counts": self.counts}


class YesNoKind(Kind):
    type = QuestionType.YESNO
    drawn = ("counts",)
    one_count_each = True
    groups_responses = True

    def literal_problem(self, question_id: str, option_ids: frozenset[str], literal: object) -> tuple[str, str] | None:
        message = f"question '{question_id}' is a yes/no question: compare it with true or false"
        return message, f"e.g. {question_id} == true"

    def options(self, question: Question) -> tuple[tuple[str, Text | None], ...]:
        return (("yes", None), ("no", None))

    def choices(self, question: Question, t: Speaker) -> tuple[Choice, ...]:
        return (Choice("y", "yes", t.gettext("Yes")), Choice("n", "no", t.gettext("No")))

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        if given.option_id in ("yes", "no"):
            return Accepted(given.option_id == "yes")
        keys, number = match_keys(text), european_digits(text).strip(" .")
        if number == "1" or any_word(keys, (*words.yes, "yes")):
            return Accepted(True)
        if number == "2" or any_word(keys, (*words.no, "no")):
            return Accepted(False)
        return Rejected(Refusal.NOT_YES_NO)

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        return t.gettext("Please answer yes or no.")

    def paper(self, question: Question, t: Speaker) -> Paper:
        boxes = tuple(PaperBox(c.answer, c.label) for c in self.choices(question, t))
        return Paper("boxes", t.gettext(N_("Tick one.")), boxes)

    def single_values(self, question: Question) -> tuple[tuple[str, object], ...]:
        return (("yes", True), ("no", False))

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        return CellCheck("list", tuple(c.label for c in self.choices(question, t)))

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        if isinstance(cell, bool):
            return Accepted(cell)
        keys = match_keys(str(cell))
        if any_word(keys, (*words.yes, "yes", "true", "1", "x")):
            return Accepted(True)
        if any_word(keys, (*words.no, "no", "false", "0")):
            return Accepted(False)
        return Rejected(Refusal.NOT_YES_NO)

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        return t.gettext("Yes") if value else t.gettext("No")

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        return fixed["yes" if value else "no"]

    def tally(self, question: Question) -> Tally:
        return YesNoTally(question)

    def count_label(self, question: Question, key: str, language: str, fixed: Mapping[str, str]) -> str:
        return fixed.get(key, key)
