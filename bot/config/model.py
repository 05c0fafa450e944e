"""The checked configuration: frozen dataclasses, paths absolute, secrets masked in ``repr``.

Only ``bot/config/load.py`` builds these, and only from a file without
problems; everything else reads them. Secrets (``storage.secret``, a password
in ``storage.url``, the Telegram token and webhook secret, Matrix credentials)
and staff ids (platform user ids) never appear in ``repr``, so a logged config
leaks nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sized
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeAlias
from zoneinfo import ZoneInfo

__all__ = [
    "BotConfig",
    "ChannelsConfig",
    "Config",
    "IdeasConfig",
    "Enabled",
    "MatrixConfig",
    "RemindersConfig",
    "StorageConfig",
    "TelegramConfig",
    "TerminalConfig",
    "WebConfig",
    "sqlite_file",
]

Enabled: TypeAlias = bool | Literal["auto"]

_URL_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")
_SQLITE = re.compile(r"^sqlite(\+\w+)?://(/(?P<file>[^?]*))?(\?|$)")


def _hidden(value: object) -> str:
    return "'***'" if value else "''"


def _url_hidden(url: object) -> str:
    return repr(_URL_PASSWORD.sub(r"\1***@", str(url)))


def _count(entries: Sized) -> str:
    return f"<{len(entries)} hidden>"


class _MaskedRepr:
    """A dataclass ``repr`` that shows masked fields through their masker."""

    _masks: ClassVar[dict[str, Callable[[Any], str]]] = {}

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            mask = self._masks.get(f.name)
            shown.append(f"{f.name}={mask(value) if mask else repr(value)}")
        return f"{type(self).__name__}({', '.join(shown)})"


class _Channel(_MaskedRepr):
    """What every ``[channels.*]`` table with required values has: on, unless off or incomplete."""

    enabled: Enabled  # annotations only (this base is no dataclass): each channel declares the fields
    missing: tuple[str, ...]

    @property
    def on(self) -> bool:
        return self.enabled is not False and not self.missing


def host_and_port(address: str) -> tuple[str, int]:
    """A ``"host:port"`` listen address (an IPv6 host in brackets) as (host, port)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def sqlite_file(url: str) -> str | None:
    """The file part of a SQLite URL (``""`` or ``":memory:"`` for memory); None for other databases."""
    match = _SQLITE.match(url)
    return (match.group("file") or "") if match else None


@dataclass(frozen=True, repr=False)
class BotConfig(_MaskedRepr):
    name: str
    languages: tuple[str, ...]  # offered UI languages; the first is the default
    surveys: tuple[Path, ...]  # files or folders of process files, absolute
    privacy_url: str
    staff: tuple[str, ...]  # "telegram:123", "matrix:@alice:example.org", "terminal:anna"
    timezone: str
    topics: tuple[str, ...]
    topic_names: dict[str, dict[str, str]]  # topic id → language → what citizens read (optional)
    districts: tuple[str, ...]
    consent_version: str  # bump it when the privacy notice changes: everyone is asked again

    _masks: ClassVar[dict[str, Callable[[Any], str]]] = {"staff": _count}

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_staff(self, channel: str, sender: str) -> bool:
        return f"{channel}:{sender}" in self.staff


@dataclass(frozen=True, repr=False)
class StorageConfig(_MaskedRepr):
    url: str  # a relative SQLite file is already made absolute
    secret: str  # empty only with SQLite: then a generated key file is used (see secret.py)
    retention_days: int
    media_dir: Path
    max_photo_mb: float
    sent_messages_days: int = 30  # the texts of sent messages are forgotten after this many days

    _masks: ClassVar[dict[str, Callable[[Any], str]]] = {"secret": _hidden, "url": _url_hidden}

    @property
    def is_sqlite(self) -> bool:
        return sqlite_file(self.url) is not None

    @property
    def max_photo_bytes(self) -> int:
        return int(self.max_photo_mb * 1024 * 1024)


@dataclass(frozen=True, repr=False)
class TerminalConfig(_MaskedRepr):
    enabled: Enabled = "auto"  # auto: on when no messenger channel (Telegram, Matrix) is on and stdin is a terminal
    files_dir: Path = Path("~/mitwirken-dateien").expanduser()  # where files for the citizen go (meinedaten)


@dataclass(frozen=True, repr=False)
class TelegramConfig(_Channel):
    enabled: Enabled
    token: str
    api_url: str
    mode: Literal["polling", "webhook"]
    webhook_listen: str  # "host:port" the webhook server binds to
    webhook_url: str  # the public HTTPS address Telegram posts to
    webhook_secret: str
    poll_timeout: int  # seconds a long poll waits
    max_per_second: float  # Telegram's pacing: messages per second overall,
    per_chat_per_second: float  # … per private chat,
    group_per_minute: float  # … and per group per minute
    missing: tuple[str, ...] = ()  # why the channel is off: required values that are empty
    username: str = ""  # the bot's name without "@", for t.me deep links on paper and posters

    def process_url(self, process_id: str) -> str | None:
        """The deep link that opens process ``process_id`` (``t.me/NAME?start=ID``); None without a username."""
        return f"https://t.me/{self.username}?start={process_id}" if self.username else None

    _masks: ClassVar[dict[str, Callable[[Any], str]]] = {"token": _hidden, "webhook_secret": _hidden}

    @property
    def listen_host_port(self) -> tuple[str, int]:
        return host_and_port(self.webhook_listen)


@dataclass(frozen=True, repr=False)
class MatrixConfig(_Channel):
    enabled: Enabled
    homeserver: str
    user_id: str
    password: str
    access_token: str
    store_dir: Path  # encryption keys and device: keep it across restarts
    device_name: str
    allowed_servers: tuple[str, ...]  # ("*",) allows every server
    polls: bool  # also send options as an MSC3381 poll
    missing: tuple[str, ...] = ()

    _masks: ClassVar[dict[str, Callable[[Any], str]]] = {"password": _hidden, "access_token": _hidden}

    def allows_server(self, server: str) -> bool:
        return "*" in self.allowed_servers or server in self.allowed_servers


@dataclass(frozen=True, repr=False)
class WebConfig(_Channel):
    enabled: Enabled = "auto"  # auto: on when listen is set
    listen: str = ""  # "host:port" the web chat binds to
    public_url: str = ""  # the address citizens open; what links and QR codes point to
    trusted_proxies: tuple[str, ...] = ()  # X-Forwarded-For is believed only from these addresses
    frame_ancestors: tuple[str, ...] = ()  # sites that may embed the chat (Content-Security-Policy)
    missing: tuple[str, ...] = ()

    @property
    def listen_host_port(self) -> tuple[str, int]:
        return host_and_port(self.listen)

    def process_url(self, process_id: str) -> str | None:
        """The public address that opens process ``process_id`` (``/p/ID``); None without a public_url."""
        return f"{self.public_url}/p/{process_id}" if self.public_url else None


@dataclass(frozen=True)
class ChannelsConfig:
    terminal: TerminalConfig
    telegram: TelegramConfig
    matrix: MatrixConfig
    web: WebConfig = WebConfig()


@dataclass(frozen=True)
class RemindersConfig:
    quiet_hours: tuple[dt.time, dt.time] | None  # local times; None: no quiet hours
    max_per_week: int  # reminders and invitations per participant and week
    digest_time: dt.time | None = dt.time(8, 0)  # local time of the daily staff digest; None: no digest

    def is_quiet(self, local: dt.time) -> bool:
        """Whether a message at local time ``local`` would fall into the quiet hours."""
        if self.quiet_hours is None:
            return False
        start, end = self.quiet_hours
        if start <= end:
            return start <= local < end
        return local >= start or local < end  # the quiet time spans midnight


@dataclass(frozen=True)
class IdeasConfig:
    report_threshold: int = 3  # reports by different citizens that hide an idea until staff look at it


@dataclass(frozen=True)
class ReportsConfig:
    min_group: int = 5  # public reports show counts of fewer respondents as "< min_group"


@dataclass(frozen=True)
class Config:
    bot: BotConfig
    storage: StorageConfig
    channels: ChannelsConfig
    reminders: RemindersConfig
    path: Path  # the config file, absolute
    ideas: IdeasConfig = IdeasConfig()
    reports: ReportsConfig = ReportsConfig()
