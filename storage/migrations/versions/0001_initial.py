"""The initial schema: participants, contacts, consents, responses, answers,
processed events, the outbox and channel cursors.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, *, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _serial() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _participant_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["participant_id"], ["participant.id"], name=f"fk_{table}_participant_id_participant", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "participant",
        _text("id"),
        _text("pseudonym"),
        _text("language", nullable=True),
        _time("consent_at", nullable=True),
        _time("created_at"),
        _time("last_seen_at"),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_participant"),
        sa.UniqueConstraint("pseudonym", name="uq_participant_pseudonym"),
    )
    op.create_table(
        "contact",
        _serial(),
        _text("participant_id"),
        _text("channel"),
        _text("user_hash"),
        _text("address"),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contact"),
        sa.UniqueConstraint("channel", "user_hash", name="uq_contact_channel_user_hash"),
        _participant_fk("contact", "CASCADE"),
    )
    op.create_index("ix_contact_participant_id", "contact", ["participant_id"])
    op.create_index("ix_contact_channel_address", "contact", ["channel", "address"])

    op.create_table(
        "consent",
        _serial(),
        _text("participant_id"),
        _text("version"),
        _time("given_at"),
        sa.PrimaryKeyConstraint("id", name="pk_consent"),
        _participant_fk("consent", "CASCADE"),
    )
    op.create_index("ix_consent_participant_id", "consent", ["participant_id"])

    op.create_table(
        "response",
        _serial(),
        _text("participant_id", nullable=True),
        _text("pseudonym"),
        _text("process_id"),
        _text("status"),
        sa.Column("detached", sa.Boolean(), nullable=False),
        _time("started_at"),
        _time("updated_at"),
        _time("completed_at", nullable=True),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_response"),
        _participant_fk("response", "CASCADE"),
    )
    op.create_index("ix_response_process_id_id", "response", ["process_id", "id"])
    op.create_index("ix_response_participant_id_process_id", "response", ["participant_id", "process_id"])
    op.create_index("ix_response_pseudonym", "response", ["pseudonym"])

    op.create_table(
        "answer",
        _serial(),
        sa.Column("response_id", sa.Integer(), nullable=False),
        _text("question_id"),
        _text("question_type"),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("other_text", sa.Text(), nullable=True),
        _time("answered_at"),
        sa.PrimaryKeyConstraint("id", name="pk_answer"),
        sa.UniqueConstraint("response_id", "question_id", name="uq_answer_response_id_question_id"),
        sa.ForeignKeyConstraint(
            ["response_id"], ["response.id"], name="fk_answer_response_id_response", ondelete="CASCADE"
        ),
    )

    op.create_table(
        "processed_event",
        _text("channel"),
        _text("event_id"),
        _time("processed_at"),
        sa.PrimaryKeyConstraint("channel", "event_id", name="pk_processed_event"),
    )

    op.create_table(
        "outbox",
        _serial(),
        _text("channel"),
        _text("address"),
        sa.Column("payload", sa.Text(), nullable=False),
        _text("participant_id", nullable=True),
        _time("created_at"),
        _time("not_before"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _text("status"),
        _time("sent_at", nullable=True),
        _time("failed_at", nullable=True),
        _text("platform_id", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _text("txn_id"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("txn_id", name="uq_outbox_txn_id"),
        _participant_fk("outbox", "SET NULL"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_status_channel_not_before", "outbox", ["status", "channel", "not_before"])
    op.create_index("ix_outbox_participant_id", "outbox", ["participant_id"])

    op.create_table(
        "channel_cursor",
        _text("key"),
        sa.Column("value", sa.Text(), nullable=False),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("key", name="pk_channel_cursor"),
    )


def downgrade() -> None:
    children_first = ("channel_cursor", "outbox", "processed_event", "answer", "response", "consent", "contact")
    for table in (*children_first, "participant"):
        op.drop_table(table)
