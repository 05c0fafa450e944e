"""Payload contexts of the buttons of subscriptions, events and invitations, and how an
event sign-up is stored.

Kept apart from the dialogue steps so the messages the scheduler sends
(``bot/dialogue/invitations.py``) can make buttons the conversation understands. The
other contexts are in ``turn.py``; question contexts are 8 characters long,
so one letter never collides with them.
"""

from __future__ import annotations

from surveys.model import Event

__all__ = ["DISTRICT", "EVENT", "FOLLOW_DONE", "INVITE", "TOPIC", "event_value"]

INVITE, TOPIC, DISTRICT, EVENT, FOLLOW_DONE = "i", "t", "d", "e", "f"


def event_value(process_id: str, event: Event) -> str:
    """The subscription value of a sign-up for one event."""
    return f"{process_id}/{event.key}"
