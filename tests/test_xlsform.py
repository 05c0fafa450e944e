"""``mitwirken import-xlsform``: XLSForm spreadsheets, written as survey offices write them, become survey files.

Every form here is an .xlsx made with openpyxl in XLSForm's own conventions
(``select_one list or_other``, ``label::Deutsch (de)``, ``${q}``, ``.``),
read by pyxform as the command reads it, converted, and loaded by our own
loader; the command line is run on them too, and ``mitwirken check`` passes
on what it writes.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.staff.errors import CommandError
from bot.staff.xlsform_import import read_workbook
from surveys.conditions import parse_condition
from surveys.loader import parse_process
from surveys.model import Survey
from surveys.question_types import KINDS
from surveys.xlsform import Conversion, convert
from surveys.xlsform.expressions import Subject, Untranslatable, translate
from tests.harness import Cli, make_config

ROOT = Path(__file__).resolve().parents[1]
Rows = Sequence[Sequence[Any]]

DE, EN = "label::Deutsch (de)", "label::English (en)"
HINT_DE, HINT_EN = "hint::Deutsch (de)", "hint::English (en)"

# A neighbourhood survey as a survey office would design it for KoboToolbox: every type the import takes.
WOHNEN_SURVEY: Rows = [
    ["type", "name", DE, EN, HINT_DE, HINT_EN, "required", "relevant", "constraint",
     "constraint_message::Deutsch (de)", "constraint_message::English (en)", "parameters", "appearance",
     "calculation"],
    ["note", "willkommen", "Danke, dass Sie mitmachen!", "Thank you for taking part!"],
    ["select_one ja_nein", "wohnt_hier", "Wohnen Sie in Hörde?", "Do you live in Hörde?", "", "", "yes"],
    ["integer", "haushalt", "Wie viele Menschen leben in Ihrem Haushalt?", "How many people live in your household?",
     "Sie selbst mitgezählt", "Counting yourself", "yes", "${wohnt_hier} = 'ja'", ". >= 1 and . <= 20",
     "Bitte eine Zahl von 1 bis 20.", "Please a number from 1 to 20."],
    ["select_multiple probleme or_other", "probleme", "Was stört Sie am meisten?", "What bothers you most?",
     "Mehrere Antworten möglich", "Several answers possible", "", "${wohnt_hier} = 'ja'",
     "count-selected(.) <= 3", "Höchstens drei.", "At most three.", "", "minimal"],
    ["decimal", "miete", "Wie hoch ist Ihre Kaltmiete pro m²?", "What is your rent per m²?", "in Euro", "in euros",
     "", "selected(${probleme}, 'miete') and ${haushalt} > 1"],
    ["range", "zufriedenheit", "Wie zufrieden sind Sie mit Ihrem Viertel?", "How happy are you with your area?",
     "", "", "yes", "", "", "", "", "start=0 end=10 step=1"],
    ["begin_group", "verkehr", "Verkehr", "Traffic", "", "", "", "not(${wohnt_hier} = 'nein')"],
    ["select_one haeufigkeit", "rad", "Wie oft fahren Sie Rad?", "How often do you cycle?", "", "", "yes"],
    ["geopoint", "gefahrenstelle", "Wo ist es gefährlich?", "Where is it dangerous?", "", "", "",
     "${rad} != 'nie' or ${zufriedenheit} < 5"],
    ["end_group"],
    ["text", "wunsch", "Was wünschen Sie sich?", "What would you like to see?", "", "", "", "",
     "string-length(.) <= 500", "Höchstens 500 Zeichen.", "At most 500 characters."],
    ["date", "einzug", "Seit wann wohnen Sie hier?", "Since when do you live here?", "", "", "", "${wohnt_hier} != ''",
     ". >= date('1950-01-01')", "Bitte ein Datum ab 1950.", "Please a date from 1950."],
    ["image", "foto", "Ein Foto von Ihrem Lieblingsort?", "A photo of your favourite place?"],
    ["calculate", "pruefsumme", "", "", "", "", "", "", "", "", "", "", "", "${haushalt} * 2"],
]  # fmt: skip
WOHNEN_CHOICES: Rows = [
    ["list_name", "name", DE, EN],
    ["ja_nein", "ja", "Ja", "Yes"],
    ["ja_nein", "nein", "Nein", "No"],
    ["probleme", "laerm", "Lärm", "Noise"],
    ["probleme", "miete", "Hohe Mieten", "High rents"],
    ["probleme", "parken", "Parkplätze", "Parking"],
    ["haeufigkeit", "taeglich", "Täglich", "Daily"],
    ["haeufigkeit", "selten", "Selten", "Rarely"],
    ["haeufigkeit", "nie", "Nie", "Never"],
]
WOHNEN_SETTINGS: Rows = [
    ["form_title", "form_id", "default_language", "version"],
    ["Wohnen in Hörde", "wohnen_hoerde", "Deutsch (de)", "2026051501"],
]


def xlsform(
    folder: Path,
    survey: Rows,
    choices: Rows | None = None,
    settings: Rows | None = None,
    *,
    name: str = "form.xlsx",
    survey_sheet: str = "survey",
) -> Path:
    """An XLSForm workbook with the given sheets, as Excel or LibreOffice would save it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = survey_sheet
    for row in survey:
        sheet.append(list(row))
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(list(row))
    path = folder / name
    book.save(path)
    return path


def wohnen(folder: Path) -> Path:
    return xlsform(folder, WOHNEN_SURVEY, WOHNEN_CHOICES, WOHNEN_SETTINGS, name="wohnen.xlsx")


def converted(path: Path, *, language: str = "de") -> Conversion:
    return convert(read_workbook(path), language=language, file="survey.toml")


def loaded(conversion: Conversion) -> Survey:
    assert conversion.text is not None, [str(n) for n in conversion.errors]
    survey, problems = parse_process(conversion.text, file="survey.toml", bot_languages=("de", "en"))
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert isinstance(survey, Survey)
    return survey


def notes(conversion: Conversion, severity: str | None = None) -> list[str]:
    return [str(n) for n in conversion.notes if severity is None or n.severity == severity]


def note_at(conversion: Conversion, row: int, column: str | None = None) -> str:
    found = [str(n) for n in conversion.notes if n.row == row and (column is None or n.column == column)]
    assert found, (row, column, notes(conversion))
    return found[0]


# --- a whole form ---------------------------------------------------------------------


def test_a_realistic_form_becomes_a_survey_with_its_ids_types_texts_and_conditions(tmp_path: Path) -> None:
    conversion = converted(wohnen(tmp_path))
    survey = loaded(conversion)
    assert survey.id == "wohnen-hoerde"
    assert survey.title.get("de") == "Wohnen in Hörde"
    assert survey.languages == ("de", "en")
    by_id = {q.id: q for q in survey.questions}
    assert list(by_id) == [
        "willkommen", "wohnt_hier", "haushalt", "probleme", "miete", "zufriedenheit",
        "verkehr", "rad", "gefahrenstelle", "wunsch", "einzug", "foto",
    ]  # fmt: skip
    types = {qid: q.type.value for qid, q in by_id.items()}
    assert types == {
        "willkommen": "info", "wohnt_hier": "choice", "haushalt": "number", "probleme": "multi",
        "miete": "number", "zufriedenheit": "scale", "verkehr": "info", "rad": "choice",
        "gefahrenstelle": "location", "wunsch": "text", "einzug": "date", "foto": "photo",
    }  # fmt: skip
    # texts in both languages, hints too
    assert by_id["haushalt"].text.values == {
        "de": "Wie viele Menschen leben in Ihrem Haushalt?",
        "en": "How many people live in your household?",
    }
    assert by_id["haushalt"].hint is not None and by_id["haushalt"].hint.get("en") == "Counting yourself"
    assert [o.id for o in by_id["rad"].options] == ["taeglich", "selten", "nie"]
    assert by_id["rad"].options[0].label.values == {"de": "Täglich", "en": "Daily"}
    # XLSForm asks nothing required unless told: ours asks everything required unless told
    required = {qid for qid, q in by_id.items() if q.answerable and q.required}
    assert required == {"wohnt_hier", "haushalt", "zufriedenheit", "rad"}
    # or_other: our own "other" option, no option 'other' of pyxform's, no "Specify other." question
    assert by_id["probleme"].other is True
    assert [o.id for o in by_id["probleme"].options] == ["laerm", "miete", "parken"]
    assert "probleme_other" not in by_id
    # integer and decimal; the range 0..10 is a scale of 11 steps
    assert by_id["haushalt"].integer is True and by_id["miete"].integer is False
    assert (by_id["zufriedenheit"].min, by_id["zufriedenheit"].max) == (0, 10)
    # relevant → show_if, constraint → constraint, with the group's relevant joined in
    conditions = {qid: (str(q.show_if or ""), str(q.constraint or "")) for qid, q in by_id.items()}
    assert conditions["haushalt"] == ("wohnt_hier == 'ja'", "value >= 1 and value <= 20")
    assert conditions["probleme"] == ("wohnt_hier == 'ja'", "count(value) <= 3")
    assert conditions["miete"] == ("selected(probleme, 'miete') and haushalt > 1", "")
    assert conditions["verkehr"] == ("not wohnt_hier == 'nein'", "")
    assert conditions["rad"] == ("not wohnt_hier == 'nein'", "")
    assert conditions["gefahrenstelle"] == ("not wohnt_hier == 'nein' and (rad != 'nie' or zufriedenheit < 5)", "")
    assert conditions["wunsch"] == ("", "length(value) <= 500")
    assert conditions["einzug"] == ("answered(wohnt_hier)", "value >= '1950-01-01'")
    message = by_id["haushalt"].constraint_message
    assert message is not None and message.get("en") == "Please a number from 1 to 20."


def test_what_the_import_changes_or_leaves_out_is_said_with_its_row(tmp_path: Path) -> None:
    conversion = converted(wohnen(tmp_path))
    assert conversion.errors == ()
    assert "group 'verkehr' is flattened" in note_at(conversion, 8)
    assert "pruefsumme" in note_at(conversion, 15, "type") and "not imported" in note_at(conversion, 15)
    assert "form_id 'wohnen_hoerde' became the survey id 'wohnen-hoerde'" in " ".join(notes(conversion))
    appearance = next(n for n in notes(conversion) if "column appearance" in n)
    assert "(row 5)" in appearance
    placeholders = next(n for n in notes(conversion, "warning") if "closes" in n)
    assert "contact" in placeholders and "intro" in placeholders


def test_the_command_writes_a_file_that_check_accepts(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = wohnen(tmp_path)
    config = make_config(tmp_path, {})
    out = tmp_path / "surveys" / "wohnen.toml"
    assert cli("import-xlsform", form, "-o", out) == 0
    captured = capsys.readouterr()
    assert f"Wrote {out}: survey 'wohnen-hoerde', 12 question(s), languages de, en" in captured.out
    assert f"{form}: survey row 8: warning: group 'verkehr' is flattened" in captured.err
    text = out.read_text(encoding="utf-8")
    assert tomllib.loads(text)["id"] == "wohnen-hoerde"
    assert text.startswith("# Imported from an XLSForm")
    assert "# closes = " in text and "# contact = " in text
    assert cli("--config", config, "check", out) == 0
    assert "All good" in capsys.readouterr().out
    # once written, it is never overwritten without --force
    assert cli("import-xlsform", form, "-o", out) == 2
    refused = capsys.readouterr().err
    assert "exists already" in refused and "add --force to replace it" in refused
    assert cli("import-xlsform", form, "-o", out, "--force") == 0


def test_the_survey_file_goes_to_stdout_with_dash(cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("import-xlsform", wohnen(tmp_path), "-o", "-") == 0
    assert tomllib.loads(capsys.readouterr().out)["title"] == "Wohnen in Hörde"


# --- ids ------------------------------------------------------------------------------


def test_names_that_are_no_valid_ids_are_changed_and_the_change_is_said(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["select_one bewertung", "Bewertung", "Wie finden Sie den Park?"],
            ["text", "größe_Fläche", "Welche Fläche?", "${Bewertung} = 'Sehr_gut'"],
            ["integer", "value", "Wie viele?", "${größe_Fläche} != ''"],
            ["decimal", "q1.2", "Und?"],
        ],
        [["list_name", "name", "label"], ["bewertung", "Sehr_gut", "Sehr gut"], ["bewertung", "2", "Es geht"]],
        [["form_title", "form_id"], ["Park", "Park Umfrage 2026"]],
    )
    conversion = converted(form)
    survey = loaded(conversion)
    assert survey.id == "park-umfrage-2026"
    assert [q.id for q in survey.questions] == ["bewertung", "groesse_flaeche", "value_q", "q1_2"]
    assert [o.id for o in survey.questions[0].options] == ["sehr_gut", "2"]
    assert str(survey.questions[1].show_if) == "bewertung == 'sehr_gut'"
    assert str(survey.questions[2].show_if) == "answered(groesse_flaeche)"
    assert "the name 'Bewertung' became the id 'bewertung'" in note_at(conversion, 2, "name")
    assert "'value' is a word of the condition language" in note_at(conversion, 4, "name")
    renamed = next(n for n in conversion.notes if n.sheet == "choices")
    assert (renamed.row, renamed.column) == (2, "name") and "'sehr_gut'" in renamed.message


def test_without_settings_the_file_name_is_the_id_and_title_and_texts_are_in_the_given_language(
    tmp_path: Path,
) -> None:
    form = xlsform(
        tmp_path, [["type", "name", "label"], ["text", "name_of_street", "Which street?"]], name="Street_Survey.xlsx"
    )
    conversion = converted(form, language="en")
    survey = loaded(conversion)
    assert (survey.id, survey.title.get("en"), survey.languages) == ("street-survey", "Street_Survey", ("en",))
    assert any("no form_title" in n for n in notes(conversion, "warning"))


# --- languages ------------------------------------------------------------------------


def test_languages_are_found_by_code_in_brackets_by_name_and_the_default_language_comes_first(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label::English", "label::Türkçe", DE, "label::Leichte Sprache (de-x-simple)"],
            ["text", "idee", "Your idea?", "Fikriniz?", "Ihre Idee?", "Was ist Ihre Idee?"],
        ],
        settings=[["form_title", "default_language"], ["Ideen", "Deutsch (de)"]],
    )  # fmt: skip
    conversion = converted(form)
    assert conversion.languages == ("de", "en", "tr", "de-x-simple")
    assert conversion.text is not None and 'languages = ["de", "en", "tr", "de-x-simple"]' in conversion.text
    taken = [n for n in conversion.notes if "was taken as" in n.message]
    assert [(n.column, n.message) for n in taken] == [
        ("label::English", "the language 'English' was taken as 'en'"),
        ("label::Türkçe", "the language 'Türkçe' was taken as 'tr'"),
    ]


def test_a_language_that_cant_be_told_is_an_error_naming_the_column(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = xlsform(tmp_path, [["type", "name", "label::Deutsch (de)", "label::Hausdeutsch"], ["text", "a", "A?", "A?"]])
    out = tmp_path / "out.toml"
    assert cli("import-xlsform", form, "-o", out) == 2
    err = capsys.readouterr().err
    assert "column label::Hausdeutsch: which language is 'Hausdeutsch'?" in err
    assert "label::Hausdeutsch (xx)" in err and "nothing written" in err
    assert not out.exists()


def test_a_text_missing_in_the_first_language_takes_another_and_says_so(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [["type", "name", DE, EN], ["text", "a", "Frage?", "Question?"], ["text", "b", "", "Only English?"]],
        settings=[["form_title"], ["Test"]],
    )
    conversion = converted(form)
    survey = loaded(conversion)
    assert survey.questions[1].text.values == {"de": "Only English?", "en": "Only English?"}
    assert "has no 'de' text" in note_at(conversion, 3, "label")


# --- conditions -----------------------------------------------------------------------


def test_untranslatable_expressions_are_named_by_row_and_kept_as_a_comment(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label", "relevant", "constraint", "calculation"],
            ["integer", "erwachsene", "Wie viele Erwachsene?"],
            ["integer", "kinder", "Wie viele Kinder?", "", ". < ${erwachsene} * 4"],
            ["text", "plz", "Ihre Postleitzahl?", "${erwachsene} + ${kinder} > 2", "regex(., '^[0-9]{5}$')"],
            ["date", "termin", "Wann?", "${spaeter} = 'ja'", ". > today()"],
            ["select_one jn", "spaeter", "Später?"],
            ["calculate", "summe", "", "", "", "${erwachsene} + ${kinder}"],
            ["text", "warum", "Warum?", "${summe} > 3"],
        ],
        [["list_name", "name", "label"], ["jn", "ja", "Ja"], ["jn", "nein", "Nein"]],
    )
    conversion = converted(form)
    survey = loaded(conversion)
    assert all(q.show_if is None and q.constraint is None for q in survey.questions)
    assert "arithmetic ('*')" in note_at(conversion, 3, "constraint")
    assert "answers are not checked" in note_at(conversion, 3, "constraint")
    assert "arithmetic ('+')" in note_at(conversion, 4, "relevant")
    assert "the question is always asked" in note_at(conversion, 4, "relevant")
    assert "regex() has no counterpart" in note_at(conversion, 4, "constraint")
    assert "'spaeter' comes later (row 6)" in note_at(conversion, 5, "relevant")
    assert "today() has no counterpart" in note_at(conversion, 5, "constraint")
    assert "'summe' (calculate, row 7) is not imported" in note_at(conversion, 8, "relevant")
    assert conversion.text is not None
    assert "# XLSForm constraint (row 4), not translated: regex(., '^[0-9]{5}$')" in conversion.text
    out = tmp_path / "out.toml"
    assert cli("import-xlsform", form, "-o", out) == 0
    err = capsys.readouterr().err
    assert f"{form}: survey row 4, column constraint: warning: constraint \"regex(., '^[0-9]{{5}}$')\"" in err


@pytest.mark.parametrize(
    ("xpath", "ours"),
    [
        ("${farbe} = 'rot'", "farbe == 'rot'"),
        ("'rot' = ${farbe}", "farbe == 'rot'"),
        ("${farbe} != 'rot' and ${alter} >= 18", "farbe != 'rot' and alter >= 18"),
        ("${alter} > '17'", "alter > 17"),
        ("${alter} < -1 or ${alter} > 99.5", "alter < -1 or alter > 99.5"),
        ("selected(${farbe}, 'gruen')", "selected(farbe, 'gruen')"),
        ("selected(${dinge}, 'Ball') or count-selected(${dinge}) > 2", "selected(dinge, 'ball') or count(dinge) > 2"),
        ("not(selected(${dinge}, 'Ball'))", "not selected(dinge, 'ball')"),
        ("(${farbe}='rot' or ${farbe}='gruen') and ${alter}>5", "(farbe == 'rot' or farbe == 'gruen') and alter > 5"),
        ("${farbe} = 'rot' or ${farbe} = 'gruen' and ${alter} > 5", "farbe == 'rot' or farbe == 'gruen' and alter > 5"),
        ("not(${farbe} = 'rot' or ${alter} = 3)", "not (farbe == 'rot' or alter == 3)"),
        ("${name} != ''", "answered(name)"),
        ("${name} = ''", "not answered(name)"),
        ("${name}", "answered(name)"),
        ("string-length(${name}) > 3", "length(name) > 3"),
        ("${tag} >= date('2026-01-01')", "tag >= '2026-01-01'"),
        ("${tag} < '2027-01-01'", "tag < '2027-01-01'"),
        ("true()", "true"),
        ("${name} = \"O'Brien\"", "name == 'O\\'Brien'"),
        ("${alter}>=18 and${farbe}='rot'", "alter >= 18 and farbe == 'rot'"),
    ],
)  # fmt: skip
def test_xpath_conditions_translate_into_ours(xpath: str, ours: str) -> None:
    assert translate(xpath, questions=SUBJECTS) == ours
    parse_condition(ours)


@pytest.mark.parametrize(
    ("xpath", "says"),
    [
        ("${alter} + 1 > 3", "arithmetic ('+')"),
        ("${alter} div 2 > 3", "arithmetic ('div')"),
        ("${farbe} = 'lila'", "question 'farbe' has no option 'lila'"),
        ("${farbe} < 'rot'", "options can't be compared with <"),
        ("${dinge} = 'ball'", "a select_multiple answer can't be compared with ="),
        ("${unbekannt} = 1", "there is no question 'unbekannt'"),
        ("${notiz} = 1", "a note"),
        ("/data/alter > 3", "paths such as /data/q"),
        ("${alter} > 1 = 2", "comparisons can't be chained"),
        ("${tag} > today()", "today() has no counterpart"),
        ("${alter} > 'viel'", "compared with the text 'viel'"),
        ("${tag} > 'gestern'", "which is no date"),
        ("if(${alter} > 3, true(), false())", "if() has no counterpart"),
        ("coalesce(${alter}, 3) > 2", "coalesce() with 2 arguments has no counterpart"),
        ("selected(${alter}, '1')", "needs a select question"),
        ("${alter} > ", "ends too early"),
        ("${alter} = 3)", "unexpected ')'"),
        (". > 3", "only means something in a constraint"),
        ("${alter} # 3", "unexpected character '#'"),
    ],
)
def test_what_has_no_counterpart_is_refused_with_a_reason(xpath: str, says: str) -> None:
    with pytest.raises(Untranslatable) as refused:
        translate(xpath, questions=SUBJECTS)
    assert says in refused.value.message


SUBJECTS: dict[str, Subject | str] = {
    "farbe": Subject("farbe", "choice", {"rot": "rot", "gruen": "gruen"}),
    "dinge": Subject("dinge", "multi", {"Ball": "ball", "Rad": "rad"}),
    "alter": Subject("alter", "number"),
    "name": Subject("name", "text"),
    "tag": Subject("tag", "date"),
    "notiz": "'notiz' is a note and has no answer to test",
}


def test_a_constraint_calls_its_own_answer_value_by_dot_and_by_name() -> None:
    own = Subject("anzahl", "number")
    assert translate(". > 0 and ${anzahl} < 10", questions=SUBJECTS, own=own, own_name="anzahl") == (
        "value > 0 and value < 10"
    )
    multi = Subject("dinge2", "multi", {"a": "a"})
    assert translate("not(selected(., 'a'))", questions=SUBJECTS, own=multi, own_name="dinge2") == (
        "not selected(value, 'a')"
    )


# --- types ----------------------------------------------------------------------------


def test_ranges_that_fit_a_scale_are_scales_and_others_numbers(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label", "parameters"],
            ["range", "sterne", "Wie viele Sterne?", "start=1 end=5"],
            ["range", "standard", "Wie sehr?"],
            ["range", "prozent", "Wie viel Prozent?", "start=0 end=100 step=5"],
            ["range", "lang", "Wie weit?", "start=1 end=20"],
            ["range", "halb", "Wie viel?", "start=0 end=2 step=0.5"],
        ],
    )
    conversion = converted(form)
    questions = {q.id: q for q in loaded(conversion).questions}
    shape = {qid: (q.type.value, q.min, q.max, q.integer) for qid, q in questions.items()}
    assert shape == {
        "sterne": ("scale", 1, 5, False),
        "standard": ("scale", 1, 10, False),
        "prozent": ("number", 0, 100, True),
        "lang": ("number", 1, 20, True),
        "halb": ("number", 0, 2, False),
    }
    assert "in steps of 5 is imported as a number from 0 to 100" in note_at(conversion, 4, "parameters")
    assert "has 20 steps, more than a scale's 11" in note_at(conversion, 5, "parameters")


def test_types_without_a_counterpart_are_left_out_with_a_warning(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["time", "uhrzeit", "Um wie viel Uhr?"],
            ["audio", "sprachnachricht", "Sprechen Sie!"],
            ["barcode", "code", "Scannen Sie!"],
            ["start", "beginn"],
            ["text", "rest", "Noch etwas?", "${uhrzeit} != ''"],
        ],
    )
    conversion = converted(form)
    assert [q.id for q in loaded(conversion).questions] == ["rest"]
    assert "'uhrzeit' is left out: the type 'time' has no counterpart" in note_at(conversion, 2, "type")
    assert "the type 'audio'" in note_at(conversion, 3) and "the type 'barcode'" in note_at(conversion, 4)
    assert "nobody is asked for it" in note_at(conversion, 5)
    assert "'uhrzeit' (time, row 2) is left out" in note_at(conversion, 6, "relevant")


def test_a_repeat_is_asked_once_with_a_warning_and_groups_nest(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["integer", "anzahl", "Wie viele Kinder haben Sie?"],
            ["begin_repeat", "kind", "Ein Kind", "${anzahl} > 0"],
            ["begin_group", "schule", "", "${anzahl} < 10"],
            ["integer", "alter_kind", "Wie alt ist das Kind?"],
            ["end_group"],
            ["end_repeat"],
        ],
    )
    conversion = converted(form)
    questions = {q.id: q for q in loaded(conversion).questions}
    assert list(questions) == ["anzahl", "kind", "alter_kind"]  # the unlabelled group leaves no info text
    assert str(questions["alter_kind"].show_if) == "anzahl > 0 and anzahl < 10"
    assert "repeat 'kind' is asked once" in note_at(conversion, 3)
    assert next(n for n in conversion.notes if n.row == 3).severity == "warning"


def test_required_expressions_become_optional_with_a_warning(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label", "required"],
            ["text", "a", "A?", "TRUE"],
            ["text", "b", "B?", "no"],
            ["text", "c", "C?", "${a} != ''"],
        ],
    )
    conversion = converted(form)
    assert [q.required for q in loaded(conversion).questions] == [True, False, False]
    assert "depends on other answers" in note_at(conversion, 4, "required")


def test_every_xlsform_type_is_taken_by_one_kind_at_most() -> None:
    named = [t for kind in KINDS.values() for t in kind.xlsform_types]
    assert len(named) == len(set(named))
    assert set(named) == {
        "note", "select one", "select all that apply", "integer", "decimal", "range", "text", "date",
        "geopoint", "photo",
    }  # fmt: skip


def test_labels_that_clash_in_our_format_are_errors_naming_the_row(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [["type", "name", "label"], ["select_one x", "frage", "Welche?"]],
        [["list_name", "name", "label"], ["x", "a", "Ja"], ["x", "b", "ja"]],
    )
    conversion = converted(form)
    assert conversion.text is None
    error = conversion.errors[0]
    assert error.row == 2 and "options 'a' and 'b' have the same de label" in error.message


# --- files that are no XLSForm ----------------------------------------------------------


def test_files_that_are_no_xlsform_are_refused_with_a_fix(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "form.txt"
    text.write_text("type,name,label\n", encoding="utf-8")
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is no workbook")
    no_survey = xlsform(
        tmp_path, [["type", "name", "label"], ["text", "a", "A"]], name="ns.xlsx", survey_sheet="Fragen"
    )
    invalid = xlsform(tmp_path, [["type", "name", "label"], ["text", "a b", "A"]], name="invalid.xlsx")
    no_list = xlsform(tmp_path, [["type", "name", "label"], ["select_one farben", "farbe", "Farbe?"]], name="nl.xlsx")
    cases = [
        (tmp_path / "fehlt.xlsx", "no such file — check the path"),
        (text, "not an XLSForm spreadsheet — save the form as .xlsx"),
        (broken, "can't be read as a spreadsheet"),
        (no_survey, "there is no sheet named 'survey' (sheets: 'Fragen')"),
        (invalid, "survey row 2: On the 'survey' sheet, the 'name' value is invalid"),
        (no_list, "There should be a choices sheet"),
    ]
    for path, says in cases:
        assert cli("import-xlsform", path, "-o", tmp_path / "out.toml") == 2, path
        err = capsys.readouterr().err
        assert err.startswith(f"mitwirken: {path}: ") and says in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "out.toml").exists()
    with pytest.raises(CommandError, match="no such file"):
        read_workbook(tmp_path / "fehlt.xlsx")


def test_help_does_not_load_pyxform() -> None:
    probe = "import sys; from bot.staff.cli import parser; parser(); print('pyxform' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_example_in_the_format_doc_is_what_the_import_writes(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "survey-format.md").read_text(encoding="utf-8")
    example = doc.split("## Import from XLSForm", 1)[1].split("### Example", 1)[1]
    shown = tomllib.loads(example.split("```toml", 1)[1].split("```", 1)[0])
    form = xlsform(
        tmp_path,
        [
            ["type", "name", DE, EN, "required", "relevant"],
            ["select_one ja_nein", "wohnt_hier", "Wohnen Sie in Hörde?", "Do you live in Hörde?", "yes"],
            ["select_multiple probleme or_other", "probleme", "Was stört Sie?", "What bothers you?", "",
             "${wohnt_hier} = 'ja'"],
        ],
        WOHNEN_CHOICES[:3] + WOHNEN_CHOICES[3:5],
        [["form_title", "form_id"], ["Wohnen in Hörde", "wohnen_hoerde"]],
    )  # fmt: skip
    conversion = converted(form)
    assert conversion.text is not None
    assert tomllib.loads(conversion.text) == shown


def test_a_list_shared_with_an_or_other_question_keeps_its_own_options_and_texts_are_checked(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [
            ["type", "name", "label"],
            ["select_one jn or_other", "a", "Haben Sie ${b} gesehen?"],
            ["select_one jn", "b", "Ist es **wichtig**?"],
        ],
        [["list_name", "name", "label"], ["jn", "ja", "Ja"], ["jn", "nein", "Nein"]],
    )
    conversion = converted(form)
    first, second = loaded(conversion).questions
    assert (first.other, [o.id for o in first.options]) == (True, ["ja", "nein"])
    assert (second.other, [o.id for o in second.options]) == (False, ["ja", "nein"])
    assert "participants will see as written" in note_at(conversion, 2, "label")
    assert "HTML or Markdown" in note_at(conversion, 3, "label")


def test_what_the_check_of_the_written_file_says_names_the_row_and_column_it_came_from(tmp_path: Path) -> None:
    form = xlsform(
        tmp_path,
        [["type", "name", "label", "constraint"], ["text", "a", "A?"], ["integer", "b", "B?", ". > 0"]],
    )
    conversion = converted(form)
    loaded(conversion)
    found = next(n for n in conversion.notes if "constraint_message" in n.message)
    assert (found.row, found.column, found.severity) == (3, "constraint", "warning")
    assert found.message.startswith("survey.toml: questions[2].constraint: a constraint without")
