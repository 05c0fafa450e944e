"""Reading the process files the config names into the catalog the bot serves.

The only place that reads survey and idea-call files from disk. Every path is
a file or a folder of ``*.toml`` files; whatever goes wrong (a missing path, an
unreadable file, bad UTF-8, a broken file, an id used twice) becomes a
``Problem``, never an exception, so ``mitwirken check`` can list it all and
``mitwirken run`` can serve the good files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from surveys.loader import parse_process
from surveys.loader.source_map import SourceMap
from surveys.model import IdeaCall, Survey
from surveys.problems import Problem

__all__ = ["Catalog", "load_catalog", "process_files"]

Process = Survey | IdeaCall


@dataclass(frozen=True)
class Catalog:
    """The processes the bot serves (files without errors) and every problem found."""

    processes: tuple[Process, ...]
    problems: tuple[Problem, ...]

    def get(self, process_id: str) -> Process | None:
        return next((p for p in self.processes if p.id == process_id), None)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    def open_processes(self, now: dt.datetime) -> list[Survey | IdeaCall]:
        """What the menu lists at ``now``, in menu order (the menu's numbers are positions here)."""
        return [p for p in self.processes if isinstance(p, Survey | IdeaCall) and p.is_open(now)]

    def menu_number(self, process_id: str, now: dt.datetime) -> int | None:
        """The number the menu shows for this process at ``now``, if it is listed."""
        ids = [p.id for p in self.open_processes(now)]
        return ids.index(process_id) + 1 if process_id in ids else None


def load_catalog(paths: Sequence[Path], *, bot_languages: Sequence[str], served: Catalog | None = None) -> Catalog:
    """Read every file under ``paths``; files with errors are left out and their problems listed.

    Two files with one id never swap silently: the file that ``served`` (the catalog
    live until now) took the id from keeps it, else the first file in order; every
    other file with that id is refused with a problem naming both files and lines."""
    files, problems = process_files(paths)
    loaded: list[tuple[Process, int | None]] = []
    for file in files:
        process, found, id_line = _load_one(file, bot_languages)
        problems.extend(found)
        if process is not None:
            loaded.append((process, id_line))
    holders = _id_holders(loaded, served)
    processes: list[Process] = []
    for process, id_line in loaded:
        holder, holder_line = holders[process.id]
        if holder is process:
            processes.append(process)
            continue
        where = f"{holder.source}:{holder_line}" if holder_line else holder.source
        message = f"the id '{process.id}' is already used by {where}, so this file is not served"
        hint = (
            f'give this file its own id (e.g. id = "{process.id}-2") if it is a new process, '
            "or remove one of the two files"
        )
        problems.append(Problem(process.source, "id", message, hint, id_line))
    return Catalog(tuple(processes), tuple(problems))


def _id_holders(
    loaded: list[tuple[Process, int | None]], served: Catalog | None
) -> dict[str, tuple[Process, int | None]]:
    """For each id, the file that serves it: the one serving it already, else the first."""
    holders: dict[str, tuple[Process, int | None]] = {}
    for process, id_line in loaded:
        live = served.get(process.id) if served is not None else None
        if process.id not in holders or (live is not None and live.source == process.source):
            holders[process.id] = (process, id_line)
    return holders


def process_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The files ``paths`` stand for: files as given, folders' ``*.toml`` (sorted, not recursive, no hidden)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(f for f in path.glob("*.toml") if f.is_file() and not f.name.startswith(".")))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or folder"))
    return _once_each(files), problems


def _once_each(files: list[Path]) -> list[Path]:
    """A file named twice (itself and through its folder) is read once."""
    seen: set[Path] = set()
    unique = []
    for file in files:
        if file.resolve() not in seen:
            seen.add(file.resolve())
            unique.append(file)
    return unique


def _load_one(file: Path, bot_languages: Sequence[str]) -> tuple[Process | None, list[Problem], int | None]:
    """The process in ``file`` (None when it has errors), its problems, and the line of its ``id``."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        return None, [Problem(str(file), "", f"can't be read: {error.strerror or error}")], None
    try:
        # utf-8-sig: editors on Windows often start a UTF-8 file with a byte order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        return (
            None,
            [Problem(str(file), "", "is not valid UTF-8 text", "save the file as UTF-8 in your editor", line, column)],
            None,
        )
    process, problems = parse_process(text, file=str(file), bot_languages=bot_languages)
    id_line, _ = SourceMap(text).locate(("id",))
    return process, problems, id_line
