"""Alembic migrations of the storage tables, configured in code: no ``alembic.ini`` needed.

``upgrade(engine)`` is what ``mitwirken db upgrade`` and ``SqlStore.upgrade`` run.
To write a new revision after changing ``storage/tables.py``, upgrade a scratch
database to the current head and compare::

    from alembic import command
    from storage.migrations import alembic_config
    config = alembic_config(url="sqlite:///scratch.db")
    command.upgrade(config, "head")
    command.revision(config, "what changed", autogenerate=True, rev_id="0002")

then edit the generated file in ``versions/`` (spell types as plain SQLAlchemy ones,
e.g. ``sa.DateTime(timezone=True)``; ``tests/test_migrations.py`` checks the result).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:  # alembic takes a third of a second to import: only when a migration runs
    from alembic.config import Config

__all__ = ["HEAD", "SCRIPT_LOCATION", "alembic_config", "upgrade"]

SCRIPT_LOCATION = Path(__file__).resolve().parent
HEAD = max(path.name.split("_")[0] for path in (SCRIPT_LOCATION / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
"""The newest revision (``versions/NNNN_….py``; ``tests/test_migrations.py`` checks it is alembic's head)."""

# Several workers may start at once on PostgreSQL: one migrates, the others wait.
_UPGRADE_LOCK_KEY = 0x4D495457  # "MITW"


def alembic_config(*, connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic's configuration for this package: migrate ``connection``, or else ``url``."""
    from alembic.config import Config

    config = Config()
    # Config values pass through ConfigParser interpolation: a "%" must be doubled.
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply pending migrations in one transaction (on SQLite too: its DDL is transactional).
    A database at the head already is left as it is without loading alembic (every command opens
    the store this way)."""
    if revision == "head" and current_revision(engine) == HEAD:
        return
    from alembic import command

    with engine.connect() as conn, _sqlite_foreign_keys_off(conn), conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY})
        command.upgrade(alembic_config(connection=conn), revision)
        if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
            raise RuntimeError("the migration left rows that break a foreign key; nothing was changed")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a new one."""
    try:
        with engine.connect() as conn:
            found = conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
            return str(found) if found is not None else None
    except SQLAlchemyError:  # no such table yet
        return None


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite batch migrations copy a table and drop the old one; with foreign keys on,
    that DROP would cascade-delete the rows pointing at it. The pragma only takes
    effect outside a transaction, so it is set on the driver connection before BEGIN."""
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.dbapi_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys=ON")
