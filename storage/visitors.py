"""Visitors: people who wrote but have not agreed to the privacy notice (yet).

Only what asking again needs is kept, under the keyed hash of (channel, sender):
their language and the small dialogue state; never an address or anything they
wrote. A visitor becomes a participant on consent (``visitor`` row deleted), and
the retention job forgets visitors after ``VISITOR_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.records import VisitorRecord
from storage.tables import visitor_table

__all__ = ["VISITOR_DAYS", "find_visitor", "forget_visitor", "forget_visitors", "save_visitor"]

VISITOR_DAYS = 7

_v = visitor_table.c


def find_visitor(conn: Connection, channel: str, user_hash: str) -> VisitorRecord | None:
    row = conn.execute(sa.select(visitor_table).where(_v.channel == channel, _v.user_hash == user_hash)).one_or_none()
    return None if row is None else VisitorRecord(language=row.language, state=dict(row.state or {}))


def save_visitor(
    conn: Connection, channel: str, user_hash: str, language: str | None, state: dict[str, Any], now: dt.datetime
) -> None:
    values = {"language": language, "state": state, "updated_at": now}
    where = sa.and_(_v.channel == channel, _v.user_hash == user_hash)
    if conn.execute(sa.update(visitor_table).where(where).values(**values)).rowcount == 0:
        conn.execute(sa.insert(visitor_table).values(channel=channel, user_hash=user_hash, **values))


def forget_visitor(conn: Connection, channel: str, user_hash: str) -> None:
    conn.execute(sa.delete(visitor_table).where(_v.channel == channel, _v.user_hash == user_hash))


def forget_visitors(conn: Connection, before: dt.datetime) -> int:
    return int(conn.execute(sa.delete(visitor_table).where(_v.updated_at < before)).rowcount or 0)
