"""Column types shared by the tables: timestamps that are always aware UTC.

SQLite keeps no time zone and PostgreSQL answers in the session's zone; this
type stores UTC on both and hands back aware UTC datetimes on both, so records
compare equal whatever the backend.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = ["UtcDateTime", "utc_day"]


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """``DateTime(timezone=True)`` that refuses naive values and always returns aware UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time would be read back as UTC on SQLite and as local time on
            # PostgreSQL: refuse it instead of storing something ambiguous.
            raise ValueError(f"naive datetime {value!r}: the store takes timezone-aware datetimes only")
        # SQLite stores the digits without the offset, so only UTC makes them comparable.
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        moment: dt.datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)


def utc_day(moment: dt.datetime) -> dt.datetime:
    """Midnight UTC of ``moment``'s day: a timestamp too coarse to link records by."""
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
