"""The state of checking one file: where problems go, and readers for plain TOML values.

Every reader reports a wrong value as a problem and returns a default, so the
checker goes on and reports *all* problems of a file at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from surveys.loader.source_map import Path, SourceMap, place_of
from surveys.problems import Problem, Severity, did_you_mean

__all__ = ["Check", "describe"]

Number = int | float


def describe(value: object) -> str:
    """What a wrong value is, in the words of the format doc."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text in quotes"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time of day"
    if isinstance(value, list):
        return "a list"
    return "a table"


class Check:
    """Collects the problems of one file; ``languages`` are the file's, once read."""

    def __init__(self, file: str, source: SourceMap) -> None:
        self.file = file
        self.source = source
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()
        # False when 'languages' itself is wrong: then texts are not checked against it,
        # so one typo does not turn into a problem for every translated text.
        self.languages_reliable = True
        # per offered language, the places of the texts written without it (a warning at the end)
        self.untranslated: dict[str, list[Path]] = {}

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def error(self, at: Path, message: str, hint: str | None = None, *, column: int | None = None) -> None:
        self._add(at, message, hint, "error", column)

    def warning(self, at: Path, message: str, hint: str | None = None) -> None:
        self._add(at, message, hint, "warning", None)

    def _add(self, at: Path, message: str, hint: str | None, severity: Severity, column: int | None) -> None:
        line, found_column = self.source.locate(at)
        self.problems.append(Problem(self.file, place_of(at), message, hint, line, column or found_column, severity))

    # --- keys --------------------------------------------------------------------

    def unknown_keys(
        self,
        table: Mapping[str, Any],
        allowed: Collection[str],
        at: Path,
        *,
        elsewhere: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Report keys not in ``allowed``; ``elsewhere`` maps keys valid in other contexts
        to (message, hint) that say where they belong."""
        for key in table:
            if key in allowed:
                continue
            if elsewhere and key in elsewhere:
                message, hint = elsewhere[key]
                self.error((*at, key), message, hint)
                continue
            self.error((*at, key), f"unknown key '{key}'", did_you_mean(key, allowed))

    def require(self, table: Mapping[str, Any], key: str, at: Path, hint: str | None = None) -> bool:
        if key in table:
            return True
        self.error(at, f"the required key '{key}' is missing", hint)
        return False

    # --- plain values --------------------------------------------------------------

    def boolean(self, table: Mapping[str, Any], key: str, at: Path, default: bool) -> bool:
        value = table.get(key, default)
        if isinstance(value, bool):
            return value
        self.error((*at, key), f"'{key}' must be true or false (without quotes), not {describe(value)}")
        return default

    def string(self, table: Mapping[str, Any], key: str, at: Path) -> str | None:
        value = table.get(key)
        if value is None or isinstance(value, str):
            return value
        self.error((*at, key), f"'{key}' must be a text in quotes, not {describe(value)}")
        return None

    def one_of(self, table: Mapping[str, Any], key: str, at: Path, allowed: Sequence[str], default: str) -> str:
        value = table.get(key, default)
        if isinstance(value, str) and value in allowed:
            return value
        choices = ", ".join(f'"{a}"' for a in allowed)
        hint = did_you_mean(value, allowed) if isinstance(value, str) else None
        shown = f"'{value}'" if isinstance(value, str) else describe(value)
        self.error((*at, key), f"'{key}' must be one of {choices}, not {shown}", hint)
        return default

    def whole(
        self,
        table: Mapping[str, Any],
        key: str,
        at: Path,
        default: int | None = None,
        *,
        low: int | None = None,
        high: int | None = None,
        why: str | None = None,
    ) -> int | None:
        value = table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*at, key), f"'{key}' must be a whole number, not {describe(value)}")
            return default
        return value if self._in_range(key, value, at, low, high, why) else default

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        at: Path,
        default: Number | None = None,
        *,
        low: Number | None = None,
        high: Number | None = None,
        why: str | None = None,
    ) -> Number | None:
        value = table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error((*at, key), f"'{key}' must be a number, not {describe(value)}")
            return default
        return value if self._in_range(key, value, at, low, high, why) else default

    def _in_range(
        self, key: str, value: Number, at: Path, low: Number | None, high: Number | None, why: str | None
    ) -> bool:
        if (low is None or value >= low) and (high is None or value <= high):
            return True
        if low is not None and high is not None:
            bound = f"from {low} to {high}"
        else:
            bound = f"at least {low}" if low is not None else f"at most {high}"
        self.error((*at, key), f"'{key}' is {value} but must be {bound}", why)
        return False

    def strings(self, table: Mapping[str, Any], key: str, at: Path) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error((*at, key), f'\'{key}\' must be a list of texts, like ["a", "b"]')
            return ()
        cleaned = tuple(v.strip() for v in value)
        if len(set(cleaned)) < len(cleaned):
            self.warning((*at, key), f"'{key}' lists the same entry twice")
        return tuple(dict.fromkeys(cleaned))

    def moment(self, table: Mapping[str, Any], key: str, at: Path) -> dt.datetime | None:
        """A TOML date-time with a UTC offset, like ``2027-02-10T23:59:00+01:00``."""
        value = table.get(key)
        if value is None:
            return None
        example = f"{key} = 2027-02-10T23:59:00+01:00 (without quotes)"
        if not isinstance(value, dt.datetime):
            self.error((*at, key), f"'{key}' must be a date and time, not {describe(value)}", f"write e.g. {example}")
            return None
        if value.tzinfo is None:
            self.error((*at, key), f"'{key}' has no UTC offset", f"write e.g. {example}")
            return None
        return value

    def day(self, table: Mapping[str, Any], key: str, at: Path) -> dt.date | None:
        """A TOML local date, like ``2026-12-24``."""
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.error((*at, key), f"'{key}' must be a date like 2026-12-24 (without quotes), not {describe(value)}")
            return None
        return value
