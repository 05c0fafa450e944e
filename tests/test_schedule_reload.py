"""Process files changed while the bot runs: picked up without a restart; a broken file keeps the old version."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.process_files import Catalog
from bot.runtime.app import Core
from bot.scheduled.hot_reload import CatalogWatcher
from tests.harness import Citizen, Cli, Clock
from tests.schedule_helpers import consent, schedule_config, schedule_core, timed_survey


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


def test_a_copied_file_with_the_same_id_never_replaces_the_live_one(
    core: Core, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A draft copied from a live survey ("a-kopie" sorts before the original) is refused, naming both files."""
    anna = consent(core, "anna")
    folder = tmp_path / "surveys"
    watch = watcher(core)
    (folder / "b.toml").write_text(timed_survey("umfrage-b"))
    assert watch.check()
    copy = timed_survey("umfrage-b").replace("Umfrage umfrage-b", "Entwurf der Kopie")
    (folder / "a-kopie.toml").write_text(copy)
    with caplog.at_level(logging.WARNING):
        assert watch.check()
    served = core.engine.catalog.get("umfrage-b")
    assert served is not None and served.source == str(folder / "b.toml"), "the live file keeps serving"
    assert "Entwurf der Kopie" not in anna.say("menü") and "Umfrage umfrage-b" in anna.say("menü")
    id_line = copy.splitlines().index('id = "umfrage-b"') + 1
    (problem,) = [p for p in core.engine.catalog.problems if p.place == "id"]
    assert problem.file == str(folder / "a-kopie.toml") and problem.line == id_line
    assert f"already used by {folder / 'b.toml'}:{id_line}" in problem.message
    assert f"{folder / 'a-kopie.toml'}:{id_line}: id: the id 'umfrage-b'" in caplog.text
    (folder / "a-kopie.toml").write_text(copy.replace("Frage?", "Frage? (geändert)"))
    assert watch.check()
    assert core.engine.catalog.get("umfrage-b").source == str(folder / "b.toml"), "and after the copy is edited"


def test_check_counts_two_files_with_one_id_as_a_problem(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "surveys"
    config = schedule_config(
        tmp_path,
        {"b.toml": timed_survey("umfrage-b"), "a-kopie.toml": timed_survey("umfrage-b")},
        f"sqlite:///{tmp_path / 'c.db'}",
    )
    assert cli("check", "--config", config) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'b.toml'}:" in out and "id: the id 'umfrage-b' is already used by" in out
    assert f"{folder / 'a-kopie.toml'}:" in out
