"""The staff handbook stays true: every command it shows is one the program takes, and the read-only ones run.

Commands are read from docs/handbuch.md — code blocks and inline code that
start with ``mitwirken`` — with its placeholders (``ID``, ``DATEI``, ``NAME`` …)
filled in, then parsed by the real command line. Those that only read (or
write a file) run against a copy of config.example.toml and must exit 0.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from bot.staff.cli import parser
from tests.harness import Cli

ROOT = Path(__file__).resolve().parents[1]
HANDBOOK = ROOT / "docs" / "handbuch.md"
PLACEHOLDERS = {
    "ID": "radverkehr-innenstadt",
    "DATEI_ODER_ORDNER": "examples/surveys",
    "DATEI": "out.xlsx",
    "NAME": "probe",
    "NEUER_STATUS": "accepted",
    "GRUND": "Begründung",
}
READ_ONLY = ("check", "results", "export", "ideas", "jobs", "outbox", "db", "print")


def handbook_commands() -> list[str]:
    text = HANDBOOK.read_text(encoding="utf-8")
    found = [m.group(1) for m in re.finditer(r"`(mitwirken [^`\n]+)`", text)]
    in_block = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
        elif in_block and line.strip().startswith("mitwirken "):
            found.append(line.strip())
    return sorted(set(found))


def words_of(command: str) -> list[str]:
    words = shlex.split(command, comments=True)[1:]
    fill = PLACEHOLDERS | ({"ID": "ideen-gruenflaechen"} if "ideas" in words else {})  # an idea call's ID
    return [fill.get(word, word) for word in words]


# "mitwirken results" and "mitwirken export" in running text name the command, not a command line
COMMANDS = [c for c in handbook_commands() if c not in ("mitwirken results", "mitwirken export")]


def test_the_handbook_shows_commands() -> None:
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_the_handbook_is_one_the_program_takes(command: str) -> None:
    words = words_of(command)
    args = parser().parse_args(words)
    assert args.command == next(w for w in words if not w.startswith("-") and w != "config.toml")


@pytest.fixture
def example_config(tmp_path: Path) -> Path:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = text.replace('surveys = ["examples/surveys"]', f'surveys = ["{ROOT / "examples" / "surveys"}"]')
    text = text.replace('url = "sqlite:///mitwirken.db"', f'url = "sqlite:///{tmp_path / "hb.db"}"')
    text = text.replace('secret = "${MITWIRKEN_SECRET}"', 'secret = "handbook-test-secret-0123456789"')
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


def test_the_handbooks_read_only_commands_run_on_the_example_config(
    cli: Cli, example_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    ran = 0
    for command in COMMANDS:
        words = words_of(command)
        if not words or words[0] != "--config" or words[2] not in READ_ONLY:
            continue
        if words[2] == "check" and len(words) > 3 and not (tmp_path / words[3]).exists():
            continue  # a draft the handbook's reader writes first (entwuerfe/…)
        words[1] = str(example_config)
        assert cli(*words) == 0, command
        ran += 1
    assert ran >= 10
