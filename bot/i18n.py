"""Citizen-facing language: gettext catalogs (Babel) per UI language, German first.

Every sentence the bot says to a citizen goes through a :class:`Translator`.
Message ids are English; ``de`` and ``en`` catalogs are both complete (the
``en`` one so that wording can change without touching code). Placeholders use
``{name}`` and are filled by ``gettext(msgid, **params)``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["LOCALE_DIR", "UI_LANGUAGES", "Translator", "N_", "catalog_language", "translator", "ui_language"]

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

    @property
    def locale(self) -> str:
        """The Babel locale for numbers and dates in this language (Easy German: ``de``)."""
        return self.language.split("-", 1)[0]

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


def catalog_language(language: str) -> str:
    """The catalog the bot's own sentences in ``language`` come from: its own, its base
    language's (``de-x-simple`` → ``de``), or else the first (German)."""
    base = language.split("-", 1)[0]
    return language if language in UI_LANGUAGES else base if base in UI_LANGUAGES else UI_LANGUAGES[0]


@lru_cache(maxsize=16)
def translator(language: str) -> Translator:
    """The translator for ``language``; Easy German and unknown codes use the closest catalog."""
    return Translator(language, load_messages(catalog_language(language)))


def load_messages(code: str, locale_dir: Path = LOCALE_DIR) -> Translations:
    """The compiled catalog of ``code``: the ``.mo`` file an installed package carries, or the
    ``.po`` source compiled in memory where no up-to-date ``.mo`` is there (a source checkout)."""
    folder = locale_dir / code / "LC_MESSAGES"
    source, compiled = folder / "messages.po", folder / "messages.mo"
    if compiled.exists() and (not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as file:
            return Translations(file, domain="messages")
    if not source.exists():
        # No catalog at all: make the mistake loud instead of speaking English to everyone.
        raise FileNotFoundError(f"no message catalog for {code!r} in {locale_dir} (neither messages.po nor .mo)")
    with source.open("rb") as file:
        catalog = read_po(file, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")
