"""The engine: one inbound event, one transaction, replies into the outbox.

``deliver`` is what every adapter calls. It returns only after the event is
committed — de-duplication key, participant, progress, answer and the replies
to send, all together — so an adapter may then advance its platform cursor.
Events of one sender are handled one after another; different senders run
concurrently in worker threads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.exc import SQLAlchemyError

from adapters.base import CHANNELS_WITH_TRANSCRIPT, Inbound, NotNow, Reply, one_message
from bot.clock import Clock, system_clock
from bot.dialogue import Conversation, DialogueSettings
from bot.i18n import translator
from bot.media import MediaStore
from bot.outage import Outage
from bot.process_files import Catalog
from storage.contract import Store
from storage.records import OutboxRecord

__all__ = ["Engine", "FloodGuard"]

log = logging.getLogger(__name__)


class FloodGuard:
    """At most ``limit`` events per sender in ``window`` seconds; the rest are dropped
    with one friendly note per window. Local channels (the terminal) are exempt."""

    def __init__(self, limit: int = 30, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._warned: dict[tuple[str, str], float] = {}

    def check(self, channel: str, sender: str) -> str:
        """``ok``, ``warn`` (first event over the limit) or ``drop``."""
        if channel == "terminal":
            return "ok"
        key = (channel, sender)
        now = self.clock()
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) < self.limit:
            seen.append(now)
            return "ok"
        if now - self._warned.get(key, -self.window) > self.window:
            self._warned[key] = now
            return "warn"
        return "drop"

    def forget_idle(self) -> None:
        now = self.clock()
        for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
            self._seen.pop(key, None)
            self._warned.pop(key, None)


@dataclass(frozen=True)
class Handled:
    replies: int
    duplicate: bool = False
    queued: tuple[OutboxRecord, ...] = ()  # the outbox rows the turn committed, for this process's senders


Enqueued = Callable[[Sequence[OutboxRecord]], None]


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

    def on_enqueue(self, listener: Enqueued) -> Callable[[], None]:
        """Call ``listener(rows)`` with the outbox rows of each committed turn that wrote some;
        returns what stops that (a sender that stops must not be handed rows any more)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def deliver(self, inbound: Inbound) -> None:
        key = (inbound.channel, inbound.sender)
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                try:
                    handled = await asyncio.to_thread(self.handle, inbound)
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

    def handle(self, inbound: Inbound) -> Handled:
        """Handle one event in one transaction (blocking; runs in a worker thread).

        A database error propagates: nothing was committed, and the adapter
        offers the event again later. Any other error is a fault in the
        dialogue that would recur on every retry and hold up the channel: the
        event is then recorded as handled with an apology to the citizen
        instead (see ``_apologise``).
        """
        now = self.clock()
        verdict = self.flood.check(inbound.channel, inbound.sender)
        photo = (
            self.media.keep(inbound.media, owner=f"{inbound.channel}\0{inbound.sender}")
            if inbound.media is not None and verdict == "ok"
            else None
        )
        try:
            with self.store.transaction() as tx:
                if not tx.claim_event(inbound.channel, inbound.event_id, now):
                    return Handled(0, duplicate=True)
                queued = tx.queued
                if verdict != "ok":
                    replies = [self._slow_down(inbound)] if verdict == "warn" else []
                    participant_id = None
                    removed: list[str] = []
                else:
                    conversation = Conversation(
                        tx, inbound, now, self.catalog, self.settings, photo=photo, read_photo=self.media.read
                    )
                    replies = one_message(conversation.run())
                    turn = conversation.turn
                    participant_id = turn.stored_pid
                    removed = turn.removed_files
                    replies = _marked(replies, turn.language, erased=turn.erased)
                    if inbound.channel in CHANNELS_WITH_TRANSCRIPT and inbound.text and inbound.choice is None:
                        replies.insert(0, Reply(inbound.text, own=True, language=turn.language))
                    if photo is not None and turn.visitor:  # nothing is kept of somebody who has not agreed
                        removed = [*removed, photo.path]
                for reply in replies:
                    tx.enqueue(inbound.channel, inbound.address, reply.to_json(), now, participant_id=participant_id)
        except SQLAlchemyError:
            raise
        except Exception as exc:
            # the type and the stack, not the message: it may quote what the citizen wrote
            log.error(
                "engine: a %s event could not be handled (%s); the citizen is asked to try again\n%s",
                inbound.channel,
                exc.__class__.__name__,
                "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
            )
            return self._apologise(inbound, now)
        if removed:
            self.media.remove(removed)
        return Handled(len(replies), queued=tuple(queued))

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
    marked = [replace(reply, language=language) for reply in replies]
    if erased and marked:
        marked[-1] = replace(marked[-1], ends_session=True)
    return marked
