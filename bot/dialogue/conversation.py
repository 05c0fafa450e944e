"""The conversation: what the bot answers to one message, by routing it to a part of the dialogue.

The parts (``part.py`` says what a part is) are registered in ``PARTS``, in the
order they are asked. A message is routed so:

1. from a chat that is not private: a note, nothing else;
2. an encrypted message without its key: "please send it again";
3. first contact, or no (current) consent yet: ``ConsentPart`` alone;
4. after consent: every part's ``intercept`` (a pending "really delete?", staff
   commands); then a keyword, to the parts that declare it, the first that takes
   it; then every part's ``route`` in order — the menu, last, takes whatever is left.

Adding a part: write a ``Part`` subclass in a module of its own, declare its
keywords, contexts and awaiting states, and add it to ``PARTS`` where its turn
to look at a message comes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from adapters.base import Inbound, Reply
from bot.dialogue.consent import ConsentPart
from bot.dialogue.events import EventsPart
from bot.dialogue.ideas import IdeasPart
from bot.dialogue.keywords import Command
from bot.dialogue.language import LanguagePart
from bot.dialogue.menu import MenuPart
from bot.dialogue.own_data import OwnDataPart
from bot.dialogue.part import Handoffs, Part
from bot.dialogue.staff import StaffPart
from bot.dialogue.subscriptions import FollowPart
from bot.dialogue.survey_steps import SurveyPart
from bot.dialogue.turn import DialogueSettings, Turn
from bot.process_files import Catalog
from storage.contract import Transaction
from surveys.answers import PhotoRef
from surveys.text_input import clip_inbound, normalize_text

__all__ = ["PARTS", "Conversation", "handoff_providers"]

log = logging.getLogger(__name__)

PARTS: tuple[type[Part], ...] = (
    OwnDataPart,  # intercepts the answer to "really delete everything?"
    StaffPart,  # intercepts staff commands
    ConsentPart,
    LanguagePart,
    FollowPart,
    EventsPart,
    SurveyPart,  # routes every message while a survey is open
    IdeasPart,
    MenuPart,  # routes whatever is left
)
"""The parts of the dialogue, in the order they look at a message."""


@cache
def handoff_providers(parts: tuple[type[Part], ...]) -> dict[str, type[Part]]:
    """Which of ``parts`` provides each call of ``Handoffs``: exactly one, else a TypeError."""
    names = [name for name, value in vars(Handoffs).items() if callable(value) and not name.startswith("_")]
    found: dict[str, type[Part]] = {}
    for name in names:
        providers = [part for part in parts if callable(getattr(part, name, None))]
        if len(providers) != 1:
            raise TypeError(f"Handoffs.{name} must be provided by exactly one part, not {providers}")
        found[name] = providers[0]
    return found


handoff_providers(PARTS)  # a registry that misses or doubles a handoff fails at import


class _Others:
    """The ``Handoffs`` of one turn: each call goes to the part that provides it."""

    def __init__(self, parts: dict[type[Part], Part], providers: dict[str, type[Part]]) -> None:
        self._parts = parts
        self._providers = providers

    def __getattr__(self, name: str) -> Any:
        if name not in self._providers:
            raise AttributeError(f"Handoffs has no call {name!r}")
        return getattr(self._parts[self._providers[name]], name)


class Conversation:
    """One inbound event's dialogue: the turn, and the parts made for it (``PARTS``, unless a
    test registers others)."""

    def __init__(
        self,
        tx: Transaction,
        inbound: Inbound,
        now: dt.datetime,
        catalog: Catalog,
        settings: DialogueSettings,
        *,
        photo: PhotoRef | None = None,
        read_photo: Callable[[str], bytes | None] | None = None,
        parts: tuple[type[Part], ...] | None = None,
    ) -> None:
        self.turn = Turn(tx, inbound, now, catalog, settings, photo=photo)
        if read_photo is not None:
            self.turn.read_photo = read_photo
        made: dict[type[Part], Part] = {}
        parts = PARTS if parts is None else parts
        self.others = cast(Handoffs, _Others(made, handoff_providers(parts)))
        for part in parts:
            made[part] = part(self.turn, self.others)
        self.parts = tuple(made.values())
        self.consent = cast(ConsentPart, made[ConsentPart])

    def run(self) -> list[Reply]:
        turn = self.turn
        if not turn.inbound.private:
            turn.say(turn.t_default().gettext("I only talk in private chats. Please write to me directly."))
            return turn.replies
        participant = turn.tx.find_participant(turn.inbound.channel, turn.inbound.sender)
        turn.participant = participant
        if participant is None and (visitor := turn.tx.find_visitor(turn.inbound.channel, turn.inbound.sender)):
            turn.meet_visitor(visitor.language, visitor.state)
        if turn.inbound.unreadable:
            self.unreadable()
            return turn.replies
        text = normalize_text(clip_inbound(turn.inbound.text)) if turn.inbound.text else ""
        if turn.participant is None:
            self.consent.first_contact(text)
            return turn.replies
        if turn.visitor:
            self.consent.before_consent(text)
            return turn.replies
        assert participant is not None
        if turn.inbound.choice is not None and not self.from_own_chat():
            # A button's message lives in the chat it was sent to: a press from elsewhere is forged
            log.info("a button press from a chat other than the participant's own was refused")
            turn.say(turn.t.gettext("That button is no longer valid."))
            return turn.replies
        if participant.address != turn.inbound.address or not participant.contact_active:
            turn.tx.set_address(participant.id, turn.inbound.channel, turn.inbound.address)
        if participant.consent_at is None or participant.state.get("consent_version") != turn.settings.consent_version:
            # never agreed, or agreed to an earlier privacy notice: ask (again) before anything else
            self.consent.before_consent(text)
        else:
            self.consented(text)
        return turn.replies

    def from_own_chat(self) -> bool:
        """Whether the message came from the chat the participant is known by on this channel."""
        turn = self.turn
        assert turn.participant is not None
        known = turn.participant.address  # the contact on this channel it was found by
        return known is None or turn.inbound.address == known

    def unreadable(self) -> None:
        """A message that arrived encrypted without its key: say so, and ask the open question again."""
        turn = self.turn
        participant = turn.participant
        t = turn.t if participant is not None else turn.t_default()
        turn.say(
            t.gettext(
                "I could not read your last message: the key to decrypt it did not reach me. Please send it again."
            )
        )
        if participant is not None and participant.consent_at is not None and turn.state.get("process"):
            self.others.resume_hint()

    def consented(self, text: str) -> None:
        """Intercepts, then a keyword, then each part's route, in the order of ``PARTS``."""
        command = self.turn.settings.keywords.parse(text) if text else None
        if any(part.intercept(text) for part in self.parts):
            return
        if command is not None:
            self.keyword(command)
            return
        for part in self.parts:
            if part.route(text):
                return

    def keyword(self, command: Command) -> None:
        for part in self.parts:
            if command.keyword in part.keywords and part.keyword(command):
                return
        self.turn.say(self.turn.t.gettext("There is no survey running that this would apply to."))
        self.others.menu()
