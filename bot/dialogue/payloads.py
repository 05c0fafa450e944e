"""Button payloads: short, bound to one participant and one question, and checked.

A payload is ``<context>.<value>.<mac>``: the context names what was asked (a
question, the menu, the consent), the value is what the button means, and the
MAC (HMAC-SHA256 with the storage secret over participant, context and value,
cut to 10 base64 characters) makes forged, foreign or stale payloads
recognisable. The whole payload stays far below Telegram's 64 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

__all__ = ["Payload", "PayloadSigner"]

_MAX_PART = 20


@dataclass(frozen=True)
class Payload:
    context: str
    value: str


class PayloadSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def context_for(self, *parts: str) -> str:
        """A short stable tag for a question: 8 base64 characters of a hash of its parts."""
        digest = hashlib.sha256("\0".join(parts).encode()).digest()
        return base64.urlsafe_b64encode(digest)[:8].decode()

    def sign(self, participant_id: str, context: str, value: str) -> str:
        if len(context) > _MAX_PART or len(value) > _MAX_PART or "." in context or "." in value:
            raise ValueError("payload parts must be short and dot-free")
        if not (context + value).isascii():
            raise ValueError("payload parts must be ASCII")
        return f"{context}.{value}.{self._mac(participant_id, context, value)}"

    def verify(self, participant_id: str, payload: str) -> Payload | None:
        """The payload's meaning, or None if it was not made for this participant."""
        if len(payload) > 64:
            return None
        parts = payload.split(".")
        if len(parts) != 3:
            return None
        context, value, mac = parts
        if not payload.isascii():
            # Every payload we sign is ASCII; compare_digest raises on other text, and a
            # forged payload must be refused like any other, not crash its event.
            return None
        if not hmac.compare_digest(mac, self._mac(participant_id, context, value)):
            return None
        return Payload(context, value)

    def _mac(self, participant_id: str, context: str, value: str) -> str:
        message = f"{participant_id}\0{context}\0{value}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest)[:10].decode()
