"""A small reverse proxy for the webhook tests: one public address in front of several workers.

Each request goes to the next worker in turn; a worker that does not answer (killed, not yet
listening) is skipped for the next one, as nginx's ``proxy_next_upstream error`` does. Run it
as a process: ``python -m tests.telegram_double.proxy --upstream URL --upstream URL``; it prints
``listening on PORT`` once it accepts requests.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys

import aiohttp
from aiohttp import web

__all__ = ["main"]

_FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


def make_app(upstreams: list[str]) -> web.Application:
    turns = itertools.cycle(range(len(upstreams)))
    app = web.Application()

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k in _FORWARDED}
        session: aiohttp.ClientSession = app["session"]
        first = next(turns)
        for step in range(len(upstreams)):
            upstream = upstreams[(first + step) % len(upstreams)]
            try:
                async with session.post(upstream + request.path, data=body, headers=headers) as answer:
                    return web.Response(status=answer.status, body=await answer.read())
            except (aiohttp.ClientConnectionError, TimeoutError):
                continue  # this worker is gone: the next one
        return web.Response(status=502)

    async def session_context(app: web.Application):  # type: ignore[no-untyped-def]
        app["session"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60, connect=2))
        yield
        await app["session"].close()

    app.cleanup_ctx.append(session_context)
    app.router.add_post("/{tail:.*}", forward)
    return app


async def _serve(port: int, upstreams: list[str]) -> None:
    runner = web.AppRunner(make_app(upstreams))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"listening on {bound}", flush=True)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--upstream", action="append", required=True, help="http://127.0.0.1:PORT")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args.port, args.upstream))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
