"""`mitwirken run` on Matrix, end to end: citizens in Element-like clients, a real Synapse, a real process.

Transcripts: what the citizen sends, what the bot answers; afterwards the
database must hold every answer exactly once.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.synapse.citizen import Citizen
from tests.synapse.program import MitwirkenRun, matrix_config
from tests.synapse.server import MatrixAccount, SynapseServer

pytestmark = pytest.mark.slow

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8e3f60000000049454e44ae426082"
)

CYCLING = """\
format = 1
id = "radverkehr"
title = "Radverkehr"
languages = ["de"]

[[questions]]
id = "oft"
type = "choice"
text = "Wie oft fahren Sie Rad?"
options = [{ id = "taeglich", de = "Täglich" }, { id = "selten", de = "Selten" }]

[[questions]]
id = "wunsch"
type = "text"
text = "Was wünschen Sie sich?"

[[questions]]
id = "ort"
type = "location"
text = "Wo ist es gefährlich?"

[[questions]]
id = "foto"
type = "photo"
text = "Haben Sie ein Foto der Stelle?"
"""

LONG_QUESTIONS = 8
LONG = 'format = 1\nid = "lang"\ntitle = "Lange Umfrage"\nlanguages = ["de"]\n' + "".join(
    f'\n[[questions]]\nid = "q{n}"\ntype = "text"\ntext = "Textfrage {n}"\n' for n in range(1, LONG_QUESTIONS + 1)
)


class Deployment:
    """A bot account, its config, the running program and the citizens talking to it."""

    def __init__(self, server: SynapseServer, tmp: Path, surveys: dict[str, str], *, polls: bool) -> None:
        self.server = server
        self.tmp = tmp
        self.bot: MatrixAccount = server.register()
        self.run = MitwirkenRun(matrix_config(tmp, server, self.bot, surveys, polls=polls), self.bot)
        self.citizens: list[Citizen] = []

    async def citizen(self) -> Citizen:
        citizen = await Citizen.create(self.server, self.tmp / "citizens", self.bot.user_id)
        self.citizens.append(citizen)
        return citizen

    def rows(self, query: str) -> list[tuple[object, ...]]:
        engine = sa.create_engine(f"sqlite:///{self.tmp / 'test.db'}")
        try:
            with engine.connect() as db:
                return [tuple(r) for r in db.execute(sa.text(query)).all()]
        finally:
            engine.dispose()


@pytest.fixture
async def deployment(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[Deployment]:  # noqa: F811
    made: list[Deployment] = []

    def make(surveys: dict[str, str], *, polls: bool = False) -> Deployment:
        made.append(Deployment(synapse, tmp_path, surveys, polls=polls))
        return made[-1]

    yield make  # type: ignore[misc]
    for d in made:
        d.run.stop()
        for citizen in d.citizens:
            await citizen.close()


async def consent_and_open(citizen: Citizen, room_id: str) -> None:
    await citizen.expect(room_id, "Sind Sie einverstanden")
    await citizen.say(room_id, "1")
    await citizen.expect(room_id, "Wobei möchten Sie mitmachen")
    await citizen.say(room_id, "1")


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain-dm", "encrypted-dm"])
async def test_full_survey_with_location_and_photo(deployment, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    d: Deployment = deployment({"rad.toml": CYCLING})
    d.run.start()
    citizen = await d.citizen()
    room_id = await citizen.open_dm(encrypted=encrypted)

    await consent_and_open(citizen, room_id)
    await citizen.expect(room_id, "Frage 1 von 4")
    await citizen.say(room_id, "1")
    await citizen.expect(room_id, "Frage 2 von 4")
    await citizen.say(room_id, "Breitere Radwege")
    await citizen.expect(room_id, "Frage 3 von 4")
    await citizen.share_location(room_id, 51.5136, 7.4653)
    await citizen.expect(room_id, "Frage 4 von 4")
    await citizen.send_image(room_id, PNG, encrypted=encrypted)

    for _ in range(100):
        if d.rows("SELECT status FROM response") == [("completed",)]:
            break
        await asyncio.sleep(0.1)
    assert d.rows("SELECT status FROM response") == [("completed",)], d.run.output()
    answers = dict(d.rows("SELECT question_id, value FROM answer"))
    assert set(answers) == {"oft", "wunsch", "ort", "foto"}
    assert "taeglich" in str(answers["oft"]) and "Breitere Radwege" in str(answers["wunsch"])
    assert "51.5136" in str(answers["ort"]) and "7.4653" in str(answers["ort"])
    assert answers["foto"] not in (None, "null")
    assert citizen.undecryptable == 0


async def test_a_poll_answers_a_choice_question(deployment) -> None:  # type: ignore[no-untyped-def]
    d: Deployment = deployment({"rad.toml": CYCLING}, polls=True)
    d.run.start()
    citizen = await d.citizen()
    room_id = await citizen.open_dm(encrypted=True)

    await citizen.expect(room_id, "Sind Sie einverstanden")
    await citizen.say(room_id, "1")
    await citizen.expect(room_id, "Wobei möchten Sie mitmachen")
    await citizen.say(room_id, "1")
    poll = await citizen.expect(room_id, "Frage 1 von 4")
    assert poll.type == "org.matrix.msc3381.poll.start"
    answers = poll.content["org.matrix.msc3381.poll.start"]["answers"]
    assert [a["org.matrix.msc1767.text"] for a in answers] == ["1 – Täglich", "2 – Selten"]
    await citizen.answer_poll(room_id, poll.event_id, answers[1]["id"])
    await citizen.expect(room_id, "Frage 2 von 4")
    assert dict(d.rows("SELECT question_id, value FROM answer"))["oft"] in ("selten", '"selten"')


async def _participate(citizen: Citizen, room_id: str, answered: list[int]) -> None:
    await consent_and_open(citizen, room_id)
    for n in range(1, LONG_QUESTIONS + 1):
        await citizen.expect(room_id, f"Frage {n} von {LONG_QUESTIONS}", timeout=90)
        await asyncio.sleep(random.uniform(0, 0.2))  # citizens type at their own pace
        await citizen.say(room_id, f"antwort-{n}")
        answered.append(n)


async def test_sigkill_mid_survey_with_twenty_citizens_loses_and_doubles_nothing(deployment) -> None:  # type: ignore[no-untyped-def]
    d: Deployment = deployment({"lang.toml": LONG})
    d.run.start()
    citizens = [await d.citizen() for _ in range(20)]
    rooms = [await c.open_dm(encrypted=True) for c in citizens]
    answered: list[int] = []
    talks = [asyncio.create_task(_participate(c, r, answered)) for c, r in zip(citizens, rooms, strict=True)]

    while len(answered) < 50:
        await asyncio.sleep(0.05)
        assert not any(t.done() and t.exception() for t in talks), [t.exception() for t in talks if t.done()]
    d.run.kill()  # mid-survey, while citizens keep typing
    await asyncio.sleep(1.0)
    d.run.start()
    done, pending = await asyncio.wait(talks, timeout=180)
    stuck = [
        (
            citizen.undecryptable,
            [m.body[:40] for m in citizen.messages.get(room_id, [])][-3:],
            task.exception() if task.done() else "pending",
        )
        for citizen, room_id, task in zip(citizens, rooms, talks, strict=True)
        if task not in done or task.exception()
    ]
    assert not stuck, f"{stuck}\n{d.run.output()}"

    for _ in range(100):
        if d.rows("SELECT count(*) FROM response WHERE status = 'completed'") == [(20,)]:
            break
        await asyncio.sleep(0.1)
    assert d.rows("SELECT count(*) FROM response WHERE status = 'completed'") == [(20,)], d.run.output()
    rows = d.rows("SELECT response_id, question_id, value FROM answer")
    per_response = Counter((r, q) for r, q, _ in rows)
    assert max(per_response.values()) == 1, "an answer was stored twice"
    assert len(rows) == 20 * LONG_QUESTIONS
    for _, question_id, value in rows:
        assert f"antwort-{question_id[1:]}" in str(value)
    for citizen, room_id in zip(citizens, rooms, strict=True):
        bodies = [m.body for m in citizen.messages[room_id]]
        # a turn is one message: the first question comes with the thanks and the title
        asked = Counter(line for b in bodies for line in b.split("\n") if line.startswith("Frage "))
        assert all(count == 1 for count in asked.values()), f"a question was sent twice: {asked}"
        assert len(asked) == LONG_QUESTIONS
        assert all(a != b for a, b in zip(bodies, bodies[1:], strict=False)), "a bot message was sent twice"
        assert citizen.undecryptable == 0

    # and an operator's stop afterwards is orderly: exit 0, no tracebacks, no client left open
    assert d.run.stop() == 0
    log = d.run.log.read_text(errors="replace")
    for trouble in ("Traceback", "Unclosed", "Task was destroyed", "Task exception was never retrieved"):
        assert trouble not in log, log[-4000:]
