"""Names of an XLSForm made into ours: question, option and survey ids, and language codes.

XLSForm names are XML names (``Alter_in_Jahren``, ``q1.2``, ``größe``); ours are
stricter (``surveys.loader``: ``[a-z][a-z0-9_]{0,39}`` for questions,
``[a-z0-9_-]{1,40}`` for options, ``[a-z0-9][a-z0-9-]{2,63}`` for the survey).
Each function here returns the id to use and, when it differs from the name,
says so in words for staff.

XLSForm languages are column suffixes: ``label::Deutsch (de)``, ``label::English``,
or none at all (pyxform's ``default``). A code in brackets wins; otherwise the
name is looked up among the language names Babel knows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import cache

from babel import Locale
from babel.localedata import locale_identifiers

__all__ = [
    "DEFAULT_LANGUAGE",
    "language_code",
    "option_id",
    "question_id",
    "survey_id",
]

DEFAULT_LANGUAGE = "default"  # pyxform's key for texts in columns without ``::language``

_QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
_OPTION_ID = re.compile(r"[a-z0-9_-]{1,40}")
_SURVEY_ID = re.compile(r"[a-z0-9][a-z0-9-]{2,63}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")
_CODE_IN_BRACKETS = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)\s*\)\s*$")
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def ascii_words(name: str) -> str:
    """Lowercase ASCII, umlauts spelled out (``Größe`` → ``groesse``), other accents dropped."""
    spelled = unicodedata.normalize("NFC", name.casefold()).translate(_SPELLED_OUT)
    return "".join(c for c in unicodedata.normalize("NFKD", spelled) if c.isascii() and not unicodedata.combining(c))


def question_id(name: str, taken: Collection[str], reserved: Collection[str]) -> tuple[str, str | None]:
    """The question id for the XLSForm name ``name``, and why it differs (None when it doesn't)."""
    base = re.sub(r"[^a-z0-9_]+", "_", ascii_words(name)).strip("_")
    base = re.sub(r"_{2,}", "_", base)
    if not base or not base[0].isalpha():
        base = f"q_{base}".rstrip("_")
    base = base[:40].rstrip("_")
    why = None if base == name else "question ids are a-z, 0-9 and _, starting with a letter"
    if base in reserved:
        base, why = f"{base[:38]}_q", f"'{base}' is a word of the condition language"
    unique = _unique(base, taken, 40, "_")
    if unique != base:
        why = "another question already has that id"
    return unique, why


def option_id(name: str, taken: Collection[str]) -> tuple[str, str | None]:
    """The option id for the XLSForm choice name ``name``, and why it differs."""
    base = re.sub(r"[^a-z0-9_-]+", "_", ascii_words(name)).strip("_")[:40] or "option"
    why = None if base == name else "option ids are a-z, 0-9, _ and -"
    unique = _unique(base, taken, 40, "_")
    if unique != base:
        why = "another option of this question already has that id"
    return unique, why


def survey_id(name: str) -> tuple[str, str | None]:
    """The survey id for the XLSForm ``form_id`` (or file name), and why it differs."""
    base = re.sub(r"[^a-z0-9]+", "-", ascii_words(name)).strip("-")[:64].rstrip("-")
    if len(base) < 3:
        base = f"{base}-umfrage".strip("-")
    why = None if base == name else "survey ids are 3 to 64 of a-z, 0-9 and -"
    return base, why


def _unique(base: str, taken: Collection[str], limit: int, joiner: str) -> str:
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"{joiner}{number}"
        candidate = base[: limit - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def language_code(name: str) -> str | None:
    """The language code of an XLSForm language name, or None when it can't be told.

    ``Deutsch (de)`` → ``de``, ``Leichte Sprache (de-x-simple)`` → ``de-x-simple``,
    ``en`` → ``en``, ``English`` / ``Englisch`` / ``Türkçe`` → ``en`` / ``en`` / ``tr``.
    """
    bracketed = _CODE_IN_BRACKETS.search(name)
    if bracketed:
        code = bracketed.group(1).lower().replace("_", "-")
        return code if _LANGUAGE_CODE.fullmatch(code) else None
    plain = name.strip().lower().replace("_", "-")
    if _LANGUAGE_CODE.fullmatch(plain) and plain.split("-", 1)[0] in _names_in_english_and_german().values():
        return plain
    folded = name.strip().casefold()
    return _names_in_english_and_german().get(folded) or _own_names().get(folded)


@cache
def _names_in_english_and_german() -> dict[str, str]:
    """Language name (casefolded) → code, for the names in English and German."""
    return {
        shown.casefold(): code
        for reader in ("de", "en")
        for code, shown in Locale(reader).languages.items()
        if "_" not in code
    }


@cache
def _own_names() -> dict[str, str]:
    """Each language's name for itself (casefolded) → code: ``türkçe`` → ``tr`` (read only when needed)."""
    names: dict[str, str] = {}
    for identifier in locale_identifiers():
        if "_" not in identifier:
            own = Locale.parse(identifier).languages.get(identifier)
            if own:
                names.setdefault(own.casefold(), identifier)
    return names
