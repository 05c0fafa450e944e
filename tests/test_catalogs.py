"""The message catalogs: every citizen-facing sentence in the code is translated, in every language.

Each catalog is complete, keeps every placeholder of its message id, and has
the plural forms of its language (Babel's CLDR rules: Arabic six, Ukrainian
and Polish three); the translations are not copies of the English ids.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, UI_LANGUAGES, catalog_folder, translator

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "words": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def code_messages() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "surveys"):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def read_catalog(language: str) -> Catalog:
    folder = catalog_folder(language)
    with open(LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=folder)


def test_every_catalog_on_disk_is_a_ui_language() -> None:
    """A catalog folder nobody offers is dead weight; an offered language without one can't speak."""
    on_disk = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == {catalog_folder(code) for code in UI_LANGUAGES}


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_catalog_translates_every_message_in_the_code(language: str) -> None:
    catalog = read_catalog(language)
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
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog.obsolete.values())
    assert not stale, f"obsolete entries in {language}: {stale}"


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_plural_forms_are_the_languages_own(language: str) -> None:
    """The header's rule is CLDR's (via Babel), and every plural entry has one text per form."""
    catalog = read_catalog(language)
    rule = get_plural(catalog_folder(language))
    assert (catalog.num_plurals, catalog.plural_expr) == (rule.num_plurals, rule.plural_expr), language
    expected = {"ar": 6, "uk": 3, "pl": 3, "tr": 2, "de": 2, "en": 2, "de-x-simple": 2}[language]
    assert catalog.num_plurals == expected
    plurals = [m for m in catalog if isinstance(m.id, tuple)]
    assert plurals, "the code has plural messages"
    for m in plurals:
        assert len(m.string) == expected and all(form.strip() for form in m.string), (language, m.id[0])


@pytest.mark.parametrize("language", [code for code in UI_LANGUAGES if code != "en"])
def test_a_translation_is_no_copy_of_the_english_id(language: str) -> None:
    """Except for words that are the same everywhere (JSON, a status code), a catalog says things its own way;
    Easy German is written fresh, not the German sentences shortened."""
    catalog = read_catalog(language)
    entries = [m for m in catalog if m.id and isinstance(m.id, str) and " " in m.id]
    same = [m.id for m in entries if m.string == m.id and not m.id.startswith("mod ")]
    assert len(same) <= 2, (language, same)
    if language == "de-x-simple":
        german = read_catalog("de")
        alike = [m.id for m in entries if german[m.id] is not None and german[m.id].string == m.string]
        assert len(alike) < len(entries) // 4, f"too much of Easy German is the standard German text: {alike}"


def test_german_is_the_default_and_really_german() -> None:
    t = translator("de")
    assert t.gettext("Question {n} of {total}", n=2, total=5) == "Frage 2 von 5"
    assert translator("en").gettext("Yes") == "Yes"
    assert translator("de-at").gettext("Yes") == "Ja", "a variant uses its language's catalog"


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_each_language_names_itself_when_chosen(language: str) -> None:
    from bot.i18n import LANGUAGE_NAMES

    assert set(LANGUAGE_NAMES) == set(UI_LANGUAGES)
    said = translator(language).gettext("I will now write in English.")
    assert (
        said
        == {
            "de": "Ich schreibe ab jetzt auf Deutsch.",
            "en": "I will now write in English.",
            "de-x-simple": "Ich schreibe jetzt in Leichter Sprache.",
            "tr": "Bundan sonra Türkçe yazıyorum.",
            "ar": "سأكتب من الآن بالعربية.",
            "uk": "Тепер я пишу українською.",
            "pl": "Od teraz piszę po polsku.",
        }[language]
    )


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
