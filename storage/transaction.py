"""``SqlTransaction``: the storage contract's unit of work over one open database connection.

The methods only bind the connection (and the secret) to the queries in the
modules named for what they touch; the transaction itself is begun and ended by
:meth:`storage.store.SqlStore.transaction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import EllipsisType
from typing import Any

from sqlalchemy.engine import Connection

from storage import ideas, outbox, participants, personal_data, responses, scheduling, visitors
from storage.events import claim_event, forget_events
from storage.idea_records import AuditRecord, IdeaOrder, IdeaRecord
from storage.identifiers import user_hash
from storage.records import (
    AnswerRecord,
    ContactRecord,
    OutboxRecord,
    PaperForm,
    ParticipantId,
    ParticipantRecord,
    ResponseRecord,
    VisitorRecord,
)
from storage.schedule_records import DeliveryKind, DeliveryStatus, DigestCounts, OpenResponse, SubscriptionKind

__all__ = ["SqlTransaction"]


class SqlTransaction:
    """Implements :class:`storage.contract.Transaction`; valid only inside its ``with`` block."""

    def __init__(self, conn: Connection, secret: bytes) -> None:
        self._conn = conn
        self._secret = secret
        # what find_participant read along: (participant, process, their latest response to it);
        # used by the next find_response for it, forgotten at any change to a response
        self._prefetched: tuple[ParticipantId, str, ResponseRecord | None] | None = None
        self.queued: list[OutboxRecord] = []  # the outbox rows this transaction wrote, in order

    # --- de-duplication -------------------------------------------------------
    def claim_event(self, channel: str, event_id: str, now: dt.datetime) -> bool:
        return claim_event(self._conn, channel, event_id, now)

    def forget_events(self, before: dt.datetime) -> int:
        return forget_events(self._conn, before)

    # --- participants ---------------------------------------------------------
    def find_participant(self, channel: str, sender: str, *, lock: bool = True) -> ParticipantRecord | None:
        found, response = participants.find_participant_and_response(
            self._conn, channel, self._hash(channel, sender), lock=lock
        )
        process = found.state.get("process") if found is not None else None
        self._prefetched = (found.id, process, response) if found is not None and isinstance(process, str) else None
        return found

    def create_participant(
        self, channel: str, sender: str, address: str, language: str | None, now: dt.datetime
    ) -> ParticipantRecord:
        return participants.create_participant(self._conn, channel, self._hash(channel, sender), address, language, now)

    def find_visitor(self, channel: str, sender: str) -> VisitorRecord | None:
        return visitors.find_visitor(self._conn, channel, self._hash(channel, sender))

    def save_visitor(
        self, channel: str, sender: str, language: str | None, state: dict[str, Any], now: dt.datetime
    ) -> None:
        visitors.save_visitor(self._conn, channel, self._hash(channel, sender), language, state, now)

    def forget_visitor(self, channel: str, sender: str) -> None:
        visitors.forget_visitor(self._conn, channel, self._hash(channel, sender))

    def forget_visitors(self, before: dt.datetime) -> int:
        return visitors.forget_visitors(self._conn, before)

    def find_by_pseudonym(self, pseudonym: str) -> ParticipantRecord | None:
        return participants.find_by_pseudonym(self._conn, pseudonym)

    def get_participant(self, participant_id: ParticipantId) -> ParticipantRecord | None:
        return participants.get_participant(self._conn, participant_id)

    def update_participant(
        self,
        participant_id: ParticipantId,
        *,
        now: dt.datetime,
        language: str | EllipsisType | None = ...,
        state: dict[str, Any] | None = None,
    ) -> None:
        participants.update_participant(self._conn, participant_id, now=now, language=language, state=state)

    def set_address(self, participant_id: ParticipantId, channel: str, address: str) -> None:
        participants.set_address(self._conn, participant_id, channel, address)

    def contacts(self, participant_id: ParticipantId) -> Sequence[ContactRecord]:
        return participants.contacts(self._conn, participant_id)

    def record_consent(self, participant_id: ParticipantId, version: str, now: dt.datetime) -> None:
        participants.record_consent(self._conn, participant_id, version, now)

    def erase_participant(self, participant_id: ParticipantId) -> None:
        self._prefetched = None
        ideas.erase_ideas_of(self._conn, participant_id)
        participants.erase_participant(self._conn, participant_id)

    def redact_quotes(self, quotes: Sequence[str], replacement: str) -> int:
        return outbox.redact_quotes(self._conn, quotes, replacement)

    def purge_sent(self, before: dt.datetime) -> int:
        return outbox.purge_sent(self._conn, before)

    def participant_data(self, participant_id: ParticipantId) -> dict[str, Any]:
        conn = self._conn
        return (
            personal_data.participant_data(conn, participant_id)
            | ideas.ideas_data(conn, participant_id)
            | scheduling.scheduling_data(conn, participant_id)
        )

    # --- responses ------------------------------------------------------------
    def find_response(self, participant_id: ParticipantId, process_id: str) -> ResponseRecord | None:
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is not None and prefetched[:2] == (participant_id, process_id):
            return prefetched[2]
        return responses.find_response(self._conn, participant_id, process_id)

    def start_response(
        self, participant_id: ParticipantId, process_id: str, now: dt.datetime, channel: str | None = None
    ) -> ResponseRecord:
        self._prefetched = None
        return responses.start_response(self._conn, participant_id, process_id, now, channel)

    def find_form(self, process_id: str, form_number: str) -> ResponseRecord | None:
        return responses.find_form(self._conn, process_id, form_number)

    def store_form(
        self,
        process_id: str,
        form: PaperForm,
        answers: Sequence[tuple[str, str, Any, str | None]],
        now: dt.datetime,
    ) -> int:
        return responses.store_form(self._conn, process_id, form, answers, now)

    def delete_response(self, response_id: int) -> None:
        responses.delete_response(self._conn, response_id)

    def forms_in_batch(self, process_id: str, batch: str) -> list[str]:
        return responses.forms_in_batch(self._conn, process_id, batch)

    def save_progress(self, response_id: int, progress: dict[str, Any], now: dt.datetime) -> None:
        self._prefetched = None
        responses.save_progress(self._conn, response_id, progress, now)

    def save_answer(
        self,
        response_id: int,
        question_id: str,
        question_type: str,
        value: Any,
        other_text: str | None,
        now: dt.datetime,
    ) -> None:
        self._prefetched = None
        responses.save_answer(self._conn, response_id, question_id, question_type, value, other_text, now)

    def delete_answer(self, response_id: int, question_id: str) -> None:
        self._prefetched = None
        responses.delete_answer(self._conn, response_id, question_id)

    def answers(self, response_id: int) -> Sequence[AnswerRecord]:
        return responses.answers(self._conn, response_id)

    def finish_response(self, response_id: int, status: str, now: dt.datetime, *, detach: bool) -> None:
        self._prefetched = None
        responses.finish_response(self._conn, response_id, status, now, detach=detach)

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
        row = outbox.enqueue(
            self._conn, channel, address, payload, now, participant_id=participant_id, not_before=not_before
        )
        self.queued.append(row)
        return row

    # --- ideas --------------------------------------------------------------
    def create_idea(self, values: dict[str, Any], now: dt.datetime) -> IdeaRecord:
        return ideas.create_idea(self._conn, values, now)

    def get_idea(self, ref: str) -> IdeaRecord | None:
        return ideas.get_idea(self._conn, ref)

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
        return ideas.ideas(
            self._conn,
            process_id,
            visibility=visibility,
            status=status,
            category=category,
            order=order,
            offset=offset,
            limit=limit,
        )

    def update_idea(self, idea_id: int, now: dt.datetime, values: dict[str, Any]) -> None:
        ideas.update_idea(self._conn, idea_id, now, values)

    def add_support(self, idea_id: int, participant_id: ParticipantId, now: dt.datetime) -> bool:
        return ideas.add_support(self._conn, idea_id, participant_id, now)

    def remove_support(self, idea_id: int, participant_id: ParticipantId) -> bool:
        return ideas.remove_support(self._conn, idea_id, participant_id)

    def has_supported(self, idea_id: int, participant_id: ParticipantId) -> bool:
        return ideas.has_supported(self._conn, idea_id, participant_id)

    def supporters(self, idea_id: int) -> Sequence[ParticipantId]:
        return ideas.supporters(self._conn, idea_id)

    def add_report(self, idea_id: int, participant_id: ParticipantId, now: dt.datetime) -> int | None:
        return ideas.add_report(self._conn, idea_id, participant_id, now)

    def clear_reports(self, idea_id: int) -> None:
        ideas.clear_reports(self._conn, idea_id)

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
        ideas.record_audit(self._conn, idea, actor, action, now, status=status, reason=reason)

    def idea_audit(self, process_id: str) -> Sequence[AuditRecord]:
        return ideas.idea_audit(self._conn, process_id)

    # --- scheduled work: subscriptions and the delivery log -------------------
    def subscriptions(self, participant_id: ParticipantId) -> list[tuple[SubscriptionKind, str]]:
        return scheduling.subscriptions(self._conn, participant_id)

    def set_subscription(
        self, participant_id: ParticipantId, kind: SubscriptionKind, value: str, on: bool, now: dt.datetime
    ) -> None:
        scheduling.set_subscription(self._conn, participant_id, kind, value, on, now)

    def clear_subscriptions(self, participant_id: ParticipantId) -> None:
        scheduling.clear_subscriptions(self._conn, participant_id)

    def invitation_recipients(
        self, process_id: str, topics: Sequence[str], districts: Sequence[str]
    ) -> list[ParticipantId]:
        return scheduling.invitation_recipients(self._conn, process_id, topics, districts)

    def event_subscribers(self, value: str) -> list[ParticipantId]:
        return scheduling.event_subscribers(self._conn, value)

    def open_responses(self, process_id: str) -> list[OpenResponse]:
        return scheduling.open_responses(self._conn, process_id)

    def delivered_slots(self, participant_id: ParticipantId, process_id: str, kind: DeliveryKind) -> set[str]:
        return scheduling.delivered_slots(self._conn, participant_id, process_id, kind)

    def count_deliveries(self, participant_id: ParticipantId, since: dt.datetime, kinds: Sequence[DeliveryKind]) -> int:
        return scheduling.count_deliveries(self._conn, participant_id, since, kinds)

    def record_delivery(
        self,
        participant_id: ParticipantId,
        process_id: str,
        kind: DeliveryKind,
        slot: str,
        status: DeliveryStatus,
        now: dt.datetime,
    ) -> bool:
        return scheduling.record_delivery(self._conn, participant_id, process_id, kind, slot, status, now)

    def inactive_participants(self, before: dt.datetime, limit: int) -> Sequence[ParticipantId]:
        return scheduling.inactive_participants(self._conn, before, limit)

    def digest_counts(self, since: dt.datetime) -> DigestCounts:
        return scheduling.digest_counts(self._conn, since)

    def _hash(self, channel: str, sender: str) -> str:
        return user_hash(self._secret, channel, sender)
