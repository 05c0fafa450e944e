"""Plain records the store hands out: detached from the database session, safe to keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, NewType

__all__ = [
    "AnswerRecord",
    "ContactRecord",
    "OutboxRecord",
    "PaperForm",
    "ParticipantId",
    "ParticipantRecord",
    "ResponseRecord",
    "ResponseStatus",
    "ReviewState",
]

ParticipantId = NewType("ParticipantId", str)
"""A random id (``secrets.token_hex``); never derived from a platform id."""

JSON = Any  # a value that json.dumps accepts

ReviewState = Literal["approved", "hidden"]
"""Staff's decision on a free-text answer: quoted in public reports, or not."""

ResponseStatus = Literal["active", "completed", "ended", "anonymous"]
"""``active``: in progress; ``completed``: finished; ``ended``: stopped by an ``end_if``;
``anonymous``: the detached answers of an anonymous survey (no participant)."""


@dataclass(frozen=True)
class ParticipantRecord:
    id: ParticipantId
    pseudonym: str  # short and random, e.g. "P-7KQ2MX": the only name in exports and logs
    language: str | None
    consent_at: dt.datetime | None  # None: asked, not yet given (nothing else is stored then)
    created_at: dt.datetime
    last_seen_at: dt.datetime
    state: dict[str, JSON] = field(default_factory=dict)  # the dialogue's own small state
    # the contact it was found by (``find_participant`` only; not part of the record's identity):
    # its address and whether it is active
    address: str | None = field(default=None, compare=False)
    contact_active: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class VisitorRecord:
    """Somebody who wrote but has not agreed yet: their language and small dialogue state only."""

    language: str | None
    state: dict[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True)
class ContactRecord:
    """One channel address of a participant: where replies go."""

    participant_id: ParticipantId
    channel: str
    address: str
    active: bool  # False once the platform said the citizen blocked the bot


@dataclass(frozen=True)
class ResponseRecord:
    id: int
    participant_id: ParticipantId | None  # None for detached anonymous responses
    pseudonym: str  # the participant's, or a random one of its own for anonymous responses
    process_id: str
    status: ResponseStatus
    started_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None
    progress: dict[str, JSON] = field(default_factory=dict)  # the runner's progress, as JSON
    channel: str | None = None  # where it was answered; None: before channels were recorded
    form_number: str | None = None  # paper and phone: the form's number
    batch: str | None = None  # paper and phone: the batch it was typed in or imported with
    entered_by: str | None = None  # paper and phone: the staff member who typed it in


@dataclass(frozen=True)
class PaperForm:
    """What is kept of a paper or phone form beside its answers: nothing about the respondent."""

    form_number: str
    channel: str  # "paper" or "phone"
    batch: str | None
    entered_by: str  # the staff member, e.g. "cli:anna"
    status: Literal["completed", "ended"] = "completed"
    anonymous: bool = False  # the survey is anonymous: stored like its detached answers


@dataclass(frozen=True)
class AnswerRecord:
    response_id: int
    question_id: str
    question_type: str
    value: JSON  # None: skipped
    other_text: str | None
    answered_at: dt.datetime


@dataclass(frozen=True)
class OutboxRecord:
    id: int
    channel: str
    address: str
    payload: str  # Reply.to_json()
    participant_id: ParticipantId | None
    created_at: dt.datetime
    not_before: dt.datetime
    attempts: int
    txn_id: str  # unique, stable across retries: Matrix's transaction id
