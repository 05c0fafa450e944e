"""Drive a Telegram double that runs as a separate process, through its control API.

Synchronous on purpose (urllib): the crash test and the benchmarks drive the
double from plain test code while ``mitwirken run`` runs in another process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["RemoteDouble", "start_double_process"]

ROOT = Path(__file__).resolve().parents[2]


class RemoteDouble:
    """The control API of a double process: act as citizens, read what the bot did."""

    def __init__(self, url: str, token: str = "4242:TEST-token") -> None:
        self.url = url
        self.token = token

    @property
    def api_url(self) -> str:
        return f"{self.url}/bot"

    def _call(self, action: str, **args: Any) -> Any:
        request = urllib.request.Request(
            f"{self.url}/_control/{action}",
            data=json.dumps(args).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["result"]

    def say(self, chat_id: int, text: str, **options: Any) -> int:
        return int(self._call("say", chat_id=chat_id, text=text, **options))

    def press(self, chat_id: int, message_id: int, data: str, **options: Any) -> int:
        return int(self._call("press", chat_id=chat_id, message_id=message_id, data=data, **options))

    def block(self, chat_id: int) -> None:
        self._call("block", chat_id=chat_id)

    def fail(self, method: str, kind: str, **options: Any) -> None:
        self._call("fail", method=method, kind=kind, **options)

    def limits(self, **limits: Any) -> None:
        self._call("limits", **limits)

    def events(self, since: int = 0) -> list[dict[str, Any]]:
        return list(self._call("events", since=since))

    def stats(self) -> dict[str, Any]:
        return dict(self._call("stats"))


def start_double_process(*extra: str, token: str = "4242:TEST-token") -> tuple[subprocess.Popen[str], RemoteDouble]:
    """Start ``python -m tests.telegram_double`` on a free port; the caller terminates it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.telegram_double", "--port", "0", "--token", token, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("listening "):
        process.kill()
        raise RuntimeError(f"the Telegram double did not start: {line!r}")
    return process, RemoteDouble(line.removeprefix("listening "), token)
