"""The Telegram channel: python-telegram-bot for the API, our own loop for receiving.

This is the only module that imports ``telegram``. It uses ``telegram.Bot``
(unmodified) for every API call but not PTB's ``Application``/``Updater``,
which confirm updates to Telegram before our code has handled them. Here an
update is confirmed (the ``getUpdates`` offset moves past it, or the webhook
answers 200) only after ``deliver`` returned, i.e. after the engine committed
it. After a crash Telegram sends the unconfirmed updates again; the engine
skips the ones it already committed (``event_id = str(update_id)``).

Sending goes through :class:`~adapters.telegram_pacing.Pacer`, so our own
traffic stays inside Telegram's limits, and every text is sent without
``parse_mode``: nothing a citizen or staff member writes is read as markup.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import re
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

# Opt in to PTB's coming timedelta durations now (we read both), instead of a warning per 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import (  # noqa: E402 - after the opt-in above
    Bot,
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from adapters.base import (
    Capabilities,
    Deliver,
    Inbound,
    Media,
    NotNow,
    PermanentSendError,
    RecipientGone,
    Reply,
    RetryLater,
    TransientSendError,
)
from adapters.telegram_layout import button_rows, text_parts
from adapters.telegram_pacing import Pacer
from adapters.telegram_webhook import WebhookServer, webhook_path

__all__ = ["TelegramAdapter", "file_url_for"]

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query")
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_TELEGRAM_LANGUAGE = re.compile(r"[a-z]{2}")  # ISO 639-1, what setMyCommands takes
_LOCATION_BUTTON = "Standort senden / Share location"  # for outbox rows written before Reply.location_button
_EDIT_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")
_MEMORY = 10_000  # send progress kept per outbox row, so a retry never repeats a part
_PRESS_WAIT = 2.0  # seconds a press's answer waits for the reply that may carry its notice
_NOTICE_MAX = 200  # characters of an answerCallbackQuery text


def file_url_for(api_url: str) -> str:
    """The file download base that belongs to an API base (``…/bot`` → ``…/file/bot``)."""
    base = api_url.rstrip("/")
    for marker in ("/bot{token}", "/bot"):
        if base.endswith(marker):
            return base[: -len(marker)] + "/file" + marker
    return base + "/file/bot"


class _RedactToken(logging.Filter):
    """httpx logs every request URL at INFO, and the token is part of that URL."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "<token>"), ()
        return True


@dataclass(frozen=True)
class _Step:
    """One API call of a send: a text part, an edit, or the attachment."""

    kind: Literal["text", "edit", "document"]
    text: str = ""
    markup: Any = None


class TelegramAdapter:
    """A Telegram bot as a Mitwirken channel (polling or webhook)."""

    name = "telegram"
    capabilities = Capabilities(buttons=True, files=True, locations=True, edits=True, max_text=4096)

    def __init__(
        self,
        *,
        token: str,
        api_url: str = "https://api.telegram.org/bot",
        mode: str = "polling",
        webhook_listen: str = "0.0.0.0:8443",
        webhook_url: str = "",
        webhook_secret: str = "",
        poll_timeout: int = 30,
        max_per_second: float = 30.0,
        per_chat_per_second: float = 1.0,
        group_per_minute: float = 20,
        max_photo_bytes: int = 10 * 1024 * 1024,
        commands: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        request_timeout: float = 10.0,
        parallel_chats: int = 8,
        webhook_connections: int = 40,
    ) -> None:
        if mode not in ("polling", "webhook"):
            raise ValueError(f"telegram mode must be 'polling' or 'webhook', not {mode!r}")
        if mode == "webhook" and not (webhook_url and webhook_secret):
            raise ValueError("telegram webhook mode needs webhook_url and webhook_secret")
        self._mode = mode
        self._webhook_listen = webhook_listen
        self._webhook_url = webhook_url
        self._webhook_secret = webhook_secret
        self._webhook_connections = webhook_connections
        self._poll_timeout = poll_timeout
        self._max_photo_bytes = max_photo_bytes
        self._commands = dict(commands or {})
        self._parallel_chats = max(1, parallel_chats)
        self._pacer = Pacer(
            max_per_second=max_per_second,
            per_chat_per_second=per_chat_per_second,
            group_per_minute=group_per_minute,
        )
        self._bot = self._make_bot(token, api_url, request_timeout, max_per_second)
        redact = _RedactToken(token)
        for name in ("httpx", "telegram.Bot"):
            logging.getLogger(name).addFilter(redact)
        if logging.getLogger("httpx").level == logging.NOTSET:
            # One INFO line per long poll and per message drowns everything else.
            logging.getLogger("httpx").setLevel(logging.WARNING)
        self._deliver: Deliver | None = None
        self._offset: int | None = None
        self._stopping = asyncio.Event()
        self._poll_task: asyncio.Task[None] | None = None
        self._webhook: WebhookServer | None = None
        self._side_tasks: set[asyncio.Task[Any]] = set()
        # presses not answered yet, per chat: the reply to one may answer it with its notice
        self._presses: dict[int, list[CallbackQuery]] = {}
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._progress: OrderedDict[str, list[str]] = OrderedDict()
        self._location_keyboards: set[int] = set()
        self._noted_groups: set[str] = set()  # groups told once (per run) that the bot talks privately

    @staticmethod
    def _make_bot(token: str, api_url: str, timeout: float, max_per_second: float) -> Bot:
        # The pool must hold every request the pacer lets through at once.
        pool = max(8, min(256, int(max_per_second) + 8))
        sending = HTTPXRequest(
            connection_pool_size=pool,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
        )
        polling = HTTPXRequest(
            connection_pool_size=2, read_timeout=timeout, write_timeout=timeout, connect_timeout=timeout
        )
        api = api_url.rstrip("/")
        return Bot(
            token,
            base_url=api,
            base_file_url=file_url_for(api),
            request=sending,
            get_updates_request=polling,
        )

    @property
    def offset(self) -> int | None:
        """The next update id to ask for: everything below it is committed and confirmed."""
        return self._offset

    # --- lifecycle -------------------------------------------------------------

    async def start(self, deliver: Deliver) -> None:
        """Check the token (getMe), register the commands, begin receiving."""
        self._deliver = deliver
        self._stopping.clear()
        await self._bot.initialize()
        await self._register_commands()
        if self._mode == "webhook":
            await self._start_webhook()
        else:
            # getUpdates is refused while a webhook is set (e.g. left from webhook mode).
            await self._bot.delete_webhook(drop_pending_updates=False)
            self._poll_task = asyncio.create_task(self._poll_loop(), name="telegram-polling")
        log.info("telegram channel receiving (%s)", self._mode)

    async def stop(self) -> None:
        """Finish the updates in hand, confirm what was committed, close the connections."""
        self._stopping.set()
        if self._poll_task is not None:
            await self._poll_task
            self._poll_task = None
            await self._confirm_offset()
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        if self._side_tasks:
            await asyncio.wait(self._side_tasks, timeout=5)
        await self._bot.shutdown()
        log.info("telegram channel stopped")

    async def _confirm_offset(self) -> None:
        if self._offset is None:
            return
        try:
            await self._bot.get_updates(offset=self._offset, timeout=0, limit=1)
        except TelegramError as exc:
            # Harmless: unconfirmed updates come again and the engine skips them.
            log.warning("telegram: could not confirm the last updates (%s)", type(exc).__name__)

    async def _register_commands(self) -> None:
        lists = dict(self._commands)
        if lists and "" not in lists:
            lists[""] = next(iter(lists.values()))
        for language, items in lists.items():
            if language and not _TELEGRAM_LANGUAGE.fullmatch(language):
                continue  # Telegram knows two-letter codes only: no app reports "de-x-simple"
            commands = [BotCommand(c, d) for c, d in items if _COMMAND_NAME.match(c) and d.strip()]
            try:
                await self._bot.set_my_commands(commands, language_code=language or None)
            except TelegramError as exc:
                log.warning("telegram: setMyCommands (%s) failed: %s", language or "default", exc)

    async def _start_webhook(self) -> None:
        self._webhook = WebhookServer(
            listen=self._webhook_listen,
            path=webhook_path(self._webhook_url),
            secret=self._webhook_secret,
            handle=self._handle_raw,
        )
        await self._webhook.start()
        await self._bot.set_webhook(
            self._webhook_url,
            secret_token=self._webhook_secret,
            allowed_updates=list(ALLOWED_UPDATES),
            max_connections=self._webhook_connections,
        )

    @property
    def webhook_port(self) -> int | None:
        """The bound webhook port (tests listen on port 0)."""
        return self._webhook.port if self._webhook is not None else None

    # --- receiving: polling --------------------------------------------------------

    async def _poll_loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                updates = await self._until_stopped(
                    self._bot.get_updates(
                        offset=self._offset, timeout=self._poll_timeout, allowed_updates=list(ALLOWED_UPDATES)
                    )
                )
            except RetryAfter as exc:
                await self._rest(_seconds(exc))
                continue
            except TelegramError as exc:
                failures += 1
                log.warning("telegram: getUpdates failed (%s), retrying", type(exc).__name__)
                await self._rest(_backoff(failures))
                continue
            if updates is None:
                return
            fresh = [u for u in updates if self._offset is None or u.update_id >= self._offset]
            if not fresh:
                continue
            missed = await self._deliver_batch(fresh)
            self._offset = missed if missed is not None else fresh[-1].update_id + 1
            if missed is None:
                failures = 0
            elif not self._stopping.is_set():
                failures += 1
                await self._rest(_backoff(failures))

    async def _until_stopped(self, call: Awaitable[tuple[Update, ...]]) -> tuple[Update, ...] | None:
        """Run a long poll; None when stop() came first (nothing is lost: it is unconfirmed)."""
        poll = asyncio.ensure_future(call)
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({poll, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not poll.done():
            poll.cancel()
            await asyncio.gather(poll, return_exceptions=True)
            return None
        return poll.result()

    async def _rest(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def _deliver_batch(self, updates: Sequence[Update]) -> int | None:
        """Deliver a batch, chats in parallel, each chat in order; return the first id not delivered."""
        chains: dict[int, list[Update]] = {}
        for update in updates:
            chains.setdefault(_chat_key(update), []).append(update)
        missed: list[int] = []
        gate = asyncio.Semaphore(self._parallel_chats)

        async def run(chain: list[Update]) -> None:
            async with gate:
                for update in chain:
                    if self._stopping.is_set() or not await self._handled(update):
                        missed.append(update.update_id)
                        return

        await asyncio.gather(*(run(chain) for chain in chains.values()))
        return min(missed) if missed else None

    async def _handled(self, update: Update) -> bool:
        try:
            await self._handle(update)
        except NotNow:  # the bot's database is away; the engine paused and logged it once
            return False
        except Exception:  # noqa: BLE001 - not committed: keep it unconfirmed and try again later
            log.exception("telegram: update %d not handled, it will come again", update.update_id)
            return False
        return True

    # --- receiving: both modes -------------------------------------------------------

    async def _handle_raw(self, data: dict[str, Any]) -> None:
        """Webhook entry: one update as JSON; updates of one chat are handled one at a time."""
        update = Update.de_json(data, self._bot)
        key = _chat_key(update)
        lock = self._chat_locks.get(key)
        if lock is None:
            lock = self._chat_locks[key] = asyncio.Lock()
        async with lock:
            await self._handle(update)

    async def _handle(self, update: Update) -> None:
        assert self._deliver is not None, "start() first"
        query = update.callback_query
        chat_id = query.message.chat.id if query is not None and query.message is not None else None
        if query is not None and chat_id is not None:
            self._presses.setdefault(chat_id, []).append(query)
        inbound = await self._inbound(update)
        if inbound is not None and self._first_in_group(inbound):
            await self._deliver(inbound)
        if query is not None and chat_id is not None:
            self._in_background(self._answer_unclaimed(chat_id, query))
        elif query is not None:
            self._in_background(self._answer_callback(query))  # an inline-mode press: nothing replies to it

    def _first_in_group(self, inbound: Inbound) -> bool:
        """True for private chats and a group's first message: the rest of a group's talk is not for us."""
        if inbound.private:
            return True
        if inbound.address in self._noted_groups:
            return False
        self._noted_groups.add(inbound.address)
        return True

    async def _inbound(self, update: Update) -> Inbound | None:
        if update.callback_query is not None:
            return self._from_callback(update.update_id, update.callback_query)
        if update.message is not None:
            return await self._from_message(update.update_id, update.message)
        return None

    def _from_callback(self, update_id: int, query: CallbackQuery) -> Inbound | None:
        message = query.message
        if message is None or query.data is None:
            return None  # an inline-mode or game button: not ours
        return Inbound(
            channel=self.name,
            address=str(message.chat.id),
            sender=str(query.from_user.id),
            event_id=str(update_id),
            choice=query.data,
            language=_language(query.from_user.language_code),
            private=message.chat.type == "private",
            reply_to=str(message.message_id),
        )

    async def _from_message(self, update_id: int, message: Message) -> Inbound:
        private = message.chat.type == "private"
        user = message.from_user
        place = message.venue.location if message.venue is not None else message.location
        return Inbound(
            channel=self.name,
            address=str(message.chat.id),
            sender=str(user.id if user is not None else message.chat.id),
            event_id=str(update_id),
            text=self._plain_command(message.text or message.caption),
            location=(place.latitude, place.longitude) if place is not None else None,
            media=await self._media(message) if private else None,
            language=_language(user.language_code if user is not None else None),
            private=private,
        )

    def _plain_command(self, text: str | None) -> str | None:
        """``/hilfe@MitwirkenBot`` (how groups address a bot) → ``/hilfe``."""
        username = self._bot.username
        if text and username and text.startswith("/"):
            head, sep, rest = text.partition(" ")
            suffix = f"@{username}"
            if head.lower().endswith(suffix.lower()):
                return head[: -len(suffix)] + sep + rest
        return text

    async def _media(self, message: Message) -> Media | None:
        if message.photo:
            sizes = sorted(message.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
            fitting = [p for p in sizes if p.file_size and p.file_size <= self._max_photo_bytes]
            if not fitting:
                return Media(kind="image", mime_type="image/jpeg", size=sizes[-1].file_size or 0)
            return await self._fetch("image", "image/jpeg", fitting[-1].file_id, fitting[-1].file_size or 0, None)
        document = message.document
        if document is None:
            return None
        mime = document.mime_type or "application/octet-stream"
        kind: Literal["image", "file"] = "image" if mime.startswith("image/") else "file"
        size = document.file_size or 0
        if size > self._max_photo_bytes:
            return Media(kind=kind, mime_type=mime, size=size, filename=document.file_name)
        return await self._fetch(kind, mime, document.file_id, size, document.file_name)

    async def _fetch(
        self, kind: Literal["image", "file"], mime: str, file_id: str, size: int, filename: str | None
    ) -> Media:
        """Download a file; network errors propagate (the update stays unconfirmed and comes again)."""
        try:
            file = await self._bot.get_file(file_id)
            data = bytes(await file.download_as_bytearray())
        except BadRequest:
            # Telegram will never hand this file out (e.g. too big for the Bot API): say so, don't retry.
            return Media(kind=kind, mime_type=mime, size=size, filename=filename)
        return Media(kind=kind, mime_type=mime, size=len(data), data=data, filename=filename)

    async def _answer_unclaimed(self, chat_id: int, query: CallbackQuery) -> None:
        """Answer a press no reply has answered within a moment (its button stops showing a spinner)."""
        try:
            await asyncio.wait_for(self._stopping.wait(), _PRESS_WAIT)
        except TimeoutError:
            pass
        if self._release(chat_id, query):
            await self._answer_callback(query)

    def _take_press(self, chat_id: int, message_id: str) -> CallbackQuery | None:
        """The oldest unanswered press on this message, now the caller's to answer."""
        waiting = self._presses.get(chat_id, [])
        query = next((q for q in waiting if q.message is not None and str(q.message.message_id) == message_id), None)
        return query if query is not None and self._release(chat_id, query) else None

    def _release(self, chat_id: int, query: CallbackQuery) -> bool:
        """Take a press off the unanswered ones; False if something else answered it already."""
        waiting = self._presses.get(chat_id, [])
        if query not in waiting:
            return False
        waiting.remove(query)
        if not waiting:
            del self._presses[chat_id]
        return True

    def _answer_presses(self, chat_id: int) -> None:
        """A reply goes out: the presses it answers stop showing their spinner."""
        for query in self._presses.pop(chat_id, []):
            self._in_background(self._answer_callback(query))

    async def _answer_callback(self, query: CallbackQuery, text: str = "") -> bool:
        try:
            await query.answer(text or None)
        except TelegramError as exc:
            # A query older than ~15 minutes can't be answered; the reply comes through the outbox anyway.
            log.debug("telegram: answerCallbackQuery failed (%s)", type(exc).__name__)
            return False
        return True

    def _in_background(self, work: Awaitable[object]) -> None:
        task = asyncio.ensure_future(work)
        self._side_tasks.add(task)
        task.add_done_callback(self._side_tasks.discard)

    # --- sending ---------------------------------------------------------------------

    async def send(self, address: str, reply: Reply, *, txn_id: str) -> str:
        """Show one reply; return the id of its last message (the one with the buttons).

        A reply may take several API calls (long text, an attachment). Parts
        already sent for ``txn_id`` are remembered, so when the outbox retries
        after a 429 or a timeout the citizen does not get them twice.
        """
        try:
            chat_id = int(address)
        except ValueError as exc:
            raise PermanentSendError(f"not a Telegram chat id: {address!r}") from exc
        if reply.notice and reply.edit_of is not None:
            # The citizen's press is still waiting for its answer: the notice answers it (the
            # selection so far, shown for a moment), which costs no message; else the edit shows it.
            query = self._take_press(chat_id, reply.edit_of)
            if query is not None and await self._answer_callback(query, _shortened(reply.notice)):
                return reply.edit_of
        else:
            self._answer_presses(chat_id)
        steps = self._plan(chat_id, reply)
        done = self._progress.setdefault(txn_id, [])
        self._progress.move_to_end(txn_id)
        while len(self._progress) > _MEMORY:
            self._progress.popitem(last=False)
        for step in steps[len(done) :]:
            done.append(await self._perform(chat_id, reply, step))
        return done[-1]

    def _plan(self, chat_id: int, reply: Reply) -> list[_Step]:
        parts = text_parts(reply)
        rows = button_rows(reply)
        keyboard = (
            InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.payload) for b in row] for row in rows])
            if rows
            else None
        )
        steps: list[_Step] = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if index == 0 and reply.edit_of is not None:
                steps.append(_Step("edit", part, keyboard if last else None))
            else:
                steps.append(_Step("text", part, self._markup(chat_id, reply, keyboard, last=last)))
        if reply.attachment is not None:
            steps.append(_Step("document"))
        return steps

    def _markup(self, chat_id: int, reply: Reply, keyboard: InlineKeyboardMarkup | None, *, last: bool) -> Any:
        if last and keyboard is not None:
            return keyboard
        if last and reply.ask_location:
            self._location_keyboards.add(chat_id)
            return ReplyKeyboardMarkup(
                [[KeyboardButton(f"📍 {reply.location_button or _LOCATION_BUTTON}", request_location=True)]],
                resize_keyboard=True,
                one_time_keyboard=True,
            )
        if chat_id in self._location_keyboards and not reply.ask_location:
            self._location_keyboards.discard(chat_id)
            return ReplyKeyboardRemove()
        return None

    async def _perform(self, chat_id: int, reply: Reply, step: _Step) -> str:
        if step.kind == "edit":
            return await self._edit(chat_id, reply, step)
        if step.kind == "document":
            attachment = reply.attachment
            assert attachment is not None
            document = InputFile(attachment.data, filename=attachment.filename)
            sent = await self._call(chat_id, lambda: self._bot.send_document(chat_id, document))
            return str(sent.message_id)
        sent = await self._call(chat_id, lambda: self._bot.send_message(chat_id, step.text, reply_markup=step.markup))
        return str(sent.message_id)

    async def _edit(self, chat_id: int, reply: Reply, step: _Step) -> str:
        assert reply.edit_of is not None
        try:
            edited = await self._call(
                chat_id,
                lambda: self._bot.edit_message_text(
                    step.text, chat_id=chat_id, message_id=int(reply.edit_of or 0), reply_markup=step.markup
                ),
            )
        except PermanentSendError as exc:
            reason = str(exc).lower()
            if "not modified" in reason:
                return reply.edit_of  # already shows exactly this: the edit is done
            if not any(gone in reason for gone in _EDIT_GONE):
                raise
            # The message is gone or too old to edit: show the text as a new message instead.
            sent = await self._call(
                chat_id, lambda: self._bot.send_message(chat_id, step.text, reply_markup=step.markup)
            )
            return str(sent.message_id)
        return str(edited.message_id) if isinstance(edited, Message) else reply.edit_of

    async def _call(self, chat_id: int, request: Callable[[], Awaitable[Any]]) -> Any:
        """One paced API call, its errors mapped onto what the outbox understands."""
        async with self._pacer.turn(chat_id):
            try:
                return await request()
            except RetryAfter as exc:
                seconds = _seconds(exc)
                self._pacer.pause(seconds)  # Telegram wants silence from the whole bot meanwhile
                raise RetryLater(seconds) from exc
            except Forbidden as exc:
                raise RecipientGone(str(exc)) from exc
            except ChatMigrated as exc:
                raise PermanentSendError("the group became a supergroup") from exc
            except BadRequest as exc:
                if "chat not found" in str(exc).lower():
                    raise RecipientGone(str(exc)) from exc
                raise PermanentSendError(str(exc)) from exc
            except InvalidToken as exc:
                log.error("telegram: the bot token was refused; sends wait until it is fixed")
                raise TransientSendError("token refused") from exc
            except TelegramError as exc:  # TimedOut, NetworkError (5xx, dropped connections), Conflict
                raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc


def _shortened(notice: str) -> str:
    return notice if len(notice) <= _NOTICE_MAX else notice[: _NOTICE_MAX - 1] + "…"


def _chat_key(update: Update) -> int:
    chat = update.effective_chat
    return chat.id if chat is not None else 0


def _language(code: str | None) -> str | None:
    """Telegram reports IETF tags such as ``pt-br``; the engine offers languages by primary tag."""
    return code.split("-")[0].lower() if code else None


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns while it moves retry_after to timedelta
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _backoff(failures: int) -> float:
    return float(min(30, 2 ** min(failures - 1, 5)))
