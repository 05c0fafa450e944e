"""The web chat reads one address's rows of the outbox (its transcript): index them by address.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_channel_address", "outbox", ["channel", "address"])


def downgrade() -> None:
    op.drop_index("ix_outbox_channel_address", table_name="outbox")
