"""The migrations build exactly the schema that ``storage/tables.py`` declares, on every backend."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.database import make_engine
from storage.migrations import HEAD, alembic_config
from storage.schema import metadata
from storage.store import SqlStore
from tests.storage_fixtures import SECRET, store_url  # noqa: F401  (a pytest fixture)


def schema_differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_upgraded_schema_matches_the_tables(store_url: str) -> None:
    store = SqlStore(store_url, SECRET)
    try:
        store.upgrade()
    finally:
        store.close()
    assert schema_differences(store_url) == []


def test_the_tables_differ_from_an_empty_database(store_url: str) -> None:
    # The comparison above must be able to fail: on an empty database it lists every table.
    added = {diff[1].name for diff in schema_differences(store_url) if diff[0] == "add_table"}  # type: ignore[index]
    assert added == set(metadata.tables)


def test_downgrade_to_base_removes_everything_and_upgrade_restores_it(store_url: str) -> None:
    store = SqlStore(store_url, SECRET)
    engine = make_engine(store_url)
    try:
        store.upgrade()
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "base")
        assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
        store.upgrade()
        assert schema_differences(store_url) == []
    finally:
        engine.dispose()
        store.close()


def test_there_is_one_head_and_the_script_location_needs_no_ini_file() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD], "storage.migrations.HEAD, read off the file names, is alembic's head"
    # a straight line: each revision follows the one before, back to 0001
    revisions = [revision.revision for revision in scripts.walk_revisions()]
    assert revisions == sorted(revisions, reverse=True) and revisions[-1] == "0001"


def test_0005_gives_existing_responses_the_channel_of_their_participant(store_url: str) -> None:
    """Responses from before channels were recorded take their participant's first contact's channel."""
    engine = make_engine(store_url)
    now = "2026-11-01 10:00:00"
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(connection=conn), "0004")
            conn.execute(
                sa.text(
                    "INSERT INTO participant (id, pseudonym, created_at, last_seen_at, state)"
                    " VALUES ('p1', 'P-AAAAAA', :now, :now, '{}')"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO contact (participant_id, channel, user_hash, address, active)"
                    " VALUES ('p1', 'matrix', 'h', '!room', true)"
                )
            )
            for participant in ("'p1'", "NULL"):  # a detached anonymous response has no participant
                conn.execute(
                    sa.text(
                        "INSERT INTO response (participant_id, pseudonym, process_id, status, detached,"
                        f" started_at, updated_at, progress) VALUES ({participant}, 'P-AAAAAA', 'x', 'completed',"
                        " false, :now, :now, '{}')"
                    ),
                    {"now": now},
                )
            command.upgrade(alembic_config(connection=conn), "0005")
            channels = conn.execute(sa.text("SELECT channel FROM response ORDER BY id")).scalars().all()
        assert channels == ["matrix", None]
    finally:
        engine.dispose()
