"""The in-memory world of the Telegram double: citizens' updates, the bot's messages, files.

Tests act as citizens through :class:`World` (``say``, ``press``,
``share_location``, ``send_photo`` …) and read what the bot did from
``events`` and ``messages``. The HTTP layer (``server.py``) turns Bot API
calls into calls on this object.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BOT_USER", "Fault", "SentMessage", "World"]

BOT_USER: dict[str, Any] = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Mitwirken Test",
    "username": "MitwirkenTestBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class SentMessage:
    """A message the bot sent, as it looks now (edits applied)."""

    chat_id: int
    message_id: int
    text: str | None
    reply_markup: dict[str, Any] | None = None
    parse_mode: str | None = None
    document: dict[str, Any] | None = None
    edits: int = 0

    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback_data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def as_json(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": _chat(self.chat_id),
            "from": BOT_USER,
        }
        if self.text is not None:
            message["text"] = self.text
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        if self.document is not None:
            message["document"] = self.document
        return message


@dataclass
class Fault:
    """The next ``times`` calls of ``method`` (optionally only for ``chat_id``) fail as ``kind``.

    kind: ``"500"``/``"502"`` (server error), ``"403"`` (blocked), ``"429"``
    (flood, ``retry_after``), ``"timeout"`` (hang ``seconds`` without handling).
    """

    method: str
    kind: str
    times: int = 1
    chat_id: int | None = None
    retry_after: int = 1
    seconds: float = 3.0


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id < 0:
        return {"id": chat_id, "type": "group", "title": "Testgruppe"}
    return {"id": chat_id, "type": "private", "first_name": "Bürgerin"}


@dataclass
class World:
    """Everything the double knows; one event loop, no locks needed."""

    next_update_id: int = 700_000
    updates: deque[dict[str, Any]] = field(default_factory=deque)  # not yet confirmed
    confirmed: list[int] = field(default_factory=list)  # update ids a getUpdates offset confirmed
    history: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    replay_next: int = 0
    messages: dict[tuple[int, int], SentMessage] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)  # every bot action, in order
    files: dict[str, bytes] = field(default_factory=dict)
    callbacks: dict[str, bool] = field(default_factory=dict)  # query id → answered
    pressed_on: dict[str, tuple[int, int]] = field(default_factory=dict)  # query id → (chat, message)
    blocked: set[int] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    webhook_statuses: list[int] = field(default_factory=list)  # what our webhook answered the double
    limited_429: int = 0  # refused because the bot exceeded the limits
    injected_429: int = 0  # refused by fault injection
    calls: dict[str, int] = field(default_factory=dict)
    refused: dict[int, int] = field(default_factory=dict)  # chat → sends refused with 403
    handed_out: dict[int, int] = field(default_factory=dict)  # update id → times getUpdates returned it
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    _message_ids: dict[int, itertools.count[int]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # --- citizens act ----------------------------------------------------------

    def say(self, chat_id: int, text: str, *, user_id: int | None = None, language_code: str | None = "de") -> int:
        """A citizen writes ``text``; returns the update id."""
        message = self._incoming(chat_id, user_id, language_code)
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._queue({"message": message})

    def press(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None, language_code: str | None = "de"
    ) -> int:
        """A citizen presses a button carrying ``data`` on the bot's message ``message_id``."""
        sent = self.messages.get((chat_id, message_id))
        message = sent.as_json() if sent else {"message_id": message_id, "date": 0, "chat": _chat(chat_id)}
        query_id = f"cq{next(self._ids)}"
        self.callbacks[query_id] = False
        self.pressed_on[query_id] = (chat_id, message_id)
        sender = self._user(chat_id, user_id, language_code)
        query = {"id": query_id, "from": sender, "chat_instance": f"ci{chat_id}", "data": data, "message": message}
        return self._queue({"callback_query": query})

    def share_location(
        self, chat_id: int, latitude: float, longitude: float, *, venue: str | None = None, user_id: int | None = None
    ) -> int:
        message = self._incoming(chat_id, user_id, "de")
        message["location"] = {"latitude": latitude, "longitude": longitude}
        if venue is not None:
            message["venue"] = {"location": message["location"], "title": venue, "address": "Dortmund"}
        return self._queue({"message": message})

    def send_photo(
        self, chat_id: int, sizes: list[bytes], *, caption: str | None = None, user_id: int | None = None
    ) -> int:
        """A photo in several sizes, smallest first (as Telegram offers them)."""
        message = self._incoming(chat_id, user_id, "de")
        message["photo"] = [self._file(data, width=90 * (i + 1), height=60 * (i + 1)) for i, data in enumerate(sizes)]
        if caption is not None:
            message["caption"] = caption
        return self._queue({"message": message})

    def send_document(
        self, chat_id: int, data: bytes, *, filename: str, mime_type: str, user_id: int | None = None
    ) -> int:
        message = self._incoming(chat_id, user_id, "de")
        message["document"] = {**self._file(data), "file_name": filename, "mime_type": mime_type}
        return self._queue({"message": message})

    def group_says(self, chat_id: int, text: str, *, user_id: int = 1) -> int:
        """Someone writes in a group the bot is in (``chat_id`` < 0)."""
        assert chat_id < 0, "group chat ids are negative"
        return self.say(chat_id, text, user_id=user_id)

    def replay(self, count: int) -> None:
        """The next getUpdates also returns the last ``count`` confirmed updates again."""
        self.replay_next = count

    # --- what the bot sees ---------------------------------------------------------

    def take_updates(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        """getUpdates: confirm everything below ``offset``, return what is pending from there."""
        if offset is not None and offset > 0:
            while self.updates and self.updates[0]["update_id"] < offset:
                done = self.updates.popleft()
                self.confirmed.append(done["update_id"])
                self.history.append(done)
        replayed = list(self.history)[-self.replay_next :] if self.replay_next else []
        self.replay_next = 0
        batch = (replayed + list(self.updates))[: max(1, min(100, limit))]
        for update in batch:
            self.handed_out[update["update_id"]] = self.handed_out.get(update["update_id"], 0) + 1
        return batch

    def confirm_through_webhook(self, update_id: int) -> None:
        """Our webhook answered 200: the update is done (several chats' updates are in flight at once)."""
        done = next((u for u in self.updates if u["update_id"] == update_id), None)
        if done is not None:
            self.updates.remove(done)
            self.confirmed.append(update_id)
            self.history.append(done)

    # --- what the bot did -------------------------------------------------------------

    def record_message(self, chat_id: int, **fields: Any) -> SentMessage:
        sent = SentMessage(chat_id=chat_id, message_id=self._next_message_id(chat_id), **fields)
        self.messages[(chat_id, sent.message_id)] = sent
        self._event("document" if sent.document else "message", sent)
        return sent

    def record_edit(self, sent: SentMessage, text: str, reply_markup: dict[str, Any] | None) -> None:
        sent.text, sent.reply_markup, sent.edits = text, reply_markup, sent.edits + 1
        self._event("edit", sent)

    def record_notice(self, query_id: str, text: str) -> None:
        """The bot answered a press with a text: the app shows it for a moment over the chat."""
        chat_id, message_id = self.pressed_on[query_id]
        sent = self.messages.get((chat_id, message_id)) or SentMessage(chat_id, message_id, text=None)
        self._event("notice", sent, text=text)

    def store_file(self, data: bytes) -> dict[str, Any]:
        return self._file(data)

    def chat_messages(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in one chat, oldest first, as they look now."""
        return sorted((m for (c, _), m in self.messages.items() if c == chat_id), key=lambda m: m.message_id)

    def last_message(self, chat_id: int) -> SentMessage:
        return self.chat_messages(chat_id)[-1]

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.method in (method, "*") and fault.chat_id in (None, chat_id) and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def fail(self, method: str, kind: str, **options: Any) -> None:
        self.faults.append(Fault(method, kind, **options))

    # --- inside ---------------------------------------------------------------------------

    def _event(self, kind: str, sent: SentMessage, *, text: str | None = None) -> None:
        self.events.append(
            {
                "seq": len(self.events),
                "kind": kind,
                "chat_id": sent.chat_id,
                "message_id": sent.message_id,
                "text": sent.text if text is None else text,
                "buttons": sent.buttons(),
                "parse_mode": sent.parse_mode,
                "at": time.monotonic(),
            }
        )

    def _queue(self, body: dict[str, Any]) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, **body})
        self.changed.set()
        return update_id

    def _incoming(self, chat_id: int, user_id: int | None, language_code: str | None) -> dict[str, Any]:
        return {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": self._user(chat_id, user_id, language_code),
        }

    @staticmethod
    def _user(chat_id: int, user_id: int | None, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id or abs(chat_id), "is_bot": False, "first_name": "Bürgerin"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _file(self, data: bytes, **extra: Any) -> dict[str, Any]:
        number = next(self._ids)
        file_id = f"file{number}"
        self.files[file_id] = data
        return {"file_id": file_id, "file_unique_id": f"u{number}", "file_size": len(data), **extra}
