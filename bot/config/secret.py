"""The key for pseudonyms and lookup hashes: ``storage.secret``, or a generated one for SQLite trials.

Production sets ``storage.secret`` (PostgreSQL refuses to start without it).
A SQLite trial may leave it empty: then a random key is generated once and
kept in ``.mitwirken-secret`` beside the database (mode 0600), because a
key that changed between runs would make every participant a stranger.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from bot.config.model import Config, sqlite_file

__all__ = ["SECRET_FILE_NAME", "resolve_secret", "secret_file"]

SECRET_FILE_NAME = ".mitwirken-secret"

log = logging.getLogger(__name__)


def secret_file(config: Config) -> Path | None:
    """Where a generated key lives: beside the SQLite file; None for a memory database or PostgreSQL."""
    file = sqlite_file(config.storage.url)
    if not file or file == ":memory:":
        return None
    return Path(file).parent / SECRET_FILE_NAME


def _create(path: Path) -> bytes | None:
    """Write a fresh key, unless another process was first (then None)."""
    key = secrets.token_urlsafe(32).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    try:
        os.link(draft, path)  # atomic: a reader never sees a half-written key
    except FileExistsError:
        return None
    finally:
        draft.unlink()
    log.warning("storage.secret is empty: generated a key in %s. Production must set MITWIRKEN_SECRET.", path)
    return key


def resolve_secret(config: Config) -> bytes:
    """The key to use: the configured secret, else the generated key of this SQLite database."""
    if config.storage.secret:
        return config.storage.secret.encode()
    path = secret_file(config)
    if path is None:
        if not config.storage.is_sqlite:
            raise ValueError("storage.secret is required with PostgreSQL")  # load_config already refuses this
        log.warning("storage.secret is empty: using a key for this run only (memory database).")
        return secrets.token_urlsafe(32).encode()
    key = _create(path) if not path.exists() else None
    if key is None:
        key = path.read_bytes().strip()
        log.warning("storage.secret is empty: using the generated key in %s. Production must set MITWIRKEN_SECRET.",
                    path)  # fmt: skip
    return key
