"""De-duplication of inbound events: each (channel, event id) is handled once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Connection

from storage.database import dialect_insert
from storage.tables import processed_event_table

__all__ = ["claim_event"]


def claim_event(conn: Connection, channel: str, event_id: str, now: dt.datetime) -> bool:
    """True if this call recorded the event; False if it was recorded before.

    ``ON CONFLICT DO NOTHING`` rather than catching an integrity error: on
    PostgreSQL an error would abort the whole surrounding transaction. A
    concurrent claim of the same id waits for the other transaction and then
    finds the row.
    """
    statement = (
        dialect_insert(conn, processed_event_table)
        .values(channel=channel, event_id=event_id, processed_at=now)
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
        # SQLAlchemy keeps an INSERT's rowcount only when asked (psycopg would report -1).
        .execution_options(preserve_rowcount=True)
    )
    return conn.execute(statement).rowcount == 1
