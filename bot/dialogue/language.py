"""The language choice: ``sprache``, its menu, and a language typed by name or number."""

from __future__ import annotations

from bot.dialogue.keywords import Command, Keyword, folds
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import LANGUAGE, Awaiting
from bot.i18n import LANGUAGE_NAMES

__all__ = ["LanguagePart"]

# Besides each language's own name (LANGUAGE_NAMES), its names in German and English, typed
# in the language menu ("türkisch", "arabic"); matched without case and accents.
_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "de": ("german", "deutsch"),
    "en": ("englisch", "english"),
    "de-x-simple": ("easy german", "einfache sprache", "leichte sprache", "leicht"),
    "tr": ("türkisch", "turkish", "turkce"),
    "ar": ("arabisch", "arabic", "عربي", "عربى"),
    "uk": ("ukrainisch", "ukrainian", "украинский", "українська мова"),
    "pl": ("polnisch", "polish", "polski", "polska"),
}


def _language_by_name(typed: str) -> str | None:
    """The language a typed name means (its own name, or its German or English name)."""
    wanted = set(folds(typed.strip()))
    for code, own in LANGUAGE_NAMES.items():
        if any(set(folds(name)) & wanted for name in (own, code, *_OTHER_NAMES.get(code, ()))):
            return code
    return None


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
        options = tuple(
            self.turn.option(LANGUAGE, str(i), LANGUAGE_NAMES.get(code, code), i)
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
            code = _language_by_name(text)
            code = code if code in languages else None
        if code is None:
            return False
        self.turn.set_language(code)
        self.turn.save_state(awaiting=None)
        self.turn.say(self.turn.t.gettext("I will now write in English."))
        return True
