"""Citizen-facing language: gettext catalogs (Babel) per UI language, German first.

Every sentence the bot says to a citizen goes through a :class:`Translator`.
Message ids are English; ``de`` and ``en`` catalogs are both complete (the
``en`` one so that wording can change without touching code). Placeholders use
``{name}`` and are filled by ``gettext(msgid, **params)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

__all__ = ["LOCALE_DIR", "UI_LANGUAGES", "Translator", "N_", "translator", "ui_language"]

LOCALE_DIR = Path(__file__).parent / "locale"
UI_LANGUAGES = ("de", "en")
"""Languages with a complete catalog. Easy German (``de-x-simple``) uses ``de`` for the
bot's own sentences and the process file's Easy German texts where it has them."""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it here."""
    return message


class Translator:
    """The bot's sentences in one language."""

    def __init__(self, language: str, translations: NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def gettext(self, message: str, /, **params: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def words(self, message: str) -> tuple[str, ...]:
        """A catalog entry that lists words separated by ``|`` (e.g. the words for yes)."""
        return tuple(w.strip() for w in self.gettext(message).split("|") if w.strip())


def ui_language(wanted: str | None, offered: Iterable[str]) -> str | None:
    """The offered language that best matches what a messenger reports (``de-AT`` → ``de``)."""
    if not wanted:
        return None
    offered = tuple(offered)
    wanted = wanted.lower()
    if wanted in offered:
        return wanted
    base = wanted.split("-", 1)[0].split("_", 1)[0]
    return base if base in offered else None


@lru_cache(maxsize=16)
def translator(language: str) -> Translator:
    """The translator for ``language``; Easy German and unknown codes use the closest catalog."""
    base = language.split("-", 1)[0]
    code = language if language in UI_LANGUAGES else base if base in UI_LANGUAGES else UI_LANGUAGES[0]
    translations = Translations.load(str(LOCALE_DIR), [code], domain="messages")
    if not isinstance(translations, Translations):
        # Missing compiled catalog: make the mistake loud instead of speaking English to everyone.
        raise FileNotFoundError(
            f"no compiled catalog for {code!r} in {LOCALE_DIR}; run 'make test' or "
            "'pybabel compile -d bot/locale -D messages'"
        )
    return Translator(language, translations)

