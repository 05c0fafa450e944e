"""Erasure is complete: a citizen does everything there is to do, says ``löschen``, and afterwards no
table of the database and no file of the media folder holds their address, their hash, their
pseudonym or anything they wrote — except what the privacy notice says stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.runtime.app import Core
from storage.identifiers import user_hash
from tests.harness import Citizen, Clock, make_core
from tests.idea_harness import GRUEN, citizen, idea_config, ref_in, staff
from tests.storage_fixtures import BACKENDS, backend_url
from tests.transcript_surveys import PARK

PNG = b"\x89PNG\r\n\x1a\n" + b"CAROLPIXEL" * 20
EVENTS = """
[[events]]
title = { de = "Parkspaziergang", en = "Walk in the park" }
start = 2099-06-05T18:00:00+02:00
place = "Westfalenpark"
"""


def dump(core: Core) -> str:
    """Every row of every table, as text."""
    engine = sa.create_engine(core.config.storage.url)
    lines: list[str] = []
    try:
        with engine.connect() as db:
            for table in sa.inspect(db).get_table_names():
                for row in db.execute(sa.text(f'SELECT * FROM "{table}"')):
                    lines.append(f"{table}: {tuple(row)!r}")
    finally:
        engine.dispose()
    return "\n".join(lines)


def media_bytes(core: Core) -> list[bytes]:
    folder = core.engine.media.folder
    return [p.read_bytes() + p.name.encode() for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("backend", BACKENDS)
def test_after_erasure_nothing_of_the_citizen_is_left(tmp_path: Path, backend: str) -> None:
    with backend_url(backend, tmp_path) as url:
        everything_then_erasure(tmp_path, url)


def everything_then_erasure(tmp_path: Path, url: str | None) -> None:
    config = idea_config(tmp_path, url, {"gruen.toml": GRUEN, "park.toml": PARK + EVENTS})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[storage]", 'topics = ["gruen", "verkehr"]\n\n[storage]'), encoding="utf-8")
    core = make_core(config, Clock())
    try:
        carol, dave, mia = citizen(core, "carol"), citizen(core, "dave"), staff(core)
        # a survey, with an "other" text of her own
        menu = carol.say("menü")
        carol.say(next(line.split(" – ")[0] for line in menu.splitlines() if "Parkumfrage" in line))
        carol.say("4")  # other
        carol.say("CAROLANDERS am See")
        carol.say("ja")
        carol.say("5")
        carol.say("überspringen")
        carol.say("CAROLWUNSCH mehr Bänke")
        # an idea with a place and a photo, published by staff, so others see it
        carol.say("idee")
        carol.say("1")
        carol.say("1")
        carol.say("CAROLIDEE: Eine Bank am Nordmarkt aufstellen")
        carol.say("CAROLORT Nordmarkt")
        ref = ref_in(carol.photo(PNG) if "Foto" in carol.last[-1].text else carol.say("überspringen"))
        queue = mia.say("mod")
        assert "CAROLIDEE" in queue
        mia.say(f"mod freigeben {ref}")
        assert "CAROLIDEE" in dave.say("ideen"), "dave's listing quotes carol's idea"
        dave.say(f"unterstützen {ref}")
        # supporting dave's idea, following topics, an event, her data copy
        dave.say("idee")
        dave.say("1")
        dave.say("1")
        dave.say("Mehr Bäume an der Kaiserstraße pflanzen")
        dave_ref = ref_in(dave.say("überspringen") and dave.say("überspringen"))
        mia.say(f"mod freigeben {dave_ref}")
        carol.say(f"unterstützen {dave_ref}")
        carol.say("themen")
        carol.say("1")
        carol.say("termine")
        carol.say("1")
        carol.send("meinedaten")

        with core.store.transaction() as tx:
            found = tx.find_participant("test", "user-carol", lock=False)
            assert found is not None
            pseudonym, pid = found.pseudonym, str(found.id)
        traces = {
            "address": "chat-carol",
            "sender": "user-carol",
            "hash": user_hash(core.secret, "test", "user-carol"),
            "pseudonym": pseudonym,
            "other text": "CAROLANDERS",
            "answer": "CAROLWUNSCH",
            "idea text": "CAROLIDEE",
            "place": "CAROLORT",
        }
        before = dump(core)
        unseen = [name for name, trace in traces.items() if trace not in before]
        assert unseen == ["sender"], "the test sees all of her but the platform id, which is never stored"
        assert any(b"CAROLPIXEL" in data for data in media_bytes(core))

        carol.say("löschen")
        carol.say("ja")
        for _ in range(3):  # everything queued goes out, as it would while the bot runs
            for person in (carol, dave, mia):
                person.collect()

        after = dump(core)
        left = {name: [line for line in after.splitlines() if trace in line] for name, trace in traces.items()}
        assert sorted(name for name, lines in left.items() if lines) == [], {
            name: [found[:160] for found in lines] for name, lines in left.items() if lines
        }
        assert not [line for line in after.splitlines() if f"'{pid}'" in line or f", {pid}," in line]
        assert not any(b"CAROLPIXEL" in data for data in media_bytes(core))
        idea_rows = [line for line in after.splitlines() if line.startswith(("idea:", "idea_support:")) and ref in line]
        assert idea_rows == [], "her idea and its supports are gone; only the audit names its reference"
        assert "[…]" in after, "dave's listing and the staff queue still say that something stood there"
    finally:
        core.close()


def test_the_texts_of_sent_messages_are_forgotten_after_sent_messages_days(tmp_path: Path) -> None:
    from bot.runtime.app import sweep_context
    from bot.scheduled.sweeps import forget_sent_texts

    clock = Clock()
    core = make_core(idea_config(tmp_path, None, {"gruen.toml": GRUEN}), clock)
    try:
        anna = citizen(core, "anna")
        anna.say("hilfe")
        kept = dump(core)
        assert "Diese Wörter können Sie jederzeit schreiben" in kept
        assert forget_sent_texts(sweep_context(core), clock() + dt.timedelta(days=29)) == 0
        assert forget_sent_texts(sweep_context(core), clock() + dt.timedelta(days=31)) > 0
        after = dump(core)
        assert "Diese Wörter können Sie jederzeit schreiben" not in after
        assert after.count("outbox:") == kept.count("outbox:"), "the rows stay, for the de-duplication"
    finally:
        core.close()


def test_before_consent_nothing_is_stored_but_the_wish_to_be_asked_again(tmp_path: Path) -> None:
    core = make_core(idea_config(tmp_path, None, {"gruen.toml": GRUEN, "park.toml": PARK}), Clock())
    try:
        anna = Citizen(core, "anna")
        anna.say("/start park-test")
        anna.say("ANNATEXT meine Meinung")
        anna.photo(PNG)
        assert "Ohne Ihre Einwilligung speichere ich nichts" in anna.say("2")
        tables = dump(core)
        for table in ("participant", "contact", "consent", "response", "answer", "idea"):
            assert f"\n{table}:" not in "\n" + tables, (table, tables)
        for trace in ("chat-anna", "user-anna", "ANNATEXT", "Einwilligung"):
            assert trace not in tables, trace
        [visitor] = [line for line in tables.splitlines() if line.startswith("visitor:")]
        assert user_hash(core.secret, "test", "user-anna") in visitor and "consent" in visitor
        assert "park-test" in visitor, "the process the link asked for, opened after consent"
        assert not any(b"CAROLPIXEL" in data for data in media_bytes(core)), "a photo before consent is not kept"
        # agreeing later: the survey the link asked for opens; the visitor row has become a participant
        assert "Parkumfrage" in anna.say("ja")
        tables = dump(core)
        assert not [line for line in tables.splitlines() if line.startswith("visitor:")]
        assert "\nparticipant:" in "\n" + tables and "chat-anna" in tables
    finally:
        core.close()


def test_delete_before_consent_forgets_the_visitor(tmp_path: Path) -> None:
    core = make_core(idea_config(tmp_path, None, {"gruen.toml": GRUEN}), Clock())
    try:
        anna = Citizen(core, "anna")
        anna.say("hallo")
        anna.say("sprache en")
        assert "Privacy" in anna.last[-1].text, "the notice again, now in English"
        assert "deleted" in anna.say("delete")
        assert not [line for line in dump(core).splitlines() if line.startswith(("visitor:", "participant:"))]
    finally:
        core.close()


def test_a_visitor_who_never_agrees_is_forgotten_after_a_week(tmp_path: Path) -> None:
    from bot.runtime.app import sweep_context
    from bot.scheduled.sweeps import forget_visitors

    clock = Clock()
    core = make_core(idea_config(tmp_path, None, {"gruen.toml": GRUEN}), clock)
    try:
        Citizen(core, "anna").say("hallo")
        assert forget_visitors(sweep_context(core), clock() + dt.timedelta(days=6)) == 0
        assert forget_visitors(sweep_context(core), clock() + dt.timedelta(days=8)) == 1
        assert not [line for line in dump(core).splitlines() if line.startswith("visitor:")]
    finally:
        core.close()
