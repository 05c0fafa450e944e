"""Erasing a participant, wherever their traces are: one function for the chat's ``löschen``, the
staff's ``participant … erase`` and the nightly retention.

What goes: the participant, their contacts and consents, their responses and answers (detached
anonymous ones are no longer theirs and stay), their ideas with supports and reports, their
subscriptions and the outbox rows to them; the texts of their ideas wherever other people's
messages quoted them (listings, staff queues); and their photos. The caller removes the files
returned, after the transaction committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.media import photo_files
from bot.notifications import opening
from storage.contract import Transaction
from storage.records import ParticipantId

__all__ = ["REDACTED", "erase_participant", "quotes_of"]

REDACTED = "[…]"  # what stands where another message quoted an erased citizen's text


def quotes_of(data: Mapping[str, Any]) -> list[str]:
    """How other people's messages may quote what the participant wrote: their ideas' texts, in
    full, flattened to one line, and cut to their opening words (news about an idea)."""
    quotes: list[str] = []
    for idea in data.get("ideas") or []:
        text = str(idea.get("text") or "")
        if text:
            quotes += [text, " ".join(text.split()), opening(text)]
    return quotes


def erase_participant(
    tx: Transaction, participant_id: ParticipantId, data: Mapping[str, Any] | None = None
) -> list[str]:
    """Erase the participant in ``tx`` (``data``: their ``participant_data``, when the caller read it
    already); returns their photo files to remove once committed."""
    if data is None:
        data = tx.participant_data(participant_id)
    tx.redact_quotes(quotes_of(data), REDACTED)
    tx.erase_participant(participant_id)
    return photo_files(data)
