"""Cleaning what citizens type, and folding it for comparison with labels and words.

``normalize_text`` is applied to every free-text answer before it is checked or
stored: it removes what a participant cannot see (control, bidi and zero-width
characters) so that stored answers, exports and length limits mean what they
look like. Markdown or HTML look-alikes stay literal text; escaping them is the
channels' job.

``match_keys`` folds a text for matching typed answers against option labels,
ids and keywords: case, accents and German spelling variants (``ä``/``ae``,
``ß``/``ss``) are ignored.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_INBOUND", "clip_inbound", "match_keys", "normalize_text"]

# Longer than any message a channel carries (Matrix events are at most 64 KiB,
# Telegram texts 4,096 characters), so the length a citizen is told is exact.
MAX_INBOUND = 65_536

_BIDI_CONTROLS = [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ZERO_WIDTH = [*range(0x200B, 0x200E), 0x2060, 0xFEFF]
_CONTROLS = [c for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)]
_CLEANUP = str.maketrans(
    {0x09: " ", 0x2028: "\n", 0x2029: "\n"} | dict.fromkeys(_CONTROLS + _BIDI_CONTROLS + _ZERO_WIDTH, None)
)
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(raw: str) -> str:
    """NFC, no invisible characters, LF line ends, no trailing spaces, at most one empty line in a row."""
    if raw.isprintable():
        # the common one-line answer: no control, format (bidi, zero-width), line-break or non-ASCII
        # space character is in it, so of all ``_normalize_fully`` does only the composition and
        # the stripped ends can change it (a test compares the two)
        return unicodedata.normalize("NFC", raw).strip()
    return _normalize_fully(raw)


def _normalize_fully(raw: str) -> str:
    # CR must become LF before control characters are dropped, or CR-only text would lose its lines.
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_CLEANUP)
    # NFC after the removal: a zero-width joiner between a letter and its accent would
    # otherwise block the composition, and a second pass would compose differently.
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def clip_inbound(raw: str) -> str:
    """Cap any inbound text at ``MAX_INBOUND`` characters before it is normalised.

    A guard against a pasted novel at the terminal only: a question's own
    ``max_length`` then rejects what is too long, with its real length,
    instead of silently cutting the answer.
    """
    return raw[:MAX_INBOUND]


_GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_EDGE_PUNCTUATION = " .,;:!?\"'()[]«»„“”‚‘’"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split()).strip(_EDGE_PUNCTUATION)


def match_keys(text: str) -> frozenset[str]:
    """Folded forms of ``text``: two texts mean the same answer when their keys overlap.

    "Täglich", "taeglich", "TAGLICH" and "täglich." share a key; "Straße" and
    "strasse" too (casefold turns ß into ss).
    """
    keys = {_fold(text), _fold(text.translate(_GERMAN_SPELLING))}
    keys.discard("")
    return frozenset(keys)
