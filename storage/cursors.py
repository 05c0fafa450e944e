"""Channel cursors (Matrix ``next_batch`` and the like): one text value per key."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.database import insert_for
from storage.tables import channel_cursor_table

__all__ = ["get_cursor", "set_cursor"]

_c = channel_cursor_table.c


def get_cursor(conn: Connection, key: str) -> str | None:
    return conn.scalar(sa.select(_c.value).where(_c.key == key))


def set_cursor(conn: Connection, key: str, value: str, now: dt.datetime) -> None:
    statement = insert_for(conn.dialect.name, channel_cursor_table).values(key=key, value=value, updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )
    conn.execute(statement)
