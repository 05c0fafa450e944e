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


def survey_results(survey: Survey, responses: Iterable[ResponseData]) -> dict[str, Any]:
    """The results of a survey in the shape of ``mitwirken results --format json``.

    For an anonymous survey ``responses`` also has ``unfinished_not_counted``: the
    begun responses left out by :func:`counts_in_results`."""
    tallies = [kind_of(q).tally(q) for q in survey.questions if q.answerable]
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
