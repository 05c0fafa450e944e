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
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from storage.idea_records import AuditRecord, IdeaOrder, IdeaRecord
from storage.records import (
    AnswerRecord,
    ContactRecord,
    OutboxRecord,
    PaperForm,
    ParticipantId,
    ParticipantRecord,
    ResponseRecord,
    ReviewState,
    VisitorRecord,
)
from storage.schedule_records import DeliveryKind, DeliveryStatus, DigestCounts, OpenResponse, SubscriptionKind

if TYPE_CHECKING:
    from apscheduler.jobstores.base import BaseJobStore

    from storage.leader import LeaderLock

__all__ = ["Store", "Transaction"]


class Transaction(Protocol):
    # --- de-duplication -------------------------------------------------------
    def claim_event(self, channel: str, event_id: str, now: dt.datetime) -> bool:
        """Record that this event is handled. False if it was already: skip it."""

    def forget_events(self, before: dt.datetime) -> int:
        """Delete the de-duplication keys of events handled before ``before``; how many."""

    # --- participants ---------------------------------------------------------
    def find_participant(self, channel: str, sender: str, *, lock: bool = True) -> ParticipantRecord | None:
        """Look up by the keyed hash of (channel, sender); locks the row (FOR UPDATE) when asked."""

    def create_participant(
        self, channel: str, sender: str, address: str, language: str | None, now: dt.datetime
    ) -> ParticipantRecord:
        """A new participant without consent, with a random id and pseudonym, and its contact."""

    def get_participant(self, participant_id: ParticipantId) -> ParticipantRecord | None: ...

    def find_visitor(self, channel: str, sender: str) -> VisitorRecord | None:
        """Somebody who wrote but has not agreed (yet), by the keyed hash of (channel, sender)."""

    def save_visitor(
        self, channel: str, sender: str, language: str | None, state: dict[str, Any], now: dt.datetime
    ) -> None:
        """Keep (or replace) what asking a visitor again needs."""

    def forget_visitor(self, channel: str, sender: str) -> None: ...

    def forget_visitors(self, before: dt.datetime) -> int:
        """Forget visitors last seen before ``before``; returns how many."""

    def find_by_pseudonym(self, pseudonym: str) -> ParticipantRecord | None:
        """The participant with this pseudonym (as in their own data file and the exports)."""

    def update_participant(
        self,
        participant_id: ParticipantId,
        *,
        now: dt.datetime,
        language: str | None = ...,
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
        their outbox rows. Detached anonymous responses stay (they are not theirs any more)."""

    def redact_quotes(self, quotes: Sequence[str], replacement: str) -> int:
        """Replace ``quotes`` in the texts of every outbox row (what others were sent quoting an
        erased citizen); returns the rows changed."""

    def purge_sent(self, before: dt.datetime) -> int:
        """Forget the texts of outbox rows sent or failed before ``before``; the rows stay."""

    def participant_data(self, participant_id: ParticipantId) -> dict[str, Any]:
        """Everything stored about them, JSON-ready (no hashes, no secrets)."""

    # --- responses ------------------------------------------------------------
    def find_response(self, participant_id: ParticipantId, process_id: str) -> ResponseRecord | None:
        """Their response to this process (active, completed, ended), if any."""

    def start_response(
        self, participant_id: ParticipantId, process_id: str, now: dt.datetime, channel: str | None = None
    ) -> ResponseRecord: ...

    def find_form(self, process_id: str, form_number: str) -> ResponseRecord | None:
        """The response stored from paper or phone form ``form_number`` of the process."""

    def store_form(
        self,
        process_id: str,
        form: PaperForm,
        answers: Sequence[tuple[str, str, Any, str | None]],
        now: dt.datetime,
    ) -> int:
        """Store one paper or phone form's answers (question id, type, value, other text); its id."""

    def delete_response(self, response_id: int) -> None:
        """Remove a response and its answers (a form replaced by its corrected entry)."""

    def forms_in_batch(self, process_id: str, batch: str) -> list[str]:
        """The form numbers stored in one batch of the process."""

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
        """Insert or replace the answer to one question (answering again after 'back'); the
        response's ``updated_at`` moves with the ``save_progress`` that follows."""

    def delete_answer(self, response_id: int, question_id: str) -> None: ...

    def answers(self, response_id: int) -> Sequence[AnswerRecord]: ...

    def finish_response(self, response_id: int, status: str, now: dt.datetime, *, detach: bool) -> None:
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
    ) -> OutboxRecord:
        """Add a row to the outbox; its ``txn_id`` is a fresh random id. Returns the row as stored."""

    @property
    def queued(self) -> Sequence[OutboxRecord]:
        """The outbox rows this transaction wrote, in order (for the senders of this process)."""

    # --- ideas (issue 5: idea calls) ----------------------------------------------
    def create_idea(self, values: dict[str, Any], now: dt.datetime) -> IdeaRecord:
        """A new idea (status ``received``) with a fresh unique reference like ``I-7KQ2``.
        ``values``: process_id, participant_id, pseudonym, category, text, location, photo, visibility."""

    def get_idea(self, ref: str) -> IdeaRecord | None:
        """By reference, in any case."""

    def ideas(
        self,
        process_id: str,
        *,
        visibility: Sequence[str] | None = None,
        status: str | None = None,
        category: str | None = None,
        order: IdeaOrder = "newest",
        offset: int = 0,
        limit: int | None = None,
    ) -> Sequence[IdeaRecord]:
        """The ideas of a call, newest or most supported first, with their support counts."""

    def update_idea(self, idea_id: int, now: dt.datetime, values: dict[str, Any]) -> None:
        """Change visibility, status and/or reason."""

    def add_support(self, idea_id: int, participant_id: ParticipantId, now: dt.datetime) -> bool:
        """False when they supported it already."""

    def remove_support(self, idea_id: int, participant_id: ParticipantId) -> bool: ...

    def has_supported(self, idea_id: int, participant_id: ParticipantId) -> bool: ...

    def supporters(self, idea_id: int) -> Sequence[ParticipantId]: ...

    def add_report(self, idea_id: int, participant_id: ParticipantId, now: dt.datetime) -> int | None:
        """The report count after this report; None when they reported it already."""

    def clear_reports(self, idea_id: int) -> None: ...

    def record_audit(
        self,
        idea: IdeaRecord,
        actor: str,
        action: str,
        now: dt.datetime,
        *,
        status: str | None = None,
        reason: str | None = None,
    ) -> None:
        """One moderation action: who, what, why; kept after the idea is erased."""

    def idea_audit(self, process_id: str) -> Sequence[AuditRecord]: ...

    # --- scheduled work: subscriptions and the delivery log (bot/scheduled/sweeps.py) -----
    def subscriptions(self, participant_id: ParticipantId) -> list[tuple[SubscriptionKind, str]]:
        """What the participant follows, as (kind, value) pairs, sorted."""

    def set_subscription(
        self, participant_id: ParticipantId, kind: SubscriptionKind, value: str, on: bool, now: dt.datetime
    ) -> None:
        """Follow (``on``) or stop following one topic, district, "all" or event."""

    def clear_subscriptions(self, participant_id: ParticipantId) -> None: ...

    def invitation_recipients(
        self, process_id: str, topics: Sequence[str], districts: Sequence[str]
    ) -> list[ParticipantId]:
        """Consented subscribers of "all" or of a matching topic or district, not yet invited."""

    def event_subscribers(self, value: str) -> list[ParticipantId]: ...

    def open_responses(self, process_id: str) -> list[OpenResponse]:
        """Started, unfinished responses of a process, with the time of their last answer."""

    def delivered_slots(self, participant_id: ParticipantId, process_id: str, kind: DeliveryKind) -> set[str]: ...

    def count_deliveries(self, participant_id: ParticipantId, since: dt.datetime, kinds: Sequence[DeliveryKind]) -> int:
        """Queued (not dropped) deliveries of these kinds since ``since``: the weekly cap's count."""

    def record_delivery(
        self,
        participant_id: ParticipantId,
        process_id: str,
        kind: DeliveryKind,
        slot: str,
        status: DeliveryStatus,
        now: dt.datetime,
    ) -> bool:
        """Claim one (participant, process, kind, slot); False if it was claimed before."""

    def inactive_participants(self, before: dt.datetime, limit: int) -> Sequence[ParticipantId]:
        """Participants last seen before ``before``, oldest first (for retention)."""

    def digest_counts(self, since: dt.datetime) -> DigestCounts: ...


class Store(Protocol):
    url: str
    writers: int
    """How many write transactions are worth running at once: SQLite writes one at a time, and a
    PostgreSQL server works on one while the next waits for its round trip."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One unit of work: commits on normal exit, rolls back on an exception."""

    def transactions(self) -> AbstractContextManager[Callable[[], Transaction]]:
        """Several units of work in one database transaction, all committed together on normal
        exit or none of them on an exception: each call of what it yields opens one more unit
        (with rows queued of its own) over that transaction. What an engine batches turns with."""

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

    def retry_waits(self, channel: str, now: dt.datetime) -> dict[str, dt.datetime]:
        """Addresses whose rows wait out a retry, with the end of the wait (their later rows wait too)."""

    def mark_retry(self, outbox_id: int, not_before: dt.datetime, error: str) -> None:
        """Count an attempt and try again later."""

    def mark_failed(self, outbox_id: int, error: str, now: dt.datetime) -> None:
        """Give up on this row (kept for staff to see; never sent)."""

    def deactivate_address(self, channel: str, address: str, now: dt.datetime) -> None:
        """The platform says this address is gone: mark contacts inactive, fail their pending rows."""

    def outbox_pending(self, channel: str | None = None) -> int: ...

    def transcript(self, channel: str, address: str, limit: int = 200) -> Sequence[OutboxRecord]:
        """The last ``limit`` rows of an address that still hold their text, oldest first (the web
        chat's page)."""

    def outbox_waiting(self) -> Sequence[tuple[str, dt.datetime, int]]:
        """The pending rows as (channel, may be sent from, how many), earliest first."""

    # --- channel cursors (Matrix next_batch and the like) ----------------------
    def get_cursor(self, key: str) -> str | None: ...

    def set_cursor(self, key: str, value: str, now: dt.datetime) -> None: ...

    # --- results and exports --------------------------------------------------
    def process_ids_with_answers(self) -> Sequence[str]: ...

    def answered_questions(self, process_id: str, option_types: Collection[str]) -> dict[str, tuple[str, set[str]]]:
        """question id -> (its stored question type, the option ids used in stored answers of the
        ``option_types``), for the check that a changed file does not orphan answers."""

    def responses(self, process_id: str) -> Iterator[tuple[ResponseRecord, Sequence[AnswerRecord]]]:
        """Every response of a process with its answers, in start order, streamed in batches.
        Completed-but-detached originals (they hold no answers) are not yielded."""

    def count_responses(self, process_id: str) -> int: ...

    # --- free-text review for public reports ------------------------------------
    def text_reviews(self, process_id: str, texts: Sequence[tuple[str, str]]) -> list[ReviewState | None]:
        """Staff's decision on each (question id, text): approved, hidden, or None (not reviewed)."""

    def review_texts(
        self, process_id: str, texts: Sequence[tuple[str, str]], state: ReviewState, actor: str, now: dt.datetime
    ) -> None:
        """Record a decision on each (question id, text); a later one replaces it."""

    # --- scheduled work -------------------------------------------------------
    def leader_lock(self, name: str = "mitwirken-scheduler") -> LeaderLock:
        """The lock whose holder does what only one process may do, by ``name``: run the
        scheduler, send one channel's outbox (PostgreSQL: an advisory lock)."""

    def job_store(self) -> BaseJobStore:
        """apscheduler's job store in this database."""
