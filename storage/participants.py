"""Participants, their contacts and consents: the queries behind the transaction's methods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from types import EllipsisType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.database import update_one
from storage.identifiers import new_participant_id, unused_pseudonym
from storage.prepared import Prepared
from storage.records import ContactRecord, ParticipantId, ParticipantRecord, ResponseRecord
from storage.responses import response_record
from storage.tables import (
    answer_table,
    consent_table,
    contact_table,
    outbox_table,
    participant_table,
    response_table,
)

__all__ = [
    "contacts",
    "create_participant",
    "erase_participant",
    "find_participant_and_response",
    "get_participant",
    "record_consent",
    "set_address",
    "update_participant",
]

_p = participant_table.c
_contact = contact_table.c


def _find_statement(*, lock: bool) -> sa.Select[Any]:
    """Built once: the lookup of every turn (building it anew cost more than running it)."""
    current = response_table.alias("current_response")
    process = _p.state["process"].as_string()
    latest = (
        sa.select(sa.func.max(response_table.c.id))
        .where(response_table.c.participant_id == _p.id, response_table.c.process_id == process)
        .scalar_subquery()
    )
    statement = (
        sa.select(
            participant_table,
            _contact.address.label("contact_address"),
            _contact.active.label("contact_active"),
            *(column.label(f"r_{column.name}") for column in current.c),
        )
        .join(contact_table, _contact.participant_id == _p.id)
        .outerjoin(current, current.c.id == latest)
        .where(_contact.channel == sa.bindparam("channel"), _contact.user_hash == sa.bindparam("user_hash"))
    )
    # PostgreSQL: FOR UPDATE OF participant. SQLite has no row locks and needs
    # none: its write transactions start with BEGIN IMMEDIATE and run one at a time.
    return statement.with_for_update(of=participant_table) if lock else statement


_FIND, _FIND_LOCKED = Prepared(_find_statement(lock=False)), Prepared(_find_statement(lock=True))


def find_participant_and_response(
    conn: Connection, channel: str, user_hash: str, *, lock: bool
) -> tuple[ParticipantRecord | None, ResponseRecord | None]:
    """The participant (with the contact it was found by) and, in the same statement, their latest
    response to the process their dialogue state has open (``state.process``), if any."""
    statement = _FIND_LOCKED if lock else _FIND
    found = statement.rows(conn, {"channel": channel, "user_hash": user_hash})
    if not found:
        return None, None
    (row,) = found
    participant = _participant(row, address=row.contact_address, contact_active=bool(row.contact_active))
    return participant, None if row.r_id is None else response_record(row, prefix="r_")


def create_participant(
    conn: Connection,
    channel: str,
    user_hash: str,
    address: str,
    language: str | None,
    now: dt.datetime,
) -> ParticipantRecord:
    record = ParticipantRecord(
        id=new_participant_id(),
        pseudonym=unused_pseudonym(conn, _p.pseudonym, "P"),
        language=language,
        consent_at=None,
        created_at=now,
        last_seen_at=now,
        state={},
    )
    stored = {k: v for k, v in asdict(record).items() if k not in ("address", "contact_active")}
    conn.execute(sa.insert(participant_table).values(**stored))
    conn.execute(
        sa.insert(contact_table).values(
            participant_id=record.id, channel=channel, user_hash=user_hash, address=address, active=True
        )
    )
    return record


def find_by_pseudonym(conn: Connection, pseudonym: str) -> ParticipantRecord | None:
    row = conn.execute(sa.select(participant_table).where(_p.pseudonym == pseudonym)).one_or_none()
    return None if row is None else _participant(row)


def get_participant(conn: Connection, participant_id: ParticipantId) -> ParticipantRecord | None:
    row = conn.execute(sa.select(participant_table).where(_p.id == participant_id)).one_or_none()
    return None if row is None else _participant(row)


def update_participant(
    conn: Connection,
    participant_id: ParticipantId,
    *,
    now: dt.datetime,
    language: str | EllipsisType | None,
    state: dict[str, Any] | None,
) -> None:
    values: dict[str, Any] = {"last_seen_at": now}
    if language is not ...:
        values["language"] = language
    if state is not None:
        values["state"] = state
    update_one(conn, participant_table, _p.id == participant_id, values, f"participant {participant_id}")


def set_address(conn: Connection, participant_id: ParticipantId, channel: str, address: str) -> None:
    where = sa.and_(_contact.participant_id == participant_id, _contact.channel == channel)
    result = conn.execute(sa.update(contact_table).where(where).values(address=address, active=True))
    if result.rowcount == 0:
        raise LookupError(f"participant {participant_id} has no contact on {channel}")


def contacts(conn: Connection, participant_id: ParticipantId) -> Sequence[ContactRecord]:
    rows = conn.execute(sa.select(contact_table).where(_contact.participant_id == participant_id).order_by(_contact.id))
    return [
        ContactRecord(participant_id=row.participant_id, channel=row.channel, address=row.address, active=row.active)
        for row in rows
    ]


def record_consent(conn: Connection, participant_id: ParticipantId, version: str, now: dt.datetime) -> None:
    update_one(conn, participant_table, _p.id == participant_id, {"consent_at": now}, f"participant {participant_id}")
    conn.execute(sa.insert(consent_table).values(participant_id=participant_id, version=version, given_at=now))


def erase_participant(conn: Connection, participant_id: ParticipantId) -> None:
    """Everything of theirs goes; anonymous responses hold no participant id and stay.

    All their outbox rows go, not only pending ones: sent rows still hold their
    address and the texts they were sent. Erasing twice is harmless.
    """
    their_responses = sa.select(response_table.c.id).where(response_table.c.participant_id == participant_id)
    conn.execute(sa.delete(answer_table).where(answer_table.c.response_id.in_(their_responses)))
    conn.execute(sa.delete(response_table).where(response_table.c.participant_id == participant_id))
    conn.execute(sa.delete(consent_table).where(consent_table.c.participant_id == participant_id))
    # rows to their addresses that name nobody (sent before they agreed, not yet sent) go too
    for contact in conn.execute(
        sa.select(_contact.channel, _contact.address).where(_contact.participant_id == participant_id)
    ).all():
        _out = outbox_table.c
        conn.execute(sa.delete(outbox_table).where(_out.channel == contact.channel, _out.address == contact.address))
    conn.execute(sa.delete(contact_table).where(_contact.participant_id == participant_id))
    conn.execute(sa.delete(outbox_table).where(outbox_table.c.participant_id == participant_id))
    conn.execute(sa.delete(participant_table).where(_p.id == participant_id))


def _participant(row: Any, *, address: str | None = None, contact_active: bool = True) -> ParticipantRecord:
    """A participant row (Core's, or a prepared statement's named tuple) as a record."""
    return ParticipantRecord(
        id=ParticipantId(row.id),
        pseudonym=row.pseudonym,
        language=row.language,
        consent_at=row.consent_at,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        state=dict(row.state or {}),
        address=address,
        contact_active=contact_active,
    )
