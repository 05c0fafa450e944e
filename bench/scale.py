"""Benchmark: does an answer cost the same with 100 or 10,000 participants, 1,000 or 1,000,000 answers
stored — and how much memory does ``mitwirken run`` take with 10,000 participants mid-survey?

The stored participants are copies of one real participant whom the engine took through the
consent and the first questions (same rows, same progress, each with its own id, pseudonym and
keyed sender hash), so the copies are participants the engine finds and continues like any other.

curve: for each size, 50 of the stored participants answer 10 questions each through
``Engine.deliver`` (all at once, as in bench/engine_throughput.py), in ``--rounds`` rounds
(default 5) that take the sizes in turn; printed: ms per answer, the median of the rounds and
the fastest and slowest round.

rss: ``mitwirken run`` against the Telegram double (limits raised, as in bench/telegram_throughput.py)
with 10,000 participants stored mid-survey; every one of them answers their open question, the
bot sends the next one; printed: the process's peak RSS (VmHWM) before and after, and answers/s.

    .venv/bin/python bench/scale.py [curve] [rss] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.base import Inbound  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.runtime.app import Core, open_core, settle_heap  # noqa: E402
from storage.identifiers import new_participant_id, user_hash  # noqa: E402
from storage.tables import answer_table, contact_table, participant_table, response_table  # noqa: E402
from tests.harness import make_config, text_survey  # noqa: E402

SIZES = ((100, 1_000), (1_000, 10_000), (10_000, 10_000), (10_000, 100_000), (10_000, 1_000_000))
MEASURED, ANSWERS = 50, 10
CHUNK = 20_000


def template(core: Core, channel: str, sender: str, answered: int) -> None:
    """One real participant: consent, the survey opened, ``answered`` questions answered."""
    events = itertools.count()

    async def walk() -> None:
        for text in ("hallo", "1", "start scale", *(f"Antwort {n}" for n in range(answered))):
            await core.engine.deliver(Inbound(channel, sender, sender, f"t{next(events)}", text=text))

    asyncio.run(walk())


def copy_participant(core: Core, channel: str, sender: str, senders: list[str]) -> None:
    """Store a copy of the participant of ``sender`` for each of ``senders``."""
    engine = core.store._engine
    with engine.begin() as conn:
        contact = (
            conn.execute(
                sa.select(contact_table).where(contact_table.c.user_hash == user_hash(core.secret, channel, sender))
            )
            .one()
            ._asdict()
        )
        participant = (
            conn.execute(sa.select(participant_table).where(participant_table.c.id == contact["participant_id"]))
            .one()
            ._asdict()
        )
        response = (
            conn.execute(sa.select(response_table).where(response_table.c.participant_id == participant["id"]))
            .one()
            ._asdict()
        )
        answers = [
            a._asdict()
            for a in conn.execute(sa.select(answer_table).where(answer_table.c.response_id == response["id"]))
        ]
        next_response = int(conn.scalar(sa.select(sa.func.max(response_table.c.id))) or 0) + 1
    for start in range(0, len(senders), CHUNK):
        people: list[dict[str, Any]] = []
        contacts: list[dict[str, Any]] = []
        responses: list[dict[str, Any]] = []
        answer_rows: list[dict[str, Any]] = []
        for n, who in enumerate(senders[start : start + CHUNK], start=start):
            pid, pseudonym, rid = new_participant_id(), f"P-S{n:07d}", next_response + n
            people.append({**participant, "id": pid, "pseudonym": pseudonym})
            contacts.append(
                {
                    **contact,
                    "id": None,
                    "participant_id": pid,
                    "user_hash": user_hash(core.secret, channel, who),
                    "address": who,
                }
            )
            responses.append({**response, "id": rid, "participant_id": pid, "pseudonym": pseudonym})
            answer_rows += [{**a, "id": None, "response_id": rid} for a in answers]
        with engine.begin() as conn:
            conn.execute(participant_table.insert(), people)
            conn.execute(contact_table.insert(), [{k: v for k, v in c.items() if k != "id"} for c in contacts])
            conn.execute(response_table.insert(), responses)
            if answer_rows:
                conn.execute(answer_table.insert(), [{k: v for k, v in a.items() if k != "id"} for a in answer_rows])


class Size:
    """One point of the curve: a database of its own with ``participants`` stored, ``stored``
    answers among them; each round, the same ``MEASURED`` of them answer ``ANSWERS`` more."""

    def __init__(self, folder: Path, participants: int, stored: int, rounds: int) -> None:
        self.participants, self.stored = participants, stored
        per_participant = max(1, stored // participants)
        questions = per_participant + ANSWERS * rounds + 2
        config = make_config(folder, {"scale.toml": text_survey("scale", questions)})
        self.core = open_core(load_config(config, {}))
        template(self.core, "terminal", "vorlage", per_participant)
        senders = [f"s{n}" for n in range(participants - 1)]
        copy_participant(self.core, "terminal", "vorlage", senders)
        self.chosen = senders[:: max(1, len(senders) // MEASURED)][:MEASURED]
        self.events = itertools.count()
        self.answered = 0

    def ms_per_answer(self) -> float:
        """One round, timed: the chosen participants answer at once."""
        first, self.answered = self.answered, self.answered + ANSWERS

        async def citizen(who: str) -> None:
            for n in range(first, self.answered):
                inbound = Inbound("terminal", who, who, f"m{next(self.events)}", text=f"Antwort {n}")
                await self.core.engine.deliver(inbound)

        began = time.perf_counter()
        asyncio.run(_gather(citizen(who) for who in self.chosen))
        return (time.perf_counter() - began) / (len(self.chosen) * ANSWERS) * 1000


async def _gather(coroutines: Any) -> None:
    await asyncio.gather(*coroutines)


def curve(rounds: int) -> None:
    """Every size built first, then measured in ``rounds`` rounds that take each size in turn, so
    that a machine growing busier or quieter meanwhile weighs on every point alike."""
    print(
        f"{MEASURED} stored participants answer {ANSWERS} questions each, at once, through Engine.deliver (SQLite); "
        f"{rounds} rounds over all sizes in turn"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sizes: list[Size] = []
        try:
            for number, (participants, stored) in enumerate(SIZES):
                sizes.append(Size(Path(tmp) / str(number), participants, stored, rounds))
            settle_heap()  # as `mitwirken run` does before it serves
            times: list[list[float]] = [[] for _ in sizes]
            for _ in range(rounds):
                for size, measured in zip(sizes, times, strict=True):
                    measured.append(size.ms_per_answer())
        finally:
            for size in sizes:
                size.core.close()
    print(f"{'participants':>12} {'answers stored':>15} {'ms/answer':>10}   (median of the rounds; fastest–slowest)")
    for size, measured in zip(sizes, times, strict=True):
        print(
            f"{size.participants:>12,} {size.stored:>15,} {statistics.median(measured):>10.2f}   "
            f"({min(measured):.2f}–{max(measured):.2f})"
        )


def peak_rss(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def rss(participants: int = 10_000) -> None:
    from tests.telegram_double import start_double_process
    from tests.telegram_double.citizens import BotProcess, write_config

    process, double = start_double_process("--max-per-second", "5000", "--per-chat-per-second", "100")
    folder = Path(tempfile.mkdtemp(prefix="scale-rss-"))
    config = write_config(folder, double, survey=text_survey("scale", 8), per_second=5000, per_chat=100)
    core = open_core(load_config(config, {}))
    chats = [str(100_000 + n) for n in range(participants)]
    template(core, "telegram", chats[0], 3)
    copy_participant(core, "telegram", chats[0], chats[1:])
    core.close()
    bot = BotProcess(config)
    bot.start()
    try:
        time.sleep(3)
        assert bot.proc is not None
        idle = peak_rss(bot.proc.pid)
        seen = len(double.events())
        began = time.monotonic()
        for chat in chats:
            double.say(int(chat), "meine Antwort")
        replies = 0
        while replies < participants and time.monotonic() - began < 600:
            events = double.events(seen)
            seen += len(events)
            replies += sum(e["kind"] == "message" for e in events)
            if not events:
                time.sleep(0.05)
        elapsed = time.monotonic() - began
        busy = peak_rss(bot.proc.pid)
    finally:
        bot.stop()
        process.terminate()
        process.wait(10)
    print(f"mitwirken run, {participants:,} participants stored mid-survey, each answers once (Telegram double)")
    print(f"  RSS after start-up      {idle[0]:6d} MB (peak {idle[1]} MB)")
    print(f"  RSS after the answers   {busy[0]:6d} MB (peak {busy[1]} MB)")
    print(f"  {replies:,} replies in {elapsed:.1f} s: {replies / elapsed:.0f} answers/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help="curve, rss or both (the default)")
    parser.add_argument("--rounds", type=int, default=5, help="the curve's rounds over all sizes; medians printed")
    args = parser.parse_args()
    parts = args.parts or ["curve", "rss"]
    if unknown := set(parts) - {"curve", "rss"}:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose curve or rss")
    if "curve" in parts:
        curve(args.rounds)
    if "rss" in parts:
        rss()


if __name__ == "__main__":
    main()
