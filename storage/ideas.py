"""Ideas, supports, reports and the moderation audit: the queries behind the transaction's methods."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from storage.database import insert_for, insert_id, update_one
from storage.idea_records import AuditRecord, IdeaOrder, IdeaRecord
from storage.idea_tables import (
    idea_audit_table,
    idea_report_table,
    idea_support_table,
    idea_table,
)
from storage.identifiers import PSEUDONYM_ALPHABET
from storage.records import ParticipantId

__all__ = [
    "add_report",
    "add_support",
    "clear_reports",
    "create_idea",
    "erase_ideas_of",
    "get_idea",
    "has_supported",
    "idea_audit",
    "ideas",
    "ideas_data",
    "record_audit",
    "remove_support",
    "supporters",
    "update_idea",
]

_i = idea_table.c
_s = idea_support_table.c
_r = idea_report_table.c
_a = idea_audit_table.c
REF_LENGTH = 4  # 30^4 = 810,000 references per database: short enough to read out, checked for reuse
_MAX_TRIES = 30

_support_count = (
    sa.select(sa.func.count()).where(_s.idea_id == _i.id).correlate(idea_table).scalar_subquery().label("supporters")
)
_report_count = (
    sa.select(sa.func.count()).where(_r.idea_id == _i.id).correlate(idea_table).scalar_subquery().label("reports")
)


def _new_ref(conn: Connection) -> str:
    for _ in range(_MAX_TRIES):
        ref = "I-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(REF_LENGTH))
        if conn.scalar(sa.select(sa.literal(1)).where(_i.ref == ref)) is None:
            return ref
    raise RuntimeError(f"no unused idea reference found in {_MAX_TRIES} tries")


def create_idea(conn: Connection, values: dict[str, Any], now: dt.datetime) -> IdeaRecord:
    """A new idea with a fresh reference; ``values`` are the idea columns the caller decides."""
    ref = _new_ref(conn)
    row = dict(values, ref=ref, status="received", reason=None, created_at=now, updated_at=now)
    insert_id(conn.execute(sa.insert(idea_table).values(**row)))
    found = get_idea(conn, ref)
    assert found is not None
    return found


def _select() -> sa.Select[Any]:
    return sa.select(idea_table, _support_count, _report_count)


def get_idea(conn: Connection, ref: str) -> IdeaRecord | None:
    row = conn.execute(_select().where(_i.ref == ref.strip().upper())).one_or_none()
    return None if row is None else _idea(row)


def ideas(
    conn: Connection,
    process_id: str,
    *,
    visibility: Sequence[str] | None = None,
    status: str | None = None,
    category: str | None = None,
    order: IdeaOrder = "newest",
    offset: int = 0,
    limit: int | None = None,
) -> list[IdeaRecord]:
    statement = _select().where(_i.process_id == process_id)
    if visibility is not None:
        statement = statement.where(_i.visibility.in_(list(visibility)))
    if status is not None:
        statement = statement.where(_i.status == status)
    if category is not None:
        statement = statement.where(_i.category == category)
    if order == "support":
        statement = statement.order_by(sa.desc("supporters"), _i.id.desc())
    else:
        statement = statement.order_by(_i.id.desc())
    return [_idea(row) for row in conn.execute(statement.offset(offset).limit(limit))]


def update_idea(conn: Connection, idea_id: int, now: dt.datetime, values: dict[str, Any]) -> None:
    update_one(conn, idea_table, _i.id == idea_id, {**values, "updated_at": now}, f"idea {idea_id}")


# --- supports and reports ---------------------------------------------------------------


def add_support(conn: Connection, idea_id: int, participant_id: ParticipantId, now: dt.datetime) -> bool:
    """True if this is their first support of the idea; False if they had supported it already."""
    statement = insert_for(conn.dialect.name, idea_support_table).values(
        idea_id=idea_id, participant_id=participant_id, created_at=now
    )
    return _inserted(conn, statement)


def remove_support(conn: Connection, idea_id: int, participant_id: ParticipantId) -> bool:
    where = sa.and_(_s.idea_id == idea_id, _s.participant_id == participant_id)
    return conn.execute(sa.delete(idea_support_table).where(where)).rowcount == 1


def has_supported(conn: Connection, idea_id: int, participant_id: ParticipantId) -> bool:
    where = sa.and_(_s.idea_id == idea_id, _s.participant_id == participant_id)
    return conn.scalar(sa.select(sa.literal(1)).where(where)) is not None


def supporters(conn: Connection, idea_id: int) -> list[ParticipantId]:
    rows = conn.execute(sa.select(_s.participant_id).where(_s.idea_id == idea_id).order_by(_s.created_at))
    return [ParticipantId(row.participant_id) for row in rows]


def add_report(conn: Connection, idea_id: int, participant_id: ParticipantId, now: dt.datetime) -> int | None:
    """The idea's report count after this one; None if they had reported it already."""
    statement = insert_for(conn.dialect.name, idea_report_table).values(
        idea_id=idea_id, participant_id=participant_id, created_at=now
    )
    if not _inserted(conn, statement):
        return None
    return int(conn.scalar(sa.select(sa.func.count()).where(_r.idea_id == idea_id)) or 0)


def _inserted(conn: Connection, statement: Any) -> bool:
    """Whether the INSERT … ON CONFLICT DO NOTHING wrote its row (rowcount is unreliable there)."""
    return conn.execute(statement.on_conflict_do_nothing().returning(sa.literal(1))).first() is not None


def clear_reports(conn: Connection, idea_id: int) -> None:
    """Staff looked at it: earlier reports no longer count towards hiding it again."""
    conn.execute(sa.delete(idea_report_table).where(_r.idea_id == idea_id))


# --- audit ------------------------------------------------------------------------------


def record_audit(
    conn: Connection,
    idea: IdeaRecord,
    actor: str,
    action: str,
    now: dt.datetime,
    *,
    status: str | None = None,
    reason: str | None = None,
) -> None:
    conn.execute(
        sa.insert(idea_audit_table).values(
            idea_ref=idea.ref,
            process_id=idea.process_id,
            actor=actor,
            action=action,
            status=status,
            reason=reason,
            at=now,
        )
    )


def idea_audit(conn: Connection, process_id: str) -> list[AuditRecord]:
    rows = conn.execute(sa.select(idea_audit_table).where(_a.process_id == process_id).order_by(_a.id))
    return [
        AuditRecord(
            idea_ref=row.idea_ref,
            process_id=row.process_id,
            actor=row.actor,
            action=row.action,
            status=row.status,
            reason=row.reason,
            at=row.at,
        )
        for row in rows
    ]


# --- personal data ----------------------------------------------------------------------


def ideas_data(conn: Connection, participant_id: ParticipantId) -> dict[str, Any]:
    """Their ideas, supports and reports, JSON-ready, for a data access request."""
    own = conn.execute(_select().where(_i.participant_id == participant_id).order_by(_i.id))

    def refs_of(table: sa.Table) -> sa.Select[Any]:
        return (
            sa.select(_i.ref, _i.process_id, table.c.created_at)
            .join(table, table.c.idea_id == _i.id)
            .where(table.c.participant_id == participant_id)
            .order_by(table.c.created_at)
        )

    return {
        "ideas": [_idea_json(_idea(row)) for row in own],
        "idea_supports": [_link_json(row) for row in conn.execute(refs_of(idea_support_table))],
        "idea_reports": [_link_json(row) for row in conn.execute(refs_of(idea_report_table))],
    }


def erase_ideas_of(conn: Connection, participant_id: ParticipantId) -> None:
    """Their ideas go, with every support and report of them; and their own supports and reports.

    The audit keeps only references and staff actors, so it stays."""
    theirs = sa.select(_i.id).where(_i.participant_id == participant_id)
    for table in (idea_support_table, idea_report_table):
        conn.execute(
            sa.delete(table).where(sa.or_(table.c.idea_id.in_(theirs), table.c.participant_id == participant_id))
        )
    conn.execute(sa.delete(idea_table).where(_i.participant_id == participant_id))


def _idea(row: Row[Any]) -> IdeaRecord:
    return IdeaRecord(
        id=row.id,
        ref=row.ref,
        process_id=row.process_id,
        participant_id=ParticipantId(row.participant_id),
        pseudonym=row.pseudonym,
        category=row.category,
        text=row.text,
        location=row.location,
        photo=row.photo,
        visibility=row.visibility,
        status=row.status,
        reason=row.reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
        supporters=int(row.supporters or 0),
        reports=int(row.reports or 0),
    )


def _idea_json(idea: IdeaRecord) -> dict[str, Any]:
    return {
        "ref": idea.ref,
        "process_id": idea.process_id,
        "category": idea.category,
        "text": idea.text,
        "location": idea.location,
        "photo": idea.photo,
        "visibility": idea.visibility,
        "status": idea.status,
        "reason": idea.reason,
        "created_at": idea.created_at.isoformat(),
        "supporters": idea.supporters,
    }


def _link_json(row: Row[Any]) -> dict[str, Any]:
    return {"idea": row.ref, "process_id": row.process_id, "at": row.created_at.isoformat()}
