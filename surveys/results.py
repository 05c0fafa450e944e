"""Results of a process: answers aggregated into the JSON shape of ``mitwirken results``.

Pure: it takes plain data (``ResponseData``, ``IdeaData``) that ``bot/`` builds
from the store, and returns plain dicts. ``survey_results`` reads the
responses once, keeping per question only what its summary needs (counts, the
numbers for the median, the texts: each type's ``tally``), so it can stream 100,000 responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.model import IdeaCall, Survey
from surveys.question_types import kind_of

__all__ = ["IdeaData", "ResponseData", "counts_in_results", "idea_results", "survey_results"]

FINISHED = frozenset({"completed", "ended", "anonymous"})  # anonymous rows are always finished ones


@dataclass(frozen=True)
class ResponseData:
    """One response: its status and the stored answers (question id -> value, None = skipped)."""

    status: str
    answers: Mapping[str, object]
    other_texts: Mapping[str, str] = field(default_factory=dict)
    channel: str | None = None  # where it was answered (telegram, web, paper, phone, …); None: not recorded


@dataclass(frozen=True)
class IdeaData:
    """One idea as results show it."""

    id: int | str
    status: str
    category: str | None
    text: str
    supporters: int
    visibility: str = "published"  # pending | published | rejected | hidden | reported


def counts_in_results(survey: Survey, status: str) -> bool:
    """Whether a response with ``status`` counts in results and exports (the one rule for both).

    An anonymous survey counts a response only once it is finished and detached
    (status ``anonymous``): until then its answers are still linked to the person,
    who may go on, so they can be neither shown nor exported without them."""
    return status == "anonymous" if survey.anonymous else True


class _Summary:
    """The results of one survey, filled one response at a time."""

    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self.tallies = [kind_of(q).tally(q) for q in survey.questions if q.answerable]
        self.started = self.completed = self.left_out = 0

    def add(self, response: ResponseData) -> None:
        if not counts_in_results(self.survey, response.status):
            self.left_out += 1
            return
        self.started += 1
        if response.status in FINISHED:
            self.completed += 1
        for tally in self.tallies:
            qid = tally.question.id
            tally.add(response.answers.get(qid), response.other_texts.get(qid))

    def result(self) -> dict[str, Any]:
        counts = {"started": self.started, "completed": self.completed}
        return {
            "id": self.survey.id,
            "kind": "survey",
            "responses": counts | ({"unfinished_not_counted": self.left_out} if self.survey.anonymous else {}),
            "questions": [tally.summary() for tally in self.tallies],
        }


def survey_results(survey: Survey, responses: Iterable[ResponseData], *, by_channel: bool = False) -> dict[str, Any]:
    """The results of a survey in the shape of ``mitwirken results --format json``.

    For an anonymous survey ``responses`` also has ``unfinished_not_counted``: the
    begun responses left out by :func:`counts_in_results`. ``by_channel`` adds
    ``by: "channel"`` and ``groups``: the same results for each channel (``channel``
    null for responses from before channels were recorded), in the order first seen."""
    total = _Summary(survey)
    groups: dict[str | None, _Summary] = {}
    for response in responses:
        total.add(response)
        if by_channel:
            groups.setdefault(response.channel, _Summary(survey)).add(response)
    result = total.result()
    if by_channel:
        result["by"] = "channel"
        result["groups"] = [{"channel": channel} | group.result() for channel, group in groups.items()]
    return result


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
