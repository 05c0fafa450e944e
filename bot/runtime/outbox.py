"""The outbox sender: delivers stored replies through a channel, in order, exactly once.

Rows are read from the database, grouped by address and sent one after
another per address (so a citizen reads them in order), many addresses at
once. The rows a turn of this very process committed are handed over directly
(:meth:`OutboxSender.offer`) instead of being read back, once the sender has
caught up with what the database holds. What the adapter raises decides the row's fate: sent, retried later
(rate limit, transient failure), failed for good, or the address is gone. A
row marked sent is never sent again; a crash between the platform accepting a
message and ``mark_sent`` is the only window for a repeat, and Matrix closes
it with the row's transaction id.

With the database away (``bot.outage``) the sender pauses and tries again by
itself; a row the platform took whose ``mark_sent`` failed is remembered and
marked once the database is back — never sent again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from adapters.base import (
    ChannelAdapter,
    PermanentSendError,
    RecipientGone,
    Reply,
    RetryLater,
    TransientSendError,
)
from bot.outage import Outage
from storage.contract import Store
from storage.leader import LeaderLock
from storage.records import OutboxRecord

__all__ = ["OutboxSender", "backoff"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
LOCK_RETRY_SECONDS = 2.0


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th transient failure: 1, 2, 4 … at most 10 minutes."""
    return float(min(600, 2 ** max(0, attempts - 1)))


class OutboxSender:
    def __init__(
        self,
        store: Store,
        adapter: ChannelAdapter,
        *,
        clock: Callable[[], dt.datetime],
        address: str | None = None,
        batch: int = 500,
        concurrency: int = 64,
        idle_poll: float = 1.0,
        lock: LeaderLock | None = None,
        outage: Outage | None = None,
    ) -> None:
        self.store = store
        self.adapter = adapter
        self.channel = adapter.name
        self.clock = clock
        self.address = address  # only this address (a terminal chat among several)
        # With several processes on one database, only the holder of the channel's lock
        # sends, so no row is sent twice and each citizen's rows stay in order.
        self.lock = lock
        self.batch = batch
        self.idle_poll = idle_poll
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queues: dict[str, list[OutboxRecord]] = defaultdict(list)
        self._in_flight: set[int] = set()
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._blocked_until: dict[str, dt.datetime] = {}
        # A pump reads in a worker thread: a read that began before a row was marked done
        # may still return it as pending. Rows done since the pump numbered N began are
        # remembered with N and ignored by every pump up to N.
        self._pumps = 0
        self._settled: dict[int, int] = {}
        self._pumping = asyncio.Lock()
        self._stopping = False  # set on stop: each address finishes the row in hand, no more
        # Offered rows are taken only while this sender leads and has caught up: its last pump began
        # after the last offer it declined and read less than a batch, and it knows which addresses
        # an earlier process left waiting out a retry. Otherwise an offered row could overtake an
        # older one of its address that is still only in the database.
        self._leading = False
        self._caught_up = False
        self._declined_before_pump = 0  # pumps begun when an offer was last declined
        # sent, but not yet marked sent: the database was away (row id → platform id, when)
        self._unmarked: dict[int, tuple[str, dt.datetime]] = {}
        self.outage = outage or Outage(clock)
        self.outage.count_waiting(lambda: len(self._in_flight))
        self.sent = 0

    def wake(self) -> None:
        """Look for new rows now; safe to call from any thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def offer(self, rows: Sequence[OutboxRecord]) -> None:
        """Rows a turn of this process has just committed (any channel's; this sender takes its own).

        They are sent without a read from the database when nothing older can be waiting for their
        address; else the sender is woken to read them in order. Call it in the event loop."""
        mine = [r for r in rows if r.channel == self.channel and self.address in (None, r.address)]
        if not mine:
            return
        if not (self._leading and self._caught_up) or self._stopping:
            self._caught_up = False
            self._declined_before_pump = self._pumps
            self.wake()
            return
        now = self.clock()
        for row in mine:
            blocked = self._blocked_until.get(row.address)
            if row.not_before > now or (blocked is not None and blocked > now):
                continue  # a later pump finds it when its time (or its address's wait) is over
            self._take(row)

    @property
    def caught_up(self) -> bool:
        """Whether offered rows are taken directly (see :meth:`offer`)."""
        return self._leading and self._caught_up

    def _take(self, row: OutboxRecord) -> None:
        """Queue a row for its address's worker (starting one): it is in hand from now on."""
        self._in_flight.add(row.id)
        self._queues[row.address].append(row)
        if row.address not in self._workers:
            self._workers[row.address] = asyncio.create_task(self._work(row.address))

    async def _lead(self) -> bool:
        """Whether this sender may send now (it holds the channel's lock, or needs none)."""
        leading = self.lock is None or await asyncio.to_thread(self.lock.try_acquire)
        if leading and not self._leading:
            # what an earlier process left waiting out a retry holds back that address here too
            waits = await asyncio.to_thread(self.store.retry_waits, self.channel, self.clock())
            for address, until in waits.items():
                self._blocked_until[address] = max(until, self._blocked_until.get(address, until))
        self._leading = leading
        if not leading:
            self._caught_up = False
        return leading

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set; then let rows in hand finish."""
        self._loop = asyncio.get_running_loop()
        try:
            await self._send_while_leading(stop)
        finally:
            self._stopping = True  # rows still queued stay pending in the database for the next start
            await self.settle()
            if self.lock is not None:
                await asyncio.to_thread(self.lock.close)

    async def _send_while_leading(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if not await self._lead():
                    await self._idle(stop, LOCK_RETRY_SECONDS)
                    continue
                # cleared before the pump, so a wake that arrives while it reads is not lost
                self._wake.clear()
                found = await self.pump()
            except SQLAlchemyError as exc:
                await self._idle(stop, self.outage.pause_after(exc))
                continue
            self.outage.answered(wrote=False)
            if not found:
                await self._idle(stop, self.idle_poll)

    async def _idle(self, stop: asyncio.Event, seconds: float) -> None:
        """Wait for a wake, the stop, or ``seconds``, whichever comes first."""
        waiter = asyncio.ensure_future(self._wake.wait())
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({waiter, stopper}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        stopper.cancel()

    async def drain(self, timeout: float = 30.0) -> None:
        """Send everything that is due now, and wait for it (used when a chat ends)."""
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                found = await self.pump()
            except SQLAlchemyError as exc:
                await asyncio.sleep(self.outage.pause_after(exc))
                if asyncio.get_running_loop().time() > deadline:
                    break
                continue  # the database away: nothing is known of what waits; ask again
            self.outage.answered(wrote=False)
            if not (found or self._workers or self._unmarked):
                break
            await self.settle()
            if asyncio.get_running_loop().time() > deadline:
                break

    async def settle(self) -> None:
        if self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    async def pump(self) -> int:
        """Fetch due rows and hand new ones to per-address workers; returns how many were new."""
        # One pump at a time (the run loop and a chat's drain both pump): the bookkeeping of
        # ``_settled`` forgets a row once a later pump began, which is only safe in order.
        async with self._pumping:
            return await self._pump()

    async def _pump(self) -> int:
        await self._mark_remembered()
        now = self.clock()
        self._pumps += 1
        pump = self._pumps
        rows = await asyncio.to_thread(self.store.due_outbox, self.channel, now, self.batch, address=self.address)
        new = 0
        for row in rows:
            if row.id in self._in_flight or self._settled.get(row.id, 0) >= pump:
                continue
            blocked = self._blocked_until.get(row.address)
            if blocked is not None and blocked > now:
                continue
            self._take(row)
            new += 1
        for row_id in [r for r, seen_by in self._settled.items() if seen_by < pump]:
            del self._settled[row_id]
        # this read saw every row committed before it began: offers declined before it are in it
        self._caught_up = len(rows) < self.batch and pump > self._declined_before_pump
        return new

    async def _mark_remembered(self) -> None:
        """Mark the rows sent while the database was away (they stay in hand until then)."""
        for row_id, (platform_id, sent_at) in list(self._unmarked.items()):
            await asyncio.to_thread(self.store.mark_sent, row_id, platform_id, sent_at)
            del self._unmarked[row_id]
            self.outage.answered()
            self._release(row_id)
            self.sent += 1

    def _release(self, row_id: int) -> None:
        """The row is no longer ours to send now (sent, failed or rescheduled)."""
        self._in_flight.discard(row_id)
        self._settled[row_id] = self._pumps

    async def _work(self, address: str) -> None:
        try:
            async with self._slots:
                queue = self._queues[address]
                while queue and not self._stopping:
                    row = queue.pop(0)
                    if not await self._send(row):
                        break  # keep the order: the rest of this address waits for the retried row
                for later in queue:
                    self._in_flight.discard(later.id)  # not done: any pump may take it again
                queue.clear()
        finally:
            self._queues.pop(address, None)
            self._workers.pop(address, None)

    async def _send(self, row: OutboxRecord) -> bool:
        """Send one row; True when the address may go on with its next row."""
        try:
            return await self._send_and_record(row)
        except SQLAlchemyError as exc:
            # Recording the outcome failed. A row the platform took is in ``_unmarked`` and stays
            # in hand; any other is let go, still pending in the database, and sent again later.
            if row.id not in self._unmarked:
                self._in_flight.discard(row.id)
            if self.outage.guard(exc) is None:
                log.error("outbox row %s: recording its outcome failed (%s)", row.id, type(exc).__name__)
            return False

    async def _send_and_record(self, row: OutboxRecord) -> bool:
        store = self.store
        try:
            reply = Reply.from_json(row.payload)
            platform_id = await self.adapter.send(row.address, reply, txn_id=row.txn_id)
        except RetryLater as exc:
            await self._retry(row, dt.timedelta(seconds=max(exc.seconds, 0.05)), "rate limited")
            return False
        except TransientSendError as exc:
            if row.attempts + 1 >= MAX_ATTEMPTS:
                await asyncio.to_thread(store.mark_failed, row.id, f"gave up: {exc}", self.clock())
                self._release(row.id)
                return True
            await self._retry(row, dt.timedelta(seconds=backoff(row.attempts + 1)), str(exc))
            return False
        except RecipientGone:
            log.info("outbox row %s: the recipient is gone; their address is now inactive", row.id)
            await asyncio.to_thread(store.deactivate_address, self.channel, row.address, self.clock())
            self._release(row.id)
            return False
        except (PermanentSendError, ValueError, KeyError) as exc:
            log.warning("outbox row %s can't be sent: %s", row.id, type(exc).__name__)
            await asyncio.to_thread(store.mark_failed, row.id, str(exc)[:500], self.clock())
            self._release(row.id)
            return True
        sent_at = self.clock()
        try:
            await asyncio.to_thread(store.mark_sent, row.id, platform_id, sent_at)
        except SQLAlchemyError:
            self._unmarked[row.id] = (platform_id, sent_at)  # marked by the next pump that reaches the database
            raise
        self.outage.answered()
        self._release(row.id)
        self.sent += 1
        return True

    async def _retry(self, row: OutboxRecord, wait: dt.timedelta, error: str) -> None:
        until = self.clock() + wait
        self._blocked_until[row.address] = until
        await asyncio.to_thread(self.store.mark_retry, row.id, until, error[:500])
        self._release(row.id)
        loop = asyncio.get_running_loop()
        loop.call_later(wait.total_seconds(), self._wake.set)
