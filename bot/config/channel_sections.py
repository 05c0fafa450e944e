"""The ``[channels.*]`` tables: which channels are configured, and why one is off.

A channel's ``enabled`` is ``"auto"`` (on when its required values are not
empty after ``${…}`` substitution), ``true`` (must be on: an empty required
value is an error) or ``false``. The reasons a channel is off are kept in
its ``missing`` field for ``mitwirken run`` to print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot.config.model import ChannelsConfig, Enabled, MatrixConfig, TelegramConfig, TerminalConfig, WebConfig
from bot.config.reader import Table
from bot.config.sections import resolve_path
from bot.config.values import Verdict, check_http_url, check_listen, check_webhook_secret

__all__ = ["CHANNEL_KEYS", "read_channels"]

CHANNEL_KEYS = ("terminal", "telegram", "matrix", "web")
TELEGRAM_KEYS = (
    "enabled", "token", "api_url", "mode", "webhook_listen", "webhook_url", "webhook_secret",
    "poll_timeout", "max_per_second", "per_chat_per_second", "group_per_minute", "username",
)  # fmt: skip
WEB_KEYS = ("enabled", "listen", "public_url", "trusted_proxies", "frame_ancestors")
MATRIX_KEYS = (
    "enabled", "homeserver", "user_id", "password", "access_token", "store_dir", "device_name",
    "allowed_servers", "polls",
)  # fmt: skip
TELEGRAM_API = "https://api.telegram.org/bot"
_WEBHOOK_KEYS = ("webhook_listen", "webhook_url", "webhook_secret")
_MATRIX_USER = re.compile(r"@[^:\s]+:(?P<server>\S+)")
_TELEGRAM_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


def _emptiness(table: Table, keys: list[str]) -> str:
    """``channels.x.a is empty (set A)`` for the empty values at ``keys``."""
    places = [table.at(k) for k in keys]
    state = "empty" if any(table.has(k) for k in keys) else "not set"
    verb = "is" if len(keys) == 1 else "are"
    names = [n for p in places for n in table.ctx.variables.get(p, ())]
    how = f" (set {', '.join(names)})" if names else ""
    return f"{' and '.join(places)} {verb} {state}{how}"


def _missing(table: Table, enabled: Enabled, required: list[list[str]], values: dict[str, str]) -> tuple[str, ...]:
    """Notes on required values that are empty; each group needs one non-empty value.

    With ``enabled = true`` every note is also a problem: the channel must run.
    """
    if enabled is False:
        return ()
    notes = [_emptiness(table, group) for group in required if not any(values[k] for k in group)]
    for note in notes if enabled is True else ():
        table.report("enabled", f"is true, but {note}", 'give it a value, or set enabled = "auto"')
    return tuple(notes)


def _check_each(table: Table, values: dict[str, str], checks: dict[str, Callable[[str], Verdict]]) -> None:
    for key, check in checks.items():
        if values[key] and (verdict := check(values[key])):
            table.report(key, *verdict)


def read_telegram(table: Table) -> TelegramConfig:
    enabled = table.enabled()
    mode = table.choice("mode", "polling", ("polling", "webhook"))
    values = {k: table.string(k, "") for k in ("token", "api_url", *_WEBHOOK_KEYS)}
    values["api_url"] = values["api_url"] or TELEGRAM_API
    _check_each(
        table,
        values,
        {"api_url": check_http_url, "webhook_listen": check_listen, "webhook_url": check_http_url,
         "webhook_secret": check_webhook_secret},
    )  # fmt: skip
    required = [["token"]]
    if mode == "webhook" and enabled is not False:
        for key in _WEBHOOK_KEYS:
            if table.has(key):
                required.append([key])
            else:
                table.report(key, 'is needed with mode = "webhook"', f'add {key} = "…", or use mode = "polling"')
    return TelegramConfig(
        enabled=enabled,
        token=values["token"],
        api_url=values["api_url"],
        mode="webhook" if mode == "webhook" else "polling",
        webhook_listen=values["webhook_listen"],
        webhook_url=values["webhook_url"],
        webhook_secret=values["webhook_secret"],
        poll_timeout=table.integer("poll_timeout", 30, minimum=0),
        max_per_second=table.number("max_per_second", 30.0, above=0),
        per_chat_per_second=table.number("per_chat_per_second", 1.0, above=0),
        group_per_minute=table.number("group_per_minute", 20.0, above=0),
        missing=_missing(table, enabled, required, values),
        username=_telegram_username(table),
    )


def _telegram_username(table: Table) -> str:
    name = table.string("username", "").strip().removeprefix("@")
    if name and not _TELEGRAM_USERNAME.fullmatch(name):
        table.report(
            "username", f"'{name}' is not a Telegram bot name", 'write it without "@", e.g. username = "MitwirkenBot"'
        )
        return ""
    return name


def read_web(table: Table) -> WebConfig:
    enabled = table.enabled()
    values = {k: table.string(k, "") for k in ("listen", "public_url")}
    _check_each(table, values, {"listen": check_listen, "public_url": check_http_url})
    return WebConfig(
        enabled=enabled,
        listen=values["listen"],
        public_url=values["public_url"].rstrip("/"),
        trusted_proxies=table.strings("trusted_proxies", ()),
        frame_ancestors=table.strings("frame_ancestors", ()),
        missing=_missing(table, enabled, [["listen"]], values),
    )


def _check_user_id(user_id: str) -> Verdict:
    if _MATRIX_USER.fullmatch(user_id):
        return None
    return "is not a Matrix user id", 'write it like user_id = "@mitwirken:example.org"'


def _allowed_servers(table: Table, user_id: str) -> tuple[str, ...]:
    own = _MATRIX_USER.fullmatch(user_id)
    servers = table.strings("allowed_servers", (own.group("server"),) if own else ())
    if table.has("allowed_servers") and not servers:
        table.report("allowed_servers", "must name at least one server", 'e.g. ["example.org"]; ["*"] allows all')
    return servers


def read_matrix(table: Table, base: Path) -> MatrixConfig:
    enabled = table.enabled()
    values = {k: table.string(k, "") for k in ("homeserver", "user_id", "password", "access_token")}
    _check_each(table, values, {"homeserver": check_http_url, "user_id": _check_user_id})
    credentials = ["password", "access_token"]
    if table.raw and enabled is not False and not any(table.has(k) for k in credentials):
        table.report("password", "is not set: Matrix needs password or access_token",
                     'add password = "${MATRIX_PASSWORD}" or access_token = "${MATRIX_ACCESS_TOKEN}"')  # fmt: skip
    device_name = table.string("device_name", "Mitwirken")
    if not device_name.strip():
        table.report("device_name", "must not be empty", 'for example device_name = "Mitwirken"')
    present = [k for k in credentials if table.has(k)] or credentials
    return MatrixConfig(
        enabled=enabled,
        homeserver=values["homeserver"].rstrip("/"),
        user_id=values["user_id"],
        password=values["password"],
        access_token=values["access_token"],
        store_dir=resolve_path(table.string("store_dir", "matrix-store") or "matrix-store", base),
        device_name=device_name or "Mitwirken",
        allowed_servers=_allowed_servers(table, values["user_id"]),
        polls=table.boolean("polls", False),
        missing=_missing(table, enabled, [["homeserver"], ["user_id"], present], values),
    )


def read_terminal(table: Table, base: Path) -> TerminalConfig:
    folder = table.string("files_dir", "~/mitwirken-dateien") or "~/mitwirken-dateien"
    return TerminalConfig(enabled=table.enabled(), files_dir=resolve_path(folder, base))


def read_channels(table: Table, base: Path) -> ChannelsConfig:
    return ChannelsConfig(
        terminal=read_terminal(table.table("terminal", ("enabled", "files_dir")), base),
        telegram=read_telegram(table.table("telegram", TELEGRAM_KEYS)),
        matrix=read_matrix(table.table("matrix", MATRIX_KEYS), base),
        web=read_web(table.table("web", WEB_KEYS)),
    )
