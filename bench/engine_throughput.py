"""Benchmark: answers per second through the whole engine, on SQLite and on PostgreSQL.

The terminal adapter's in-process path: ``Engine.deliver`` per answer (text
normalisation, answer parsing, one transaction with the de-duplication key,
progress, answer and the outbox row), many citizens at once as a messenger
would bring them. Prints the figures; it is not a test and asserts nothing
about speed.

    .venv/bin/python bench/engine_throughput.py [--citizens 50] [--answers 20]

PostgreSQL is measured when MITWIRKEN_TEST_DATABASE_URL is set (in a private
schema that is dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.base import Inbound  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.runtime.app import open_core  # noqa: E402
from tests.harness import make_config, text_survey  # noqa: E402
from tests.storage_fixtures import pg_schema  # noqa: E402


async def measure(url: str | None, folder: Path, citizens: int, answers: int) -> tuple[float, int, float]:
    """Answers per second, outbox rows written, and SQL statements per answer (transaction
    control — BEGIN, COMMIT — not counted: it is no statement that does work)."""
    config = make_config(folder, {"bench.toml": text_survey("bench", answers + 1)}, database_url=url)
    core = open_core(load_config(config, {}))
    counter = iter(range(10**9))

    def inbound(who: int, text: str) -> Inbound:
        return Inbound("terminal", f"c{who}", f"c{who}", f"e{next(counter)}", text=text)

    try:
        for who in range(citizens):  # consent and open the survey: not measured
            for text in ("hallo", "1", "start bench"):
                await core.engine.deliver(inbound(who, text))

        async def citizen(who: int) -> None:
            for n in range(answers):
                await core.engine.deliver(inbound(who, f"Antwort {n} von Person {who}"))

        statements = 0

        def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            nonlocal statements
            statements += not statement.lstrip().upper().startswith(("BEGIN", "COMMIT"))

        engine = core.store._engine
        sa.event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        await asyncio.gather(*(citizen(who) for who in range(citizens)))
        elapsed = time.perf_counter() - started
        sa.event.remove(engine, "before_cursor_execute", count)
        total = citizens * answers
        return total / elapsed, core.store.outbox_pending("terminal"), statements / total
    finally:
        core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--answers", type=int, default=20)
    args = parser.parse_args()
    total = args.citizens * args.answers
    print(f"{args.citizens} citizens × {args.answers} answers = {total} answers through Engine.deliver")
    with tempfile.TemporaryDirectory() as tmp:
        rate, queued, per_answer = asyncio.run(measure(None, Path(tmp), args.citizens, args.answers))
        print(f"SQLite      {rate:8.1f} answers/s   ({queued} outbox rows written, {per_answer:.1f} statements/answer)")
        sqlite_rate = rate
    base = os.environ.get("MITWIRKEN_TEST_DATABASE_URL")
    if not base:
        print("PostgreSQL  not measured: MITWIRKEN_TEST_DATABASE_URL is not set")
        return
    with tempfile.TemporaryDirectory() as tmp, pg_schema(base) as url:
        rate, queued, per_answer = asyncio.run(measure(url, Path(tmp), args.citizens, args.answers))
        print(f"PostgreSQL  {rate:8.1f} answers/s   ({queued} outbox rows written, {per_answer:.1f} statements/answer)")
        print(f"ratio PostgreSQL/SQLite: {rate / sqlite_rate:.2f}")


if __name__ == "__main__":
    main()
