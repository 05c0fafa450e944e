"""Engines for SQLite and PostgreSQL, configured for a bot that writes from worker threads.

SQLite: WAL (readers don't block the writer), a busy timeout instead of instant
"database is locked", foreign keys on, and write transactions that start with
``BEGIN IMMEDIATE`` so two processes never deadlock upgrading a read lock to a
write lock. PostgreSQL: psycopg 3, whatever spelling of the URL was given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult, Engine, make_url
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["READ_ONLY", "insert_for", "insert_id", "make_engine", "normalise_url", "update_one"]

READ_ONLY = "mitwirken_read_only"
"""Execution option for a connection that only reads: SQLite then begins a deferred
transaction, which never waits for the writer."""

_SQLITE_PRAGMAS = ("busy_timeout=5000", "journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` mean psycopg 3; other URLs stay as they are."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    # The bot idles for hours between messages: test a pooled connection before use.
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if make_url(url).database in (None, "", ":memory:"):
        # One connection, or every thread would see its own empty database.
        # Good for single-threaded tests and tries only.
        kwargs["poolclass"] = StaticPool
    engine = sa.create_engine(url, **kwargs)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Take BEGIN away from the sqlite3 module (it would emit a deferred one lazily),
    # so _begin_sqlite decides how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin_sqlite(conn: Connection) -> None:
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def insert_for(dialect: str, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that offers ``on_conflict_do_nothing``/``_do_update`` on both backends, by the
    dialect's name (``conn.dialect.name``), so a statement can also be built once per backend."""
    # imported here: a dialect's package costs start-up time, and a command needs only its own
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database: {dialect}")


def update_one(
    conn: Connection, table: sa.Table, where: sa.ColumnElement[bool], values: dict[str, Any], what: str
) -> None:
    """UPDATE that must hit a row: a write to a row that isn't there is a caller's bug."""
    if conn.execute(sa.update(table).where(where).values(**values)).rowcount == 0:
        raise LookupError(f"{what} does not exist")


def insert_id(result: CursorResult[Any]) -> int:
    """The new primary key of a single-row INSERT."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT reported no primary key")
    return int(key[0])
