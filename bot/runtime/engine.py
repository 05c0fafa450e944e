"""The engine: one inbound event, one transaction, replies into the outbox.

``deliver`` is what every adapter calls. It returns only after the event is
committed — de-duplication key, participant, progress, answer and the replies
to send, all together — so an adapter may then advance its platform cursor.
Events of one sender are handled one after another; the events of different
senders that wait meanwhile are handled together in one transaction, by a
writer in a worker thread (one writer on SQLite, a few on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from adapters.base import CHANNELS_WITH_TRANSCRIPT, Inbound, NotNow, Reply, one_message
from bot.clock import Clock, system_clock
from bot.dialogue import Conversation, DialogueSettings
from bot.i18n import translator
from bot.media import MediaStore
from bot.outage import Outage, is_outage
from bot.process_files import Catalog
from storage.contract import Store, Transaction
from storage.records import OutboxRecord
from surveys.answers import PhotoRef

__all__ = ["Engine", "FloodGuard"]

log = logging.getLogger(__name__)


class FloodGuard:
    """At most ``limit`` events per sender in ``window`` seconds; the rest are dropped
    with one friendly note per window. Local channels (the terminal) are exempt.
    Safe to call from several writers' threads; senders idle for a window are forgotten
    once a window, so what it holds stays the size of the last minute's senders."""

    def __init__(self, limit: int = 30, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._warned: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def check(self, channel: str, sender: str) -> str:
        """``ok``, ``warn`` (first event over the limit) or ``drop``."""
        if channel == "terminal":
            return "ok"
        key = (channel, sender)
        with self._lock:
            now = self.clock()
            if now - self._swept > self.window:
                self._forget_idle(now)
            seen = self._seen.setdefault(key, deque())
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) < self.limit:
                seen.append(now)
                return "ok"
            warned = self._warned.get(key)
            if warned is None or now - warned > self.window:
                self._warned[key] = now
                return "warn"
            return "drop"

    def senders(self) -> int:
        """How many senders it holds events of."""
        return len(self._seen)

    def _forget_idle(self, now: float) -> None:
        self._swept = now
        for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
            self._seen.pop(key, None)
            self._warned.pop(key, None)


@dataclass(frozen=True)
class Handled:
    replies: int
    duplicate: bool = False
    queued: tuple[OutboxRecord, ...] = ()  # the outbox rows the turn committed, for this process's senders


@dataclass(frozen=True)
class _Event:
    inbound: Inbound
    now: dt.datetime
    verdict: str  # the flood guard's
    photo: PhotoRef | None


Enqueued = Callable[[Sequence[OutboxRecord]], None]

_BATCH = 64
"""Events handled at once at most, split evenly among the store's writers (SQLite: one writer
takes 64; PostgreSQL: four take 16 each, so their round trips overlap): one commit for many
turns (on SQLite a commit cost what 2.5 to 7 turns cost, sampled with 32 a batch), and a batch's
last citizen is still answered within some tens of milliseconds."""


class Engine:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        settings: DialogueSettings,
        media: MediaStore,
        *,
        clock: Clock = system_clock,
        flood: FloodGuard | None = None,
        outage: Outage | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog  # replaced as a whole when process files change
        self.settings = settings
        self.media = media
        self.clock = clock
        self.flood = flood or FloodGuard()
        self.outage = outage or Outage(clock)  # the database away: shared by every task of the process
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}  # lock, users
        self._listeners: list[Enqueued] = []
        self._waiting: list[tuple[Inbound, asyncio.Future[Handled]]] = []  # for the writers
        self._writers: set[asyncio.Task[Any]] = set()  # running

    def on_enqueue(self, listener: Enqueued) -> Callable[[], None]:
        """Call ``listener(rows)`` with the outbox rows of each committed turn that wrote some;
        returns what stops that (a sender that stops must not be handed rows any more)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def deliver(self, inbound: Inbound) -> None:
        key = (inbound.channel, inbound.sender)
        held = self._locks.get(key)
        lock, users = held if held is not None else (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                try:
                    handled = await self._written(inbound)
                except SQLAlchemyError as exc:
                    # the adapter offers the event again, but not at once
                    await asyncio.sleep(self.outage.pause_after(exc))
                    raise NotNow from None
            self.outage.answered()
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
        if handled.queued:
            for listener in self._listeners:
                listener(handled.queued)

    async def _written(self, inbound: Inbound) -> Handled:
        """The event handled and committed by a writer, together with others waiting."""
        future: asyncio.Future[Handled] = asyncio.get_running_loop().create_future()
        self._waiting.append((inbound, future))
        if len(self._writers) < self.store.writers:
            self._writers.add(writer := asyncio.create_task(self._write()))
            writer.add_done_callback(self._writers.discard)  # also if it is cancelled before it starts
        return await future

    async def _write(self) -> None:
        """A writer: takes the events waiting (at most its share of ``_BATCH``), handles them in a
        worker thread in one transaction, hands each its outcome, and so on until none waits. As
        many run as the store has ``writers``: on SQLite one, so no threads queue for its write
        lock; and each commit is one for many turns."""
        batch: list[tuple[Inbound, asyncio.Future[Handled]]] = []
        size = max(1, _BATCH // self.store.writers)
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:size], self._waiting[size:]
                outcomes: Sequence[Handled | Exception]
                try:
                    outcomes = await asyncio.to_thread(self.handle_all, [inbound for inbound, _ in batch])
                except Exception as exc:  # not the database, not a turn: the events of this batch learn it
                    outcomes = [exc] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():  # its deliver was cancelled
                        continue
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
                batch = []
        except asyncio.CancelledError:
            for _, future in [*batch, *self._waiting]:
                future.cancel()
            self._waiting = []
            raise
        finally:
            # at once, not in the done callback that comes later: an event that arrives in between
            # must start a writer, as none would take it
            self._writers.discard(asyncio.current_task())

    def handle(self, inbound: Inbound) -> Handled:
        """Handle one event in one transaction (blocking). A database error propagates: nothing
        was committed, and the adapter offers the event again later; so does an error in keeping
        its photo."""
        (outcome,) = self.handle_all([inbound])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def handle_all(self, inbounds: Sequence[Inbound]) -> list[Handled | Exception]:
        """Handle events of different senders (blocking; runs in a worker thread), each with its
        outcome: what was handled, or the error that kept it from being committed — the
        database's (the channel offers the event again), or one in keeping its photo.

        They go in one transaction, committed once. If that fails for one turn's sake — a fault
        in the dialogue, a row one turn may not write — each is handled again in a transaction
        of its own, so the others are kept and the faulty one gets its apology. If it fails
        because the database is away, every event gets that error and is offered again.
        """
        prepared: list[_Event | Exception] = []
        for inbound in inbounds:
            try:
                prepared.append(self._prepare(inbound))
            except Exception as exc:  # its photo could not be kept (a full disk): this event's own error
                prepared.append(exc)
        outcomes = iter(self._handle_events([event for event in prepared if isinstance(event, _Event)]))
        return [next(outcomes) if isinstance(event, _Event) else event for event in prepared]

    def _handle_events(self, events: Sequence[_Event]) -> list[Handled | Exception]:
        if len(events) > 1:
            try:
                turns = self._together(events)
            except SQLAlchemyError as exc:
                if is_outage(exc):  # the database away (or a deadlock with another writer): later
                    return [exc] * len(events)
                # a statement one turn may not run (a row it may not write): each on its own below
            except Exception:  # noqa: BLE001 - a fault in one turn: it is logged and apologised for below
                pass
            else:
                return [self._committed(*turn) for turn in turns]
        outcomes: list[Handled | Exception] = []
        for event in events:
            try:
                outcomes.append(self._committed(*self._alone(event)))
            except SQLAlchemyError as exc:
                outcomes.append(exc)
        return outcomes

    def _prepare(self, inbound: Inbound) -> _Event:
        """What is done once per event, however often its transaction is tried: the time, the
        flood verdict, the photo kept (a file named by its content: keeping it again is harmless)."""
        verdict = self.flood.check(inbound.channel, inbound.sender)
        photo = (
            self.media.keep(inbound.media, owner=f"{inbound.channel}\0{inbound.sender}")
            if inbound.media is not None and verdict == "ok"
            else None
        )
        return _Event(inbound, self.clock(), verdict, photo)

    def _together(self, events: Sequence[_Event]) -> list[tuple[Handled, list[str]]]:
        with self.store.transactions() as unit:
            return [self._turn(unit(), event) for event in events]

    def _alone(self, event: _Event) -> tuple[Handled, list[str]]:
        """One event in its own transaction. Any error but the database's is a fault in the
        dialogue that would recur on every retry and hold up the channel: the event is then
        recorded as handled with an apology to the citizen instead (see ``_apologise``)."""
        try:
            with self.store.transaction() as tx:
                return self._turn(tx, event)
        except SQLAlchemyError:
            raise
        except Exception as exc:
            # the type and the stack, not the message: it may quote what the citizen wrote
            log.error(
                "engine: a %s event could not be handled (%s); the citizen is asked to try again\n%s",
                event.inbound.channel,
                exc.__class__.__name__,
                "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
            )
            return self._apologise(event.inbound, event.now), []

    def _committed(self, handled: Handled, removed: list[str]) -> Handled:
        """A turn once it is committed: the files it erased go now (a row without its file is
        what must never be; a file left by a rollback is harmless)."""
        if removed:
            self.media.remove(removed)
        return handled

    def _turn(self, tx: Transaction, event: _Event) -> tuple[Handled, list[str]]:
        """One event's turn in ``tx``: claimed, answered, its replies queued; and the files to
        remove once it is committed."""
        inbound, now = event.inbound, event.now
        if not tx.claim_event(inbound.channel, inbound.event_id, now):
            return Handled(0, duplicate=True), []
        removed: list[str] = []
        if event.verdict != "ok":
            replies = [self._slow_down(inbound)] if event.verdict == "warn" else []
            participant_id = None
        else:
            conversation = Conversation(
                tx, inbound, now, self.catalog, self.settings, photo=event.photo, read_photo=self.media.read
            )
            replies = one_message(conversation.run())
            turn = conversation.turn
            participant_id = turn.stored_pid
            removed = turn.removed_files
            replies = _marked(replies, turn.language, erased=turn.erased)
            if inbound.channel in CHANNELS_WITH_TRANSCRIPT and inbound.text and inbound.choice is None:
                replies.insert(0, Reply(inbound.text, own=True, language=turn.language))
            if event.photo is not None and turn.visitor:  # nothing is kept of somebody who has not agreed
                removed = [*removed, event.photo.path]
        queued = [
            tx.enqueue(inbound.channel, inbound.address, reply.to_json(), now, participant_id=participant_id)
            for reply in replies
        ]
        return Handled(len(replies), queued=tuple(queued)), removed

    def _apologise(self, inbound: Inbound, now: dt.datetime) -> Handled:
        """Record a failed event as handled and tell the citizen: nothing was saved, please try again."""
        with self.store.transaction() as tx:
            if not tx.claim_event(inbound.channel, inbound.event_id, now):
                return Handled(0, duplicate=True)
            # no participant is read: the messenger's language, or the bot's first
            reply = Reply(
                translator(self.settings.language_for(inbound.language)).gettext(
                    "Sorry, something went wrong on our side and your last message was not saved. "
                    "Please send it again, or write 'menu' to start over."
                )
            )
            row = tx.enqueue(inbound.channel, inbound.address, reply.to_json(), now)
        return Handled(1, queued=(row,))

    def _slow_down(self, inbound: Inbound) -> Reply:
        t = translator(self.settings.language_for(inbound.language))
        return Reply(t.gettext("You are writing very fast. Please wait a moment, then answer the question again."))


def _marked(replies: list[Reply], language: str, *, erased: bool) -> list[Reply]:
    """The turn's replies with the language they are in; after an erasure the last one ends the
    session of a channel that has sessions (the web chat)."""
    marked = [reply.changed(language=language) for reply in replies]
    if erased and marked:
        marked[-1] = marked[-1].changed(ends_session=True)
    return marked
