"""The configuration file: where it is found, what it may say, and the checked result.

``find_config_path`` and ``load_config`` are the way in; ``load_config``
reports every problem at once (``ConfigError.problems``). The keys are
documented in ``docs/configuration.md``.
"""

from __future__ import annotations

from bot.config.load import ConfigError, find_config_path, load_config
from bot.config.model import (
    BotConfig,
    ChannelsConfig,
    Config,
    Enabled,
    MatrixConfig,
    RemindersConfig,
    StorageConfig,
    TelegramConfig,
    TerminalConfig,
)
from bot.config.secret import resolve_secret
from bot.config.status import channel_status

__all__ = [
    "BotConfig",
    "ChannelsConfig",
    "Config",
    "ConfigError",
    "Enabled",
    "MatrixConfig",
    "RemindersConfig",
    "StorageConfig",
    "TelegramConfig",
    "TerminalConfig",
    "channel_status",
    "find_config_path",
    "load_config",
    "resolve_secret",
]
