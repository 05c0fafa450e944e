"""The outbox: what is waiting to be sent, and what became of it.

A row is ``pending`` until it is ``sent`` or ``failed``; neither of those ever
goes back to pending, so a row marked sent is never sent again. ``due_outbox``
hands out rows without locking them: run one sender per channel for the whole
deployment (the sender keeps a channel's order and its rate limits anyway).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from storage.identifiers import new_txn_id
from storage.prepared import Prepared, bound
from storage.records import OutboxRecord, ParticipantId
from storage.tables import contact_table, outbox_table

__all__ = [
    "FORGOTTEN_PAYLOAD",
    "RECIPIENT_GONE",
    "deactivate_address",
    "detach_messages",
    "due_outbox",
    "enqueue",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "purge_sent",
    "redact_quotes",
    "retry_waits",
    "outbox_pending",
    "outbox_waiting",
    "transcript",
]

RECIPIENT_GONE = "recipient gone"

_o = outbox_table.c


def enqueue(
    conn: Connection,
    channel: str,
    address: str,
    payload: str,
    now: dt.datetime,
    *,
    participant_id: ParticipantId | None,
    not_before: dt.datetime | None,
) -> OutboxRecord:
    """Add a row; returns it as stored (a sender of this process may send it without reading it back)."""
    due, txn_id = now if not_before is None else not_before, new_txn_id()
    values = {
        "channel": channel,
        "address": address,
        "payload": payload,
        "participant_id": participant_id,
        "created_at": now,
        "not_before": due,
        "attempts": 0,
        "status": "pending",
        "txn_id": txn_id,
    }
    ((row_id,),) = _ENQUEUE.rows(conn, values)
    return OutboxRecord(
        id=row_id,
        channel=channel,
        address=address,
        payload=payload,
        participant_id=participant_id,
        created_at=now,
        not_before=due,
        attempts=0,
        txn_id=txn_id,
    )


_ENQUEUE = Prepared(  # every reply runs it: prepared once, the values come with each execution
    sa.insert(outbox_table)
    .values(
        bound(
            "channel",
            "address",
            "payload",
            "participant_id",
            "created_at",
            "not_before",
            "attempts",
            "status",
            "txn_id",
        )
    )
    .returning(_o.id)
)


def due_outbox(
    conn: Connection, channel: str, now: dt.datetime, limit: int, *, address: str | None = None
) -> Sequence[OutboxRecord]:
    # A row waiting out a retry (attempts > 0, due later) holds back the later rows of its address,
    # in the database and not only in the sender's memory: after a restart a citizen must still
    # get question 4 before question 5. A row merely scheduled later (a reminder at 08:00) holds
    # nothing back.
    earlier = outbox_table.alias("earlier")
    held = sa.exists().where(
        earlier.c.status == "pending",
        earlier.c.channel == _o.channel,
        earlier.c.address == _o.address,
        earlier.c.id < _o.id,
        earlier.c.attempts > 0,
        earlier.c.not_before > now,
    )
    statement = sa.select(outbox_table).where(
        _o.status == "pending", _o.channel == channel, _o.not_before <= now, ~held
    )
    if address is not None:
        statement = statement.where(_o.address == address)
    rows = conn.execute(statement.order_by(_o.id).limit(limit))
    return [_outbox_record(row) for row in rows]


def retry_waits(conn: Connection, channel: str, now: dt.datetime) -> dict[str, dt.datetime]:
    """The addresses of a channel whose rows wait out a retry, each with the end of its wait: a
    sender that starts learns what an earlier process left held back."""
    statement = (
        sa.select(_o.address, sa.func.max(_o.not_before))
        .where(_o.status == "pending", _o.channel == channel, _o.attempts > 0, _o.not_before > now)
        .group_by(_o.address)
    )
    return {address: until for address, until in conn.execute(statement)}  # max() keeps the UTC column type


FORGOTTEN_PAYLOAD = "{}"  # a sent row's text once it is purged: the row stays for the de-duplication


_NOBODY = _o.participant_id.is_(None)
_MARK_SENT = Prepared(  # every sent message runs it: prepared once, the values come with each execution
    sa.update(outbox_table)
    .where(_o.id == sa.bindparam("row"), _o.status != "sent")
    .values(
        status="sent",
        sent_at=sa.bindparam("moment"),
        platform_id=sa.bindparam("message"),
        address=sa.case((_NOBODY, ""), else_=_o.address),
        payload=sa.case((_NOBODY, FORGOTTEN_PAYLOAD), else_=_o.payload),
    )
)


def mark_sent(conn: Connection, outbox_id: int, platform_id: str, now: dt.datetime) -> None:
    """Idempotent: the first report of a sent row wins. A failed row can still turn out sent.

    A row for nobody stored (before consent, the confirmation of an erasure, a note to a
    flooding sender) keeps neither its address nor its text once sent."""
    _MARK_SENT.count(conn, {"row": outbox_id, "moment": now, "message": platform_id})


def detach_messages(conn: Connection, participant_id: ParticipantId, since: dt.datetime) -> None:
    """The participant's messages since ``since`` (an anonymous survey's questions and the answers
    shown) are no longer theirs: a sent one loses text and address, one still to send its link
    to them (it then loses them once sent)."""
    handled = _o.status != "pending"
    conn.execute(
        sa.update(outbox_table)
        .where(_o.participant_id == participant_id, _o.created_at >= since)
        .values(
            participant_id=None,
            payload=sa.case((handled, FORGOTTEN_PAYLOAD), else_=_o.payload),
            address=sa.case((handled, ""), else_=_o.address),
        )
    )


def purge_sent(conn: Connection, before: dt.datetime) -> int:
    """Forget the texts of rows sent or failed before ``before`` (``storage.sent_messages_days``)."""
    done = sa.or_(
        sa.and_(_o.status == "sent", _o.sent_at < before), sa.and_(_o.status == "failed", _o.failed_at < before)
    )
    result = conn.execute(
        sa.update(outbox_table).where(done, _o.payload != FORGOTTEN_PAYLOAD).values(payload=FORGOTTEN_PAYLOAD)
    )
    return int(result.rowcount or 0)


def redact_quotes(conn: Connection, quotes: Sequence[str], replacement: str) -> int:
    """Replace every quote of ``quotes`` (texts an erased citizen wrote) in the texts of all
    outbox rows — other citizens' listings, staff's queues — by ``replacement``; returns the
    rows changed."""
    wanted = sorted({q for q in quotes if len(q.strip()) >= 3}, key=len, reverse=True)
    if not wanted:
        return 0
    escaped = [json.dumps(q, ensure_ascii=False)[1:-1] for q in wanted]
    quoted = sa.or_(*(_o.payload.contains(e, autoescape=True) for e in escaped))
    changed = 0
    for row in conn.execute(sa.select(_o.id, _o.payload).where(quoted)).all():
        data = json.loads(row.payload)
        texts = [data.get("text", "")] + [o.get("label", "") for o in data.get("options") or []]
        redacted = [_without(text, wanted, replacement) for text in texts]
        if redacted == texts:
            continue
        data["text"] = redacted[0]
        for option, label in zip(data.get("options") or [], redacted[1:], strict=True):
            option["label"] = label
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        conn.execute(sa.update(outbox_table).where(_o.id == row.id).values(payload=payload))
        changed += 1
    return changed


def _without(text: str, quotes: Sequence[str], replacement: str) -> str:
    for quote in quotes:
        text = text.replace(quote, replacement)
    return text


def mark_retry(conn: Connection, outbox_id: int, not_before: dt.datetime, error: str) -> None:
    conn.execute(
        sa.update(outbox_table)
        .where(_o.id == outbox_id, _o.status == "pending")
        .values(attempts=_o.attempts + 1, not_before=not_before, last_error=error)
    )


def mark_failed(conn: Connection, outbox_id: int, error: str, now: dt.datetime) -> None:
    conn.execute(
        sa.update(outbox_table)
        .where(_o.id == outbox_id, _o.status == "pending")
        .values(attempts=_o.attempts + 1, status="failed", failed_at=now, last_error=error)
    )


def deactivate_address(conn: Connection, channel: str, address: str, now: dt.datetime) -> None:
    contact = contact_table.c
    conn.execute(
        sa.update(contact_table).where(contact.channel == channel, contact.address == address).values(active=False)
    )
    conn.execute(
        sa.update(outbox_table)
        .where(_o.channel == channel, _o.address == address, _o.status == "pending")
        .values(status="failed", failed_at=now, last_error=RECIPIENT_GONE)
    )


def outbox_pending(conn: Connection, channel: str | None = None, participant_id: ParticipantId | None = None) -> int:
    statement = sa.select(sa.func.count()).select_from(outbox_table).where(_o.status == "pending")
    if channel is not None:
        statement = statement.where(_o.channel == channel)
    if participant_id is not None:
        statement = statement.where(_o.participant_id == participant_id)
    return int(conn.scalar(statement) or 0)


def outbox_waiting(conn: Connection) -> list[tuple[str, dt.datetime, int]]:
    """The pending rows as (channel, may be sent from, how many), earliest first."""
    statement = (
        sa.select(_o.channel, _o.not_before, sa.func.count())
        .where(_o.status == "pending")
        .group_by(_o.channel, _o.not_before)
        .order_by(_o.not_before, _o.channel)
    )
    return [(channel, due, int(count)) for channel, due, count in conn.execute(statement)]


def _outbox_record(row: Row[Any]) -> OutboxRecord:
    return OutboxRecord(
        id=row.id,
        channel=row.channel,
        address=row.address,
        payload=row.payload,
        participant_id=None if row.participant_id is None else ParticipantId(row.participant_id),
        created_at=row.created_at,
        not_before=row.not_before,
        attempts=row.attempts,
        txn_id=row.txn_id,
    )


def transcript(conn: Connection, channel: str, address: str, limit: int) -> Sequence[OutboxRecord]:
    """The last ``limit`` rows of one address, oldest first, that still hold their text (pending or
    sent, not failed, not yet forgotten): what a channel showing the whole conversation draws."""
    statement = (
        sa.select(outbox_table)
        .where(_o.channel == channel, _o.address == address, _o.status != "failed", _o.payload != FORGOTTEN_PAYLOAD)
        .order_by(_o.id.desc())
        .limit(limit)
    )
    return [_outbox_record(row) for row in reversed(conn.execute(statement).all())]
