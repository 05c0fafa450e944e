"""The dialogue with a citizen, one module per part of the conversation."""

from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import DialogueSettings

__all__ = ["Conversation", "DialogueSettings"]
