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


# What a terminal reads from bytes that are no UTF-8, and lone surrogates a JSON "\ud800" makes.
BROKEN = st.text(st.characters(blacklist_categories=()), max_size=80) | st.sampled_from(
    ["caf\udcc3\udca9 \udcff\udcfe\udcc3( kaputt", "\ud800 allein", "ok \udfff"]
)


def test_invalid_bytes_are_replaced_on_the_way_in_and_everything_can_be_written(tmp_path: Path) -> None:
    """Whatever arrives, the stored text is valid UTF-8, and exports and the data copy can be written."""
    from bot.dialogue.own_data import data_file
    from bot.staff.export import export_responses

    core = make_core(make_config(tmp_path, {"frei.toml": SURVEY}), Clock())
    names = itertools.count()
    survey = core.catalog.get("frei")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(BROKEN)
    def answer(text: str) -> None:
        citizen = Citizen(core, f"b{next(names)}")
        citizen.say("hallo")
        citizen.say("1")
        citizen.say("start frei")
        assert citizen.say(text), "every message gets an answer"
        for _, found in core.store.responses("frei"):
            for a in found:
                if isinstance(a.value, str):
                    a.value.encode("utf-8")  # strict: no surrogate was stored

    try:
        answer()
        assert citizen_copy_writes(core, data_file)
        for fmt in ("csv", "xlsx", "json"):
            out = tmp_path / f"frei.{fmt}"
            rows = list(core.store.responses("frei"))
            assert export_responses(survey, rows, fmt, out, total=len(rows), progress=False) == len(rows)  # type: ignore[arg-type]
            assert out.stat().st_size > 0
    finally:
        core.close()


def citizen_copy_writes(core, data_file) -> bool:  # type: ignore[no-untyped-def]
    with core.store.transaction() as tx:
        participant = tx.find_participant("test", "user-b0", lock=False)
        assert participant is not None
        body = data_file(tx.participant_data(participant.id), core.catalog, "de")
    body.decode("utf-8")
    return bool(body)


def test_clean_text_keeps_what_was_valid_and_replaces_the_rest() -> None:
    from adapters.base import Inbound, clean_text

    assert clean_text("caf\udcc3\udca9") == "café"  # escaped bytes of valid UTF-8 come back
    assert clean_text("\udcff\udcfe\udcc3( x") == "\ufffd\ufffd\ufffd( x"
    assert clean_text("\ud800 allein") == "\ufffd allein"
    assert clean_text("schon gut ✓") == "schon gut ✓"
    assert Inbound("t", "a", "s", "e", text="ab\udcffc").text == "ab\ufffdc"
