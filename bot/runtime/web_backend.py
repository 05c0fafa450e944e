"""What the web chat (``adapters/web.py``) asks of the program: its transcript from the outbox,
where a deep link leads, resume codes, and the page's words from the catalogs."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from adapters.base import NotNow, Reply
from bot.clock import Clock
from bot.dialogue.keywords import Keyword, KeywordTable
from bot.i18n import N_, translator
from bot.process_files import Catalog
from storage.contract import Store
from surveys.model import IdeaCall, Survey

__all__ = ["PAGE_WORDS", "StoreWebBackend", "page_words"]

RESUME_DAYS = 1
CHANNEL = "web"

PAGE_WORDS: dict[str, str] = {
    "skip": N_("Skip to the message field"),
    "conversation": N_("Conversation"),
    "you": N_("You"),
    "message": N_("Your message"),
    "send": N_("Send"),
    "answers": N_("Your answer"),
    "photo": N_("Photo"),
    "send_photo": N_("Send photo"),
    "location": N_("Share my location"),
    "download": N_("Download"),
    "start": N_("Start"),
    "intro": N_(
        "Here you can take part in the city's surveys and calls for ideas, without an app or an account. "
        "Press Start or write a message."
    ),
    "language": N_("Language"),
    "other_device": N_("Continue on another device"),
    "show_code": N_("Show a code for another device"),
    "code_label": N_("Code from your other device"),
    "continue": N_("Continue"),
    "your_code": N_(
        "Enter this code on your other device under 'Continue on another device'. It works once, within one day."
    ),
    "back": N_("Back to the conversation"),
    "not_found": N_("This page does not exist."),
    "no_process": N_("This link does not lead to an open survey or call for ideas. Perhaps it has ended."),
    "too_many": N_("Too many requests from your connection. Please wait a minute and try again."),
    "expired": N_("Your session has ended, or your browser blocks cookies. Please open the conversation again."),
    "error": N_("Sorry, something went wrong on our side. Please try again."),
    "busy": N_("The bot cannot take your message right now. Please send it again in a moment."),
    "bad_code": N_("This code is not valid (any more). Please ask for a new code on your other device."),
    "too_large": N_("That is too large. Please send a smaller photo."),
    "ended": N_("Start a new conversation"),
}


@lru_cache(maxsize=32)
def page_words(language: str, languages: tuple[str, ...]) -> Mapping[str, str]:
    """The page's words in ``language``, and the keywords it sends for the citizen."""
    t = translator(language)
    page = {key: t.gettext(message) for key, message in PAGE_WORDS.items()}
    table = KeywordTable(languages)
    page["start_word"] = table.first_word(Keyword.START, language)
    page["language_word"] = table.first_word(Keyword.LANGUAGE, language)
    return page


class StoreWebBackend:
    """``adapters.web.WebBackend`` over the storage contract and the served catalog."""

    def __init__(self, store: Store, catalog: Callable[[], Catalog], clock: Clock, languages: Sequence[str]) -> None:
        self._store, self._catalog, self._clock = store, catalog, clock
        self._languages = tuple(languages)

    async def transcript(self, address: str, limit: int = 200) -> Sequence[tuple[str, Reply]]:
        try:
            rows = await asyncio.to_thread(self._store.transcript, CHANNEL, address, limit)
        except SQLAlchemyError:
            raise NotNow from None
        return [(row.txn_id, Reply.from_json(row.payload)) for row in rows]

    async def process_status(self, process_id: str) -> str:
        process = self._catalog().get(process_id)
        if not isinstance(process, Survey | IdeaCall):
            return "unknown"
        return "open" if process.is_open(self._clock()) else "closed"

    async def save_resume(self, key: str, address: str) -> None:
        until = self._clock() + dt.timedelta(days=RESUME_DAYS)
        try:
            await asyncio.to_thread(self._store.set_cursor, key, f"{address} {until.isoformat()}", self._clock())
        except SQLAlchemyError:
            raise NotNow from None

    async def take_resume(self, key: str) -> str | None:
        try:
            value = await asyncio.to_thread(self._store.get_cursor, key)
            if not value:
                return None
            await asyncio.to_thread(self._store.set_cursor, key, "", self._clock())  # once
        except SQLAlchemyError:
            raise NotNow from None
        address, _, until = value.partition(" ")
        try:
            valid = dt.datetime.fromisoformat(until) > self._clock()
        except ValueError:
            valid = False
        return address if valid and address else None

    def words(self, language: str) -> Mapping[str, str]:
        return page_words(language, self._languages)
