"""Random ids and pseudonyms, and the keyed hash that stands in for a platform user id."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.records import ParticipantId

__all__ = [
    "PSEUDONYM_ALPHABET",
    "keyed_hash",
    "new_participant_id",
    "new_pseudonym",
    "new_txn_id",
    "unused_pseudonym",
    "user_hash",
]

# No 0/O, 1/I/L, U/V look-alikes: a pseudonym read out on the phone survives.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PSEUDONYM_LENGTH = 6
_MAX_TRIES = 20


def new_participant_id() -> ParticipantId:
    return ParticipantId(secrets.token_hex(16))


def new_txn_id() -> str:
    """What ``secrets.token_hex(16)`` gives, without its two calls in between: every reply takes one."""
    return os.urandom(16).hex()


def new_pseudonym(prefix: str) -> str:
    """``prefix`` + "-" + six random characters, e.g. ``P-7KQ2MX``."""
    return prefix + "-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))


def unused_pseudonym(conn: Connection, column: sa.Column[str], prefix: str) -> str:
    """A new pseudonym that ``column`` does not hold yet (checked, not guessed: 30^6 is small)."""
    for _ in range(_MAX_TRIES):
        candidate = new_pseudonym(prefix)
        if conn.scalar(sa.select(sa.literal(1)).where(column == candidate).limit(1)) is None:
            return candidate
    raise RuntimeError(f"no unused pseudonym found in {_MAX_TRIES} tries: the space is exhausted")


def keyed_hash(secret: bytes, scope: str, value: str) -> str:
    """HMAC-SHA256 of ``scope + "\\0" + value`` keyed with the store's secret, hex: what the database
    keeps instead of a value it must recognise but never hold (a sender, a reviewed text)."""
    return hmac.new(secret, f"{scope}\0{value}".encode(), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=4096)
def user_hash(secret: bytes, channel: str, sender: str) -> str:
    """The keyed hash of a sender on a channel: how a participant is found, never who they are.
    The last few thousand are kept: every turn of a sender looks theirs up."""
    return keyed_hash(secret, channel, sender)
