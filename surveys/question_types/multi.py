"""``multi``: several of a list of options, typed in one message or ticked one by one, then "Done"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from surveys.answers import OTHER, Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType
from surveys.option_matching import pick_several
from surveys.question_types.base import N_, CellCheck, Fields, Result, Speaker, Table
from surveys.question_types.choice import ChoiceKind

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["MultiKind"]


class MultiKind(ChoiceKind):
    type = QuestionType.MULTI
    keys = ("options", "other", "min", "max")
    toggles = True
    column_per_option = True
    one_count_each = False  # several options each: the counts add up to more than ``answered``
    groups_responses = False  # a response would be in several groups
    xlsform_types = ("select all that apply",)

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        fields = super().read(check, table, at)
        count = len(fields["options"]) + (1 if fields["other"] else 0)
        why = f"this question has {count} options (counting 'other')" if fields["other"] else None
        low = check.whole(table, "min", at, low=1, high=max(count, 1), why=why)
        high = check.whole(table, "max", at, low=1, high=max(count, 1), why=why)
        if low is not None and high is not None and low > high:
            check.error((*at, "min"), f"'min' ({low}) is larger than 'max' ({high})")
        return {**fields, "min": low, "max": high}

    @staticmethod
    def bounds(question: Question) -> tuple[int, int | None]:
        """How many options must and may be chosen (None: any number)."""
        low = int(question.min) if isinstance(question.min, int | float) else 1
        high = int(question.max) if isinstance(question.max, int | float) else None
        return low, high

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        options = self.options(question)
        if given.option_id:
            picked = self.valid_option(question, given.option_id)
            chosen = [picked] if picked else None
        else:
            other = OTHER if question.other else None
            chosen = pick_several(options, text, other_id=other, other_words=words.other)
        if not chosen:
            return Rejected(Refusal.NOT_AN_OPTION, {"count": len(options)})
        return self.ticked(question, [oid for oid, _ in options if oid in chosen])

    def ticked(self, question: Question, chosen: list[str]) -> Result:
        """The chosen option ids (in display order), if their number is within the question's bounds."""
        low, high = self.bounds(question)
        if len(chosen) < low:
            return Rejected(Refusal.TOO_FEW_OPTIONS, {"min": low})
        if high is not None and len(chosen) > high:
            return Rejected(Refusal.TOO_MANY_OPTIONS, {"max": high})
        return Accepted(chosen, needs_other=OTHER in chosen)

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        low, high = self.bounds(question)
        if high is not None and low > 1:
            how = t.gettext(
                "Choose at least {min} and at most {max}: type their numbers in one message, for example 1, 3.",
                min=low,
                max=high,
            )
        elif high is not None:
            how = t.ngettext(
                "Choose at most {n}: type the number in one message.",
                "Choose at most {n}: type their numbers in one message, for example 1, 3.",
                high,
            )
        elif low > 1:
            how = t.gettext("Choose at least {min}: type their numbers in one message, for example 1, 3.", min=low)
        else:
            how = t.gettext("You can choose several: type their numbers in one message, for example 1, 3.")
        return how + (" " + t.gettext("Or tap them, then 'Done'.") if buttons else "")

    def paper_note(self, question: Question, t: Speaker) -> str:
        low, high = self.bounds(question)
        if high is not None and low > 1:
            return t.gettext(N_("Several possible: at least {min}, at most {max}."), min=low, max=high)
        if high is not None:
            return t.gettext(N_("Several possible, at most {max}."), max=high)
        if low > 1:
            return t.gettext(N_("Several possible, at least {min}."), min=low)
        return t.gettext(N_("Several possible."))

    def single_values(self, question: Question) -> tuple[tuple[str, object], ...]:
        return ()  # several ticks make many combinations: a printed filter note says where to go

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        return CellCheck("note", note=t.gettext(N_("Several answers: separate them with a semicolon (;).")))

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        written = [part.strip() for part in str(cell).split(";") if part.strip()]
        chosen: list[str] = []
        for part in written:
            picked = self.cell_option(question, part, words)
            if picked is None:
                return Rejected(Refusal.NOT_AN_OPTION, {"count": len(self.options(question)), "written": part})
            chosen.append(picked)
        return self.ticked(question, [oid for oid, _ in self.options(question) if oid in chosen])

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        chosen = value if isinstance(value, list | tuple) else [value]
        return "; ".join(self.option_text(question, c, language, fixed) for c in chosen)
