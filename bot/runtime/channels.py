"""Which channels run, built from the config: each adapter gets plain values, never the Config."""

from __future__ import annotations

import getpass
import sys

from adapters.base import ChannelAdapter
from adapters.terminal import TerminalAdapter
from bot.config import channel_status
from bot.runtime.app import Core
from bot.runtime.cursors import StoreCursors

__all__ = ["build_adapters"]


def build_adapters(core: Core, *, stdin_is_tty: bool) -> tuple[list[ChannelAdapter], list[str]]:
    """The adapters of every channel that is on, and one line per channel saying why it is on or off."""
    config = core.config
    adapters: list[ChannelAdapter] = []
    lines: list[str] = []
    for channel, on, reason in channel_status(config, stdin_is_tty=stdin_is_tty):
        lines.append(f"{channel}: {reason}")
        if not on:
            continue
        if channel == "terminal":
            adapters.append(
                TerminalAdapter(
                    getpass.getuser(), stdin=sys.stdin, stdout=sys.stdout, files_dir=config.channels.terminal.files_dir
                )
            )
        elif channel == "telegram":
            adapters.append(_telegram(core))
        elif channel == "matrix":
            adapters.append(_matrix(core))
        elif channel == "web":
            adapters.append(_web(core))
    return adapters, lines


def _commands(core: Core) -> dict[str, list[tuple[str, str]]]:
    from bot.dialogue.keywords import command_menu

    return command_menu(core.config.bot.languages)


def _telegram(core: Core) -> ChannelAdapter:
    from adapters.telegram import TelegramAdapter

    c = core.config.channels.telegram
    return TelegramAdapter(
        token=c.token,
        api_url=c.api_url,
        mode=c.mode,
        webhook_listen=c.webhook_listen,
        webhook_url=c.webhook_url,
        webhook_secret=c.webhook_secret,
        poll_timeout=c.poll_timeout,
        max_per_second=c.max_per_second,
        per_chat_per_second=c.per_chat_per_second,
        group_per_minute=c.group_per_minute,
        max_photo_bytes=int(core.config.storage.max_photo_mb * 1024 * 1024),
        commands=_commands(core),
    )


def _matrix(core: Core) -> ChannelAdapter:
    from adapters.matrix import MatrixAdapter

    c = core.config.channels.matrix
    return MatrixAdapter(
        homeserver=c.homeserver,
        user_id=c.user_id,
        password=c.password,
        access_token=c.access_token,
        store_dir=c.store_dir,
        device_name=c.device_name,
        allowed_servers=tuple(c.allowed_servers),
        polls=c.polls,
        cursor_store=StoreCursors(core.store, core.clock, core.engine.outage),
        max_photo_bytes=int(core.config.storage.max_photo_mb * 1024 * 1024),
    )


def _web(core: Core) -> ChannelAdapter:
    from adapters.web import WebAdapter
    from bot.runtime.web_backend import StoreWebBackend

    config = core.config
    c = config.channels.web
    return WebAdapter(
        listen=c.listen_host_port,
        public_url=c.public_url,
        trusted_proxies=c.trusted_proxies,
        frame_ancestors=c.frame_ancestors,
        languages=config.bot.languages,
        bot_name=config.bot.name,
        secret=core.secret,
        max_photo_bytes=int(config.storage.max_photo_mb * 1024 * 1024),
        backend=StoreWebBackend(core.store, lambda: core.engine.catalog, core.clock, config.bot.languages),
    )
