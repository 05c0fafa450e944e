"""Channel-neutral message types and the contract every channel adapter implements.

Every package may import this module: it is the common language between the
engine (``bot/``) and the channels (``adapters/``). It holds no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, Protocol, runtime_checkable

__all__ = [
    "CHANNELS_WITH_BUTTONS",
    "CHANNELS_WITH_TRANSCRIPT",
    "has_buttons",
    "Attachment",
    "Capabilities",
    "ChannelAdapter",
    "CursorStore",
    "Deliver",
    "Inbound",
    "Media",
    "Option",
    "PermanentSendError",
    "RecipientGone",
    "Reply",
    "RetryLater",
    "SendError",
    "TransientSendError",
]


@dataclass(frozen=True)
class Media:
    """A file a citizen sent (a photo for a ``photo`` question or an idea).

    ``data`` holds the bytes when the adapter has fetched them already; adapters
    refuse to fetch files larger than they were told to accept and pass
    ``data=None`` with the announced ``size`` instead, so the engine can say
    the file is too large without ever holding it.
    """

    kind: Literal["image", "file"]
    mime_type: str
    size: int
    data: bytes | None = None
    filename: str | None = None

    def __post_init__(self) -> None:
        for name in ("mime_type", "filename"):
            value = getattr(self, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                object.__setattr__(self, name, clean_text(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` that can be stored and written anywhere: bytes that were no valid UTF-8 (which
    Python reads as lone surrogates, e.g. from a terminal) and any other lone surrogate become
    the replacement character U+FFFD; valid text is returned as it is."""
    if not _SURROGATE.search(text):
        return text
    try:  # bytes read with "surrogateescape": decode them again, keeping what was valid UTF-8
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        pass
    return _SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True)
class Inbound:
    """What every adapter turns a platform event into. Its texts are cleaned on the way in
    (``clean_text``), so no channel can bring invalid bytes into the database."""

    channel: str  # "telegram", "matrix", "terminal", …
    address: str  # where to reply (chat id, room id)
    sender: str  # platform user id: never shown, never exported, never logged
    event_id: str  # platform id of this event: the de-duplication key
    text: str | None = None
    choice: str | None = None  # a pressed button's payload (Option.payload)
    location: tuple[float, float] | None = None  # (latitude, longitude)
    media: Media | None = None
    language: str | None = None  # the language the messenger reports, if any
    private: bool = True  # False in group rooms: the bot answers only in private chats
    reply_to: str | None = None  # platform message id the event answers (a button's message)
    unreadable: bool = False  # an encrypted message the bot could not open (its key never came)

    def __post_init__(self) -> None:
        for name in ("address", "sender", "event_id", "text", "choice", "language", "reply_to"):
            value = getattr(self, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                object.__setattr__(self, name, clean_text(value))


CHANNELS_WITH_BUTTONS = frozenset({"telegram", "web"})
"""Channels whose messages carry buttons a citizen presses (Telegram's inline keyboards, the web
chat's form buttons). Elsewhere (the terminal; Matrix, whose polls serve single choices only)
citizens type the number shown."""

CHANNELS_WITH_TRANSCRIPT = frozenset({"web"})
"""Channels that draw the whole conversation from the outbox (the web chat's page): the engine
stores each text a citizen sends there as a reply marked ``own``, so the page shows both sides
after a restart too. Such rows go with the participant's data like every outbox row."""


def has_buttons(channel: str) -> bool:
    """Whether texts in ``channel`` may speak of buttons to press."""
    return channel in CHANNELS_WITH_BUTTONS


@dataclass(frozen=True)
class Option:
    """One answer a citizen can pick.

    ``payload`` comes back as ``Inbound.choice`` when a button is pressed; it is
    opaque to adapters, at most 64 bytes, and verified by the engine.
    ``number`` is what the citizen may type instead; ``label`` is plain text.
    """

    payload: str
    label: str
    number: int


@dataclass(frozen=True)
class Attachment:
    """A file the bot sends (the participant's own data, an export)."""

    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class Reply:
    """What the engine asks a channel to show. Plain text only: adapters escape it."""

    text: str
    options: tuple[Option, ...] = ()
    # multi-select: options toggle and the done option ends the selection
    multi: bool = False
    selected: tuple[str, ...] = ()  # payloads already toggled on (multi)
    chosen_mark: str = ""  # the word that marks them, in the citizen's language ("gewählt")
    done: Option | None = None  # the "done" option of a multi question
    attachment: Attachment | None = None
    ask_location: bool = False  # a channel that can, offers "share location"
    location_button: str = ""  # that offer's label, in the citizen's language
    ask_photo: bool = False
    # a stable key for the question this reply asks ("<process>/<question>"),
    # so a channel can edit the question message once answered; None for statements
    question_key: str | None = None
    # a channel that can edit messages shows the chosen answer on the question
    # message (``edit_of`` = platform message id to edit) instead of a new message
    edit_of: str | None = None
    # a short acknowledgement of the press this edit answers (a multi's selection so far); a
    # channel that can show one without a message (Telegram's answer to the press) shows it
    # instead of the edit, and draws the edit where it can't
    notice: str = ""
    language: str = ""  # the language the text is in (the web page marks a message in another one)
    own: bool = False  # the citizen's own message, kept for a channel that shows a transcript
    ends_session: bool = False  # everything of the citizen was erased: a channel with sessions ends it

    def changed(self, **changes: Any) -> Reply:
        """What ``dataclasses.replace`` gives (a test compares the two), without its walk over every
        field and the checks of a new construction: every reply of every turn is changed so."""
        unknown = changes.keys() - _REPLY_NAMES
        if unknown:
            raise TypeError(f"Reply has no field {', '.join(sorted(unknown))}")
        new = object.__new__(Reply)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def to_json(self) -> str:
        """Serialise for the outbox (attachments as latin-1 text keeps it one JSON document)."""
        # what dataclasses.asdict gives, built by hand: every reply of every turn passes here
        data = dict(self.__dict__)  # the fields in their order: a frozen dataclass holds nothing else
        data["options"] = [_option_json(option) for option in self.options]
        data["selected"] = list(self.selected)
        if self.done is not None:
            data["done"] = _option_json(self.done)
        if self.attachment is not None:
            att = self.attachment
            data["attachment"] = {
                "filename": att.filename,
                "mime_type": att.mime_type,
                "data": att.data.decode("latin-1"),
            }
        return _OUTBOX_JSON.encode(data)

    @classmethod
    def from_json(cls, raw: str) -> Reply:
        """Inverse of :meth:`to_json`."""
        data: dict[str, Any] = json.loads(raw)
        data["options"] = tuple(Option(**o) for o in data.get("options", ()))
        data["selected"] = tuple(data.get("selected", ()))
        if data.get("done") is not None:
            data["done"] = Option(**data["done"])
        if data.get("attachment") is not None:
            att = data["attachment"]
            data["attachment"] = Attachment(
                filename=att["filename"], mime_type=att["mime_type"], data=att["data"].encode("latin-1")
            )
        return cls(**data)


_REPLY_NAMES = frozenset(each.name for each in fields(Reply))
_OUTBOX_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""What ``json.dumps`` with these options makes anew on every call."""


def _option_json(option: Option) -> dict[str, Any]:
    return {"payload": option.payload, "label": option.label, "number": option.number}


def one_message(replies: Sequence[Reply]) -> list[Reply]:
    """A turn's replies as few platform messages as the content allows: plain texts join the
    reply after them (paragraphs in order, so a screen reader reads them as before), which keeps
    its options, flags and question. An edit or a file stays a message of its own; a text too long
    for the platform is split by its adapter, never here."""
    joined: list[Reply] = []
    waiting: list[str] = []
    for reply in replies:
        if reply.edit_of is not None or reply.attachment is not None:
            if waiting:
                joined.append(Reply("\n\n".join(waiting)))
                waiting = []
            joined.append(reply)
        elif _plain(reply):
            waiting.append(reply.text)
        else:
            joined.append(reply.changed(text="\n\n".join([*waiting, reply.text])) if waiting else reply)
            waiting = []
    if waiting:
        joined.append(Reply("\n\n".join(waiting)))
    return joined


def _plain(reply: Reply) -> bool:
    """Only text: nothing to press, share or show besides it."""
    return not (reply.options or reply.done or reply.multi or reply.ask_location or reply.ask_photo)


@dataclass(frozen=True)
class Capabilities:
    """What a channel can render; the shared renderer degrades the rest to plain text."""

    buttons: bool = False
    files: bool = False
    locations: bool = False
    polls: bool = False
    edits: bool = False
    max_text: int = 4000
    extras: tuple[str, ...] = field(default=())


class CursorStore(Protocol):
    """Where a channel keeps its platform cursor (Matrix ``next_batch``), in the database.

    An adapter saves a cursor only after every event before it was delivered
    (and so committed): a crash then replays events, which de-duplication skips.
    """

    async def load(self, key: str) -> str | None: ...

    async def save(self, key: str, value: str) -> None: ...


Deliver = Callable[[Inbound], Awaitable[None]]
"""Hand one event to the engine. Returns only after the engine has committed it,
so an adapter advances its platform cursor after the await, never before."""


class NotNow(Exception):
    """``deliver`` (or a cursor) could not take the event now — the bot's database is away, and
    the bot has said so in its log. Keep the event unconfirmed and offer it again; log nothing."""


class SendError(Exception):
    """Base of the errors ``send`` raises; the outbox decides what to do."""


class RetryLater(SendError):
    """The platform asked us to wait (HTTP 429): retry this row after ``seconds``."""

    def __init__(self, seconds: float, message: str = "rate limited") -> None:
        super().__init__(message)
        self.seconds = seconds


class TransientSendError(SendError):
    """A 5xx, a timeout, a dropped connection: retry with backoff."""


class RecipientGone(SendError):
    """The citizen blocked the bot or left: mark the address inactive, stop sending."""


class PermanentSendError(SendError):
    """This message can never be sent (malformed, forbidden): give up on the row."""


@runtime_checkable
class ChannelAdapter(Protocol):
    """The contract of every channel.

    ``start`` connects and begins handing events to ``deliver``; it returns once
    the channel is receiving (its receive loop runs as a task). ``stop`` ends
    the loop after the event in hand and closes connections. ``send`` shows one
    reply and returns the platform's message id; ``txn_id`` is unique per outbox
    row and stable across retries (Matrix uses it as the transaction id).
    """

    name: str
    capabilities: Capabilities

    async def start(self, deliver: Deliver) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, address: str, reply: Reply, *, txn_id: str) -> str: ...
