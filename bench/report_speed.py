"""Benchmark: how long ``mitwirken report`` takes for a survey of 10,000 responses.

Fills a temporary SQLite database with the generated dataset of the report tests
(tests/report_dataset.py: nine questions of every countable type, conditions, skips),
then writes the staff HTML report, the public one with a breakdown, and the PDF, each
timed in this process (the figures exclude Python's start-up). Prints seconds and
answers read per second.

    .venv/bin/python bench/report_speed.py [--responses 10000] [--no-pdf]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bot.clock import system_clock  # noqa: E402
from bot.staff.cli import main as mitwirken  # noqa: E402
from storage.tables import answer_table  # noqa: E402
from tests.harness import make_config, make_core  # noqa: E402
from tests.report_dataset import SURVEY, fill  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        config = make_config(tmp, {"bericht.toml": SURVEY})
        core = make_core(config, system_clock)
        began = time.perf_counter()
        try:
            fill(core, "bericht-test", args.responses)
            with core.store._engine.connect() as conn:
                answers = int(conn.scalar(sa.select(sa.func.count()).select_from(answer_table)) or 0)
        finally:
            core.close()
        filled = time.perf_counter() - began
        print(f"dataset: {args.responses:,} responses, {answers:,} answers (filled in {filled:.1f} s)")
        runs = [("staff report, HTML", "bericht.html", []), ("public report --by bezirk, HTML", "public.html",
                ["--public", "--by", "bezirk"])]  # fmt: skip
        if not args.no_pdf:
            runs.append(("public report --by bezirk, PDF", "public.pdf", ["--public", "--by", "bezirk"]))
        for label, name, extra in runs:
            out = tmp / name
            began = time.perf_counter()
            code = mitwirken(["--config", str(config), "report", "bericht-test", "-o", str(out), *extra])
            seconds = time.perf_counter() - began
            assert code == 0, f"{label}: exit {code}"
            size = out.stat().st_size / 1024
            print(f"{label:34} {seconds:6.2f} s   {answers / seconds:10,.0f} answers/s   {size:7,.0f} KiB")


if __name__ == "__main__":
    main()
