"""A survey on paper: the numbered questions and the jump instructions its conditions become.

On paper nobody hides a question: the respondent reads "If you ticked 'No', go on
with question 5" and skips it. This module works those instructions out from the
survey's ``show_if`` and ``end_if`` conditions by evaluating them, the same way the
runner does, for each answer of a one-tick question (``Kind.single_values``):

- ``jumps``: at a question, which answers lead past the next question (to a later
  one, or to the end);
- ``filters``: at a question with a ``show_if``, for which answers of an earlier
  question it is to be answered, when that can be said as ticks; other conditions
  are shown as they are written (with question numbers) by the caller.

Pure: no I/O, no texts of its own; ``bot/staff/questionnaire.py`` words it.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveys.conditions import evaluate, referenced_names
from surveys.model import Question, Survey
from surveys.question_types import kind_of

__all__ = ["Filter", "Jump", "filters", "jumps", "numbers"]


@dataclass(frozen=True)
class Jump:
    """Who ticked one of ``answers`` goes on with question ``to`` (None: they are done)."""

    answers: tuple[str, ...]
    to: str | None
    ends: bool = False  # the survey's ``end_if`` ends it there (rather than every later question being hidden)


@dataclass(frozen=True)
class Filter:
    """Answer this question only if question ``source`` was answered with one of ``answers``."""

    source: str
    answers: tuple[str, ...]


def numbers(survey: Survey) -> dict[str, int]:
    """The printed number of every answerable question, 1-based (``info`` texts have none)."""
    answerable = [q.id for q in survey.questions if q.answerable]
    return {qid: n for n, qid in enumerate(answerable, start=1)}


def jumps(survey: Survey) -> dict[str, tuple[Jump, ...]]:
    """For each question with one-tick answers: where the answers that skip questions lead."""
    found: dict[str, tuple[Jump, ...]] = {}
    for question in survey.questions:
        if not question.answerable:
            continue
        values = kind_of(question).single_values(question)
        if not values:
            continue
        following = _next_answerable(survey, question)
        grouped: dict[tuple[str | None, bool], list[str]] = {}
        for answer, value in values:
            env = {question.id: value}
            if _ends(question, env):
                target: tuple[str | None, bool] = (None, True)
            else:
                target = (_next_shown(survey, question, env), False)
            if target[0] != following or target[1]:
                grouped.setdefault(target, []).append(answer)
        if grouped:
            found[question.id] = tuple(Jump(tuple(answers), to, ends) for (to, ends), answers in grouped.items())
    return found


def filters(survey: Survey) -> dict[str, Filter]:
    """For each question whose ``show_if`` names one earlier one-tick question only: for which of
    its answers the question is to be answered."""
    found: dict[str, Filter] = {}
    for question in survey.questions:
        condition = question.show_if
        if condition is None or not question.answerable:
            continue
        names = referenced_names(condition)
        if len(names) != 1:
            continue
        source = survey.question(next(iter(names)))
        if source is None:
            continue
        values = kind_of(source).single_values(source)
        if not values:
            continue
        shown = tuple(answer for answer, value in values if evaluate(condition, {source.id: value}))
        found[question.id] = Filter(source.id, shown)
    return found


def _ends(question: Question, env: dict[str, object]) -> bool:
    condition = question.end_if
    return condition is not None and referenced_names(condition) <= {question.id} and evaluate(condition, env)


def _next_answerable(survey: Survey, question: Question) -> str | None:
    later = survey.questions[survey.index_of(question.id) + 1 :]
    return next((q.id for q in later if q.answerable), None)


def _next_shown(survey: Survey, question: Question, env: dict[str, object]) -> str | None:
    """The next question shown to who gave ``env``; a condition that also names other answers
    can't be decided here, so its question counts as shown (its filter note says the rest)."""
    for candidate in survey.questions[survey.index_of(question.id) + 1 :]:
        if not candidate.answerable:
            continue
        condition = candidate.show_if
        if condition is None or not referenced_names(condition) <= set(env) or evaluate(condition, env):
            return candidate.id
    return None
