"""Results: the JSON shape of ``mitwirken results`` for every question type, and the staff view."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from bot.staff.results_view import bar, render_results
from surveys.loader import parse_process
from surveys.model import IdeaCall, Survey, Text
from surveys.results import IdeaData, ResponseData, idea_results, survey_results

EVERY_TYPE = """\
format = 1
id = "spielplatz-test"
title = { de = "Spielplätze in Hombruch", en = "Playgrounds in Hombruch" }
languages = ["de", "en"]

[[questions]]
id = "hallo"
type = "info"
text = { de = "Willkommen", en = "Welcome" }

[[questions]]
id = "besuch"
type = "choice"
text = { de = "Wie oft sind Sie dort?", en = "How often are you there?" }
other = true
options = [
  { id = "oft", de = "Oft", en = "Often" },
  { id = "selten", de = "Selten", en = "Rarely" },
]

[[questions]]
id = "geraete"
type = "multi"
text = { de = "Welche Geräte fehlen?", en = "Which equipment is missing?" }
options = [
  { id = "rutsche", de = "Rutsche", en = "Slide" },
  { id = "schaukel", de = "Schaukel", en = "Swing" },
  { id = "sandkasten", de = "Sandkasten [ab 2]", en = "Sandpit" },
]

[[questions]]
id = "sicher"
type = "yesno"
text = { de = "Fühlen sich Ihre Kinder sicher?", en = "Do your children feel safe?" }

[[questions]]
id = "note"
type = "scale"
text = { de = "Wie gefällt Ihnen der Platz?", en = "How do you like the playground?" }
min_label = { de = "gar nicht", en = "not at all" }
max_label = { de = "sehr", en = "very much" }

[[questions]]
id = "kinder"
type = "number"
text = { de = "Wie viele Kinder?", en = "How many children?" }
min = 0
max = 20

[[questions]]
id = "wunsch"
type = "text"
required = false
text = { de = "Was wünschen Sie sich?", en = "What would you like?" }

[[questions]]
id = "datum"
type = "date"
required = false
text = { de = "Wann waren Sie zuletzt dort?", en = "When were you there last?" }

[[questions]]
id = "ort"
type = "location"
required = false
text = { de = "Wo genau?", en = "Where exactly?" }

[[questions]]
id = "foto"
type = "photo"
required = false
text = { de = "Ein Foto?", en = "A photo?" }
"""

PHOTO = {"path": "media/ab/cd.jpg", "mime_type": "image/jpeg", "size": 12345}


@pytest.fixture(scope="module")
def survey() -> Survey:
    process, problems = parse_process(EVERY_TYPE, file="spielplatz.toml", bot_languages=["de", "en"])
    assert problems == [] and isinstance(process, Survey)
    return process


def responses() -> list[ResponseData]:
    return [
        ResponseData(
            "completed",
            {"besuch": "oft", "geraete": ["rutsche", "schaukel"], "sicher": True, "note": 4, "kinder": 2,
             "wunsch": "Mehr Schatten", "datum": "2026-05-01", "ort": {"lat": 51.47, "lon": 7.42}, "foto": PHOTO},
        ),
        ResponseData(
            "anonymous",
            {"besuch": "other", "geraete": ["rutsche"], "sicher": False, "note": 5, "kinder": 3.5,
             "wunsch": None, "datum": None, "ort": {"text": "am Teich"}, "foto": None},
            other_texts={"besuch": "nur sonntags"},
        ),
        ResponseData("ended", {"besuch": "selten", "geraete": None, "sicher": False, "note": 1, "kinder": 0}),
        ResponseData("active", {"besuch": "oft", "note": 4}),
    ]  # fmt: skip


def test_results_have_the_spec_shape_for_every_type(survey: Survey) -> None:
    results = survey_results(survey, responses())
    assert results == {
        "id": "spielplatz-test",
        "kind": "survey",
        "responses": {"started": 4, "completed": 3},
        "questions": [
            {"id": "besuch", "type": "choice", "answered": 4, "counts": {"oft": 2, "selten": 1, "other": 1},
             "other_answers": ["nur sonntags"]},
            {"id": "geraete", "type": "multi", "answered": 2,
             "counts": {"rutsche": 2, "schaukel": 1, "sandkasten": 0}},
            {"id": "sicher", "type": "yesno", "answered": 3, "counts": {"yes": 1, "no": 2}},
            {"id": "note", "type": "scale", "answered": 4, "counts": {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1},
             "mean": 3.5, "median": 4.0, "min": 1, "max": 5},
            {"id": "kinder", "type": "number", "answered": 3, "mean": 1.83, "median": 2.0, "min": 0, "max": 3.5,
             "histogram": [{"from": 0, "to": 2, "count": 1}, {"from": 2, "to": 4, "count": 2}]},
            {"id": "wunsch", "type": "text", "answered": 1, "answers": ["Mehr Schatten"]},
            {"id": "datum", "type": "date", "answered": 1, "answers": ["2026-05-01"], "months": {"2026-05": 1}},
            {"id": "ort", "type": "location", "answered": 2,
             "answers": [{"lat": 51.47, "lon": 7.42}, {"text": "am Teich"}]},
            {"id": "foto", "type": "photo", "answered": 1, "files": 1},
        ],
    }  # fmt: skip
    assert json.loads(json.dumps(results)) == results  # JSON-ready as it is


def test_counts_keep_option_order_and_list_every_option(survey: Survey) -> None:
    results = survey_results(survey, [ResponseData("completed", {"geraete": ["sandkasten"]})])
    geraete = next(q for q in results["questions"] if q["id"] == "geraete")
    assert list(geraete["counts"]) == ["rutsche", "schaukel", "sandkasten"]
    assert geraete["counts"] == {"rutsche": 0, "schaukel": 0, "sandkasten": 1}


def test_median_of_an_even_count_is_the_middle_of_two(survey: Survey) -> None:
    given = [ResponseData("completed", {"kinder": n}) for n in (1, 2, 3, 10)]
    kinder = next(q for q in survey_results(survey, given)["questions"] if q["id"] == "kinder")
    assert (kinder["mean"], kinder["median"], kinder["min"], kinder["max"]) == (4.0, 2.5, 1, 10)


def test_no_responses_give_zeros_and_no_figures(survey: Survey) -> None:
    results = survey_results(survey, [])
    assert results["responses"] == {"started": 0, "completed": 0}
    note = next(q for q in results["questions"] if q["id"] == "note")
    assert note["answered"] == 0 and set(note["counts"].values()) == {0}
    assert (note["mean"], note["median"], note["min"], note["max"]) == (None, None, None, None)


def test_anonymous_responses_count_as_completed(survey: Survey) -> None:
    given = [ResponseData("anonymous", {"besuch": "oft"}) for _ in range(3)] + [ResponseData("active", {})]
    assert survey_results(survey, given)["responses"] == {"started": 4, "completed": 3}


def test_results_read_a_stream_once(survey: Survey) -> None:
    def stream():  # a generator: results may not read it twice
        for n in range(5000):
            yield ResponseData("completed", {"note": n % 5 + 1, "sicher": n % 2 == 0})

    results = survey_results(survey, stream())
    note = next(q for q in results["questions"] if q["id"] == "note")
    assert results["responses"]["started"] == 5000
    assert note["counts"] == {str(k): 1000 for k in range(1, 6)} and note["mean"] == 3.0


def test_idea_results_have_the_spec_shape() -> None:
    call = IdeaCall(id="ideen-test", title=Text({"de": "Ideen"}, "de"), languages=("de",))
    ideas = [
        IdeaData(7, "accepted", "gruen", "Mehr Bäume", 12, "published", status_news=2),
        IdeaData(9, "received", None, "Bänke", 0, "pending"),
    ]
    assert idea_results(call, ideas) == {
        "id": "ideen-test",
        "kind": "ideas",
        "ideas": [  # the spec's fields, and (an addition) the visibility: staff see pending ideas too
            {
                "id": 7,
                "status": "accepted",
                "visibility": "published",
                "category": "gruen",
                "text": "Mehr Bäume",
                "supporters": 12,
                "status_news": 2,  # an addition: status changes told to author and supporters
            },
            {
                "id": 9,
                "status": "received",
                "visibility": "pending",
                "category": None,
                "text": "Bänke",
                "supporters": 0,
                "status_news": 0,
            },
        ],
    }


# --- the staff view ----------------------------------------------------------------------


def _rendered(results: dict, survey: Survey | None, language: str) -> str:
    console = Console(no_color=True, width=80, record=True, file=io.StringIO())
    render_results(results, survey, language, console)
    return console.export_text()


def test_view_shows_texts_labels_counts_percent_and_bars(survey: Survey) -> None:
    text = _rendered(survey_results(survey, responses()), survey, "de")
    assert "Spielplätze in Hombruch" in text
    assert "Begonnen: 4" in text and "Abgeschlossen: 3" in text
    assert "Wie oft sind Sie dort?" in text
    oft = next(line for line in text.splitlines() if line.strip().startswith("Oft"))
    assert "2" in oft and "50\xa0%" in oft and "█" * 12 in oft  # 2 of 4: half of the 24-character bar
    assert "Sonstiges" in text and "nur sonntags" in text
    assert "Mittelwert: 3,5" in text and "Median: 4" in text, "numbers as German writes them"
    assert "5 (sehr)" in text and "1 (gar nicht)" in text  # the scale's end labels
    assert "51.47, 7.42" in text and "am Teich" in text
    assert "Fotos: 1" in text
    assert "01.05.2026" in text and "2026-05-01" not in text, "a date as German writes it"
    assert "Sandkasten [ab 2]" in text, "a label is shown as written, not read as rich markup"
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Willkommen" not in text  # info questions have no results


def test_view_falls_back_to_english_words_and_lists_only_twenty_texts(survey: Survey) -> None:
    given = [ResponseData("completed", {"wunsch": f"Wunsch {n}"}) for n in range(1, 26)]
    text = _rendered(survey_results(survey, given), survey, "fr")
    assert "What would you like?" not in text  # the file has no French: its fallback language is German
    assert "Was wünschen Sie sich?" in text
    assert "Wunsch 20" in text and "Wunsch 21" not in text
    assert "… and 5 more" in text
    assert "Mean: 3.5" in _rendered(survey_results(survey, responses()), survey, "fr"), "English words, English numbers"
    assert "no answers yet" in text  # questions nobody answered


def test_view_works_without_the_survey_file(survey: Survey) -> None:
    text = _rendered(survey_results(survey, responses()), None, "en")
    assert "spielplatz-test" in text and "besuch" in text and "oft" in text and "Yes" in text


def test_view_lists_ideas() -> None:
    idea = {"id": 3, "status": "published", "category": None, "text": "Mehr Bänke [/b] [red]", "supporters": 4}
    results = {"id": "ideen", "kind": "ideas", "ideas": [idea]}
    text = _rendered(results, None, "de")
    assert "Ideen: 1" in text and "Mehr Bänke [/b] [red]" in text and "published" in text


@pytest.mark.parametrize(("share", "expected"), [(0.0, 0), (0.5, 12), (1.0, 24), (1.5, 24)])
def test_bar_length_follows_the_share(share: float, expected: int) -> None:
    drawn = bar(share)
    assert len(drawn) == 24 and drawn.count("█") == expected
