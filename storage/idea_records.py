"""Plain records of idea calls the store hands out: ideas and moderation audit entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from storage.records import ParticipantId

__all__ = [
    "IDEA_STATUSES",
    "AuditRecord",
    "IdeaOrder",
    "IdeaRecord",
    "IdeaStatus",
    "IdeaVisibility",
]

IdeaVisibility = Literal["pending", "published", "rejected", "hidden", "reported"]
"""``pending``: waits for staff (moderation "before"); ``published``: others see it;
``rejected``: staff turned it down before publishing; ``hidden``: staff took it down;
``reported``: hidden because citizens reported it, until staff look at it."""

IdeaStatus = Literal["received", "under_review", "accepted", "implementing", "declined"]
IDEA_STATUSES: tuple[IdeaStatus, ...] = ("received", "under_review", "accepted", "implementing", "declined")

IdeaOrder = Literal["newest", "support"]


@dataclass(frozen=True)
class IdeaRecord:
    id: int
    ref: str  # e.g. "I-7KQ2": what citizens and staff quote
    process_id: str
    participant_id: ParticipantId
    pseudonym: str  # the author's
    category: str | None
    text: str
    location: Any  # {"lat", "lon"} or {"text"}, or None
    photo: Any  # a PhotoRef as JSON ({"path", "mime_type", "size"}), or None
    visibility: IdeaVisibility
    status: IdeaStatus
    reason: str | None  # why rejected or declined
    created_at: dt.datetime
    updated_at: dt.datetime
    supporters: int = 0
    reports: int = 0


@dataclass(frozen=True)
class AuditRecord:
    idea_ref: str
    process_id: str
    actor: str  # a bot.staff entry ("telegram:123"), "cli:<login>" or "reports"
    action: str  # approve | reject | hide | status | reported
    status: str | None
    reason: str | None
    at: dt.datetime
