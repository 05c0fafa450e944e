"""The bot's Matrix device on disk: who it is, and whether its keys are there.

``store_dir`` holds matrix-nio's key store (``<user>_<device>.db``) and
``credentials.json`` (user id, device id, access token; mode 0600). Losing
either would make the bot a new device that cannot read what citizens
encrypted for the old one, so every inconsistency is an error with a
sentence an operator can act on, never a silent new device.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["MatrixStoreError", "StoredLogin", "check_store", "load_login", "save_login", "store_database"]

_CREDENTIALS = "credentials.json"


class MatrixStoreError(RuntimeError):
    """``store_dir`` exists but cannot be used for this account."""


@dataclass(frozen=True)
class StoredLogin:
    """A device the bot logged in as before."""

    user_id: str
    device_id: str
    access_token: str


def store_database(store_dir: Path, user_id: str, device_id: str) -> Path:
    """Where matrix-nio's default store keeps the keys of this device."""
    return store_dir / f"{user_id}_{device_id}.db"


def _key_stores(store_dir: Path) -> list[Path]:
    return sorted(store_dir.glob("*.db")) if store_dir.is_dir() else []


def load_login(store_dir: Path, user_id: str) -> StoredLogin | None:
    """The stored login, ``None`` for a fresh store; raise if the store is unusable."""
    path = store_dir / _CREDENTIALS
    if not path.exists():
        if _key_stores(store_dir):
            raise MatrixStoreError(
                f"{store_dir} holds encryption keys but no {_CREDENTIALS}; "
                "restore the file from a backup or start with an empty store_dir (a new device)"
            )
        return None
    try:
        data = json.loads(path.read_text())
        login = StoredLogin(user_id=data["user_id"], device_id=data["device_id"], access_token=data["access_token"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MatrixStoreError(f"{path} cannot be read ({exc.__class__.__name__}); restore it from a backup") from exc
    if login.user_id != user_id:
        raise MatrixStoreError(f"{store_dir} belongs to another Matrix account; use a store_dir of its own per account")
    return login


def check_store(store_dir: Path, login: StoredLogin) -> None:
    """Raise unless the key store of ``login``'s device is present."""
    database = store_database(store_dir, login.user_id, login.device_id)
    if not database.is_file():
        raise MatrixStoreError(
            f"the encryption keys of device {login.device_id} are missing from {store_dir}; "
            "restore them from a backup or start with an empty store_dir (a new device)"
        )


def save_login(store_dir: Path, login: StoredLogin) -> None:
    """Write ``credentials.json`` atomically, readable by the bot's user only."""
    store_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = store_dir / _CREDENTIALS
    temporary = store_dir / f".{_CREDENTIALS}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(login), handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
