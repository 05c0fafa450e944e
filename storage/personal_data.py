"""Everything stored about one participant, JSON-ready: the answer to a data access request.

Leaves out the contact hash (it is a key, not data about them) and anonymous
responses (nothing links them to the participant any more).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.outbox import FORGOTTEN_PAYLOAD, outbox_pending
from storage.participants import contacts, get_participant
from storage.records import ParticipantId
from storage.responses import answers, response_record
from storage.tables import consent_table, outbox_table, response_table

__all__ = ["participant_data"]


def participant_data(conn: Connection, participant_id: ParticipantId) -> dict[str, Any]:
    participant = get_participant(conn, participant_id)
    if participant is None:
        raise LookupError(f"participant {participant_id} does not exist")
    return {
        "participant": {
            "pseudonym": participant.pseudonym,
            "language": participant.language,
            "created_at": _iso(participant.created_at),
            "last_seen_at": _iso(participant.last_seen_at),
            "consent_at": _iso(participant.consent_at),
            "consents": _consents(conn, participant_id),
            "state": participant.state,
        },
        "contacts": [
            {"channel": contact.channel, "address": contact.address, "active": contact.active}
            for contact in contacts(conn, participant_id)
        ],
        "responses": _responses(conn, participant_id),
        "outbox_pending": outbox_pending(conn, participant_id=participant_id),
        "messages_from_the_bot": _messages(conn, participant_id),
    }


def _messages(conn: Connection, participant_id: ParticipantId) -> list[dict[str, Any]]:
    """Every message to them the outbox holds: sent, waiting or failed; a sent one's text only
    until ``storage.sent_messages_days`` have passed (then ``text`` is None)."""
    o = outbox_table.c
    rows = conn.execute(sa.select(outbox_table).where(o.participant_id == participant_id).order_by(o.id))
    result = []
    for row in rows:
        payload = json.loads(row.payload or FORGOTTEN_PAYLOAD)  # a forgotten text reads as an empty payload
        result.append(
            {
                "channel": row.channel,
                "status": row.status,
                "queued_at": _iso(row.created_at),
                "sent_at": _iso(row.sent_at),
                "text": payload.get("text"),
                "options": [option.get("label") for option in payload.get("options") or []],
                "file": (payload.get("attachment") or {}).get("filename"),
            }
        )
    return result


def _consents(conn: Connection, participant_id: ParticipantId) -> list[dict[str, Any]]:
    c = consent_table.c
    rows = conn.execute(sa.select(c.version, c.given_at).where(c.participant_id == participant_id).order_by(c.id))
    return [{"version": row.version, "given_at": _iso(row.given_at)} for row in rows]


def _responses(conn: Connection, participant_id: ParticipantId) -> list[dict[str, Any]]:
    r = response_table.c
    rows = conn.execute(sa.select(response_table).where(r.participant_id == participant_id).order_by(r.id))
    result = []
    for row in rows:
        response = response_record(row)
        result.append(
            {
                "process_id": response.process_id,
                "status": response.status,
                "anonymised": row.detached,  # its answers were detached: they are no longer theirs
                "started_at": _iso(response.started_at),
                "updated_at": _iso(response.updated_at),
                "completed_at": _iso(response.completed_at),
                "progress": response.progress,
                "answers": [
                    {
                        "question_id": answer.question_id,
                        "question_type": answer.question_type,
                        "value": answer.value,
                        "other_text": answer.other_text,
                        "answered_at": _iso(answer.answered_at),
                    }
                    for answer in answers(conn, response.id)
                ],
            }
        )
    return result


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
