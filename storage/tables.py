"""The database tables, as sqlmodel classes, and their ``Table`` objects for the queries.

No table holds a plain platform user id: a contact keeps only the keyed hash of
(channel, sender) for lookup and the delivery address the channel needs.
Migrations (``storage/migrations``) must create exactly what is declared here;
``tests/test_migrations.py`` compares the two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime

__all__ = [
    "Answer",
    "ChannelCursor",
    "Consent",
    "Contact",
    "Outbox",
    "Participant",
    "ProcessedEvent",
    "Response",
    "Visitor",
    "answer_table",
    "channel_cursor_table",
    "consent_table",
    "contact_table",
    "metadata",
    "outbox_table",
    "participant_table",
    "processed_event_table",
    "response_table",
    "visitor_table",
    "table_of",
]

# Stable constraint names on both backends, so later migrations (SQLite batch mode
# in particular) can address constraints by name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = SQLModel.metadata


class Participant(SQLModel, table=True):
    __tablename__ = "participant"

    id: str = Field(sa_type=sa.String(), primary_key=True)
    pseudonym: str = Field(sa_type=sa.String(), unique=True)
    language: str | None = Field(default=None, sa_type=sa.String())
    consent_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    created_at: dt.datetime = Field(sa_type=UtcDateTime())
    last_seen_at: dt.datetime = Field(sa_type=UtcDateTime())
    state: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON())


class Contact(SQLModel, table=True):
    """One channel identity of a participant: the keyed hash to find them, the address to reply to."""

    __tablename__ = "contact"
    __table_args__ = (
        sa.UniqueConstraint("channel", "user_hash"),
        sa.Index("ix_contact_participant_id", "participant_id"),
        sa.Index("ix_contact_channel_address", "channel", "address"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE")
    channel: str = Field(sa_type=sa.String())
    user_hash: str = Field(sa_type=sa.String())  # HMAC-SHA256(secret, channel + "\0" + sender), hex
    address: str = Field(sa_type=sa.String())
    active: bool


class Consent(SQLModel, table=True):
    __tablename__ = "consent"
    __table_args__ = (sa.Index("ix_consent_participant_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE")
    version: str = Field(sa_type=sa.String())
    given_at: dt.datetime = Field(sa_type=UtcDateTime())


class Response(SQLModel, table=True):
    """A participant's response to one process, or the detached answers of an anonymous one."""

    __tablename__ = "response"
    __table_args__ = (
        # (process_id, id) serves both lookups by process and the keyset pagination of exports.
        sa.Index("ix_response_process_id_id", "process_id", "id"),
        sa.Index("ix_response_participant_id_process_id", "participant_id", "process_id"),
        sa.Index("ix_response_pseudonym", "pseudonym"),
        # a paper form is stored once per process, however often its batch is imported
        sa.UniqueConstraint("process_id", "form_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: str | None = Field(
        default=None, sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE"
    )
    pseudonym: str = Field(sa_type=sa.String())
    process_id: str = Field(sa_type=sa.String())
    status: str = Field(sa_type=sa.String())  # storage.records.ResponseStatus
    detached: bool  # its answers were moved to an anonymous response: it holds none
    started_at: dt.datetime = Field(sa_type=UtcDateTime())
    updated_at: dt.datetime = Field(sa_type=UtcDateTime())
    completed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    progress: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON())
    channel: str | None = Field(default=None, sa_type=sa.String())  # telegram, matrix, web, terminal, paper, phone
    # paper and phone answers, typed in or imported by staff: nothing about the respondent
    form_number: str | None = Field(default=None, sa_type=sa.String())
    batch: str | None = Field(default=None, sa_type=sa.String())
    entered_by: str | None = Field(default=None, sa_type=sa.String())  # the staff member, e.g. "cli:anna"


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("response_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="response.id", ondelete="CASCADE")
    question_id: str = Field(sa_type=sa.String())
    question_type: str = Field(sa_type=sa.String())
    value: Any = Field(default=None, sa_type=sa.JSON(), nullable=True)  # JSON null: skipped
    other_text: str | None = Field(default=None, sa_type=sa.Text())
    answered_at: dt.datetime = Field(sa_type=UtcDateTime())


class ProcessedEvent(SQLModel, table=True):
    """Inbound events already handled: the de-duplication keys."""

    __tablename__ = "processed_event"

    channel: str = Field(sa_type=sa.String(), primary_key=True)
    event_id: str = Field(sa_type=sa.String(), primary_key=True)
    processed_at: dt.datetime = Field(sa_type=UtcDateTime())


class Outbox(SQLModel, table=True):
    """Replies, reminders and invitations waiting to be sent (or kept as sent/failed)."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_status_channel_not_before", "status", "channel", "not_before"),
        sa.Index("ix_outbox_participant_id", "participant_id"),
        sa.Index("ix_outbox_channel_address", "channel", "address"),  # the web chat's transcript
        # Never reuse an id on SQLite: erasure deletes rows while the sender may still
        # hold their ids, and a reused id would let it mark a new row as sent.
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(sa_type=sa.String())
    address: str = Field(sa_type=sa.String())
    payload: str = Field(sa_type=sa.Text())
    participant_id: str | None = Field(
        default=None, sa_type=sa.String(), foreign_key="participant.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(sa_type=UtcDateTime())
    not_before: dt.datetime = Field(sa_type=UtcDateTime())
    attempts: int
    status: str = Field(sa_type=sa.String())  # pending | sent | failed
    sent_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    failed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime())
    platform_id: str | None = Field(default=None, sa_type=sa.String())
    last_error: str | None = Field(default=None, sa_type=sa.Text())
    txn_id: str = Field(sa_type=sa.String(), unique=True)


class Visitor(SQLModel, table=True):
    """Somebody who wrote but has not agreed (yet): only what is needed to ask again — the hash of
    (channel, sender), their language, the dialogue state (the notice was shown, a process a link
    asked for) — for a few days. No address: replies carry it in the outbox until they are sent."""

    __tablename__ = "visitor"

    channel: str = Field(sa_type=sa.String(), primary_key=True)
    user_hash: str = Field(sa_type=sa.String(), primary_key=True)
    language: str | None = Field(default=None, sa_type=sa.String())
    state: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON())
    updated_at: dt.datetime = Field(sa_type=UtcDateTime())


class ChannelCursor(SQLModel, table=True):
    """Where a channel stopped reading (Matrix ``next_batch`` and the like)."""

    __tablename__ = "channel_cursor"

    key: str = Field(sa_type=sa.String(), primary_key=True)
    value: str = Field(sa_type=sa.Text())
    updated_at: dt.datetime = Field(sa_type=UtcDateTime())


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core ``Table`` of a sqlmodel class (what the queries use)."""
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


# The queries use Core on these tables: rows map straight onto the plain records.
participant_table = table_of(Participant)
contact_table = table_of(Contact)
consent_table = table_of(Consent)
response_table = table_of(Response)
answer_table = table_of(Answer)
processed_event_table = table_of(ProcessedEvent)
outbox_table = table_of(Outbox)
channel_cursor_table = table_of(ChannelCursor)
visitor_table = table_of(Visitor)
