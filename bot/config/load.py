"""Finding and loading the config file: TOML in, a checked ``Config`` or every problem out."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.config.channel_sections import CHANNEL_KEYS, read_channels
from bot.config.env import substitute_tree
from bot.config.model import Config
from bot.config.reader import Context, Table
from bot.config.sections import (
    BOT_KEYS,
    IDEAS_KEYS,
    REMINDER_KEYS,
    REPORTS_KEYS,
    STORAGE_KEYS,
    read_bot,
    read_ideas,
    read_reminders,
    read_reports,
    read_storage,
)
from surveys.problems import Problem

__all__ = ["ConfigError", "find_config_path", "load_config"]

TOP_KEYS = ("bot", "storage", "channels", "reminders", "ideas", "reports")
_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


class ConfigError(Exception):
    """The config can't be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


def find_config_path(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """``--config FILE``, else ``$MITWIRKEN_CONFIG``, else ``./config.toml``, else ``./config.example.toml``."""
    given = [(explicit, "given with --config"), (environ.get("MITWIRKEN_CONFIG"), "from $MITWIRKEN_CONFIG")]
    for value, origin in given:
        if value:
            path = cwd / Path(value).expanduser()
            if not path.is_file():
                raise ConfigError([Problem(value, "", f"config file not found ({origin})")])
            return path.absolute()
    for name in ("config.toml", "config.example.toml"):
        if (cwd / name).is_file():
            return (cwd / name).absolute()
    hint = "pass --config FILE, set MITWIRKEN_CONFIG, or copy config.example.toml to config.toml"
    raise ConfigError([Problem(str(cwd), "", "no config.toml or config.example.toml in this folder", hint)])


def _parse(text: str, file: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        place = _TOML_PLACE.search(message)
        line, column = (int(place.group(1)), int(place.group(2))) if place else (None, None)
        problem = Problem(file, "", f"TOML syntax error: {_TOML_PLACE.sub('', message)}", line=line, column=column)
        raise ConfigError([problem]) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError([Problem(str(path), "", "is not UTF-8 text", "save the file as UTF-8")]) from None
    except OSError as error:
        raise ConfigError([Problem(str(path), "", f"can't be read: {error.strerror}")]) from None


def load_config(path: Path, environ: Mapping[str, str] = os.environ) -> Config:
    """Read, substitute and check the config at ``path``; raises ``ConfigError`` with all problems."""
    file = str(path)
    source = _read(path)
    substitution = substitute_tree(_parse(source, file), environ)
    ctx = Context(file, source, substitution.variables)
    for place, message, hint in substitution.problems:
        ctx.report(place, message, hint)
    base = path.absolute().parent
    root = Table(ctx, "", substitution.tree, TOP_KEYS)
    config = Config(
        bot=read_bot(root.table("bot", BOT_KEYS), base),
        storage=read_storage(root.table("storage", STORAGE_KEYS), base),
        channels=read_channels(root.table("channels", CHANNEL_KEYS), base),
        reminders=read_reminders(root.table("reminders", REMINDER_KEYS)),
        path=path.absolute(),
        ideas=read_ideas(root.table("ideas", IDEAS_KEYS)),
        reports=read_reports(root.table("reports", REPORTS_KEYS)),
    )
    errors = [p for p in ctx.sorted_problems() if p.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return config
