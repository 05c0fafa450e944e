"""Builds the conversation's settings from the config: languages, keywords, payload signer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.config import Config
from bot.dialogue.keywords import KeywordTable
from bot.dialogue.payloads import PayloadSigner
from bot.dialogue.turn import DialogueSettings
from bot.notifications import QuietHours

__all__ = ["dialogue_settings"]


def dialogue_settings(config: Config, secret: bytes) -> DialogueSettings:
    bot = config.bot
    languages = tuple(bot.languages)
    zone = ZoneInfo(bot.timezone)
    return DialogueSettings(
        bot_name=bot.name,
        languages=languages,
        privacy_url=bot.privacy_url,
        consent_version=bot.consent_version,
        timezone=zone,
        keywords=KeywordTable(languages),
        signer=PayloadSigner(secret),
        staff=frozenset(bot.staff),
        topics=tuple(bot.topics),
        topic_names=bot.topic_names,
        districts=tuple(bot.districts),
        idea_report_threshold=config.ideas.report_threshold,
        quiet=QuietHours(config.reminders, zone),
    )
