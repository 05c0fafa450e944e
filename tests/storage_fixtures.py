"""Storage fixtures: a fresh, migrated store on every backend, for any test module.

Import the fixtures you use into your test module (pytest finds them there)::

    from tests.storage_fixtures import store  # noqa: F401  (a pytest fixture)

- ``store``: a migrated :class:`storage.store.SqlStore`, run once per backend:
  ``sqlite`` (a file in ``tmp_path``, always) and ``postgresql`` (a private
  schema, dropped afterwards; SKIPPED when ``MITWIRKEN_TEST_DATABASE_URL`` is unset).
- ``sqlite_store``: the same on SQLite only, for tests that don't care about the backend.
- ``store_url``: the URL of an empty database per backend, nothing migrated yet.
- ``pg_url``: the URL of an empty private PostgreSQL schema (skipped without the variable).

Every store is opened with :data:`SECRET`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from storage.database import make_engine, normalise_url
from storage.store import SqlStore

__all__ = [
    "BACKENDS",
    "PG_SKIP_REASON",
    "PG_URL_VARIABLE",
    "SECRET",
    "backend_url",
    "pg_schema",
    "pg_url",
    "postgres_schema",
    "sqlite_store",
    "store",
    "store_url",
]

SECRET = b"storage-test-secret"
PG_URL_VARIABLE = "MITWIRKEN_TEST_DATABASE_URL"
PG_SKIP_REASON = "MITWIRKEN_TEST_DATABASE_URL is not set: PostgreSQL storage tests need a database"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A URL whose connections live in a new, empty schema of ``base``'s database,
    dropped afterwards (no pytest involved: benchmarks use it too)."""
    base = normalise_url(base)
    schema = f"t_{secrets.token_hex(6)}"
    admin = make_engine(base)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A private schema for one test (a schema per test, not one shared database, lets
    tests run in parallel sessions against the same server). Skips without the variable."""
    base = os.environ.get(PG_URL_VARIABLE)
    if not base:
        pytest.skip(PG_SKIP_REASON)
    with pg_schema(base) as url:
        yield url


@contextmanager
def backend_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of ``backend`` ("sqlite" or "postgresql") for one test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'mitwirken-test.db'}"
    else:
        with postgres_schema() as url:
            yield url


@contextmanager
def _migrated_store(backend: str, tmp_path: Path) -> Iterator[SqlStore]:
    with backend_url(backend, tmp_path) as url:
        opened = SqlStore(url, SECRET)
        try:
            opened.upgrade()
            yield opened
        finally:
            opened.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    with _migrated_store(request.param, tmp_path) as opened:
        yield opened


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqlStore]:
    with _migrated_store("sqlite", tmp_path) as opened:
        yield opened


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url
