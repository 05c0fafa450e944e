"""What the web chat's page shows, built from stored replies: the transcript and the open question.

Pure functions of the outbox rows of one address (``(txn_id, Reply)``, oldest first), so the page
after a restart is the page before it. An edit (a multi question's toggles) redraws the message it
edits; the last message, when it asks something, is the open question whose options become
buttons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from adapters.base import Option, Reply

__all__ = ["Conversation", "Line", "Message", "Question", "conversation", "lines_of"]

_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


@dataclass(frozen=True)
class Piece:
    text: str
    href: str | None = None  # a web address in the text becomes a link


Line = tuple[Piece, ...]


@dataclass(frozen=True)
class Message:
    key: str  # the outbox row's txn_id: stable, and what a pressed button answers
    own: bool  # written by the citizen
    paragraphs: tuple[tuple[Line, ...], ...]
    language: str
    options: tuple[Option, ...] = ()  # shown as a list once the question is no longer open
    attachment: str | None = None  # the file's name; downloaded from /datei/KEY


@dataclass(frozen=True)
class Question:
    """The open question: its options as buttons, a photo upload, a location button."""

    key: str
    options: tuple[Option, ...]
    multi: bool
    selected: tuple[str, ...]
    chosen_mark: str
    done: Option | None
    ask_photo: bool
    ask_location: bool
    location_button: str


@dataclass(frozen=True)
class Conversation:
    messages: tuple[Message, ...]
    question: Question | None
    ended: bool  # everything was erased: the session ends with this page
    language: str  # the language of the last message ("" before the first)


def lines_of(text: str) -> tuple[tuple[Line, ...], ...]:
    """Paragraphs (split at blank lines) of lines, web addresses as links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()] or [""]
    return tuple(tuple(_pieces(line) for line in paragraph.split("\n")) for paragraph in paragraphs)


def _pieces(line: str) -> Line:
    pieces: list[Piece] = []
    at = 0
    for match in _URL.finditer(line):
        if match.start() > at:
            pieces.append(Piece(line[at : match.start()]))
        pieces.append(Piece(match.group(), href=match.group()))
        at = match.end()
    if at < len(line) or not pieces:
        pieces.append(Piece(line[at:]))
    return tuple(pieces)


def _message(key: str, reply: Reply) -> Message:
    return Message(
        key=key,
        own=reply.own,
        paragraphs=lines_of(reply.text),
        language=reply.language,
        options=reply.options,
        attachment=reply.attachment.filename if reply.attachment is not None else None,
    )


def conversation(rows: Sequence[tuple[str, Reply]]) -> Conversation:
    order: list[str] = []
    replies: dict[str, Reply] = {}
    for key, reply in rows:
        if reply.edit_of is not None and reply.edit_of in replies:
            replies[reply.edit_of] = replace(reply, edit_of=None)  # redrawn in place
            continue
        if key not in replies:
            order.append(key)
        replies[key] = reply
    question = None
    language = ""
    if order:
        last_key = order[-1]
        last = replies[last_key]
        language = next((replies[k].language for k in reversed(order) if replies[k].language), "")
        if not last.own and (last.options or last.done or last.ask_photo or last.ask_location):
            question = Question(
                key=last_key,
                options=last.options,
                multi=last.multi,
                selected=last.selected,
                chosen_mark=last.chosen_mark,
                done=last.done,
                ask_photo=last.ask_photo,
                ask_location=last.ask_location,
                location_button=last.location_button,
            )
    messages = []
    for key in order:
        message = _message(key, replies[key])
        if question is not None and key == question.key:
            message = replace(message, options=())  # its options are the buttons below
        messages.append(message)
    ended = bool(order) and replies[order[-1]].ends_session
    return Conversation(tuple(messages), question, ended, language)
