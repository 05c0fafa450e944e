"""``choice``: one of a list of options, and perhaps "other" with a text of the citizen's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from surveys.answers import OTHER, Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.loader.texts import read_labelled
from surveys.model import Question, QuestionType, Text
from surveys.option_matching import pick_one
from surveys.problems import did_you_mean
from surveys.question_types.base import (
    N_,
    CellCheck,
    Choice,
    Drawn,
    Fields,
    Kind,
    Paper,
    PaperBox,
    Result,
    Speaker,
    Table,
    Tally,
    XLSFormQuestion,
)
from surveys.text_input import match_keys

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["ChoiceKind", "OptionTally"]


class OptionTally(Tally):
    """Counts per option id, in option order, plus the "other" texts."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        ids = [o.id for o in question.options] + ([OTHER] if question.other else [])
        self.counts: dict[str, int] = dict.fromkeys(ids, 0)
        self.other_answers: list[str] = []

    def take(self, value: object, other_text: str | None) -> None:
        chosen = value if isinstance(value, list | tuple) else [value]
        for option_id in dict.fromkeys(str(c) for c in chosen):
            # an id the file no longer has still counts: results never drop answers
            self.counts[option_id] = self.counts.get(option_id, 0) + 1
        if other_text and OTHER in chosen:
            self.other_answers.append(other_text)

    def summary(self) -> dict[str, Any]:
        result = super().summary() | {"counts": self.counts}
        if self.question.other:
            result["other_answers"] = self.other_answers
        return result


class ChoiceKind(Kind):
    type = QuestionType.CHOICE
    keys: ClassVar[tuple[str, ...]] = ("options", "other")
    stores_option_ids = True
    one_count_each = True
    groups_responses = True
    drawn: ClassVar[tuple[Drawn, ...]] = ("counts", "other_answers")
    xlsform_types: ClassVar[tuple[str, ...]] = ("select one",)

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        options = read_labelled(check, table, "options", at, noun="option")
        other = check.boolean(table, "other", at, False)
        if "options" not in table:
            check.error(at, "the required key 'options' is missing", 'add options = [{ id = "a", de = "…" }, …]')
        if other and any(o.id == OTHER for o in options):
            check.error(
                (*at, "options"),
                "an option has the id 'other', which clashes with other = true",
                "give that option another id, or drop it and keep other = true",
            )
        needed = 1 if other else 2
        written = table.get("options")
        if isinstance(written, list) and len(written) < needed:
            noun = "options" if needed > 1 else "option"
            check.error((*at, "options"), f"at least {needed} {noun} needed", "a single answer is no choice")
        return {"options": options, "other": other}

    def from_xlsform(self, question: XLSFormQuestion) -> Fields:
        # or_other: our "other" option asks for the text itself, in place of XLSForm's extra question
        return {"options": question.options} | ({"other": True} if question.or_other else {})

    def literal_problem(self, question_id: str, option_ids: frozenset[str], literal: object) -> tuple[str, str] | None:
        if literal in option_ids:
            return None
        known = ", ".join(f"'{o}'" for o in sorted(option_ids))
        hint = did_you_mean(str(literal), option_ids) or f"its options are {known}"
        return f"question '{question_id}' has no option '{literal}'", hint

    def options(self, question: Question) -> tuple[tuple[str, Text | None], ...]:
        listed: tuple[tuple[str, Text | None], ...] = tuple((o.id, o.label) for o in question.options)
        return (*listed, (OTHER, None)) if question.other else listed

    def choices(self, question: Question, t: Speaker) -> tuple[Choice, ...]:
        return tuple(
            Choice(str(i), oid, (label.get(t.language) if label else "") or t.gettext("Other"))
            for i, (oid, label) in enumerate(self.options(question), 1)
        )

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        if given.option_id:
            picked = self.valid_option(question, given.option_id)
        else:
            other = OTHER if question.other else None
            picked = pick_one(self.options(question), text, other_id=other, other_words=words.other)
        if picked is None:
            return Rejected(Refusal.NOT_AN_OPTION, {"count": len(self.options(question))})
        return Accepted(picked, needs_other=picked == OTHER)

    def valid_option(self, question: Question, option_id: str) -> str | None:
        return option_id if any(oid == option_id for oid, _ in self.options(question)) else None

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        return t.gettext("Please answer with a number or the words of an option.")

    def paper(self, question: Question, t: Speaker) -> Paper:
        return Paper("boxes", self.paper_note(question, t), self.paper_boxes(question, t))

    def paper_note(self, question: Question, t: Speaker) -> str:
        return t.gettext(N_("Tick one."))

    def paper_boxes(self, question: Question, t: Speaker) -> tuple[PaperBox, ...]:
        return tuple(PaperBox(c.answer, c.label, write_in=c.answer == OTHER) for c in self.choices(question, t))

    def single_values(self, question: Question) -> tuple[tuple[str, object], ...]:
        return tuple((oid, oid) for oid, _ in self.options(question))

    def cell_check(self, question: Question, t: Speaker) -> CellCheck | None:
        return CellCheck("list", tuple(box.label for box in self.paper_boxes(question, t)))

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        picked = self.cell_option(question, str(cell), words)
        if picked is None:
            return Rejected(Refusal.NOT_AN_OPTION, {"count": len(self.options(question))})
        return Accepted(picked, needs_other=picked == OTHER)

    def cell_option(self, question: Question, written: str, words: AnswerWords) -> str | None:
        """The option a spreadsheet cell names exactly: its id or its label in any language
        (case, accents and spacing aside); the "other" option also by the words for it."""
        key = match_keys(written)
        for oid, label in self.options(question):
            names = (oid, *(label.all() if label else ()))
            if any(key & match_keys(name) for name in names):
                return oid
        if question.other and any(key & match_keys(w) for w in (*words.other, "other")):
            return OTHER
        return None

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        labels = {c.answer: c.label for c in self.choices(question, t)}
        chosen = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(c), str(c)) for c in chosen)

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        return self.option_text(question, value, language, fixed)

    def option_text(self, question: Question, option_id: object, language: str, fixed: Mapping[str, str]) -> str:
        if option_id == OTHER:
            return fixed["other"]
        option = question.option(str(option_id))
        return (option.label.get(language) if option else "") or str(option_id)  # a gone id is still shown

    def tally(self, question: Question) -> Tally:
        return OptionTally(question)

    def count_label(self, question: Question, key: str, language: str, fixed: Mapping[str, str]) -> str:
        option = question.option(key)
        if option:
            return option.label.get(language)
        return fixed["other"] if key == OTHER else key
