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

from storage import outbox, participants, personal_data, responses
from storage.events import claim_event
from storage.identifiers import user_hash
from storage.records import AnswerRecord, ContactRecord, ParticipantId, ParticipantRecord, ResponseRecord

__all__ = ["SqlTransaction"]


class SqlTransaction:
    """Implements :class:`storage.contract.Transaction`; valid only inside its ``with`` block."""

    def __init__(self, conn: Connection, secret: bytes) -> None:
        self._conn = conn
        self._secret = secret

    # --- de-duplication -------------------------------------------------------
    def claim_event(self, channel: str, event_id: str, now: dt.datetime) -> bool:
        return claim_event(self._conn, channel, event_id, now)

    # --- participants ---------------------------------------------------------
    def find_participant(self, channel: str, sender: str, *, lock: bool = True) -> ParticipantRecord | None:
        return participants.find_participant(self._conn, channel, self._hash(channel, sender), lock=lock)

    def create_participant(
        self, channel: str, sender: str, address: str, language: str | None, now: dt.datetime
    ) -> ParticipantRecord:
        return participants.create_participant(self._conn, channel, self._hash(channel, sender), address, language, now)

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
        participants.erase_participant(self._conn, participant_id)

    def participant_data(self, participant_id: ParticipantId) -> dict[str, Any]:
        return personal_data.participant_data(self._conn, participant_id)

    # --- responses ------------------------------------------------------------
    def find_response(self, participant_id: ParticipantId, process_id: str) -> ResponseRecord | None:
        return responses.find_response(self._conn, participant_id, process_id)

    def start_response(self, participant_id: ParticipantId, process_id: str, now: dt.datetime) -> ResponseRecord:
        return responses.start_response(self._conn, participant_id, process_id, now)

    def save_progress(self, response_id: int, progress: dict[str, Any], now: dt.datetime) -> None:
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
        responses.save_answer(self._conn, response_id, question_id, question_type, value, other_text, now)

    def delete_answer(self, response_id: int, question_id: str) -> None:
        responses.delete_answer(self._conn, response_id, question_id)

    def answers(self, response_id: int) -> Sequence[AnswerRecord]:
        return responses.answers(self._conn, response_id)

    def finish_response(self, response_id: int, status: str, now: dt.datetime, *, detach: bool) -> None:
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
    ) -> int:
        return outbox.enqueue(
            self._conn, channel, address, payload, now, participant_id=participant_id, not_before=not_before
        )

    def _hash(self, channel: str, sender: str) -> str:
        return user_hash(self._secret, channel, sender)
