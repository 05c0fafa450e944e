"""No lost answer in the web chat: 50 browsers (HTTP clients without JavaScript) answer a survey
while `mitwirken run` is SIGKILLed and restarted.

An answer is acknowledged when its POST was answered (the redirect to the page): the engine had
committed it. A client whose request died with the process sends the same form again — the same
message id — until the server is back. Every acknowledged answer must be stored once with its
value, every client must finish, and each page must show each of its answers once.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa

from tests.harness import make_config, text_survey
from tests.web_harness import Page, WebClient, WebProcess, free_port, new_mid, web_config

pytestmark = pytest.mark.slow

CLIENTS = 50
QUESTIONS = 8
SURVEY = text_survey("web-crash", QUESTIONS, title="Absturzumfrage")
ASKED = re.compile(rf"Frage (\d+) von {QUESTIONS}")
FINISHED = "Danke fürs Mitmachen"


class Participant:
    def __init__(self, base: str, number: int) -> None:
        # each from its own address, through the trusted proxy (loopback): the limit of new
        # sessions per address stays what it is
        self.client = WebClient(base, headers={"X-Forwarded-For": f"198.51.100.{number + 1}"})
        self.acknowledged: set[int] = set()
        self.retries = 0
        self.done = False
        self.cookie = ""

    async def post(self, data: dict[str, str], deadline: float) -> Page:
        """POST until the server answers; a retry carries the same message id."""
        while True:
            try:
                page = await self.client.post("/send", data)
            except (aiohttp.ClientError, ConnectionError, TimeoutError):
                page = None
            if page is not None and page.status == 200:
                return page
            self.retries += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"no answer from the web chat; last status {page and page.status}")
            await asyncio.sleep(0.2)

    async def run(self, deadline: float) -> None:
        page = await self.client.get("/")
        page = await self.post({**page.hidden(), "text": "menü"}, deadline)
        page = await self.post(_button(page, "Ja, einverstanden"), deadline)
        page = await self.post(_button(page, "Absturzumfrage"), deadline)
        while FINISHED not in page.last:
            asked = ASKED.search(page.last)
            assert asked, page.last
            number = int(asked.group(1))
            page = await self.post({**page.hidden(), "mid": new_mid(), "text": f"antwort-{number}"}, deadline)
            self.acknowledged.add(number)
        self.done = True
        own = [text for who, text in page.messages if who == "own" and text.startswith("antwort-")]
        assert sorted(own) == sorted(set(own)), f"an answer shows twice: {own}"
        self.cookie = next(c.value for c in self.client.session.cookie_jar if c.key == "mitwirken_sitzung")
        await self.client.close()


def _button(page: Page, label: str) -> dict[str, str]:
    for action, hidden, buttons in page.forms():
        for name, value, shown in buttons:
            if action == "/send" and re.sub(r"^\d+ ", "", shown) == label:
                return {**hidden, name: value}
    raise AssertionError(f"no button {label!r}: {page.last}")


async def test_sigkill_while_50_browsers_answer_loses_and_doubles_nothing(tmp_path: Path) -> None:
    port = free_port()
    config = web_config(make_config(tmp_path, {"crash.toml": SURVEY}), port, 'trusted_proxies = ["127.0.0.1"]\n')
    server = await asyncio.to_thread(WebProcess, config, port)
    logs = [server.log]
    participants = [Participant(server.base, n) for n in range(CLIENTS)]
    deadline = time.monotonic() + 240
    tasks = [asyncio.create_task(p.run(deadline)) for p in participants]
    while sum(len(p.acknowledged) for p in participants) < CLIENTS * QUESTIONS // 3:
        assert time.monotonic() < deadline, "the clients made no progress"
        await asyncio.sleep(0.05)
    before = sum(len(p.acknowledged) for p in participants)
    server.kill()  # no chance to clean up: requests in flight die with it
    await asyncio.sleep(0.5)
    server = await asyncio.to_thread(WebProcess, config, port)
    logs.append(server.log)
    await asyncio.gather(*tasks)
    assert server.stop() == 0
    assert all(p.done for p in participants)
    assert 0 < before < CLIENTS * QUESTIONS, "the kill came mid-survey"
    assert sum(p.retries for p in participants) >= CLIENTS // 2, "requests died with the process and were sent again"

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'test.db'}")
    with engine.connect() as db:
        answers = db.execute(sa.text("SELECT response_id, question_id, value FROM answer")).all()
        statuses = db.execute(sa.text("SELECT status FROM response")).scalars().all()
    engine.dispose()
    seen: set[tuple[int, str]] = set()
    for response_id, question_id, value in answers:
        assert (response_id, question_id) not in seen, f"{question_id} stored twice"
        seen.add((response_id, question_id))
        assert value in (f'"antwort-{int(question_id[1:])}"', f"antwort-{int(question_id[1:])}"), (question_id, value)
    assert len(answers) == CLIENTS * QUESTIONS, "every acknowledged answer is stored"
    assert statuses == ["completed"] * CLIENTS
    logged = "".join(log.read_text() for log in logs)
    assert "web chat listening" in logged
    for p in participants:
        address = p.cookie.split(".")[0]
        assert len(address) >= 22 and address not in logged, "no session address or token in the log"
