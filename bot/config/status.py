"""Which channels ``mitwirken run`` starts, each with a one-line reason."""

from __future__ import annotations

from bot.config.model import Config

__all__ = ["channel_status"]


def _telegram(config: Config) -> tuple[str, bool, str]:
    telegram = config.channels.telegram
    if telegram.enabled is False:
        return "telegram", False, "off: channels.telegram.enabled = false"
    if telegram.missing:
        return "telegram", False, "off: " + "; ".join(telegram.missing)
    how = f"webhook on {telegram.webhook_listen}" if telegram.mode == "webhook" else "long polling"
    return "telegram", True, f"on: {how} via {telegram.api_url}"


def _matrix(config: Config) -> tuple[str, bool, str]:
    matrix = config.channels.matrix
    if matrix.enabled is False:
        return "matrix", False, "off: channels.matrix.enabled = false"
    if matrix.missing:
        return "matrix", False, "off: " + "; ".join(matrix.missing)
    return "matrix", True, f"on: {matrix.homeserver}"


def _web(config: Config) -> tuple[str, bool, str]:
    web = config.channels.web
    if web.enabled is False:
        return "web", False, "off: channels.web.enabled = false"
    if web.missing:
        return "web", False, "off: " + "; ".join(web.missing)
    host, port = web.listen_host_port
    shown = f"[{host}]" if ":" in host else host
    served = f"http://{shown}:{port}"
    public = f" (public: {web.public_url}/)" if web.public_url and web.public_url != served else ""
    return "web", True, f"on: {served}/{public}"


def _terminal(config: Config, others_on: bool, stdin_is_tty: bool) -> tuple[str, bool, str]:
    enabled = config.channels.terminal.enabled
    if enabled is True:
        return "terminal", True, "on: channels.terminal.enabled = true"
    if enabled is False:
        return "terminal", False, "off: channels.terminal.enabled = false"
    if others_on:
        return "terminal", False, "off: a messenger channel is on (set channels.terminal.enabled = true to add it)"
    if not stdin_is_tty:
        return "terminal", False, "off: no messenger channel is on, but stdin is not a terminal"
    return "terminal", True, "on: no messenger channel is on and stdin is a terminal"


def channel_status(config: Config, stdin_is_tty: bool) -> list[tuple[str, bool, str]]:
    """(channel, on?, one-line reason) for every channel, for ``run`` to print and to start."""
    remote = [_telegram(config), _matrix(config)]
    others_on = any(on for _, on, _ in remote)
    # the web chat does not count: it serves browsers, and `make run` keeps its terminal beside it
    return [*remote, _terminal(config, others_on, stdin_is_tty), _web(config)]
