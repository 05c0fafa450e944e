"""Responses record their channel; paper and phone answers their form number, batch and who typed them.

Existing responses take the channel of their participant's first contact (a
detached anonymous response has none to take, and stays without).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("response") as batch:
        batch.add_column(sa.Column("channel", sa.String(), nullable=True))
        batch.add_column(sa.Column("form_number", sa.String(), nullable=True))
        batch.add_column(sa.Column("batch", sa.String(), nullable=True))
        batch.add_column(sa.Column("entered_by", sa.String(), nullable=True))
        batch.create_unique_constraint("uq_response_process_id_form_number", ["process_id", "form_number"])
    op.execute(
        "UPDATE response SET channel = (SELECT contact.channel FROM contact"
        " WHERE contact.participant_id = response.participant_id ORDER BY contact.id LIMIT 1)"
        " WHERE participant_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("response") as batch:
        batch.drop_constraint("uq_response_process_id_form_number", type_="unique")
        batch.drop_column("entered_by")
        batch.drop_column("batch")
        batch.drop_column("form_number")
        batch.drop_column("channel")
