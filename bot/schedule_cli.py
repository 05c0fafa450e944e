"""``mitwirken announce`` and ``mitwirken jobs``: staff commands of the scheduled work."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.app import open_core
from bot.config import Config
from bot.clock import Clock
from bot.process_files import Process
from bot.scheduler import sweep_context
from bot.sweeps import announce as send_invitations
from bot.sweeps import recipients

__all__ = ["ScheduleCommandError", "announce", "jobs"]


class ScheduleCommandError(Exception):
    """The command can't do what was asked; the message says why."""


def announce(config: Config, process_id: str, *, dry_run: bool, clock: Clock) -> int:
    """Invite the process's subscribers now (each at most once, quiet hours and weekly cap apply)."""
    core = open_core(config, clock=clock)
    try:
        process = core.catalog.get(process_id)
        if process is None:
            known = ", ".join(p.id for p in core.catalog.processes) or "none"
            raise ScheduleCommandError(f"no process file with id {process_id!r} (known: {known})")
        now = core.clock()
        if not process.is_open(now):
            raise ScheduleCommandError(f"{process_id!r} is not open now; invitations go out only while it is open")
        context = sweep_context(core)
        count = len(recipients(context, process))
        if dry_run:
            print(f"{count} participant(s) would be invited to {process_id} (dry run: nothing was sent)")
            if count == 0:
                print(_who_is_invited(process))
            return 0
        with Progress(console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("inviting", total=count)
            outcome = send_invitations(context, core.catalog, process, now,
                                       progress=lambda n: bar.advance(task, n))
        dropped = outcome.dropped.get("invitation", 0)
        print(f"{outcome.queued.get('invitation', 0)} invitation(s) to {process_id} queued; "
              f"{dropped} left out over the weekly cap")
        if count == 0:
            print(_who_is_invited(process))
        if context.quiet.is_quiet(now):
            print("It is quiet time now: the invitations are sent when the quiet hours end.")
        return 0
    finally:
        core.close()


def _who_is_invited(process: Process) -> str:
    """Why nobody is invited: who the invitations of ``process`` go to."""
    follows = ["everything"]
    if process.topics:
        follows.append("one of the topics " + ", ".join(process.topics))
    if process.districts:
        follows.append("one of the districts " + ", ".join(process.districts))
    return (f"Invitations go to participants who follow {' or '.join(follows)} (with 'themen'/'bezirke' in the chat), "
            "each only once, and never after 'stopp': nobody else is left to invite.")


def jobs(config: Config, *, clock: Clock) -> int:
    """The scheduled jobs as the running scheduler stored them, next run in the city's time."""
    core = open_core(config, clock=clock)
    try:
        stored = core.store.job_store().get_all_jobs()
        zone = config.bot.zone
        table = Table("job", "next run", "what")
        for job in stored:
            when = job.next_run_time.astimezone(zone).strftime("%Y-%m-%d %H:%M") if job.next_run_time else "paused"
            table.add_row(job.id, when, job.name)
        console = Console()
        if not stored:
            console.print("No jobs are stored yet: 'mitwirken run' schedules them when it starts.")
        else:
            console.print(table)
        return 0
    finally:
        core.close()
