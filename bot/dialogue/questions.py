"""How the runner's ``Say`` items look to a citizen: texts from the catalogs, options, payloads.

Every option has a number the citizen may type and a payload a button sends
back; the wording around a question says what is accepted, so a screen reader
user hears the same as everybody else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from adapters.base import Option, Reply
from bot.dialogue.payloads import PayloadSigner
from bot.i18n import Translator
from surveys.answers import Refusal, Rejected
from surveys.model import Question, Survey, Text
from surveys.question_types import kind_of
from surveys.question_types.base import is_number
from surveys.question_types.date import shown_date
from surveys.question_types.number import shown_number
from surveys.runner import Ask, Finished, Refused, Say, Statement

__all__ = ["QuestionView", "answer_text", "refusal_text"]

DONE = "d"  # the payload value of a "Done" button
SUMMARY_TEXT = 80  # a long free text is cut to its opening words in the summary


@dataclass(frozen=True)
class QuestionView:
    """Renders one survey's questions for one participant in one language."""

    survey: Survey
    participant_id: str
    t: Translator
    signer: PayloadSigner
    buttons: bool = False  # the channel shows buttons (texts may say "tap"; elsewhere citizens type)

    @property
    def language(self) -> str:
        return self.t.language

    def text(self, text: Text | None) -> str:
        return text.get(self.language) if text is not None else ""

    def context(self, question: Question) -> str:
        return self.signer.context_for(self.survey.id, question.id)

    def sign(self, question: Question, value: str) -> str:
        return self.signer.sign(self.participant_id, self.context(question), value)

    def replies(self, say: tuple[Say, ...]) -> list[Reply]:
        out: list[Reply] = []
        refused = ""
        for item in say:
            if isinstance(item, Statement):
                body = self.text(item.text)
                hint = self.text(item.hint)
                out.append(Reply(f"{body}\n\n{hint}" if hint else body))
            elif isinstance(item, Ask):
                out.append(self.ask(item, refused=refused))
            elif isinstance(item, Refused):
                refused = refusal_text(self.t, item.reason, self.text(item.message) or None, item.question)
                out.append(Reply(refused))
            elif isinstance(item, Finished):
                out.append(self.finished(item))
        return out

    def finished(self, item: Finished) -> Reply:
        """The closing words, a summary of the citizen's answers, and the way on."""
        closing = self.text(item.text)
        thanks = self.t.gettext("Thank you for taking part!")
        menu = self.t.gettext("Type 'menu' to see what else you can take part in.")
        return Reply("\n\n".join(p for p in (closing or thanks, self.summary(item.answers), menu) if p))

    def summary(self, answers: Mapping[str, object]) -> str:
        """ "Your answers:" with one line per question answered or skipped, in the survey's order."""
        lines = [
            f"- {self.text(q.text)} – {self.answer_text(q, answers[q.id])}"
            for q in self.survey.questions
            if q.answerable and q.id in answers
        ]
        return "\n".join([self.t.gettext("Your answers:"), *lines]) if lines else ""

    def answer_text(self, question: Question, value: object) -> str:
        return answer_text(self.t, question, value)

    def ask(self, item: Ask, *, refused: str = "") -> Reply:
        """The question with what it accepts; after a refusal the same words are not said twice."""
        question = item.question
        lines = [self.t.gettext("Question {n} of {total}", n=item.number, total=item.total)]
        if item.other:
            lines.append(self.t.gettext("Please describe your other answer in a few words."))
            return Reply("\n".join(lines), question_key=f"{self.survey.id}/{question.id}")
        lines.append(self.text(question.text))
        if item.changing:
            lines.append(
                self.t.gettext(
                    "Your answer so far: {answer}. Answer again to change it.",
                    answer=self.answer_text(question, item.given),
                )
            )
        hint = self.text(question.hint)
        if hint:
            lines.append(hint)
        how = self.how_to_answer(question)
        if how and how != refused:
            lines.append(how)
        if not question.required:
            lines.append(self.t.gettext("You may skip this question: type 'skip'."))
        if item.can_go_back:
            lines.append(self.t.gettext("Type 'back' to change your previous answer."))
        kind = kind_of(question)
        options = self.options(question)
        done = None
        if kind.toggles:
            done = Option(self.sign(question, DONE), self.t.gettext("Done"), len(options) + 1)
        return Reply(
            "\n".join(lines),
            options=options,
            multi=kind.toggles,
            selected=tuple(
                o.payload for o, oid in zip(options, self.option_ids(question), strict=True) if oid in item.toggled
            ),
            chosen_mark=self.t.gettext("chosen") if kind.toggles else "",
            done=done,
            ask_location=kind.asks_for == "location",
            location_button=self.t.gettext("Share my location") if kind.asks_for == "location" else "",
            ask_photo=kind.asks_for == "photo",
            question_key=f"{self.survey.id}/{question.id}",
        )

    def option_ids(self, question: Question) -> list[str]:
        """The answer each option stands for, in option order."""
        return [choice.answer for choice in kind_of(question).choices(question, self.t)]

    def options(self, question: Question) -> tuple[Option, ...]:
        return tuple(
            Option(self.sign(question, choice.value), choice.label, number)
            for number, choice in enumerate(kind_of(question).choices(question, self.t), 1)
        )

    def resolve(self, question: Question, value: str) -> tuple[str, str] | None:
        """A verified payload value → ("option"|"toggle"|"done", option id), or None."""
        kind = kind_of(question)
        if value == DONE:
            return ("done", "") if kind.toggles else None
        choice = next((c for c in kind.choices(question, self.t) if c.value == value), None)
        if choice is None:
            return None
        return ("toggle" if kind.toggles else "option", choice.answer)

    def how_to_answer(self, question: Question) -> str:
        """What the question accepts, limits included, said before a wrong answer rather than after."""
        return kind_of(question).how_to_answer(question, self.t, buttons=self.buttons)


def answer_text(t: Translator, question: Question, value: object, *, limit: int | None = SUMMARY_TEXT) -> str:
    """A stored answer as the citizen reads it: the option's label, Yes/No, 3,5 m², 24.12.2026 …
    (a free text cut to its opening words at ``limit`` characters; None: in full)."""
    if value is None:
        return t.gettext("(skipped)")
    return kind_of(question).reads_as(question, value, t, limit=limit)


def refusal_text(t: Translator, reason: Rejected, custom: str | None = None, question: Question | None = None) -> str:
    """One short sentence saying what is accepted; the question follows it again."""
    p = {key: _shown(t, value) for key, value in reason.params.items()}
    code = reason.code
    if code is Refusal.CONSTRAINT and custom:
        return custom
    if code is Refusal.NOT_A_NUMBER and question is not None and question.integer:
        return t.gettext("Please give a whole number, for example 12.")
    messages: dict[Refusal, Callable[[], str]] = {  # every member: tests/test_catalogs.py checks it
        Refusal.REQUIRED: lambda: t.gettext("This question needs an answer."),
        Refusal.EMPTY: lambda: t.gettext("I did not receive an answer."),
        Refusal.NOT_AN_OPTION: lambda: t.gettext("Please choose one of the options by its number."),
        Refusal.TOO_FEW_OPTIONS: lambda: t.gettext("Please choose at least {min} options.", **p),
        Refusal.TOO_MANY_OPTIONS: lambda: t.gettext("Please choose at most {max} options.", **p),
        Refusal.NOT_YES_NO: lambda: t.gettext("Please answer yes or no."),
        Refusal.NOT_A_WHOLE_NUMBER: lambda: t.gettext("Please give a whole number."),
        Refusal.NOT_A_NUMBER: lambda: t.gettext("Please give a number, for example 12 or 3,5."),
        Refusal.OUT_OF_RANGE: lambda: t.gettext("Please give a number from {min} to {max}.", **p),
        Refusal.TOO_SMALL: lambda: t.gettext("Please give a number of at least {min}.", **p),
        Refusal.TOO_LARGE: lambda: t.gettext("Please give a number of at most {max}.", **p),
        Refusal.TOO_SHORT: lambda: t.gettext("Please write at least {min} characters.", **p),
        Refusal.TOO_LONG: lambda: t.gettext(
            "That is {length} characters; at most {max} fit here. Please shorten it.", **p
        ),
        Refusal.TEXT_EXPECTED: lambda: t.gettext("Please answer in words."),
        Refusal.NOT_A_DATE: lambda: t.gettext("Please give a date like 24.12.2026."),
        Refusal.NO_SUCH_DATE: lambda: t.gettext(
            "There is no {date}: that day does not exist. Please check the date.", **p
        ),
        Refusal.DATE_OUT_OF_RANGE: lambda: _date_range(t, p),
        Refusal.OUTSIDE_BOUNDS: lambda: t.gettext("That place is outside the area of this survey."),
        Refusal.NOT_A_LOCATION: lambda: t.gettext("Please share a location or describe the place in words."),
        Refusal.PHOTO_EXPECTED: lambda: t.gettext("Please send a photo."),
        Refusal.PHOTO_TOO_LARGE: lambda: t.gettext("That photo is too large; at most {max_mb} MB.", **p),
        Refusal.PHOTO_TYPE: lambda: t.gettext("Please send a photo as JPEG or PNG."),
        Refusal.CONSTRAINT: lambda: t.gettext("That answer does not fit. Please check it."),
        Refusal.NO_WAY_BACK: lambda: t.gettext("This is the first question; there is nothing to go back to."),
        Refusal.STALE_BUTTON: lambda: t.gettext("That button belongs to another question. Please answer this one."),
    }
    return messages[code]()


def _date_range(t: Translator, p: dict[str, str]) -> str:
    if "min" in p and "max" in p:
        return t.gettext("Please give a date from {min} to {max}.", **p)
    if "min" in p:
        return t.gettext("Please give a date on or after {min}.", **p)
    return t.gettext("Please give a date on or before {max}.", **p)


def _shown(t: Translator, value: object) -> str:
    """A number or ``YYYY-MM-DD`` date as people of that language write it (3,5; 24.12.2026)."""
    if is_number(value):
        return shown_number(value, t)
    return shown_date(value, t.locale)
