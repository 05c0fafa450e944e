"""Results of a process: answers aggregated into the JSON shape of ``mitwirken results``.

Pure: it takes plain data (``ResponseData``, ``IdeaData``) that ``bot/`` builds
from the store, and returns plain dicts. ``survey_results`` reads the
responses once, keeping per question only what its summary needs (counts, the
numbers for the median, the texts: each type's ``tally``), so it can stream 100,000 responses.

A ``Grouping`` adds a breakdown: the same summaries once more for each group of
responses (the answer to a choice or yes/no question, or the channel), computed in
the same pass, so the groups add up to the whole by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.model import IdeaCall, Survey
from surveys.question_types import KINDS, kind_of
from surveys.question_types.base import Tally

__all__ = [
    "CHANNEL",
    "GROUPABLE_TYPES",
    "NO_ANSWER",
    "Grouping",
    "IdeaData",
    "ResponseData",
    "channel_grouping",
    "counts_in_results",
    "idea_results",
    "question_grouping",
    "survey_results",
]

GROUPABLE_TYPES = frozenset(t for t, kind in KINDS.items() if kind.groups_responses)  # groups that don't overlap
NO_ANSWER = "_none"  # the group of responses without an answer to the grouping question

FINISHED = frozenset({"completed", "ended", "anonymous"})  # anonymous rows are always finished ones


@dataclass(frozen=True)
class ResponseData:
    """One response: its status and the stored answers (question id -> value, None = skipped)."""

    status: str
    answers: Mapping[str, object]
    other_texts: Mapping[str, str] = field(default_factory=dict)
    started_on: dt.date | None = None  # the local day it began (for the weeks of ``responses``)
    channel: str | None = None  # where it came in (telegram, web, paper, phone …); None: from before that was recorded


@dataclass(frozen=True)
class Grouping:
    """A breakdown: ``key`` puts a response in one group (``NO_ANSWER`` for none); ``groups`` are
    the keys in the order shown (keys met beyond them follow in the order met)."""

    by: str  # what is grouped by: a question id, or "channel"
    key: Callable[[ResponseData], str]
    groups: tuple[str, ...] = ()


def question_grouping(survey: Survey, question_id: str) -> Grouping:
    """Groups by the answer to a choice or yes/no question (``ValueError`` for any other)."""
    question = survey.question(question_id)
    if question is None or question.type not in GROUPABLE_TYPES:
        raise ValueError(question_id)
    keys = tuple(oid for oid, _ in kind_of(question).options(question))

    def key(response: ResponseData) -> str:
        value = response.answers.get(question_id)
        if value is None:
            return NO_ANSWER
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    return Grouping(question_id, key, (*keys, NO_ANSWER))


CHANNEL = "channel"  # the ``by`` of a breakdown by channel


def channel_grouping() -> Grouping:
    """Groups by the channel a response came in by (``ResponseData.channel``)."""
    return Grouping(CHANNEL, lambda response: response.channel or NO_ANSWER)


@dataclass(frozen=True)
class IdeaData:
    """One idea as results show it."""

    id: int | str
    status: str
    category: str | None
    text: str
    supporters: int
    visibility: str = "published"  # pending | published | rejected | hidden | reported
    status_news: int = 0  # status changes, each told to its author and supporters


def counts_in_results(survey: Survey, status: str) -> bool:
    """Whether a response with ``status`` counts in results and exports (the one rule for both).

    An anonymous survey counts a response only once it is finished and detached
    (status ``anonymous``): until then its answers are still linked to the person,
    who may go on, so they can be neither shown nor exported without them."""
    return status == "anonymous" if survey.anonymous else True


def survey_results(survey: Survey, responses: Iterable[ResponseData], by: Grouping | None = None) -> dict[str, Any]:
    """The results of a survey in the shape of ``mitwirken results --format json``.

    For an anonymous survey ``responses`` also has ``unfinished_not_counted``: the
    begun responses left out by :func:`counts_in_results`; with days given it has
    ``weeks``: started and completed per week (keyed by its Monday), with channels given
    ``channels`` the same per channel. ``by`` adds
    ``breakdown``: ``{"by", "groups": [{"key", "responses", "questions"}]}``."""
    whole = _Part(survey)
    parts: dict[str, _Part] = {key: _Part(survey) for key in by.groups} if by else {}
    left_out = 0
    for response in responses:
        if not counts_in_results(survey, response.status):
            left_out += 1
            continue
        whole.add(response)
        if by is not None:
            key = by.key(response)
            part = parts.get(key)
            if part is None:
                part = parts[key] = _Part(survey)
            part.add(response)
    result = {
        "id": survey.id,
        "kind": "survey",
        "responses": whole.responses() | ({"unfinished_not_counted": left_out} if survey.anonymous else {}),
        "questions": whole.questions(),
    }
    if by is not None:
        groups = [{"key": key, "responses": p.responses(), "questions": p.questions()} for key, p in parts.items()]
        result["breakdown"] = {"by": by.by, "groups": groups}
    return result


class _Part:
    """The tallies of one set of responses: the whole survey, or one group of a breakdown."""

    def __init__(self, survey: Survey) -> None:
        self.tallies: list[Tally] = [kind_of(q).tally(q) for q in survey.questions if q.answerable]
        self.started = self.completed = 0
        self.weeks: dict[str, list[int]] = {}
        self.channels: dict[str, list[int]] = {}

    def add(self, response: ResponseData) -> None:
        self.started += 1
        finished = response.status in FINISHED
        self.completed += finished
        if response.started_on is not None:
            monday = (response.started_on - dt.timedelta(days=response.started_on.weekday())).isoformat()
            week = self.weeks.setdefault(monday, [0, 0])
            week[0] += 1
            week[1] += finished
        if response.channel is not None:
            channel = self.channels.setdefault(response.channel, [0, 0])
            channel[0] += 1
            channel[1] += finished
        for tally in self.tallies:
            qid = tally.question.id
            tally.add(response.answers.get(qid), response.other_texts.get(qid))

    def responses(self) -> dict[str, Any]:
        counts: dict[str, Any] = {"started": self.started, "completed": self.completed}
        if self.weeks:
            counts["weeks"] = {
                week: {"started": started, "completed": completed}
                for week, (started, completed) in sorted(self.weeks.items())
            }
        if self.channels:
            counts["channels"] = {
                channel: {"started": started, "completed": completed}
                for channel, (started, completed) in sorted(self.channels.items())
            }
        return counts

    def questions(self) -> list[dict[str, Any]]:
        return [tally.summary() for tally in self.tallies]


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
                "status_news": i.status_news,
            }
            for i in ideas
        ],
    }
