"""Benchmark: answered steps per second of ``mitwirken run`` over Telegram, beside a PTB baseline bot.

Both bots run as processes, one after the other, against the same Bot API double at its default
limits (30 messages/s, 1/s per chat, 20/min per group). The same citizens, all at once, take the
typical survey (bench/typical_survey.py: consent and ten questions, buttons pressed, answers typed,
a multi ticked) and each acts only once the bot answered its last action. The baseline is
bench/telegram_baseline_bot.py — a ConversationHandler bot with AIORateLimiter, one message per
step — once with PTB's sequential update handling and once with ``concurrent_updates``. Printed:
answered steps/s, platform calls per step, reply latency p50/p95, and the ratio to each baseline.

With ``--compare DIR`` the code in DIR (another checkout) takes the same survey too, in the same run.

    .venv/bin/python bench/telegram_rate.py [--citizens 50] [--compare DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.telegram_calls import OtherCode  # noqa: E402
from bench.typical_survey import OUTRO, SCRIPT, STEPS, SURVEY  # noqa: E402
from tests.telegram_double import RemoteDouble, start_double_process  # noqa: E402
from tests.telegram_double.citizens import BotProcess, write_config  # noqa: E402

COUNTED = ("sendMessage", "editMessageText", "sendDocument")


@dataclass
class Citizen:
    """One scripted citizen: what they answered, and what they wait for."""

    chat_id: int
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)  # questions (and "consent") answered
    ticks: list[str] = field(default_factory=list)  # labels still to tick at the current multi
    ticking: str | None = None  # the multi being ticked
    waiting_since: float | None = None  # when the last action went out
    finished: bool = False
    steps: int = 0


class Crowd:
    """Citizens driven by the events of the double: each reacts to the bot's newest message."""

    def __init__(self, double: RemoteDouble, count: int, first_chat: int) -> None:
        self.double = double
        self.citizens = {c: Citizen(c) for c in range(first_chat, first_chat + count)}
        self.seen = len(double.events())
        self.latencies: list[float] = []

    def run(self, timeout: float) -> float:
        """Let everybody take the survey; returns the seconds it took."""
        started = time.monotonic()
        for citizen in self.citizens.values():
            self._act(citizen, lambda c=citizen: self.double.say(c.chat_id, "/start typisch"), step=False)
        while not all(c.finished for c in self.citizens.values()) and time.monotonic() - started < timeout:
            events = self.double.events(self.seen)
            self.seen += len(events)
            for event in events:
                citizen = self.citizens.get(event["chat_id"])
                if citizen is not None and event["kind"] in ("message", "edit", "notice"):
                    self._react(citizen, event)
            if not events:
                time.sleep(0.01)
        return time.monotonic() - started

    def _act(self, citizen: Citizen, action: Any, *, step: bool = True) -> None:
        citizen.waiting_since = time.monotonic()
        citizen.steps += step
        action()

    def _press(self, citizen: Citizen, label: str) -> None:
        for message_id in sorted(citizen.messages, reverse=True):
            for text, payload in citizen.messages[message_id]["buttons"]:
                if label in text:
                    self.double.press(citizen.chat_id, message_id, payload)
                    return
        raise AssertionError(f"chat {citizen.chat_id}: no button {label!r}")

    def _react(self, citizen: Citizen, event: dict[str, Any]) -> None:
        if event["kind"] != "notice":  # a press's notice is shown over the chat, not a message
            citizen.messages[event["message_id"]] = event
        if citizen.waiting_since is not None:
            self.latencies.append(time.monotonic() - citizen.waiting_since)
            citizen.waiting_since = None
        text = event["text"] or ""
        if OUTRO in text:
            citizen.finished = True
            return
        if citizen.ticking is not None:  # a tick's notice (or redraw): tick the next, or say done
            if event["kind"] in ("notice", "edit"):
                if citizen.ticks:
                    self._act(citizen, lambda: self._press(citizen, citizen.ticks.pop(0)), step=False)
                else:
                    citizen.done.add(citizen.ticking)
                    citizen.ticking = None
                    last = event["buttons"][-1][0]  # the multi's "done" button comes last
                    self._act(citizen, lambda: self._press(citizen, last))
            return
        if "consent" not in citizen.done and "einverstanden" in text:
            citizen.done.add("consent")
            self._act(citizen, lambda: self._press(citizen, "einverstanden"))
            return
        asked = [q for q in SCRIPT if q in text and q not in citizen.done]
        if not asked:
            return  # e.g. "Danke!" before the question in a message of its own
        question = max(asked, key=text.rindex)  # the newest question in the message
        how, *what = SCRIPT[question]
        if how == "tick":
            citizen.ticking, citizen.ticks = question, list(what[1:])
            self._act(citizen, lambda: self._press(citizen, what[0]), step=False)
            return
        citizen.done.add(question)
        if how == "press":
            self._act(citizen, lambda: self._press(citizen, what[0]))
        else:
            self._act(citizen, lambda: self.double.say(citizen.chat_id, what[0]))


@dataclass
class Figures:
    steps_per_second: float
    calls_per_step: float
    p50: float
    p95: float
    finished: int


def measure(double: RemoteDouble, start: Any, citizens: int, first_chat: int) -> Figures:
    before = dict(double.stats()["calls"])
    stop = start()
    try:
        time.sleep(3)  # start-up
        crowd = Crowd(double, citizens, first_chat)
        elapsed = crowd.run(timeout=600)
    finally:
        stop()
    calls = double.stats()["calls"]
    sent = sum(calls.get(name, 0) - before.get(name, 0) for name in COUNTED)
    steps = sum(c.steps for c in crowd.citizens.values())
    finished = sum(c.finished for c in crowd.citizens.values())
    cut = statistics.quantiles(crowd.latencies, n=20)
    return Figures(steps / elapsed, sent / max(steps, 1), statistics.median(crowd.latencies), cut[18], finished)


def mitwirken(double: RemoteDouble, code: Path | None = None) -> Any:
    folder = Path(tempfile.mkdtemp(prefix="tg-rate-"))
    config = write_config(folder, double, survey=SURVEY, per_second=30, per_chat=1)
    bot = BotProcess(config) if code is None else OtherCode(config, code)
    bot.start()
    return bot.stop


def baseline(double: RemoteDouble, *flags: str) -> Any:
    script = ROOT / "bench" / "telegram_baseline_bot.py"
    process = subprocess.Popen([sys.executable, str(script), double.api_url, double.token, *flags])

    def stop() -> None:
        process.terminate()
        process.wait(10)

    return stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--compare", type=Path, help="a checkout of other code to measure beside this one")
    args = parser.parse_args()
    process, double = start_double_process()  # the double's default limits
    try:
        rows = [
            ("mitwirken run", measure(double, lambda: mitwirken(double), args.citizens, 20_000)),
            ("PTB baseline, sequential", measure(double, lambda: baseline(double), args.citizens, 30_000)),
            (
                "PTB baseline, concurrent",
                measure(double, lambda: baseline(double, "--concurrent"), args.citizens, 40_000),
            ),
        ]
        if args.compare is not None:
            other = measure(double, lambda: mitwirken(double, args.compare.resolve()), args.citizens, 50_000)
            rows.append((f"mitwirken at {args.compare.name}", other))
    finally:
        process.terminate()
        process.wait(10)
    print(f"{args.citizens} citizens at once x {STEPS} answered steps, Telegram double at its default limits")
    print(f"{'bot':<26} {'steps/s':>8} {'calls/step':>10} {'p50':>7} {'p95':>7} {'finished':>9}")
    for name, f in rows:
        print(f"{name:<26} {f.steps_per_second:>8.1f} {f.calls_per_step:>10.2f} {f.p50:>6.2f}s {f.p95:>6.2f}s "
              f"{f.finished:>5}/{args.citizens}")  # fmt: skip
    ours = rows[0][1].steps_per_second
    for name, f in rows[1:3]:
        print(f"mitwirken / {name:<26} {ours / f.steps_per_second:6.2f}")


if __name__ == "__main__":
    main()
