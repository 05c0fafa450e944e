"""The staff-facing wording of parse errors that depend on the tokens around them.

Each message is one English sentence and, where it can, says what was
probably meant.
"""

from __future__ import annotations

import difflib

from surveys.conditions.lexer import Token

__all__ = ["FUNCTIONS", "describe", "expected_value", "trailing", "unknown_function"]

# Function name -> how it is written.
FUNCTIONS = {
    "answered": "answered(q)",
    "selected": "selected(q, 'option')",
    "count": "count(q)",
    "length": "length(q)",
}
_JOINERS = ("and", "or", "not in", "in")


def describe(token: Token) -> str:
    """A token as a message shows it: quoted (texts already are), long ones shortened."""
    if token.kind == "end":
        return "the end of the condition"
    text = token.text if len(token.text) <= 20 else token.text[:19] + "…"
    return text if token.kind == "string" else f"'{text}'"


def expected_value(token: Token, previous: Token | None) -> str:
    """A value was due at ``token`` (after ``previous``) but something else came."""
    where = "at the start" if previous is None else f"after {describe(previous)}"
    if token.kind == "end":
        return f"expected a value {where}"
    message = f"expected a value {where}, found {describe(token)}"
    if token.kind == "not" and previous is not None:
        message += " (put 'not …' in parentheses)"
    return message


def trailing(token: Token, previous: Token | None) -> str:
    """A complete condition ended before ``token``, which is left over."""
    if token.kind == ")":
        return "unexpected ')' without a matching '('"
    if token.kind == "]":
        return "unexpected ']' without a matching '['"
    message = f"expected 'and', 'or' or the end of the condition, found {describe(token)}"
    if token.kind == "," and previous is not None and previous.kind == "number":
        return message + " (write decimal numbers with a '.', like 2.5)"
    if token.kind == "not":
        return message + " (did you mean 'not in'?)"
    if token.kind == "name":
        close = difflib.get_close_matches(token.text, _JOINERS, n=1)
        if close:
            return message + f" — did you mean '{close[0]}'?"
    return message


def unknown_function(name: str) -> str:
    """A call of a function the language doesn't have, with a did-you-mean."""
    close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
    if close:
        return f"unknown function '{name}' — did you mean '{close[0]}'?"
    return f"unknown function '{name}': the functions are answered(), selected(), count() and length()"
