"""Two workers on one PostgreSQL behind one reverse proxy (webhook mode); the one that sends and runs
the scheduler is SIGKILLed mid-traffic. The survivor takes over: every answer stored once, every
citizen finishes, and only a reply the killed worker had handed to Telegram but not yet marked sent
can go out twice (Telegram has no idempotency key for sendMessage)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.pg_cluster import PgCluster, pg_cluster  # noqa: F401  (a pytest fixture)
from tests.telegram_double import start_double_process
from tests.telegram_double.citizens import SimulatedCitizens, stored_answers, survey_file
from tests.telegram_double.workers import Deployment

pytestmark = pytest.mark.slow

CITIZENS, QUESTIONS = 100, 10
FAST = ("--max-per-second", "1000", "--per-chat-per-second", "100")


def test_sigkill_of_the_leading_worker_of_two(tmp_path: Path, pg_cluster: PgCluster) -> None:  # noqa: F811
    process, double = start_double_process(*FAST)
    deployment = Deployment(tmp_path, double, pg_cluster.url, survey_file(QUESTIONS), 2)
    try:
        deployment.start(0, wait_for="scheduler: this process runs the scheduled jobs")
        deployment.start(1)
        crowd = SimulatedCitizens(double, CITIZENS)
        crowd.begin()
        deadline = time.monotonic() + 300
        crowd.run(deadline, stop_after_answers=300)
        deployment.workers[0].kill()
        killed_at = time.monotonic()
        crowd.run(deadline)
        assert crowd.all_finished(), deployment.workers[1].tail()
        survivor_log = deployment.workers[1].tail()
        events = double.events(0)
    finally:
        deployment.close()
        process.terminate()
        process.wait(10)

    stored = stored_answers(pg_cluster.url)
    assert sorted(stored.values()) == [1] * CITIZENS * QUESTIONS, "every answer stored once"
    repeated = 0
    for chat, asked in crowd.questions_received.items():
        assert asked == sorted(asked) and sorted(set(asked)) == list(range(1, QUESTIONS + 1)), (chat, asked)
        repeated += len(asked) - len(set(asked))
    assert repeated <= 64, "at most the rows the killed sender had in hand (its concurrency)"
    assert "scheduler: this process runs the scheduled jobs" in survivor_log, "the survivor leads the scheduler"
    first_after = min(e["at"] for e in events if e["kind"] in ("message", "edit") and e["at"] > killed_at + 0.5)
    print(
        f"two workers, leader killed after 300 answers: {CITIZENS * QUESTIONS} answers stored once, "
        f"{repeated} question(s) sent twice, first reply {first_after - killed_at:.2f} s after the kill"
    )
