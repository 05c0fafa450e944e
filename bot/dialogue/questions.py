"""How the runner's ``Say`` items look to a citizen: texts from the catalogs, options, payloads.

Every option has a number the citizen may type and a payload a button sends
back; the wording around a question says what is accepted, so a screen reader
user hears the same as everybody else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from babel.dates import format_date
from babel.numbers import format_decimal

from adapters.base import Option, Reply
from bot.dialogue.payloads import PayloadSigner
from bot.i18n import N_, Translator
from surveys.answers import Refusal, Rejected, answer_options
from surveys.model import Question, QuestionType, Survey, Text
from surveys.results import location_text
from surveys.runner import Ask, Finished, Refused, Say, Statement

__all__ = ["QuestionView", "answer_text", "refusal_text"]

YES, NO, DONE = "y", "n", "d"
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
        options = self.options(question)
        done = None
        if question.type is QuestionType.MULTI:
            done = Option(self.sign(question, DONE), self.t.gettext("Done"), len(options) + 1)
        return Reply(
            "\n".join(lines),
            options=options,
            multi=question.type is QuestionType.MULTI,
            selected=tuple(
                o.payload for o, oid in zip(options, self.option_ids(question), strict=True) if oid in item.toggled
            ),
            chosen_mark=self.t.gettext("chosen") if question.type is QuestionType.MULTI else "",
            done=done,
            ask_location=question.type is QuestionType.LOCATION,
            location_button=self.t.gettext("Share my location") if question.type is QuestionType.LOCATION else "",
            ask_photo=question.type is QuestionType.PHOTO,
            question_key=f"{self.survey.id}/{question.id}",
        )

    def option_ids(self, question: Question) -> list[str]:
        """The answer each option stands for, in option order."""
        if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
            return [oid for oid, _ in answer_options(question)]
        if question.type is QuestionType.YESNO:
            return ["yes", "no"]
        if question.type is QuestionType.SCALE:
            return [str(v) for v in _scale_values(question)]
        return []

    def options(self, question: Question) -> tuple[Option, ...]:
        if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
            return tuple(
                Option(self.sign(question, str(i)), self.text(label) or self.t.gettext("Other"), i)
                for i, (_, label) in enumerate(answer_options(question), 1)
            )
        if question.type is QuestionType.YESNO:
            return (
                Option(self.sign(question, YES), self.t.gettext("Yes"), 1),
                Option(self.sign(question, NO), self.t.gettext("No"), 2),
            )
        if question.type is QuestionType.SCALE:
            values = _scale_values(question)
            return tuple(Option(self.sign(question, str(v)), self._scale_label(question, v), v) for v in values)
        return ()

    def _scale_label(self, question: Question, value: int) -> str:
        values = _scale_values(question)
        end = question.min_label if value == values[0] else question.max_label if value == values[-1] else None
        return f"{value} ({self.text(end)})" if end else str(value)

    def resolve(self, question: Question, value: str) -> tuple[str, str] | None:
        """A verified payload value → ("option"|"toggle"|"done", option id), or None."""
        if value == DONE:
            return ("done", "") if question.type is QuestionType.MULTI else None
        if question.type is QuestionType.YESNO and value in (YES, NO):
            return ("option", "yes" if value == YES else "no")
        ids = self.option_ids(question)
        if not value.isdigit():
            return None
        if question.type is QuestionType.SCALE:
            return ("option", value) if value in ids else None
        index = int(value) - 1
        if not 0 <= index < len(ids):
            return None
        return ("toggle" if question.type is QuestionType.MULTI else "option", ids[index])

    def how_to_answer(self, question: Question) -> str:
        """What the question accepts, limits included, said before a wrong answer rather than after."""
        t = self.t
        kind = question.type
        if kind is QuestionType.CHOICE:
            return t.gettext("Please answer with a number or the words of an option.")
        if kind is QuestionType.MULTI:
            low, high = _multi_bounds(question)
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
            return how + (" " + t.gettext("Or tap them, then 'Done'.") if self.buttons else "")
        if kind is QuestionType.YESNO:
            return t.gettext("Please answer yes or no.")
        if kind is QuestionType.SCALE:
            values = _scale_values(question)
            return t.gettext("Please answer with a number from {low} to {high}.", low=values[0], high=values[-1])
        if kind is QuestionType.NUMBER:
            unit = self.text(question.unit)
            return _number_rule(t, question) + (f" ({unit})" if unit else "")
        if kind is QuestionType.TEXT:
            if question.min_length and question.min_length > 1:
                return t.gettext(
                    "Please write your answer (at least {min} and at most {max} characters).",
                    min=question.min_length,
                    max=question.max_length,
                )
            return t.gettext("Please write your answer (at most {max} characters).", max=question.max_length)
        if kind is QuestionType.DATE:
            return t.gettext("Please give a date, for example 24.12.2026, or 'today' or 'tomorrow'.")
        if kind is QuestionType.LOCATION:
            return t.gettext("Share a location, type coordinates like 51.51, 7.46, or describe the place in words.")
        if kind is QuestionType.PHOTO:
            return t.gettext("Please send one photo (at most {max} MB).", max=_nice(question.max_mb))
        return ""


def answer_text(t: Translator, question: Question, value: object, *, limit: int | None = SUMMARY_TEXT) -> str:
    """A stored answer as the citizen reads it: the option's label, Yes/No, 3,5 m², 24.12.2026 …
    (a free text cut to its opening words at ``limit`` characters; None: in full)."""
    if value is None:
        return t.gettext("(skipped)")
    kind = question.type
    locale = t.locale
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        labels = {
            oid: (label.get(t.language) if label else "") or t.gettext("Other")
            for oid, label in answer_options(question)
        }
        chosen = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(c), str(c)) for c in chosen)
    if kind is QuestionType.YESNO:
        return t.gettext("Yes") if value else t.gettext("No")
    if kind in (QuestionType.NUMBER, QuestionType.SCALE) and isinstance(value, int | float):
        unit = question.unit.get(t.language) if question.unit else ""
        return format_decimal(value, locale=locale) + (f" {unit}" if unit else "")
    if kind is QuestionType.DATE:
        return _shown(t, value)
    if kind is QuestionType.LOCATION:
        return location_text(value)
    if kind is QuestionType.PHOTO:
        return t.gettext("a photo")
    text = str(value) if limit is None else " ".join(str(value).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _multi_bounds(question: Question) -> tuple[int, int | None]:
    low = int(question.min) if isinstance(question.min, int | float) else 1
    high = int(question.max) if isinstance(question.max, int | float) else None
    return low, high


_NUMBER_RULES = {  # (whole numbers only, has a minimum, has a maximum) -> the sentence
    (True, True, True): N_("Please answer with a whole number from {min} to {max}."),
    (True, True, False): N_("Please answer with a whole number of at least {min}."),
    (True, False, True): N_("Please answer with a whole number of at most {max}."),
    (True, False, False): N_("Please answer with a whole number."),
    (False, True, True): N_("Please answer with a number from {min} to {max}."),
    (False, True, False): N_("Please answer with a number of at least {min}."),
    (False, False, True): N_("Please answer with a number of at most {max}."),
    (False, False, False): N_("Please answer with a number."),
}


def _number_rule(t: Translator, question: Question) -> str:
    """ "Please answer with a (whole) number (from 0 to 10 / of at least 0 / of at most 10)."""
    p = {k: _shown(t, v) for k, v in (("min", question.min), ("max", question.max)) if isinstance(v, int | float)}
    return t.gettext(_NUMBER_RULES[(question.integer, "min" in p, "max" in p)], **p)


def _scale_values(question: Question) -> list[int]:
    low = int(question.min) if isinstance(question.min, int | float) else 1
    high = int(question.max) if isinstance(question.max, int | float) else 5
    return list(range(low, high + 1))


def _nice(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


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
    locale = t.locale
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_decimal(value, locale=locale)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return format_date(dt.date.fromisoformat(value), format="medium", locale=locale)
        except ValueError:
            return value
    return str(value)
