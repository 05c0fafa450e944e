"""Matching typed text to a question's options: by number, by label, by id.

A participant may type an option's number as listed, its label in any of the
file's languages or its id; case, accents and German spelling variants are
ignored (``match_keys``). A ``multi`` answer may list several, separated by
commas, semicolons, line breaks, spaces (numbers only) or "und"/"and"/"&".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from surveys.model import Text
from surveys.text_input import match_keys

__all__ = ["Listed", "any_word", "pick_one", "pick_several"]

Listed = Sequence[tuple[str, Text | None]]  # (option id, label) in display order

_POSITION = re.compile(r"\(?(\d{1,3})[.)]?")
_SEPARATORS = re.compile(r"[,;\n\u060c\u061b]")  # also the Arabic comma and semicolon
_JOINERS = re.compile(r"\s+(?:und|and|sowie)\s+|\s*[&+]\s*", re.IGNORECASE)


def any_word(keys: frozenset[str], words: Iterable[str]) -> bool:
    """Whether typed text (its ``match_keys``) is one of ``words``."""
    return any(keys & match_keys(word) for word in words)


def pick_one(
    options: Listed, typed: str, *, other_id: str | None = None, other_words: Iterable[str] = ()
) -> str | None:
    """One option by its number, its label in any language, or its id; ``other_words`` pick ``other_id``.

    A typed number always means a position: that is what the numbered list shows.
    """
    if match := _POSITION.fullmatch(typed.strip()):
        position = int(match.group(1))
        return options[position - 1][0] if 1 <= position <= len(options) else None
    keys = match_keys(typed)
    if not keys:
        return None
    for option_id, label in options:
        if label is not None and any(keys & match_keys(t) for t in label.all()):
            return option_id
    for option_id, _ in options:
        if keys & match_keys(option_id):
            return option_id
    if other_id is not None and any_word(keys, other_words):
        return other_id
    return _by_unique_words(options, typed)


_WORD = re.compile(r"\w{3,}")
_ONLY_WORDS = re.compile(r"[^\W\d_]+(?:[\s\-]+[^\W\d_]+){0,3}")  # one to four words, no numbers or lists


def _by_unique_words(options: Listed, typed: str) -> str | None:
    """The one option whose label holds every word typed (``Zuschuss`` for "Zuschuss für
    Lastenräder"); None when no option or several do, so a word never picks at random."""
    if not _ONLY_WORDS.fullmatch(typed.strip()):
        return None
    typed_words = [match_keys(w) for w in _WORD.findall(typed)]
    if not typed_words:
        return None
    fitting = []
    for option_id, label in options:
        words = [match_keys(w) for text in (label.all() if label is not None else ()) for w in _WORD.findall(text)]
        if all(any(typed_word & word for word in words) for typed_word in typed_words):
            fitting.append(option_id)
    return fitting[0] if len(fitting) == 1 else None


def pick_several(
    options: Listed, typed: str, *, other_id: str | None = None, other_words: Iterable[str] = ()
) -> list[str] | None:
    """``1, 3`` / ``1 3`` / ``1;3`` / ``Bus und Bahn, Fahrrad`` → option ids; None if any part is no option."""
    words = tuple(other_words)

    def one(text: str) -> str | None:
        return pick_one(options, text, other_id=other_id, other_words=words)

    whole = one(typed)
    if whole is not None:
        return [whole]
    chosen: list[str] = []
    for chunk in (c.strip() for c in _SEPARATORS.split(typed)):
        if not chunk:
            continue
        single = one(chunk)
        # A label may itself hold "und" ("Bus und Bahn"), so a chunk is split only when it is no option.
        pieces = [single] if single is not None else [one(piece) for piece in _pieces(chunk)]
        if not pieces or None in pieces:
            return None
        chosen.extend(p for p in pieces if p is not None)
    return chosen


def _pieces(chunk: str) -> list[str]:
    words = chunk.split()
    pieces = words if all(_POSITION.fullmatch(w) for w in words) else _JOINERS.split(chunk)
    return [p for p in pieces if p.strip()] if len(pieces) > 1 else []
