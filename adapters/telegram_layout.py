"""How a reply is laid out on Telegram, as plain data: message parts and button rows.

Kept apart from the module that imports ``telegram`` so the layout rules —
button texts, rows, where the keyboard goes, how long text is split — can be
read and tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.base import Option, Reply
from adapters.render import chosen_suffix, split_text

__all__ = ["Button", "MAX_TEXT", "button_rows", "button_text", "text_parts"]

MAX_TEXT = 4096  # Telegram's limit for one message, in characters
_EMPTY_TEXT = "…"  # Telegram refuses an empty message; a keyboard still needs one

# Buttons whose text is at most this long share a row, this many to a row;
# longer ones get a row of their own so the label is not cut off on a phone.
_ROW_RULES = ((8, 5), (18, 2))


@dataclass(frozen=True)
class Button:
    """One inline button: what it shows and the payload it sends back."""

    text: str
    payload: str


def button_text(option: Option, *, chosen: str = "") -> str:
    """``"2. Rad"``; a chosen multi option reads ``"✓ 2. Rad (gewählt)"``.

    The number comes early so a screen-reader user hears what they may type
    instead; ``chosen`` (see ``render.chosen_suffix``) says it in words where
    the check mark is not read aloud.
    """
    base = f"{option.number}. {option.label}"
    return f"✓ {base}{chosen}" if chosen else base


def button_rows(reply: Reply) -> list[list[Button]]:
    """The inline keyboard of a reply: its options, then the done button of a multi question."""
    chosen = set(reply.selected) if reply.multi else set()
    mark = chosen_suffix(reply)
    buttons = [Button(button_text(o, chosen=mark if o.payload in chosen else ""), o.payload) for o in reply.options]
    rows = _pack(buttons)
    if reply.done is not None:
        rows.append([Button(button_text(reply.done), reply.done.payload)])
    return rows


def _pack(buttons: list[Button]) -> list[list[Button]]:
    longest = max((len(b.text) for b in buttons), default=0)
    per_row = next((n for limit, n in _ROW_RULES if longest <= limit), 1)
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def text_parts(reply: Reply) -> list[str]:
    """The reply's text in messages of at most 4096 characters; none for a bare attachment."""
    text = reply.text
    if not text.strip():
        if reply.attachment is not None and not reply.options:
            return []
        text = _EMPTY_TEXT
    return split_text(text, MAX_TEXT)
