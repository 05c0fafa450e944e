"""The tables of scheduled work: subscriptions, the delivery log, and apscheduler's job table.

The delivery log is the truth about bot-initiated messages: one row per
(participant, process, kind, slot), unique, written in the same transaction
as the outbox rows it stands for. A sweep that runs twice, or on two
machines, finds the row and sends nothing. ``apscheduler_jobs`` is declared
here (exactly as apscheduler's SQLAlchemy job store defines it) so that the
migrations create it and the schema test knows it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage import tables
from storage.columns import UtcDateTime
from storage.tables import table_of

__all__ = [
    "JOB_TABLE",
    "Delivery",
    "Subscription",
    "delivery_table",
    "job_table",
    "subscription_table",
]

JOB_TABLE = "apscheduler_jobs"


class Subscription(SQLModel, table=True):
    """What a participant asked to hear about: a topic, a district, everything, or one event."""

    __tablename__ = "subscription"
    __table_args__ = (sa.Index("ix_subscription_kind_value", "kind", "value"),)

    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE", primary_key=True)
    kind: str = Field(sa_type=sa.String(), primary_key=True)  # topic | district | all | event
    value: str = Field(sa_type=sa.String(), primary_key=True)  # the topic, district, "*" or "<process>/<event key>"
    created_at: dt.datetime = Field(sa_type=UtcDateTime())


class Delivery(SQLModel, table=True):
    """One bot-initiated message that was queued (or dropped over the weekly cap)."""

    __tablename__ = "delivery_log"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "process_id", "kind", "slot"),
        sa.Index("ix_delivery_log_participant_id_created_at", "participant_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE")
    process_id: str = Field(sa_type=sa.String())  # "" for messages about no process (the staff digest)
    kind: str = Field(sa_type=sa.String())  # invitation | reminder | last_chance | event | digest
    slot: str = Field(sa_type=sa.String())  # which one of its kind: the reminder's number, the event key, a date
    status: str = Field(sa_type=sa.String())  # queued | dropped
    created_at: dt.datetime = Field(sa_type=UtcDateTime())


subscription_table = table_of(Subscription)
delivery_table = table_of(Delivery)

job_table = sa.Table(
    JOB_TABLE,
    tables.metadata,
    sa.Column("id", sa.Unicode(191), primary_key=True),
    sa.Column("next_run_time", sa.Float(25), index=True),
    sa.Column("job_state", sa.LargeBinary(), nullable=False),
)
