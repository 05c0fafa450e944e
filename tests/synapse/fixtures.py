"""pytest fixtures around one Synapse per test session (per importing module).

``tests/conftest.py`` registers this module as a plugin, so every test can
ask for ``synapse`` (the server) and ``matrix_world`` (bots and citizens on it).
If Synapse cannot be installed the tests skip with the reason, except under
CI (``CI=true``), where a missing homeserver must fail the run loudly.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.synapse.install import SynapseInstallError
from tests.synapse.server import SynapseServer, SynapseUnavailable

__all__ = ["matrix_world", "synapse"]


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


@pytest.fixture
async def matrix_world(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """``await matrix_world("bot")`` or ``await matrix_world("citizen", bot)``; all stopped at the end."""
    # imported here: loading matrix-nio is only worth it for the tests that use it
    from tests.synapse.citizen import Citizen
    from tests.synapse.harness import Bot

    bots: list[Bot] = []
    citizens: list[Citizen] = []

    async def make(kind: str, bot: Bot | None = None) -> Any:
        if kind == "bot":
            made = Bot(synapse, synapse.register(), tmp_path / f"store-{len(bots)}")
            bots.append(made)
            return made
        assert bot is not None
        citizen = await Citizen.create(synapse, tmp_path / "citizens", bot.account.user_id)
        citizens.append(citizen)
        return citizen

    yield make
    for bot in bots:
        await bot.stop()
    for citizen in citizens:
        await citizen.close()
