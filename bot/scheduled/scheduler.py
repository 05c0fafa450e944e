"""apscheduler wiring: which jobs exist, when they run, and which process runs them.

The jobs are importable functions with plain arguments (a process id at
most), stored in the project's database by apscheduler's SQLAlchemy job
store under fixed ids (``sweep``, ``digest``, ``retention``,
``open:<process>``, ``last-chance:<process>``), so a restart or a resync
replaces a job instead of adding a twin. Each job only calls an idempotent
sweep of ``bot/scheduled/sweeps.py``; the delivery log decides what is sent. A job due
while the bot was down runs once after start (no grace limit, coalesced).

With several ``run`` processes on one PostgreSQL database the holder of the
leader lock (``storage/leader.py``) runs the scheduler; the others try again
every few seconds and take over when the leader's session ends.

With the database away (``bot.outage``) a job that fails is noted, not
logged with its traceback; the sweeps are idempotent, so its next run does
what this one could not. Leading, or trying to, resumes by itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock, system_clock
from bot.outage import MAX_PAUSE, Outage
from bot.process_files import Catalog
from bot.scheduled.sweeps import (
    SweepContext,
    erase_inactive,
    forget_old_event_keys,
    forget_sent_texts,
    forget_visitors,
    invite_opened,
    last_chance,
    run_due,
    send_digest,
)
from storage.leader import LeaderLock
from surveys.model import Survey

__all__ = ["JobSpec", "Runtime", "SchedulerService", "desired_jobs"]

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
RETRY_SECONDS = 5.0
RETENTION_AT = dt.time(3, 30)
JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}


@dataclass(frozen=True)
class Runtime:
    """What the stored jobs act on: the sweep context, the current catalog and the clock."""

    context: SweepContext
    catalog: Callable[[], Catalog]
    clock: Clock
    outage: Outage = field(default_factory=Outage)


# The runtime the stored jobs act on while this process leads. A module variable because
# apscheduler persists jobs as a function reference plus plain arguments; live objects
# (a store, a catalog) can't be among them.
_active: Runtime | None = None


def _runtime() -> Runtime:
    if _active is None:
        raise RuntimeError("no scheduler runtime is active in this process")
    return _active


def _guarded(job: Callable[..., None]) -> Callable[..., None]:
    """A job that notes a database outage (once, for the whole process) instead of raising it."""

    @functools.wraps(job)
    def run(*args: object) -> None:
        outage = _runtime().outage
        try:
            job(*args)
        except SQLAlchemyError as exc:
            outage.pause_after(exc)  # noted; the next run of the job does what this one could not
            return
        outage.answered(wrote=False)

    return run


@_guarded
def sweep_job() -> None:
    rt = _runtime()
    outcome = run_due(rt.context, rt.catalog(), rt.clock())
    if outcome.queued or outcome.dropped:
        log.info("sweep: queued %s, dropped over the weekly cap %s", outcome.queued, outcome.dropped)


@_guarded
def open_job(process_id: str) -> None:
    rt = _runtime()
    catalog = rt.catalog()
    process = catalog.get(process_id)
    if process is not None:
        invite_opened(rt.context, catalog, process, rt.clock())


@_guarded
def last_chance_job(process_id: str) -> None:
    rt = _runtime()
    catalog = rt.catalog()
    process = catalog.get(process_id)
    if isinstance(process, Survey):
        last_chance(rt.context, catalog, process, rt.clock())


@_guarded
def digest_job() -> None:
    rt = _runtime()
    send_digest(rt.context, rt.catalog(), rt.clock())


@_guarded
def retention_job() -> None:
    rt = _runtime()
    erase_inactive(rt.context, rt.clock())
    forget_sent_texts(rt.context, rt.clock())
    forget_visitors(rt.context, rt.clock())
    forget_old_event_keys(rt.context, rt.clock())


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., None]
    trigger: object
    args: tuple[str, ...] = ()
    name: str = ""


def desired_jobs(catalog: Catalog, context: SweepContext, now: dt.datetime) -> list[JobSpec]:
    """The jobs this catalog and config call for (pure: no scheduler involved)."""
    zone = context.settings.timezone
    jobs = [
        JobSpec(
            "sweep",
            sweep_job,
            IntervalTrigger(seconds=SWEEP_SECONDS, timezone=zone),
            name="reminders, invitations, event reminders",
        ),
        JobSpec(
            "retention",
            retention_job,
            CronTrigger(hour=RETENTION_AT.hour, minute=RETENTION_AT.minute, timezone=zone),
            name="erase inactive participants",
        ),
    ]
    digest = context.reminders.digest_time
    if digest is not None and context.staff:
        jobs.append(
            JobSpec(
                "digest",
                digest_job,
                CronTrigger(hour=digest.hour, minute=digest.minute, timezone=zone),
                name="daily digest to staff",
            )
        )
    for process in catalog.processes:
        if process.closes is not None and now >= process.closes:
            continue
        if process.opens is not None:
            jobs.append(
                JobSpec(
                    f"open:{process.id}",
                    open_job,
                    DateTrigger(process.opens),
                    (process.id,),
                    name=f"invite subscribers to {process.id}",
                )
            )
        if isinstance(process, Survey) and process.closes is not None:
            when = process.closes - dt.timedelta(days=1)
            jobs.append(
                JobSpec(
                    f"last-chance:{process.id}",
                    last_chance_job,
                    DateTrigger(when),
                    (process.id,),
                    name=f"last-chance note for {process.id}",
                )
            )
    return jobs


class SchedulerService:
    """Runs the scheduler while this process holds the leader lock."""

    def __init__(self, runtime: Runtime, *, retry_seconds: float = RETRY_SECONDS) -> None:
        self.runtime = runtime
        self.retry_seconds = retry_seconds
        self.leading = asyncio.Event()
        self._scheduler: AsyncIOScheduler | None = None
        self._unsynced = False  # the last sync_jobs met the database away

    async def run(self, stop: asyncio.Event) -> None:
        lock = self.runtime.context.store.leader_lock()
        try:
            while not stop.is_set():
                try:
                    if await asyncio.to_thread(lock.try_acquire):
                        await self._lead(lock, stop)
                    else:
                        await _wait(stop, self.retry_seconds)
                except SQLAlchemyError as exc:
                    await _wait(stop, self.runtime.outage.pause_after(exc))
        finally:
            await asyncio.to_thread(lock.close)

    async def _lead(self, lock: LeaderLock, stop: asyncio.Event) -> None:
        global _active
        store = self.runtime.context.store
        scheduler = AsyncIOScheduler(
            jobstores={"default": store.job_store()},
            job_defaults=JOB_DEFAULTS,
            timezone=self.runtime.context.settings.timezone,
            jobstore_retry_interval=MAX_PAUSE,  # the database back: due jobs run within seconds
        )
        _active = self.runtime
        # a line per sweep each minute would bury what matters; the sweeps log what they send
        logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
        quiet = _OutageNoted(self.runtime.outage)
        logging.getLogger("apscheduler.scheduler").addFilter(quiet)
        scheduler.start()
        self._scheduler = scheduler
        log.info("scheduler: this process runs the scheduled jobs")
        try:
            self.sync_jobs()
            self.leading.set()
            while not stop.is_set() and await asyncio.to_thread(lock.still_held):
                await _wait(stop, self.retry_seconds)
                if self._unsynced:  # a reload while the database was away: its jobs now
                    self.sync_jobs()
        finally:
            self.leading.clear()
            self._scheduler = None
            scheduler.shutdown(wait=False)
            logging.getLogger("apscheduler.scheduler").removeFilter(quiet)
            _active = None
            await asyncio.to_thread(lock.release)

    def sync_jobs(self) -> None:
        """Bring the stored jobs in line with the catalog: replace by id, drop what went away.
        With the database away it is noted, and tried again while this process leads."""
        try:
            self._sync_jobs()
        except SQLAlchemyError as exc:
            self.runtime.outage.pause_after(exc)
            self._unsynced = True
        else:
            self._unsynced = False

    def _sync_jobs(self) -> None:
        scheduler = self._scheduler
        if scheduler is None:
            return
        wanted = desired_jobs(self.runtime.catalog(), self.runtime.context, self.runtime.clock())
        for job in wanted:
            options: dict[str, object] = {}
            if job.id == "sweep":
                # a sweep at once after start; apscheduler fires by the machine's clock, so "at once" is its now
                options["next_run_time"] = system_clock()
            scheduler.add_job(
                job.func, job.trigger, args=job.args, id=job.id, name=job.name, replace_existing=True, **options
            )
        ids = {job.id for job in wanted}
        for job in scheduler.get_jobs():
            if job.id not in ids:  # a process removed or closed, the digest switched off
                scheduler.remove_job(job.id)


class _OutageNoted(logging.Filter):
    """apscheduler's own "Error getting due jobs" (the job store is the database) becomes a note
    to ``Outage``, which says once that the database is away; every other record passes."""

    def __init__(self, outage: Outage) -> None:
        super().__init__()
        self.outage = outage

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.args[-1] if isinstance(record.args, tuple) and record.args else None
        if str(record.msg).startswith("Error getting due jobs") and isinstance(error, BaseException):
            if self.outage.guard(error) is not None:
                return False
        return True


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
