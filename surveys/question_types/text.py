"""``text``: a free text of the citizen's own, from ``min_length`` to ``max_length`` characters."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected, length_checked
from surveys.model import Question, QuestionType
from surveys.question_types.base import Fields, Kind, Paper, Result, Speaker, Table
from surveys.text_input import MAX_INBOUND

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["MAX_TEXT_LENGTH", "TextKind"]

MAX_TEXT_LENGTH = 4000


class TextKind(Kind):
    type = QuestionType.TEXT
    xlsform_types = ("text",)
    keys = ("min_length", "max_length")

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        why = "a longer text does not fit in one message"
        low = check.whole(table, "min_length", at, low=1, high=MAX_TEXT_LENGTH, why=why)
        high = check.whole(table, "max_length", at, 2000, low=1, high=MAX_TEXT_LENGTH, why=why)
        if low is not None and high is not None and low > high:
            check.error((*at, "min_length"), f"'min_length' ({low}) is larger than 'max_length' ({high})")
        return {"min_length": low, "max_length": high if high is not None else 2000}

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        if not text:
            return Rejected(Refusal.TEXT_EXPECTED)
        if given.sent_length > MAX_INBOUND:  # cut by the inbound cap: refuse with the length as sent, never store it
            return Rejected(Refusal.TOO_LONG, {"max": question.max_length, "length": given.sent_length})
        return length_checked(text, question.min_length or 1, question.max_length) or Accepted(text)

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        if question.min_length and question.min_length > 1:
            return t.gettext(
                "Please write your answer (at least {min} and at most {max} characters).",
                min=question.min_length,
                max=question.max_length,
            )
        return t.gettext("Please write your answer (at most {max} characters).", max=question.max_length)

    def paper(self, question: Question, t: Speaker) -> Paper:
        return Paper("lines", lines=min(8, max(2, question.max_length // 150)))

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        if limit is None:
            return str(value)
        text = " ".join(str(value).split())
        return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
