"""A Telegram Bot API test double: an HTTP server on loopback for the unmodified python-telegram-bot.

In-process: ``async with TelegramDouble() as double: …`` and act through
``double.world``. As a process: ``python -m tests.telegram_double --port 0``
prints its address; drive it with :class:`RemoteDouble`.
"""

from __future__ import annotations

from tests.telegram_double.limits import FloodLimits
from tests.telegram_double.model import BOT_USER, Fault, SentMessage, World
from tests.telegram_double.remote import RemoteDouble, start_double_process
from tests.telegram_double.server import TelegramDouble

__all__ = [
    "BOT_USER",
    "Fault",
    "FloodLimits",
    "RemoteDouble",
    "SentMessage",
    "TelegramDouble",
    "World",
    "start_double_process",
]
