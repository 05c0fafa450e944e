"""The webhook receiver of the Telegram channel: a small aiohttp server.

Telegram POSTs each update to our URL and retries until it gets a 200. We
answer 200 only after the engine committed the update, so a crash before the
commit simply means Telegram sends it again. The secret token Telegram echoes
in ``X-Telegram-Bot-Api-Secret-Token`` is compared in constant time; a wrong
one gets 403 and is never handed on.

This module does not import ``telegram``: it passes the raw JSON on.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

__all__ = ["SECRET_HEADER", "WebhookServer", "parse_listen", "webhook_path"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

log = logging.getLogger(__name__)

Handle = Callable[[dict[str, Any]], Awaitable[None]]


def parse_listen(listen: str) -> tuple[str, int]:
    """``"0.0.0.0:8443"`` → ``("0.0.0.0", 8443)``; ``"[::]:8443"`` works too."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"webhook_listen must be HOST:PORT, not {listen!r}")
    return host.strip("[]") or "0.0.0.0", int(port)


def webhook_path(webhook_url: str) -> str:
    """The path part of the public webhook URL, where the server listens."""
    return urlsplit(webhook_url).path or "/"


class WebhookServer:
    """Receives updates on ``path`` and hands each one to ``handle`` before answering."""

    def __init__(self, *, listen: str, path: str, secret: str, handle: Handle) -> None:
        if not secret:
            raise ValueError("webhook mode needs a webhook_secret")
        self._host, self._port = parse_listen(listen)
        self._path = path
        self._secret = secret.encode()
        self._handle = handle
        self._runner: web.AppRunner | None = None
        self._closing = False

    @property
    def port(self) -> int:
        """The port actually bound (useful when ``listen`` asked for port 0)."""
        if self._runner is None or not self._runner.addresses:
            return self._port
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(self._path, self._receive)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=30.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        log.info("telegram webhook listening on port %d", self.port)

    async def stop(self) -> None:
        """Refuse new updates (Telegram keeps them), let the ones in hand finish, close."""
        self._closing = True
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("telegram webhook: request with a wrong secret token refused")
            return web.Response(status=403, text="forbidden")
        if self._closing:
            return web.Response(status=503, text="shutting down")
        try:
            update = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict):
            return web.Response(status=400, text="not an update")
        try:
            await self._handle(update)
        except Exception:  # noqa: BLE001 - any failure means "not committed": Telegram must retry
            log.exception("telegram webhook: update not handled, Telegram will send it again")
            return web.Response(status=500, text="not handled")
        return web.Response(text="ok")
