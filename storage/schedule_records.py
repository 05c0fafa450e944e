"""Plain records of scheduled work that the store hands out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from storage.records import ParticipantId

__all__ = ["ALL", "DeliveryKind", "DeliveryStatus", "DigestCounts", "OpenResponse", "SubscriptionKind"]

ALL = "*"  # the value of the "all" subscription
SubscriptionKind = Literal["topic", "district", "all", "event"]
DeliveryKind = Literal["invitation", "reminder", "last_chance", "event", "digest"]
DeliveryStatus = Literal["queued", "dropped"]


@dataclass(frozen=True)
class OpenResponse:
    """A response someone started and did not finish: who, and when they last answered."""

    participant_id: ParticipantId
    last_answer_at: dt.datetime


@dataclass(frozen=True)
class DigestCounts:
    """What happened since a moment: per process (started, completed), and ideas waiting for staff."""

    responses: dict[str, tuple[int, int]]
    ideas_waiting: int | None  # None: this database has no idea tables
