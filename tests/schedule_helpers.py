"""Helpers for the scheduling tests: a core with topics, districts and timed processes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.runtime.app import Core, sweep_context
from bot.scheduled.sweeps import Outcome, run_due
from tests.harness import Citizen, Clock, make_config, make_core

__all__ = ["BERLIN", "consent", "schedule_config", "schedule_core", "sweep", "timed_survey"]

BERLIN = dt.timezone(dt.timedelta(hours=1))  # December: Europe/Berlin is UTC+1

BOT_KEYS = 'topics = ["verkehr", "gruen"]\ndistricts = ["Eving", "Hombruch"]\nstaff = ["terminal:user-chef"]\n'


def timed_survey(
    process_id: str,
    *,
    opens: str | None = None,
    closes: str | None = None,
    topics: str = "[]",
    districts: str = "[]",
    reminders: str = "[]",
    events: str = "",
) -> str:
    lines = [
        "format = 1",
        f'id = "{process_id}"',
        f'title = {{ de = "Umfrage {process_id}", en = "Survey {process_id}" }}',
        'languages = ["de", "en"]',
        f"topics = {topics}",
        f"districts = {districts}",
        f"reminders = {reminders}",
    ]
    lines += [f"opens = {opens}"] if opens else []
    lines += [f"closes = {closes}"] if closes else []
    lines += [
        "",
        "[[questions]]",
        'id = "eins"',
        'type = "text"',
        'text = "Erste Frage?"',
        "",
        "[[questions]]",
        'id = "zwei"',
        'type = "text"',
        'text = "Zweite Frage?"',
    ]
    return "\n".join(lines) + "\n" + events


def schedule_config(tmp: Path, surveys: dict[str, str], url: str, extra: str = "") -> Path:
    path = make_config(tmp, surveys, database_url=url, extra=extra)
    path.write_text(path.read_text(encoding="utf-8").replace("[bot]\n", "[bot]\n" + BOT_KEYS, 1), encoding="utf-8")
    return path


def schedule_core(tmp: Path, surveys: dict[str, str], url: str, clock: Clock, extra: str = "") -> Core:
    return make_core(schedule_config(tmp, surveys, url, extra), clock)


def consent(core: Core, name: str, channel: str = "test") -> Citizen:
    citizen = Citizen(core, name, channel=channel)
    citizen.say("hallo")
    citizen.say("1")
    return citizen


def sweep(core: Core) -> Outcome:
    return run_due(sweep_context(core), core.engine.catalog, core.engine.clock())
