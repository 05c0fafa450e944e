"""The storage contract: what the program asks of the database, as two small protocols.

``Store`` is the long-lived handle; ``Transaction`` is one unit of work. The
engine handles one inbound event in exactly one transaction: claim the event
id, update the participant and their response, store the answer, enqueue the
replies — all committed together or not at all.

All datetimes are timezone-aware UTC. All methods are synchronous; async code
calls them through ``asyncio.to_thread``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from storage.records import (
    AnswerRecord,
    ContactRecord,
    OutboxRecord,
    ParticipantId,
    ParticipantRecord,
    ResponseRecord,
)

__all__ = ["Store", "Transaction"]


class Transaction(Protocol):
    # --- de-duplication -------------------------------------------------------
    def claim_event(self, channel: str, event_id: str, now: dt.datetime) -> bool:
        """Record that this event is handled. False if it was already: skip it."""

    # --- participants ---------------------------------------------------------
    def find_participant(self, channel: str, sender: str, *, lock: bool = True) -> ParticipantRecord | None:
        """Look up by the keyed hash of (channel, sender); locks the row (FOR UPDATE) when asked."""

    def create_participant(
        self, channel: str, sender: str, address: str, language: str | None, now: dt.datetime
    ) -> ParticipantRecord:
        """A new participant without consent, with a random id and pseudonym, and its contact."""

    def get_participant(self, participant_id: ParticipantId) -> ParticipantRecord | None: ...

    def update_participant(
        self,
        participant_id: ParticipantId,
        *,
        now: dt.datetime,
        language: str | None = ...,  # type: ignore[assignment]
        state: dict[str, Any] | None = None,
    ) -> None:
        """Change language and/or the dialogue state; always touches ``last_seen_at``."""

    def set_address(self, participant_id: ParticipantId, channel: str, address: str) -> None:
        """The participant now writes from ``address`` (reactivates the contact)."""

    def contacts(self, participant_id: ParticipantId) -> Sequence[ContactRecord]: ...

    def record_consent(self, participant_id: ParticipantId, version: str, now: dt.datetime) -> None:
        """Store the consent (and when); also sets ``ParticipantRecord.consent_at``."""

    def erase_participant(self, participant_id: ParticipantId) -> None:
        """Delete the participant, contacts, consents, their responses and answers and
        their pending outbox rows. Detached anonymous responses stay (they are not theirs any more)."""

    def participant_data(self, participant_id: ParticipantId) -> dict[str, Any]:
        """Everything stored about them, JSON-ready (no hashes, no secrets)."""

    # --- responses ------------------------------------------------------------
    def find_response(self, participant_id: ParticipantId, process_id: str) -> ResponseRecord | None:
        """Their response to this process (active, completed, ended), if any."""

    def start_response(self, participant_id: ParticipantId, process_id: str, now: dt.datetime) -> ResponseRecord: ...

    def save_progress(self, response_id: int, progress: dict[str, Any], now: dt.datetime) -> None: ...

    def save_answer(
        self,
        response_id: int,
        question_id: str,
        question_type: str,
        value: Any,
        other_text: str | None,
        now: dt.datetime,
    ) -> None:
        """Insert or replace the answer to one question (answering again after 'back')."""

    def delete_answer(self, response_id: int, question_id: str) -> None: ...

    def answers(self, response_id: int) -> Sequence[AnswerRecord]: ...

    def finish_response(
        self, response_id: int, status: str, now: dt.datetime, *, detach: bool
    ) -> None:
        """Mark completed/ended. ``detach``: move the answers to a new participant-less
        ``anonymous`` response with its own random pseudonym; the original row keeps only
        *that* they took part."""

    # --- outbox ---------------------------------------------------------------
    def enqueue(
        self,
        channel: str,
        address: str,
        payload: str,
        now: dt.datetime,
        *,
        participant_id: ParticipantId | None = None,
        not_before: dt.datetime | None = None,
    ) -> int:
        """Add a row to the outbox; its ``txn_id`` is a fresh random id."""


class Store(Protocol):
    url: str

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One unit of work: commits on normal exit, rolls back on an exception."""

    def upgrade(self) -> None:
        """Apply pending migrations (alembic upgrade head)."""

    def close(self) -> None: ...

    # --- outbox sender (each call is its own short transaction) ----------------
    def due_outbox(
        self, channel: str, now: dt.datetime, limit: int, *, address: str | None = None
    ) -> Sequence[OutboxRecord]:
        """Unsent rows of a channel (of one address, if given) whose ``not_before`` has come,
        oldest first."""

    def mark_sent(self, outbox_id: int, platform_id: str, now: dt.datetime) -> None: ...

    def mark_retry(self, outbox_id: int, not_before: dt.datetime, error: str) -> None:
        """Count an attempt and try again later."""

    def mark_failed(self, outbox_id: int, error: str, now: dt.datetime) -> None:
        """Give up on this row (kept for staff to see; never sent)."""

    def deactivate_address(self, channel: str, address: str, now: dt.datetime) -> None:
        """The platform says this address is gone: mark contacts inactive, fail their pending rows."""

    def outbox_pending(self, channel: str | None = None) -> int: ...

    # --- channel cursors (Matrix next_batch and the like) ----------------------
    def get_cursor(self, key: str) -> str | None: ...

    def set_cursor(self, key: str, value: str) -> None: ...

    # --- results and exports --------------------------------------------------
    def process_ids_with_answers(self) -> Sequence[str]: ...

    def answered_questions(self, process_id: str) -> dict[str, tuple[str, set[str]]]:
        """question id -> (its stored question type, the option ids used in stored answers),
        for the check that a changed file does not orphan answers."""

    def responses(self, process_id: str) -> Iterator[tuple[ResponseRecord, Sequence[AnswerRecord]]]:
        """Every response of a process with its answers, in start order, streamed in batches.
        Completed-but-detached originals (they hold no answers) are not yielded."""

    def count_responses(self, process_id: str) -> int: ...
