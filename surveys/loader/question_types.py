"""The keys each question type takes, and how they are checked.

``TYPE_KEYS`` is the single list of type-specific keys: the unknown-key check
and the format doc both follow it. Each reader returns keyword arguments for
``surveys.model.Question``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from surveys.answers import OTHER
from surveys.loader.context import Check, describe
from surveys.loader.source_map import Path
from surveys.loader.texts import read_labelled, read_text
from surveys.model import QuestionType

__all__ = ["TYPE_KEYS", "read_type_keys"]

MAX_SCALE_STEPS = 11
MAX_TEXT_LENGTH = 4000
MAX_PHOTO_MB = 20

Q = QuestionType
TYPE_KEYS: dict[QuestionType, tuple[str, ...]] = {
    Q.INFO: (),
    Q.CHOICE: ("options", "other"),
    Q.MULTI: ("options", "other", "min", "max"),
    Q.YESNO: (),
    Q.SCALE: ("min", "max", "min_label", "max_label"),
    Q.NUMBER: ("min", "max", "integer", "unit"),
    Q.TEXT: ("min_length", "max_length"),
    Q.DATE: ("min", "max"),
    Q.LOCATION: ("bounds",),
    Q.PHOTO: ("max_mb",),
}

Table = Mapping[str, Any]
Fields = dict[str, Any]


def read_type_keys(check: Check, table: Table, at: Path, kind: QuestionType) -> Fields:
    reader = _READERS.get(kind)
    return reader(check, table, at) if reader else {}


def _options(check: Check, table: Table, at: Path) -> Fields:
    options = read_labelled(check, table, "options", at, noun="option")
    other = check.boolean(table, "other", at, False)
    if "options" not in table:
        check.error(at, "the required key 'options' is missing", 'add options = [{ id = "a", de = "…" }, …]')
    if other and any(o.id == OTHER for o in options):
        check.error(
            (*at, "options"),
            "an option has the id 'other', which clashes with other = true",
            "give that option another id, or drop it and keep other = true",
        )
    needed = 1 if other else 2
    written = table.get("options")
    if isinstance(written, list) and len(written) < needed:
        noun = "options" if needed > 1 else "option"
        check.error((*at, "options"), f"at least {needed} {noun} needed", "a single answer is no choice")
    return {"options": options, "other": other}


def _multi(check: Check, table: Table, at: Path) -> Fields:
    fields = _options(check, table, at)
    count = len(fields["options"]) + (1 if fields["other"] else 0)
    why = f"this question has {count} options (counting 'other')" if fields["other"] else None
    low = check.whole(table, "min", at, low=1, high=max(count, 1), why=why)
    high = check.whole(table, "max", at, low=1, high=max(count, 1), why=why)
    if low is not None and high is not None and low > high:
        check.error((*at, "min"), f"'min' ({low}) is larger than 'max' ({high})")
    return {**fields, "min": low, "max": high}


def _scale(check: Check, table: Table, at: Path) -> Fields:
    low = check.whole(table, "min", at, 1)
    high = check.whole(table, "max", at, 5)
    if low is not None and high is not None:
        if low >= high:
            check.error((*at, "min"), f"'min' ({low}) must be smaller than 'max' ({high})")
        elif high - low + 1 > MAX_SCALE_STEPS:
            check.error(
                (*at, "max"),
                f"a scale from {low} to {high} has {high - low + 1} steps; at most {MAX_SCALE_STEPS} are allowed",
                "each step is a button, and a longer row of buttons is hard to read",
            )
    return {
        "min": low,
        "max": high,
        "min_label": read_text(check, table, "min_label", at),
        "max_label": read_text(check, table, "max_label", at),
    }


def _number(check: Check, table: Table, at: Path) -> Fields:
    low = check.number(table, "min", at)
    high = check.number(table, "max", at)
    if low is not None and high is not None and low > high:
        check.error((*at, "min"), f"'min' ({low}) is larger than 'max' ({high})")
    return {
        "min": low,
        "max": high,
        "integer": check.boolean(table, "integer", at, False),
        "unit": read_text(check, table, "unit", at),
    }


def _text(check: Check, table: Table, at: Path) -> Fields:
    why = "a longer text does not fit in one message"
    low = check.whole(table, "min_length", at, low=1, high=MAX_TEXT_LENGTH, why=why)
    high = check.whole(table, "max_length", at, 2000, low=1, high=MAX_TEXT_LENGTH, why=why)
    if low is not None and high is not None and low > high:
        check.error((*at, "min_length"), f"'min_length' ({low}) is larger than 'max_length' ({high})")
    return {"min_length": low, "max_length": high if high is not None else 2000}


def _date(check: Check, table: Table, at: Path) -> Fields:
    low = check.day(table, "min", at)
    high = check.day(table, "max", at)
    if low is not None and high is not None and low > high:
        check.error((*at, "min"), f"'min' ({low}) is later than 'max' ({high})")
    return {"min": low, "max": high}


def _location(check: Check, table: Table, at: Path) -> Fields:
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


def _photo(check: Check, table: Table, at: Path) -> Fields:
    size = check.number(table, "max_mb", at, 10.0, high=MAX_PHOTO_MB, why="messengers hand bots at most 20 MB")
    if size is not None and size <= 0:
        check.error((*at, "max_mb"), f"'max_mb' is {size} but must be more than 0")
    return {"max_mb": float(size) if size is not None else 10.0}


_READERS: dict[QuestionType, Callable[[Check, Table, Path], Fields]] = {
    Q.CHOICE: _options,
    Q.MULTI: _multi,
    Q.SCALE: _scale,
    Q.NUMBER: _number,
    Q.TEXT: _text,
    Q.DATE: _date,
    Q.LOCATION: _location,
    Q.PHOTO: _photo,
}
