"""Idea calls: ideas, supports, reports and the moderation audit.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, *, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _participant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["participant_id"], ["participant.id"], name=f"fk_{table}_participant_id_participant", ondelete="CASCADE"
    )


def _idea_link(table: str) -> None:
    """A support or report: one per participant and idea, gone with either."""
    op.create_table(
        table,
        sa.Column("idea_id", sa.Integer(), nullable=False),
        _text("participant_id"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("idea_id", "participant_id", name=f"pk_{table}"),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], name=f"fk_{table}_idea_id_idea", ondelete="CASCADE"),
        _participant_fk(table),
    )
    op.create_index(f"ix_{table}_participant_id", table, ["participant_id"])


def upgrade() -> None:
    op.create_table(
        "idea",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("ref"),
        _text("process_id"),
        _text("participant_id"),
        _text("pseudonym"),
        _text("category", nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("location", sa.JSON(), nullable=True),
        sa.Column("photo", sa.JSON(), nullable=True),
        _text("visibility"),
        _text("status"),
        sa.Column("reason", sa.Text(), nullable=True),
        _time("created_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_idea"),
        sa.UniqueConstraint("ref", name="uq_idea_ref"),
        _participant_fk("idea"),
    )
    op.create_index("ix_idea_process_id_id", "idea", ["process_id", "id"])
    op.create_index("ix_idea_participant_id", "idea", ["participant_id"])
    _idea_link("idea_support")
    _idea_link("idea_report")
    op.create_table(
        "idea_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("idea_ref"),
        _text("process_id"),
        _text("actor"),
        _text("action"),
        _text("status", nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name="pk_idea_audit"),
    )
    op.create_index("ix_idea_audit_process_id_idea_ref", "idea_audit", ["process_id", "idea_ref"])


def downgrade() -> None:
    for table in ("idea_audit", "idea_report", "idea_support", "idea"):
        op.drop_table(table)
