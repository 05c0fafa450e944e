"""Shared fixtures: an engine core on a temporary database with the transcript surveys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.app import Core
from bot.staff.cli import main
from tests.harness import Citizen, Cli, Clock, make_config, make_core
from tests.storage_fixtures import BACKENDS, backend_url
from tests.transcript_surveys import ANONYM, PARK

# The real Synapse homeserver, started once per session for every Matrix test.
pytest_plugins = ["tests.synapse.fixtures"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cli(clock: Clock) -> Cli:
    """The command line on the test's clock, so a command never mixes the real time with the test's."""

    def run(*args: str | Path) -> int:
        return main([str(arg) for arg in args], clock=clock)

    return run


@pytest.fixture(params=BACKENDS)
def core(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Core]:
    """The engine on SQLite, and on PostgreSQL when MITWIRKEN_TEST_DATABASE_URL is set."""
    with backend_url(request.param, tmp_path) as url:
        config = make_config(tmp_path, {"park.toml": PARK, "anonym.toml": ANONYM}, database_url=url)
        core = make_core(config, clock)
        yield core
        core.close()


@pytest.fixture
def anna(core: Core) -> Citizen:
    return Citizen(core, "anna")


@pytest.fixture
def consented(anna: Citizen) -> Citizen:
    """Anna, who has agreed to the privacy notice and sees the menu."""
    anna.say("hallo")
    assert "Wobei möchten Sie mitmachen" in anna.say("1")
    return anna
