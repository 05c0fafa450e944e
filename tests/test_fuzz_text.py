"""Fuzzing free-text answers through the whole engine: no crash, stored text is the
normalised input, and never longer than the question allows."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.text_input import clip_inbound, normalize_text
from tests.harness import Citizen, Clock, make_config, make_core

SURVEY = """\
format = 1
id = "frei"
title = "Freitext"
languages = ["de"]

[[questions]]
id = "text"
type = "text"
max_length = 300
text = "Was möchten Sie sagen?"

[[questions]]
id = "ende"
type = "yesno"
text = "Fertig?"
"""

HOSTILE = st.sampled_from(
    [
        "\u202eevil\u202c",
        '=HYPERLINK("http://x")',
        "<script>alert(1)</script>",
        "*fett* _kursiv_ [link](http://x)",
        "\x00\x1b[31mrot\x1b[0m",
        "zurück",
        "a" * 5000,
        "\ufeff\u200b",
        "Zeile\r\nZeile\rZeile",
    ]
)


def test_free_text_fuzz(tmp_path: Path) -> None:
    core = make_core(make_config(tmp_path, {"frei.toml": SURVEY}), Clock())
    names = itertools.count()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(st.text(max_size=600), HOSTILE, st.lists(HOSTILE, max_size=4).map("".join)))
    def answer(text: str) -> None:
        citizen = Citizen(core, f"c{next(names)}")
        citizen.say("hallo")
        citizen.say("1")
        citizen.say("start frei")
        reply = citizen.say(text)
        assert reply, "every message gets an answer"
        if core.engine.settings.keywords.parse(normalize_text(clip_inbound(text))) is not None:
            return  # a keyword ('hilfe', 'zurück', …) is a command, not an answer
        stored = [
            a.value
            for _, found in core.store.responses("frei")
            for a in found
            if a.response_id == _response_of(core, citizen)
        ]
        expected = normalize_text(clip_inbound(text))
        if stored:
            assert stored == [expected]
            assert 0 < len(stored[0]) <= 300
            assert "Fertig?" in reply
        else:
            assert "Was möchten Sie sagen?" in reply, "refused answers are asked again"

    try:
        answer()
    finally:
        core.close()


def _response_of(core, citizen: Citizen) -> int:
    with core.store.transaction() as tx:
        participant = tx.find_participant(citizen.channel, f"user-{citizen.name}", lock=False)
        assert participant is not None
        response = tx.find_response(participant.id, "frei")
        assert response is not None
        return response.id
