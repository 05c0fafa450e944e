"""Results of a process: answers aggregated into the JSON shape of ``mitwirken results``.

Pure: it takes plain data (``ResponseData``, ``IdeaData``) that ``bot/`` builds
from the store, and returns plain dicts. ``survey_results`` reads the
responses once, keeping per question only what its summary needs (counts, the
numbers for the median, the texts), so it can stream 100,000 responses.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from surveys.answers import OTHER
from surveys.model import IdeaCall, Question, QuestionType, Survey

__all__ = ["IdeaData", "ResponseData", "counts_in_results", "idea_results", "location_text", "survey_results"]

FINISHED = frozenset({"completed", "ended", "anonymous"})  # anonymous rows are always finished ones


@dataclass(frozen=True)
class ResponseData:
    """One response: its status and the stored answers (question id -> value, None = skipped)."""

    status: str
    answers: Mapping[str, object]
    other_texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IdeaData:
    """One idea as results show it."""

    id: int | str
    status: str
    category: str | None
    text: str
    supporters: int
    visibility: str = "published"  # pending | published | rejected | hidden | reported


def location_text(value: object) -> str:
    """A stored location answer as one line: ``lat, lon`` for a point, else the place in words."""
    if isinstance(value, Mapping) and "lat" in value and "lon" in value:
        return f"{value['lat']}, {value['lon']}"
    if isinstance(value, Mapping):
        return str(value.get("text", ""))
    return str(value)


def _is_number(value: object) -> TypeGuard[int | float]:
    # bool is an int to Python, but a yes/no answer is no number
    return isinstance(value, int | float) and not isinstance(value, bool)


def _stats(numbers: list[float]) -> dict[str, Any]:
    if not numbers:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {
        "mean": round(statistics.fmean(numbers), 2),
        "median": round(float(statistics.median(numbers)), 2),
        "min": round(min(numbers), 2),
        "max": round(max(numbers), 2),
    }


class _Tally:
    """What one question's summary needs, filled one answer at a time."""

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


class _OptionTally(_Tally):
    """choice and multi: counts per option id, in option order, plus the "other" texts."""

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


class _YesNoTally(_Tally):
    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.counts = {"yes": 0, "no": 0}

    def take(self, value: object, other_text: str | None) -> None:
        self.counts["yes" if value else "no"] += 1

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"counts": self.counts}


class _NumberTally(_Tally):
    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.numbers: list[float] = []

    def take(self, value: object, other_text: str | None) -> None:
        if _is_number(value):
            self.numbers.append(value)

    def summary(self) -> dict[str, Any]:
        return super().summary() | _stats(self.numbers)


class _ScaleTally(_NumberTally):
    """scale: a count for every step, and the number statistics."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        low = int(question.min) if _is_number(question.min) else 1
        high = int(question.max) if _is_number(question.max) else 5
        self.counts: dict[str, int] = {str(step): 0 for step in range(low, high + 1)}

    def take(self, value: object, other_text: str | None) -> None:
        super().take(value, other_text)
        if _is_number(value):
            key = str(int(value)) if float(value).is_integer() else str(value)
            self.counts[key] = self.counts.get(key, 0) + 1

    def summary(self) -> dict[str, Any]:
        return _Tally.summary(self) | {"counts": self.counts} | _stats(self.numbers)


class _AnswerListTally(_Tally):
    """text, date, location: every answer as stored."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.answers: list[object] = []

    def take(self, value: object, other_text: str | None) -> None:
        self.answers.append(value)

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"answers": self.answers}


class _PhotoTally(_Tally):
    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.files = 0

    def take(self, value: object, other_text: str | None) -> None:
        if isinstance(value, Mapping) and value.get("path"):
            self.files += 1

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"files": self.files}


_TALLIES: dict[QuestionType, type[_Tally]] = {
    QuestionType.CHOICE: _OptionTally,
    QuestionType.MULTI: _OptionTally,
    QuestionType.YESNO: _YesNoTally,
    QuestionType.SCALE: _ScaleTally,
    QuestionType.NUMBER: _NumberTally,
    QuestionType.TEXT: _AnswerListTally,
    QuestionType.DATE: _AnswerListTally,
    QuestionType.LOCATION: _AnswerListTally,
    QuestionType.PHOTO: _PhotoTally,
}


def counts_in_results(survey: Survey, status: str) -> bool:
    """Whether a response with ``status`` counts in results and exports (the one rule for both).

    An anonymous survey counts a response only once it is finished and detached
    (status ``anonymous``): until then its answers are still linked to the person,
    who may go on, so they can be neither shown nor exported without them."""
    return status == "anonymous" if survey.anonymous else True


def survey_results(survey: Survey, responses: Iterable[ResponseData]) -> dict[str, Any]:
    """The results of a survey in the shape of ``mitwirken results --format json``.

    For an anonymous survey ``responses`` also has ``unfinished_not_counted``: the
    begun responses left out by :func:`counts_in_results`."""
    tallies = [_TALLIES[q.type](q) for q in survey.questions if q.answerable]
    started = completed = left_out = 0
    for response in responses:
        if not counts_in_results(survey, response.status):
            left_out += 1
            continue
        started += 1
        if response.status in FINISHED:
            completed += 1
        for tally in tallies:
            qid = tally.question.id
            tally.add(response.answers.get(qid), response.other_texts.get(qid))
    return {
        "id": survey.id,
        "kind": "survey",
        "responses": {"started": started, "completed": completed}
        | ({"unfinished_not_counted": left_out} if survey.anonymous else {}),
        "questions": [tally.summary() for tally in tallies],
    }


def idea_results(call: IdeaCall, ideas: Iterable[IdeaData]) -> dict[str, Any]:
    """The ideas of an idea call in the shape of ``mitwirken results --format json``: every idea
    given, with its status and its visibility (staff see the pending and moderated ones too)."""
    return {
        "id": call.id,
        "kind": "ideas",
        "ideas": [
            {
                "id": i.id,
                "status": i.status,
                "visibility": i.visibility,
                "category": i.category,
                "text": i.text,
                "supporters": i.supporters,
            }
            for i in ideas
        ],
    }
