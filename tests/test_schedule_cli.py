"""``mitwirken announce`` (with ``--dry-run``) and ``mitwirken jobs``, run through the real command line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.runtime.app import sweep_context
from bot.scheduled.scheduler import Runtime, SchedulerService
from tests.harness import Cli, Clock
from tests.schedule_helpers import consent, schedule_config, schedule_core, timed_survey

NO_QUIET = '\n[reminders]\nquiet_hours = ""\n'


@pytest.fixture
def config(tmp_path: Path, clock: Clock) -> Path:
    surveys = {"v.toml": timed_survey("verkehr-jetzt", topics='["verkehr"]')}
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    core = schedule_core(tmp_path, surveys, url, clock, extra=NO_QUIET)
    for name in ("anna", "ben"):
        citizen = consent(core, name)
        citizen.say("themen")
        citizen.say("1")
    consent(core, "cara")  # follows nothing
    core.close()
    return schedule_config(tmp_path, surveys, url, extra=NO_QUIET)


def test_announce_dry_run_prints_the_number_and_sends_nothing(
    cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("--config", str(config), "announce", "verkehr-jetzt", "--dry-run") == 0
    assert "2 participant(s) would be invited to verkehr-jetzt (dry run: nothing was sent)" in capsys.readouterr().out
    assert cli("--config", str(config), "announce", "verkehr-jetzt") == 0
    said = capsys.readouterr().out
    assert "2 invitation(s) to verkehr-jetzt queued; 0 left out over the weekly cap" in said
    assert "2 messages are queued; they go out at once while 'mitwirken run' is running." in said
    assert cli("--config", str(config), "announce", "verkehr-jetzt", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "0 participant(s) would be invited" in out, "nobody is invited twice"
    assert "follow everything or one of the topics verkehr" in out and "each only once" in out


def test_announce_of_an_unknown_process_is_one_sentence(
    cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("--config", str(config), "announce", "gibt-es-nicht") == 2
    assert "no process file with id 'gibt-es-nicht' (known: verkehr-jetzt)" in capsys.readouterr().err


def test_jobs_lists_what_the_scheduler_stored(
    cli: Cli, clock: Clock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("--config", str(config), "jobs") == 0
    assert "No jobs are stored yet" in capsys.readouterr().out
    core = schedule_core(config.parent, {}, f"sqlite:///{config.parent / 'cli.db'}", clock, extra=NO_QUIET)

    async def lead_briefly() -> None:
        service = SchedulerService(Runtime(sweep_context(core), lambda: core.engine.catalog, clock))
        stop = asyncio.Event()
        task = asyncio.create_task(service.run(stop))
        await asyncio.wait_for(service.leading.wait(), 10)
        stop.set()
        await task

    try:
        asyncio.run(lead_briefly())
    finally:
        core.close()
    assert cli("--config", str(config), "jobs") == 0
    out = capsys.readouterr().out
    assert "sweep" in out and "retention" in out and "digest" in out


def test_digest_time_is_checked(tmp_path: Path) -> None:
    from bot.config import ConfigError, load_config

    good = schedule_config(tmp_path, {}, "sqlite:///x.db", extra='\n[reminders]\ndigest_time = "07:30"\n')
    assert str(load_config(good, {}).reminders.digest_time) == "07:30:00"
    off = schedule_config(tmp_path, {}, "sqlite:///x.db", extra='\n[reminders]\ndigest_time = ""\n')
    assert load_config(off, {}).reminders.digest_time is None
    bad = schedule_config(tmp_path, {}, "sqlite:///x.db", extra='\n[reminders]\ndigest_time = "8 Uhr"\n')
    with pytest.raises(ConfigError, match="'8 Uhr' is not a time of day"):
        load_config(bad, {})


def test_announce_in_the_quiet_hours_says_when_the_invitations_go_out(
    cli: Cli, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    surveys = {"v.toml": timed_survey("verkehr-jetzt", topics='["verkehr"]')}
    url = f"sqlite:///{tmp_path / 'quiet.db'}"
    core = schedule_core(tmp_path, surveys, url, clock)
    citizen = consent(core, "anna")
    citizen.say("themen")
    citizen.say("1")
    core.close()
    clock.now = clock.now.replace(hour=21, minute=15)  # 22:15 in Dortmund, quiet from 21:00 to 08:00
    assert cli("announce", "verkehr-jetzt", "--config", schedule_config(tmp_path, surveys, url)) == 0
    said = capsys.readouterr().out
    assert "1 message is queued; it goes out at 12/2/26, 8:00\u202fAM, after the quiet hours." in said
