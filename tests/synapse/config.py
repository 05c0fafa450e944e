"""Write a homeserver config for a throw-away Synapse on loopback.

JSON is valid YAML, so the config is written with ``json`` and the project
needs no YAML library. Rate limits are set so high that tests never meet
them; a test that wants a low limit overrides it for one user through the
admin API (see ``SynapseServer.set_ratelimit``).
"""

from __future__ import annotations

import json
import secrets
import socket
from pathlib import Path
from typing import Any

__all__ = ["SERVER_NAME", "free_port", "write_config"]

SERVER_NAME = "localhost"
_HIGH = {"per_second": 100000, "burst_count": 1000000}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rate_limits() -> dict[str, Any]:
    return {
        "rc_message": _HIGH,
        "rc_registration": _HIGH,
        "rc_registration_token_validity": _HIGH,
        "rc_login": {"address": _HIGH, "account": _HIGH, "failed_attempts": _HIGH},
        "rc_joins": {"local": _HIGH, "remote": _HIGH},
        "rc_joins_per_room": _HIGH,
        "rc_invites": {"per_room": _HIGH, "per_user": _HIGH, "per_issuer": _HIGH},
        "rc_admin_redaction": _HIGH,
        "rc_3pid_validation": _HIGH,
        "rc_third_party_invite": _HIGH,
        "rc_media_create": _HIGH,
        "rc_federation": {
            "window_size": 1000,
            "sleep_limit": 1000,
            "sleep_delay": 1,
            "reject_limit": 1000,
            "concurrent": 1000,
        },
        "rc_key_requests": _HIGH,
        "rc_room_creation": _HIGH,
        "rc_reports": _HIGH,
        "rc_presence": {"per_user": _HIGH},
        "rc_delayed_event_mgmt": _HIGH,
    }


def _log_config(directory: Path) -> Path:
    path = directory / "log.yaml"
    config = {
        "version": 1,
        "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "plain",
                "filename": str(directory / "homeserver.log"),
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }
    path.write_text(json.dumps(config, indent=1))
    return path


def write_config(directory: Path, port: int, shared_secret: str) -> Path:
    """Write ``homeserver.yaml`` (and its log config) into ``directory``; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {
        "server_name": SERVER_NAME,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "log_config": str(_log_config(directory)),
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "registration_shared_secret": shared_secret,
        "macaroon_secret_key": secrets.token_hex(16),
        "form_secret": secrets.token_hex(16),
        "enable_registration": False,
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        "enable_metrics": False,
        "max_upload_size": "50M",
        **_rate_limits(),
    }
    path = directory / "homeserver.yaml"
    path.write_text(json.dumps(config, indent=1))
    return path
