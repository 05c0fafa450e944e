"""Run the Telegram double as its own process (for crash tests and benchmarks).

    python -m tests.telegram_double --port 0 --token 4242:TEST-token

Prints ``listening http://127.0.0.1:PORT`` once ready, then serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from tests.telegram_double.limits import FloodLimits
from tests.telegram_double.server import TelegramDouble


async def _serve(args: argparse.Namespace) -> None:
    limits = FloodLimits(
        max_per_second=args.max_per_second,
        per_chat_per_second=args.per_chat_per_second,
        group_per_minute=args.group_per_minute,
        enabled=not args.no_limits,
    )
    double = TelegramDouble(token=args.token, limits=limits, port=args.port)
    await double.start()
    print(f"listening {double.url}", flush=True)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, done.set)
    await done.wait()
    await double.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.telegram_double")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="4242:TEST-token")
    parser.add_argument("--max-per-second", type=float, default=30.0)
    parser.add_argument("--per-chat-per-second", type=float, default=1.0)
    parser.add_argument("--group-per-minute", type=int, default=20)
    parser.add_argument("--no-limits", action="store_true")
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
