"""Benchmark: how long staff wait for a command — ``--help``, ``check``, ``results`` — on the example config.

Each command runs as a fresh process several times; the median wall time is printed. With
``--compare DIR`` the same commands also run from the code in DIR (a checkout of another commit),
interleaved, so both are measured side by side on the same noisy machine.

    .venv/bin/python bench/startup.py [--runs 7] [--compare DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (["--help"], ["check"], ["results", "radverkehr-innenstadt"])
RUN = "import sys; from bot.staff.cli import main; sys.exit(main())"


def once(code: Path, args: list[str]) -> float:
    config = ["--config", str(ROOT / "config.example.toml")] if args != ["--help"] else []
    env = {**os.environ, "PYTHONPATH": str(code)}
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, *config, *args], cwd=code, env=env, capture_output=True, check=False)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    codes = [("this checkout", ROOT)] + ([(str(args.compare), args.compare.resolve())] if args.compare else [])
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for command in COMMANDS:
            for name, code in codes:
                times.setdefault((name, " ".join(command)), []).append(once(code, command))
    print(f"median of {args.runs} runs, wall time of a fresh process")
    for command in COMMANDS:
        line = " ".join(command)
        figures = "   ".join(f"{name}: {statistics.median(times[(name, line)]):5.2f} s" for name, _ in codes)
        print(f"mitwirken {line:<32} {figures}")


if __name__ == "__main__":
    main()
