"""The dialogue with a citizen, one module per part of the conversation (consent, menu,
language, survey_steps, ideas, own_data, staff, events, subscriptions), each a ``Part``
(``part``) registered with the router in ``conversation``; and what the parts share: the
turn (``turn``), keywords, how questions look (``questions``),
signed button payloads (``payloads``), idea moderation and similarity, the texts of
invitations and reminders (``invitations``) and the settings built from the config.

May import: the modules directly in ``bot/`` (clock, i18n, media, notifications,
process_files, config); and adapters, surveys, storage. Never ``bot.runtime``,
``bot.scheduled`` or ``bot.staff``.
"""

from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import DialogueSettings

__all__ = ["Conversation", "DialogueSettings"]
