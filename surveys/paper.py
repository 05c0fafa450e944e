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

And back: ``read_form`` runs the cells of one filled-in form (a spreadsheet row)
through the survey runner, as if a citizen had typed them one after another, so
a paper answer passes the same checks as a chat answer (types, ranges, required,
constraints, conditions, early ends), and says what is wrong with each cell.

Pure: no I/O, no texts of its own; ``bot/staff/questionnaire.py`` and
``bot/staff/paper_import.py`` word it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from surveys.answers import AnswerWords, Given, Rejected
from surveys.conditions import evaluate, referenced_names
from surveys.model import Question, Survey, Text
from surveys.question_types import kind_of
from surveys.runner import Action, AnswerChange, Progress, Refused, StepResult, start, step

__all__ = [
    "CellProblem",
    "Filter",
    "FormAnswers",
    "Jump",
    "apply_changes",
    "filters",
    "for_paper",
    "jumps",
    "numbers",
    "read_form",
]


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


def for_paper(survey: Survey) -> Survey:
    """The survey as paper and phone answer it: a question no form can answer (a photo) is
    optional there, so a form without it is complete."""
    if all(kind_of(q).on_paper or not q.required for q in survey.questions if q.answerable):
        return survey
    questions = tuple(
        q if not q.answerable or kind_of(q).on_paper else replace(q, required=False) for q in survey.questions
    )
    return replace(survey, questions=questions)


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


# --- a filled-in form, read back -------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    """What is wrong with the cell of ``question_id`` (``other``: its "other" text cell).

    ``reason`` is the runner's refusal; ``hidden`` means the cell is filled although the
    answers before it leave the question out (a ``show_if``, or an early end)."""

    question_id: str
    reason: Rejected | None = None
    message: Text | None = None  # the survey's constraint_message
    other: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class FormAnswers:
    """The answers of one form as the runner took them, and what it refused."""

    answers: dict[str, tuple[str, object, str | None]] = field(default_factory=dict)  # id -> (type, value, other)
    status: Literal["completed", "ended", "active"] = "active"
    problems: tuple[CellProblem, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems and self.status != "active"


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def apply_changes(answers: dict[str, tuple[str, object, str | None]], changes: tuple[AnswerChange, ...]) -> None:
    """Fold the runner's answer changes into ``answers`` (question id -> type, value, other text)."""
    for change in changes:
        if change.delete:
            answers.pop(change.question_id, None)
        else:
            answers[change.question_id] = (change.question_type, change.value, change.other_text)


def _refusal(result: StepResult) -> Refused | None:
    return next((item for item in result.say if isinstance(item, Refused)), None)


def read_form(
    survey: Survey,
    cells: Mapping[str, object],
    others: Mapping[str, object],
    *,
    today: dt.date,
    words: AnswerWords,
) -> FormAnswers:
    """Run one form through the survey: ``cells`` are question id -> cell, ``others`` question
    id -> the text of its "other" option. Every cell that can be checked is checked, so all
    problems of a row come at once; a required question refused stops the row there."""
    survey = for_paper(survey)
    result = start(survey)
    answers: dict[str, tuple[str, object, str | None]] = {}
    apply_changes(answers, result.changes)
    progress: Progress = result.progress
    problems: list[CellProblem] = []
    asked: set[str] = set()
    stopped = False
    while progress.status == "active" and progress.current:
        question = survey.question(progress.current)
        assert question is not None
        asked.add(question.id)
        other = progress.awaiting_other
        action = _action(question, cells.get(question.id), others.get(question.id), other, today, words, problems)
        if action is None:  # a cell its type can't read, on a question that must be answered
            stopped = True
            break
        result = step(survey, progress, action, today=today, words=words)
        refused = _refusal(result)
        if refused is not None:
            problems.append(CellProblem(question.id, refused.reason, refused.message, other=other))
            if question.required or other:
                stopped = True
                break
            result = step(survey, progress, Action("skip"), today=today, words=words)
        apply_changes(answers, result.changes)
        progress = result.progress
    if not stopped:
        problems += _hidden(survey, cells, others, asked)
        problems += [  # an "other" text beside an answer that is not "other": which one is meant?
            CellProblem(qid, other=True, hidden=True)
            for qid in sorted(asked)
            if not _empty(others.get(qid)) and (qid not in answers or answers[qid][2] is None)
        ]
    status = progress.status if not stopped else "active"
    return FormAnswers(answers, status, tuple(problems))


def _action(
    question: Question,
    cell: object,
    other_text: object,
    other: bool,
    today: dt.date,
    words: AnswerWords,
    problems: list[CellProblem],
) -> Action | None:
    if other:
        text = "" if _empty(other_text) else str(other_text).strip()
        return Action("answer", Given(text=text)) if text else Action("skip")
    if _empty(cell):
        return Action("skip")
    verdict = kind_of(question).read_cell(question, cell, today, words)
    if isinstance(verdict, Rejected):
        problems.append(CellProblem(question.id, verdict))
        return None if question.required else Action("skip")
    return Action("answer", read=verdict)


def _hidden(
    survey: Survey, cells: Mapping[str, object], others: Mapping[str, object], asked: set[str]
) -> list[CellProblem]:
    """Filled cells of questions the answers before them leave out: the form contradicts itself."""
    found: list[CellProblem] = []
    for question in survey.questions:
        if not question.answerable or question.id in asked:
            continue
        if not _empty(cells.get(question.id)):
            found.append(CellProblem(question.id, hidden=True))
        elif not _empty(others.get(question.id)):
            found.append(CellProblem(question.id, hidden=True, other=True))
    return found
