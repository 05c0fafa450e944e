"""Start, stop and administer one Synapse process on loopback.

Users are registered with the shared-secret admin API (registration is
closed otherwise), so tests create as many citizens as they need in
milliseconds and get an access token for each.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.synapse.config import SERVER_NAME, free_port, write_config
from tests.synapse.install import ensure_synapse

__all__ = ["MatrixAccount", "SynapseServer", "SynapseUnavailable"]

_START_TIMEOUT = 90.0


class SynapseUnavailable(RuntimeError):
    """Synapse could not be installed or did not come up."""


@dataclass(frozen=True)
class MatrixAccount:
    """A registered user: what a test needs to log a client in."""

    user_id: str
    password: str
    access_token: str
    device_id: str


class SynapseServer:
    """One homeserver in ``directory``; ``start`` blocks until it answers."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server_name = SERVER_NAME
        self._secret = secrets.token_hex(16)
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: MatrixAccount | None = None

    # -- process -------------------------------------------------------

    def start(self) -> None:
        python = ensure_synapse()
        config = write_config(self.directory, self.port, self._secret)
        log = open(self.directory / "stdout.log", "ab")
        self._process = subprocess.Popen(
            [str(python), "-m", "synapse.app.homeserver", "-c", str(config)],
            cwd=self.directory,  # not the repository: tests/synapse must not shadow the real package
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise SynapseUnavailable(f"synapse exited with {self._process.returncode}: {self.log_tail()}")
            try:
                self.request("GET", "/_matrix/client/versions")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise SynapseUnavailable(f"synapse did not answer within {_START_TIMEOUT}s: {self.log_tail()}")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def log_tail(self, chars: int = 3000) -> str:
        text = ""
        for name in ("stdout.log", "homeserver.log"):
            path = self.directory / name
            if path.exists():
                text += path.read_text(errors="replace")[-chars:]
        return text

    # -- HTTP ----------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")

    # -- users ---------------------------------------------------------

    def register(self, localpart: str | None = None, *, admin: bool = False) -> MatrixAccount:
        """Register a user via the shared-secret admin API."""
        localpart = localpart or f"user{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(12)
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        # the MAC covers the four parts separated by NUL, without a trailing NUL
        mac = hmac.new(self._secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join(p.encode() for p in (nonce, localpart, password, "admin" if admin else "notadmin")))
        digest = mac.hexdigest()
        body = {"nonce": nonce, "username": localpart, "password": password, "admin": admin, "mac": digest}
        result = self.request("POST", "/_synapse/admin/v1/register", body)
        return MatrixAccount(result["user_id"], password, result["access_token"], result["device_id"])

    def admin(self) -> MatrixAccount:
        if self._admin is None:
            self._admin = self.register(f"admin{secrets.token_hex(3)}", admin=True)
        return self._admin

    def set_ratelimit(self, user_id: str, messages_per_second: int, burst_count: int) -> None:
        """Override the message rate limit of one user (0/0 exempts the user entirely)."""
        path = f"/_synapse/admin/v1/users/{urllib.parse.quote(user_id)}/override_ratelimit"
        body = {"messages_per_second": messages_per_second, "burst_count": burst_count}
        self.request("POST", path, body, token=self.admin().access_token)
