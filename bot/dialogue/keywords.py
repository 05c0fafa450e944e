"""The citizen keywords (start/menü, hilfe/help, …), recognised in every offered language.

A message is a keyword when its first word is one, in any case, with or
without a leading ``/`` or ``!`` (Telegram's ``/start@BotName`` too). The
words come from the catalogs, so a new UI language brings its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import N_, Translator, translator

__all__ = ["KEYWORD_HELP", "Command", "Keyword", "KeywordHelp", "KeywordTable", "command_menu", "help_lines"]


class Keyword(StrEnum):
    START = "start"
    HELP = "help"
    LANGUAGE = "language"
    SURVEYS = "surveys"
    IDEA = "idea"
    IDEAS = "ideas"
    BACK = "back"
    SKIP = "skip"
    CANCEL = "cancel"
    PRIVACY = "privacy"
    MYDATA = "mydata"
    DELETE = "delete"
    STOP = "stop"
    TOPICS = "topics"
    DISTRICTS = "districts"
    EVENTS = "events"


# The English words are the message ids; each catalog lists its words, separated by "|".
_WORDS: dict[Keyword, str] = {
    Keyword.START: N_("start|menu"),
    Keyword.HELP: N_("help"),
    Keyword.LANGUAGE: N_("language"),
    Keyword.SURVEYS: N_("surveys"),
    Keyword.IDEA: N_("idea"),
    Keyword.IDEAS: N_("ideas"),
    Keyword.BACK: N_("back"),
    Keyword.SKIP: N_("skip"),
    Keyword.CANCEL: N_("cancel"),
    Keyword.PRIVACY: N_("privacy"),
    Keyword.MYDATA: N_("mydata"),
    Keyword.DELETE: N_("delete"),
    Keyword.STOP: N_("stop"),
    Keyword.TOPICS: N_("topics"),
    Keyword.DISTRICTS: N_("districts"),
    Keyword.EVENTS: N_("events"),
}


_TAKES_ARGUMENT = frozenset({Keyword.START, Keyword.LANGUAGE})


@dataclass(frozen=True)
class Command:
    keyword: Keyword
    argument: str  # the rest of the message ("start radverkehr" → "radverkehr")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def folds(word: str) -> tuple[str, str]:
    """Two case-insensitive forms, so ``Zurück``, ``zuruck`` and ``zurueck`` all match:
    accents dropped, and umlauts spelled out."""
    if word.isascii():  # nothing to compose, drop or spell out: what ``_folds_fully`` then gives (tested)
        lowered = word.casefold()
        return lowered, lowered
    return _folds_fully(word)


def _folds_fully(word: str) -> tuple[str, str]:
    lowered = unicodedata.normalize("NFC", word.casefold())
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain, lowered.translate(_UMLAUTS)


class KeywordTable:
    def __init__(self, languages: Iterable[str]) -> None:
        self._words: dict[str, Keyword] = {}
        for language in ("en", *languages):
            t = translator(language)
            for keyword, msgid in _WORDS.items():
                for word in (*t.words(msgid), *msgid.split("|")):
                    for form in folds(word):
                        self._words.setdefault(form, keyword)

    def parse(self, text: str) -> Command | None:
        """The keyword a message means, or None when it is an ordinary message.

        A keyword stands alone ("Hilfe", "/hilfe"); only ``start`` and
        ``sprache`` take one more word ("start radverkehr", "sprache en"). So a
        free-text answer that merely begins with a keyword ("Hilfe für Mieter …")
        stays an answer.
        """
        stripped = text.strip()
        if not stripped or len(stripped) > 200:
            return None
        head, _, rest = stripped.partition(" ")
        rest = rest.strip()
        head = head.lstrip("/!").split("@", 1)[0].rstrip(".!?")
        keyword = next((self._words[f] for f in folds(head) if f in self._words), None)
        if keyword is None:
            return None
        if rest and (keyword not in _TAKES_ARGUMENT or " " in rest):
            return None
        return Command(keyword, rest)

    def first_word(self, keyword: Keyword, language: str) -> str:
        """The word to tell a citizen to type, in their language."""
        return translator(language).words(_WORDS[keyword])[0]


@dataclass(frozen=True)
class KeywordHelp:
    """One line of the keyword help: its sentence, and where it is shown."""

    line: str  # an English msgid, "word – what it does"; the catalogs give each language's
    in_help: bool = True  # listed by "hilfe"
    in_menu: bool = True  # offered in a messenger's command menu (Telegram's setMyCommands)


# The one table of keyword help, in the order citizens read it: "hilfe" and the command
# menu are both made from it, so they can't drift apart.
KEYWORD_HELP: dict[Keyword, KeywordHelp] = {
    Keyword.START: KeywordHelp(N_("menu – the open surveys")),
    Keyword.IDEA: KeywordHelp(N_("idea – hand in an idea")),
    Keyword.IDEAS: KeywordHelp(N_("ideas – see and support the ideas of others")),
    Keyword.BACK: KeywordHelp(N_("back – change your previous answer"), in_menu=False),
    Keyword.SKIP: KeywordHelp(N_("skip – leave out a question that is optional"), in_menu=False),
    Keyword.CANCEL: KeywordHelp(N_("cancel – pause the survey; 'menu' continues it later"), in_menu=False),
    Keyword.HELP: KeywordHelp(N_("help – what you can type"), in_help=False),
    Keyword.LANGUAGE: KeywordHelp(N_("language – choose another language")),
    Keyword.PRIVACY: KeywordHelp(N_("privacy – how your data is handled")),
    Keyword.MYDATA: KeywordHelp(N_("mydata – get everything stored about you")),
    Keyword.DELETE: KeywordHelp(N_("delete – delete everything stored about you")),
    Keyword.TOPICS: KeywordHelp(N_("topics – choose topics to hear about")),
    Keyword.DISTRICTS: KeywordHelp(N_("districts – choose districts to hear about")),
    Keyword.EVENTS: KeywordHelp(N_("events – upcoming events on site")),
    Keyword.STOP: KeywordHelp(N_("stop – no more invitations or reminders")),
}


def help_lines(t: Translator) -> list[str]:
    """What "hilfe" lists, in the translator's language."""
    return [t.gettext(entry.line) for entry in KEYWORD_HELP.values() if entry.in_help]


def command_menu(languages: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Per language, the (command, description) pairs a messenger lists in its command menu.

    Commands must be plain ASCII words, so the catalog's first word is folded
    (German ``menü`` → ``menue``, Turkish ``menü`` → ``menu``); where it can't be
    (``yardım``, ``مساعدة``), the language's first word that can (``yardim``), else
    the English one (``help``), which works in every language."""
    menu: dict[str, list[tuple[str, str]]] = {}
    for language in languages:
        t = translator(language)
        entries = []
        for keyword, entry in KEYWORD_HELP.items():
            if not entry.in_menu:
                continue
            words = (*t.words(_WORDS[keyword]), *_WORDS[keyword].split("|"))
            german = t.locale == "de"  # German spells umlauts out (menue); others drop accents (menu)
            forms = (form for word in words for form in (reversed(folds(word)) if german else folds(word)))
            typable = (form for form in forms if form.isascii() and form.isalpha())
            description = t.gettext(entry.line).split("–", 1)[-1].strip()
            entries.append((next(typable), description))
        menu[language] = entries
    return menu
