"""The apscheduler wiring: jobs survive a restart, and exactly one process leads on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.clock import system_clock
from bot.runtime.app import Core, sweep_context
from bot.scheduled.scheduler import Runtime, SchedulerService
from storage.leader import LeaderLock
from tests.harness import Clock
from tests.schedule_helpers import consent, schedule_config, schedule_core, timed_survey
from tests.storage_fixtures import pg_url  # noqa: F401  (a pytest fixture)

NO_QUIET = '\n[reminders]\nquiet_hours = ""\n'
ROOT = Path(__file__).resolve().parent.parent


def count(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(sql)).scalar() or 0)
    finally:
        engine.dispose()


async def lead(core: Core, seconds: float) -> list[str]:
    """Run the scheduler for a while; returns the ids of the jobs it stored."""
    service = SchedulerService(Runtime(sweep_context(core), lambda: core.engine.catalog, system_clock))
    stop = asyncio.Event()
    task = asyncio.create_task(service.run(stop))
    await asyncio.wait_for(service.leading.wait(), 10)
    await asyncio.sleep(seconds)
    ids = [job.id for job in core.store.job_store().get_all_jobs()]
    stop.set()
    await task
    return ids


def test_an_invitation_due_while_the_bot_was_down_is_sent_once_after_restart(tmp_path: Path) -> None:
    opens = (system_clock() + dt.timedelta(seconds=2)).replace(microsecond=0)
    surveys = {"s.toml": timed_survey("gleich-offen", opens=opens.isoformat(), topics='["verkehr"]')}
    url = f"sqlite:///{tmp_path / 's.db'}"
    core = schedule_core(tmp_path, surveys, url, Clock(system_clock()), extra=NO_QUIET)
    anna = consent(core, "anna")
    anna.say("themen")
    anna.say("1")
    try:
        stored = asyncio.run(lead(core, 0.2))  # stops before the survey opens
    finally:
        core.close()
    assert "open:gleich-offen" in stored
    assert count(url, "SELECT count(*) FROM delivery_log") == 0
    time.sleep(max(0.0, (opens - system_clock()).total_seconds()) + 0.5)  # down while it opens
    core = schedule_core(tmp_path, surveys, url, Clock(system_clock()), extra=NO_QUIET)
    try:
        asyncio.run(lead(core, 1.0))
        asyncio.run(lead(core, 0.5))  # and once more: still nothing twice
    finally:
        core.close()
    assert count(url, "SELECT count(*) FROM delivery_log WHERE kind = 'invitation'") == 1
    assert count(url, "SELECT count(*) FROM outbox WHERE payload LIKE '%Neu: Umfrage gleich-offen%'") == 1


@pytest.mark.postgres
def test_one_leader_lock_holder_at_a_time(pg_url: str) -> None:  # noqa: F811
    first, second = LeaderLock(pg_url), LeaderLock(pg_url)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert first.still_held()
        first.close()
        assert second.try_acquire(), "the lock is free once its holder's session ends"
    finally:
        first.close()
        second.close()


def start_run(config: Path, log: Path) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("mitwirken")
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(exe), "--config", str(config), "run"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=out,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


def wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def stale_response(core: Core, name: str) -> None:
    """A participant who started the survey three days ago and stopped."""
    citizen = consent(core, name)
    citizen.say("start erinnern")
    citizen.say("eins")


@pytest.mark.postgres
def test_two_run_processes_one_scheduler_and_a_takeover(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    surveys = {"e.toml": timed_survey("erinnern", reminders='["2d"]')}
    extra = NO_QUIET + "\n[channels.terminal]\nenabled = true\n"
    three_days_ago = Clock(system_clock() - dt.timedelta(days=3))
    core = schedule_core(tmp_path, surveys, pg_url, three_days_ago, extra=extra)
    stale_response(core, "anna")
    config = schedule_config(tmp_path, surveys, pg_url, extra=extra)
    logs = [tmp_path / "run-1.log", tmp_path / "run-2.log"]
    bots = [start_run(config, logs[0])]
    reminders = "SELECT count(*) FROM outbox WHERE payload LIKE '%freundliche Erinnerung%'"
    try:
        wait_for(lambda: count(pg_url, reminders) == 1, 60, "the first reminder")
        bots.append(start_run(config, logs[1]))
        time.sleep(3)
        leading = [i for i, log in enumerate(logs) if "this process runs the scheduled jobs" in log.read_text()]
        assert leading == [0], "exactly one process runs the scheduler"
        bots[0].send_signal(signal.SIGKILL)
        bots[0].wait(10)
        stale_response(core, "ben")
        wait_for(lambda: "this process runs the scheduled jobs" in logs[1].read_text(), 30, "the takeover")
        wait_for(lambda: count(pg_url, reminders) == 2, 30, "the second reminder")
        time.sleep(1)
        assert count(pg_url, reminders) == 2, "each reminder once"
        assert count(pg_url, "SELECT count(*) FROM delivery_log WHERE kind = 'reminder'") == 2
    finally:
        for bot in bots:
            if bot.poll() is None:
                bot.terminate()
                bot.wait(30)
        core.close()
