"""Messages the bot starts itself (idea status news, invitations, reminders): to every
active contact of a participant, through the outbox, in the caller's transaction.

Writing them in the same transaction as the change they report (a status set,
a reminder claimed) makes them exactly-once: both happen or neither does, and
the outbox never sends a row twice. Quiet hours are applied here for the kinds
that must respect them (pass ``quiet``); the weekly cap needs the delivery log
and is applied by the sweeps (``bot/scheduled/sweeps.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_datetime

from adapters.base import Reply
from bot.config import RemindersConfig
from bot.i18n import Translator
from storage.contract import Transaction
from storage.records import ParticipantId

__all__ = ["QuietHours", "Queued", "delivery_note", "notify", "opening"]


@dataclass(frozen=True)
class QuietHours:
    """The configured quiet hours, in the city's time zone."""

    reminders: RemindersConfig
    zone: dt.tzinfo

    def is_quiet(self, at: dt.datetime) -> bool:
        return self.reminders.is_quiet(at.astimezone(self.zone).time())

    def next_allowed(self, at: dt.datetime) -> dt.datetime:
        """``at`` itself, or the end of the quiet hours it falls into (as UTC)."""
        if self.reminders.quiet_hours is None or not self.is_quiet(at):
            return at
        end = self.reminders.quiet_hours[1]
        local = at.astimezone(self.zone)
        candidate = dt.datetime.combine(local.date(), end, tzinfo=self.zone)
        if candidate <= local:
            candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), end, tzinfo=self.zone)
        return candidate.astimezone(dt.UTC)


@dataclass(frozen=True)
class Queued:
    """What ``notify`` put into the outbox: how many rows, and from when they may be sent."""

    count: int
    due: dt.datetime

    def __add__(self, other: Queued) -> Queued:
        return Queued(self.count + other.count, max(self.due, other.due) if other.count else self.due)


def notify(
    tx: Transaction,
    participant_id: ParticipantId,
    replies: Sequence[Reply],
    now: dt.datetime,
    *,
    not_before: dt.datetime | None = None,
    quiet: QuietHours | None = None,
) -> Queued:
    """Enqueue ``replies`` for every active contact of the participant; says what was queued.

    With ``quiet``, a message that would arrive during the quiet hours waits for their end."""
    if quiet is not None:
        not_before = quiet.next_allowed(not_before or now)
    written = 0
    for contact in tx.contacts(participant_id):
        if not contact.active:
            continue
        for reply in replies:
            tx.enqueue(
                contact.channel,
                contact.address,
                reply.to_json(),
                now,
                participant_id=participant_id,
                not_before=not_before,
            )
            written += 1
    return Queued(written, not_before or now)


def delivery_note(t: Translator, queued: Queued, now: dt.datetime, zone: dt.tzinfo) -> str:
    """What became of messages to citizens, for the staff member who caused them: told only
    what happened (queued, and when they go out), never that somebody "has been told"."""
    if queued.count == 0:
        return t.gettext("Nobody is told: no one concerned has a chat the bot can reach.")
    if queued.due <= now:
        return t.ngettext(
            "{n} message is queued; it goes out at once while 'mitwirken run' is running.",
            "{n} messages are queued; they go out at once while 'mitwirken run' is running.",
            queued.count,
        )
    when = format_datetime(queued.due.astimezone(zone), "short", locale=t.locale)
    return t.ngettext(
        "{n} message is queued; it goes out at {when}, after the quiet hours.",
        "{n} messages are queued; they go out at {when}, after the quiet hours.",
        queued.count,
        when=when,
    )


def opening(text: str, limit: int = 80) -> str:
    """The first words of ``text``, at most ``limit`` characters, cut between words with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
