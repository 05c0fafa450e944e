"""The similar-ideas threshold: rewordings of one idea match, different ideas of one call don't."""

from __future__ import annotations

import pytest

from bot.dialogue.idea_similarity import THRESHOLD, similar, similarity

SAME_IDEA = [
    ("Mehr Bäume in der Münsterstraße pflanzen", "Bitte pflanzt mehr Bäume auf der Münsterstraße"),
    ("Eine Bank am Nordmarkt zum Ausruhen aufstellen", "Am Nordmarkt fehlen Bänke zum Ausruhen, bitte aufstellen"),
    ("Der Spielplatz im Hoeschpark braucht neue Schaukeln", "Neue Schaukeln für den Spielplatz im Hoeschpark"),
    ("Fahrradständer vor dem Hauptbahnhof", "Mehr Fahrradständer am Hauptbahnhof bitte"),
    ("Trinkbrunnen im Westpark aufstellen", "Ein Trinkbrunnen im Westpark wäre toll"),
    ("Mehr Mülleimer im Fredenbaumpark", "Im Fredenbaumpark sollten mehr Mülleimer stehen"),
    (
        "Mehr Bäume in der Münsterstraße pflanzen",
        (
            "In der Münsterstraße ist es im Sommer viel zu heiß. Die Stadt sollte dort mehr Bäume pflanzen, "
            "damit es Schatten gibt."
        ),
    ),
    ("More trees on Münsterstraße", "Please plant more trees on Münsterstraße"),
]

DIFFERENT_IDEAS = [
    ("Mehr Bäume in der Münsterstraße pflanzen", "Eine Bank am Nordmarkt zum Ausruhen aufstellen"),
    ("Mehr Bäume in der Münsterstraße pflanzen", "Mehr Bäume im Westpark pflanzen"),
    ("Der Spielplatz im Hoeschpark braucht neue Schaukeln", "Trinkbrunnen im Westpark aufstellen"),
    ("Fahrradständer vor dem Hauptbahnhof", "Mehr Mülleimer im Fredenbaumpark"),
    ("Blumenwiese statt Rasen am Phoenixsee", "Mehr Bäume in der Münsterstraße pflanzen"),
    ("Trinkbrunnen im Westpark aufstellen", "Mehr Mülleimer im Fredenbaumpark"),
    ("Mehr Bäume", "Mehr Bänke"),
    ("Bitte mehr!", "Mehr bitte"),  # nothing but filler words: no idea to compare
]


@pytest.mark.parametrize(("a", "b"), SAME_IDEA)
def test_rewordings_of_one_idea_reach_the_threshold(a: str, b: str) -> None:
    assert similarity(a, b) >= THRESHOLD
    assert similarity(b, a) >= THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT_IDEAS)
def test_different_ideas_of_one_call_stay_below_it(a: str, b: str) -> None:
    assert similarity(a, b) < THRESHOLD


def test_the_margin_is_wide_on_both_sides() -> None:
    # a threshold that only just separates the examples would flip on the next wording
    assert min(similarity(a, b) for a, b in SAME_IDEA) >= THRESHOLD + 5
    assert max(similarity(a, b) for a, b in DIFFERENT_IDEAS) <= THRESHOLD - 5


def test_similar_keeps_the_three_best_matches_best_first() -> None:
    published = [
        ("A", "Mehr Bäume im Westpark pflanzen"),
        ("B", "Bäume in der Münsterstraße pflanzen"),
        ("C", "Mehr Bäume in der Münsterstraße pflanzen, bitte"),
        ("D", "Münsterstraße: Bäume pflanzen"),
        ("E", "Pflanzt Bäume in der Münsterstraße"),
    ]
    found = similar("Mehr Bäume in der Münsterstraße pflanzen", published)
    assert len(found) == 3
    assert "A" not in found
    assert found[0] in ("B", "C")
