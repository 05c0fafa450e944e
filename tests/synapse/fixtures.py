"""pytest fixtures around one Synapse per test session (per importing module).

Import them into a test module: ``from tests.synapse.fixtures import synapse``.
If Synapse cannot be installed the tests skip with the reason, except under
CI (``CI=true``), where a missing homeserver must fail the run loudly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.synapse.install import SynapseInstallError
from tests.synapse.server import SynapseServer, SynapseUnavailable

__all__ = ["synapse"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """A running Synapse on 127.0.0.1 with server_name ``localhost``."""
    server = SynapseServer(Path(tmp_path_factory.mktemp("synapse")))
    try:
        server.start()
    except (SynapseInstallError, SynapseUnavailable, OSError) as exc:
        server.stop()
        if _in_ci():
            raise
        pytest.skip(f"Synapse is not available here: {exc}")
    try:
        yield server
    finally:
        server.stop()
