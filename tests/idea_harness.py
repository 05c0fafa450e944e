"""Idea-call fixtures for the ``test_ideas_*`` transcripts: a core serving two idea calls, staff, citizens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.runtime.app import Core
from tests.harness import Citizen, Clock, make_config, make_core
from tests.storage_fixtures import BACKENDS, backend_url

GRUEN = """\
format = 1
id = "ideen-gruen"
kind = "ideas"
title = { de = "Ideen für mehr Grün", en = "Ideas for more green" }
categories = [
  { id = "baeume", de = "Bäume", en = "Trees" },
  { id = "sitzen", de = "Sitzplätze", en = "Places to sit" },
]
ask_location = "optional"
ask_photo = "optional"
max_length = 200
contact = { de = "Grünflächenamt, gruen@example.org", en = "Parks department, gruen@example.org" }
"""

RAD = """\
format = 1
id = "ideen-rad"
kind = "ideas"
title = { de = "Ideen fürs Radfahren", en = "Ideas for cycling" }
moderation = "after"
ask_location = "required"
outro = { de = "Wir melden uns im Frühjahr.", en = "We will be in touch in spring." }
"""

STAFF = "terminal:user-mia"


def idea_config(tmp: Path, url: str | None, files: dict[str, str], threshold: int = 2) -> Path:
    config = make_config(tmp, files, database_url=url, extra=f"\n[ideas]\nreport_threshold = {threshold}\n")
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('timezone = "Europe/Berlin"\n', f'timezone = "Europe/Berlin"\nstaff = ["{STAFF}"]\n'),
        encoding="utf-8",
    )
    return config


@pytest.fixture(params=BACKENDS)
def icore(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Core]:
    with backend_url(request.param, tmp_path) as url:
        core = make_core(idea_config(tmp_path, url, {"gruen.toml": GRUEN}), clock)
        yield core
        core.close()


@pytest.fixture(params=BACKENDS)
def two_calls(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Core]:
    with backend_url(request.param, tmp_path) as url:
        core = make_core(idea_config(tmp_path, url, {"gruen.toml": GRUEN, "rad.toml": RAD}), clock)
        yield core
        core.close()


def citizen(core: Core, name: str) -> Citizen:
    """A citizen who has agreed to the privacy notice."""
    person = Citizen(core, name)
    person.say("hallo")
    person.say("ja")
    return person


def staff(core: Core) -> Citizen:
    mia = Citizen(core, "mia", channel="terminal")
    mia.say("hallo")
    mia.say("ja")
    return mia


def hand_in(person: Citizen, text: str, *, category: str = "1") -> str:
    """Through the whole green call: category, text, no location, no photo; the confirmation."""
    person.say("idee")
    person.say(category)
    person.say(text)
    person.say("überspringen")
    return person.say("überspringen")


def ref_in(text: str) -> str:
    import re

    found = re.findall(r"I-[0-9A-Z]{4}", text)
    assert found, text
    return found[-1]


def rows(core: Core, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(core.config.storage.url)
    try:
        with engine.connect() as db:
            return [tuple(r) for r in db.execute(sa.text(sql)).all()]
    finally:
        engine.dispose()
