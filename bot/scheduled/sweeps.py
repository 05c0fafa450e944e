"""The scheduled work as idempotent sweeps: each looks at what is due at ``now``, claims it
in the delivery log and enqueues the messages in the same transaction.

Running a sweep twice, late, or on two machines at once sends nothing twice:
the claim is a unique row (participant, process, kind, slot). apscheduler
(``bot/scheduled/scheduler.py``) only decides *when* sweeps run; tests call them with
an injected ``now``. Rules that keep the bot from nagging:

- nobody is invited without having subscribed; ``stopp`` ends all of it;
- invitations, reminders and last-chance notes wait while it is quiet (the
  next sweep after the quiet hours sends them) and count against
  ``max_per_week``; one over the cap is recorded as dropped, never sent;
- of several reminders due at once (after downtime) only the latest is sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from adapters.base import Reply
from bot.config import RemindersConfig
from bot.dialogue.follow_contexts import event_value
from bot.dialogue.invitations import (
    digest_reply,
    event_reminder_reply,
    invitation_reply,
    last_chance_reply,
    reminder_reply,
)
from bot.dialogue.turn import DialogueSettings
from bot.erasure import erase_participant
from bot.media import MediaStore
from bot.notifications import QuietHours, notify
from bot.process_files import Catalog
from storage.contract import Store, Transaction
from storage.records import ParticipantId, ParticipantRecord
from storage.schedule_records import DeliveryKind
from storage.visitors import VISITOR_DAYS
from surveys.model import Event, IdeaCall, Survey

__all__ = [
    "CAPPED",
    "Outcome",
    "SweepContext",
    "announce",
    "erase_inactive",
    "forget_old_event_keys",
    "event_reminders",
    "invite_opened",
    "last_chance",
    "remind",
    "run_due",
    "send_digest",
]

log = logging.getLogger(__name__)

CAPPED: tuple[DeliveryKind, ...] = ("invitation", "reminder", "last_chance")
WEEK = dt.timedelta(days=7)
LAST_CHANCE_BEFORE = dt.timedelta(days=1)
EVENT_REMINDER_BEFORE = dt.timedelta(days=1)
BATCH = 200  # participants per transaction: short write locks on SQLite
# Handled-event keys older than this guard nothing (Telegram redelivers for a day at most)
EVENT_KEYS_KEPT_DAYS = 30

Process = Survey | IdeaCall


@dataclass(frozen=True)
class SweepContext:
    """What the sweeps need of the installation (never the catalog: that is passed per call,
    because hot reload replaces it)."""

    store: Store
    settings: DialogueSettings
    reminders: RemindersConfig
    retention_days: int
    staff: tuple[str, ...] = ()
    media: MediaStore | None = None
    sent_messages_days: int = 30

    @property
    def quiet(self) -> QuietHours:
        return QuietHours(self.reminders, self.settings.timezone)


@dataclass
class Outcome:
    """What a sweep did, by kind: messages queued, dropped over the cap, held for quiet hours."""

    queued: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, queued: bool) -> None:
        counts = self.queued if queued else self.dropped
        counts[kind] = counts.get(kind, 0) + 1

    def merge(self, other: Outcome) -> Outcome:
        for kind, n in other.queued.items():
            self.queued[kind] = self.queued.get(kind, 0) + n
        for kind, n in other.dropped.items():
            self.dropped[kind] = self.dropped.get(kind, 0) + n
        return self

    @property
    def total(self) -> int:
        return sum(self.queued.values())


def run_due(ctx: SweepContext, catalog: Catalog, now: dt.datetime) -> Outcome:
    """Everything due at ``now`` except the daily jobs (digest, retention)."""
    outcome = Outcome()
    for process in catalog.processes:
        outcome.merge(invite_opened(ctx, catalog, process, now))
        if isinstance(process, Survey):
            outcome.merge(remind(ctx, catalog, process, now))
            outcome.merge(last_chance(ctx, catalog, process, now))
    outcome.merge(event_reminders(ctx, catalog, now))
    return outcome


# --- claims -----------------------------------------------------------------------


def _claim(
    ctx: SweepContext,
    tx: Transaction,
    pid: ParticipantId,
    process_id: str,
    kind: DeliveryKind,
    slot: str,
    now: dt.datetime,
) -> bool | None:
    """True: claimed, send it. False: over the weekly cap (recorded as dropped). None: claimed before."""
    if kind in CAPPED and tx.count_deliveries(pid, now - WEEK, CAPPED) >= ctx.reminders.max_per_week:
        recorded = tx.record_delivery(pid, process_id, kind, slot, "dropped", now)
        if recorded:
            log.info("a %s for %s was dropped: the participant reached the weekly cap", kind, process_id)
        return False if recorded else None
    return True if tx.record_delivery(pid, process_id, kind, slot, "queued", now) else None


def _deliver(
    ctx: SweepContext,
    outcome: Outcome,
    tx: Transaction,
    pid: ParticipantId,
    process_id: str,
    kind: DeliveryKind,
    slot: str,
    now: dt.datetime,
    reply: Callable[[ParticipantRecord], Reply],
) -> None:
    participant = tx.get_participant(pid)
    if participant is None or participant.consent_at is None or participant.state.get("stopped"):
        return
    claimed = _claim(ctx, tx, pid, process_id, kind, slot, now)
    if claimed is None:
        return
    if claimed:
        notify(tx, pid, [reply(participant)], now, quiet=ctx.quiet)
    outcome.add(kind, claimed)


def _batches(items: Sequence[ParticipantId]) -> Iterable[Sequence[ParticipantId]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


# --- invitations ------------------------------------------------------------------


def recipients(ctx: SweepContext, process: Process) -> list[ParticipantId]:
    """Subscribers this process would be sent to now (not those invited before)."""
    with ctx.store.transaction() as tx:
        return tx.invitation_recipients(process.id, process.topics, process.districts)


def invite_opened(ctx: SweepContext, catalog: Catalog, process: Process, now: dt.datetime) -> Outcome:
    """Invite the subscribers of a process whose ``opens`` has come (quiet hours: later)."""
    if process.opens is None or not process.is_open(now) or ctx.quiet.is_quiet(now):
        return Outcome()
    return announce(ctx, catalog, process, now)


def announce(
    ctx: SweepContext,
    catalog: Catalog,
    process: Process,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Invite every matching subscriber not invited before; in quiet hours they arrive at their end."""
    outcome = Outcome()
    number = catalog.menu_number(process.id, now)
    for batch in _batches(recipients(ctx, process)):
        with ctx.store.transaction() as tx:
            for pid in batch:
                _deliver(
                    ctx,
                    outcome,
                    tx,
                    pid,
                    process.id,
                    "invitation",
                    "1",
                    now,
                    lambda p: invitation_reply(process, p, ctx.settings, number),
                )
        if progress is not None:
            progress(len(batch))
    return outcome


# --- reminders --------------------------------------------------------------------


def _due_reminder(reminders: Sequence[dt.timedelta], last_answer_at: dt.datetime, now: dt.datetime) -> int | None:
    due = [i for i, after in enumerate(reminders) if last_answer_at + after <= now]
    return due[-1] if due else None


def remind(ctx: SweepContext, catalog: Catalog, survey: Survey, now: dt.datetime) -> Outcome:
    """Nudge those who started and stopped, ``reminders`` after their last answer."""
    outcome = Outcome()
    if not survey.reminders or not survey.is_open(now) or ctx.quiet.is_quiet(now):
        return outcome
    number = catalog.menu_number(survey.id, now)
    with ctx.store.transaction() as tx:
        for response in tx.open_responses(survey.id):
            index = _due_reminder(survey.reminders, response.last_answer_at, now)
            if index is None:
                continue
            sent = tx.delivered_slots(response.participant_id, survey.id, "reminder")
            if any(int(slot) >= index for slot in sent):
                continue
            _deliver(
                ctx,
                outcome,
                tx,
                response.participant_id,
                survey.id,
                "reminder",
                str(index),
                now,
                lambda p: reminder_reply(survey, p, ctx.settings, number),
            )
    return outcome


def last_chance(ctx: SweepContext, catalog: Catalog, survey: Survey, now: dt.datetime) -> Outcome:
    """One day before ``closes``: a note to those who started and did not finish."""
    outcome = Outcome()
    closes = survey.closes
    if closes is None or not (closes - LAST_CHANCE_BEFORE <= now < closes) or ctx.quiet.is_quiet(now):
        return outcome
    number = catalog.menu_number(survey.id, now)
    with ctx.store.transaction() as tx:
        for response in tx.open_responses(survey.id):
            _deliver(
                ctx,
                outcome,
                tx,
                response.participant_id,
                survey.id,
                "last_chance",
                "1",
                now,
                lambda p: last_chance_reply(survey, p, ctx.settings, number),
            )
    return outcome


# --- events -----------------------------------------------------------------------


def event_reminders(ctx: SweepContext, catalog: Catalog, now: dt.datetime) -> Outcome:
    """The day before an event, a reminder to those who asked for one (not capped: they asked)."""
    outcome = Outcome()
    if ctx.quiet.is_quiet(now):
        return outcome
    for process in catalog.processes:
        for event in process.events:
            if not (event.start - EVENT_REMINDER_BEFORE <= now < event.start):
                continue

            def reminder(participant: ParticipantRecord, event: Event = event) -> Reply:
                return event_reminder_reply(event, participant, ctx.settings)

            with ctx.store.transaction() as tx:
                for pid in tx.event_subscribers(event_value(process.id, event)):
                    _deliver(
                        ctx,
                        outcome,
                        tx,
                        pid,
                        process.id,
                        "event",
                        event.key,
                        now,
                        reminder,
                    )
    return outcome


# --- daily jobs -------------------------------------------------------------------


def send_digest(ctx: SweepContext, catalog: Catalog, now: dt.datetime) -> int:
    """The daily overview to every staff chat that exists; once per staff chat and day."""
    day = now.astimezone(ctx.settings.timezone).date().isoformat()
    sent = 0
    with ctx.store.transaction() as tx:
        counts = tx.digest_counts(now - dt.timedelta(days=1))
        for entry in ctx.staff:
            channel, _, sender = entry.partition(":")
            staff = tx.find_participant(channel, sender, lock=False)
            if staff is None or not tx.record_delivery(staff.id, "", "digest", day, "queued", now):
                continue
            language = staff.language or ctx.settings.languages[0]
            sent += notify(tx, staff.id, [digest_reply(counts, catalog, language)], now).count
    return sent


def erase_inactive(ctx: SweepContext, now: dt.datetime) -> int:
    """Retention: erase every participant not seen for ``retention_days``, with their photos."""
    before = now - dt.timedelta(days=ctx.retention_days)
    erased = 0
    while True:
        files: list[str] = []
        with ctx.store.transaction() as tx:
            batch = tx.inactive_participants(before, BATCH)
            for pid in batch:
                files.extend(erase_participant(tx, pid))
        if files and ctx.media is not None:
            ctx.media.remove(files)
        erased += len(batch)
        if len(batch) < BATCH:
            break
    if erased:
        log.info("retention: erased %d participant(s) inactive for %d days", erased, ctx.retention_days)
    return erased


def _forget(
    ctx: SweepContext, now: dt.datetime, days: int, forget: Callable[[Transaction, dt.datetime], int], what: str
) -> int:
    """One retention rule: what ``forget`` finds older than ``days`` goes; logged as ``what``."""
    with ctx.store.transaction() as tx:
        forgotten = forget(tx, now - dt.timedelta(days=days))
    if forgotten:
        log.info("retention: forgot %d %s older than %d days", forgotten, what, days)
    return forgotten


def forget_visitors(ctx: SweepContext, now: dt.datetime) -> int:
    """Visitors (who wrote but never agreed) go after ``VISITOR_DAYS``."""
    return _forget(ctx, now, VISITOR_DAYS, lambda tx, before: tx.forget_visitors(before), "visitor(s)")


def forget_sent_texts(ctx: SweepContext, now: dt.datetime) -> int:
    """The texts of sent messages go after ``sent_messages_days`` (the rows stay, for the
    de-duplication; a citizen's data copy lists the messages still kept)."""
    return _forget(
        ctx, now, ctx.sent_messages_days, lambda tx, before: tx.purge_sent(before), "text(s) of sent messages"
    )


def forget_old_event_keys(ctx: SweepContext, now: dt.datetime) -> int:
    """The de-duplication keys of handled events go after ``EVENT_KEYS_KEPT_DAYS``."""
    return _forget(ctx, now, EVENT_KEYS_KEPT_DAYS, lambda tx, before: tx.forget_events(before), "handled-event key(s)")
