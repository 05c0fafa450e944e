"""Messages the bot starts itself (idea status news, invitations, reminders): to every
active contact of a participant, through the outbox, in the caller's transaction.

Writing them in the same transaction as the change they report (a status set,
a reminder claimed) makes them exactly-once: both happen or neither does, and
the outbox never sends a row twice. Quiet hours and weekly caps are applied
here for the kinds that must respect them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from adapters.base import Reply
from storage.contract import Transaction
from storage.records import ParticipantId

__all__ = ["notify"]


def notify(
    tx: Transaction,
    participant_id: ParticipantId,
    replies: Sequence[Reply],
    now: dt.datetime,
    *,
    not_before: dt.datetime | None = None,
) -> int:
    """Enqueue ``replies`` for every active contact of the participant; returns the rows written."""
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
