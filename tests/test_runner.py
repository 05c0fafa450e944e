"""The pure survey runner: (definition, progress, action) → (progress, answers to store, what to say)."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys.answers import AnswerWords, Given
from surveys.loader import parse_process
from surveys.model import Survey
from surveys.runner import Action, Ask, Finished, Progress, Refused, Statement, start, step
from tests.transcript_surveys import PARK

WORDS = AnswerWords(yes=("ja", "yes"), no=("nein", "no"), today=("heute",), tomorrow=("morgen",))
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def park() -> Survey:
    survey, problems = parse_process(PARK, file="park.toml", bot_languages=("de", "en"))
    assert problems == []
    assert isinstance(survey, Survey)
    return survey


def answer(survey: Survey, progress: Progress, text: str) -> tuple[Progress, list]:
    result = step(survey, progress, Action("answer", Given(text=text)), today=TODAY, words=WORDS)
    return result.progress, list(result.say)


def test_start_shows_intro_then_first_question(park: Survey) -> None:
    result = start(park)
    assert isinstance(result.say[0], Statement)
    ask = result.say[1]
    assert isinstance(ask, Ask) and ask.question.id == "besuch" and ask.number == 1
    assert result.progress.current == "besuch"
    assert result.changes == ()


def test_branch_taken_and_not_taken(park: Survey) -> None:
    progress = start(park).progress
    often, say = answer(park, progress, "Oft")
    assert often.current == "hund", "show_if false: the reasons question is left out"
    rarely, say = answer(park, progress, "2")
    assert rarely.current == "grund"


def test_invalid_answer_is_refused_and_asked_again(park: Survey) -> None:
    progress = start(park).progress
    result = step(park, progress, Action("answer", Given(text="vielleicht")), today=TODAY, words=WORDS)
    assert result.progress == progress
    assert result.changes == ()
    refused, again = result.say
    assert isinstance(refused, Refused) and isinstance(again, Ask) and again.question.id == "besuch"


def test_other_asks_for_free_text(park: Survey) -> None:
    progress = start(park).progress
    waiting, say = answer(park, progress, "4")
    assert waiting.awaiting_other and isinstance(say[0], Ask) and say[0].other
    done = step(park, waiting, Action("answer", Given(text="Nur am Wochenende")), today=TODAY, words=WORDS)
    (change,) = done.changes
    assert change.value == "other" and change.other_text == "Nur am Wochenende"
    assert done.progress.current == "hund"


def test_end_if_ends_early_with_end_text(park: Survey) -> None:
    progress, _ = answer(park, start(park).progress, "nie")
    progress, _ = answer(park, progress, "1")
    result = step(park, progress, Action("answer", Given(text="nein")), today=TODAY, words=WORDS)
    assert result.progress.status == "ended"
    finished = result.say[-1]
    assert isinstance(finished, Finished) and finished.ended_early
    assert finished.text is not None and "fertig" in finished.text.get("de")


def test_back_returns_to_previous_question_and_keeps_answers(park: Survey) -> None:
    progress, _ = answer(park, start(park).progress, "oft")
    result = step(park, progress, Action("back"), today=TODAY, words=WORDS)
    assert result.progress.current == "besuch"
    assert result.progress.answers == {"besuch": "oft"}
    first = step(park, start(park).progress, Action("back"), today=TODAY, words=WORDS)
    assert isinstance(first.say[0], Refused) and first.say[0].reason.code == "no_way_back"


def test_changing_an_earlier_answer_drops_answers_of_hidden_questions(park: Survey) -> None:
    progress, _ = answer(park, start(park).progress, "selten")
    progress, _ = answer(park, progress, "1, 2")
    assert progress.answers["grund"] == ["weg", "dreck"]
    progress = step(park, progress, Action("back"), today=TODAY, words=WORDS).progress
    progress = step(park, progress, Action("back"), today=TODAY, words=WORDS).progress
    result = step(park, progress, Action("answer", Given(text="oft")), today=TODAY, words=WORDS)
    deleted = [c.question_id for c in result.changes if c.delete]
    assert deleted == ["grund"] and "grund" not in result.progress.answers


def test_skip_only_where_allowed(park: Survey) -> None:
    progress = start(park).progress
    refused = step(park, progress, Action("skip"), today=TODAY, words=WORDS)
    assert isinstance(refused.say[0], Refused) and refused.say[0].reason.code == "required"
    for text in ("oft", "ja", "4"):
        progress, _ = answer(park, progress, text)
    assert progress.current == "alter"
    skipped = step(park, progress, Action("skip"), today=TODAY, words=WORDS)
    assert skipped.changes[0].value is None and skipped.progress.current == "wunsch"


def test_constraint_message(park: Survey) -> None:
    progress = start(park).progress
    for text in ("oft", "ja", "4", "40"):
        progress, _ = answer(park, progress, text)
    result = step(park, progress, Action("answer", Given(text="ok")), today=TODAY, words=WORDS)
    refused = result.say[0]
    assert isinstance(refused, Refused) and refused.reason.code == "constraint"
    assert refused.message is not None and "drei Zeichen" in refused.message.get("de")


def test_multi_toggles_and_done(park: Survey) -> None:
    progress, _ = answer(park, start(park).progress, "selten")
    for option in ("weg", "zeit", "weg", "dreck"):
        progress = step(park, progress, Action("toggle", option_id=option), today=TODAY, words=WORDS).progress
    assert progress.toggled == ("zeit", "dreck")
    result = step(park, progress, Action("done"), today=TODAY, words=WORDS)
    assert result.changes[0].value == ["dreck", "zeit"]
    too_many = progress
    for option in ("weg",):
        too_many = step(park, too_many, Action("toggle", option_id=option), today=TODAY, words=WORDS).progress
    refused = step(park, too_many, Action("done"), today=TODAY, words=WORDS)
    assert isinstance(refused.say[0], Refused) and refused.say[0].reason.code == "too_many_options"


def test_full_run_completes_with_outro(park: Survey) -> None:
    progress = start(park).progress
    stored: dict[str, object] = {}
    for text in ("oft", "ja", "5", "41", "Mehr Bänke", "heute", "51.51, 7.46"):
        result = step(park, progress, Action("answer", Given(text=text)), today=TODAY, words=WORDS)
        stored.update({c.question_id: c.value for c in result.changes})
        progress = result.progress
    result = step(park, progress, Action("skip"), today=TODAY, words=WORDS)
    assert result.progress.status == "completed"
    assert isinstance(result.say[-1], Finished) and not result.say[-1].ended_early
    assert stored == {
        "besuch": "oft",
        "hund": True,
        "note": 5,
        "alter": 41,
        "wunsch": "Mehr Bänke",
        "termin": "2026-12-01",
        "ort": {"lat": 51.51, "lon": 7.46},
    }


def test_progress_round_trips_through_json(park: Survey) -> None:
    progress, _ = answer(park, start(park).progress, "selten")
    assert Progress.from_json(progress.to_json()) == progress


def test_back_from_the_other_text_of_a_multi_keeps_its_ticks() -> None:
    survey, _ = parse_process(
        'format = 1\nid = "mehrfach"\ntitle = "M"\nlanguages = ["de"]\n\n[[questions]]\nid = "was"\ntype = "multi"\n'
        'text = "Was?"\nother = true\noptions = [{ id = "a", de = "A" }, { id = "b", de = "B" }]\n',
        file="m.toml",
        bot_languages=("de",),
    )
    assert isinstance(survey, Survey)
    progress = start(survey).progress
    for option in ("a", "other"):
        progress = step(survey, progress, Action("toggle", option_id=option), today=TODAY, words=WORDS).progress
    waiting = step(survey, progress, Action("done"), today=TODAY, words=WORDS).progress
    assert waiting.awaiting_other
    back = step(survey, waiting, Action("back"), today=TODAY, words=WORDS)
    assert back.progress.current == "was" and not back.progress.awaiting_other
    assert back.progress.toggled == ("a", "other") and "was" not in back.progress.answers
    (ask,) = back.say
    assert isinstance(ask, Ask) and ask.question.id == "was" and not ask.other
