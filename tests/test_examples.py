"""The example files (what `make run` serves) and the format description's example are valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveys.loader import parse_process
from surveys.model import IdeaCall, QuestionType, Survey

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "surveys"
BOT_LANGUAGES = ("de", "en")

SPEC_EXAMPLE = """
format = 1
id = "radverkehr-innenstadt"
title = { de = "Radverkehr in der Innenstadt", en = "Cycling in the city centre" }
intro = { de = "Fünf kurze Fragen, etwa 2 Minuten.", en = "Five short questions, about 2 minutes." }
outro = { de = "Danke! Die Ergebnisse erscheinen im März.", en = "Thank you! Results follow in March." }
languages = ["de", "en"]
closes = 2027-02-10T23:59:00+01:00
reminders = ["2d"]

[[questions]]
id = "haeufigkeit"
type = "choice"
text = { de = "Wie oft fahren Sie in der Innenstadt Rad?", en = "How often do you cycle in the city centre?" }
options = [
  { id = "taeglich", de = "Täglich", en = "Daily" },
  { id = "woechentlich", de = "Wöchentlich", en = "Weekly" },
  { id = "selten", de = "Selten", en = "Rarely" },
  { id = "nie", de = "Nie", en = "Never" },
]

[[questions]]
id = "hindernis"
type = "multi"
text = { de = "Was hält Sie ab?", en = "What keeps you from it?" }
show_if = "haeufigkeit in ['selten', 'nie']"
options = [
  { id = "sicherheit", de = "Unsichere Wege", en = "Unsafe routes" },
  { id = "parken", de = "Keine Abstellplätze", en = "No parking" },
]
other = true

[[questions]]
id = "note"
type = "scale"
text = { de = "Wie sicher fühlen Sie sich auf dem Wall?", en = "How safe do you feel on the Wall ring road?" }
min_label = { de = "gar nicht", en = "not at all" }
max_label = { de = "sehr", en = "very" }

[[questions]]
id = "ort"
type = "location"
required = false
text = { de = "Wo ist es besonders gefährlich?", en = "Where is it most dangerous?" }
bounds = [51.41, 7.30, 51.60, 7.64]

[[questions]]
id = "wunsch"
type = "text"
required = false
max_length = 1000
text = { de = "Was wünschen Sie sich?", en = "What would you like to see?" }
"""


def load(path: Path) -> Survey | IdeaCall:
    process, problems = parse_process(path.read_text("utf-8"), file=str(path), bot_languages=BOT_LANGUAGES)
    assert problems == [], "\n".join(map(str, problems))
    assert process is not None
    return process


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_has_no_problems(path: Path) -> None:
    process = load(path)
    assert process.id == path.stem  # the file name says which process it holds


def test_the_examples_we_promise_are_there() -> None:
    names = {p.name for p in EXAMPLES.glob("*.toml")}
    assert {"radverkehr-innenstadt.toml", "spielplaetze-hombruch.toml", "klimaschutz-buergerbudget.toml"} <= names


def test_the_playground_survey_uses_every_question_type_and_feature() -> None:
    survey = load(EXAMPLES / "spielplaetze-hombruch.toml")
    assert isinstance(survey, Survey)
    assert {q.type for q in survey.questions} == set(QuestionType)
    assert survey.languages == ("de", "en", "de-x-simple")
    assert any(q.show_if for q in survey.questions)
    assert any(q.end_if and q.end_text for q in survey.questions)
    assert any(q.constraint and q.constraint_message for q in survey.questions)
    assert any(q.hint for q in survey.questions)
    assert any(not q.required for q in survey.questions)
    assert any(q.other for q in survey.questions if q.type is QuestionType.CHOICE)
    multi = next(q for q in survey.questions if q.type is QuestionType.MULTI)
    assert (multi.min, multi.max) == (1, 3)
    location = next(q for q in survey.questions if q.type is QuestionType.LOCATION)
    assert location.bounds == (51.41, 7.30, 51.60, 7.64)
    simple = [q for q in survey.questions if "de-x-simple" in q.text.values]
    assert simple and all("de" in q.text.values for q in survey.questions)
    assert survey.title.get("de-x-simple") == "Spiel-Plätze in Hombruch"
    assert len(survey.events) == 1 and survey.events[0].link  # what "termine" shows in `make run`
    number = next(q for q in survey.questions if q.type is QuestionType.NUMBER)
    assert number.unit is not None and number.unit.get("de-x-simple") == "Kinder"
    assert all("de-x-simple" in q.text.values and "en" in q.text.values for q in survey.questions), "complete"


def test_the_climate_survey_is_anonymous_with_a_reminder() -> None:
    survey = load(EXAMPLES / "klimaschutz-buergerbudget.toml")
    assert isinstance(survey, Survey)
    assert survey.anonymous
    assert [r.total_seconds() for r in survey.reminders] == [2 * 86400]


def test_the_format_description_example_parses() -> None:
    process, problems = parse_process(SPEC_EXAMPLE, file="spec.toml", bot_languages=BOT_LANGUAGES)
    assert problems == []
    assert isinstance(process, Survey)
    assert [q.id for q in process.questions] == ["haeufigkeit", "hindernis", "note", "ort", "wunsch"]
    shown_if = process.questions[1].show_if
    assert shown_if is not None and shown_if.source == "haeufigkeit in ['selten', 'nie']"


DOC = Path(__file__).resolve().parent.parent / "docs" / "survey-format.md"
DOC_HEAD = 'format = 1\nid = "doc-beispiel"\ntitle = "Beispiel"\nlanguages = ["de", "en"]\n'
DOC_TAIL = '\n[[questions]]\nid = "zum_schluss"\ntype = "yesno"\ntext = "Fertig?"\n'


def doc_examples() -> list[str]:
    blocks = DOC.read_text("utf-8").split("```toml\n")[1:]
    toml = [block.split("```", 1)[0] for block in blocks]
    whole = [b for b in toml if b.startswith("format = 1")]
    # A question on its own gets a header, and an answerable question after it (for the info example).
    questions = [DOC_HEAD + b + DOC_TAIL for b in toml if b.startswith("[[questions]]")]
    return whole + questions


def test_the_staff_doc_has_examples() -> None:
    assert len(doc_examples()) >= 5


@pytest.mark.parametrize("source", doc_examples())
def test_every_example_in_the_staff_doc_is_valid(source: str) -> None:
    process, problems = parse_process(source, file="doc.toml", bot_languages=BOT_LANGUAGES)
    # a snippet shows one thing: that its texts lack the English version of DOC_HEAD is no fault
    problems = [p for p in problems if not (p.severity == "warning" and "text(s) have no '" in p.message)]
    assert problems == [], "\n".join(map(str, problems))
    assert process is not None
