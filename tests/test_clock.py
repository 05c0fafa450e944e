"""The program reads the time in one place only (``bot.clock``), and every command takes the caller's clock.

A test that mixed the real clock with a fixed one passed before 10:00 UTC on the
test clock's day and failed after it; these tests keep that from coming back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.harness import Citizen, Cli, Clock, make_core
from tests.idea_harness import RAD, citizen, idea_config, ref_in

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = ("bot", "adapters", "surveys", "storage")
READS_THE_TIME = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|\btime\.time\(|datetime\.today\(")


def test_only_bot_clock_reads_the_machines_date() -> None:
    """Monotonic timers (pacing, back-off) are fine; the date and time of day come from ``bot.clock`` only."""
    readers = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in PROGRAM
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "bot" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if READS_THE_TIME.search(line)
    ]
    assert readers == [], "read the time from the injected clock instead:\n" + "\n".join(readers)


def outbox_times(core_url: str, needle: str) -> list[tuple[dt.datetime, dt.datetime]]:
    engine = sa.create_engine(core_url)
    try:
        with engine.connect() as db:
            rows = db.execute(
                sa.text("SELECT created_at, not_before FROM outbox WHERE payload LIKE :n"), {"n": f"%{needle}%"}
            ).all()
    finally:
        engine.dispose()
    return [(as_utc(created), as_utc(due)) for created, due in rows]


def as_utc(stored: object) -> dt.datetime:
    """SQLite hands back UTC times as naive text."""
    value = dt.datetime.fromisoformat(str(stored))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "now, due",
    [
        # far from any real date, in the day: the news is due at once
        (dt.datetime(2041, 3, 5, 11, 0, tzinfo=dt.UTC), dt.datetime(2041, 3, 5, 11, 0, tzinfo=dt.UTC)),
        # at 23:30 in Dortmund: it waits for the end of the quiet hours, 08:00 local (07:00 UTC)
        (dt.datetime(2041, 3, 5, 22, 30, tzinfo=dt.UTC), dt.datetime(2041, 3, 6, 7, 0, tzinfo=dt.UTC)),
    ],
)
def test_a_staff_command_takes_the_callers_clock(tmp_path: Path, now: dt.datetime, due: dt.datetime) -> None:
    clock = Clock(now)
    config = idea_config(tmp_path, None, {"rad.toml": RAD})
    core = make_core(config, clock)
    try:
        anna = citizen(core, "anna")
        anna.say("idee")
        anna.say("Radweg auf der Kaiserstraße markieren")
        ref = ref_in(anna.say("Kaiserstraße"))
    finally:
        core.close()

    from bot.staff.cli import main

    assert main(["moderate", ref, "status", "accepted", "--config", str(config)], clock=clock) == 0
    times = outbox_times(core.config.storage.url, f"Neues zu Idee {ref}")
    assert times == [(now, due)], "queued at the caller's time, due by the caller's quiet hours"
    clock.now = due
    core = make_core(config, clock)
    try:
        assert f"Neues zu Idee {ref}" in Citizen(core, "anna").say("hilfe")
    finally:
        core.close()


def test_the_cli_fixture_runs_commands_on_the_tests_clock(
    cli: Cli, clock: Clock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``announce`` refuses a process that has not opened by the test clock, whatever the real date."""
    config = idea_config(
        tmp_path,
        None,
        {
            "rad.toml": RAD.replace(
                'kind = "ideas"\n', f'kind = "ideas"\nopens = {(clock.now + dt.timedelta(days=1)).isoformat()}\n', 1
            )
        },
    )
    assert cli("announce", "ideen-rad", "--config", config) == 2
    assert "is not open now" in capsys.readouterr().err
    clock.advance(days=2)
    assert cli("announce", "ideen-rad", "--dry-run", "--config", config) == 0
