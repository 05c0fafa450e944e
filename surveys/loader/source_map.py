"""Finding the line (and column) of a place in a process file, best effort.

``tomllib`` returns plain values without positions, so this module scans the
source text lightly: table headers split it into sections, and a key is found
at the start of a line within its section. It is only used to point staff at
the right spot; when it finds nothing the problem is reported without a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Path", "SourceMap", "place_of"]

Path = tuple[str | int, ...]  # keys and 0-based list indexes, e.g. ("questions", 2, "show_if")

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\-.\"' ]+?)\s*\]\]?\s*(#.*)?$")


def place_of(path: Path) -> str:
    """``("questions", 2, "show_if")`` → ``"questions[3].show_if"``: indexes counted from 1 for people."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class _Header:
    name: str
    line: int  # 0-based index into lines
    array: bool


class SourceMap:
    """Line and column lookups in one file's text (lines and columns count from 1)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [h for i, line in enumerate(self.lines) if (h := _header(i, line)) is not None]

    def locate(self, path: Path) -> tuple[int | None, int | None]:
        """(line, column) of the deepest part of ``path`` that can be found."""
        found = self._section(path)
        if found is None:
            return None, None
        start, end, rest, fallback = found
        position = fallback
        for part in rest:
            hit = self._find(part, start, end, position)
            if hit is None:
                break
            position = hit
            start = hit[0] - 1
        return position if position is not None else (None, None)

    def value_column(self, line: int) -> int | None:
        """Column of the first character inside the quoted value on ``line`` (for condition errors)."""
        match = re.search(r"=\s*(['\"])", self.lines[line - 1]) if 0 < line <= len(self.lines) else None
        return match.end() + 1 if match else None

    def _section(self, path: Path) -> tuple[int, int, Path, tuple[int, int] | None] | None:
        if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
            arrays = [h for h in self.headers if h.array and h.name == path[0]]
            if len(arrays) > path[1]:
                header = arrays[path[1]]
                return header.line + 1, self._section_end(header), path[2:], (header.line + 1, 1)
        if path and isinstance(path[0], str):
            own = next((h for h in self.headers if not h.array and h.name == path[0]), None)
            if own is not None:
                return own.line + 1, self._section_end(own), path[1:], (own.line + 1, 1)
        top_end = self.headers[0].line if self.headers else len(self.lines)
        return 0, top_end, path, None

    def _section_end(self, header: _Header) -> int:
        """A section runs until the next header that is not one of its sub-tables."""
        for later in self.headers:
            if later.line > header.line and not later.name.startswith(header.name + "."):
                return later.line
        return len(self.lines)

    def _find(self, part: str | int, start: int, end: int, current: tuple[int, int] | None) -> tuple[int, int] | None:
        if isinstance(part, int):
            return self._find_item(part, start, end)
        if current is not None:
            # A key inside an inline table on the line just found: `title = { de = "…", en = … }`.
            key = re.compile(rf"[{{,]\s*({re.escape(part)}|\"{re.escape(part)}\")\s*=")
            inline = key.search(self.lines[current[0] - 1], current[1] - 1)
            if inline:
                return current[0], inline.start(1) + 1
        pattern = re.compile(rf"^\s*({re.escape(part)}|\"{re.escape(part)}\")\s*[=.]")
        for i in range(start, end):
            match = pattern.match(self.lines[i])
            if match:
                return i + 1, match.start(1) + 1
        return None

    def _find_item(self, index: int, start: int, end: int) -> tuple[int, int] | None:
        """The ``index``-th inline table of a list that starts on line ``start`` + 1."""
        seen = -1
        for i in range(start, end):
            for column in (m.start() for m in re.finditer(r"\{", self.lines[i])):
                if i == start and not self._opens_list_before(i, column):
                    continue
                seen += 1
                if seen == index:
                    return i + 1, column + 1
        return None

    def _opens_list_before(self, line: int, column: int) -> bool:
        return "[" in self.lines[line][:column]


def _header(index: int, line: str) -> _Header | None:
    match = _HEADER.match(line)
    if match is None:
        return None
    name = ".".join(part.strip().strip("\"'") for part in match.group(2).split("."))
    return _Header(name, index, match.group(1) == "[[")
