"""Benchmark: platform calls per answered step over Telegram, for a typical survey.

Citizens of the Bot API double (at its default limits: 30/s, 1/s per chat) take a survey of ten
questions — choices pressed and typed, yes/no, a multi ticked with buttons and "Done", a scale,
free texts, a number — after the consent: eleven answered steps each. The figure is the bot's
sendMessage + editMessageText + sendDocument calls divided by those steps (answerCallbackQuery,
the acknowledgement of a press, is printed apart), and the seconds each citizen waited for a reply.
A second figure divides by every action of the citizen the bot answers (the first /start and the
ticks of the multi too: fourteen).

With ``--compare DIR`` the same citizens also take it from the code in DIR (a checkout of another
commit, e.g. ``git worktree add /tmp/before <commit>``), side by side in one run.

    .venv/bin/python bench/telegram_calls.py [--citizens 3] [--compare DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.typical_survey import STEPS, SURVEY  # noqa: E402
from tests.telegram_double import RemoteDouble, start_double_process  # noqa: E402
from tests.telegram_double.citizens import BotProcess, write_config  # noqa: E402
from tests.test_telegram_e2e import Chat  # noqa: E402

ACTIONS = 14  # and the first "/start" and two ticks
QUIET = 1.5  # a reply is complete after this long without more (the double sends 1/s per chat)


class PatientChat(Chat):
    """A citizen who waits until the bot has been quiet for longer than one message per second."""

    def wait(self, quiet: float = QUIET, timeout: float = 30):  # type: ignore[no-untyped-def, override]
        return super().wait(quiet=quiet, timeout=timeout)


COUNTED = ("sendMessage", "editMessageText", "sendDocument")


class OtherCode(BotProcess):
    """``mitwirken run`` from another checkout (its own code, this venv's packages)."""

    def __init__(self, config: Path, code: Path) -> None:
        super().__init__(config)
        self.code = code

    def start(self) -> None:
        run = "import sys; from bot.staff.cli import main; sys.exit(main())"
        env = {**os.environ, "PYTHONPATH": str(self.code), "PYTHONUNBUFFERED": "1"}
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", run, "--config", str(self.config), "run"],
                cwd=self.code,
                stdout=log,
                stderr=log,
                env=env,
            )


def take_the_survey(chat: Chat) -> list[float]:
    """One citizen's way through it; returns how long each step waited for the bot's reply."""
    waits: list[float] = []

    def step(action) -> None:  # type: ignore[no-untyped-def]
        began = time.monotonic()
        got = action()
        waits.append(time.monotonic() - began - QUIET if got else float("nan"))  # minus the quiet wait

    chat.say("/start typisch")
    chat.wait()
    step(lambda: chat.press("einverstanden"))
    step(lambda: chat.press("täglich"))
    step(lambda: chat.say("2"))
    step(lambda: chat.press("Ja"))
    chat.press("Bäume")  # ticks redraw the buttons: part of the step below
    chat.press("Licht")
    step(lambda: chat.press(chat.messages[chat.button("Bänke")[0]]["buttons"][-1][0]))
    step(lambda: chat.press("4"))
    step(lambda: chat.say("Mehr Schatten im Sommer"))
    step(lambda: chat.say("42"))
    step(lambda: chat.press("in der Stadt"))
    step(lambda: chat.say("nein"))
    step(lambda: chat.say("Danke, das war alles"))
    return waits


def measure(
    double: RemoteDouble, code: Path | None, citizens: int, first_chat: int
) -> tuple[float, float, float, float]:
    folder = Path(tempfile.mkdtemp(prefix="tg-calls-"))
    config = write_config(folder, double, survey=SURVEY, per_second=30, per_chat=1)
    bot = BotProcess(config) if code is None else OtherCode(config, code)
    before = dict(double.stats()["calls"])
    bot.start()
    try:
        time.sleep(3)  # start-up
        waits: list[float] = []
        for n in range(citizens):
            waits += take_the_survey(PatientChat(double, first_chat + n))
    finally:
        bot.stop()
    calls = double.stats()["calls"]
    made = {name: calls.get(name, 0) - before.get(name, 0) for name in (*COUNTED, "answerCallbackQuery")}
    sent = sum(made[name] for name in COUNTED)
    acks = made["answerCallbackQuery"] / (citizens * STEPS)
    return sent / (citizens * STEPS), sent / (citizens * ACTIONS), acks, statistics.median(w for w in waits if w == w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="a checkout of other code to measure beside this one")
    args = parser.parse_args()
    process, double = start_double_process()  # the double's default limits: 30/s, 1/s per chat
    try:
        rows = [("this checkout", measure(double, None, args.citizens, 7000))]
        if args.compare is not None:
            rows.append((str(args.compare), measure(double, args.compare.resolve(), args.citizens, 8000)))
    finally:
        process.terminate()
        process.wait(10)
    print(f"{args.citizens} citizens x {STEPS} answered steps, Telegram double at its default limits")
    print(f"{'code':<28} {'calls/step':>10} {'calls/action':>12} {'acks/step':>10} {'median wait':>12}")
    for name, (per_step, per_action, acks, wait) in rows:
        print(f"{name:<28} {per_step:>10.2f} {per_action:>12.2f} {acks:>10.2f} {wait:>10.2f} s")


if __name__ == "__main__":
    main()
