"""The results of a process as ``results``, ``report`` and ``texts`` read them from the store.

One place builds the ``surveys.results`` dict from stored responses (with a
progress bar on long runs), one resolves ``--by``, one lists the free texts
staff review, and one applies small-group protection with staff's review
decisions: so ``results --format json``, ``results --public`` and a report
always start from the same numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.config import Config
from bot.staff.errors import CommandError
from bot.staff.export import with_progress
from storage.contract import Store
from surveys.disclosure import protect_results
from surveys.model import Survey
from surveys.problems import did_you_mean
from surveys.results import (
    CHANNEL,
    GROUPABLE_TYPES,
    Grouping,
    ResponseData,
    channel_grouping,
    question_grouping,
    survey_results,
)

__all__ = ["PROGRESS_FROM", "Opened", "Reading", "grouping_for", "public_results", "review_texts_of", "survey_data"]

PROGRESS_FROM = 1000  # responses from which a progress bar is shown even when stderr is no terminal


class Opened(Protocol):
    """What reading results needs: the config and the store (an opened core has both)."""

    @property
    def config(self) -> Config: ...

    @property
    def store(self) -> Store: ...


@dataclass(frozen=True)
class Reading:
    """The config and a store opened for reading results, without the engine a core builds."""

    config: Config
    store: Store


def grouping_for(survey: Survey, by: str | None) -> Grouping | None:
    """The breakdown ``--by`` asks for: a choice or yes/no question of ``survey``, or the channel."""
    if by is None:
        return None
    if by == CHANNEL:
        return channel_grouping()
    try:
        return question_grouping(survey, by)
    except ValueError:
        fitting = [q.id for q in survey.questions if q.type in GROUPABLE_TYPES]
        hint = did_you_mean(by, fitting) or (f"use one of: {', '.join(fitting)}" if fitting else "it has none")
        raise CommandError(
            f"--by {by}: {survey.id} has no choice or yes/no question {by!r} to break the results down by ({hint})"
        ) from None


def survey_data(
    core: Opened, survey: Survey, by: Grouping | None = None, *, progress: bool | None = None
) -> dict[str, Any]:
    """``survey_results`` of the stored responses; a progress bar on stderr for a long run
    (``progress`` None: on a terminal, or from ``PROGRESS_FROM`` responses)."""
    zone = core.config.bot.zone
    records: Iterable[Any] = core.store.responses(survey.id)
    if progress is None:
        total = core.store.count_responses(survey.id)
        progress = total >= PROGRESS_FROM or (sys.stderr.isatty() and total > 100)
        if progress:
            records = with_progress(records, total, "Reading responses")
    data = (
        ResponseData(
            status=record.status,
            answers={a.question_id: a.value for a in answers},
            other_texts={a.question_id: a.other_text for a in answers if a.other_text},
            started_on=record.started_at.astimezone(zone).date(),
            channel=record.channel,
        )
        for record, answers in records
    )
    return survey_results(survey, data, by)


def review_texts_of(results: dict[str, Any]) -> list[tuple[str, str]]:
    """Every free text staff review, as (question id, text), once each, in the results' order:
    text answers, "other" texts, places in words."""
    found: dict[tuple[str, str], None] = {}
    for summary in results.get("questions", []):
        qid = summary["id"]
        for key in ("answers", "other_answers"):
            if summary.get("type") == "date" and key == "answers":
                continue
            for answer in summary.get(key) or []:
                if isinstance(answer, str):
                    found[(qid, answer)] = None
                elif isinstance(answer, dict) and "text" in answer and "lat" not in answer:
                    found[(qid, str(answer["text"]))] = None
    return list(found)


def public_results(core: Opened, results: dict[str, Any]) -> dict[str, Any]:
    """``results`` protected for the public: ``[reports] min_group``, and only approved texts."""
    texts = review_texts_of(results) if results.get("kind") != "ideas" else []
    states = core.store.text_reviews(results["id"], texts) if texts else []
    approved = {text for text, state in zip(texts, states, strict=True) if state == "approved"}
    return protect_results(results, core.config.reports.min_group, lambda qid, text: (qid, text) in approved)
