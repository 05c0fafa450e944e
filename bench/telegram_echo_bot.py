"""A bare python-telegram-bot echo bot (Application + MessageHandler), the baseline of bench (a).

.venv/bin/python bench/telegram_echo_bot.py API_URL TOKEN
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    api_url, token = sys.argv[1], sys.argv[2]
    app = Application.builder().token(token).base_url(api_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0, timeout=2)


if __name__ == "__main__":
    main()
