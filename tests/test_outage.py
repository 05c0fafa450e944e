"""The database goes away under traffic and comes back: ``mitwirken run`` (a real process, against
the Telegram double) resumes by itself, loses nothing, sends nothing twice, and says so in its log
once — a WARNING when the database is gone, an INFO when it is back, no tracebacks.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pg_cluster import PgCluster, pg_cluster  # noqa: F401  (a pytest fixture)
from tests.telegram_double import start_double_process
from tests.telegram_double.citizens import (
    OUTRO,
    BotProcess,
    SimulatedCitizens,
    stored_answers,
    survey_file,
    write_config,
)

pytestmark = pytest.mark.slow

CITIZENS, QUESTIONS = 30, 10
OUTAGE_SECONDS = 20.0
FAST = ("--max-per-second", "1000", "--per-chat-per-second", "100")


def run_through_an_outage(
    folder: Path, url: str, go_away: Callable[[], None], come_back: Callable[[], None]
) -> dict[str, float]:
    """30 citizens answer 10 questions; after 100 answers the database is away for 20 s."""
    process, double = start_double_process(*FAST)
    config = write_config(
        folder, double, survey=survey_file(QUESTIONS), per_second=1000, per_chat=100, database_url=url
    )
    bot = BotProcess(config)
    try:
        bot.start()
        crowd = SimulatedCitizens(double, CITIZENS)
        crowd.begin()
        deadline = time.monotonic() + 240
        crowd.run(deadline, stop_after_answers=100)
        before = crowd.answers_sent
        go_away()
        away_until = time.monotonic() + OUTAGE_SECONDS
        while time.monotonic() < away_until:  # citizens go on answering what they were asked
            if not crowd.step():
                time.sleep(0.05)
        answered_while_away = crowd.answers_sent - before
        come_back()
        back_at = time.monotonic()
        crowd.run(deadline)
        assert crowd.all_finished(), bot.tail()
        assert bot.stop() == 0
        events = double.events(0)
    finally:
        bot.stop()
        process.terminate()
        process.wait(10)

    stored = stored_answers(url)
    assert sorted(stored.values()) == [1] * CITIZENS * QUESTIONS, "every answer stored once"
    assert set(stored) == {f"antwort-{chat}-{n}" for chat in crowd.citizens for n in range(1, QUESTIONS + 1)}
    for chat, asked in crowd.questions_received.items():
        assert asked == list(range(1, QUESTIONS + 1)), (chat, asked)  # each question once: no reply sent twice
    outros = Counter(e["chat_id"] for e in events if e["kind"] == "message" and OUTRO in (e["text"] or ""))
    assert outros == dict.fromkeys(crowd.citizens, 1)

    log = bot.log.read_text(errors="replace")
    for trouble in ("Traceback", "Task exception was never retrieved", "Unclosed"):
        assert trouble not in log, log[-4000:]
    assert log.count("the database is unreachable since") == 1, log[-4000:]
    assert log.count("the database answers again after") == 1, log[-4000:]
    first_after = min(e["at"] for e in events if e["kind"] in ("message", "edit") and e["at"] > back_at)
    return {
        "answers_before_outage": before,
        "answers_sent_while_away": answered_while_away,
        "seconds_to_first_reply": round(first_after - back_at, 2),
    }


def test_a_postgresql_outage_of_20_seconds_under_traffic(tmp_path: Path, pg_cluster: PgCluster) -> None:  # noqa: F811
    figures = run_through_an_outage(tmp_path, pg_cluster.url, pg_cluster.stop, pg_cluster.start)
    print("postgresql outage:", figures)
    assert figures["seconds_to_first_reply"] < 10, figures  # back within seconds, not after a restart


LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


def test_sqlite_locked_by_another_process_for_20_seconds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    locker: list[subprocess.Popen[str]] = []

    def lock() -> None:
        proc = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(tmp_path / "bot.db")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        locker.append(proc)

    def unlock() -> None:
        proc = locker.pop()
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(10)

    figures = run_through_an_outage(tmp_path, url, lock, unlock)
    print("sqlite locked:", figures)
    assert figures["seconds_to_first_reply"] < 10, figures
