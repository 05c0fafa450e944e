"""Reading one TOML table of the config with checks: unknown keys, types, defaults.

Every problem is collected (never raised), so ``load_config`` can report all
of them at once. Problems name the key's place (``channels.telegram.mode``)
and, where the source shows it, its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from bot.config.env import place_of
from bot.config.model import Enabled
from surveys.problems import Problem, did_you_mean

__all__ = ["Context", "Table"]

T = TypeVar("T")

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _kind(value: object) -> str:
    """What a TOML value is, in the words of the messages."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _locate(source: str, place: str) -> int | None:
    """Best effort: the line where ``place`` is written (a ``[table]`` header or a ``key =``)."""
    bare = re.sub(r"\[\d+\]", "", place)
    table, _, key = bare.rpartition(".")
    key_line = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    current, table_line = "", None
    for number, line in enumerate(source.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = re.sub(r"[\s\"']", "", header.group(1))
            if current == bare:
                return number
            if current == table:
                table_line = number
        elif current == table and key_line.match(line):
            return number
    return table_line  # a key that is missing: point at its table


@dataclass
class Context:
    """Shared by every table of one config file: where problems go, and what ``${…}`` used."""

    file: str
    source: str
    variables: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def report(self, place: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.file, place, message, hint, line=_locate(self.source, place)))

    def sorted_problems(self) -> list[Problem]:
        """The problems in the order of the file, so they read like it."""
        return sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))

    def set_hint(self, place: str) -> str | None:
        """``set NAME`` when the value at ``place`` came from environment variables."""
        names = self.variables.get(place)
        return f"set {', '.join(names)}" if names else None


class Table:
    """One table of the config; unknown keys are reported when it is opened."""

    def __init__(self, ctx: Context, place: str, raw: object, known: Iterable[str]) -> None:
        self.ctx = ctx
        self.place = place
        self.known = tuple(known)
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            ctx.report(place, f"must be a table, not {_kind(raw)}", f"write it as [{place}]")
            raw = {}
        self.raw: dict[str, Any] = raw
        for key in raw:
            if key not in self.known:
                hint = did_you_mean(key, self.known) or f"known keys: {', '.join(self.known)}"
                ctx.report(self.at(key), f"unknown key '{key}'", hint)

    def at(self, key: str | int) -> str:
        return place_of(self.place, key)

    def has(self, key: str) -> bool:
        return key in self.raw

    def report(self, key: str | int, message: str, hint: str | None = None) -> None:
        self.ctx.report(self.at(key), message, hint)

    def table(self, key: str, known: Iterable[str]) -> Table:
        return Table(self.ctx, self.at(key), self.raw.get(key), known)

    def _typed(self, key: str, default: T, accepts: Callable[[object], bool], wanted: str, example: str) -> T:
        if key not in self.raw:
            return default
        value = self.raw[key]
        if accepts(value):
            return cast(T, value)
        self.report(key, f"must be {wanted}, not {_kind(value)}", f"for example {key} = {example}")
        return default

    def string(self, key: str, default: str) -> str:
        return self._typed(key, default, lambda v: isinstance(v, str), "text", '"…"')

    def boolean(self, key: str, default: bool) -> bool:
        return self._typed(key, default, lambda v: isinstance(v, bool), "true or false", "true")

    def integer(self, key: str, default: int, *, minimum: int) -> int:
        value = self._typed(
            key, default, lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number", str(default)
        )
        if value < minimum:
            self.report(key, f"must be at least {minimum}, not {value}")
            return default
        return value

    def number(self, key: str, default: float, *, above: float) -> float:
        value = self._typed(
            key, default, lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number", str(default)
        )
        if value <= above:
            self.report(key, f"must be more than {above:g}, not {value:g}")
            return default
        return float(value)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._typed(key, list(default), lambda v: isinstance(v, list), "a list", '["…", "…"]')
        good = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                good.append(item)
            else:
                self.report(f"{key}[{index + 1}]", f"must be text, not {_kind(item)}", 'put it in quotes: "…"')
        return tuple(good)

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.string(key, default)
        if value not in allowed:
            options = " or ".join(f'"{a}"' for a in allowed)
            self.report(key, f"'{value}' is not one of {options}", did_you_mean(value, allowed))
            return default
        return value

    def enabled(self) -> Enabled:
        value = self.raw.get("enabled", "auto")
        if isinstance(value, bool):
            return value
        if value == "auto":
            return "auto"
        hint = "write true or false without quotes" if value in ("true", "false") else None
        self.report("enabled", 'must be "auto", true or false', hint or 'for example enabled = "auto"')
        return "auto"
