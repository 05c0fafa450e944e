"""Many simulated citizens taking one survey over Telegram, and ``mitwirken run`` as a process.

Used by the end-to-end tests and the benchmarks: the double runs as its own
process, the bot as another, and the citizens (this module) read what the bot
sent through the double's control API and answer like people do — each
question once, only after it was asked.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from tests.harness import make_config, text_survey
from tests.telegram_double.remote import ROOT, RemoteDouble

__all__ = ["BotProcess", "SimulatedCitizens", "stored_answers", "survey_file", "write_config"]

OUTRO = "Vielen Dank fürs Mitmachen"
_ASKED = re.compile(r"Frage Nummer (\d+)\b")


def survey_file(questions: int) -> str:
    """A survey of ``questions`` text questions, each saying its number."""
    return text_survey("tg-last", questions, title="Lasttest", outro=f"{OUTRO}!")


def write_config(
    folder: Path,
    double: RemoteDouble,
    *,
    survey: str,
    per_second: float,
    per_chat: float,
    database_url: str | None = None,
    receiving: str = "poll_timeout = 2",
) -> Path:
    """A config with only the Telegram channel, pointed at the double, and the given limits
    (on SQLite in ``folder`` unless ``database_url`` says otherwise; ``receiving``: the lines that
    say how updates come, long polling unless told)."""
    telegram = f"""
[channels.terminal]
enabled = false

[channels.telegram]
token = "{double.token}"
api_url = "{double.api_url}"
{receiving}
max_per_second = {per_second}
per_chat_per_second = {per_chat}
"""
    url = database_url or f"sqlite:///{folder / 'bot.db'}"
    return make_config(folder, {"survey.toml": survey}, database_url=url, extra=telegram)


class BotProcess:
    """``mitwirken run`` as a real process; its log goes to a file for post-mortems."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.log = config.with_name("bot.log")
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = Path(sys.executable).with_name("mitwirken")
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(exe), "--config", str(self.config), "run"],
                cwd=ROOT,
                stdout=log,
                stderr=log,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> int:
        """SIGTERM, as an operator would; returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.terminate()
        return self.proc.wait(30)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@dataclass
class _Citizen:
    chat_id: int
    answered: set[int] = field(default_factory=set)
    consented: bool = False
    chose: bool = False
    finished: bool = False


class SimulatedCitizens:
    """Citizens who start the survey and answer every question once, as it is asked."""

    def __init__(self, double: RemoteDouble, count: int, *, first_chat: int = 5000) -> None:
        self.double = double
        self.citizens = {chat: _Citizen(chat) for chat in range(first_chat, first_chat + count)}
        self.answer_updates: dict[int, str] = {}  # update id → the answer text sent
        self.seen = 0
        self.questions_received: dict[int, list[int]] = {chat: [] for chat in self.citizens}

    def begin(self) -> None:
        for chat in self.citizens:
            self.double.say(chat, "/start")

    @property
    def answers_sent(self) -> int:
        return len(self.answer_updates)

    def all_finished(self) -> bool:
        return all(c.finished for c in self.citizens.values())

    def step(self) -> int:
        """Read what the bot sent since the last step and answer it; returns how many messages."""
        events = self.double.events(self.seen)
        self.seen += len(events)
        for event in events:
            citizen = self.citizens.get(event["chat_id"])
            if citizen is not None and event["kind"] in ("message", "edit") and event["text"]:
                self._react(citizen, event["text"])
        return len(events)

    def run(self, until: float, *, stop_after_answers: int | None = None) -> None:
        """Answer until everybody finished, ``until`` (monotonic) passed, or enough answers were sent."""
        while time.monotonic() < until and not self.all_finished():
            if stop_after_answers is not None and self.answers_sent >= stop_after_answers:
                return
            if not self.step():
                time.sleep(0.02)

    def _react(self, citizen: _Citizen, text: str) -> None:
        if OUTRO in text:
            citizen.finished = True
        elif "einverstanden" in text.lower() and not citizen.consented:
            citizen.consented = True
            self.double.say(citizen.chat_id, "1")
        elif "Wobei möchten Sie mitmachen" in text and not citizen.chose:
            citizen.chose = True
            self.double.say(citizen.chat_id, "1")
        elif (asked := _ASKED.search(text)) is not None:
            number = int(asked.group(1))
            self.questions_received[citizen.chat_id].append(number)
            if number not in citizen.answered:  # a repeated question is never answered twice
                citizen.answered.add(number)
                answer = f"antwort-{citizen.chat_id}-{number}"
                self.answer_updates[self.double.say(citizen.chat_id, answer)] = answer


def stored_answers(url: str) -> Counter[str]:
    """Each stored answer's value and how often it is there (JSON text on SQLite, decoded on PostgreSQL)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        values = [v for (v,) in connection.execute(sa.text("select value from answer"))]
    engine.dispose()
    return Counter(json.loads(v) if isinstance(v, str) and v.startswith('"') else str(v) for v in values)
