"""The HTTP face of the Telegram double: the Bot API methods, file downloads, a control API.

``POST /bot<token>/<method>`` answers like Telegram (form, JSON or multipart
bodies, as python-telegram-bot sends them), ``GET /file/bot<token>/<id>``
serves files, and ``/_control/<action>`` lets a test drive the double when it
runs as a separate process. Flood limits are enforced on every sending method
and answered with Telegram's 429; faults are injected from ``World.faults``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.telegram_double.limits import FloodLimits, Limiter
from tests.telegram_double.model import BOT_USER, World

__all__ = ["TelegramDouble"]

log = logging.getLogger(__name__)

SENDING = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto", "sendLocation", "copyMessage"}
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"}

Params = dict[str, Any]
Method = Callable[[Params], Awaitable[Any]]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": …, "description": …}``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.code)


def _flood(seconds: float) -> ApiError:
    retry = max(1, math.ceil(seconds))
    return ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})


class TelegramDouble:
    """A Bot API server on 127.0.0.1 that the unmodified python-telegram-bot talks to."""

    def __init__(self, *, token: str = "4242:TEST-token", limits: FloodLimits | None = None, port: int = 0) -> None:
        self.token = token
        self.world = World()
        self.limits = limits or FloodLimits()
        self._limiter = Limiter(self.limits)
        self._port = port
        self._runner: web.AppRunner | None = None
        self._poller: asyncio.Future[None] | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._methods: dict[str, Method] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "sendDocument": self._send_document,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getFile": self._get_file,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "close": self._true,
            "logOut": self._true,
        }

    # --- lifecycle ----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """What goes into ``channels.telegram.api_url``."""
        return f"{self.url}/bot"

    @property
    def port(self) -> int:
        assert self._runner is not None and self._runner.addresses, "start() first"
        return int(self._runner.addresses[0][1])

    def set_limits(self, limits: FloodLimits) -> None:
        self.limits = limits
        self._limiter = Limiter(limits)

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{file_path:.*}", self._download)
        app.router.add_post("/_control/{action}", self._control)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self._port).start()

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            await asyncio.gather(self._pusher, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramDouble:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- the Bot API ------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        name = request.match_info["method"]
        method = self._methods.get(name)
        if method is None:
            return ApiError(404, "Not Found").response()
        self.world.calls[name] = self.world.calls.get(name, 0) + 1
        params = await _params(request)
        try:
            await self._injected_fault(name, params)
            if name in SENDING:
                self._check_flood(params)
            result = await method(params)
        except ApiError as error:
            return error.response()
        return web.json_response({"ok": True, "result": result})

    async def _injected_fault(self, name: str, params: Params) -> None:
        chat_id = params.get("chat_id")
        if chat_id in self.world.blocked and name in SENDING:
            self.world.refused[chat_id] = self.world.refused.get(chat_id, 0) + 1
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        fault = self.world.take_fault(name, chat_id)
        if fault is None:
            return
        if fault.kind == "timeout":
            await asyncio.sleep(fault.seconds)  # the client gives up first; nothing was done
            raise ApiError(500, "Internal Server Error: timed out")
        if fault.kind == "429":
            self.world.injected_429 += 1
            raise _flood(fault.retry_after)
        if fault.kind == "403":
            raise ApiError(403, "Forbidden: user is deactivated")
        raise ApiError(int(fault.kind), "Internal Server Error" if fault.kind == "500" else "Bad Gateway")

    def _check_flood(self, params: Params) -> None:
        wait = self._limiter.check(int(params.get("chat_id", 0)), time.monotonic())
        if wait > 0:
            self.world.limited_429 += 1
            raise _flood(wait)

    async def _true(self, params: Params) -> bool:
        return True

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return BOT_USER

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.world.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset, limit = params.get("offset"), int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        # Like Telegram: a newer getUpdates ends an older one still waiting.
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
        me = self._poller = asyncio.get_running_loop().create_future()
        deadline = time.monotonic() + timeout
        while True:
            found = self.world.take_updates(offset, limit)
            if found or time.monotonic() >= deadline:
                return found
            self.world.changed.clear()
            waiting = asyncio.ensure_future(self.world.changed.wait())
            await asyncio.wait({waiting, me}, timeout=deadline - time.monotonic(), return_when="FIRST_COMPLETED")
            waiting.cancel()
            if me.done():
                raise ApiError(409, "Conflict: terminated by other getUpdates request")

    async def _send_message(self, params: Params) -> dict[str, Any]:
        text = str(params.get("text", ""))
        _check_text(text)
        markup = _check_markup(params.get("reply_markup"))
        sent = self.world.record_message(
            int(params["chat_id"]), text=text, reply_markup=markup, parse_mode=params.get("parse_mode")
        )
        return sent.as_json()

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        text = str(params.get("text", ""))
        _check_text(text)
        markup = _check_markup(params.get("reply_markup"))
        sent = self.world.messages.get((int(params["chat_id"]), int(params["message_id"])))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if sent.text == text and (sent.reply_markup or None) == (markup or None):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        self.world.record_edit(sent, text, markup)
        return sent.as_json()

    async def _send_document(self, params: Params) -> dict[str, Any]:
        document = params.get("document")
        if isinstance(document, str) and document.startswith("attach://"):
            document = params.get(document.removeprefix("attach://"))
        if not isinstance(document, tuple):
            raise ApiError(400, "Bad Request: there is no document in the request")
        filename, data = document
        info = {**self.world.store_file(data), "file_name": filename, "mime_type": "application/json"}
        return self.world.record_message(int(params["chat_id"]), text=None, document=info).as_json()

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.world.callbacks or self.world.callbacks[query_id]:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.world.callbacks[query_id] = True
        if text:
            self.world.record_notice(query_id, str(text))
        return True

    async def _set_my_commands(self, params: Params) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not _COMMAND.match(command.get("command", "")) or not command.get("description"):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.world.commands[str(params.get("language_code") or "")] = commands
        return True

    async def _get_file(self, params: Params) -> dict[str, Any]:
        file_id = str(params.get("file_id"))
        data = self.world.files.get(file_id)
        if data is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(data) > 20 * 1024 * 1024:
            raise ApiError(400, "Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(data), "file_path": file_id}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        data = self.world.files.get(request.match_info["file_path"])
        if request.match_info["token"] != self.token or data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    # --- webhook mode: the double pushes updates ------------------------------------------

    async def _set_webhook(self, params: Params) -> bool:
        self.world.webhook = {
            "url": params["url"],
            "secret_token": params.get("secret_token", ""),
            "max_connections": int(params.get("max_connections") or 40),
        }
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_updates())
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        self.world.webhook = None
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self.world.updates.clear()
        return True

    async def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        hook = self.world.webhook or {"url": ""}
        return {"url": hook["url"], "has_custom_certificate": False, "pending_update_count": len(self.world.updates)}

    async def _push_updates(self) -> None:
        """Like Telegram: POST pending updates, up to ``max_connections`` at once but one chat at a
        time (a chat's next update only after the last one got its 200), retrying what failed."""
        in_flight: set[int] = set()  # chats with an update on its way
        async with aiohttp.ClientSession() as session:

            async def push(update: dict[str, Any], chat: int, hook: dict[str, Any]) -> None:
                headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
                try:
                    async with session.post(hook["url"], json=update, headers=headers) as response:
                        status = response.status
                except aiohttp.ClientError:
                    status = 0
                self.world.webhook_statuses.append(status)
                if status == 200:
                    self.world.confirm_through_webhook(update["update_id"])
                else:
                    await asyncio.sleep(0.2)
                in_flight.discard(chat)
                self.world.changed.set()

            while self.world.webhook is not None:
                hook = self.world.webhook
                waiting: set[int] = set()
                for update in list(self.world.updates):
                    chat = _update_chat(update)
                    if chat in in_flight or chat in waiting:
                        waiting.add(chat)  # keep each chat's order
                        continue
                    if len(in_flight) >= hook["max_connections"]:
                        break
                    in_flight.add(chat)
                    asyncio.create_task(push(update, chat, hook))
                self.world.changed.clear()
                try:
                    await asyncio.wait_for(self.world.changed.wait(), timeout=0.5)
                except TimeoutError:
                    pass

    # --- control API (the double as a separate process) --------------------------------------

    async def _control(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        args = await request.json() if request.can_read_body else {}
        handler = getattr(self, f"_ctl_{action}", None)
        if handler is None:
            return web.json_response({"error": f"unknown action {action}"}, status=404)
        return web.json_response({"result": handler(**args)})

    def _ctl_say(self, **args: Any) -> int:
        return self.world.say(**args)

    def _ctl_press(self, **args: Any) -> int:
        return self.world.press(**args)

    def _ctl_block(self, chat_id: int) -> None:
        self.world.blocked.add(chat_id)

    def _ctl_fail(self, **args: Any) -> None:
        self.world.fail(**args)

    def _ctl_limits(self, **args: Any) -> None:
        self.set_limits(FloodLimits(**args))

    def _ctl_events(self, since: int = 0) -> list[dict[str, Any]]:
        return self.world.events[since:]

    def _ctl_stats(self) -> dict[str, Any]:
        world = self.world
        return {
            "pending": len(world.updates),
            "confirmed": world.confirmed,
            "next_update_id": world.next_update_id,
            "limited_429": world.limited_429,
            "injected_429": world.injected_429,
            "calls": world.calls,
            "events": len(world.events),
            "refused": world.refused,
            "handed_out_again": sum(1 for n in world.handed_out.values() if n > 1),
        }


async def _params(request: web.Request) -> Params:
    """Parameters as PTB sends them: form fields whose complex values are JSON text, or multipart."""
    raw: dict[str, Any]
    if request.content_type == "application/json":
        raw = await request.json() if request.can_read_body else {}
    else:
        raw = {}
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                raw[key] = (value.filename, value.file.read())
            else:
                raw[key] = _decode(str(value))
        raw.update({k: _decode(v) for k, v in request.query.items()})
    return {k: int(v) if k in _INT_FIELDS and isinstance(v, str) and _is_int(v) else v for k, v in raw.items()}


def _decode(value: str) -> Any:
    if value[:1] in "[{" or value in ("true", "false"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _is_int(value: str) -> bool:
    return value.lstrip("-").isdigit()


def _check_text(text: str) -> None:
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")


def _check_markup(markup: Any) -> dict[str, Any] | None:
    if not markup:
        return None
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _update_chat(update: dict[str, Any]) -> int:
    """The chat an update belongs to (a message's, or the pressed button's message's)."""
    message = update.get("message") or (update.get("callback_query") or {}).get("message") or {}
    return int((message.get("chat") or {}).get("id", 0))
