"""The survey runner: one pure step of a conversation with a survey.

``start`` and ``step`` are functions of (definition, progress, input, now): they
return the new progress, the answer changes to store and what to show, as
structured ``Say`` items. They do no I/O and read no clock; the dialogue in
``bot/`` turns the ``Say`` items into texts from the message catalogs and into
buttons, and stores everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from surveys.answers import Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.conditions import evaluate, referenced_names
from surveys.model import Question, Survey, Text
from surveys.question_types import kind_of, parse_answer
from surveys.text_input import normalize_text

__all__ = [
    "MAX_OTHER_LENGTH",
    "Action",
    "AnswerChange",
    "Ask",
    "Finished",
    "Progress",
    "Refused",
    "Say",
    "Statement",
    "StepResult",
    "start",
    "step",
]

MAX_OTHER_LENGTH = 500


@dataclass(frozen=True)
class Progress:
    """Where a participant stands in one survey; stored as JSON in their response."""

    current: str | None = None  # the question being asked; None once finished
    history: tuple[str, ...] = ()  # answerable questions asked before ``current``, oldest first
    answers: dict[str, Any] = field(default_factory=dict)  # question id -> value (None = skipped)
    awaiting_other: bool = False  # the "other" option was chosen: the free text comes next
    toggled: tuple[str, ...] = ()  # multi questions answered by buttons: options toggled on so far
    status: Literal["active", "completed", "ended"] = "active"

    def to_json(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "history": list(self.history),
            "answers": dict(self.answers),
            "awaiting_other": self.awaiting_other,
            "toggled": list(self.toggled),
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Progress:
        return cls(
            current=data.get("current"),
            history=tuple(data.get("history", ())),
            answers=dict(data.get("answers", {})),
            awaiting_other=bool(data.get("awaiting_other", False)),
            toggled=tuple(data.get("toggled", ())),
            status=data.get("status", "active"),
        )


@dataclass(frozen=True)
class Action:
    """What the participant did: answered (``given``), asked to skip, or to go back."""

    kind: Literal["answer", "skip", "back", "toggle", "done"]
    given: Given | None = None
    option_id: str | None = None  # for toggle: the multi option pressed
    read: Accepted | None = None  # an answer already read by its type (a spreadsheet cell, ``Kind.read_cell``)


@dataclass(frozen=True)
class AnswerChange:
    """Store (``delete=False``) or remove one answer."""

    question_id: str
    question_type: str
    value: Any = None
    other_text: str | None = None
    delete: bool = False


# --- what to show -----------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A text to show as it is: the intro, an ``info`` question."""

    text: Text
    hint: Text | None = None


@dataclass(frozen=True)
class Ask:
    """Ask ``question`` (again); ``toggled`` are multi options already chosen by button;
    ``other`` asks for the free text of the "other" option."""

    question: Question
    number: int  # position along the participant's path, 1-based (see ``_position``)
    total: int
    toggled: tuple[str, ...] = ()
    other: bool = False
    can_go_back: bool = False
    changing: bool = False  # asked again after "back": ``given`` is the answer being changed
    given: object = None


@dataclass(frozen=True)
class Refused:
    """The answer was not accepted; ``reason`` says why (an answer parser code or
    ``required``, ``constraint``, ``other_too_long``, ``not_now``)."""

    reason: Rejected
    question: Question
    message: Text | None = None  # the survey's own constraint_message, if any


@dataclass(frozen=True)
class Finished:
    """The survey is over for this participant: completed, or ended by an ``end_if``."""

    ended_early: bool
    text: Text | None  # end_text or outro
    answers: Mapping[str, object] = field(default_factory=dict)  # what was answered, for the summary


Say = Statement | Ask | Refused | Finished


@dataclass(frozen=True)
class StepResult:
    progress: Progress
    changes: tuple[AnswerChange, ...] = ()
    say: tuple[Say, ...] = ()


# --- running ---------------------------------------------------------------------


def start(survey: Survey) -> StepResult:
    """Begin: the intro, then the first question that is shown."""
    say: list[Say] = []
    if survey.intro is not None:
        say.append(Statement(survey.intro))
    return _advance(survey, Progress(), after=None, say=say, changes=[])


def step(survey: Survey, progress: Progress, action: Action, *, today: dt.date, words: AnswerWords) -> StepResult:
    """Apply one action of the participant to their progress.

    The caller checks that the survey is open and the progress active; here
    only the answer itself is judged.
    """
    question = survey.question(progress.current) if progress.current else None
    if question is None or progress.status != "active":
        return StepResult(progress)
    if action.kind == "back":
        return _back_to_options(survey, progress, question) if progress.awaiting_other else _back(survey, progress)
    if progress.awaiting_other:
        return _take_other(survey, progress, question, action)
    if action.kind == "skip":
        if question.required:
            return _refuse(survey, progress, question, Rejected(Refusal.REQUIRED))
        return _accept(survey, progress, question, Accepted(None), today=today)
    if action.kind == "toggle":
        return _toggle(survey, progress, question, action.option_id or "")
    if action.kind == "done":
        return _finish_toggles(survey, progress, question, today=today, words=words)
    if action.read is not None:
        return _accept(survey, progress, question, action.read, today=today)
    given = action.given or Given()
    parsed = parse_answer(question, given, today=today, words=words)
    if isinstance(parsed, Rejected):
        return _refuse(survey, progress, question, parsed)
    return _accept(survey, progress, question, parsed, today=today)


def ask_again(survey: Survey, progress: Progress) -> tuple[Say, ...]:
    """What to show a participant who returns: the current question once more."""
    question = survey.question(progress.current) if progress.current else None
    if question is None:
        return ()
    return (_ask(survey, progress, question),)


def _ask(survey: Survey, progress: Progress, question: Question) -> Ask:
    number, total = _position(survey, progress, question)
    return Ask(
        question,
        number=number,
        total=total,
        toggled=progress.toggled,
        other=progress.awaiting_other,
        can_go_back=bool(progress.history),
    )


def _position(survey: Survey, progress: Progress, question: Question) -> tuple[int, int]:
    """ "Question N of M" along the participant's own path: N counts the questions answered on the
    way here plus this one, M adds the later questions that may still come. A later question whose
    condition names an answer not given yet may come; one whose condition is already false won't.
    So N never jumps over a question that was left out, and M can only shrink as answers come in."""
    number = len(progress.history) + 1
    coming, conditional = survey.answerable_after(question.id)
    for candidate in conditional:
        condition = candidate.show_if
        assert condition is not None
        if not referenced_names(condition) <= progress.answers.keys() or evaluate(condition, progress.answers):
            coming += 1
    return number, number + coming


def _refuse(
    survey: Survey, progress: Progress, question: Question, reason: Rejected, message: Text | None = None
) -> StepResult:
    return StepResult(progress, say=(Refused(reason, question, message), _ask(survey, progress, question)))


def _toggle(survey: Survey, progress: Progress, question: Question, option_id: str) -> StepResult:
    kind = kind_of(question)
    if not kind.toggles or option_id not in {oid for oid, _ in kind.options(question)}:
        return _refuse(survey, progress, question, Rejected(Refusal.NOT_AN_OPTION))
    toggled = list(progress.toggled)
    if option_id in toggled:
        toggled.remove(option_id)
    else:
        toggled.append(option_id)
    new = replace(progress, toggled=tuple(toggled))
    return StepResult(new, say=(_ask(survey, new, question),))


def _finish_toggles(
    survey: Survey, progress: Progress, question: Question, *, today: dt.date, words: AnswerWords
) -> StepResult:
    kind = kind_of(question)
    if not kind.toggles:
        return _refuse(survey, progress, question, Rejected(Refusal.NOT_AN_OPTION))
    chosen = [oid for oid, _ in kind.options(question) if oid in progress.toggled]
    if not chosen:
        if not question.required:
            return _accept(survey, replace(progress, toggled=()), question, Accepted(None), today=today)
        return _refuse(survey, progress, question, Rejected(Refusal.EMPTY))
    verdict = kind.ticked(question, chosen)
    if isinstance(verdict, Rejected):
        return _refuse(survey, progress, question, verdict)
    return _accept(survey, replace(progress, toggled=()), question, verdict, today=today)


def _accept(
    survey: Survey, progress: Progress, question: Question, accepted: Accepted, *, today: dt.date
) -> StepResult:
    value = accepted.value
    if question.constraint is not None and value is not None:
        env = {**progress.answers, "value": value}
        if not evaluate(question.constraint, env):
            return _refuse(survey, progress, question, Rejected(Refusal.CONSTRAINT), question.constraint_message)
    answers = {**progress.answers, question.id: value}
    # built, not replaced, here and below: every answer passes, and the constructor is the cheaper
    progressed = Progress(progress.current, progress.history, answers, progress.awaiting_other, (), progress.status)
    if accepted.needs_other:
        waiting = replace(progressed, awaiting_other=True)
        return StepResult(waiting, say=(_ask(survey, waiting, question),))
    change = AnswerChange(question.id, question.type.value, value, accepted.other_text)
    return _after_answer(survey, progressed, question, change)


def _take_other(survey: Survey, progress: Progress, question: Question, action: Action) -> StepResult:
    text = normalize_text(action.given.text or "") if action.given and action.given.text else ""
    if action.kind == "skip" or not text:
        return _refuse(survey, progress, question, Rejected(Refusal.EMPTY))
    length = max(len(text), action.given.sent_length if action.given else 0)
    if length > MAX_OTHER_LENGTH:
        return _refuse(
            survey, progress, question, Rejected(Refusal.TOO_LONG, {"max": MAX_OTHER_LENGTH, "length": length})
        )
    done = replace(progress, awaiting_other=False)
    change = AnswerChange(question.id, question.type.value, progress.answers.get(question.id), text)
    return _after_answer(survey, done, question, change)


def _after_answer(survey: Survey, progress: Progress, question: Question, change: AnswerChange) -> StepResult:
    if question.end_if is not None and evaluate(question.end_if, progress.answers):
        ended = replace(progress, current=None, status="ended")
        return StepResult(ended, (change,), (Finished(True, question.end_text or survey.outro, ended.answers),))
    history = (*progress.history, question.id)
    moved = Progress(
        progress.current, history, progress.answers, progress.awaiting_other, progress.toggled, progress.status
    )
    return _advance(survey, moved, after=question.id, say=[], changes=[change])


def _advance(
    survey: Survey, progress: Progress, *, after: str | None, say: list[Say], changes: list[AnswerChange]
) -> StepResult:
    """Move to the next question that is shown, showing ``info`` statements on the way.

    A question whose ``show_if`` is false now loses an answer it may have from
    before the participant went back and changed an earlier one.
    """
    start_at = 0 if after is None else survey.index_of(after) + 1
    answers = dict(progress.answers)
    for question in survey.questions[start_at:]:
        if question.show_if is not None and not evaluate(question.show_if, answers):
            if question.id in answers:
                del answers[question.id]
                changes.append(AnswerChange(question.id, question.type.value, delete=True))
            continue
        if not question.answerable:
            say.append(Statement(question.text, question.hint))
            continue
        new = Progress(current=question.id, history=progress.history, answers=answers, status=progress.status)
        say.append(_ask(survey, new, question))
        return StepResult(new, tuple(changes), tuple(say))
    done = replace(progress, current=None, answers=answers, status="completed")
    say.append(Finished(False, survey.outro, answers))
    return StepResult(done, tuple(changes), tuple(say))


def _back_to_options(survey: Survey, progress: Progress, question: Question) -> StepResult:
    """Back from the "other" free text to the options of the same question (a multi keeps its ticks)."""
    chosen = progress.answers.get(question.id)
    answers = {k: v for k, v in progress.answers.items() if k != question.id}
    toggled = tuple(str(c) for c in chosen) if kind_of(question).toggles and isinstance(chosen, list) else ()
    new = replace(progress, answers=answers, awaiting_other=False, toggled=toggled)
    return StepResult(new, say=(_ask(survey, new, question),))


def _back(survey: Survey, progress: Progress) -> StepResult:
    question = survey.question(progress.current or "")
    if not progress.history or question is None:
        assert question is not None
        return _refuse(survey, progress, question, Rejected(Refusal.NO_WAY_BACK))
    previous = survey.question(progress.history[-1])
    assert previous is not None
    new = replace(progress, current=previous.id, history=progress.history[:-1], awaiting_other=False, toggled=())
    ask = replace(_ask(survey, new, previous), changing=previous.id in new.answers, given=new.answers.get(previous.id))
    return StepResult(new, say=(ask,))
