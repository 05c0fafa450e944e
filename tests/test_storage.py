"""The storage contract, run against every backend (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine

from storage.contract import Store, Transaction
from storage.database import make_engine, normalise_url
from storage.identifiers import PSEUDONYM_ALPHABET, user_hash
from storage.migrations import alembic_config
from storage.records import ParticipantId
from storage.schema import metadata
from storage.store import SqlStore
from storage.tables import outbox_table
from storage.transaction import SqlTransaction
from surveys.question_types import OPTION_TYPES
from tests.storage_fixtures import SECRET, store, store_url  # noqa: F401  (pytest fixtures)

NOW = dt.datetime(2025, 3, 10, 9, 30, 15, 123456, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=5)
PSEUDONYM = re.compile(rf"^P-[{PSEUDONYM_ALPHABET}]{{6}}$")
ANONYMOUS = re.compile(rf"^A-[{PSEUDONYM_ALPHABET}]{{6}}$")


@contextmanager
def raw_engine(store: SqlStore) -> Iterator[Engine]:
    """A second engine on the store's database, to look at what is really stored."""
    engine = make_engine(store.url)
    try:
        yield engine
    finally:
        engine.dispose()


def outbox_row(store: SqlStore, outbox_id: int) -> Any:
    with raw_engine(store) as engine, engine.connect() as conn:
        return conn.execute(sa.select(outbox_table).where(outbox_table.c.id == outbox_id)).one()


def new_participant(store: SqlStore, sender: str = "sender-1", address: str = "chat-1") -> ParticipantId:
    with store.transaction() as tx:
        return tx.create_participant("telegram", sender, address, "de", NOW).id


def started_response(store: SqlStore, participant_id: ParticipantId, process_id: str = "umfrage") -> int:
    with store.transaction() as tx:
        return tx.start_response(participant_id, process_id, NOW).id


class TestMigrations:
    def test_upgrade_creates_every_table_and_is_idempotent(self, store_url: str) -> None:
        fresh = SqlStore(store_url, SECRET)
        try:
            with raw_engine(fresh) as engine:
                assert sa.inspect(engine).get_table_names() == []
                fresh.upgrade()
                fresh.upgrade()
                inspector = sa.inspect(engine)
                assert set(inspector.get_table_names()) == set(metadata.tables) | {"alembic_version"}
                with engine.connect() as conn:
                    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
                    assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
                    assert conn.scalar(sa.text("SELECT count(*) FROM alembic_version")) == 1
        finally:
            fresh.close()

    def test_foreign_keys_are_enforced_after_the_upgrade(self, store: SqlStore) -> None:
        # The upgrade switches SQLite's foreign keys off for itself; they must be back on.
        with pytest.raises(sa.exc.IntegrityError), store.transaction() as tx:
            tx.enqueue("telegram", "chat-1", "{}", NOW, participant_id=ParticipantId("no-such-participant"))


class TestEvents:
    def test_an_event_is_claimed_once_per_channel(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            assert tx.claim_event("telegram", "42", NOW) is True
            assert tx.claim_event("matrix", "42", NOW) is True
        with store.transaction() as tx:
            assert tx.claim_event("telegram", "42", NOW) is False

    def test_a_conflicting_claim_does_not_spoil_the_transaction(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            assert tx.claim_event("telegram", "7", NOW) is True
            assert tx.claim_event("telegram", "7", NOW) is False
            participant = tx.create_participant("telegram", "sender-1", "chat-1", None, NOW)
        with store.transaction() as tx:
            assert tx.get_participant(participant.id) == participant
            assert tx.claim_event("telegram", "7", NOW) is False

    def test_two_threads_claiming_one_event_get_exactly_one_true(self, store: SqlStore) -> None:
        for round_ in range(5):
            assert sorted(claim_at_once(store, f"race-{round_}")) == [False, True]


def claim_at_once(store: SqlStore, event_id: str) -> list[bool]:
    """Two threads claim ``event_id`` at the same moment; what each was told."""
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def claim() -> None:
        try:
            barrier.wait()
            with store.transaction() as tx:
                claimed = tx.claim_event("telegram", event_id, NOW)
                time.sleep(0.02)  # hold the transaction open so the claims overlap
            results.append(claimed)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


class TestParticipants:
    def test_created_participant_is_found_by_channel_and_sender(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            created = tx.create_participant("telegram", "sender-1", "chat-1", "de", NOW)
        with store.transaction() as tx:
            assert tx.find_participant("telegram", "sender-1") == created
            assert tx.find_participant("telegram", "sender-1", lock=False) == created
            assert tx.find_participant("matrix", "sender-1") is None
            assert tx.find_participant("telegram", "sender-2") is None
            assert tx.get_participant(created.id) == created
        assert created.consent_at is None
        assert created.language == "de"
        assert created.state == {}
        assert created.created_at == created.last_seen_at == NOW
        assert re.fullmatch(r"[0-9a-f]{32}", created.id)

    def test_the_platform_user_id_is_stored_only_as_its_keyed_hash(self, store: SqlStore) -> None:
        sender = "sender-4711-unmistakable"
        participant_id = new_participant(store, sender=sender, address="chat-1")
        response_id = started_response(store, participant_id)
        with store.transaction() as tx:
            tx.record_consent(participant_id, "v1", NOW)
            tx.save_answer(response_id, "q1", "text", "hallo", None, NOW)
            tx.enqueue("telegram", "chat-1", '{"text": "Danke"}', NOW, participant_id=participant_id)
            tx.claim_event("telegram", "e1", NOW)
        with raw_engine(store) as engine, engine.connect() as conn:
            stored = "\n".join(
                repr(tuple(row)) for table in metadata.sorted_tables for row in conn.execute(sa.select(table))
            )
        assert sender not in stored
        assert user_hash(SECRET, "telegram", sender) in stored

    def test_pseudonyms_are_well_formed_and_unique(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            created = [tx.create_participant("telegram", f"s{i}", f"c{i}", None, NOW) for i in range(150)]
        pseudonyms = [participant.pseudonym for participant in created]
        assert all(PSEUDONYM.fullmatch(pseudonym) for pseudonym in pseudonyms)
        assert len(set(pseudonyms)) == len(pseudonyms)
        assert len({participant.id for participant in created}) == len(created)

    def test_consent_is_recorded_with_its_time(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        with store.transaction() as tx:
            tx.record_consent(participant_id, "2025-01", NOW)
            tx.record_consent(participant_id, "2025-03", LATER)
        with store.transaction() as tx:
            participant = tx.get_participant(participant_id)
            data = tx.participant_data(participant_id)
        assert participant is not None and participant.consent_at == LATER
        assert data["participant"]["consents"] == [
            {"version": "2025-01", "given_at": NOW.isoformat()},
            {"version": "2025-03", "given_at": LATER.isoformat()},
        ]

    def test_update_changes_only_what_is_given_and_touches_last_seen(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        with store.transaction() as tx:
            tx.update_participant(participant_id, now=LATER, state={"menu": "main", "n": [1, 2]})
            after_state = tx.get_participant(participant_id)
            tx.update_participant(participant_id, now=LATER + dt.timedelta(1), language="en")
            after_language = tx.get_participant(participant_id)
            tx.update_participant(participant_id, now=LATER, language=None)
            after_none = tx.get_participant(participant_id)
        assert after_state is not None and after_language is not None and after_none is not None
        assert (after_state.language, after_state.state, after_state.last_seen_at) == (
            "de",
            {"menu": "main", "n": [1, 2]},
            LATER,
        )
        assert (after_language.language, after_language.state) == ("en", {"menu": "main", "n": [1, 2]})
        assert after_language.last_seen_at == LATER + dt.timedelta(1)
        assert after_none.language is None

    def test_updating_an_unknown_participant_fails(self, store: SqlStore) -> None:
        with pytest.raises(LookupError), store.transaction() as tx:
            tx.update_participant(ParticipantId("0" * 32), now=NOW, language="en")

    def test_set_address_moves_and_reactivates_the_contact(self, store: SqlStore) -> None:
        participant_id = new_participant(store, address="chat-1")
        store.deactivate_address("telegram", "chat-1", NOW)
        with store.transaction() as tx:
            assert [(c.address, c.active) for c in tx.contacts(participant_id)] == [("chat-1", False)]
            tx.set_address(participant_id, "telegram", "chat-2")
            contacts = tx.contacts(participant_id)
            with pytest.raises(LookupError):
                tx.set_address(participant_id, "matrix", "!room:example.org")
        assert [(c.participant_id, c.channel, c.address, c.active) for c in contacts] == [
            (participant_id, "telegram", "chat-2", True)
        ]


class TestResponses:
    def test_start_save_progress_and_find(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        with store.transaction() as tx:
            assert tx.find_response(participant_id, "umfrage") is None
            started = tx.start_response(participant_id, "umfrage", NOW)
            tx.save_progress(started.id, {"current": "q2", "history": ["q1"]}, LATER)
            found = tx.find_response(participant_id, "umfrage")
            participant = tx.get_participant(participant_id)
        assert participant is not None
        assert (started.status, started.pseudonym, started.started_at) == ("active", participant.pseudonym, NOW)
        assert found is not None
        assert found.id == started.id
        assert found.progress == {"current": "q2", "history": ["q1"]}
        assert (found.started_at, found.updated_at, found.completed_at) == (NOW, LATER, None)

    def test_an_answer_is_replaced_and_deleted(self, store: SqlStore) -> None:
        response_id = started_response(store, new_participant(store))
        with store.transaction() as tx:
            tx.save_answer(response_id, "farbe", "choice", "rot", None, NOW)
            tx.save_answer(response_id, "wunsch", "text", "Mehr Bäume", None, NOW)
            tx.save_answer(response_id, "farbe", "choice", "other", "lila", LATER)
            tx.save_answer(response_id, "note", "scale", None, None, LATER)  # skipped
            tx.delete_answer(response_id, "wunsch")
            tx.delete_answer(response_id, "never-answered")
            answers = tx.answers(response_id)
        assert [(a.question_id, a.question_type, a.value, a.other_text, a.answered_at) for a in answers] == [
            ("farbe", "choice", "other", "lila", LATER),
            ("note", "scale", None, None, LATER),
        ]

    def test_finish_with_detach_moves_the_answers_to_an_anonymous_response(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        response_id = started_response(store, participant_id)
        with store.transaction() as tx:
            tx.save_progress(response_id, {"answers": {"farbe": ["rot", "blau"]}}, NOW)
            tx.save_answer(response_id, "farbe", "multi", ["rot", "blau"], None, NOW)
            tx.save_answer(response_id, "wunsch", "text", "Radwege", None, NOW)
            tx.finish_response(response_id, "completed", LATER, detach=True)
            original = tx.find_response(participant_id, "umfrage")
            left_behind = tx.answers(response_id)
        assert original is not None and left_behind == []
        assert (original.status, original.completed_at, original.progress) == ("completed", LATER, {})

        [(anonymous, answers)] = list(store.responses("umfrage"))
        assert anonymous.id != response_id
        assert anonymous.participant_id is None
        assert anonymous.status == "anonymous"
        assert ANONYMOUS.fullmatch(anonymous.pseudonym)
        assert anonymous.progress == {"status": "completed"}
        # cut to the day, so it can't be matched to the original's completed_at
        day = dt.datetime(2025, 3, 10, tzinfo=dt.UTC)
        assert anonymous.started_at == anonymous.completed_at == day
        assert [(a.question_id, a.value, a.answered_at) for a in answers] == [
            ("farbe", ["rot", "blau"], day),
            ("wunsch", "Radwege", day),
        ]
        assert store.count_responses("umfrage") == 1

    def test_finish_without_detach_keeps_the_answers(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        response_id = started_response(store, participant_id)
        with store.transaction() as tx:
            tx.save_answer(response_id, "alter", "number", 34, None, NOW)
            tx.save_progress(response_id, {"current": None}, NOW)
            tx.finish_response(response_id, "ended", LATER, detach=False)
            with pytest.raises(ValueError):
                tx.finish_response(response_id, "active", LATER, detach=False)
        [(response, answers)] = list(store.responses("umfrage"))
        assert (response.id, response.participant_id, response.status) == (response_id, participant_id, "ended")
        assert response.progress == {"current": None}
        assert [(a.question_id, a.value) for a in answers] == [("alter", 34)]

    def test_rollback_on_exception_leaves_nothing(self, store: SqlStore) -> None:
        with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
            tx.claim_event("telegram", "e1", NOW)
            participant = tx.create_participant("telegram", "sender-1", "chat-1", "de", NOW)
            tx.start_response(participant.id, "umfrage", NOW)
            tx.enqueue("telegram", "chat-1", "{}", NOW, participant_id=participant.id)
            raise RuntimeError("boom")
        with store.transaction() as tx:
            assert tx.find_participant("telegram", "sender-1") is None
            assert tx.claim_event("telegram", "e1", NOW) is True
        assert store.outbox_pending() == 0
        assert store.count_responses("umfrage") == 0


class TestErasure:
    def test_erase_removes_everything_but_detached_anonymous_answers(self, store: SqlStore) -> None:
        leaving = new_participant(store, sender="leaving", address="chat-1")
        staying = new_participant(store, sender="staying", address="chat-2")
        finished = started_response(store, leaving, "anonym")
        active = started_response(store, leaving, "offen")
        kept = started_response(store, staying, "offen")
        with store.transaction() as tx:
            tx.record_consent(leaving, "v1", NOW)
            tx.save_answer(finished, "q", "text", "anonym bleibt", None, NOW)
            tx.finish_response(finished, "completed", NOW, detach=True)
            tx.save_answer(active, "q", "text", "geht mit", None, NOW)
            tx.save_answer(kept, "q", "text", "bleibt", None, NOW)
            sent = tx.enqueue("telegram", "chat-1", "{}", NOW, participant_id=leaving).id
            tx.enqueue("telegram", "chat-1", "{}", NOW, participant_id=leaving)
            tx.enqueue("telegram", "chat-2", "{}", NOW, participant_id=staying)
        store.mark_sent(sent, "m1", NOW)

        with store.transaction() as tx:
            tx.erase_participant(leaving)
            tx.erase_participant(leaving)  # a second request finds nothing and does no harm
        with store.transaction() as tx:
            assert tx.get_participant(leaving) is None
            assert tx.find_participant("telegram", "leaving") is None
            assert tx.contacts(leaving) == []
            assert tx.find_response(leaving, "offen") is None
            assert tx.get_participant(staying) is not None
        assert [(r.status, [a.value for a in answers]) for r, answers in store.responses("anonym")] == [
            ("anonymous", ["anonym bleibt"])
        ]
        assert [(r.id, [a.value for a in answers]) for r, answers in store.responses("offen")] == [(kept, ["bleibt"])]
        assert [row.address for row in store.due_outbox("telegram", NOW, 10)] == ["chat-2"]
        with raw_engine(store) as engine, engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(outbox_table)) == 1
            assert conn.scalar(sa.text("SELECT count(*) FROM consent")) == 0

    def test_participant_data_holds_everything_about_them_and_no_hash(self, store: SqlStore) -> None:
        participant_id = new_participant(store, sender="sender-1", address="chat-1")
        response_id = started_response(store, participant_id)
        with store.transaction() as tx:
            tx.record_consent(participant_id, "v1", NOW)
            tx.update_participant(participant_id, now=LATER, state={"menu": "start"})
            tx.save_progress(response_id, {"current": "q2"}, LATER)
            tx.save_answer(response_id, "q1", "yesno", True, None, LATER)
            tx.enqueue("telegram", "chat-1", "{}", LATER, participant_id=participant_id)
            data = tx.participant_data(participant_id)
            pseudonym = tx.get_participant(participant_id).pseudonym  # type: ignore[union-attr]
        assert data == {
            "participant": {
                "pseudonym": pseudonym,
                "language": "de",
                "created_at": NOW.isoformat(),
                "last_seen_at": LATER.isoformat(),
                "consent_at": NOW.isoformat(),
                "consents": [{"version": "v1", "given_at": NOW.isoformat()}],
                "state": {"menu": "start"},
            },
            "contacts": [{"channel": "telegram", "address": "chat-1", "active": True}],
            "responses": [
                {
                    "process_id": "umfrage",
                    "status": "active",
                    "anonymised": False,
                    "started_at": NOW.isoformat(),
                    "updated_at": LATER.isoformat(),
                    "completed_at": None,
                    "progress": {"current": "q2"},
                    "answers": [
                        {
                            "question_id": "q1",
                            "question_type": "yesno",
                            "value": True,
                            "other_text": None,
                            "answered_at": LATER.isoformat(),
                        }
                    ],
                }
            ],
            "outbox_pending": 1,
            "ideas": [],
            "idea_supports": [],
            "idea_reports": [],
            "subscriptions": [],
            "invitations_and_reminders": [],
            "messages_from_the_bot": [
                {
                    "channel": "telegram",
                    "status": "pending",
                    "queued_at": LATER.isoformat(),
                    "sent_at": None,
                    "text": None,
                    "options": [],
                    "file": None,
                }
            ],
        }
        text = json.dumps(data)
        assert user_hash(SECRET, "telegram", "sender-1") not in text
        assert participant_id not in text


class TestOutbox:
    def test_due_rows_come_oldest_first_and_honour_not_before(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            written = tx.enqueue("telegram", "chat-1", '{"text": "1"}', NOW)
            later = tx.enqueue("telegram", "chat-1", '{"text": "2"}', NOW, not_before=LATER).id
            third = tx.enqueue("telegram", "chat-2", '{"text": "3"}', NOW).id
            tx.enqueue("matrix", "!room", '{"text": "4"}', NOW)
            assert [row.id for row in tx.queued] == [written.id, later, third, third + 1], "what this transaction wrote"
        first = written.id
        assert store.due_outbox("telegram", NOW, 1)[0] == written, "enqueue returns the row as stored"
        assert [row.id for row in store.due_outbox("telegram", NOW, 10)] == [first, third]
        assert [row.id for row in store.due_outbox("telegram", LATER, 10)] == [first, later, third]
        assert [row.id for row in store.due_outbox("telegram", LATER, 2)] == [first, later]
        assert [row.id for row in store.due_outbox("telegram", LATER, 10, address="chat-2")] == [third]
        row = store.due_outbox("telegram", NOW, 1)[0]
        assert (row.channel, row.address, row.payload, row.attempts) == ("telegram", "chat-1", '{"text": "1"}', 0)
        assert (row.created_at, row.not_before, row.participant_id) == (NOW, NOW, None)
        assert re.fullmatch(r"[0-9a-f]{32}", row.txn_id)
        assert store.outbox_pending() == 4
        assert store.outbox_pending("telegram") == 3

    def test_mark_sent_is_idempotent_and_final(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            outbox_id = tx.enqueue("telegram", "chat-1", "{}", NOW).id
        store.mark_sent(outbox_id, "m-1", NOW)
        store.mark_sent(outbox_id, "m-2", LATER)
        store.mark_retry(outbox_id, LATER, "late retry")
        store.mark_failed(outbox_id, "late failure", LATER)
        store.deactivate_address("telegram", "chat-1", LATER)
        row = outbox_row(store, outbox_id)
        assert (row.status, row.platform_id, row.sent_at, row.attempts, row.last_error) == (
            "sent",
            "m-1",
            NOW,
            0,
            None,
        )
        assert store.due_outbox("telegram", LATER, 10) == []
        assert store.outbox_pending() == 0

    def test_mark_retry_counts_and_postpones(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            outbox_id = tx.enqueue("telegram", "chat-1", "{}", NOW).id
        store.mark_retry(outbox_id, LATER, "HTTP 502")
        assert store.due_outbox("telegram", NOW, 10) == []
        [row] = store.due_outbox("telegram", LATER, 10)
        assert (row.id, row.attempts, row.not_before) == (outbox_id, 1, LATER)
        store.mark_retry(outbox_id, LATER, "timeout")
        assert outbox_row(store, outbox_id).last_error == "timeout"
        assert store.due_outbox("telegram", LATER, 10)[0].attempts == 2

    def test_mark_failed_gives_up_but_a_late_success_still_counts(self, store: SqlStore) -> None:
        with store.transaction() as tx:
            outbox_id = tx.enqueue("telegram", "chat-1", "{}", NOW).id
        store.mark_failed(outbox_id, "bad request", LATER)
        row = outbox_row(store, outbox_id)
        assert (row.status, row.last_error, row.failed_at, row.attempts) == ("failed", "bad request", LATER, 1)
        assert store.due_outbox("telegram", LATER, 10) == []
        store.mark_sent(outbox_id, "m-9", LATER)
        assert outbox_row(store, outbox_id).status == "sent"

    def test_deactivate_address_fails_its_pending_rows(self, store: SqlStore) -> None:
        gone = new_participant(store, sender="gone", address="chat-1")
        here = new_participant(store, sender="here", address="chat-2")
        with store.transaction() as tx:
            pending = tx.enqueue("telegram", "chat-1", "{}", NOW, participant_id=gone).id
            other = tx.enqueue("telegram", "chat-2", "{}", NOW, participant_id=here).id
            same_address_elsewhere = tx.enqueue("matrix", "chat-1", "{}", NOW).id
        store.deactivate_address("telegram", "chat-1", LATER)
        row = outbox_row(store, pending)
        assert (row.status, row.last_error, row.failed_at) == ("failed", "recipient gone", LATER)
        assert [r.id for r in store.due_outbox("telegram", LATER, 10)] == [other]
        assert [r.id for r in store.due_outbox("matrix", LATER, 10)] == [same_address_elsewhere]
        with store.transaction() as tx:
            assert [c.active for c in tx.contacts(gone)] == [False]
            assert [c.active for c in tx.contacts(here)] == [True]


class TestResults:
    def test_responses_stream_in_batches_with_their_answers(self, store: SqlStore) -> None:
        participant_ids = [new_participant(store, sender=f"s{i}", address=f"c{i}") for i in range(3)]
        with store.transaction() as tx:
            expected = []
            for n in range(1203):
                response = tx.start_response(participant_ids[n % 3], "gross", NOW)
                tx.save_answer(response.id, "n", "number", n, None, NOW)
                if n % 2:
                    tx.save_answer(response.id, "gerade", "yesno", False, None, NOW)
                expected.append((response.id, [n] if n % 2 == 0 else [n, False]))
            tx.start_response(participant_ids[0], "andere", NOW)

        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        event.listen(Engine, "before_cursor_execute", record)
        try:
            streamed = [(r.id, [a.value for a in answers]) for r, answers in store.responses("gross")]
        finally:
            event.remove(Engine, "before_cursor_execute", record)
        assert streamed == expected
        assert store.count_responses("gross") == 1203
        # three batches of at most 500: one query for the responses and one for their answers each
        assert sum("FROM response" in s for s in statements) == 3
        assert sum("FROM answer" in s for s in statements) == 3

    def test_answered_questions_lists_types_and_used_options(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        first = started_response(store, participant_id, "umfrage")
        second = started_response(store, participant_id, "umfrage")
        elsewhere = started_response(store, participant_id, "andere")
        with store.transaction() as tx:
            tx.save_answer(first, "farbe", "choice", "rot", None, NOW)
            tx.save_answer(second, "farbe", "choice", "other", "lila", NOW)
            tx.save_answer(first, "dinge", "multi", ["a", "b"], None, NOW)
            tx.save_answer(second, "dinge", "multi", ["b", "c"], None, NOW)
            tx.save_answer(first, "note", "number", 3, None, NOW)
            tx.save_answer(second, "note", "scale", 4, None, NOW)  # the type changed later
            tx.save_answer(first, "wunsch", "text", "rot", None, NOW)
            tx.save_answer(second, "leer", "choice", None, None, NOW)  # skipped
            tx.save_answer(elsewhere, "farbe", "choice", "gruen", None, NOW)
        assert store.answered_questions("umfrage", OPTION_TYPES) == {
            "farbe": ("choice", {"rot", "other"}),
            "dinge": ("multi", {"a", "b", "c"}),
            "note": ("scale", set()),
            "wunsch": ("text", set()),
            "leer": ("choice", set()),
        }
        assert store.answered_questions("unbekannt", OPTION_TYPES) == {}

    def test_process_ids_with_answers_and_counts(self, store: SqlStore) -> None:
        participant_id = new_participant(store)
        answered = started_response(store, participant_id, "b-umfrage")
        started_response(store, participant_id, "ohne-antworten")
        detached = started_response(store, participant_id, "a-anonym")
        with store.transaction() as tx:
            tx.save_answer(answered, "q", "text", "x", None, NOW)
            tx.save_answer(detached, "q", "text", "y", None, NOW)
            tx.finish_response(detached, "completed", NOW, detach=True)
        assert store.process_ids_with_answers() == ["a-anonym", "b-umfrage"]
        assert store.count_responses("ohne-antworten") == 1
        assert store.count_responses("a-anonym") == 1  # the anonymous one, not the detached original


class TestCursorsAndTime:
    def test_cursor_is_stored_and_replaced(self, store: SqlStore) -> None:
        assert store.get_cursor("matrix:next_batch") is None
        store.set_cursor("matrix:next_batch", "s1_2_3", NOW)
        store.set_cursor("matrix:next_batch", "s4_5_6", NOW)
        store.set_cursor("telegram:offset", "99", NOW)
        assert store.get_cursor("matrix:next_batch") == "s4_5_6"
        assert store.get_cursor("telegram:offset") == "99"

    def test_datetimes_come_back_aware_utc_whatever_zone_went_in(self, store: SqlStore) -> None:
        berlin = NOW.astimezone(ZoneInfo("Europe/Berlin"))
        with store.transaction() as tx:
            participant = tx.create_participant("telegram", "sender-1", "chat-1", None, berlin)
            tx.enqueue("telegram", "chat-1", "{}", berlin, not_before=berlin)
        with store.transaction() as tx:
            stored = tx.get_participant(participant.id)
        assert stored is not None
        for moment in (stored.created_at, stored.last_seen_at, store.due_outbox("telegram", NOW, 1)[0].not_before):
            assert moment == NOW
            assert moment.utcoffset() == dt.timedelta(0)
        # a row due at 10:30 Berlin time is due at 09:30 UTC, not an hour later
        assert len(store.due_outbox("telegram", NOW, 10)) == 1

    def test_naive_datetimes_are_refused(self, store: SqlStore) -> None:
        with pytest.raises(sa.exc.StatementError) as raised, store.transaction() as tx:
            tx.claim_event("telegram", "e1", NOW.replace(tzinfo=None))
        assert isinstance(raised.value.orig, ValueError)


def _conforms(store: SqlStore, transaction: SqlTransaction) -> tuple[Store, Transaction]:
    """Never called: mypy checks here that the implementations satisfy the protocols."""
    return store, transaction


@pytest.mark.parametrize(("contract", "implementation"), [(Store, SqlStore), (Transaction, SqlTransaction)])
def test_every_contract_method_is_implemented_with_its_signature(contract: type, implementation: type) -> None:
    methods = [name for name, value in vars(contract).items() if callable(value) and not name.startswith("_")]
    assert methods
    for name in methods:
        wanted = inspect.signature(getattr(contract, name)).parameters
        given = inspect.signature(getattr(implementation, name)).parameters
        assert [(p.name, p.kind) for p in given.values()] == [(p.name, p.kind) for p in wanted.values()], name


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h:5432/db?sslmode=require", "postgresql+psycopg://u@h:5432/db?sslmode=require"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///mitwirken.db", "sqlite:///mitwirken.db"),
    ],
)
def test_database_urls_are_normalised_to_psycopg(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_sqlite_connections_are_configured_for_concurrent_use(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
            }
    finally:
        engine.dispose()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1, "synchronous": 1}


class TestPreparedStatements:
    """The statements of every turn run as prepared driver SQL (storage/prepared.py): they must
    store what Core would, read back what Core reads, and still be seen by SQLAlchemy's events."""

    @pytest.mark.parametrize("value", [None, "Mehr Bänke ‮", 7, ["a", "b"], {"lat": 51.5, "lon": 7.4}])
    def test_an_answer_is_stored_and_read_as_core_would(self, store: SqlStore, value: Any) -> None:
        response_id = started_response(store, new_participant(store))
        with store.transaction() as tx:
            tx.save_answer(response_id, "prepared", "text", value, None, NOW)  # prepared
        answer = metadata.tables["answer"]
        with raw_engine(store) as engine, engine.begin() as conn:
            row = {"response_id": response_id, "question_type": "text", "value": value, "answered_at": NOW}
            conn.execute(sa.insert(answer).values(question_id="core", **row))  # Core
            stored = {
                question: (text, moment)
                for question, text, moment in conn.execute(
                    sa.select(
                        answer.c.question_id, sa.cast(answer.c.value, sa.Text), sa.cast(answer.c.answered_at, sa.Text)
                    ).where(answer.c.response_id == response_id)
                )
            }
        assert stored["prepared"] == stored["core"], "the same text in the database"
        with store.transaction() as tx:
            read = {a.question_id: (a.value, a.answered_at) for a in tx.answers(response_id)}
        assert read["prepared"] == read["core"] == (value, NOW)

    def test_the_participant_and_their_response_read_back_as_stored(self, store: SqlStore) -> None:
        participant_id = new_participant(store, sender="s-9", address="chat-9")
        with store.transaction() as tx:
            tx.update_participant(participant_id, now=NOW, state={"process": "umfrage", "ä": [1, None]})
            started = tx.start_response(participant_id, "umfrage", NOW)
            tx.save_progress(started.id, {"current": "q2", "answered": ["q1"]}, NOW + dt.timedelta(seconds=1))
        with store.transaction() as tx:
            found = tx.find_participant("telegram", "s-9")  # prepared
            response = tx.find_response(participant_id, "umfrage")  # read along by the same statement
        assert found is not None and found.id == participant_id and found.address == "chat-9" and found.contact_active
        assert found.state == {"process": "umfrage", "ä": [1, None]} and found.created_at == NOW
        assert found.created_at.tzinfo is not None and found.consent_at is None
        assert response is not None and response.id == started.id
        assert response.progress == {"current": "q2", "answered": ["q1"]}
        assert response.updated_at == NOW + dt.timedelta(seconds=1) and response.started_at == started.started_at

    def test_events_see_every_prepared_statement(self, store: SqlStore) -> None:
        seen: list[str] = []

        def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.append(statement.split()[0].upper())

        engine = store._engine
        event.listen(engine, "before_cursor_execute", note)
        try:
            with store.transaction() as tx:
                assert tx.claim_event("telegram", "prepared-1", NOW)
                assert not tx.claim_event("telegram", "prepared-1", NOW), "a claim counts once"
                tx.find_participant("telegram", "nobody")
                tx.enqueue("telegram", "chat-1", "{}", NOW)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == ["INSERT", "INSERT", "SELECT", "INSERT"]

    def test_whether_anyone_watches_is_looked_up_for_each_connection(self, store: SqlStore) -> None:
        """It is looked up at a connection's first prepared statement and kept while it lives: a
        listener added between two units of work sees all of the second, and once removed sees no
        more from the next one on."""
        seen: list[str] = []

        def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.append(statement.split()[0].upper())

        with store.transaction() as tx:
            assert tx.claim_event("telegram", "looked-up-1", NOW)  # unwatched: nobody listens yet
        event.listen(store._engine, "before_cursor_execute", note)
        try:
            with store.transaction() as tx:
                assert tx.claim_event("telegram", "looked-up-2", NOW)
                tx.find_participant("telegram", "nobody")
        finally:
            event.remove(store._engine, "before_cursor_execute", note)
        with store.transaction() as tx:
            assert tx.claim_event("telegram", "looked-up-3", NOW)
        assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == ["INSERT", "SELECT"]

    @pytest.mark.parametrize("watched", [False, True], ids=["unwatched", "watched"])
    def test_a_database_error_is_sqlalchemys_with_its_statement(self, store: SqlStore, watched: bool) -> None:
        """Unwatched, a prepared statement skips SQLAlchemy's look at the listeners; its error is
        wrapped as Core wraps it either way, and the transaction is rolled back."""

        def note(*_args: Any) -> None: ...

        if watched:
            event.listen(store._engine, "before_cursor_execute", note)
        try:
            with pytest.raises(sa.exc.IntegrityError) as raised, store.transaction() as tx:
                assert tx.claim_event("telegram", "error-1", NOW)
                tx.save_answer(987654, "q1", "text", "Antwort", None, NOW)  # no such response
        finally:
            if watched:
                event.remove(store._engine, "before_cursor_execute", note)
        assert "INSERT INTO answer" in str(raised.value.statement)
        with store.transaction() as tx:
            assert tx.claim_event("telegram", "error-1", NOW), "the failed transaction kept nothing"

    def test_times_are_stored_and_read_as_they_change(self, store: SqlStore) -> None:
        """A prepared statement converts the moment it converted last only once, and keeps the
        times it read last: neither may hand back a time that is not the row's."""
        participant_id = new_participant(store, sender="s-t")
        with store.transaction() as tx:
            tx.update_participant(participant_id, now=NOW, state={"process": "umfrage"})
            response_id = tx.start_response(participant_id, "umfrage", NOW).id
        for seconds in (1, 2, 1, 3):
            moment = NOW + dt.timedelta(seconds=seconds)
            with store.transaction() as tx:
                tx.save_progress(response_id, {"current": f"q{seconds}"}, moment)  # prepared
                queued = tx.enqueue("telegram", "chat-1", "{}", NOW)  # prepared, another time between
            with store.transaction() as tx:
                assert tx.find_participant("telegram", "s-t") is not None  # prepared, reads the response along
                read = tx.find_response(participant_id, "umfrage")
            assert read is not None and read.updated_at == moment and read.started_at == NOW
            assert queued.created_at == NOW

    def test_a_value_its_type_refuses_is_a_statement_error_as_with_core(self, store: SqlStore) -> None:
        with pytest.raises(sa.exc.StatementError) as raised, store.transaction() as tx:
            tx.enqueue("telegram", "chat-1", "{}", NOW.replace(tzinfo=None))
        assert isinstance(raised.value.orig, ValueError)
