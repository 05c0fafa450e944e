"""``location``: a point (shared from the messenger, or typed as coordinates) within the question's
``bounds``, or the place described in words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from surveys.answers import PLACE_MAX, PLACE_MIN, Accepted, AnswerWords, Given, Refusal, Rejected, length_checked
from surveys.loader.context import describe
from surveys.model import Question, QuestionType
from surveys.question_types.base import N_, Fields, Kind, Paper, Result, Speaker, Table
from surveys.typed_values import parse_coordinates

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["LocationKind", "location_text"]


def location_text(value: object) -> str:
    """A stored location answer as one line: ``lat, lon`` for a point, else the place in words."""
    if isinstance(value, Mapping) and "lat" in value and "lon" in value:
        return f"{value['lat']}, {value['lon']}"
    if isinstance(value, Mapping):
        return str(value.get("text", ""))
    return str(value)


class LocationKind(Kind):
    type = QuestionType.LOCATION
    xlsform_types = ("geopoint",)
    keys = ("bounds",)
    asks_for = "location"

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        value = table.get("bounds")
        if value is None:
            return {"bounds": None}
        here = (*at, "bounds")
        numbers = isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        if not numbers or len(value) != 4:
            shown = f"{len(value)} entries" if isinstance(value, list) else describe(value)
            check.error(
                here,
                f"'bounds' must be 4 numbers [south, west, north, east], not {shown}",
                "e.g. bounds = [51.41, 7.30, 51.60, 7.64] for Dortmund",
            )
            return {"bounds": None}
        south, west, north, east = (float(v) for v in value)
        ok = _bounds_ok(check, here, south, west, north, east)
        return {"bounds": (south, west, north, east) if ok else None}

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
        point = given.location or (parse_coordinates(text) if text else None)
        if point is not None:
            lat, lon = point
            if question.bounds is not None:
                south, west, north, east = question.bounds
                if not (south <= lat <= north and west <= lon <= east):
                    return Rejected(Refusal.OUTSIDE_BOUNDS, {"bounds": question.bounds})
            return Accepted({"lat": lat, "lon": lon})
        if not text or _looks_like_coordinates(text):
            return Rejected(Refusal.NOT_A_LOCATION)
        return length_checked(text, PLACE_MIN, PLACE_MAX) or Accepted({"text": text})

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        return t.gettext("Share a location, type coordinates like 51.51, 7.46, or describe the place in words.")

    def paper(self, question: Question, t: Speaker) -> Paper:
        note = t.gettext(N_("Describe the place in words, for example a street and house number or a crossing."))
        return Paper("lines", note, lines=2)

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        return location_text(value)

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        return location_text(value)


def _looks_like_coordinates(text: str) -> bool:
    """Two numbers that are no valid point: refused rather than stored as a place in words."""
    return bool(re.fullmatch(r"[\s\d.,;/+\-−]+", text)) and len(re.findall(r"\d+", text)) >= 2


def _bounds_ok(check: Check, at: Path, south: float, west: float, north: float, east: float) -> bool:
    before = check.error_count
    for name, lat in (("south", south), ("north", north)):
        if not -90 <= lat <= 90:
            check.error(at, f"{name} ({lat}) is no latitude: it must be from -90 to 90")
    for name, lon in (("west", west), ("east", east)):
        if not -180 <= lon <= 180:
            check.error(at, f"{name} ({lon}) is no longitude: it must be from -180 to 180")
    order = "the order is [south, west, north, east]"
    if south >= north:
        check.error(at, f"south ({south}) must be smaller than north ({north})", order)
    if west >= east:
        check.error(at, f"west ({west}) must be smaller than east ({east})", order)
    return check.error_count == before
