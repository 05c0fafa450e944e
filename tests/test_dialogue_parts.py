"""The dialogue is composed of registered parts: what each declares holds together, every
cross-part call has one provider, and a new part is added by registering it alone."""

from __future__ import annotations

import pytest

from bot.dialogue import conversation
from bot.dialogue.conversation import PARTS, handoff_providers
from bot.dialogue.follow_contexts import DISTRICT, EVENT, FOLLOW_DONE, INVITE, TOPIC
from bot.dialogue.ideas import IDEA
from bot.dialogue.keywords import Keyword
from bot.dialogue.menu import MenuPart
from bot.dialogue.part import Part
from bot.dialogue.turn import CONSENT, ERASE, LANGUAGE, MENU, Awaiting
from tests.harness import Citizen

FIXED_CONTEXTS = (CONSENT, MENU, LANGUAGE, ERASE, IDEA, INVITE, TOPIC, DISTRICT, EVENT, FOLLOW_DONE)


def test_every_keyword_is_answered_by_a_registered_part() -> None:
    claimed = {keyword for part in PARTS for keyword in part.keywords}
    assert claimed == set(Keyword)


def test_every_awaiting_state_and_button_context_has_exactly_one_owner() -> None:
    for state in Awaiting:
        owners = [part.__name__ for part in PARTS if state in part.awaiting]
        assert len(owners) == 1, (state, owners)
    assert len(set(FIXED_CONTEXTS)) == len(FIXED_CONTEXTS), "two kinds of buttons share a context letter"
    for context in FIXED_CONTEXTS:
        owners = [part.__name__ for part in PARTS if context in part.contexts]
        assert len(owners) == 1, (context, owners)


def test_each_handoff_has_one_provider_and_a_registry_without_it_is_refused() -> None:
    providers = handoff_providers(PARTS)
    assert providers["menu"] is MenuPart and providers["open_process"] is MenuPart
    assert set(providers.values()) <= set(PARTS)
    with pytest.raises(TypeError, match="Handoffs.menu"):
        handoff_providers(tuple(part for part in PARTS if part is not MenuPart))


class WeatherPart(Part):
    """A part a test adds: it answers "wetter" and hands back to the menu."""

    def route(self, text: str) -> bool:
        if text.casefold() != "wetter":
            return False
        self.turn.say("Sonnig.")
        self.others.menu()
        return True


def test_a_new_part_is_added_by_registering_it(consented: Citizen, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Sonnig" not in consented.say("wetter")
    registered = (*PARTS[:-1], WeatherPart, PARTS[-1])  # before the menu, which takes what is left
    monkeypatch.setattr(conversation, "PARTS", registered)
    reply = consented.say("wetter")
    assert reply.startswith("Sonnig.") and "Wobei möchten Sie mitmachen?" in reply
    assert "Das habe ich nicht verstanden" in consented.say("regen"), "what the new part leaves goes on as before"
