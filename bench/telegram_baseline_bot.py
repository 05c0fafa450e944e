"""The baseline of bench/telegram_rate.py: the typical survey as an idiomatic python-telegram-bot bot.

A ``ConversationHandler`` with one state per question, ``AIORateLimiter`` for Telegram's limits,
inline keyboards for options, ticks of a multi redrawn in place, one message per step, answers
kept in ``user_data`` (memory only: what such a bot typically does, and why it loses answers when
killed). It reads the same process file text as ``mitwirken run`` gets (bench/typical_survey.py).

    .venv/bin/python bench/telegram_baseline_bot.py API_URL TOKEN [--concurrent]

``--concurrent`` lets PTB handle updates of different chats at once (``concurrent_updates``);
without it updates are handled one after another, PTB's default.
"""

from __future__ import annotations

import logging
import sys
import tomllib
import warnings
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.typical_survey import SURVEY  # noqa: E402

SPEC = tomllib.loads(SURVEY)
QUESTIONS: list[dict[str, Any]] = SPEC["questions"]
CONSENT = len(QUESTIONS)  # the state before the first question (-1 is ConversationHandler.END)
PRIVACY = "Willkommen! Wir speichern Ihre Antworten ohne Ihren Namen, nur für diese Umfrage. Sind Sie einverstanden?"


def options(question: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, label) of a question's buttons."""
    kind = question["type"]
    if kind in ("choice", "multi"):
        return [(o["id"], o["de"]) for o in question["options"]]
    if kind == "yesno":
        return [("ja", "Ja"), ("nein", "Nein")]
    if kind == "scale":
        return [(str(n), str(n)) for n in range(1, 6)]
    return []


def keyboard(question: dict[str, Any], ticked: set[str] | None = None) -> InlineKeyboardMarkup | None:
    pairs = options(question)
    if not pairs:
        return None
    if question["type"] == "multi":
        ticked = ticked or set()
        rows = [
            [InlineKeyboardButton(("✓ " if i in ticked else "") + label, callback_data=f"t:{i}")] for i, label in pairs
        ]
        return InlineKeyboardMarkup([*rows, [InlineKeyboardButton("Fertig", callback_data="done")]])
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"o:{i}")] for i, label in pairs])


def parse(question: dict[str, Any], text: str) -> object | None:
    """A typed answer, or None when it is not one."""
    kind, text = question["type"], text.strip()
    pairs = options(question)
    if kind in ("choice", "yesno", "scale"):
        if text.isdigit() and 1 <= int(text) <= len(pairs):
            return pairs[int(text) - 1][0]
        return next((i for i, label in pairs if label.lower() == text.lower()), None)
    if kind == "number":
        return int(text) if text.isdigit() else None
    if kind == "text":
        return text or None
    return None


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None
    context.user_data.clear()  # type: ignore[union-attr]
    button = InlineKeyboardMarkup([[InlineKeyboardButton("einverstanden", callback_data="consent")]])
    await update.message.reply_text(PRIVACY, reply_markup=button)
    return CONSENT


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, index: int) -> int:
    assert update.effective_chat is not None
    if index == len(QUESTIONS):
        await context.bot.send_message(update.effective_chat.id, SPEC["outro"])
        return ConversationHandler.END
    question = QUESTIONS[index]
    text = f"Frage {index + 1} von {len(QUESTIONS)}\n{question['text']}"
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard(question))
    context.user_data["index"] = index  # type: ignore[index]
    context.user_data["ticked"] = set()  # type: ignore[index]
    return index


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.callback_query is not None
    await update.callback_query.answer()
    return await ask(update, context, 0)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    data: dict[str, Any] = context.user_data  # type: ignore[assignment]
    index: int = data["index"]
    question = QUESTIONS[index]
    query = update.callback_query
    if query is not None:
        await query.answer()
        payload = query.data or ""
        if payload.startswith("t:"):  # a tick: redraw the buttons in place
            ticked: set[str] = data["ticked"]
            ticked ^= {payload[2:]}
            await query.edit_message_text(query.message.text, reply_markup=keyboard(question, ticked))  # type: ignore[union-attr]
            return index
        value: object | None = sorted(data["ticked"]) if payload == "done" else payload[2:]
    else:
        assert update.message is not None
        value = parse(question, update.message.text or "")
    if value is None or value == []:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Das habe ich nicht verstanden. Bitte noch einmal.")
        return index
    data.setdefault("answers", {})[question["id"]] = value
    return await ask(update, context, index + 1)


def main() -> None:
    # per_message=False is meant: a citizen's conversation is per chat, buttons of older messages included
    warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    api_url, token = sys.argv[1], sys.argv[2]
    builder = Application.builder().token(token).base_url(api_url).rate_limiter(AIORateLimiter(max_retries=5))
    app = builder.concurrent_updates("--concurrent" in sys.argv[3:]).build()
    each_question = [MessageHandler(filters.TEXT & ~filters.COMMAND, answer), CallbackQueryHandler(answer)]
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={CONSENT: [CallbackQueryHandler(consent, pattern="^consent$")]}
            | {index: each_question for index in range(len(QUESTIONS))},
            fallbacks=[CommandHandler("start", start)],
        )
    )
    app.run_polling(poll_interval=0, timeout=2)


if __name__ == "__main__":
    main()
