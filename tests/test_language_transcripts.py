"""Whole conversations in the other languages: Arabic (right to left) and Leichte Sprache.

The bot offers every language it has a catalog for; a citizen gets Arabic from the
messenger's language or picks Leichte Sprache in the language menu, and answers a
whole survey in it. Texts a survey lacks fall back (Arabic → the survey's first
language; Leichte Sprache → German) while the bot's own sentences stay in the
citizen's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.i18n import UI_LANGUAGES
from bot.runtime.app import Core
from tests.harness import Citizen, Clock, make_config, make_core
from tests.idea_harness import ref_in
from tests.language_surveys import HADIQA
from tests.storage_fixtures import BACKENDS, backend_url
from tests.transcript_surveys import PARK

ROOT = Path(__file__).resolve().parents[1]
PLAYGROUNDS = (ROOT / "examples" / "surveys" / "spielplaetze-hombruch.toml").read_text("utf-8")
FSI, PDI = "\u2068", "\u2069"


def isolated(text: str) -> str:
    return f"{FSI}{text}{PDI}"


@pytest.fixture(params=BACKENDS)
def polyglot(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Core]:
    """The engine offering every UI language, with an Arabic park survey, the German-only
    park survey and the playground example (in Easy German too)."""
    with backend_url(request.param, tmp_path) as url:
        files = {"hadiqa.toml": HADIQA, "park.toml": PARK, "spielplaetze.toml": PLAYGROUNDS}
        config = make_config(tmp_path, files, database_url=url)
        offered = ", ".join(f'"{code}"' for code in UI_LANGUAGES)
        config.write_text(config.read_text("utf-8").replace('languages = ["de", "en"]', f"languages = [{offered}]"))
        core = make_core(config, clock)
        yield core
        core.close()


def stored(core: Core, process_id: str) -> dict[str, object]:
    return {a.question_id: a.value for _, found in core.store.responses(process_id) for a in found}


def menu_number(menu: str, title: str) -> str:
    line = next(line for line in menu.splitlines() if title in line)
    return line.split(" – ")[0]


def test_a_whole_survey_in_arabic(polyglot: Core) -> None:
    amal = Citizen(polyglot, "amal", language="ar")
    first = amal.say("مرحبا")
    assert f"مرحبًا! معك {isolated('Mitwirken Test')}." in first
    assert f"التفاصيل: {isolated('https://example.org/datenschutz')}" in first, "the web address keeps its order"
    assert "1 – " + isolated("نعم، أوافق") in first
    menu = amal.say("1")
    assert "في أي شيء تود المشاركة؟" in menu
    assert isolated("استطلاع حول الحديقة الشمالية") in menu
    assert isolated("Parkumfrage") in menu, "a survey without Arabic texts is offered under its German title"

    opened = amal.say(menu_number(menu, "استطلاع حول الحديقة الشمالية"))
    assert "بعض الأسئلة حول الحديقة الشمالية." in opened
    assert f"السؤال {isolated('1')} من {isolated('8')}" in opened
    assert "كم مرة تزور الحديقة الشمالية؟" in opened
    assert ["1 – " + isolated("يوميًا"), "2 – " + isolated("أسبوعيًا")] == opened.splitlines()[-4:-2]

    why = amal.say("نادرًا")  # the option typed by its Arabic words
    assert "لماذا لا تزورها أكثر؟" in why
    assert f"اختر خيارين ({isolated('2')}) على الأكثر" in why, "Arabic's dual form of the plural"
    dog = amal.say("١، ٢")  # Arabic-Indic digits and the Arabic comma
    assert "هل تأتي مع كلب؟" in dog
    scale = amal.say("نعم")
    assert "ما مدى إعجابك بالحديقة؟" in scale and isolated("1 (لا يعجبني)") in scale
    assert "كم تبعد عن الحديقة؟" in amal.say("٤")
    assert "هل تأتي مع كلب؟" in amal.say("رجوع") + amal.say("رجوع"), "back, in Arabic, twice"
    assert "ما مدى إعجابك بالحديقة؟" in amal.say("لا")
    amal.say("٤")
    assert "متى كنت هناك آخر مرة؟" in amal.say("٥٫٥ كم")  # the Arabic decimal separator and unit
    assert "أين بالضبط؟" in amal.say("اليوم")
    helped = amal.say("مساعدة")
    assert "مساعدة" not in helped.splitlines()[0] and "رجوع – تغيير إجابتك السابقة" in helped
    assert "ماذا تتمنى للحديقة؟" in amal.say("51.51، 7.46")
    done = amal.say("مساحة أكبر للعب")
    assert "شكرًا على إجاباتك!" in done and "إجاباتك:" in done and "«القائمة»" in done
    assert stored(polyglot, "hadiqa-nord") == {
        "besuch": "selten",
        "grund": ["weit", "zeit"],
        "hund": False,
        "note": 4,
        "weg": 5.5,
        "termin": "2026-12-01",
        "ort": {"lat": 51.51, "lon": 7.46},
        "wunsch": "مساحة أكبر للعب",
    }


def test_arabic_sentences_around_a_survey_written_in_german_only(polyglot: Core) -> None:
    """The realistic case of a survey nobody translated: the bot speaks Arabic, the questions fall back."""
    amal = Citizen(polyglot, "amal", language="ar")
    amal.say("مرحبا")
    menu = amal.say("1")
    opened = amal.say(menu_number(menu, "Parkumfrage"))
    assert f"السؤال {isolated('1')} من {isolated('9')}" in opened
    assert "Wie oft sind Sie im Park?" in opened
    # this message begins with the German title, so messengers lay it out left to right (its first
    # letter decides): its option lines need no isolates then
    assert "1 – Oft" in opened and "4 – أخرى" in opened
    why = amal.say("2")
    assert "Warum nicht öfter?" in why
    assert why.startswith("السؤال") and "1 – " + isolated("Zu weit weg") in why, "an Arabic message isolates them"
    assert "Haben Sie einen Hund?" in amal.say("1، 3")
    refused = amal.say("ربما")
    assert "يُرجى الإجابة بنعم أو لا." in refused and "Haben Sie einen Hund?" in refused
    assert "Wie gefällt Ihnen der Park?" in amal.say("لا")
    assert stored(polyglot, "park-test") == {"besuch": "selten", "grund": ["weg", "zeit"], "hund": False}


def test_a_whole_survey_in_leichte_sprache(polyglot: Core) -> None:
    lena = Citizen(polyglot, "lena")
    assert "Sind Sie einverstanden?" in lena.say("hallo")
    languages = lena.say("sprache")
    assert "Welche Sprache möchten Sie?" in languages
    expected = ["Deutsch", "English", "Leichte Sprache", "Türkçe", "العربية", "Українська", "Polski"]
    assert [line.split(" – ", 1)[1] for line in languages.splitlines()[-7:]] == expected
    switched = lena.say("3")
    assert "Ich schreibe jetzt in Leichter Sprache." in switched
    assert "Ein Geheim-Name ist ein Name aus Zufalls-Zeichen." in switched
    assert "Schreiben Sie 1 für Ja. Oder schreiben Sie 2 für Nein." in switched
    menu = lena.say("1")
    assert "Wobei möchten Sie mit-machen? Bitte schreiben Sie eine Zahl." in menu
    opened = lena.say(menu_number(menu, "Spiel-Plätze in Hombruch"))
    assert "Die Stadt macht Spiel-Plätze in Hombruch neu." in opened
    assert "Frage 1 von 11" in opened and "Gehen Sie auf Spiel-Plätze in Hombruch?" in opened
    assert "Bitte antworten Sie mit Ja oder mit Nein." in opened

    role = lena.say("ja")
    assert "Mit wem gehen Sie meistens auf den Spiel-Platz?" in role and "5 – Etwas anderes" in role
    children = lena.say("1")
    assert "Eine ganze Zahl ist zum Beispiel 3." in children and "Schreiben Sie eine Zahl. Zum Beispiel: 2." in children
    assert "Bitte schreiben Sie eine ganze Zahl von 0 bis 30." in lena.say("viele")
    assert "In welchem Orts-Teil ist er?" in lena.say("2")
    helped = lena.say("hilfe")
    assert "überspringen – eine Frage ohne Antwort lassen. Das geht bei manchen Fragen." in helped
    wishes = lena.say("4")
    assert "Was soll es auf dem Spiel-Platz geben?" in wishes and "Zum Beispiel: 1, 3." in wishes
    assert "Wie gut ist der Spiel-Platz jetzt?" in lena.say("1, 6")
    broken = lena.say("2")
    assert "Sie möchten diese Frage überspringen? Dann schreiben Sie: überspringen." in broken
    assert "Wo genau ist das?" in lena.say("überspringen")
    again = lena.say("zurück")
    assert "Ihre Antwort bis jetzt: (übersprungen)." in again
    assert "Wo genau ist das?" in lena.say("Die Schaukel ist kaputt.")
    assert "Sie können uns ein Foto schicken." in lena.say("überspringen")
    assert "Wann waren Sie das letzte Mal dort?" in lena.say("überspringen")
    assert "Wollen Sie uns noch etwas sagen?" in lena.say("heute")
    done = lena.say("Danke")
    assert "Vielen Dank! Die Politiker in Hombruch sprechen im Frühling über die Antworten." in done
    assert "Sie möchten bei mehr Sachen mit-machen? Dann schreiben Sie: menü." in done
    assert stored(polyglot, "spielplaetze-hombruch") == {
        "besuch": True,
        "rolle": "eigene_kinder",
        "kinder": 2,
        "ortsteil": "hombruch",
        "wuensche": ["schatten", "toiletten"],
        "zustand": 2,
        "maengel": "Die Schaukel ist kaputt.",
        "ort": None,
        "foto": None,
        "letzter_besuch": "2026-12-01",
        "anmerkung": "Danke",
    }


def test_a_language_is_chosen_by_its_name_in_any_of_three_languages(polyglot: Core) -> None:
    kemal = Citizen(polyglot, "kemal")
    kemal.say("hallo")
    kemal.say("sprache")
    assert "Bundan sonra Türkçe yazıyorum." in kemal.say("türkisch")
    assert "Tamam." in kemal.say("2")  # no consent, in Turkish: nothing is stored
    assert "Od teraz piszę po polsku." in kemal.say("dil polski")
    oksana = Citizen(polyglot, "oksana", language="uk")
    greeting = oksana.say("Привіт")
    assert "Вітаю! Це Mitwirken Test." in greeting and "Ви згодні?" in greeting
    helped = oksana.say("yardim")  # a Turkish keyword, typed without ı: it helps, in Ukrainian
    assert "Ці слова Ви можете писати будь-коли:" in helped and "мова – вибрати іншу мову" in helped


IDEAS_AFTER = """\
format = 1
id = "ideen-rad"
kind = "ideas"
title = { de = "Ideen fürs Radfahren", ar = "أفكار لركوب الدراجات", pl = "Pomysły dla rowerzystów" }
moderation = "after"
languages = ["de", "ar", "pl"]
"""


def test_ideas_in_arabic_and_polish_with_references_kept_readable(tmp_path: Path, clock: Clock) -> None:
    """An Arabic citizen hands in an idea; a Polish one supports and reports it, typing without ł and ś."""
    config = make_config(tmp_path, {"rad.toml": IDEAS_AFTER})
    offered = ", ".join(f'"{code}"' for code in UI_LANGUAGES)
    config.write_text(config.read_text("utf-8").replace('languages = ["de", "en"]', f"languages = [{offered}]"))
    core = make_core(config, clock)
    try:
        amal = Citizen(core, "amal", language="ar")
        amal.say("مرحبا")
        amal.say("1")
        assert "أفكار لركوب الدراجات" in amal.say("فكرة")
        handed_in = amal.say("مسار آمن للدراجات في الشارع الرئيسي")
        ref = ref_in(handed_in)
        assert f"رقمها المرجعي {isolated(ref)}." in handed_in, "the reference keeps its order in Arabic"
        jan = Citizen(core, "jan", language="pl")
        jan.say("dzień dobry")
        jan.say("1")
        listed = jan.say("pomysly")
        assert "Najnowsze pomysły:" in listed and ref in listed
        assert f"Dziękujemy! Teraz popierają Państwo pomysł {ref}." in jan.say(f"poprzyj {ref}")
        assert f"Już popierają Państwo pomysł {ref}." in jan.say(f"popieram {ref}")
        assert f"Dziękujemy. Pracownicy miasta przyjrzą się pomysłowi {ref}." in jan.say(f"zglos {ref}")
        assert "Ten pomysł został już przez Państwa zgłoszony." in jan.say(f"zgłoś {ref}")
        assert f"Poparcie dla {ref} zostało wycofane." in jan.say(f"wycofaj {ref}")
    finally:
        core.close()


def test_the_first_greeting_names_every_other_language_with_its_own_word_for_the_menu(polyglot: Core) -> None:
    """Whoever does not read German finds their language in the first message, and the word to type."""
    first = Citizen(polyglot, "ahmet").say("merhaba")
    assert first.startswith("Hallo!")
    for name, word in (("English", "language"), ("Türkçe", "dil"), ("Polski", "język"), ("Українська", "мова")):
        assert isolated(f"{name}: {word}") in first, (name, first)
    assert "العربية:" in first and "Deutsch:" not in first, "the greeting's own language is not offered again"
    ahmet = Citizen(polyglot, "ahmet")
    assert "Türkçe" in ahmet.say("dil") and "Sind Sie einverstanden" not in ahmet.say("4")
