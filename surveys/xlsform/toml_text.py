"""Writing a survey file as staff would write it by hand: inline texts, one ``[[questions]]`` block each.

Only the values a survey file holds are written: texts, numbers, true/false,
lists of option tables. Strings are TOML basic strings with every character
TOML forbids escaped, so any label of a spreadsheet is written safely; the
caller loads the result again (``tomllib`` and the survey loader) to be sure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["comment", "quoted", "question_block", "value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def quoted(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else quoted(name)


def value(item: Any) -> str:
    """One TOML value on one line (tables inline)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError(f"{item} can't be written in a survey file")
        return repr(item)
    if isinstance(item, str):
        return quoted(item)
    if isinstance(item, Mapping):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    if isinstance(item, Sequence):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise TypeError(f"can't write {type(item).__name__} to a survey file")


def comment(text: str) -> str:
    """A comment line (line breaks in ``text`` become spaces)."""
    return "# " + " ".join(text.split())


def question_block(fields: Mapping[str, Any], comments: Sequence[str] = ()) -> str:
    """``[[questions]]`` and its keys; a list of tables (the options) one per line."""
    lines = ["", *(comment(c) for c in comments), "[[questions]]"]
    for name, item in fields.items():
        if isinstance(item, list) and item and all(isinstance(v, Mapping) for v in item):
            lines.append(f"{key(name)} = [")
            lines.extend(f"  {value(v)}," for v in item)
            lines.append("]")
        else:
            lines.append(f"{key(name)} = {value(item)}")
    return "\n".join(lines) + "\n"
