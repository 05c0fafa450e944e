"""The message catalogs: every citizen-facing sentence in the code is translated, German first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, UI_LANGUAGES, translator

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "words": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def code_messages() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "surveys"):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_catalog_translates_every_message_in_the_code(language: str) -> None:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=language)
    translated: dict[str, tuple[str, ...]] = {}
    for m in catalog:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        if ids[0] and all(forms) and not m.fuzzy:
            translated[ids[0]] = forms
            if len(ids) > 1:
                assert len(forms) == catalog.num_plurals, (language, ids[0], "one text per plural form")
            for form in forms:  # every form of a plural names {n} and the same placeholders as the msgid
                assert set(PLACEHOLDER.findall(ids[-1])) == set(PLACEHOLDER.findall(form)), (language, ids[0])
    missing = sorted(code_messages() - set(translated))
    assert not missing, f"untranslated in {language} (run 'make catalogs' and translate): {missing}"


def test_german_is_the_default_and_really_german() -> None:
    t = translator("de")
    assert t.gettext("Question {n} of {total}", n=2, total=5) == "Frage 2 von 5"
    assert translator("de-x-simple").gettext("Yes") == "Ja", "Easy German uses the German catalog"
    assert translator("en").gettext("Yes") == "Yes"


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_every_refusal_code_has_its_own_sentence_in_the_catalogs(language: str) -> None:
    from bot.dialogue.questions import refusal_text
    from surveys.answers import Refusal, Rejected

    t = translator(language)
    params = {"min": 1, "max": 3, "length": 70_000, "date": "31.02.2026", "max_mb": 10}
    sentences = {code: refusal_text(t, Rejected(code, params)) for code in Refusal}
    assert all(sentences.values()) and len(set(sentences.values())) == len(Refusal), "one sentence per code"
    assert all("{" not in text for text in sentences.values()), "every placeholder filled"
    if language == "de":
        english = translator("en")
        assert all(text != refusal_text(english, Rejected(code, params)) for code, text in sentences.items())


def test_an_unknown_refusal_code_fails_where_it_is_made() -> None:
    from surveys.answers import Rejected

    with pytest.raises(ValueError):
        Rejected("not_a_code_anyone_words")


def test_help_and_the_command_menu_come_from_one_keyword_table() -> None:
    """Every keyword is explained in "hilfe" or deliberately left out of it; the menu takes the same lines."""
    from bot.dialogue.keywords import KEYWORD_HELP, Keyword, command_menu, help_lines

    assert set(KEYWORD_HELP) == set(Keyword) - {Keyword.SURVEYS}, "surveys is another word for the menu"
    german = help_lines(translator("de"))
    assert any(line.startswith("bezirke –") for line in german) and any(line.startswith("zurück –") for line in german)
    menu = dict(command_menu(["de"])["de"])
    assert "bezirke" in menu and "zurueck" not in menu, "a survey step is no command to start with"
