"""Several ``mitwirken run`` workers on one database, behind one reverse proxy, in webhook mode.

The double (its own process) pushes updates to the proxy (``proxy.py``), which hands each to
the next live worker; every worker is a real process. Used by the multi-worker tests and the
benchmark in ``bench/workers.py``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.telegram_double.citizens import BotProcess, write_config
from tests.telegram_double.remote import ROOT, RemoteDouble

__all__ = ["Deployment"]

SECRET = "workers-webhook-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Deployment:
    """``count`` workers on ``database_url``, each listening on a port of its own, one proxy in front."""

    def __init__(self, folder: Path, double: RemoteDouble, database_url: str, survey: str, count: int) -> None:
        self.ports = [_free_port() for _ in range(count)]
        self.proxy = subprocess.Popen(
            [sys.executable, "-m", "tests.telegram_double.proxy"]
            + [arg for port in self.ports for arg in ("--upstream", f"http://127.0.0.1:{port}")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proxy.stdout is not None
        line = self.proxy.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"the proxy did not start: {line!r}")
        proxy_port = int(line.split()[-1])
        self.workers = []
        for index, port in enumerate(self.ports):
            webhook = "\n".join(
                [
                    'mode = "webhook"',
                    f'webhook_listen = "127.0.0.1:{port}"',
                    f'webhook_url = "http://127.0.0.1:{proxy_port}/telegram/hook"',
                    f'webhook_secret = "{SECRET}"',
                ]
            )
            folder_of_worker = folder / f"worker-{index}"
            config = write_config(
                folder_of_worker,
                double,
                survey=survey,
                per_second=1000,
                per_chat=100,
                database_url=database_url,
                receiving=webhook,
            )
            self.workers.append(BotProcess(config))

    def start(self, index: int, *, wait_for: str = "channel telegram is running", timeout: float = 60) -> None:
        worker = self.workers[index]
        worker.start()
        deadline = time.monotonic() + timeout
        while wait_for not in worker.tail():
            if time.monotonic() > deadline:
                raise AssertionError(f"worker {index} did not start: {worker.tail()}")
            time.sleep(0.1)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.proxy.terminate()
        self.proxy.wait(10)
