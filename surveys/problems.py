"""Problems found in a process file, worded for the city staff who wrote it.

A problem names the file, the place in it (``questions[3].show_if``, counted
from 1 like the ``[[questions]]`` blocks a person sees), what is wrong and,
where it can, what was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Problem", "Severity", "did_you_mean"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (``error``: the file is not served) or doubtful (``warning``)."""

    file: str  # the path as given
    place: str  # e.g. "questions[3].show_if", "title.en"; "" for the whole file
    message: str  # what is wrong, one sentence
    hint: str | None = None  # the fix or a did-you-mean
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.severity == "warning":
            parts.append("warning")
        if self.place:
            parts.append(self.place)
        text = ": ".join(parts) + ": " + self.message
        return f"{text} — {self.hint}" if self.hint else text


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest candidate, or None when nothing is close."""
    pool = [c for c in dict.fromkeys(candidates) if c != word]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        # A case slip ("Haeufigkeit") is too far for difflib's ratio on short words.
        close = [c for c in pool if c.casefold() == word.casefold()][:1]
    return f"did you mean '{close[0]}'?" if close else None
