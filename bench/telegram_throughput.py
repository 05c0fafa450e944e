"""Benchmark (a): answers per second through ``mitwirken run`` over Telegram, next to a bare PTB echo bot.

Both run as processes against the same Bot API double (limits raised alike),
driven by the same simulated citizens who answer each message only after the
previous reply arrived. The ratio is what the engine costs over the transport.

    .venv/bin/python bench/telegram_throughput.py [--citizens 100] [--questions 10]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.telegram_double import RemoteDouble, start_double_process  # noqa: E402
from tests.telegram_double.citizens import BotProcess, SimulatedCitizens, survey_file, write_config  # noqa: E402

LIMITS = ("--max-per-second", "2000", "--per-chat-per-second", "100")


def mitwirken_rate(double: RemoteDouble, citizens: int, questions: int) -> float:
    folder = Path(tempfile.mkdtemp(prefix="tg-bench-"))
    bot = BotProcess(write_config(folder, double, survey=survey_file(questions), per_second=2000, per_chat=100))
    bot.start()
    try:
        time.sleep(2)
        crowd = SimulatedCitizens(double, citizens, first_chat=10_000)
        started = time.monotonic()
        crowd.begin()
        crowd.run(time.monotonic() + 600)
        elapsed = time.monotonic() - started
        assert crowd.all_finished(), bot.tail()
        return crowd.answers_sent / elapsed
    finally:
        bot.stop()


def echo_rate(double: RemoteDouble, citizens: int, rounds: int) -> float:
    echo = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "telegram_echo_bot.py"), double.api_url, double.token]
    )
    try:
        time.sleep(2)
        chats = range(50_000, 50_000 + citizens)
        seen = len(double.events())
        started = time.monotonic()
        for chat in chats:
            double.say(chat, f"e-{chat}-1")
        answered = 0
        while answered < citizens * rounds and time.monotonic() - started < 600:
            events = double.events(seen)
            seen += len(events)
            for event in events:
                answered += 1
                chat, n = event["chat_id"], int(event["text"].rsplit("-", 1)[1])
                if n < rounds:
                    double.say(chat, f"e-{chat}-{n + 1}")
            if not events:
                time.sleep(0.02)
        return answered / (time.monotonic() - started)
    finally:
        echo.terminate()
        echo.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=100)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    process, double = start_double_process(*LIMITS)
    try:
        ours = mitwirken_rate(double, args.citizens, args.questions)
        bare = echo_rate(double, args.citizens, args.questions)
    finally:
        process.terminate()
        process.wait(10)
    print(f"mitwirken run           {ours:8.1f} answers/s ({args.citizens} citizens x {args.questions} questions)")
    print(f"bare PTB echo bot       {bare:8.1f} messages/s (same double, same pattern)")
    print(f"mitwirken / echo        {ours / bare:8.3f}")


if __name__ == "__main__":
    main()
