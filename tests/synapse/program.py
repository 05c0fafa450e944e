"""`mitwirken run` as a real subprocess, talking Matrix to the test Synapse.

The config is written with ``tests.harness.make_config`` (SQLite in the test's
tmp dir) plus a ``[channels.matrix]`` section for a freshly registered bot
account; the password comes in through the environment, as in production.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.harness import make_config
from tests.synapse.server import MatrixAccount, SynapseServer

__all__ = ["MitwirkenRun", "matrix_config"]


def matrix_config(
    tmp: Path, server: SynapseServer, bot: MatrixAccount, surveys: dict[str, str], *, polls: bool
) -> Path:
    """A config with only the Matrix channel on."""
    extra = f"""
[channels.terminal]
enabled = false

[channels.matrix]
enabled = true
homeserver = "{server.url}"
user_id = "{bot.user_id}"
password = "${{MATRIX_PASSWORD}}"
store_dir = "matrix-store"
allowed_servers = ["{server.server_name}"]
polls = {"true" if polls else "false"}
"""
    return make_config(tmp, surveys, extra=extra)


class MitwirkenRun:
    """One ``mitwirken run`` process; output goes to a log file in the tmp dir."""

    def __init__(self, config: Path, bot: MatrixAccount) -> None:
        self.config = config
        self.bot = bot
        self.log = config.parent / "run.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = Path(sys.executable).with_name("mitwirken")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(exe), "--config", str(self.config), "run"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "MATRIX_PASSWORD": self.bot.password, "PYTHONUNBUFFERED": "1"},
            )

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> int:
        """SIGTERM and wait for the orderly exit."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired as timeout:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"mitwirken run ignored SIGTERM; log: {self.output()}") from timeout
        self.proc = None
        return code

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""
