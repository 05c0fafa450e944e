"""The language choice: ``sprache``, its menu, and a language typed by name or number."""

from __future__ import annotations

from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import LANGUAGE, Awaiting

__all__ = ["LanguagePart"]


class LanguagePart(Part):
    """The language menu and the choice from it."""

    keywords = frozenset({Keyword.LANGUAGE})
    contexts = frozenset({LANGUAGE})
    awaiting = frozenset({Awaiting.LANGUAGE})

    def keyword(self, command: Command) -> bool:
        self.language_menu(command.argument)
        return True

    def route(self, text: str) -> bool:
        if self.turn.awaiting is Awaiting.LANGUAGE and self.choose_language(text):
            self.others.resume_or_menu(welcome=False)  # the same question in the new language, no "welcome back"
            return True
        return False

    def language_menu(self, argument: str) -> None:
        if argument and self.choose_language(argument):
            self.others.resume_or_menu(
                welcome=False
            ) if self.turn.participant and self.turn.participant.consent_at else self.others.ask_consent()
            return
        names = {"de": "Deutsch", "en": "English", "de-x-simple": "Leichte Sprache"}
        options = tuple(
            self.turn.option(LANGUAGE, str(i), names.get(code, code), i)
            for i, code in enumerate(self.turn.settings.languages, 1)
        )
        self.turn.save_state(awaiting=Awaiting.LANGUAGE)
        self.turn.say(self.turn.t.gettext("Which language would you like?"), options=options)

    def choose_language(self, text: str) -> bool:
        pressed = self.turn.pressed()
        code: str | None = None
        languages = self.turn.settings.languages
        if isinstance(pressed, Payload) and pressed.context == LANGUAGE and pressed.value.isdigit():
            index = int(pressed.value) - 1
            code = languages[index] if 0 <= index < len(languages) else None
        elif text.strip().isdigit() and 0 < int(text.strip()) <= len(languages):
            code = languages[int(text.strip()) - 1]
        else:
            names = {"deutsch": "de", "german": "de", "english": "en", "englisch": "en"}
            wanted = text.strip().casefold()
            code = wanted if wanted in languages else names.get(wanted)
            code = code if code in languages else None
        if code is None:
            return False
        self.turn.set_language(code)
        self.turn.save_state(awaiting=None)
        self.turn.say(self.turn.t.gettext("I will now write in English."))
        return True
