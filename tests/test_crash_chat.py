"""No lost answer: `mitwirken chat` fed by a pipe is SIGKILLed mid-survey and restarted.

Every answer the bot had confirmed (by showing the next question) must be
stored exactly once, with the value given, and the survey must finish.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from tests.harness import make_config, text_survey

QUESTIONS = 24
SURVEY = text_survey("lang-test", QUESTIONS, title="Lange Umfrage")
ASKED = re.compile(rf"Frage (\d+) von {QUESTIONS}")


class Chat:
    """`mitwirken chat` as a real process, its output read line by line in a thread."""

    def __init__(self, config: Path) -> None:
        exe = Path(sys.executable).with_name("mitwirken")
        self.proc = subprocess.Popen(
            [str(exe), "--config", str(config), "chat", "--as", "kim"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def write(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if match := pattern.search(line):
                return match
        raise AssertionError(f"no output matching {pattern.pattern!r}; stderr: {self._stderr()}")

    def _stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        assert self.proc.stderr is not None
        return self.proc.stderr.read()[-2000:]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=30)


def test_sigkill_mid_survey_loses_and_doubles_nothing(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"lang.toml": SURVEY})
    chat = Chat(config)
    chat.write("hallo")
    chat.wait_for(re.compile("Sind Sie einverstanden"))
    chat.write("1")
    chat.wait_for(re.compile("Wobei möchten Sie mitmachen"))
    chat.write("1")
    confirmed = 0
    number = int(chat.wait_for(ASKED).group(1))
    while number <= 9:
        chat.write(f"antwort-{number}")
        number = int(chat.wait_for(ASKED).group(1))
        confirmed = number - 1
    # three answers in flight, then the process dies without any chance to clean up
    for n in range(number, number + 3):
        chat.write(f"antwort-{n}")
    chat.kill()
    assert confirmed >= 9

    chat = Chat(config)
    chat.write("menü")
    chat.wait_for(re.compile("Wobei möchten Sie mitmachen"))
    chat.write("1")
    match = chat.wait_for(ASKED)
    number = int(match.group(1))
    assert number > confirmed, "a confirmed answer was asked for again"
    finished = re.compile(rf"Frage (\d+) von {QUESTIONS}|Danke fürs Mitmachen")
    while True:
        chat.write(f"antwort-{number}")
        match = chat.wait_for(finished)
        if match.group(1) is None:
            break
        number = int(match.group(1))
    assert chat.close() == 0

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'test.db'}")
    with engine.connect() as db:
        rows = db.execute(sa.text("SELECT question_id, value FROM answer")).all()
        statuses = db.execute(sa.text("SELECT status FROM response")).scalars().all()
    stored = {}
    for question_id, value in rows:
        assert question_id not in stored, f"{question_id} stored twice"
        stored[question_id] = value
    assert sorted(stored) == [f"q{n:02d}" for n in range(1, QUESTIONS + 1)]
    for n in range(1, QUESTIONS + 1):
        assert stored[f"q{n:02d}"] in (f'"antwort-{n}"', f"antwort-{n}"), (n, stored[f"q{n:02d}"])
    assert statuses == ["completed"]
