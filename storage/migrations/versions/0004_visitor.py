"""Visitors: who wrote but has not agreed yet, kept only to ask again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visitor",
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("user_hash", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "user_hash", name="pk_visitor"),
    )


def downgrade() -> None:
    op.drop_table("visitor")
