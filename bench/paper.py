"""Benchmark: paper and phone — how long ``print`` and ``poster`` take, and forms per second through
``import`` (first import and a re-import that stores nothing), on a fresh SQLite database.

The batch is made from the template of ``radverkehr-innenstadt`` (``export --template``), filled with
random valid forms. Every command runs in this process through ``bot.staff.cli.main``, on the real clock.

    .venv/bin/python bench/paper.py [--forms 5000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.staff.cli import main as mitwirken  # noqa: E402

SURVEY = "radverkehr-innenstadt"


def config_in(folder: Path) -> Path:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = text.replace('surveys = ["examples/surveys"]', f'surveys = ["{ROOT / "examples" / "surveys"}"]')
    text = text.replace('url = "sqlite:///mitwirken.db"', f'url = "sqlite:///{folder / "bench.db"}"')
    text = text.replace('secret = "${MITWIRKEN_SECRET}"', 'secret = "bench-secret-0123456789abcdef"')
    text += '\n[channels.web]\npublic_url = "https://mitwirken.example.org"\n'
    config = folder / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


def timed(*args: str | Path) -> float:
    began = time.perf_counter()
    code = mitwirken([str(a) for a in args])
    if code != 0:
        raise SystemExit(f"mitwirken {' '.join(map(str, args))} exited {code}")
    return time.perf_counter() - began


def batch(template: Path, out: Path, forms: int) -> None:
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    ids = [cell.value for cell in sheet[2]]
    rng = random.Random(1)
    for row in range(3, forms + 3):
        often = rng.choice(["Täglich", "Wöchentlich", "Selten", "Nie"])
        values: dict[str, object] = {"form_number": f"B-{row}", "haeufigkeit": often, "note": rng.randint(1, 5)}
        if often in ("Selten", "Nie"):
            values["hindernis"] = "Unsichere Wege; Keine Abstellplätze"
        values["wunsch"] = "Mehr Abstellplätze am Hauptbahnhof"
        for key, value in values.items():
            sheet.cell(row, ids.index(key) + 1, value)
    workbook.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        config = config_in(folder)
        timed("--config", config, "db", "upgrade")
        printed = timed("--config", config, "print", SURVEY, "-o", folder / "f.pdf")
        large = timed("--config", config, "print", SURVEY, "-o", folder / "g.pdf", "--large")
        poster = timed("--config", config, "poster", SURVEY, "-o", folder / "p.pdf", "--size", "a3")
        timed("--config", config, "export", SURVEY, "--template", "-o", folder / "vorlage.xlsx")
        batch(folder / "vorlage.xlsx", folder / "stapel.xlsx", args.forms)
        first = timed("--config", config, "import", SURVEY, folder / "stapel.xlsx")
        again = timed("--config", config, "import", SURVEY, folder / "stapel.xlsx")
    print(f"print                 {printed:6.2f} s")
    print(f"print --large         {large:6.2f} s")
    print(f"poster --size a3      {poster:6.2f} s")
    print(f"import {args.forms} forms     {first:6.2f} s = {args.forms / first:7.0f} forms/s")
    print(f"re-import (0 stored)  {again:6.2f} s = {args.forms / again:7.0f} forms/s")


if __name__ == "__main__":
    main()
