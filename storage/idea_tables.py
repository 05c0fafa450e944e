"""The tables of idea calls: ideas, their supports and reports, and the moderation audit.

An idea belongs to its author: erasing the participant deletes their ideas, and
with them every support and report of those ideas (cascades). The audit keeps
only the idea's reference, never a participant id, so moderation history
outlives an erased idea without naming anybody.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage import tables  # noqa: F401  (first: its naming convention must apply here too)
from storage.columns import UtcDateTime
from storage.tables import table_of

__all__ = [
    "Idea",
    "IdeaAudit",
    "IdeaReport",
    "IdeaSupport",
    "idea_audit_table",
    "idea_report_table",
    "idea_support_table",
    "idea_table",
]


class Idea(SQLModel, table=True):
    __tablename__ = "idea"
    __table_args__ = (
        sa.Index("ix_idea_process_id_id", "process_id", "id"),
        sa.Index("ix_idea_participant_id", "participant_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(sa_type=sa.String(), unique=True)  # what citizens and staff quote, e.g. "I-7KQ2"
    process_id: str = Field(sa_type=sa.String())
    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE")
    pseudonym: str = Field(sa_type=sa.String())  # the author's, for exports
    category: str | None = Field(default=None, sa_type=sa.String())
    text: str = Field(sa_type=sa.Text())
    location: Any = Field(default=None, sa_type=sa.JSON(none_as_null=True), nullable=True)
    photo: Any = Field(default=None, sa_type=sa.JSON(none_as_null=True), nullable=True)  # PhotoRef JSON
    visibility: str = Field(sa_type=sa.String())  # storage.records.IdeaVisibility
    status: str = Field(sa_type=sa.String())  # storage.records.IdeaStatus
    reason: str | None = Field(default=None, sa_type=sa.Text())  # why rejected or declined
    created_at: dt.datetime = Field(sa_type=UtcDateTime())
    updated_at: dt.datetime = Field(sa_type=UtcDateTime())


class IdeaSupport(SQLModel, table=True):
    __tablename__ = "idea_support"
    __table_args__ = (sa.Index("ix_idea_support_participant_id", "participant_id"),)

    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", primary_key=True)
    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE", primary_key=True)
    created_at: dt.datetime = Field(sa_type=UtcDateTime())


class IdeaReport(SQLModel, table=True):
    """A citizen's note that an idea is inappropriate: one per citizen and idea."""

    __tablename__ = "idea_report"
    __table_args__ = (sa.Index("ix_idea_report_participant_id", "participant_id"),)

    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", primary_key=True)
    participant_id: str = Field(sa_type=sa.String(), foreign_key="participant.id", ondelete="CASCADE", primary_key=True)
    created_at: dt.datetime = Field(sa_type=UtcDateTime())


class IdeaAudit(SQLModel, table=True):
    """One moderation action: who (a staff entry or ``cli:<login>``), when, what, why."""

    __tablename__ = "idea_audit"
    __table_args__ = (sa.Index("ix_idea_audit_process_id_idea_ref", "process_id", "idea_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_ref: str = Field(sa_type=sa.String())
    process_id: str = Field(sa_type=sa.String())
    actor: str = Field(sa_type=sa.String())
    action: str = Field(sa_type=sa.String())  # approve | reject | hide | status | reported
    status: str | None = Field(default=None, sa_type=sa.String())  # the new status of a status change
    reason: str | None = Field(default=None, sa_type=sa.Text())
    at: dt.datetime = Field(sa_type=UtcDateTime())


idea_table = table_of(Idea)
idea_support_table = table_of(IdeaSupport)
idea_report_table = table_of(IdeaReport)
idea_audit_table = table_of(IdeaAudit)
