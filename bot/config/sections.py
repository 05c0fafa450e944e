"""The ``[bot]``, ``[storage]``, ``[reminders]``, ``[ideas]`` and ``[reports]`` tables, read and checked."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from bot.config.model import (
    BotConfig,
    IdeasConfig,
    RemindersConfig,
    ReportsConfig,
    StorageConfig,
    sqlite_file,
)
from bot.config.reader import Table
from bot.config.values import (
    Verdict,
    check_http_url,
    check_language,
    check_staff,
    check_timezone,
    parse_quiet_hours,
)

__all__ = [
    "BOT_KEYS", "IDEAS_KEYS", "REMINDER_KEYS", "REPORTS_KEYS", "STORAGE_KEYS",
    "read_bot", "read_ideas", "read_reminders", "read_reports", "read_storage", "resolve_path",
]  # fmt: skip

BOT_KEYS = (
    "name", "languages", "surveys", "privacy_url", "staff", "timezone", "topics", "topic_names", "districts",
    "consent_version",
)  # fmt: skip
STORAGE_KEYS = ("url", "secret", "retention_days", "sent_messages_days", "media_dir", "max_photo_mb")
REMINDER_KEYS = ("quiet_hours", "max_per_week", "digest_time")
IDEAS_KEYS = ("report_threshold",)
REPORTS_KEYS = ("min_group",)

MIN_SECRET_LENGTH = 16
_POSTGRES_PREFIXES = ("postgresql+psycopg://", "postgresql://")
_SECRET_HINT = "a random string, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def resolve_path(value: str, base: Path) -> Path:
    """``value`` as an absolute path, a relative one taken from the config file's folder."""
    path = Path(os.path.expanduser(value))
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


def _checked_list(table: Table, key: str, default: tuple[str, ...], check: Callable[[str], Verdict]) -> tuple[str, ...]:
    """The list at ``key``, each item passed through ``check`` (a ``(message, hint)`` or None)."""
    items = table.strings(key, default)
    for index, item in enumerate(items, start=1):
        verdict = check(item)
        if verdict:
            table.report(f"{key}[{index}]", *verdict)
    return items


def _unique_nonempty(table: Table, key: str, items: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        if not item.strip():
            table.report(f"{key}[{index}]", "is empty", "remove it or give it a value")
        elif item in seen:
            table.report(f"{key}[{index}]", f"'{item}' is listed twice", "remove one")
        seen.add(item)


def read_bot(table: Table, base: Path) -> BotConfig:
    languages = _checked_list(table, "languages", ("de", "en"), check_language)
    if not languages and table.has("languages"):
        table.report("languages", "must name at least one language", 'for example languages = ["de", "en"]')
    _unique_nonempty(table, "languages", languages)
    surveys = table.strings("surveys", ("surveys",))
    _unique_nonempty(table, "surveys", surveys)
    privacy_url = table.string("privacy_url", "")
    if privacy_url and (verdict := check_http_url(privacy_url)):
        table.report("privacy_url", *verdict)
    timezone = table.string("timezone", "Europe/Berlin")
    if verdict := check_timezone(timezone):
        table.report("timezone", *verdict)
    topics, districts = table.strings("topics", ()), table.strings("districts", ())
    _unique_nonempty(table, "topics", topics)
    _unique_nonempty(table, "districts", districts)
    topic_names = _topic_names(table, topics, languages or ("de", "en"))
    consent_version = table.string("consent_version", "1")
    if not consent_version.strip():
        table.report("consent_version", "must not be empty", 'for example consent_version = "1"')
    return BotConfig(
        name=table.string("name", "Mitwirken"),
        languages=languages or ("de", "en"),
        surveys=tuple(resolve_path(s, base) for s in surveys if s.strip()),
        privacy_url=privacy_url,
        staff=_checked_list(table, "staff", (), check_staff),
        timezone=timezone,
        topics=topics,
        topic_names=topic_names,
        districts=districts,
        consent_version=consent_version,
    )


def _topic_names(table: Table, topics: tuple[str, ...], languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``[bot.topic_names]``: what citizens read for each topic id, one text or one per language."""
    if not table.has("topic_names"):
        return {}
    if not topics:
        table.report(
            "topic_names", "names topics, but bot.topics lists none", 'list them first: topics = ["verkehr", …]'
        )
        return {}
    names = table.table("topic_names", topics)
    found: dict[str, dict[str, str]] = {}
    for topic in topics:
        raw = names.raw.get(topic)
        if raw is None:
            continue
        if isinstance(raw, str):
            texts = dict.fromkeys(languages, raw)
        else:
            entry = names.table(topic, languages)
            texts = {language: entry.string(language, "") for language in languages if entry.has(language)}
        for language, text in texts.items():
            if not text.strip():
                names.report(topic, f"the name in '{language}' is empty", f'for example {topic} = "Grün und Parks"')
        found[topic] = {language: text for language, text in texts.items() if text.strip()}
    return found


def _database_url(table: Table, base: Path) -> str:
    url = table.string("url", "sqlite:///mitwirken.db")
    file = sqlite_file(url)
    if file is not None:
        if file in ("", ":memory:") or file.startswith("/"):
            return url
        prefix, _, query = url.partition("?")
        absolute = str(resolve_path(prefix.split(":///", 1)[1], base))
        return f"{prefix.split(':///', 1)[0]}:///{absolute}" + (f"?{query}" if query else "")
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")  # the driver this program ships
    if not url.startswith(_POSTGRES_PREFIXES):
        table.report(
            "url",
            "must be a SQLite or PostgreSQL address",
            'for example "sqlite:///mitwirken.db" or "postgresql+psycopg://user:password@host/db"',
        )
    return url


def _check_secret(table: Table, secret: str, is_sqlite: bool) -> None:
    if not secret:
        if not is_sqlite:
            how = table.ctx.set_hint(table.at("secret")) or "set it"
            table.report("secret", "is empty; with PostgreSQL a secret is required", f"{how} to {_SECRET_HINT}")
    elif len(secret) < MIN_SECRET_LENGTH:
        table.report(
            "secret",
            f"is shorter than {MIN_SECRET_LENGTH} characters (it keys the pseudonyms)",
            f"use {_SECRET_HINT}",
        )


def read_storage(table: Table, base: Path) -> StorageConfig:
    url = _database_url(table, base)
    secret = table.string("secret", "")
    _check_secret(table, secret, sqlite_file(url) is not None)
    return StorageConfig(
        url=url,
        secret=secret,
        retention_days=table.integer("retention_days", 730, minimum=1),
        sent_messages_days=table.integer("sent_messages_days", 30, minimum=1),
        media_dir=resolve_path(table.string("media_dir", "media") or "media", base),
        max_photo_mb=table.number("max_photo_mb", 10.0, above=0),
    )


def read_reminders(table: Table) -> RemindersConfig:
    text = table.string("quiet_hours", "21:00-08:00")
    try:
        quiet_hours = parse_quiet_hours(text)
    except ValueError:
        table.report("quiet_hours", f"'{text}' is not a time span", 'write it as "HH:MM-HH:MM", e.g. "21:00-08:00"')
        quiet_hours = parse_quiet_hours("21:00-08:00")
    return RemindersConfig(
        quiet_hours=quiet_hours,
        max_per_week=table.integer("max_per_week", 2, minimum=0),
        digest_time=_digest_time(table),
    )


def _digest_time(table: Table) -> dt.time | None:
    """``"HH:MM"``, or ``""`` for no digest."""
    text = table.string("digest_time", "08:00").strip()
    if not text:
        return None
    try:
        if len(text) != 5:
            raise ValueError(text)
        return dt.time.fromisoformat(text)
    except ValueError:
        table.report(
            "digest_time", f"'{text}' is not a time of day", 'write it as "HH:MM", e.g. "08:00", or "" for none'
        )
        return None


def read_ideas(table: Table) -> IdeasConfig:
    return IdeasConfig(report_threshold=table.integer("report_threshold", 3, minimum=1))


def read_reports(table: Table) -> ReportsConfig:
    """``[reports]``: ``min_group``, the smallest group a public report shows a number for (at least 2:
    with 1 every count would be shown, single persons too)."""
    return ReportsConfig(min_group=table.integer("min_group", 5, minimum=2))
