"""What the import says to staff: one note per thing changed, left out or wrong, naming the row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Note", "Severity"]

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Note:
    """``error``: nothing is written; ``warning``: written, but something was left out or guessed;
    ``note``: written as staff would expect, said for the record (a renamed id)."""

    message: str
    hint: str | None = None
    sheet: str = "survey"  # "survey", "choices", "settings"; "" for the whole form
    row: int | None = None  # as the spreadsheet counts: the header is row 1
    column: str | None = None
    severity: Severity = "warning"

    @property
    def place(self) -> str:
        """``survey row 7, column relevant``; ``column label::Klingon``; ``settings``; "" for the form."""
        parts = []
        if self.sheet:
            parts.append(f"{self.sheet} row {self.row}" if self.row is not None else self.sheet)
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = ": ".join(part for part in (self.place, "" if self.severity == "error" else self.severity) if part)
        text = f"{text}: {self.message}" if text else self.message
        return f"{text} — {self.hint}" if self.hint else text
