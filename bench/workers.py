"""Benchmark: answers per second with one and with two ``mitwirken run`` workers on one PostgreSQL.

Webhook mode behind one reverse proxy (``tests/telegram_double/proxy.py``), 100 citizens of the
Telegram double answering a ten-question survey, each setup on a PostgreSQL cluster of its own
(Debian's initdb/pg_ctl). Both are measured in one run, side by side, and the ratio is printed.
It asserts nothing about speed.

    .venv/bin/python bench/workers.py [--citizens 100] [--questions 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.pg_cluster import running_cluster  # noqa: E402
from tests.telegram_double import start_double_process  # noqa: E402
from tests.telegram_double.citizens import SimulatedCitizens, survey_file  # noqa: E402
from tests.telegram_double.workers import Deployment  # noqa: E402

FAST = ("--max-per-second", "1000", "--per-chat-per-second", "100")


def measure(workers: int, citizens: int, questions: int) -> float:
    """Answers per second from the first /start to the last citizen's outro."""
    with tempfile.TemporaryDirectory() as folder, running_cluster() as cluster:
        process, double = start_double_process(*FAST)
        deployment = Deployment(Path(folder), double, cluster.url, survey_file(questions), workers)
        try:
            for index in range(workers):
                deployment.start(index)
            crowd = SimulatedCitizens(double, citizens)
            began = time.monotonic()
            crowd.begin()
            crowd.run(began + 600)
            elapsed = time.monotonic() - began
            if not crowd.all_finished():
                raise SystemExit(f"not everybody finished with {workers} worker(s)")
        finally:
            deployment.close()
            process.terminate()
            process.wait(10)
    return citizens * questions / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=100)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    one = measure(1, args.citizens, args.questions)
    two = measure(2, args.citizens, args.questions)
    print(f"{args.citizens} citizens × {args.questions} answers, webhook mode behind one proxy, PostgreSQL")
    print(f"1 worker:  {one:7.1f} answers/s")
    print(f"2 workers: {two:7.1f} answers/s")
    print(f"ratio 2/1: {two / one:7.2f}")


if __name__ == "__main__":
    main()
