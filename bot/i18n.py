"""Citizen-facing language: gettext catalogs (Babel) per UI language, German first.

Every sentence the bot says to a citizen goes through a :class:`Translator`.
Message ids are English; every language in :data:`LANGUAGE_NAMES` has a complete
catalog (``en`` too, so that wording can change without touching code).
Placeholders use ``{name}`` and are filled by ``gettext(msgid, **params)``; in a
right-to-left language each filled-in value is wrapped in Unicode isolates, so
an idea's reference (I-7KQ2), a number, a date or a web address inside an Arabic
sentence keeps its own left-to-right order.

Easy German, ``de-x-simple``, is a language of its own here; its catalog lives in
the folder ``de@simple`` (the gettext spelling of a variant, which Babel's tools
and the wheel build can parse; ``de-x-simple`` is not a locale Babel knows).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from adapters.render import is_rtl
from surveys.model import SIMPLE_GERMAN

__all__ = [
    "FIRST_STRONG_ISOLATE",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "POP_DIRECTIONAL_ISOLATE",
    "SIMPLE_GERMAN",
    "UI_LANGUAGES",
    "Translator",
    "N_",
    "catalog_folder",
    "catalog_language",
    "is_rtl",
    "isolate",
    "translator",
    "ui_language",
]

LOCALE_DIR = Path(__file__).parent / "locale"

LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    SIMPLE_GERMAN: "Leichte Sprache",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "pl": "Polski",
}
"""Every language the bot speaks, named in itself (the language menu shows these names)."""

UI_LANGUAGES = tuple(LANGUAGE_NAMES)
"""Languages with a complete catalog of the bot's own sentences, German first."""

FIRST_STRONG_ISOLATE = "\u2068"  # FSI: the enclosed text takes the direction of its first letter
POP_DIRECTIONAL_ISOLATE = "\u2069"  # PDI: ends the isolate


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it here."""
    return message


class Translator:
    """The bot's sentences in one language."""

    def __init__(self, language: str, translations: NullTranslations) -> None:
        self.language = language
        self._translations = translations
        self.rtl = is_rtl(language)  # filled-in values are isolated (see _filled)
        self._words: dict[str, tuple[str, ...]] = {}  # by message: a catalog does not change

    @property
    def locale(self) -> str:
        """The Babel locale for numbers and dates in this language (Easy German: ``de``)."""
        return self.language.split("-", 1)[0]

    def gettext(self, message: str, /, **params: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**self._filled(params)) if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(**self._filled({"n": n, **params}))

    def _filled(self, params: dict[str, object]) -> dict[str, object]:
        """The values as they go into the sentence: isolated in a right-to-left language.

        This is the one place where the bot's sentences meet values from elsewhere (ids,
        numbers, dates, titles, web addresses), so it is the one place that isolates them."""
        if not self.rtl:
            return params
        return {name: isolate(str(value)) for name, value in params.items()}

    def words(self, message: str) -> tuple[str, ...]:
        """A catalog entry that lists words separated by ``|`` (e.g. the words for yes)."""
        found = self._words.get(message)
        if found is None:
            found = self._words[message] = tuple(w.strip() for w in self.gettext(message).split("|") if w.strip())
        return found


def catalog_folder(code: str) -> str:
    """The folder under :data:`LOCALE_DIR` that holds the catalog of ``code`` (``de-x-simple`` → ``de@simple``)."""
    return "de@simple" if code == SIMPLE_GERMAN else code


def isolate(text: str) -> str:
    """``text`` as a unit of its own direction inside a sentence of either direction (FSI … PDI)."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}" if text else text


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
    language's (``en-gb`` → ``en``), or else the first (German)."""
    base = language.split("-", 1)[0]
    return language if language in UI_LANGUAGES else base if base in UI_LANGUAGES else UI_LANGUAGES[0]


@lru_cache(maxsize=16)
def translator(language: str) -> Translator:
    """The translator for ``language``; a variant (``en-gb``) and unknown codes use the closest catalog."""
    return Translator(language, load_messages(catalog_language(language)))


def load_messages(code: str, locale_dir: Path = LOCALE_DIR) -> Translations:
    """The compiled catalog of ``code``: the ``.mo`` file an installed package carries, or the
    ``.po`` source compiled in memory where no up-to-date ``.mo`` is there (a source checkout)."""
    folder = locale_dir / catalog_folder(code) / "LC_MESSAGES"
    source, compiled = folder / "messages.po", folder / "messages.mo"
    if compiled.exists() and (not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as file:
            return Translations(file, domain="messages")
    if not source.exists():
        # No catalog at all: make the mistake loud instead of speaking English to everyone.
        raise FileNotFoundError(f"no message catalog for {code!r} in {locale_dir} (neither messages.po nor .mo)")
    with source.open("rb") as file:
        catalog = read_po(file, locale=catalog_folder(code))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")
