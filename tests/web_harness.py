"""The web chat for tests: the adapter and its outbox sender on a test core, and a small client
that reads the page as a browser without JavaScript does (forms, buttons, cookies)."""

from __future__ import annotations

import asyncio
import html
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from adapters.web import WebAdapter
from bot.runtime.app import Core
from bot.runtime.outbox import OutboxSender
from bot.runtime.web_backend import StoreWebBackend

__all__ = ["Page", "WebClient", "WebProcess", "free_port", "running_web_chat", "tiny_png", "web_adapter", "web_config"]

_FORM = re.compile(r"<form (?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)">')
_BUTTON = re.compile(
    r'<button type="submit" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)"[^>]*>(?P<label>.*?)</button>', re.S
)
_MESSAGE = re.compile(r'<li class="msg (?P<who>bot|own)"[^>]*>(?P<body>.*?)</li>\s*(?=<li class="msg|</ol>)', re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


@dataclass
class Page:
    status: int
    body: str
    headers: Any

    @property
    def messages(self) -> list[tuple[str, str]]:
        """(``bot``/``own``, text without the speaker) of each message in the transcript."""
        found = []
        for match in _MESSAGE.finditer(self.body):
            body = re.sub(r'<span class="who">.*?</span>', "", match["body"], count=1, flags=re.S)
            found.append((match["who"], _text(body)))
        return found

    @property
    def last(self) -> str:
        """The text of the last message of the bot."""
        return next((text for who, text in reversed(self.messages) if who == "bot"), "")

    def forms(self) -> list[tuple[str, dict[str, str], list[tuple[str, str, str]]]]:
        """(action, hidden fields, [(name, value, label)] of submit buttons) of each form."""
        found = []
        for match in _FORM.finditer(self.body):
            action = re.search(r'action="([^"]+)"', match["attrs"])
            hidden = {m["name"]: html.unescape(m["value"]) for m in _HIDDEN.finditer(match["body"])}
            buttons = [
                (m["name"], html.unescape(m["value"]), _text(m["label"])) for m in _BUTTON.finditer(match["body"])
            ]
            found.append((action[1] if action else "", hidden, buttons))
        return found

    @property
    def options(self) -> list[str]:
        """The labels of the open question's buttons (without their number)."""
        for action, _, buttons in self.forms():
            if action == "/send" and buttons:
                return [re.sub(r"^\d+ ", "", label) for _, _, label in buttons]
        return []

    def hidden(self, action: str = "/send") -> dict[str, str]:
        return next(h for a, h, _ in self.forms() if a == action)


class WebClient:
    """One browser without JavaScript: it follows redirects and keeps its cookies."""

    def __init__(self, base: str, *, headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), headers=headers or {})
        self.page: Page | None = None

    async def close(self) -> None:
        await self.session.close()

    async def _read(self, response: aiohttp.ClientResponse) -> Page:
        self.page = Page(response.status, await response.text(), response.headers)
        return self.page

    async def get(self, path: str = "/", **kw: Any) -> Page:
        async with self.session.get(self.base + path, **kw) as response:
            return await self._read(response)

    async def post(self, path: str, data: Any, **kw: Any) -> Page:
        async with self.session.post(self.base + path, data=data, **kw) as response:
            return await self._read(response)

    async def submit(self, action: str = "/send", *, mid: str | None = None, **fields: str) -> Page:
        """Send a form of the current page with its hidden fields (and its message id)."""
        assert self.page is not None
        data = {**self.page.hidden(action), **fields}
        if mid is not None:
            data["mid"] = mid
        return await self.post(action, data)

    async def say(self, text: str) -> Page:
        return await self.submit(text=text)

    async def press(self, label: str) -> Page:
        """Press the open question's button whose label (after its number) is ``label``."""
        assert self.page is not None
        for action, hidden, buttons in self.page.forms():
            for name, value, shown in buttons:
                if action == "/send" and re.sub(r"^\d+ ", "", shown) == label:
                    return await self.post(action, {**hidden, name: value})
        raise AssertionError(f"no button {label!r} in {self.page.options}")


def web_adapter(core: Core, **kw: Any) -> WebAdapter:
    config = core.config
    values: dict[str, Any] = {
        "listen": ("127.0.0.1", 0),
        "public_url": "",
        "trusted_proxies": ("10.0.0.1",),
        "frame_ancestors": (),
        "languages": config.bot.languages,
        "bot_name": config.bot.name,
        "secret": core.secret,
        "max_photo_bytes": int(config.storage.max_photo_mb * 1024 * 1024),
        "backend": StoreWebBackend(core.store, lambda: core.engine.catalog, core.clock, config.bot.languages),
    }
    values.update(kw)
    return WebAdapter(**values)


@asynccontextmanager
async def running_web_chat(core: Core, **kw: Any) -> AsyncIterator[tuple[WebAdapter, str]]:
    """The web chat on a free port with its outbox sender; yields it and its base address."""
    adapter = web_adapter(core, **kw)
    stop = asyncio.Event()
    sender = OutboxSender(core.store, adapter, clock=core.clock, idle_poll=0.05)
    unsubscribe = core.engine.on_enqueue(sender.offer)  # as bot.runtime.app wires a sender
    task = asyncio.create_task(sender.run(stop))
    await adapter.start(core.engine.deliver)
    try:
        yield adapter, f"http://127.0.0.1:{adapter.port}"
    finally:
        unsubscribe()
        stop.set()
        await task
        await adapter.stop()


def new_mid() -> str:
    return secrets.token_urlsafe(16)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def web_config(config: Path, port: int, extra: str = "") -> Path:
    """Add the web chat on ``port`` (and no terminal) to a config ``make_config`` wrote."""
    with config.open("a", encoding="utf-8") as f:
        f.write(f'\n[channels.terminal]\nenabled = false\n\n[channels.web]\nlisten = "127.0.0.1:{port}"\n{extra}')
    return config


class WebProcess:
    """``mitwirken run`` serving the web chat, as a real process."""

    def __init__(self, config: Path, port: int) -> None:
        exe = Path(sys.executable).with_name("mitwirken")
        self.base = f"http://127.0.0.1:{port}"
        self.log = config.parent / f"run-{time.monotonic_ns()}.log"
        self._out = self.log.open("w")
        self.proc = subprocess.Popen(
            [str(exe), "--config", str(config), "run"],
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise AssertionError("the web chat did not start: " + self.log.read_text()[-2000:])

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._out.close()

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        self._out.close()
        return code


def tiny_png() -> bytes:
    """A valid 1×1 PNG picture, for uploads."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
        + chunk(b"IEND", b"")
    )
