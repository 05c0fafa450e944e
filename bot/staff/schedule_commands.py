"""``mitwirken announce``, ``mitwirken jobs`` and ``mitwirken outbox``: staff commands of the scheduled work."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.clock import Clock
from bot.config import Config
from bot.i18n import translator
from bot.notifications import Queued, delivery_note
from bot.process_files import Process
from bot.runtime.app import open_core, sweep_context
from bot.scheduled.sweeps import announce as send_invitations
from bot.scheduled.sweeps import recipients
from bot.staff.errors import CommandError

__all__ = ["announce", "jobs", "outbox"]


def announce(config: Config, process_id: str, *, dry_run: bool, clock: Clock) -> int:
    """Invite the process's subscribers now (each at most once, quiet hours and weekly cap apply)."""
    core = open_core(config, clock=clock)
    try:
        process = core.catalog.get(process_id)
        if process is None:
            known = ", ".join(p.id for p in core.catalog.processes) or "none"
            raise CommandError(f"no process file with id {process_id!r} (known: {known})")
        now = core.clock()
        if not process.is_open(now):
            raise CommandError(f"{process_id!r} is not open now; invitations go out only while it is open")
        context = sweep_context(core)
        count = len(recipients(context, process))
        if dry_run:
            print(f"{count} participant(s) would be invited to {process_id} (dry run: nothing was sent)")
            if count == 0:
                print(_who_is_invited(process))
            return 0
        with Progress(console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("inviting", total=count)
            outcome = send_invitations(context, core.catalog, process, now, progress=lambda n: bar.advance(task, n))
        dropped = outcome.dropped.get("invitation", 0)
        queued = outcome.queued.get("invitation", 0)
        print(f"{queued} invitation(s) to {process_id} queued; {dropped} left out over the weekly cap")
        if count == 0:
            print(_who_is_invited(process))
        elif queued:
            due = context.quiet.next_allowed(now)
            print(delivery_note(translator("en"), Queued(queued, due), now, config.bot.zone))
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
    return (
        f"Invitations go to participants who follow {' or '.join(follows)} (with 'themen'/'bezirke' in the chat), "
        "each only once, and never after 'stopp': nobody else is left to invite."
    )


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
        waiting = core.store.outbox_pending()
        if waiting:
            console.print(f"{waiting} message(s) wait in the outbox: 'mitwirken outbox' says when they go out.")
        return 0
    finally:
        core.close()


def outbox(config: Config, *, clock: Clock) -> int:
    """The messages waiting to be sent, per channel, with the time each may go out (the city's time)."""
    core = open_core(config, clock=clock)
    try:
        now = core.clock()
        groups: dict[tuple[str, str], int] = {}
        for channel, due, count in core.store.outbox_waiting():
            when = "at once" if due <= now else due.astimezone(config.bot.zone).strftime("%Y-%m-%d %H:%M")
            groups[(channel, when)] = groups.get((channel, when), 0) + count
        console = Console()
        if not groups:
            console.print("The outbox is empty: no message waits to be sent.")
            return 0
        table = Table("channel", "goes out", "messages")
        for (channel, when), count in groups.items():
            table.add_row(channel, when, str(count))
        console.print(table)
        at_once = sum(n for (_, when), n in groups.items() if when == "at once")
        console.print(
            f"{sum(groups.values())} message(s) wait; {at_once} go out at once while 'mitwirken run' "
            "is running, the others at the time shown (quiet hours, reminders set for later)."
        )
        return 0
    finally:
        core.close()
