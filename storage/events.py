"""De-duplication of inbound events: each (channel, event id) is handled once."""

from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.database import insert_for
from storage.prepared import Prepared, bound
from storage.tables import processed_event_table

__all__ = ["claim_event", "forget_events"]


def claim_event(conn: Connection, channel: str, event_id: str, now: dt.datetime) -> bool:
    """True if this call recorded the event; False if it was recorded before.

    ``ON CONFLICT DO NOTHING`` rather than catching an integrity error: on
    PostgreSQL an error would abort the whole surrounding transaction. A
    concurrent claim of the same id waits for the other transaction and then
    finds the row.
    """
    values = {"channel": channel, "event_id": event_id, "processed_at": now}
    return _claim(conn.dialect.name).count(conn, values) == 1


@functools.cache
def _claim(dialect: str) -> Prepared:
    """Prepared once per backend (every turn runs it); the values come with each execution."""
    return Prepared(
        insert_for(dialect, processed_event_table)
        .values(bound("channel", "event_id", "processed_at"))
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
    )


def forget_events(conn: Connection, before: dt.datetime) -> int:
    """Delete the keys of events handled before ``before``; returns how many.

    Platforms redeliver only recent events (Telegram keeps updates for a day;
    a Matrix sync resumes from the stored token), so old keys guard nothing.
    """
    statement = sa.delete(processed_event_table).where(processed_event_table.c.processed_at < before)
    return conn.execute(statement).rowcount or 0
