"""The outbox sender against a scripted adapter: order, retries, gone recipients, exactly once."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import threading
from collections import defaultdict
from typing import Any

import pytest

from adapters.base import (
    Attachment,
    Capabilities,
    Deliver,
    Option,
    PermanentSendError,
    RecipientGone,
    Reply,
    RetryLater,
    TransientSendError,
)
from bot.runtime.outbox import OutboxSender, backoff
from storage.records import OutboxRecord
from storage.store import SqlStore
from tests.storage_fixtures import SECRET

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


class Scripted:
    """An adapter whose sends fail as a test says, and that records what went out."""

    name = "test"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.sent: dict[str, list[str]] = defaultdict(list)
        self.failures: dict[str, list[Exception]] = defaultdict(list)

    async def start(self, deliver: Deliver) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, address: str, reply: Reply, *, txn_id: str) -> str:
        await asyncio.sleep(0)
        if self.failures[reply.text]:
            raise self.failures[reply.text].pop(0)
        self.sent[address].append(reply.text)
        return f"m-{txn_id}"


@pytest.fixture
def store(tmp_path) -> SqlStore:  # type: ignore[no-untyped-def]
    store = SqlStore(f"sqlite:///{tmp_path / 'outbox.db'}", SECRET)
    store.upgrade()
    yield store
    store.close()


def enqueue(store: SqlStore, address: str, *texts: str) -> None:
    with store.transaction() as tx:
        for text in texts:
            tx.enqueue("test", address, Reply(text).to_json(), NOW)


async def drain(store: SqlStore, adapter: Scripted, clock: list[dt.datetime]) -> OutboxSender:
    sender = OutboxSender(store, adapter, clock=lambda: clock[0])  # type: ignore[arg-type]
    await sender.drain()
    return sender


async def test_each_address_in_order_and_each_row_once(store: SqlStore) -> None:
    for n in range(20):
        enqueue(store, f"chat-{n % 4}", *(f"{n}-{k}" for k in range(5)))
    adapter = Scripted()
    sender = await drain(store, adapter, [NOW])
    assert sender.sent == 100
    for address, texts in adapter.sent.items():
        numbers = [int(t.split("-")[0]) * 10 + int(t.split("-")[1]) for t in texts]
        assert numbers == sorted(numbers), address
    assert sum(len(t) for t in adapter.sent.values()) == 100
    assert store.outbox_pending("test") == 0
    await drain(store, adapter, [NOW])
    assert sum(len(t) for t in adapter.sent.values()) == 100, "a sent row is never sent again"


async def test_overlapping_pumps_send_a_row_once(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chat drains after each line while the run loop pumps too: a slow read that began
    before the row was sent must not hand it out again after a later pump forgot it."""
    enqueue(store, "a", "only")
    adapter = Scripted()
    gate = threading.Event()
    first = [True]
    read = store.due_outbox

    def slow_first_read(*args: Any, **kwargs: Any) -> Any:
        rows = read(*args, **kwargs)
        if first[0]:
            first[0] = False
            gate.wait(5)
        return rows

    monkeypatch.setattr(store, "due_outbox", slow_first_read)
    sender = OutboxSender(store, adapter, clock=lambda: NOW)  # type: ignore[arg-type]
    slow = asyncio.create_task(sender.pump())
    await asyncio.sleep(0.05)
    threading.Timer(0.5, gate.set).start()
    await sender.drain()
    await slow
    await sender.drain()
    assert adapter.sent["a"] == ["only"]


async def test_rate_limit_holds_the_address_and_keeps_order(store: SqlStore) -> None:
    enqueue(store, "a", "first", "second")
    adapter = Scripted()
    adapter.failures["first"] = [RetryLater(30)]
    clock = [NOW]
    await drain(store, adapter, clock)
    assert adapter.sent["a"] == [], "the second row waits for the first"
    clock[0] = NOW + dt.timedelta(seconds=31)
    await drain(store, adapter, clock)
    assert adapter.sent["a"] == ["first", "second"]


async def test_a_retried_row_keeps_its_address_in_order_across_a_restart(store: SqlStore) -> None:
    """The hold is in the database: a new sender (after a restart) must not send question 5 while
    question 4 waits out its retry. A row merely scheduled for later (quiet hours) holds nothing."""
    enqueue(store, "a", "frage 4")
    adapter = Scripted()
    adapter.failures["frage 4"] = [TransientSendError("timeout")]
    await drain(store, adapter, [NOW])
    enqueue(store, "a", "frage 5")
    with store.transaction() as tx:
        tx.enqueue("test", "b", Reply("um 8 Uhr").to_json(), NOW, not_before=NOW + dt.timedelta(hours=9))
    enqueue(store, "b", "antwort jetzt")
    restarted = Scripted()
    await drain(store, restarted, [NOW + dt.timedelta(milliseconds=100)])
    assert restarted.sent["a"] == [], "question 5 waits for question 4"
    assert restarted.sent["b"] == ["antwort jetzt"], "a scheduled row does not hold the reply"
    await drain(store, restarted, [NOW + dt.timedelta(seconds=backoff(1) + 0.1)])
    assert restarted.sent["a"] == ["frage 4", "frage 5"]


async def test_transient_failures_back_off_then_succeed(store: SqlStore) -> None:
    enqueue(store, "a", "hello")
    adapter = Scripted()
    adapter.failures["hello"] = [TransientSendError("502"), TransientSendError("timeout")]
    clock = [NOW]
    for attempt in (1, 2):
        await drain(store, adapter, clock)
        clock[0] += dt.timedelta(seconds=backoff(attempt) + 0.1)
    await drain(store, adapter, clock)
    assert adapter.sent["a"] == ["hello"]
    assert backoff(1) == 1 and backoff(3) == 4 and backoff(50) == 600


async def test_gone_recipient_and_permanent_failure(store: SqlStore) -> None:
    enqueue(store, "blocked", "one", "two")
    enqueue(store, "other", "broken", "fine")
    adapter = Scripted()
    adapter.failures["one"] = [RecipientGone()]
    adapter.failures["broken"] = [PermanentSendError("400")]
    await drain(store, adapter, [NOW])
    assert adapter.sent["blocked"] == []
    assert adapter.sent["other"] == ["fine"], "a row that can never be sent does not block the next"
    assert store.outbox_pending("test") == 0


def test_erased_rows_do_not_lend_their_ids(store: SqlStore) -> None:
    with store.transaction() as tx:
        person = tx.create_participant("test", "u1", "a", "de", NOW)
        first = tx.enqueue("test", "a", Reply("x").to_json(), NOW, participant_id=person.id).id
    with store.transaction() as tx:
        tx.erase_participant(person.id)
        after = tx.enqueue("test", "a", Reply("deleted").to_json(), NOW).id
    assert after > first


async def test_two_processes_on_postgresql_send_each_row_once() -> None:
    """Two senders of one channel, as two `run` processes would have: only the lock holder sends."""
    from tests.storage_fixtures import postgres_schema

    with postgres_schema() as url:
        store = SqlStore(url, SECRET)
        store.upgrade()
        try:
            for n in range(30):
                enqueue(store, f"chat-{n % 3}", f"{n}")
            adapters = [Scripted(), Scripted()]
            senders = [
                OutboxSender(
                    store, a, clock=lambda: NOW, lock=store.leader_lock("mitwirken-outbox-test"), idle_poll=0.05
                )
                for a in adapters
            ]
            stop = asyncio.Event()
            tasks = [asyncio.create_task(s.run(stop)) for s in senders]
            for _ in range(200):
                if store.outbox_pending("test") == 0:
                    break
                await asyncio.sleep(0.05)
            stop.set()
            await asyncio.gather(*tasks)
            sent = [t for a in adapters for texts in a.sent.values() for t in texts]
            assert sorted(sent, key=int) == [str(n) for n in range(30)], "every row once"
            assert [a for a in adapters if a.sent] and len([a for a in adapters if a.sent]) == 1
        finally:
            store.close()


def _unreachable() -> Exception:
    from sqlalchemy.exc import OperationalError

    return OperationalError("UPDATE outbox …", {}, Exception("server closed the connection unexpectedly"))


async def test_a_row_sent_while_the_database_is_away_is_marked_later_and_not_sent_again(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    enqueue(store, "chat-1", "eins", "zwei")
    adapter = Scripted()
    clock = [NOW]
    sender = OutboxSender(store, adapter, clock=lambda: clock[0])  # type: ignore[arg-type]
    real_mark_sent, real_due = store.mark_sent, store.due_outbox
    away = {"mark": 1, "read": 3}  # the first mark_sent fails, then three reads

    def mark_sent(*args: Any) -> None:
        if away["mark"]:
            away["mark"] -= 1
            raise _unreachable()
        real_mark_sent(*args)

    def due_outbox(*args: Any, **kwargs: Any) -> Any:
        if not away["mark"] and away["read"]:
            away["read"] -= 1
            clock[0] += dt.timedelta(seconds=3)  # failures going on for a while: the outage is noticed
            raise _unreachable()
        return real_due(*args, **kwargs)

    monkeypatch.setattr(store, "mark_sent", mark_sent)
    monkeypatch.setattr(store, "due_outbox", due_outbox)
    with caplog.at_level("INFO", logger="bot.outage"):
        await sender.drain(timeout=30)
    assert adapter.sent["chat-1"] == ["eins", "zwei"], "each once, in order"
    assert sender.sent == 2
    assert store.due_outbox("test", clock[0], 10) == [], "both rows are marked sent"
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    infos = [r for r in caplog.records if r.levelname == "INFO"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    assert len(infos) == 1 and "answers again" in infos[0].getMessage()


def committed(store: SqlStore, address: str, *texts: str) -> list[OutboxRecord]:
    """Rows written in one transaction, as a turn of this process hands them to its senders."""
    with store.transaction() as tx:
        for text in texts:
            tx.enqueue("test", address, Reply(text).to_json(), NOW)
        return list(tx.queued)


class CountedReads:
    def __init__(self, store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        read = store.due_outbox

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return read(*args, **kwargs)

        monkeypatch.setattr(store, "due_outbox", counted)


async def running(sender: OutboxSender) -> tuple[asyncio.Event, asyncio.Task[None]]:
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    for _ in range(100):
        await asyncio.sleep(0.01)
        if sender.caught_up:
            break
    return stop, task


async def test_rows_of_a_turn_are_sent_as_offered_without_reading_them_back(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    adapter = Scripted()
    sender = OutboxSender(store, adapter, clock=lambda: NOW, idle_poll=30)  # type: ignore[arg-type]
    reads = CountedReads(store, monkeypatch)
    stop, task = await running(sender)
    assert sender.caught_up and reads.count == 1, "one read at the start, then it knows the database"
    for n in range(5):
        sender.offer(committed(store, "a", f"frage {n}", f"hinweis {n}"))
        sender.offer(committed(store, "b", f"b {n}"))
        await sender.settle()
    assert adapter.sent["a"] == [t for n in range(5) for t in (f"frage {n}", f"hinweis {n}")]
    assert adapter.sent["b"] == [f"b {n}" for n in range(5)]
    assert reads.count == 1, "no row was read back from the database"
    assert store.outbox_pending("test") == 0, "every offered row is marked sent"
    other_channel = [row for row in committed(store, "a", "x") if row.channel == "test"]
    sender.offer([dataclasses.replace(other_channel[0], channel="telegram", id=10**6)])
    await sender.settle()
    assert adapter.sent["a"][-1] == "hinweis 4", "a sender takes only its own channel's rows"
    stop.set()
    await task


async def test_an_offer_before_the_sender_caught_up_is_read_in_order_instead(store: SqlStore) -> None:
    """Rows still only in the database (a backlog) go out before a row offered meanwhile."""
    enqueue(store, "a", "alt 1", "alt 2")
    adapter = Scripted()
    sender = OutboxSender(store, adapter, clock=lambda: NOW, idle_poll=30)  # type: ignore[arg-type]
    sender.offer(committed(store, "a", "neu"))  # not running yet: declined, found by the first read
    assert not sender.caught_up
    stop, task = await running(sender)
    await sender.settle()
    assert adapter.sent["a"] == ["alt 1", "alt 2", "neu"]
    stop.set()
    await task


async def test_an_offered_row_waits_behind_a_retry_an_earlier_process_left(store: SqlStore) -> None:
    """The retry is only in the database (the process that set it is gone): a new sender learns
    it when it starts leading, and a turn's offered row for that address waits with the rest."""
    enqueue(store, "a", "frage 4")
    failing = Scripted()
    failing.failures["frage 4"] = [TransientSendError("timeout")]
    await drain(store, failing, [NOW])
    adapter = Scripted()
    clock = [NOW + dt.timedelta(milliseconds=100)]
    sender = OutboxSender(store, adapter, clock=lambda: clock[0], idle_poll=0.05)  # type: ignore[arg-type]
    stop, task = await running(sender)
    sender.offer(committed(store, "a", "frage 5"))
    sender.offer(committed(store, "b", "andere"))
    await sender.settle()
    assert adapter.sent["a"] == [] and adapter.sent["b"] == ["andere"]
    clock[0] = NOW + dt.timedelta(seconds=backoff(1) + 0.1)
    for _ in range(100):
        await asyncio.sleep(0.02)
        if len(adapter.sent["a"]) == 2:
            break
    assert adapter.sent["a"] == ["frage 4", "frage 5"]
    stop.set()
    await task


def test_a_reply_in_the_outbox_is_what_dataclasses_make_of_it_and_comes_back_whole() -> None:
    """``Reply.to_json`` builds by hand what ``dataclasses.asdict`` would (it is on every turn's path)."""
    yes, no, done = Option("p/q/1", "Ja", 1), Option("p/q/2", "Nein ‮", 2), Option("p/q/done", "Fertig", 3)
    replies = [
        Reply("Frage?"),
        Reply(
            "Welche?",
            options=(yes, no),
            multi=True,
            selected=("p/q/1",),
            chosen_mark="gewählt",
            done=done,
            question_key="p/q",
            notice="Bisher gewählt: Ja",
            language="de",
        ),
        Reply("Ihre Daten", attachment=Attachment("daten.json", "application/json", b"{\xff\x00}"), ends_session=True),
    ]
    for reply in replies:
        expected = dataclasses.asdict(reply)
        if reply.attachment is not None:
            expected["attachment"]["data"] = reply.attachment.data.decode("latin-1")
        assert json.loads(reply.to_json()) == json.loads(json.dumps(expected))
        assert Reply.from_json(reply.to_json()) == reply


def test_a_changed_reply_is_what_dataclasses_replace_gives_and_a_field_it_lacks_is_refused() -> None:
    """``Reply.changed`` stands in for ``dataclasses.replace`` on every turn's path."""
    reply = Reply("Welche?", options=(Option("p/q/1", "Ja", 1),), question_key="p/q")
    for changes in ({"language": "ar"}, {"ends_session": True}, {"text": "Danke!\n\nWelche?", "language": "de"}):
        changed = reply.changed(**changes)
        assert changed == dataclasses.replace(reply, **changes)
        assert changed.__dict__ == dataclasses.replace(reply, **changes).__dict__
    assert reply.language == "" and reply.text == "Welche?"  # the original stays as it was
    with pytest.raises(TypeError, match="no field colour"):
        reply.changed(colour="red")
    with pytest.raises(dataclasses.FrozenInstanceError):
        reply.changed(language="de").language = "en"  # type: ignore[misc]
