"""``${NAME}`` in config strings: replaced by the environment variable NAME.

A missing variable becomes the empty string, so a channel whose token comes
from an unset variable is simply off (and says which variable to set).
``$${`` stands for a literal ``${``. Each replaced value remembers the names
of the variables it came from, keyed by its place (``channels.telegram.token``,
``bot.staff[2]``), so messages can say what to set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Substitution", "place_of", "substitute_tree"]

_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}|\$\{")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Substitution:
    """The result of substituting a whole config tree."""

    tree: dict[str, object]
    variables: dict[str, tuple[str, ...]] = field(default_factory=dict)  # place -> variable names used
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (place, message, hint)


def place_of(parent: str, key: str | int) -> str:
    """The dotted place of a key or 1-based list item, as problems name it."""
    if isinstance(key, int):
        return f"{parent}[{key + 1}]"
    return f"{parent}.{key}" if parent else key


class _Substituter:
    def __init__(self, environ: Mapping[str, str], result: Substitution) -> None:
        self.environ = environ
        self.result = result

    def string(self, text: str, place: str) -> str:
        used: list[str] = []

        def replace(match: re.Match[str]) -> str:
            token = match.group(0)
            if token == "$${":
                return "${"
            name = match.group(1)
            if name is None:
                self.result.problems.append(
                    (place, "'${' is not closed by '}'", "write ${NAME}, or $${ for a literal '${'")
                )
                return token
            if not _NAME.fullmatch(name):
                hint = "use letters, digits and _, like ${MITWIRKEN_SECRET}"
                self.result.problems.append((place, f"'${{{name}}}' is not a variable name", hint))
                return token
            used.append(name)
            return self.environ.get(name, "")

        value = _TOKEN.sub(replace, text)
        if used:
            self.result.variables[place] = tuple(used)
        return value

    def value(self, value: object, place: str) -> object:
        if isinstance(value, str):
            return self.string(value, place)
        if isinstance(value, dict):
            return {k: self.value(v, place_of(place, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, place_of(place, i)) for i, v in enumerate(value)]
        return value


def substitute_tree(tree: dict[str, object], environ: Mapping[str, str]) -> Substitution:
    """Replace ``${NAME}`` in every string of ``tree`` (keys stay as written)."""
    result = Substitution(tree={})
    result.tree = _Substituter(environ, result).value(tree, "")  # type: ignore[assignment]
    return result
