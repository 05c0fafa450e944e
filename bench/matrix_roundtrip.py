"""Matrix round trips per second: citizen client → Synapse → bot → Synapse → client.

Two bots on the same throw-away Synapse in the same run:

* ``mitwirken run`` (the engine: one transaction per answer, the outbox, the
  Matrix adapter), with citizens answering a long text survey — one round
  trip is an answer and the next question arriving;
* a bare matrix-nio echo bot (``sync_forever`` + a callback), with citizens
  sending a message and waiting for its echo.

Usage: ``.venv/bin/python bench/matrix_roundtrip.py [--citizens 10] [--rounds 25] [--encrypted]``.
Keep ``--rounds`` at 26 or below: the engine's flood guard answers a citizen's
31st message within a minute with "please slow down" instead of the next
question (as it should), and the run would wait for a question that never comes.
Prints both figures; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, MatrixRoom, RoomMessageText  # noqa: E402

from tests.synapse.citizen import Citizen  # noqa: E402
from tests.synapse.program import MitwirkenRun, matrix_config  # noqa: E402
from tests.synapse.server import MatrixAccount, SynapseServer  # noqa: E402


class EchoBot:
    """The baseline: joins every invite and echoes every text, nothing stored."""

    def __init__(self, server: SynapseServer, account: MatrixAccount, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
        self.client = AsyncClient(server.url, account.user_id, store_path=str(store), config=config)
        self.client.restore_login(account.user_id, account.device_id, account.access_token)
        self.client.add_event_callback(self._invited, InviteMemberEvent)  # type: ignore[arg-type]
        self.client.add_event_callback(self._echo, RoomMessageText)  # type: ignore[arg-type]
        self.task: asyncio.Task[None] | None = None

    async def _invited(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.client.user_id and event.membership == "invite":
            await self.client.join(room.room_id)

    async def _echo(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender != self.client.user_id:
            content = {"msgtype": "m.text", "body": f"echo: {event.body}"}
            await self.client.room_send(room.room_id, "m.room.message", content, ignore_unverified_devices=True)

    async def start(self) -> None:
        await self.client.sync(timeout=0, full_state=True)  # skip history
        self.task = asyncio.create_task(self.client.sync_forever(timeout=30000))

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
        await self.client.close()


async def _timed_rounds(citizen: Citizen, room_id: str, rounds: int, prompt: str, answer: str) -> list[float]:
    latencies = []
    for n in range(1, rounds + 1):
        started = time.perf_counter()
        await citizen.say(room_id, answer.format(n=n))
        await citizen.expect(room_id, prompt.format(n=n + 1), timeout=120)
        latencies.append(time.perf_counter() - started)
    return latencies


async def _run_all(jobs: list[asyncio.Future[list[float]]]) -> tuple[float, list[float]]:
    started = time.perf_counter()
    results = await asyncio.gather(*jobs)
    return time.perf_counter() - started, [x for r in results for x in r]


def _report(name: str, elapsed: float, latencies: list[float]) -> None:
    rate = len(latencies) / elapsed
    median = statistics.median(latencies) * 1000
    p95 = sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000
    print(
        f"{name:<28} {len(latencies):5d} round trips in {elapsed:6.2f} s = {rate:7.1f}/s   "
        f"median {median:6.1f} ms   p95 {p95:6.1f} ms"
    )


async def bench_engine(server: SynapseServer, tmp: Path, citizens: int, rounds: int, encrypted: bool) -> None:
    survey = 'format = 1\nid = "bench"\ntitle = "Bench"\nlanguages = ["de"]\n' + "".join(
        f'\n[[questions]]\nid = "q{n}"\ntype = "text"\ntext = "Benchfrage {n}"\n' for n in range(1, rounds + 2)
    )
    bot = server.register()
    run = MitwirkenRun(matrix_config(tmp, server, bot, {"bench.toml": survey}, polls=False), bot)
    run.start()
    people = [await Citizen.create(server, tmp / "citizens", bot.user_id) for _ in range(citizens)]
    try:
        rooms = [await c.open_dm(encrypted=encrypted) for c in people]

        async def warm_up(c: Citizen, room_id: str) -> None:
            await c.expect(room_id, "Sind Sie einverstanden", timeout=60)
            await c.say(room_id, "1")
            await c.expect(room_id, "Wobei möchten Sie mitmachen")
            await c.say(room_id, "1")
            await c.expect(room_id, f"Frage 1 von {rounds + 1}")

        await asyncio.gather(*(warm_up(c, r) for c, r in zip(people, rooms, strict=True)))
        prompt = "Frage {n} von " + str(rounds + 1)
        jobs = [
            asyncio.ensure_future(_timed_rounds(c, r, rounds, prompt, "antwort {n}"))
            for c, r in zip(people, rooms, strict=True)
        ]
        _report("mitwirken run (engine)", *await _run_all(jobs))
    finally:
        run.stop()
        for c in people:
            await c.close()


async def bench_echo(server: SynapseServer, tmp: Path, citizens: int, rounds: int, encrypted: bool) -> None:
    account = server.register()
    echo = EchoBot(server, account, tmp / "echo-store")
    await echo.start()
    people = [await Citizen.create(server, tmp / "echo-citizens", account.user_id) for _ in range(citizens)]
    try:
        rooms = [await c.open_dm(encrypted=encrypted) for c in people]
        for c, r in zip(people, rooms, strict=True):  # wait for the join
            await c.say(r, "hallo 0")
            await c.expect(r, "echo: hallo 0", timeout=60)
        jobs = [asyncio.ensure_future(_echo_rounds(c, r, rounds)) for c, r in zip(people, rooms, strict=True)]
        _report("bare matrix-nio echo bot", *await _run_all(jobs))
    finally:
        await echo.stop()
        for c in people:
            await c.close()


async def _echo_rounds(citizen: Citizen, room_id: str, rounds: int) -> list[float]:
    latencies = []
    for n in range(1, rounds + 1):
        started = time.perf_counter()
        await citizen.say(room_id, f"hallo {n}")
        await citizen.expect(room_id, f"echo: hallo {n}", timeout=120)
        latencies.append(time.perf_counter() - started)
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citizens", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--encrypted", action="store_true", help="encrypted direct chats (default: plain)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="matrix-bench-"))
    server = SynapseServer(tmp / "synapse")
    server.start()
    try:
        mode = "encrypted" if args.encrypted else "plain"
        print(f"Matrix round trips, {args.citizens} citizens x {args.rounds} rounds, {mode} DMs, one Synapse (SQLite)")
        await bench_echo(server, tmp / "echo", args.citizens, args.rounds, args.encrypted)
        await bench_engine(server, tmp / "engine", args.citizens, args.rounds, args.encrypted)
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
