"""Reading and checking process files: valid files per question type, every class of problem,
orphaned answers, and reading a catalog of files from disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.process_files import load_catalog
from surveys.loader import orphan_problems, parse_duration, parse_process
from surveys.model import IdeaCall, QuestionType, Survey
from surveys.problems import Problem, did_you_mean

HEAD = """format = 1
id = "test-umfrage"
title = { de = "Testumfrage", en = "Test survey" }
languages = ["de", "en"]
"""

CHOICE = """
[[questions]]
id = "haeufigkeit"
type = "choice"
text = "Wie oft?"
options = [
  { id = "taeglich", de = "Täglich", en = "Daily" },
  { id = "selten", de = "Selten" },
]
"""


def parse(source: str, languages: tuple[str, ...] = ("de", "en")) -> tuple[Survey | IdeaCall | None, list[Problem]]:
    return parse_process(source, file="t.toml", bot_languages=languages)


def translated(problems: Iterable[Problem]) -> list[Problem]:
    """The problems but the warning about texts without a version in an offered language
    (the fixtures here leave many texts German-only on purpose; its own tests are below)."""
    return [p for p in problems if not (p.severity == "warning" and "text(s) have no '" in p.message)]


def survey(source: str) -> Survey:
    process, problems = parse(source)
    assert [p for p in problems if p.severity == "error"] == [], "\n".join(map(str, problems))
    assert isinstance(process, Survey)
    return process


def errors(source: str) -> list[Problem]:
    process, problems = parse(source)
    found = [p for p in problems if p.severity == "error"]
    assert found, "expected errors"
    assert process is None
    return found


def one_error(source: str) -> Problem:
    found = errors(source)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def question(body: str) -> str:
    return HEAD + CHOICE + "\n[[questions]]\n" + body


# --- valid files ------------------------------------------------------------------------


def test_a_minimal_survey_uses_defaults() -> None:
    s = survey('format = 1\nid = "abc"\ntitle = "  Titel  "\n' + CHOICE)
    assert s.languages == ("de", "en")  # from the bot
    assert s.title.get("en") == "Titel" and s.title.fallback == "de"
    assert s.kind == "survey" and not s.anonymous and s.reminders == ()
    q = s.questions[0]
    assert q.required and q.other is False and [o.id for o in q.options] == ["taeglich", "selten"]
    assert q.options[1].label.get("en") == "Selten"  # falls back to the first language
    assert s.source == "t.toml"


VALID_TYPES = {
    "info": ('type = "info"', {}),
    "choice": ('type = "choice"\nother = true\noptions = [{ id = "a", de = "A" }]', {"other": True}),
    "multi": (
        'type = "multi"\nmin = 1\nmax = 2\noptions = [{ id = "a", de = "A" }, { id = "b", de = "B" }]',
        {"min": 1, "max": 2},
    ),
    "yesno": ('type = "yesno"', {}),
    "scale": ('type = "scale"\nmin = 0\nmax = 10\nmin_label = "schlecht"', {"min": 0, "max": 10}),
    "number": (
        'type = "number"\nmin = 0.5\nmax = 99\ninteger = false\nunit = { de = "Jahre", en = "years" }',
        {"min": 0.5, "max": 99},
    ),
    "text": ('type = "text"\nmin_length = 2\nmax_length = 4000', {"min_length": 2, "max_length": 4000}),
    "date": ('type = "date"\nmin = 2026-01-01\nmax = 2026-12-31', {"min": dt.date(2026, 1, 1)}),
    "location": ('type = "location"\nbounds = [51.41, 7.30, 51.60, 7.64]', {"bounds": (51.41, 7.30, 51.60, 7.64)}),
    "photo": ('type = "photo"\nmax_mb = 20', {"max_mb": 20.0}),
}


@pytest.mark.parametrize("kind", list(VALID_TYPES))
def test_a_valid_question_of_every_type(kind: str) -> None:
    body, expected = VALID_TYPES[kind]
    s = survey(question(f'id = "frage"\ntext = {{ de = "Frage", en = "Question" }}\nhint = "Tipp"\n{body}\n'))
    q = s.questions[1]
    assert q.type is QuestionType(kind)
    assert q.hint is not None and q.hint.get("de") == "Tipp"
    for name, value in expected.items():
        assert getattr(q, name) == value


def test_type_defaults() -> None:
    s = survey(
        HEAD + '[[questions]]\nid = "a"\ntype = "scale"\ntext = "x"\n'
        '[[questions]]\nid = "b"\ntype = "text"\ntext = "x"\n'
        '[[questions]]\nid = "c"\ntype = "photo"\ntext = "x"\n'
    )
    scale, text, photo = s.questions
    assert (scale.min, scale.max) == (1, 5)
    assert text.max_length == 2000 and text.min_length is None
    assert photo.max_mb == 10.0


def test_a_full_survey_header() -> None:
    s = survey(
        HEAD
        + 'intro = "Hallo"\noutro = { de = "Danke" }\ncontact = "amt@example.org"\n'
        + "opens = 2026-01-01T00:00:00+01:00\ncloses = 2026-02-01T00:00:00Z\n"
        + 'topics = ["verkehr"]\ndistricts = ["Hombruch", "Eving"]\nanonymous = true\n'
        + 'reminders = ["1d12h", "30m"]\n'
        + CHOICE
    )
    assert s.opens == dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert s.closes is not None and s.closes.tzinfo is not None
    assert s.topics == ("verkehr",) and s.districts == ("Hombruch", "Eving")
    assert s.anonymous
    assert s.reminders == (dt.timedelta(minutes=30), dt.timedelta(days=1, hours=12))


def test_conditions_may_use_earlier_answers_and_end_if_its_own() -> None:
    s = survey(
        question(
            'id = "warum"\ntype = "yesno"\ntext = "x"\n'
            "show_if = \"haeufigkeit == 'selten' or selected(haeufigkeit, 'taeglich')\"\n"
            'end_if = "warum == false"\nend_text = "Ende"\n'
            '[[questions]]\nid = "zahl"\ntype = "number"\ntext = "x"\n'
            'constraint = "value > 0 and warum"\nconstraint_message = "Mehr als 0"\n'
        )
    )
    assert s.questions[1].end_if is not None and s.questions[1].end_text is not None
    assert s.questions[2].constraint is not None


def test_an_idea_call() -> None:
    process, problems = parse(
        'format = 1\nid = "ideen-nord"\nkind = "ideas"\ntitle = "Ideen"\n'
        'categories = [{ id = "gruen", de = "Grün", en = "Green" }, { id = "verkehr", de = "Verkehr" }]\n'
        'ask_location = "required"\nask_photo = "optional"\nmoderation = "after"\nmax_length = 500\n'
        "support = false\n"
    )
    assert translated(problems) == []
    assert isinstance(process, IdeaCall)
    assert [c.id for c in process.categories] == ["gruen", "verkehr"]
    assert (process.ask_location, process.ask_photo, process.moderation) == ("required", "optional", "after")
    assert process.max_length == 500 and process.support is False


def test_idea_call_defaults() -> None:
    process, _ = parse('format = 1\nid = "ideen"\nkind = "ideas"\ntitle = "Ideen"\n')
    assert isinstance(process, IdeaCall)
    assert (process.ask_location, process.ask_photo, process.moderation) == ("no", "no", "before")
    assert process.max_length == 1000 and process.support is True and process.categories == ()


# --- problems: keys, ids, types ---------------------------------------------------------------


def test_unknown_top_level_key_with_did_you_mean() -> None:
    p = one_error(HEAD + 'titel = "x"\n' + CHOICE)
    assert (p.place, p.message, p.hint) == ("titel", "unknown key 'titel'", "did you mean 'title'?")
    assert (p.line, p.column) == (5, 1)


def test_unknown_question_key_is_checked_against_the_type() -> None:
    p = one_error(HEAD + CHOICE.replace("options =", "optoins = 1\noptions ="))
    assert p.place == "questions[1].optoins" and p.hint == "did you mean 'options'?"
    p = one_error(question('id = "x"\ntype = "scale"\ntext = "x"\nmax_mb = 3\n'))
    assert p.message == "a scale question takes no 'max_mb'" and p.hint == "'max_mb' is for photo"
    p = one_error(question('id = "x"\ntype = "info"\ntext = "x"\nrequired = false\n'))
    assert p.message == "an info question has no answer, so it takes no 'required'"


def test_unknown_type_with_did_you_mean() -> None:
    p = one_error(question('id = "x"\ntype = "mutli"\ntext = "x"\n'))
    assert p.place == "questions[2].type" and p.hint == "did you mean 'multi'?"


def test_duplicate_question_ids_name_both_places() -> None:
    p = one_error(HEAD + CHOICE + CHOICE)
    assert p.message == "question id 'haeufigkeit' is used twice: questions[1] and questions[2]"
    assert p.line == 16


@pytest.mark.parametrize("bad", ["Haeufigkeit", "häufigkeit", "1frage", "a-b", "x" * 41, "value", "and"])
def test_bad_question_ids(bad: str) -> None:
    p = one_error(HEAD + CHOICE.replace('"haeufigkeit"', f'"{bad}"'))
    assert p.place == "questions[1].id"


@pytest.mark.parametrize("bad", ["ab", "Radwege", "rad_wege", "-rad", "a" * 65])
def test_bad_process_ids(bad: str) -> None:
    p = one_error(HEAD.replace('"test-umfrage"', f'"{bad}"') + CHOICE)
    assert p.place == "id" and p.line == 2


def test_missing_required_keys() -> None:
    found = errors('id = "abc"\n[[questions]]\nid = "x"\n')
    messages = {(p.place, p.message) for p in found}
    assert ("", "the required key 'format' is missing") in messages
    assert ("", "the required key 'title' is missing") in messages
    assert ("questions[1]", "the required key 'type' is missing") in messages
    assert ("questions[1]", "the required key 'text' is missing") in messages


def test_wrong_format_and_kind() -> None:
    found = errors(HEAD.replace("format = 1", "format = 2") + 'kind = "umfrage"\n' + CHOICE)
    assert {p.place for p in found} == {"format", "kind"}


# --- problems: texts and languages --------------------------------------------------------------


def test_missing_fallback_text() -> None:
    p = one_error(HEAD.replace('de = "Testumfrage", ', "") + CHOICE)
    assert p.place == "title" and "missing in 'de'" in p.message


def test_option_label_missing_in_fallback_language() -> None:
    p = one_error(HEAD + CHOICE.replace('{ id = "selten", de = "Selten" }', '{ id = "selten", en = "Rarely" }'))
    assert p.place == "questions[1].options[2]" and p.line == 12


def test_unknown_language_in_a_text() -> None:
    p = one_error(HEAD.replace('en = "Test survey"', 'eng = "Test survey"') + CHOICE)
    assert p.place == "title.eng" and p.hint == "did you mean 'en'?" and (p.line, p.column) == (3, 31)


def test_simple_german_is_a_language_of_its_own() -> None:
    s = survey(
        HEAD.replace('["de", "en"]', '["de", "en", "de-x-simple"]')
        + CHOICE.replace('text = "Wie oft?"', 'text = { de = "Wie oft?", de-x-simple = "Wie oft fahren Sie?" }')
    )
    assert s.questions[0].text.get("de-x-simple") == "Wie oft fahren Sie?"
    assert s.title.get("de-x-simple") == "Testumfrage"  # falls back to de


def test_empty_and_long_texts() -> None:
    found = errors(HEAD.replace('"Testumfrage"', '"' + "T" * 201 + '"') + CHOICE.replace('"Wie oft?"', '"  "'))
    assert {p.place for p in found} == {"title.de", "questions[1].text.de"}


def test_bad_languages_list_is_one_problem_not_one_per_text() -> None:
    p = one_error(HEAD.replace('["de", "en"]', '["de", "English"]') + CHOICE)
    assert p.place == "languages" and p.line == 4


# --- problems: conditions ----------------------------------------------------------------------


def test_condition_syntax_error_has_its_column_in_the_file() -> None:
    p = one_error(question('id = "x"\ntype = "yesno"\ntext = "x"\nshow_if = "haeufigkeit = \'nie\'"\n'))
    assert p.place == "questions[2].show_if" and p.message.endswith("(column 13)")
    assert (p.line, p.column) == (19, 24)  # show_if = " is 11 characters; the '=' is the 13th inside


def test_condition_naming_a_later_question() -> None:
    p = one_error(
        HEAD
        + CHOICE.replace("options =", 'show_if = "note > 3"\noptions =')
        + ('[[questions]]\nid = "note"\ntype = "scale"\ntext = "x"\n')
    )
    assert p.message == "refers to question 'note' which comes later (questions[2])"


def test_condition_naming_an_unknown_question_with_did_you_mean() -> None:
    p = one_error(question('id = "x"\ntype = "yesno"\ntext = "x"\nshow_if = "haufigkeit == \'selten\'"\n'))
    assert str(p) == ("t.toml:19:1: questions[2].show_if: unknown question 'haufigkeit' — did you mean 'haeufigkeit'?")


def test_condition_naming_an_unknown_option() -> None:
    p = one_error(question('id = "x"\ntype = "yesno"\ntext = "x"\nshow_if = "haeufigkeit in [\'selten\', \'oft\']"\n'))
    assert p.message == "question 'haeufigkeit' has no option 'oft'"
    assert p.hint == "its options are 'selten', 'taeglich'"
    p = one_error(question('id = "x"\ntype = "yesno"\ntext = "x"\nshow_if = "selected(haeufigkeit, \'taglich\')"\n'))
    assert p.hint == "did you mean 'taeglich'?"


def test_other_is_an_option_only_with_other_true() -> None:
    body = 'id = "x"\ntype = "yesno"\ntext = "x"\nshow_if = "haeufigkeit == \'other\'"\n'
    assert one_error(question(body)).message == "question 'haeufigkeit' has no option 'other'"
    survey(HEAD + CHOICE.replace("options =", "other = true\noptions =") + "\n[[questions]]\n" + body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('show_if = "x == true"', "refers to its own question 'x', which is not answered yet"),
        ('constraint = "x > 1"\nconstraint_message = "m"', "refers to its own question 'x', which is not answered yet"),
        ('show_if = "value > 1"', "'value' only works in a constraint, not in 'show_if'"),
        ('show_if = "hallo"', "question 'hallo' is an info text and has no answer to test"),
        ("show_if = \"ja == 'yes'\"", "question 'ja' is a yes/no question: compare it with true or false"),
    ],
)
def test_condition_reference_rules(body: str, message: str) -> None:
    source = (
        HEAD + '[[questions]]\nid = "hallo"\ntype = "info"\ntext = "Hallo"\n'
        '[[questions]]\nid = "ja"\ntype = "yesno"\ntext = "x"\n'
        f'[[questions]]\nid = "x"\ntype = "number"\ntext = "x"\n{body}\n'
    )
    assert one_error(source).message == message


def test_pairs_of_keys() -> None:
    found = errors(question('id = "x"\ntype = "yesno"\ntext = "x"\nend_text = "Ende"\nconstraint_message = "m"\n'))
    assert {p.place for p in found} == {"questions[2].end_text", "questions[2].constraint_message"}
    _, problems = parse(question('id = "x"\ntype = "number"\ntext = "x"\nconstraint = "value > 1"\n'))
    assert [(p.severity, p.place) for p in translated(problems)] == [("warning", "questions[2].constraint")]


# --- problems: dates, durations, ranges ------------------------------------------------------------


def test_opens_must_be_before_closes() -> None:
    p = one_error(HEAD + "opens = 2026-03-01T00:00:00+01:00\ncloses = 2026-03-01T00:00:00+01:00\n" + CHOICE)
    assert p.place == "closes" and "is not after 'opens'" in p.message


def test_datetimes_need_an_offset() -> None:
    found = errors(HEAD + "opens = 2026-03-01T00:00:00\ncloses = 2026-03-05\n" + CHOICE)
    assert [(p.place, p.message) for p in found] == [
        ("opens", "'opens' has no UTC offset"),
        ("closes", "'closes' must be a date and time, not a date"),
    ]


def test_bad_reminder_durations() -> None:
    found = errors(HEAD + 'reminders = ["2d", "2 Tage", "0h", 3]\n' + CHOICE)
    assert [p.place for p in found] == ["reminders[2]", "reminders[3]", "reminders[4]"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2d", dt.timedelta(days=2)),
        ("12h", dt.timedelta(hours=12)),
        ("30m", dt.timedelta(minutes=30)),
        ("1d12h", dt.timedelta(days=1, hours=12)),
        ("1d 2h 5m", dt.timedelta(days=1, hours=2, minutes=5)),
        ("0d", None),
        ("", None),
        ("2w", None),
        ("h", None),
        ("12h1d", None),
    ],
)
def test_parse_duration(text: str, expected: dt.timedelta | None) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("body", "place", "words"),
    [
        ('type = "scale"\nmin = 0\nmax = 11', "questions[2].max", "12 steps"),
        ('type = "scale"\nmin = 5\nmax = 5', "questions[2].min", "smaller than"),
        ('type = "number"\nmin = 10\nmax = 1', "questions[2].min", "larger than"),
        ('type = "text"\nmax_length = 5000', "questions[2].max_length", "from 1 to 4000"),
        ('type = "text"\nmin_length = 50\nmax_length = 10', "questions[2].min_length", "larger than"),
        ('type = "date"\nmin = 2026-05-01\nmax = 2026-04-01', "questions[2].min", "later than"),
        ('type = "date"\nmin = "2026-05-01"', "questions[2].min", "must be a date"),
        ('type = "location"\nbounds = [51.60, 7.30, 51.41, 7.64]', "questions[2].bounds", "south"),
        ('type = "location"\nbounds = [51.4, -190, 51.6, 7.6]', "questions[2].bounds", "no longitude"),
        ('type = "location"\nbounds = [51.4, 7.3]', "questions[2].bounds", "4 numbers"),
        ('type = "photo"\nmax_mb = 25', "questions[2].max_mb", "at most 20"),
        ('type = "photo"\nmax_mb = 0', "questions[2].max_mb", "more than 0"),
        (
            'type = "multi"\nmax = 3\noptions = [{ id = "a", de = "A" }, { id = "b", de = "B" }]',
            "questions[2].max",
            "from 1 to 2",
        ),
        (
            'type = "multi"\nmin = 2\nmax = 1\noptions = [{ id = "a", de = "A" }, { id = "b", de = "B" }]',
            "questions[2].min",
            "larger than",
        ),
        ('type = "choice"\noptions = [{ id = "a", de = "A" }]', "questions[2].options", "at least 2"),
        ('type = "choice"\nother = true\noptions = [{ id = "other", de = "A" }]', "questions[2].options", "clashes"),
        (
            'type = "choice"\noptions = [{ id = "A b", de = "A" }, { id = "b", de = "B" }]',
            "questions[2].options[1].id",
            "1 to 40",
        ),
        (
            'type = "choice"\noptions = [{ id = "a", de = "Ja" }, { id = "b", de = "ja" }]',
            "questions[2].options",
            "same de label",
        ),
        ('type = "yesno"\nrequired = "nein"', "questions[2].required", "true or false"),
    ],
)
def test_range_and_value_errors(body: str, place: str, words: str) -> None:
    p = one_error(question(f'id = "frage"\ntext = "x"\n{body}\n'))
    assert p.place == place and words in p.message, str(p)


def test_the_scale_limit_says_why() -> None:
    p = one_error(question('id = "frage"\ntext = "x"\ntype = "scale"\nmax = 20\n'))
    assert p.hint is not None and "buttons" in p.hint


# --- problems: survey and idea-call structure ------------------------------------------------------


def test_a_survey_needs_an_answerable_question() -> None:
    assert one_error(HEAD).message == "a survey needs at least one question"
    assert one_error(HEAD + "questions = []\n").message == "a survey needs at least one question"
    assert "can be answered" in one_error(HEAD + '[[questions]]\nid = "a"\ntype = "info"\ntext = "x"\n').message


def test_an_idea_call_takes_no_questions_or_survey_keys() -> None:
    found = errors(
        'format = 1\nid = "ideen"\nkind = "ideas"\ntitle = "Ideen"\nanonymous = true\nask_location = "ja"\n'
        "max_length = 5\n" + CHOICE
    )
    by_place = {p.place: p for p in found}
    assert by_place["questions"].message == "an idea call has no questions"
    assert by_place["anonymous"].message == "an idea call takes no 'anonymous'"
    assert "must be one of" in by_place["ask_location"].message
    assert "from 10 to 4000" in by_place["max_length"].message


def test_a_survey_takes_no_idea_call_keys() -> None:
    p = one_error(HEAD + 'moderation = "after"\n' + CHOICE)
    assert p.message == "a survey takes no 'moderation'" and "idea calls" in (p.hint or "")


# --- syntax errors and many problems at once ---------------------------------------------------------


def test_toml_syntax_error_names_line_and_column() -> None:
    process, problems = parse(HEAD + 'intro = "unclosed\n')
    assert process is None
    [p] = problems
    assert (p.line, p.column) == (5, 18)
    assert p.message.startswith("TOML syntax error")
    assert str(p).startswith("t.toml:5:18: TOML syntax error")


def test_all_problems_of_a_file_are_reported_at_once_in_file_order() -> None:
    found = errors(
        'format = 1\nid = "Bad Id"\ntitle = { de = "T", fr = "F" }\nopens = 2026-01-01T00:00:00\n'
        'reminders = ["soon"]\n'
        '[[questions]]\nid = "a"\ntype = "choise"\ntext = "x"\n'
        '[[questions]]\nid = "a"\ntype = "scale"\ntext = "x"\nmax = 99\nshow_if = "b > 1"\n'
    )
    assert [p.place for p in found] == [
        "id",
        "title.fr",
        "opens",
        "reminders[1]",
        "questions[1].type",
        "questions[2].id",
        "questions[2].max",
        "questions[2].show_if",
    ]
    assert [p.line for p in found] == sorted(p.line for p in found if p.line is not None)


# --- problems as text, did-you-mean ----------------------------------------------------------------


def test_problem_text() -> None:
    p = Problem("x.toml", "questions[3].show_if", "unknown question 'haufigkeit'", "did you mean 'haeufigkeit'?", 12, 5)
    assert str(p) == "x.toml:12:5: questions[3].show_if: unknown question 'haufigkeit' — did you mean 'haeufigkeit'?"
    assert str(Problem("x.toml", "", "no such file or folder")) == "x.toml: no such file or folder"
    assert str(Problem("x.toml", "a", "b", severity="warning")) == "x.toml: warning: a: b"


def test_did_you_mean() -> None:
    assert did_you_mean("haufigkeit", ["haeufigkeit", "note"]) == "did you mean 'haeufigkeit'?"
    assert did_you_mean("xyz", ["haeufigkeit", "note"]) is None
    assert did_you_mean("Id", ["id", "type"]) == "did you mean 'id'?"


# --- orphaned answers --------------------------------------------------------------------------------


ORPHANS = survey(
    HEAD
    + CHOICE.replace("options =", "other = true\noptions =")
    + '[[questions]]\nid = "note"\ntype = "scale"\ntext = "x"\n'
)


def test_no_orphans_when_answers_fit() -> None:
    answered = {"haeufigkeit": ("choice", {"taeglich", "other"}), "note": ("scale", set())}
    assert orphan_problems(ORPHANS, answered, file="t.toml") == []


def test_orphans_are_errors() -> None:
    answered = {
        "haeufigkeit": ("choice", {"taeglich", "nie"}),
        "note": ("number", set()),
        "wunsch": ("text", set()),
    }
    problems = orphan_problems(ORPHANS, answered, file="t.toml")
    assert [(p.place, p.message) for p in problems] == [
        ("questions[1].options", "option 'nie' of question 'haeufigkeit' is used in stored answers but is gone"),
        ("questions[2]", "question 'note' has stored number answers but is now a scale"),
        ("questions", "question 'wunsch' has stored answers but is gone from the file"),
    ]
    assert all(p.severity == "error" for p in problems)
    assert problems[1].hint == "give the changed question a new id instead"


def test_idea_call_orphans_are_removed_categories() -> None:
    ideas, _ = parse('format = 1\nid = "ideen"\nkind = "ideas"\ntitle = "I"\ncategories = [{ id = "a", de = "A" }]\n')
    assert isinstance(ideas, IdeaCall)
    problems = orphan_problems(ideas, {"category": ("category", {"a", "b"})}, file="i.toml")
    assert [p.message for p in problems] == ["category 'b' is used by stored ideas but is gone"]


# --- reading files from disk ---------------------------------------------------------------------------


def good_file(process_id: str) -> str:
    return HEAD.replace("test-umfrage", process_id) + CHOICE


def test_load_catalog_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(good_file("umfrage-a"), "utf-8")
    (tmp_path / "b.toml").write_text(good_file("umfrage-a"), "utf-8")  # the same id again
    (tmp_path / "c.toml").write_text(good_file("umfrage-c").replace("format = 1", "format = 1\nbroken ="), "utf-8")
    (tmp_path / "d.toml").write_bytes(b"\xef\xbb\xbf" + good_file("umfrage-d").encode())  # with a byte order mark
    (tmp_path / "e.toml").write_bytes(good_file("umfrage-e").encode().replace(b"Test survey", b"Test \xff survey"))
    (tmp_path / ".hidden.toml").write_text("not even toml", "utf-8")
    (tmp_path / "notes.txt").write_text("ignored", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.toml").write_text(good_file("umfrage-f"), "utf-8")

    catalog = load_catalog([tmp_path, tmp_path / "missing"], bot_languages=["de", "en"])

    assert [p.id for p in catalog.processes] == ["umfrage-a", "umfrage-d"]
    assert catalog.get("umfrage-d") is not None and catalog.get("umfrage-c") is None
    by_file = {Path(p.file).name: p for p in translated(catalog.problems)}
    assert set(by_file) == {"b.toml", "c.toml", "e.toml", "missing"}
    id_line = good_file("umfrage-a").splitlines().index('id = "umfrage-a"') + 1
    assert by_file["b.toml"].message == (
        f"the id 'umfrage-a' is already used by {tmp_path / 'a.toml'}:{id_line}, so this file is not served"
    )
    assert by_file["b.toml"].line == id_line and by_file["b.toml"].place == "id"
    assert by_file["c.toml"].line == 2 and "syntax" in by_file["c.toml"].message
    assert by_file["e.toml"].message == "is not valid UTF-8 text" and by_file["e.toml"].line == 3
    assert by_file["missing"].message == "no such file or folder"
    assert list(catalog.errors) == translated(catalog.problems)


def test_load_catalog_reads_a_file_named_twice_once(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(good_file("umfrage-a"), "utf-8")
    catalog = load_catalog([tmp_path, path], bot_languages=["de"])
    assert [p.id for p in catalog.processes] == ["umfrage-a"] and translated(catalog.problems) == []


# --- robustness: any value in any place gives problems, never an exception --------------------------


WRONG_VALUES = ("1", "true", '"x"', "[]", '[1, "a"]', "{}", "2026-01-01", "1.5", "-3", "{ de = 1 }", '""', "[{}]")
SPEC_LINES = (
    HEAD
    + 'closes = 2027-02-10T23:59:00+01:00\nreminders = ["2d"]\n'
    + CHOICE.replace('"choice"', '"multi"').replace(
        "options =", 'other = true\nmin = 1\nmax = 2\nshow_if = "1 == 1"\noptions ='
    )
    + (
        '[[questions]]\nid = "ort"\ntype = "location"\nbounds = [51.41, 7.30, 51.60, 7.64]\ntext = "x"\n'
        'constraint = "value != null"\nconstraint_message = "m"\n'
    )
).splitlines()


def test_the_robustness_baseline_is_valid() -> None:
    survey("\n".join(SPEC_LINES) + "\n")


@pytest.mark.parametrize("index", [i for i, line in enumerate(SPEC_LINES) if " = " in line and "{ id" not in line])
def test_any_wrong_value_is_a_problem_not_a_crash(index: int) -> None:
    key = SPEC_LINES[index].split(" = ", 1)[0]
    for wrong in WRONG_VALUES:
        lines = list(SPEC_LINES)
        lines[index] = f"{key} = {wrong}"
        process, problems = parse("\n".join(lines) + "\n")
        errors_found = [p for p in problems if p.severity == "error"]
        assert (process is None) == bool(errors_found)
        assert all(isinstance(p.message, str) and p.message for p in problems)


# --- texts missing in an offered language --------------------------------------------------------


def test_check_lists_per_offered_language_the_texts_it_lacks_and_what_readers_see() -> None:
    source = (
        'format = 1\nid = "sprachen"\nlanguages = ["en", "de", "tr", "de-x-simple", "ar"]\n'
        'title = { en = "Parks", de = "Parks", tr = "Parklar", de-x-simple = "Parks", ar = "الحدائق" }\n'
        'intro = { en = "About parks.", de = "Über Parks.", ar = "عن الحدائق." }\n'
        "\n[[questions]]\n"
        'id = "oft"\ntype = "choice"\ntext = { en = "How often?", de = "Wie oft?", tr = "Ne sıklıkla?" }\n'
        'options = [{ id = "oft", en = "Often", de = "Oft", tr = "Sık", ar = "غالبًا" }, { id = "nie", en = "Never" }]\n'
    )
    process, problems = parse(source)
    assert process is not None, "a missing translation is a warning, not an error"
    warnings = {p.message.split("'", 2)[1]: p for p in problems}
    assert set(warnings) == {"de", "tr", "de-x-simple", "ar"}
    assert all(p.severity == "warning" and p.file == "t.toml" for p in problems)
    tr = warnings["tr"]
    assert tr.message == (
        "2 text(s) have no 'tr' version, so readers of 'tr' see the 'en' text: intro, questions[1].options[2]"
    )
    assert tr.place == "intro" and tr.line == 5, "the warning points at the first text that lacks it"
    assert tr.hint == "add tr = \"…\" to each, or remove 'tr' from 'languages'"
    simple = warnings["de-x-simple"]
    assert "see the 'de' text" in simple.message, "Easy German falls back to German first"
    assert "intro, questions[1].text, questions[1].options[1], questions[1].options[2]" in simple.message
    assert "1 text(s) have no 'de' version" in warnings["de"].message
    assert "questions[1].text, questions[1].options[2]" in warnings["ar"].message


def test_a_fully_translated_file_and_a_one_language_file_get_no_such_warning() -> None:
    _, problems = parse(
        'format = 1\nid = "xyz"\ntitle = { de = "T", en = "T" }\nlanguages = ["de", "en"]\n'
        '[[questions]]\nid = "q"\ntype = "text"\ntext = { de = "Was?", en = "What?" }\n'
    )
    assert problems == []
    _, problems = parse(
        'format = 1\nid = "xyz"\ntitle = "T"\nlanguages = ["de"]\n'
        '[[questions]]\nid = "q"\ntype = "text"\ntext = "Was?"\n'
    )
    assert problems == []


def test_the_untranslated_list_is_cut_after_eight_places() -> None:
    questions = "".join(f'[[questions]]\nid = "q{i}"\ntype = "text"\ntext = "Frage {i}"\n' for i in range(12))
    _, problems = parse('format = 1\nid = "xyz"\ntitle = "T"\nlanguages = ["de", "uk"]\n' + questions)
    (warning,) = problems
    assert warning.message.startswith("13 text(s) have no 'uk' version") and warning.message.endswith(" and 5 more")
