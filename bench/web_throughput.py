"""Benchmark: answers per second through the web chat, with N concurrent browsers.

Each client is a browser without JavaScript: it opens a session, agrees, starts a survey of text
questions and answers them, each answer a POST that is redirected to the page (POST → 303 →
GET), as a citizen's browser does. ``mitwirken run`` serves the chat in its own process (SQLite,
or PostgreSQL when MITWIRKEN_TEST_DATABASE_URL is set); the clients run here.

In the same run, the same clients send the same form to a bare aiohttp handler (its own process
too) that reads the form, redirects and echoes the text in a page: the floor of HTTP and aiohttp
alone. Printed: answers/s of both, their ratio, and p50/p95 of one answer's round trip. It is not
a test and asserts nothing about speed.

    .venv/bin/python bench/web_throughput.py [--clients 50] [--answers 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.harness import make_config, text_survey  # noqa: E402
from tests.storage_fixtures import pg_schema  # noqa: E402
from tests.web_harness import Page, WebClient, WebProcess, free_port, new_mid, web_config  # noqa: E402


def echo_server(port: int) -> None:
    """The floor: read the form, redirect, show the text in a page."""
    from aiohttp import web

    last: dict[str, str] = {}

    async def send(request: web.Request) -> web.Response:
        form = await request.post()
        last[request.cookies.get("s", "")] = str(form.get("text", ""))
        return web.Response(status=303, headers={"Location": "/"})

    async def page(request: web.Request) -> web.Response:
        text = html.escape(last.get(request.cookies.get("s", ""), ""))
        body = f'<!DOCTYPE html><html lang="de"><body><ol><li>{text}</li></ol><form method="post" action="/send">'
        body += (
            '<input type="hidden" name="mid" value="x"><input name="text"><button>Senden</button></form></body></html>'
        )
        response = web.Response(text=body, content_type="text/html")
        response.set_cookie("s", request.cookies.get("s") or new_mid(), httponly=True, samesite="Lax")
        return response

    app = web.Application()
    app.add_routes([web.get("/", page), web.post("/send", send), web.get("/healthz", page)])
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=lambda *_: None)


Answer = Callable[[WebClient, int], Awaitable[None]]


async def drive(base: str, clients: int, answers: int, prepare: Answer, answer: Answer) -> tuple[float, list[float]]:
    """Answers per second over all clients, and each answer's round trip in seconds."""
    browsers = [
        WebClient(base, headers={"X-Forwarded-For": f"198.51.{n // 250}.{n % 250 + 1}"}) for n in range(clients)
    ]
    await asyncio.gather(*(prepare(b, n) for n, b in enumerate(browsers)))
    latencies: list[float] = []

    async def one(browser: WebClient) -> None:
        for n in range(1, answers + 1):
            started = time.perf_counter()
            await answer(browser, n)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(b) for b in browsers))
    elapsed = time.perf_counter() - started
    for browser in browsers:
        await browser.close()
    return clients * answers / elapsed, latencies


def _button(page: Page, label: str) -> dict[str, str]:
    for action, hidden, buttons in page.forms():
        for name, value, shown in buttons:
            if action == "/send" and shown.endswith(label):
                return {**hidden, name: value}
    raise SystemExit(f"no button {label!r} on the page: {page.last[:200]}")


async def web_prepare(browser: WebClient, _: int) -> None:
    page = await browser.get("/")
    page = await browser.post("/send", {**page.hidden(), "text": "menü"})
    page = await browser.post("/send", _button(page, "Ja, einverstanden"))
    page = await browser.post("/send", _button(page, "Messung"))
    assert "Frage Nummer 1" in page.last, page.last[:200]


async def web_answer(browser: WebClient, n: int) -> None:
    assert browser.page is not None
    page = await browser.post("/send", {**browser.page.hidden(), "mid": new_mid(), "text": f"antwort {n}"})
    assert page.status == 200, page.status


async def echo_prepare(browser: WebClient, _: int) -> None:
    await browser.get("/")


async def echo_answer(browser: WebClient, n: int) -> None:
    page = await browser.post("/send", {"mid": new_mid(), "text": f"antwort {n}"})
    assert page.status == 200 and f"antwort {n}" in page.body


def _wait(base: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the echo server did not start")


def _ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--echo-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_server:
        echo_server(args.echo_server)
        return
    survey = text_survey("messung", args.answers + 1, title="Messung")
    base = os.environ.get("MITWIRKEN_TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp, pg_schema(base) if base else contextlib.nullcontext() as url:
        port = free_port()
        config = web_config(
            make_config(Path(tmp), {"messung.toml": survey}, database_url=url),
            port,
            'trusted_proxies = ["127.0.0.1"]\n',
        )
        server = WebProcess(config, port)
        try:
            rate, latencies = asyncio.run(drive(server.base, args.clients, args.answers, web_prepare, web_answer))
        finally:
            server.stop()
        echo_port = free_port()
        echo = subprocess.Popen([sys.executable, __file__, "--echo-server", str(echo_port)])
        try:
            _wait(f"http://127.0.0.1:{echo_port}")
            floor, floor_latencies = asyncio.run(
                drive(f"http://127.0.0.1:{echo_port}", args.clients, args.answers, echo_prepare, echo_answer)
            )
        finally:
            echo.terminate()
            echo.wait(timeout=10)
    database = "PostgreSQL" if url else "SQLite"
    print(f"web chat, {args.clients} browsers × {args.answers} answers (POST → 303 → GET), {database}")
    print(
        f"  web chat:      {rate:8.1f} answers/s   p50 {_ms(latencies, 50):6.1f} ms   p95 {_ms(latencies, 95):6.1f} ms"
    )
    print(
        f"  aiohttp echo:  {floor:8.1f} answers/s   p50 {_ms(floor_latencies, 50):6.1f} ms"
        f"   p95 {_ms(floor_latencies, 95):6.1f} ms"
    )
    print(f"  ratio web/echo: {rate / floor:.2f}")


if __name__ == "__main__":
    main()
