"""The web chat's sessions and guards, without I/O: session cookies, CSRF tokens, resume codes,
the client address behind trusted proxies, and the rate limits.

A session is a random address (128 bits) that the engine sees as sender and address; the cookie
holds it with a keyed MAC, so only this server can mint one and a copy of the database (which
holds addresses in its outbox) opens no session. The CSRF token is another MAC of the address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable

__all__ = [
    "RESUME_ALPHABET",
    "ClientAddress",
    "RateLimit",
    "Sessions",
    "normal_code",
]

RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0, O, 1, I: easy to read aloud and type
_RESUME_LENGTH = 10  # 50 bits: guessing is held off by the rate limit of new sessions


def normal_code(typed: str) -> str:
    """A resume code as typed (spaces, dashes, small letters) in its one stored form."""
    return "".join(c for c in typed.upper() if c in RESUME_ALPHABET)


class Sessions:
    """Mints and checks session cookies, CSRF tokens and resume codes with one secret."""

    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"mitwirken web chat\0" + secret).digest()

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def new_address(self) -> str:
        return secrets.token_urlsafe(16)

    def cookie(self, address: str) -> str:
        return f"{address}.{self._mac('session', address)}"

    def address(self, cookie: str | None) -> str | None:
        """The session's address, when the cookie is one of ours."""
        if not cookie or cookie.count(".") != 1:
            return None
        address, mac = cookie.split(".")
        if not address or not hmac.compare_digest(mac, self._mac("session", address)):
            return None
        return address

    def csrf(self, address: str) -> str:
        return self._mac("csrf", address)

    def csrf_ok(self, address: str, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self.csrf(address).encode())

    def event_id(self, address: str, message_id: str) -> str:
        """The de-duplication key of a form the browser sent with ``message_id``: one per session,
        so nobody can spend another's id."""
        return "web-" + self._mac("event", f"{address}\0{message_id}")

    def resume_key(self, code: str) -> str:
        """Where a resume code is kept: its MAC, never the code."""
        return "web-resume:" + self._mac("resume", normal_code(code))

    @staticmethod
    def new_code() -> str:
        return "".join(secrets.choice(RESUME_ALPHABET) for _ in range(_RESUME_LENGTH))


class ClientAddress:
    """The address a request comes from: ``X-Forwarded-For`` is believed only from a trusted proxy,
    and then read from the right up to the first address that is not a trusted proxy."""

    def __init__(self, trusted: Iterable[str]) -> None:
        self._trusted = [ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip()]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self._trusted)

    def of(self, remote: str | None, forwarded_for: str | None) -> str:
        peer = remote or ""
        if not forwarded_for or not self._is_trusted(peer):
            return peer
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return hop
        return hops[0] if hops else peer

    def via_proxy(self, remote: str | None) -> bool:
        """Whether the request came through a trusted proxy (whose ``X-Forwarded-Proto`` counts)."""
        return self._is_trusted(remote or "")


class RateLimit:
    """At most ``limit`` events per key in ``window`` seconds (a sliding window, in memory)."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 100_000:  # forget keys gone quiet, so memory stays bounded
            for old in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                del self._seen[old]
        return True
