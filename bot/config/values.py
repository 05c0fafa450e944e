"""Checks of single config values: language codes, staff ids, time zones, quiet hours, addresses.

Each check returns None when the value is fine, else ``(message, hint)``.
Messages never repeat a value that may be secret or a platform user id.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from bot.i18n import UI_LANGUAGES
from surveys.problems import did_you_mean

__all__ = [
    "Verdict",
    "check_http_url",
    "check_language",
    "check_listen",
    "check_staff",
    "check_timezone",
    "check_webhook_secret",
    "parse_quiet_hours",
]

Verdict = tuple[str, str | None] | None

_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")
_STAFF = {
    "telegram": (re.compile(r"\d{1,20}"), "telegram:123456789 (the numeric user id)"),
    "matrix": (re.compile(r"@[^:\s]+:[^\s]+"), "matrix:@alice:example.org"),
    "terminal": (re.compile(r"[^\s:]{1,64}"), "terminal:anna (the name given to chat --as)"),
}
_QUIET = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
_LISTEN = re.compile(r"(?P<host>\[[0-9a-fA-F:]+\]|[^\s:]+):(?P<port>\d{1,5})")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def check_language(code: str) -> Verdict:
    """A lower-case code whose bot sentences exist (a variant such as ``en-gb`` uses ``en``'s)."""
    spoken = ", ".join(f"'{c}'" for c in UI_LANGUAGES)
    if _LANGUAGE.fullmatch(code):
        if code in UI_LANGUAGES or code.split("-", 1)[0] in UI_LANGUAGES:
            return None
        return (
            f"the bot has no sentences in '{code}' yet (it speaks {spoken})",
            "remove it; another language first needs a translation of the catalogs in bot/locale"
            " (docs/development.md, 'A new UI language')",
        )
    if _LANGUAGE.fullmatch(code.lower()):
        return f"'{code}' is not a language code", f"write it in lower case: '{code.lower()}'"
    return f"'{code}' is not a language code", f"use one of {spoken}"


def check_staff(entry: str) -> Verdict:
    channel, colon, who = entry.partition(":")
    if channel not in _STAFF:
        hint = did_you_mean(channel, _STAFF) or "write telegram:<id>, matrix:@user:server or terminal:<name>"
        shown = f"'{channel}'" if colon else "without a channel"
        return f"staff entry {shown} names no known channel", hint
    pattern, example = _STAFF[channel]
    if not pattern.fullmatch(who):
        return f"is not a valid {channel} staff id", f"write it like {example}"
    return None


def check_timezone(name: str) -> Verdict:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, zoneinfo.available_timezones()) or "use a name like 'Europe/Berlin'"
        return f"unknown time zone '{name}'", hint
    return None


def parse_quiet_hours(text: str) -> tuple[dt.time, dt.time] | None:
    """``"21:00-08:00"`` as two times; ``""`` as None. Raises ValueError when malformed."""
    if not text.strip():
        return None
    match = _QUIET.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    h1, m1, h2, m2 = map(int, match.groups())
    return dt.time(h1, m1), dt.time(h2, m2)  # dt.time raises ValueError for 25:00 too


def check_http_url(url: str) -> Verdict:
    if re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        return None
    return "must be an http:// or https:// address", "for example https://example.org"


def check_listen(address: str) -> Verdict:
    match = _LISTEN.fullmatch(address)
    if match and 1 <= int(match.group("port")) <= 65535:
        return None
    return f"'{address}' is not a host:port address", 'for example webhook_listen = "0.0.0.0:8443"'


def check_webhook_secret(secret: str) -> Verdict:
    if _WEBHOOK_SECRET.fullmatch(secret):
        return None
    return "may only hold 1 to 256 of A-Z, a-z, 0-9, _ and - (Telegram's rule)", None
