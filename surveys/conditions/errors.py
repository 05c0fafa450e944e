"""The one error the condition language raises: what is wrong, and where."""

from __future__ import annotations

__all__ = ["ConditionError"]


class ConditionError(ValueError):
    """A condition text that is not a valid condition.

    ``message`` is one plain English sentence for staff; ``column`` is the
    1-based position in the condition text (counted in characters, line breaks
    included) where the problem is.
    """

    message: str
    column: int

    def __init__(self, message: str, column: int) -> None:
        # Both go to args so the error survives pickling (e.g. across processes).
        super().__init__(message, column)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (column {self.column})"
