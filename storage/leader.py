"""Who does work that only one process may do — run the scheduler, send a channel's outbox:
on PostgreSQL the holder of a named advisory lock, on SQLite the one process.

The lock lives as long as one dedicated database session: a process that dies
(even by SIGKILL) loses its session and with it the lock, and a follower that
tries again takes over. The lock key is per schema, so separate installations
(or test schemas) in one database don't exclude each other.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.database import normalise_url

__all__ = ["LeaderLock"]

log = logging.getLogger(__name__)

_KEY = "hashtext(:name || ':' || current_schema())"


class LeaderLock:
    def __init__(self, url: str, name: str = "mitwirken-scheduler") -> None:
        self.name = name
        url = normalise_url(url)
        self._postgres = sa.engine.make_url(url).get_backend_name() == "postgresql"
        self._engine: Engine | None = sa.create_engine(url, poolclass=NullPool) if self._postgres else None
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or not self._postgres

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process now leads."""
        if not self._postgres:
            return True
        if self._conn is not None:
            return self.still_held()
        assert self._engine is not None
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = bool(conn.scalar(sa.text(f"SELECT pg_try_advisory_lock({_KEY})"), {"name": self.name}))
        except BaseException:
            conn.close()
            raise
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def still_held(self) -> bool:
        """Whether our session (and so the lock) is still alive."""
        if not self._postgres:
            return True
        if self._conn is None:
            return False
        try:
            self._conn.scalar(sa.text("SELECT 1"))
            return True
        except SQLAlchemyError as exc:  # the session is gone, and the lock with it
            log.warning("%s lock lost: %s", self.name, type(exc).__name__)
            self._drop()
            return False

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.scalar(sa.text(f"SELECT pg_advisory_unlock({_KEY})"), {"name": self.name})
        except SQLAlchemyError as exc:  # closing the session below releases it anyway
            log.debug("unlocking failed: %s", type(exc).__name__)
        self._drop()

    def close(self) -> None:
        self.release()
        if self._engine is not None:
            self._engine.dispose()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except SQLAlchemyError as exc:  # a dead session: nothing left to close
                log.debug("closing the lock session failed: %s", type(exc).__name__)
