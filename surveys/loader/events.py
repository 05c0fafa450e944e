"""Reading a process file's ``[[events]]``: in-person events the bot lists and reminds of."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.loader.context import Check, describe
from surveys.loader.source_map import Path
from surveys.loader.texts import read_text
from surveys.model import Event

__all__ = ["EVENT_KEYS", "read_events"]

EVENT_KEYS = ("title", "start", "place", "link")
_LINK = re.compile(r"https?://\S+")
_MAX_TITLE = 200


def read_events(check: Check, data: Mapping[str, Any]) -> tuple[Event, ...]:
    value = data.get("events", [])
    at: Path = ("events",)
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        check.error(at, f"'events' must be [[events]] blocks, not {describe(value)}")
        return ()
    events: list[Event] = []
    starts: dict[str, int] = {}
    for index, table in enumerate(value):
        event = _read_event(check, table, (*at, index))
        if event is None:
            continue
        if event.key in starts:
            check.error(
                (*at, index, "start"),
                f"two events start at the same time (see event {starts[event.key] + 1})",
                "make it one event, or give them different start times",
            )
            continue
        starts[event.key] = index
        events.append(event)
    return tuple(sorted(events, key=lambda e: e.start))


def _read_event(check: Check, table: Mapping[str, Any], at: Path) -> Event | None:
    check.unknown_keys(table, EVENT_KEYS, at)
    found = [check.require(table, key, at, _hint(key)) for key in ("title", "start", "place")]
    title = read_text(check, table, "title", at, max_chars=_MAX_TITLE)
    start = check.moment(table, "start", at)
    place = read_text(check, table, "place", at, max_chars=_MAX_TITLE)
    link = check.string(table, "link", at)
    if link is not None and not _LINK.fullmatch(link):
        check.error((*at, "link"), f"'link' must be a web address starting with https://, not {link!r}")
        link = None
    if not all(found) or title is None or start is None or place is None:
        return None
    return Event(title=title, start=start, place=place, link=link)


def _hint(key: str) -> str:
    examples = {
        "title": 'add e.g. title = { de = "Stadtteilspaziergang", en = "Neighbourhood walk" }',
        "start": "add e.g. start = 2027-02-03T18:00:00+01:00 (without quotes)",
        "place": 'add e.g. place = "Bürgerhaus, Hauptstraße 1"',
    }
    return examples[key]
