"""A test backend for the engine: citizens talk in-process, replies are read back from the outbox.

In the spirit of errbot's test backend: every feature of the conversation is
testable in a few lines that read like a transcript.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters.base import Inbound, Media, Reply
from adapters.render import render_plain
from bot.config import load_config
from bot.runtime.app import Core, open_core

__all__ = ["Cli", "Clock", "Citizen", "data_copy_of", "export_rows", "make_config", "make_core", "text_survey"]

CHANNEL = "test"

Cli = Callable[..., int]
"""``mitwirken`` as staff type it, on the test's clock (the ``cli`` fixture):
``cli("--config", path, "check")`` returns the exit code."""


@dataclass
class Clock:
    """An injectable clock that only moves when a test says so."""

    now: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def text_survey(process_id: str, questions: int, *, title: str = "Umfrage", outro: str | None = None) -> str:
    """A survey of ``questions`` required text questions ``q01``, ``q02`` … asking "Frage Nummer N"."""
    head = f'format = 1\nid = "{process_id}"\ntitle = "{title}"\nlanguages = ["de"]\n'
    if outro:
        head += f'outro = "{outro}"\n'
    return head + "".join(
        f'\n[[questions]]\nid = "q{n:02d}"\ntype = "text"\ntext = "Frage Nummer {n}"\n' for n in range(1, questions + 1)
    )


def make_config(tmp: Path, surveys: dict[str, str], *, database_url: str | None = None, extra: str = "") -> Path:
    """Write a config and process files into ``tmp``; returns the config path."""
    folder = tmp / "surveys"
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in surveys.items():
        (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")
    url = database_url or f"sqlite:///{tmp / 'test.db'}"
    config = tmp / "config.toml"
    config.write_text(
        textwrap.dedent(
            f"""\
            [bot]
            name = "Mitwirken Test"
            languages = ["de", "en"]
            surveys = ["surveys"]
            privacy_url = "https://example.org/datenschutz"
            timezone = "Europe/Berlin"

            [storage]
            url = "{url}"
            secret = "test-secret-0123456789abcdef"
            media_dir = "media"
            """
        )
        + textwrap.dedent(extra),
        encoding="utf-8",
    )
    return config


def make_core(config_path: Path, clock: Clock) -> Core:
    return open_core(load_config(config_path, {}), clock=clock)


class Citizen:
    """One citizen in the test channel: ``say`` returns what the bot answered, as plain text."""

    _ids = itertools.count(1)

    def __init__(self, core: Core, name: str = "anna", *, language: str | None = None, channel: str = CHANNEL) -> None:
        self.core, self.name, self.language, self.channel = core, name, language, channel
        self.last: list[Reply] = []

    def inbound(self, text: str | None = None, **fields: object) -> Inbound:
        """What this citizen sends, as the channel hands it to the engine."""
        return Inbound(
            channel=self.channel,
            address=f"chat-{self.name}",
            sender=f"user-{self.name}",
            event_id=str(fields.pop("event_id", f"ev-{next(self._ids)}")),
            text=text,
            language=self.language,
            **fields,  # type: ignore[arg-type]
        )

    def send(self, text: str | None = None, **fields: object) -> list[Reply]:
        self.core.engine.handle(self.inbound(text, **fields))
        self.last = self.collect()
        return self.last

    def say(self, text: str | None = None, **fields: object) -> str:
        """Send, and return all replies as one plain text (as the terminal shows them)."""
        return "\n\n".join(render_plain(r) for r in self.send(text, **fields))

    def press(self, number: int, reply_index: int = -1) -> str:
        """Press the button with ``number`` on one of the last replies (default: the last one with options)."""
        with_options = [r for r in self.last if r.options or r.done]
        reply = with_options[reply_index]
        options = [*reply.options, *([reply.done] if reply.done else [])]
        payload = next(o.payload for o in options if o.number == number)
        return self.say(choice=payload, reply_to="question-message")

    def photo(self, data: bytes, mime_type: str = "image/jpeg") -> str:
        return self.say(media=Media(kind="image", mime_type=mime_type, size=len(data), data=data))

    def collect(self) -> list[Reply]:
        store = self.core.store
        now = self.core.engine.clock()
        rows = store.due_outbox(self.channel, now, 1000, address=f"chat-{self.name}")
        for row in rows:
            store.mark_sent(row.id, f"m{row.id}", now)
        return [Reply.from_json(row.payload) for row in rows]


def export_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    """The rows of a CSV export keyed by the column ids (its second header row; the first holds labels)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        next(file)
        return list(csv.DictReader(file, delimiter=delimiter))


def data_copy_of(body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """A citizen's data copy: the JSON and, when it is a zip, the photos in it by name."""
    if not body.startswith(b"PK"):
        return json.loads(body), {}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        data = json.loads(archive.read("mitwirken-meine-daten.json"))
        photos = {name: archive.read(name) for name in archive.namelist() if name.startswith("fotos/")}
    return data, photos
