"""The tokenizer of the condition language: text in, a list of tokens out.

It knows the few characters the language uses and refuses everything else
with a message that says what was probably meant (``&&`` → ``and``). Names
are checked here too: lowercase ``[a-z][a-z0-9_]*``, never a Python reserved
word, never ``_``-prefixed (so ``__import__`` is no name at all).
"""

from __future__ import annotations

import keyword
import unicodedata
from dataclasses import dataclass

from surveys.conditions.errors import ConditionError
from surveys.conditions.nodes import Scalar

__all__ = ["MAX_DIGITS", "MAX_SOURCE_LENGTH", "MAX_STRING_LENGTH", "Token", "tokenize"]

MAX_SOURCE_LENGTH = 2000
MAX_STRING_LENGTH = 500
MAX_DIGITS = 30

# Words of the language; a token of one of these has the word itself as kind.
WORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
_LITERAL_WORDS: dict[str, Scalar] = {"true": True, "false": False, "null": None}
_OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",", "-")
_WHITESPACE = " \t\r\n"
_DIGITS = "0123456789"
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_ESCAPABLE = "'\"\\"
# Explicit direction controls: they can make a condition read differently
# from how it parses ("Trojan Source"), so they are refused even inside texts.
_DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CURLY_QUOTES = frozenset("‘’‚‛“”„‟«»‹›")
_PYTHON_RESERVED = frozenset(keyword.kwlist) - WORDS
_CASE_HINTS = {"none": "null", "nil": "null"}
_STRAY_HINTS = {
    "&": "use 'and' instead of '{0}'",
    "|": "use 'or' instead of '{0}'",
    "!": "use 'not' instead of '!'",
    "=": "use '==' to compare; a single '=' is not an operator",
    "=<": "use '<=' instead of '=<'",
    "=>": "use '>=' instead of '=>'",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token. ``kind`` is "name", "string", "number", "end", or the operator
    or word itself ("==", "(", "and", "true", ...)."""

    kind: str
    text: str  # as written in the source
    value: Scalar  # the decoded literal for strings, numbers, true/false/null
    column: int


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens, ending with an "end" token; raises ConditionError."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ConditionError(f"the condition is longer than {MAX_SOURCE_LENGTH} characters", MAX_SOURCE_LENGTH + 1)
    tokens: list[Token] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char in _WHITESPACE:
            i += 1
            continue
        if char in "'\"":
            token, i = _string(source, i)
        elif char in _DIGITS:
            token, i = _number(source, i)
        elif char in _WORD_CHARS:
            token, i = _word(source, i)
        else:
            token, i = _operator(source, i)
        tokens.append(token)
    tokens.append(Token("end", "", None, len(source.rstrip(_WHITESPACE)) + 1))
    return tokens


def _string(source: str, start: int) -> tuple[Token, int]:
    quote = source[start]
    chars: list[str] = []
    i = start + 1
    while i < len(source):
        char = source[i]
        if char == quote:
            return Token("string", source[start : i + 1], "".join(chars), start + 1), i + 1
        if char in _DIRECTION_CONTROLS:
            raise ConditionError(_invisible(char), i + 1)
        if char == "\\":
            i += 1
            if i < len(source) and source[i] not in _ESCAPABLE:
                raise ConditionError(_bad_escape(source[i]), i)
            char = source[i] if i < len(source) else ""
        chars.append(char)
        if len(chars) > MAX_STRING_LENGTH:
            raise ConditionError(f"a quoted text may have at most {MAX_STRING_LENGTH} characters", start + 1)
        i += 1
    raise ConditionError(f"this quoted text is not closed: add the missing {quote}", start + 1)


def _bad_escape(char: str) -> str:
    if not char.isprintable():
        return _invisible(char)
    return f"unknown escape '\\{char}' in a quoted text: only \\', \\\" and \\\\ are allowed"


def _number(source: str, start: int) -> tuple[Token, int]:
    i = _skip_digits(source, start)
    if i < len(source) and source[i] == ".":
        if i + 1 >= len(source) or source[i + 1] not in _DIGITS:
            raise ConditionError("a decimal number needs digits after the '.', like 2.5", i + 1)
        i = _skip_digits(source, i + 1)
    text = source[start:i]
    if sum(char in _DIGITS for char in text) > MAX_DIGITS:
        raise ConditionError(f"numbers may have at most {MAX_DIGITS} digits", start + 1)
    if i < len(source) and (source[i] in _WORD_CHARS or source[i] == "."):
        raise ConditionError(f"unexpected '{source[i]}' right after the number {text}", i + 1)
    value = float(text) if "." in text else int(text)
    return Token("number", text, value, start + 1), i


def _skip_digits(source: str, i: int) -> int:
    while i < len(source) and source[i] in _DIGITS:
        i += 1
    return i


def _word(source: str, start: int) -> tuple[Token, int]:
    i = start
    while i < len(source) and source[i] in _WORD_CHARS:
        i += 1
    word = source[start:i]
    column = start + 1
    if word.startswith("_"):
        raise ConditionError(f"'{word}' is not a valid name: question ids start with a lowercase letter", column)
    if word != word.lower():
        hint = _CASE_HINTS.get(word.lower(), word.lower())
        raise ConditionError(f"'{word}' is not a valid name: names are lowercase — did you mean '{hint}'?", column)
    if word == "is":
        raise ConditionError("use '==' or '!=' instead of 'is'", column)
    if word in _PYTHON_RESERVED:
        raise ConditionError(f"'{word}' is a reserved word and can't be used as a question id", column)
    if word in WORDS:
        return Token(word, word, _LITERAL_WORDS.get(word), column), i
    return Token("name", word, None, column), i


def _operator(source: str, start: int) -> tuple[Token, int]:
    pair = source[start : start + 2]
    for operator in _OPERATORS:
        if pair.startswith(operator):
            return Token(operator, operator, None, start + 1), start + len(operator)
    raise ConditionError(_stray(source, start), start + 1)


def _stray(source: str, i: int) -> str:
    """The message for a character the language has no use for."""
    char, pair = source[i], source[i : i + 2]
    if pair in _STRAY_HINTS:
        return _STRAY_HINTS[pair]
    if char in _STRAY_HINTS:
        doubled = pair if pair == char * 2 else char
        return _STRAY_HINTS[char].format(doubled)
    if char in _CURLY_QUOTES:
        return f"use straight quotes ' or \" around texts, not {char}"
    if char == "." and source[i + 1 : i + 2].isascii() and source[i + 1 : i + 2].isdigit():
        return "write decimal numbers with a digit before the '.', like 0.5"
    if unicodedata.category(char)[0] in "CZ":
        return _invisible(char)
    if char.isalpha():
        return f"unexpected character '{char}': question ids use only a–z, 0–9 and '_'"
    return f"unexpected character '{char}'"


def _invisible(char: str) -> str:
    name = unicodedata.name(char, "control character")
    return f"remove the invisible character U+{ord(char):04X} ({name})"
