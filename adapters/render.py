"""The one plain-text renderer: how a reply looks on a channel without buttons.

Every channel that cannot show buttons (the terminal, Matrix without polls, a
screen reader reading any channel) gets options as a numbered list from here,
so the numbers a citizen types mean the same on every channel.

In a right-to-left reply (its first letter is Arabic, Hebrew, …) each option's
label is a Unicode isolate, so "3 – 5 km" or a German label left untranslated
keeps its order beside the number; the bot's sentences isolate their filled-in
values themselves (``bot.i18n.Translator``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from adapters.base import Option, Reply

__all__ = ["chosen_suffix", "direction", "is_right_to_left", "is_rtl", "option_line", "render_plain", "split_text"]


@lru_cache(maxsize=64)
def is_rtl(code: str) -> bool:
    """Whether language ``code`` is written right to left (Arabic, Hebrew, Persian, …), from Babel's
    CLDR data; for whatever lays text out: the chat's isolates, a web page's or a printed page's ``dir``."""
    try:
        return Locale.parse(code.replace("_", "-").split("-", 1)[0]).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def direction(code: str) -> str:
    """The HTML ``dir`` of language ``code``: ``rtl`` or ``ltr``."""
    return "rtl" if is_rtl(code) else "ltr"


def render_plain(reply: Reply, *, with_options: bool = True) -> str:
    """The reply's text followed by its options as ``1 – label`` lines."""
    if not with_options or not reply.options:
        return reply.text
    lines = [reply.text, ""]
    chosen = set(reply.selected)
    isolated = is_right_to_left(reply.text)
    for option in reply.options:
        mark = chosen_suffix(reply) if reply.multi and option.payload in chosen else ""
        lines.append(f"{option_line(option, isolated=isolated)}{mark}")
    # no "done" line: without buttons a multi answer is typed at once ("1, 3")
    return "\n".join(lines)


def chosen_suffix(reply: Reply) -> str:
    """What follows a chosen option of a multi question: a word a screen reader reads, not a symbol."""
    return f" ({reply.chosen_mark})" if reply.chosen_mark else " [x]"


def option_line(option: Option, *, isolated: bool = False) -> str:
    """``3 – Label``; a label that starts with its own number (a scale step) stands alone.

    ``isolated`` wraps the label in FSI … PDI (for a right-to-left reply)."""
    label = option.label
    if label == str(option.number) or label.startswith(f"{option.number} "):
        return f"\u2068{label}\u2069" if isolated else label
    return f"{option.number} – \u2068{label}\u2069" if isolated else f"{option.number} – {label}"


def is_right_to_left(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strong letter outside isolates is (Unicode rule P2)."""
    depth = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(depth - 1, 0)
        elif depth == 0 and kind in ("R", "AL"):
            return True
        elif depth == 0 and kind == "L":
            return False
    return False


_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…])\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` characters.

    Prefers paragraph, then line, then sentence, then word boundaries; cuts
    hard only inside a single over-long word.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for pattern in _BREAKS:
            matches = [m for m in pattern.finditer(window) if 0 < m.start() <= limit]
            if matches:
                last = matches[-1]
                cut, resume = last.start(), last.end()
                break
        if cut <= 0:
            cut = resume = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[resume:].lstrip("\n") if cut != resume else rest[resume:]
    if rest or not parts:
        parts.append(rest)
    return parts
