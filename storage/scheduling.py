"""Queries of scheduled work: subscriptions, the delivery log, due reminders, retention.

``record_delivery`` is the claim that makes every bot-initiated message
exactly-once: it inserts the unique (participant, process, kind, slot) row or
does nothing, and tells the caller which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.database import insert_for
from storage.records import ParticipantId
from storage.schedule_records import (
    DeliveryKind,
    DeliveryStatus,
    DigestCounts,
    OpenResponse,
    SubscriptionKind,
)
from storage.schedule_tables import delivery_table, subscription_table
from storage.tables import participant_table, response_table

__all__ = [
    "scheduling_data",
    "clear_subscriptions",
    "count_deliveries",
    "delivered_slots",
    "digest_counts",
    "event_subscribers",
    "inactive_participants",
    "invitation_recipients",
    "open_responses",
    "record_delivery",
    "set_subscription",
    "subscriptions",
]

_s = subscription_table.c
_d = delivery_table.c
_p = participant_table.c
_r = response_table.c


def subscriptions(conn: Connection, participant_id: ParticipantId) -> list[tuple[SubscriptionKind, str]]:
    rows = conn.execute(
        sa.select(_s.kind, _s.value).where(_s.participant_id == participant_id).order_by(_s.kind, _s.value)
    )
    return [(row.kind, row.value) for row in rows]


def set_subscription(
    conn: Connection, participant_id: ParticipantId, kind: SubscriptionKind, value: str, on: bool, now: dt.datetime
) -> None:
    if on:
        statement = insert_for(conn.dialect.name, subscription_table).values(
            participant_id=participant_id, kind=kind, value=value, created_at=now
        )
        conn.execute(statement.on_conflict_do_nothing())
    else:
        conn.execute(
            sa.delete(subscription_table).where(_s.participant_id == participant_id, _s.kind == kind, _s.value == value)
        )


def clear_subscriptions(conn: Connection, participant_id: ParticipantId) -> None:
    conn.execute(sa.delete(subscription_table).where(_s.participant_id == participant_id))


def invitation_recipients(
    conn: Connection, process_id: str, topics: Collection[str], districts: Collection[str]
) -> list[ParticipantId]:
    """Consented subscribers of "all", of one of ``topics`` or of one of ``districts``,
    not yet invited to ``process_id``."""
    matches = _s.kind == "all"
    if topics:
        matches = sa.or_(matches, sa.and_(_s.kind == "topic", _s.value.in_(list(topics))))
    if districts:
        matches = sa.or_(matches, sa.and_(_s.kind == "district", _s.value.in_(list(districts))))
    invited = sa.select(_d.id).where(_d.participant_id == _p.id, _d.process_id == process_id, _d.kind == "invitation")
    statement = (
        sa.select(_p.id)
        .where(_p.consent_at.is_not(None), ~sa.exists(invited))
        .where(sa.exists(sa.select(_s.participant_id).where(_s.participant_id == _p.id, matches)))
        .order_by(_p.id)
    )
    return [ParticipantId(pid) for pid in conn.scalars(statement)]


def event_subscribers(conn: Connection, value: str) -> list[ParticipantId]:
    statement = sa.select(_s.participant_id).where(_s.kind == "event", _s.value == value).order_by(_s.participant_id)
    return [ParticipantId(pid) for pid in conn.scalars(statement)]


def open_responses(conn: Connection, process_id: str) -> list[OpenResponse]:
    statement = (
        sa.select(_r.participant_id, _r.updated_at)
        .where(_r.process_id == process_id, _r.status == "active", _r.participant_id.is_not(None))
        .order_by(_r.id)
    )
    return [OpenResponse(ParticipantId(row.participant_id), row.updated_at) for row in conn.execute(statement)]


def delivered_slots(conn: Connection, participant_id: ParticipantId, process_id: str, kind: DeliveryKind) -> set[str]:
    statement = sa.select(_d.slot).where(
        _d.participant_id == participant_id, _d.process_id == process_id, _d.kind == kind
    )
    return set(conn.scalars(statement))


def count_deliveries(
    conn: Connection, participant_id: ParticipantId, since: dt.datetime, kinds: Collection[DeliveryKind]
) -> int:
    """Queued (not dropped) deliveries of ``kinds`` to the participant since ``since``."""
    statement = (
        sa.select(sa.func.count())
        .select_from(delivery_table)
        .where(
            _d.participant_id == participant_id,
            _d.created_at >= since,
            _d.status == "queued",
            _d.kind.in_(list(kinds)),
        )
    )
    return int(conn.scalar(statement) or 0)


def record_delivery(
    conn: Connection,
    participant_id: ParticipantId,
    process_id: str,
    kind: DeliveryKind,
    slot: str,
    status: DeliveryStatus,
    now: dt.datetime,
) -> bool:
    """Claim the slot; False when it was claimed before (then nothing may be sent)."""
    statement = insert_for(conn.dialect.name, delivery_table).values(
        participant_id=participant_id, process_id=process_id, kind=kind, slot=slot, status=status, created_at=now
    )
    # RETURNING, not rowcount: PostgreSQL reports no reliable rowcount for an INSERT that fetches its key
    return conn.execute(statement.on_conflict_do_nothing().returning(_d.id)).first() is not None


def inactive_participants(conn: Connection, before: dt.datetime, limit: int) -> Sequence[ParticipantId]:
    statement = sa.select(_p.id).where(_p.last_seen_at < before).order_by(_p.last_seen_at).limit(limit)
    return [ParticipantId(pid) for pid in conn.scalars(statement)]


def digest_counts(conn: Connection, since: dt.datetime) -> DigestCounts:
    started = sa.func.count().filter(_r.started_at >= since)
    completed = sa.func.count().filter(_r.completed_at >= since, _r.status.in_(("completed", "ended")))
    rows = conn.execute(
        sa.select(_r.process_id, started.label("started"), completed.label("completed"))
        .where(_r.status != "anonymous", sa.or_(_r.started_at >= since, _r.completed_at >= since))
        .group_by(_r.process_id)
        .order_by(_r.process_id)
    )
    responses = {row.process_id: (int(row.started), int(row.completed)) for row in rows}
    return DigestCounts(responses, _ideas_waiting(conn))


def _ideas_waiting(conn: Connection) -> int | None:
    # The idea tables arrive with their own migration; a database without them has no ideas to count.
    if not sa.inspect(conn).has_table("idea"):
        return None
    idea = sa.table("idea", sa.column("visibility"))
    return int(conn.scalar(sa.select(sa.func.count()).select_from(idea).where(idea.c.visibility == "pending")) or 0)


def scheduling_data(conn: Connection, participant_id: ParticipantId) -> dict[str, object]:
    """Their part of a data access request: what they follow, and the log of the invitations and
    reminders the bot started (the messages themselves are in ``messages_from_the_bot``)."""
    s, d = subscription_table.c, delivery_table.c
    followed = conn.execute(
        sa.select(s.kind, s.value, s.created_at).where(s.participant_id == participant_id).order_by(s.created_at)
    )
    delivered = conn.execute(
        sa.select(d.process_id, d.kind, d.slot, d.status, d.created_at)
        .where(d.participant_id == participant_id)
        .order_by(d.id)
    )
    return {
        "subscriptions": [
            {"kind": row.kind, "value": row.value, "since": row.created_at.isoformat()} for row in followed
        ],
        "invitations_and_reminders": [
            {
                "process_id": row.process_id,
                "kind": row.kind,
                "which": row.slot,
                "status": row.status,
                "at": row.created_at.isoformat(),
            }
            for row in delivered
        ],
    }
