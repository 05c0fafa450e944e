"""A generated dataset for reports: a survey with every countable type, conditions, skips, a small
district, unfinished responses, and its anonymous twin; responses written straight into the store.

Used by tests/test_report.py (a few hundred responses) and bench/report_speed.py (10,000).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from bot.runtime.app import Core

__all__ = ["ANONYMOUS_SURVEY", "BEGIN", "SURVEY", "fill"]

BEGIN = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # a Monday; answers come in over three weeks

SURVEY = """\
format = 1
id = "bericht-test"
title = { de = "Spielplätze im Quartier", en = "Playgrounds in the neighbourhood" }
languages = ["de", "en"]
opens = 2026-11-01T00:00:00+01:00
closes = 2099-12-31T23:59:00+01:00

[[questions]]
id = "bezirk"
type = "choice"
text = { de = "In welchem Bezirk wohnen Sie?", en = "Which district do you live in?" }
options = [
  { id = "nord", de = "Nord", en = "North" },
  { id = "sued", de = "Süd", en = "South" },
  { id = "west", de = "West", en = "West" },
  { id = "hafen", de = "Hafen", en = "Harbour" },
]

[[questions]]
id = "besuch"
type = "choice"
text = { de = "Wie oft sind Sie auf dem Spielplatz?", en = "How often are you at the playground?" }
other = true
options = [
  { id = "oft", de = "Oft", en = "Often" },
  { id = "selten", de = "Selten", en = "Rarely" },
  { id = "nie", de = "Nie", en = "Never" },
]

[[questions]]
id = "grund"
type = "multi"
text = { de = "Warum nicht öfter?", en = "Why not more often?" }
show_if = "besuch in ['selten', 'nie']"
options = [
  { id = "weg", de = "Zu weit weg", en = "Too far" },
  { id = "dreck", de = "Zu schmutzig", en = "Too dirty" },
  { id = "zeit", de = "Keine Zeit", en = "No time" },
]

[[questions]]
id = "sicher"
type = "yesno"
text = { de = "Ist der Spielplatz sicher?", en = "Is the playground safe?" }
required = false

[[questions]]
id = "note"
type = "scale"
text = { de = "Wie gefällt er Ihnen?", en = "How do you like it?" }
min_label = { de = "gar nicht", en = "not at all" }
max_label = { de = "sehr", en = "very much" }

[[questions]]
id = "alter"
type = "number"
integer = true
min = 0
max = 120
text = { de = "Wie alt sind Sie?", en = "How old are you?" }
required = false

[[questions]]
id = "wunsch"
type = "text"
text = { de = "Was wünschen Sie sich?", en = "What do you wish for?" }
required = false

[[questions]]
id = "termin"
type = "date"
text = { de = "Wann waren Sie zuletzt dort?", en = "When were you there last?" }
required = false

[[questions]]
id = "ort"
type = "location"
text = { de = "Wo fehlt ein Spielplatz?", en = "Where is a playground missing?" }
required = false
"""

ANONYMOUS_SURVEY = SURVEY.replace('id = "bericht-test"', 'id = "bericht-anonym"\nanonymous = true', 1)

DISTRICTS = (("nord", 0.42), ("sued", 0.33), ("west", 0.22), ("hafen", 0.03))  # Hafen: a small group
WISHES = ("Mehr Schatten", "Eine Rutsche", "Bänke für Eltern", "Ein Trinkbrunnen", "Mehr Mülleimer")


def _answers(rng: random.Random) -> list[tuple[str, str, object, str | None]]:
    """One citizen's answers in order: (question id, type, value or None for skipped, other text)."""
    district = rng.choices([d for d, _ in DISTRICTS], [w for _, w in DISTRICTS])[0]
    visits = rng.choices(["oft", "selten", "nie", "other"], [5, 3, 2, 1])[0]
    answers: list[tuple[str, str, object, str | None]] = [
        ("bezirk", "choice", district, None),
        ("besuch", "choice", visits, "nur am Wochenende" if visits == "other" else None),
    ]
    if visits in ("selten", "nie"):  # the condition: only they are asked
        answers.append(("grund", "multi", rng.sample(["weg", "dreck", "zeit"], rng.randint(1, 3)), None))
    answers.append(("sicher", "yesno", None if rng.random() < 0.1 else rng.random() < 0.7, None))
    answers.append(("note", "scale", rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 6, 3])[0], None))
    answers.append(("alter", "number", None if rng.random() < 0.25 else rng.randint(16, 85), None))
    answers.append(("wunsch", "text", rng.choice(WISHES) if rng.random() < 0.4 else None, None))
    day = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 90))
    answers.append(("termin", "date", day.isoformat() if rng.random() < 0.5 else None, None))
    place: object = None
    if rng.random() < 0.3:
        place = {"lat": round(51.45 + rng.random() * 0.1, 5), "lon": round(7.40 + rng.random() * 0.15, 5)}
    elif rng.random() < 0.2:
        place = {"text": rng.choice(("am Teich", "hinter der Schule", "Marktplatz"))}
    answers.append(("ort", "location", place, None))
    return answers


def fill(core: Core, process_id: str, count: int, *, seed: int = 16, anonymous: bool = False) -> None:
    """``count`` responses to ``process_id``: most completed, some ended early or still going
    (those stop part way); in an anonymous survey the finished ones are detached."""
    rng = random.Random(seed)
    batch = 500
    for start in range(0, count, batch):
        with core.store.transaction() as tx:
            for n in range(start, min(start + batch, count)):
                began = BEGIN + dt.timedelta(minutes=n * (3 * 7 * 24 * 60) // max(count, 1))
                participant = tx.create_participant("test", f"{process_id}-{n}", f"addr-{n}", "de", began)
                response = tx.start_response(participant.id, process_id, began)
                status = rng.choices(["completed", "ended", "active"], [8, 1, 1])[0]
                answers = _answers(rng)
                if status != "completed":
                    answers = answers[: rng.randint(1, len(answers) - 1)]
                for qid, qtype, value, other in answers:
                    tx.save_answer(response.id, qid, qtype, value, other, began)
                if status != "active":
                    tx.finish_response(response.id, status, began + dt.timedelta(minutes=4), detach=anonymous)


def write_surveys(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bericht.toml").write_text(SURVEY, encoding="utf-8")
    (folder / "bericht-anonym.toml").write_text(ANONYMOUS_SURVEY, encoding="utf-8")
