"""Benchmark: answers per second through the whole engine, on SQLite and on PostgreSQL.

The terminal adapter's in-process path: ``Engine.deliver`` per answer (text
normalisation, answer parsing, the de-duplication key, progress, answer and the
outbox row in a transaction shared with the turns of the other citizens who
wait at that moment), many citizens at once as a messenger would bring them.
The core is settled as ``mitwirken run`` settles it before it serves (``settle_heap``: start-up's
objects frozen, out of the cycle collector's way). Prints the figures; it is not a test and
asserts nothing about speed.

    .venv/bin/python bench/engine_throughput.py [--citizens 50] [--answers 20] [--rounds 5]

PostgreSQL is measured when MITWIRKEN_TEST_DATABASE_URL is set (in a private
schema that is dropped afterwards). Beside each rate stands the floor: the same five statements
per answer written with the bare driver (sqlite3, psycopg), one transaction per answer, on the
same database right afterwards — and the engine's share of it. Each backend is measured
``--rounds`` times, each round on a fresh database; every round is printed, and the medians.
The floor writes the rows the engine wrote (each citizen's progress as it stood after each
answer, the replies the outbox holds, both serialised in the loop) and reads the participant
with their open response as the engine does: smaller rows or a simpler lookup would measure
a floor the engine can't have.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.base import Inbound  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.runtime.app import open_core, settle_heap  # noqa: E402
from tests.harness import make_config, text_survey  # noqa: E402
from tests.storage_fixtures import pg_schema  # noqa: E402


def bare_driver_rate(engine: sa.Engine, total: int) -> float:
    """Answers per second for the same five statements through the DBAPI connection itself,
    writing the rows the engine wrote: each citizen's answers into their response, the progress
    as it stood after each answer, the replies the outbox holds (serialised in the loop, as the
    engine must), and the same lookup of the participant with their open response."""
    sqlite = engine.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    with engine.connect() as conn:
        citizens = conn.execute(
            sa.text(
                "SELECT contact.user_hash, response.id, response.progress FROM contact "
                "JOIN response ON response.participant_id = contact.participant_id ORDER BY response.id"
            )
        ).all()
        payloads = [json.loads(p) for (p,) in conn.execute(sa.text("SELECT payload FROM outbox ORDER BY id"))]
    # the progress of each citizen after each of their answers, from the last one stored
    stages = []
    for _, _, stored in citizens:
        final = json.loads(stored) if isinstance(stored, str) else stored
        history, answers = final["history"], final["answers"]
        stages.append(
            [
                {
                    **final,
                    "current": history[k] if k < len(history) else None,
                    "history": history[:k],
                    "answers": {q: answers[q] for q in history[:k]},
                }
                for k in range(1, len(history) + 1)
            ]
        )
    process = "'$.process'" if sqlite else "'process'"
    find = (
        "SELECT participant.*, contact.address, contact.active, current_response.* FROM participant "
        "JOIN contact ON contact.participant_id = participant.id "
        "LEFT OUTER JOIN response AS current_response ON current_response.id = (SELECT max(response.id) "
        "FROM response WHERE response.participant_id = participant.id AND response.process_id = "
        + (f"json_extract(participant.state, {process}))" if sqlite else f"(participant.state ->> {process}))")
        + f" WHERE contact.channel = {mark} AND contact.user_hash = {mark}"
        + ("" if sqlite else " FOR UPDATE OF participant")
    )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        moment = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)  # the floor's own rows: any fixed time
        stamp = moment.isoformat(sep=" ") if sqlite else moment
        for n in range(total):
            who = n % len(citizens)
            user_hash, response_id, _ = citizens[who]
            progress = stages[who][(n // len(citizens)) % len(stages[who])]
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(
                f"INSERT INTO processed_event (channel, event_id, processed_at) VALUES ({mark}, {mark}, {mark}) "
                "ON CONFLICT DO NOTHING",
                ("floor", f"f{n}", stamp),
            )
            cursor.execute(find, ("terminal", user_hash))
            cursor.fetchall()
            cursor.execute(
                "INSERT INTO answer (response_id, question_id, question_type, value, other_text, answered_at) "
                f"VALUES ({mark}, {mark}, 'text', {mark}, NULL, {mark}) "
                "ON CONFLICT (response_id, question_id) DO UPDATE SET value = excluded.value",
                (response_id, f"floor{n}", json.dumps(f"Antwort {n} von Person {who}"), stamp),
            )
            cursor.execute(
                f"UPDATE response SET progress = {mark}, updated_at = {mark} WHERE id = {mark}",
                (json.dumps(progress), stamp, response_id),
            )
            payload = json.dumps(payloads[n % len(payloads)], ensure_ascii=False, separators=(",", ":"))
            cursor.execute(
                "INSERT INTO outbox (channel, address, payload, participant_id, created_at, not_before, attempts, "
                f"status, txn_id) VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, {mark}, 0, 'pending', {mark})",
                ("floor", "floor", payload, None, stamp, stamp, f"floor-{n}"),
            )
            raw.commit()
        return total / (time.perf_counter() - started)
    finally:
        raw.close()


async def measure(url: str | None, folder: Path, citizens: int, answers: int) -> tuple[float, int, float, float]:
    """Answers per second, outbox rows written, SQL statements per answer (transaction control —
    BEGIN, COMMIT — not counted: it is no statement that does work), and the floor's rate.
    The statements are counted on two more answers of each citizen after the timed ones, so
    that the counting listener costs the timed answers nothing."""
    counted = 2
    survey = text_survey("bench", answers + counted + 1)
    config = make_config(folder, {"bench.toml": survey}, database_url=url)
    core = open_core(load_config(config, {}))
    settle_heap()  # as `mitwirken run` and `chat` do before they serve
    counter = iter(range(10**9))

    def inbound(who: int, text: str) -> Inbound:
        return Inbound("terminal", f"c{who}", f"c{who}", f"e{next(counter)}", text=text)

    async def answering(first: int, last: int) -> None:
        async def citizen(who: int) -> None:
            for n in range(first, last):
                await core.engine.deliver(inbound(who, f"Antwort {n} von Person {who}"))

        await asyncio.gather(*(citizen(who) for who in range(citizens)))

    try:
        for who in range(citizens):  # consent and open the survey: not measured
            for text in ("hallo", "1", "start bench"):
                await core.engine.deliver(inbound(who, text))
        started = time.perf_counter()
        await answering(0, answers)
        elapsed = time.perf_counter() - started
        total = citizens * answers
        queued = core.store.outbox_pending("terminal")

        statements = 0

        def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            nonlocal statements
            statements += not statement.lstrip().upper().startswith(("BEGIN", "COMMIT"))

        engine = core.store._engine
        sa.event.listen(engine, "before_cursor_execute", count)
        await answering(answers, answers + counted)
        sa.event.remove(engine, "before_cursor_execute", count)
        return total / elapsed, queued, statements / (citizens * counted), bare_driver_rate(engine, total)
    finally:
        core.close()


Place = Callable[[], ContextManager[str | None]]
"""Where a round's database is: None for a fresh SQLite file, or a PostgreSQL schema of its own."""


def backend(label: str, driver: str, place: Place, args: argparse.Namespace) -> float:
    """Measure one backend ``args.rounds`` times, each round on a fresh database with the floor
    right after the engine; print every round and the medians. Returns the median rate."""
    rounds = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp, place() as url:
            rounds.append(asyncio.run(measure(url, Path(tmp), args.citizens, args.answers)))
    for number, (rate, _, _, floor) in enumerate(rounds, 1):
        print(f"  round {number}: engine {rate:8.1f}   bare {driver} {floor:8.1f}   engine / floor: {rate / floor:.2f}")
    rate = statistics.median(r[0] for r in rounds)
    floor = statistics.median(r[3] for r in rounds)
    share = statistics.median(r[0] / r[3] for r in rounds)
    _, queued, per_answer, _ = rounds[-1]
    print(f"{label:<11} {rate:8.1f} answers/s   ({queued} outbox rows written, {per_answer:.1f} statements/answer)")
    print(f"  bare {driver} {floor:8.1f} answers/s   engine / floor: {share:.2f} (median of the rounds' ratios)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5, help="engine and floor measured this often; medians printed")
    args = parser.parse_args()
    total = args.citizens * args.answers
    print(
        f"{args.citizens} citizens × {args.answers} answers = {total} answers through Engine.deliver, "
        f"{args.rounds} rounds"
    )
    sqlite_rate = backend("SQLite", "sqlite3", lambda: contextlib.nullcontext(None), args)
    base = os.environ.get("MITWIRKEN_TEST_DATABASE_URL")
    if not base:
        print("PostgreSQL  not measured: MITWIRKEN_TEST_DATABASE_URL is not set")
        return
    rate = backend("PostgreSQL", "psycopg", lambda: pg_schema(base), args)
    print(f"ratio PostgreSQL/SQLite: {rate / sqlite_rate:.2f}")


if __name__ == "__main__":
    main()
