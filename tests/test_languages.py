"""The languages the bot speaks, beyond a complete catalog (tests/test_catalogs.py checks that).

- keywords: every offered language's keywords are recognised at once, so no word may mean
  two keywords, nor a keyword and a common answer (yes, no, today, a number);
- sentences name the keywords of their own language;
- right to left: Arabic sentences isolate the values they carry, and numbered options in a
  right-to-left reply isolate their labels;
- Leichte Sprache: a small lint over the ``de-x-simple`` catalog.
"""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from adapters.base import Option, Reply
from adapters.render import is_right_to_left, render_plain
from bot.dialogue.keywords import (
    _WORDS,
    KEYWORD_HELP,
    Keyword,
    KeywordTable,
    _folds_fully,
    command_menu,
    folds,
    help_lines,
)
from bot.i18n import (
    FIRST_STRONG_ISOLATE,
    LANGUAGE_NAMES,
    LOCALE_DIR,
    POP_DIRECTIONAL_ISOLATE,
    UI_LANGUAGES,
    catalog_folder,
    is_rtl,
    translator,
)

# Words typed with a reference ("melden I-7KQ2"): they are parsed before the keywords, so they
# must not collide with them either.
REF_VERBS = {"report": "report|flag", "support": "support", "withdraw": "withdraw"}
ANSWER_WORDS = ("yes|y|ok|agree", "no|n", "today", "tomorrow", "other|something else")
WORD_LISTS = frozenset({*_WORDS.values(), *REF_VERBS.values(), *ANSWER_WORDS})


def words_of(language: str, msgid: str) -> tuple[str, ...]:
    return (*translator(language).words(msgid), *msgid.split("|"))


def keyword_forms() -> dict[str, set[str]]:
    """Every folded keyword form of every UI language → the keywords (and verbs) it stands for."""
    meaning: dict[str, set[str]] = {}
    entries = {**{k.value: m for k, m in _WORDS.items()}, **{f"verb:{v}": m for v, m in REF_VERBS.items()}}
    for language in UI_LANGUAGES:
        for name, msgid in entries.items():
            for word in words_of(language, msgid):
                for form in folds(word):
                    meaning.setdefault(form, set()).add(name)
    return meaning


def test_no_keyword_of_any_language_means_two_things() -> None:
    twins = {form: sorted(names) for form, names in keyword_forms().items() if len(names) > 1}
    assert not twins, f"one word, several keywords (across {', '.join(UI_LANGUAGES)}): {twins}"


def test_no_keyword_is_a_common_answer_in_any_language() -> None:
    """A citizen answering "tak", "evet", "نعم", "2" or "b" must never trigger a keyword."""
    answers: dict[str, str] = {}
    for language in UI_LANGUAGES:
        for msgid in ANSWER_WORDS:
            for word in words_of(language, msgid):
                for form in folds(word):
                    answers[form] = f"{language}: {msgid}"
    keywords = keyword_forms()
    clashes = {form: answers[form] for form in keywords if form in answers}
    assert not clashes, f"keywords that are also answers: {clashes}"
    option_like = [f for f in keywords if len(f) < 2 or f.isdigit() or f in string.ascii_lowercase]
    assert not option_like, f"keywords a citizen may type as an option: {option_like}"


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_each_language_has_its_keywords_and_they_work_everywhere(language: str) -> None:
    table = KeywordTable(UI_LANGUAGES)
    for keyword, msgid in _WORDS.items():
        words = translator(language).words(msgid)
        assert words, (language, keyword)
        for word in words:
            command = table.parse(word.upper() if language != "ar" else word)
            assert command is not None and command.keyword is keyword, (language, word)
        assert table.first_word(keyword, language) == words[0]
    # a keyword of another language is understood too: a Polish speaker who set Turkish still gets help
    assert table.parse("pomoc") == table.parse("yardim") == table.parse("مساعدة") == table.parse("hilfe")


def test_an_ascii_word_folds_as_the_full_folding_folds_it() -> None:
    """``folds`` takes a shortcut for ASCII words; it must give what the full folding gives."""
    for word in (*string.printable, "\x00\x7f", "Antwort", "ZURUECK", "/Hilfe@bot", "MENU!", "I"):
        assert word.isascii()
        assert folds(word) == _folds_fully(word), word
    assert folds("Zurück") == _folds_fully("Zurück") == ("zuruck", "zurueck")


def test_keywords_typed_without_special_letters_work() -> None:
    """Phone keyboards lack letters: Turkish without ı/ş/ç, Polish without ogonki, German without umlauts."""
    table = KeywordTable(UI_LANGUAGES)
    typed = {
        "yardim": Keyword.HELP,
        "ilceler": Keyword.DISTRICTS,
        "vazgec": Keyword.CANCEL,
        "basla": Keyword.START,
        "jezyk": Keyword.LANGUAGE,
        "pomysl": Keyword.IDEA,
        "pomin": Keyword.SKIP,
        "usun": Keyword.DELETE,
        "prywatnosc": Keyword.PRIVACY,
        "zurueck": Keyword.BACK,
        "loeschen": Keyword.DELETE,
        "الغاء": Keyword.CANCEL,  # إلغاء without its hamza
        "افكار": Keyword.IDEAS,
    }
    for word, keyword in typed.items():
        command = table.parse(word)
        assert command is not None and command.keyword is keyword, word


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_help_lines_start_with_the_word_to_type(language: str) -> None:
    t = translator(language)
    lines = help_lines(t)
    shown = [keyword for keyword, entry in KEYWORD_HELP.items() if entry.in_help]
    for keyword, line in zip(shown, lines, strict=True):
        assert line.split(" – ", 1)[0] in t.words(_WORDS[keyword]), (language, line)


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_sentences_name_the_keywords_of_their_own_language(language: str) -> None:
    """'Type 'back' to …' says the language's own word for back, never the English one."""
    entries = {**{k.value: m for k, m in _WORDS.items()}, "menu": "start|menu", "report": "report|flag"}
    entries |= {"today": "today", "tomorrow": "tomorrow"}
    folder = catalog_folder(language)
    with open(LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=folder)
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        for quoted in re.findall(r"'([a-z]+)(?: \{ref\})?'", message.id):
            if quoted not in entries:
                continue
            text = folds(message.string)[0]
            words = words_of(language, entries[quoted])
            assert any(folds(word)[0] in text for word in words), (language, message.id, quoted)


def test_the_command_menu_is_ascii_in_every_language() -> None:
    """Telegram takes commands of a-z only: an Arabic or Ukrainian menu uses the English words."""
    menu = command_menu(UI_LANGUAGES)
    for language, entries in menu.items():
        assert len(entries) == sum(1 for e in KEYWORD_HELP.values() if e.in_menu), language
        assert all(word.isascii() and word.isalpha() for word, _ in entries), (language, entries)
    assert dict(menu["tr"])["yardim"].startswith("neler") and "menu" in dict(menu["tr"])
    assert "menue" in dict(menu["de"]) and "loeschen" in dict(menu["de"])
    assert "help" in dict(menu["ar"]) and "help" in dict(menu["uk"])
    assert "pomoc" in dict(menu["pl"]) and "jezyk" in dict(menu["pl"])


# --- names and right to left -----------------------------------------------------------


def test_every_language_is_named_in_itself() -> None:
    assert LANGUAGE_NAMES == {
        "de": "Deutsch",
        "en": "English",
        "de-x-simple": "Leichte Sprache",
        "tr": "Türkçe",
        "ar": "العربية",
        "uk": "Українська",
        "pl": "Polski",
    }


def test_only_arabic_of_the_ui_languages_is_right_to_left() -> None:
    assert [code for code in UI_LANGUAGES if is_rtl(code)] == ["ar"]
    assert is_rtl("he") and is_rtl("fa") and is_rtl("ar-eg")
    assert not is_rtl("de-x-simple") and not is_rtl("xx-unknown")


def _catalog_ids(language: str) -> list[str]:
    folder = catalog_folder(language)
    with open(LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return [m.id for m in read_po(handle, locale=folder) if isinstance(m.id, str) and m.id]


def test_arabic_sentences_isolate_the_values_they_carry() -> None:
    t = translator("ar")
    said = t.gettext("Thank you! Your idea has been handed in. Its reference is {ref}.", ref="I-7KQ2")
    assert f"{FIRST_STRONG_ISOLATE}I-7KQ2{POP_DIRECTIONAL_ISOLATE}" in said
    question = t.gettext("Question {n} of {total}", n=2, total=5)
    assert question == f"السؤال {FIRST_STRONG_ISOLATE}2{POP_DIRECTIONAL_ISOLATE} من {FIRST_STRONG_ISOLATE}5\u2069"
    plural = t.ngettext("Choose at most {n}: type the number in one message.", "…", 2)
    assert f"{FIRST_STRONG_ISOLATE}2{POP_DIRECTIONAL_ISOLATE}" in plural
    privacy = next(msgid for msgid in _catalog_ids("ar") if msgid.startswith("Privacy: "))
    url = t.gettext(privacy, url="https://example.org/datenschutz")
    assert url.endswith(f"{FIRST_STRONG_ISOLATE}https://example.org/datenschutz{POP_DIRECTIONAL_ISOLATE}")
    german = translator("de").gettext("Question {n} of {total}", n=2, total=5)
    assert german == "Frage 2 von 5", "left-to-right languages get no invisible characters"


def test_numbered_options_in_a_right_to_left_reply_are_isolated() -> None:
    options = (Option("a", "5 km", 1), Option("b", "Radweg", 2), Option("c", "نعم", 3))
    arabic = render_plain(Reply("كم مرة؟", options=options))
    assert arabic.splitlines()[2:] == ["1 – \u20685 km\u2069", "2 – \u2068Radweg\u2069", "3 – \u2068نعم\u2069"]
    german = render_plain(Reply("Wie oft?", options=options))
    assert german.splitlines()[2:] == ["1 – 5 km", "2 – Radweg", "3 – نعم"]
    # the direction is the first letter outside isolates, as messengers and browsers decide it (Unicode P2)
    assert is_right_to_left("\u2068Radverkehr\u2069 (تم)") and not is_right_to_left("\u2068مرحبا\u2069 ok")


# --- Leichte Sprache --------------------------------------------------------------------
#
# A small lint, not a full check: it keeps what a careful writer did from sliding back.
# The rules (after the Netzwerk Leichte Sprache's rules and DIN SPEC 33429):
#   1. at most MAX_WORDS words in a sentence (a placeholder is one word);
#   2. no semicolon, no abbreviation such as "z. B." or "bzw.";
#   3. no passive with werden ("wird gespeichert", "wurde gelöscht"): say who does it;
#   4. no genitive: "des", "eines", "dessen", "deren", "wegen", "trotz";
#   5. no word from HARD_WORDS: use the plain word of the glossary (bot/locale/GLOSSARY.md);
#   6. negation only where it can't be avoided: at most NEGATION_BUDGET entries carry one.
#      Lower the budget when you remove one; raising it needs a reason in the commit.

MAX_WORDS = 15
NEGATION_BUDGET = 27
PASSIVE = re.compile(r"\b(wird|werden|wurde|wurden|worden)\b", re.IGNORECASE)
GENITIVE = re.compile(r"\b(des|eines|dessen|deren|wegen|trotz|mittels|bezüglich)\b", re.IGNORECASE)
ABBREVIATIONS = re.compile(r"\b(z\. ?B\.|bzw\.|u\. ?a\.|ggf\.|evtl\.|usw\.|d\. ?h\.)")
NEGATION = re.compile(r"\b(nicht|nichts|kein|keine|keinen|keinem|keiner|nie|niemals|niemand|niemandem)\b", re.I)
HARD_WORDS = (
    "Einwilligung",
    "Pseudonym",
    "Beteiligungsverfahren",
    "Ideenaufruf",
    "Datenschutzhinweis",
    "Moderation",
    "Koordinaten",
    "Veranstaltung",
    "Schaltfläche",
    "unangemessen",
    "rückgängig",
    "optional",
    "freiwillig",
    "jederzeit",
    "bisherig",
    "vorzeitig",
    "inzwischen",
    "Status",
    "Messenger",
    "einreichen",
    "eingereicht",
)


def simple_sentences() -> list[tuple[str, str]]:
    """(message id, translation) of every Easy German entry that is a sentence, not a word list."""
    folder = catalog_folder("de-x-simple")
    with open(LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=folder)
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if msgid in WORD_LISTS:
            continue  # a keyword or answer-word list
        if msgid.startswith("mod ") or msgid.startswith("Unknown "):
            continue  # staff commands, whose words are fixed
        found.extend((msgid, form) for form in forms)
    return found


def sentences_of(text: str) -> list[str]:
    text = re.sub(r"\{\w+\}", "X", text)
    return [s for s in re.split(r"(?<=[.!?:])\s+", text) if s.strip()]


def test_leichte_sprache_sentences_are_short() -> None:
    long = [
        (msgid, sentence)
        for msgid, text in simple_sentences()
        for sentence in sentences_of(text)
        if len([w for w in sentence.split() if w not in {"–", "-"}]) > MAX_WORDS
    ]
    assert not long, f"sentences over {MAX_WORDS} words: {long}"


def test_leichte_sprache_has_no_passive_no_genitive_no_hard_words() -> None:
    found = []
    for msgid, text in simple_sentences():
        for rule, pattern in (("passive", PASSIVE), ("genitive", GENITIVE), ("abbreviation", ABBREVIATIONS)):
            if pattern.search(text):
                found.append((rule, msgid, text))
        if ";" in text:
            found.append(("semicolon", msgid, text))
        plain = re.sub(r"\{\w+\}", "", text).casefold()
        found.extend(("hard word", msgid, text) for word in HARD_WORDS if word.casefold() in plain)
    assert not found, found


def test_leichte_sprache_keeps_negation_rare() -> None:
    negated = [msgid for msgid, text in simple_sentences() if NEGATION.search(text)]
    assert len(negated) <= NEGATION_BUDGET, f"{len(negated)} entries with a negation (budget {NEGATION_BUDGET})"


def test_the_leichte_sprache_lint_catches_what_it_is_meant_to() -> None:
    """The rules bite: each bad sentence below is caught by its rule."""
    assert PASSIVE.search("Ihre Antworten werden gespeichert.")
    assert GENITIVE.search("Die Ideen des Bezirks.")
    assert ABBREVIATIONS.search("Schreiben Sie z. B. 1, 3.")
    assert NEGATION.search("Das geht nicht.")
    too_long = "Bitte schreiben Sie uns eine lange Nachricht mit vielen Wörtern über alles was Sie heute denken."
    assert len(sentences_of(too_long)[0].split()) > MAX_WORDS


def test_the_glossary_lists_the_keywords_the_catalogs_have() -> None:
    """bot/locale/GLOSSARY.md shows every language's keywords; it must say what the catalogs say."""
    text = (LOCALE_DIR / "GLOSSARY.md").read_text("utf-8")
    table = text.split("## Keywords", 1)[1].split("Answer words", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    header, *body = ([cell.strip() for cell in row] for row in rows)
    languages = [column.split(",")[0].strip() for column in header[1:]]
    assert languages == ["de", "tr", "ar", "uk", "pl"]
    msgids = {**{k.value: m for k, m in _WORDS.items()}, **REF_VERBS}
    assert {row[0].split()[0] for row in body} == set(msgids), "one row per keyword"
    for row in body:
        msgid = msgids[row[0].split()[0]]
        for language, cell in zip(languages, row[1:], strict=True):
            listed = [w.strip() for w in re.split(r",|،", cell) if w.strip()]
            words = translator(language).words(msgid)
            assert set(listed) <= set(words), (language, msgid, listed, words)
            covered = {form for word in listed for form in folds(word)}
            assert all(set(folds(word)) & covered for word in words), (language, msgid, listed, words)
    simple, german = translator("de-x-simple"), translator("de")
    assert all(simple.words(m) == german.words(m) for m in (*msgids.values(), *ANSWER_WORDS)), (
        "Leichte Sprache types the German words, so switching between the two needs no new ones"
    )


# The glossary's main terms, as each catalog writes them (a stem, so inflected forms count).
TERMS: dict[str, dict[str, str]] = {
    "survey": {
        "de": r"umfrage",
        "de-x-simple": r"umfrage",
        "tr": r"anket",
        "ar": r"استطلاع",
        "uk": r"опитуван",
        "pl": r"ankie[tc]",
    },
    "idea": {
        "de": r"idee",
        "de-x-simple": r"idee",
        "tr": r"fik(i)?r",
        "ar": r"فكر|أفكار",
        "uk": r"іде[яїюйє]",
        "pl": r"pomy[sś]",
    },
    "question": {
        "de": r"frage",
        "de-x-simple": r"frage",
        "tr": r"soru",
        "ar": r"سؤال|أسئلة",
        "uk": r"питанн",
        "pl": r"pytani",
    },
}


@pytest.mark.parametrize("language", [code for code in UI_LANGUAGES if code != "en"])
def test_the_main_terms_are_the_same_in_every_sentence(language: str) -> None:
    """Where the English id speaks of a survey, an idea or a question, the translation uses the
    glossary's word for it (bot/locale/GLOSSARY.md), not a synonym."""
    folder = catalog_folder(language)
    with open(LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=folder)
    odd = []
    for message in catalog:
        if not message.id or (isinstance(message.id, str) and message.id in WORD_LISTS):
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for term, stems in TERMS.items():
            if re.search(rf"\b{term}(s)?\b", msgid, re.IGNORECASE) and "call for ideas" not in msgid.casefold():
                pattern = re.compile(stems[language], re.IGNORECASE)
                odd.extend((term, msgid, form) for form in forms if not pattern.search(form))
    assert not odd, odd
