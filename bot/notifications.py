"""Messages the bot starts itself (idea status news, invitations, reminders): to every
active contact of a participant, through the outbox, in the caller's transaction.

Writing them in the same transaction as the change they report (a status set,
a reminder claimed) makes them exactly-once: both happen or neither does, and
the outbox never sends a row twice. Quiet hours are applied here for the kinds
that must respect them (pass ``quiet``); the weekly cap needs the delivery log
and is applied by the sweeps (``bot/sweeps.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from adapters.base import Reply
from bot.config import RemindersConfig
from storage.contract import Transaction
from storage.records import ParticipantId

__all__ = ["QuietHours", "notify"]


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


def notify(
    tx: Transaction,
    participant_id: ParticipantId,
    replies: Sequence[Reply],
    now: dt.datetime,
    *,
    not_before: dt.datetime | None = None,
    quiet: QuietHours | None = None,
) -> int:
    """Enqueue ``replies`` for every active contact of the participant; returns the rows written.

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
    return written
