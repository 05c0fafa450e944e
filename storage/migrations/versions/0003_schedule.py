"""Scheduled work: subscriptions, the delivery log and apscheduler's job table.

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=False)


def _time(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _participant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["participant_id"], ["participant.id"], name=f"fk_{table}_participant_id_participant", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "subscription",
        _text("participant_id"),
        _text("kind"),
        _text("value"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("participant_id", "kind", "value", name="pk_subscription"),
        _participant_fk("subscription"),
    )
    op.create_index("ix_subscription_kind_value", "subscription", ["kind", "value"])
    op.create_table(
        "delivery_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("participant_id"),
        _text("process_id"),
        _text("kind"),
        _text("slot"),
        _text("status"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_log"),
        sa.UniqueConstraint(
            "participant_id", "process_id", "kind", "slot", name="uq_delivery_log_participant_id_process_id_kind_slot"
        ),
        _participant_fk("delivery_log"),
    )
    op.create_index(
        "ix_delivery_log_participant_id_created_at", "delivery_log", ["participant_id", "created_at"]
    )
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), nullable=False),
        sa.Column("next_run_time", sa.Float(25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_apscheduler_jobs"),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"])


def downgrade() -> None:
    for table in ("apscheduler_jobs", "delivery_log", "subscription"):
        op.drop_table(table)
