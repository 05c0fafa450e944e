"""``SqlStore``: the storage contract on SQLite or PostgreSQL.

Open it with :func:`open_store`, bring the schema up to date with
:meth:`SqlStore.upgrade`, then do each unit of work in
``with store.transaction() as tx:``. The outbox, cursor and result methods
each run in their own short transaction. Every method is synchronous and
safe to call from several threads at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

from storage import cursors, migrations, outbox, results, text_reviews
from storage.database import READ_ONLY, make_engine
from storage.leader import LeaderLock
from storage.records import AnswerRecord, OutboxRecord, ResponseRecord, ReviewState
from storage.schedule_tables import JOB_TABLE
from storage.transaction import SqlTransaction

if TYPE_CHECKING:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

__all__ = ["SqlStore", "open_store"]


class SqlStore:
    """Implements :class:`storage.contract.Store`.

    ``secret`` keys the hash that stands in for platform user ids: changing it
    makes every participant a stranger, so keep it with the database.
    """

    def __init__(self, url: str, secret: bytes) -> None:
        self.url = url
        self._secret = secret
        self._engine = make_engine(url)
        self.writers = 1 if self._engine.dialect.name == "sqlite" else 4

    @contextmanager
    def transaction(self) -> Iterator[SqlTransaction]:
        with self.transactions() as unit:
            yield unit()

    @contextmanager
    def transactions(self) -> Iterator[Callable[[], SqlTransaction]]:
        with self._engine.begin() as conn:
            yield lambda: SqlTransaction(conn, self._secret)

    def upgrade(self) -> None:
        migrations.upgrade(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    # --- outbox sender --------------------------------------------------------
    def due_outbox(
        self, channel: str, now: dt.datetime, limit: int, *, address: str | None = None
    ) -> Sequence[OutboxRecord]:
        with self._reading() as conn:
            return outbox.due_outbox(conn, channel, now, limit, address=address)

    def retry_waits(self, channel: str, now: dt.datetime) -> dict[str, dt.datetime]:
        with self._reading() as conn:
            return outbox.retry_waits(conn, channel, now)

    def mark_sent(self, outbox_id: int, platform_id: str, now: dt.datetime) -> None:
        with self._engine.begin() as conn:
            outbox.mark_sent(conn, outbox_id, platform_id, now)

    def mark_retry(self, outbox_id: int, not_before: dt.datetime, error: str) -> None:
        with self._engine.begin() as conn:
            outbox.mark_retry(conn, outbox_id, not_before, error)

    def mark_failed(self, outbox_id: int, error: str, now: dt.datetime) -> None:
        with self._engine.begin() as conn:
            outbox.mark_failed(conn, outbox_id, error, now)

    def deactivate_address(self, channel: str, address: str, now: dt.datetime) -> None:
        with self._engine.begin() as conn:
            outbox.deactivate_address(conn, channel, address, now)

    def outbox_pending(self, channel: str | None = None) -> int:
        with self._reading() as conn:
            return outbox.outbox_pending(conn, channel)

    def outbox_waiting(self) -> Sequence[tuple[str, dt.datetime, int]]:
        with self._reading() as conn:
            return outbox.outbox_waiting(conn)

    def transcript(self, channel: str, address: str, limit: int = 200) -> Sequence[OutboxRecord]:
        with self._reading() as conn:
            return outbox.transcript(conn, channel, address, limit)

    # --- channel cursors ------------------------------------------------------
    def get_cursor(self, key: str) -> str | None:
        with self._reading() as conn:
            return cursors.get_cursor(conn, key)

    def set_cursor(self, key: str, value: str, now: dt.datetime) -> None:
        with self._engine.begin() as conn:
            cursors.set_cursor(conn, key, value, now)

    # --- results and exports --------------------------------------------------
    def process_ids_with_answers(self) -> Sequence[str]:
        with self._reading() as conn:
            return results.process_ids_with_answers(conn)

    def answered_questions(self, process_id: str, option_types: Collection[str]) -> dict[str, tuple[str, set[str]]]:
        with self._reading() as conn:
            return results.answered_questions(conn, process_id, option_types)

    def responses(self, process_id: str) -> Iterator[tuple[ResponseRecord, Sequence[AnswerRecord]]]:
        return results.iter_responses(self._reading, process_id)

    def count_responses(self, process_id: str) -> int:
        with self._reading() as conn:
            return results.count_responses(conn, process_id)

    # --- free-text review for public reports ------------------------------------
    def text_reviews(self, process_id: str, texts: Sequence[tuple[str, str]]) -> list[ReviewState | None]:
        with self._reading() as conn:
            return text_reviews.text_reviews(conn, self._secret, process_id, texts)

    def review_texts(
        self,
        process_id: str,
        texts: Sequence[tuple[str, str]],
        state: ReviewState,
        actor: str,
        now: dt.datetime,
    ) -> None:
        with self._engine.begin() as conn:
            text_reviews.review_texts(conn, self._secret, process_id, texts, state, actor, now)

    # --- scheduled work -------------------------------------------------------
    def leader_lock(self, name: str = "mitwirken-scheduler") -> LeaderLock:
        """The lock for work only one process may do; each ``name`` is a lock of its own."""
        return LeaderLock(self.url, name)

    def job_store(self) -> SQLAlchemyJobStore:
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # only the scheduler needs it

        return SQLAlchemyJobStore(engine=self._engine, tablename=JOB_TABLE)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A transaction that only reads: on SQLite it doesn't queue behind the writer."""
        with self._engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            with conn.begin():
                yield conn


def open_store(url: str, secret: bytes) -> SqlStore:
    return SqlStore(url, secret)
