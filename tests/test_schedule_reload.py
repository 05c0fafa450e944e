"""Process files changed while the bot runs: picked up without a restart; a broken file keeps the old version."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import Core
from bot.hot_reload import CatalogWatcher
from bot.process_files import Catalog
from tests.harness import Citizen, Clock
from tests.schedule_helpers import consent, schedule_core, timed_survey


@pytest.fixture
def core(tmp_path: Path, clock: Clock) -> Core:
    opened = schedule_core(tmp_path, {"a.toml": timed_survey("umfrage-a")}, f"sqlite:///{tmp_path / 'r.db'}", clock)
    yield opened
    opened.close()


def watcher(core: Core) -> CatalogWatcher:
    def replace(catalog: Catalog) -> None:
        core.engine.catalog = catalog

    return CatalogWatcher(core.config.bot.surveys, core.config.bot.languages, lambda: core.engine.catalog, replace)


def test_a_changed_and_an_added_file_are_served_without_restart(core: Core, tmp_path: Path) -> None:
    anna = consent(core, "anna")
    watch = watcher(core)
    assert not watch.check(), "nothing changed"
    folder = tmp_path / "surveys"
    (folder / "a.toml").write_text(timed_survey("umfrage-a").replace("Erste Frage?", "Neue erste Frage?"))
    (folder / "b.toml").write_text(timed_survey("umfrage-b"))
    assert watch.check()
    assert "Umfrage umfrage-b" in anna.say("menü")
    assert "Neue erste Frage?" in anna.say("start umfrage-a")
    (folder / "b.toml").unlink()
    assert watch.check()
    assert "Umfrage umfrage-b" not in anna.say("menü")


def test_a_broken_file_is_logged_and_the_old_version_stays(
    core: Core, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    anna: Citizen = consent(core, "anna")
    watch = watcher(core)
    (tmp_path / "surveys" / "a.toml").write_text(timed_survey("umfrage-a").replace('type = "text"', 'type = "txet"', 1))
    with caplog.at_level(logging.WARNING):
        assert watch.check()
    assert "txet" in caplog.text and "its previous version of umfrage-a stays live" in caplog.text
    assert "Erste Frage?" in anna.say("start umfrage-a")
