"""Benchmark: one citizen piping answers into ``mitwirken chat`` — the milliseconds per answer.

A survey of ``--answers`` text questions; the time of a run that pipes consent, the menu choice
and every answer, minus the time of a run that pipes only the consent and the choice (start-up,
opening the survey), divided by the answers. Each run starts on a fresh SQLite database. With
``--compare DIR`` the code in DIR is measured beside this checkout, interleaved.

    .venv/bin/python bench/terminal_pipe.py [--answers 300] [--runs 3] [--compare DIR]
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

from tests.harness import make_config, text_survey  # noqa: E402

RUN = "import sys; from bot.staff.cli import main; sys.exit(main())"


def chat(code: Path, answers: int, piped: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        config = make_config(Path(folder), {"pipe.toml": text_survey("pipe", answers)})
        lines = ["hallo", "1", "start pipe", *(f"Antwort {n}" for n in range(piped))]
        env = {**os.environ, "PYTHONPATH": str(code)}
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", RUN, "--config", str(config), "chat", "--as", "pipe"],
            input="\n".join(lines) + "\n",
            text=True,
            capture_output=True,
            cwd=code,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(f"chat failed in {code}: {done.stderr[-400:]}")
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    codes = [("this checkout", ROOT)] + ([(str(args.compare), args.compare.resolve())] if args.compare else [])
    per_answer: dict[str, list[float]] = {name: [] for name, _ in codes}
    for _ in range(args.runs):
        for name, code in codes:
            full, bare = chat(code, args.answers, args.answers), chat(code, args.answers, 0)
            per_answer[name].append((full - bare) / args.answers * 1000)
    print(f"one citizen piping {args.answers} answers into 'mitwirken chat' (median of {args.runs} runs)")
    for name, _ in codes:
        print(f"{name:<28} {statistics.median(per_answer[name]):6.2f} ms per answer beyond start-up")


if __name__ == "__main__":
    main()
