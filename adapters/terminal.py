"""The terminal channel: take part from a shell, interactively or with piped input.

It implements the same contract as every messenger: each line read is one
event, and replies come from the outbox through :meth:`TerminalAdapter.send`,
rendered by the shared plain-text renderer (options as a numbered list). A
file the bot sends (the citizen's own data) is written to the working folder.
A line ``@PATH`` naming an image file sends that picture, as a messenger's
photo would be (for photo questions and ideas).
"""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
import threading
import uuid
from pathlib import Path
from typing import TextIO

from adapters.base import Capabilities, Deliver, Inbound, Media, NotNow, Reply
from adapters.render import render_plain

__all__ = ["TerminalAdapter", "picture_at"]

MAX_PICTURE_READ = 64 * 1024 * 1024  # larger files are announced by size only, never read


def picture_at(text: str, base: Path) -> Media | None:
    """The image file a line ``@PATH`` names (relative to ``base``); None for any other line."""
    if not text.startswith("@") or len(text) < 2:
        return None
    path = (base / Path(text[1:].strip()).expanduser()).resolve()
    mime_type, _ = mimetypes.guess_type(path.name)
    if mime_type is None or not mime_type.startswith("image/") or not path.is_file():
        return None
    size = path.stat().st_size
    data = path.read_bytes() if size <= MAX_PICTURE_READ else None
    return Media(kind="image", mime_type=mime_type, size=size, data=data)


class TerminalAdapter:
    name = "terminal"
    capabilities = Capabilities(buttons=False, files=True, locations=False, max_text=100_000)

    def __init__(
        self,
        participant: str,
        *,
        stdin: TextIO,
        stdout: TextIO,
        files_dir: Path,
        pictures_dir: Path | None = None,
        language: str | None = None,
    ) -> None:
        self.participant = participant
        self.stdin = stdin
        self.stdout = stdout
        self.files_dir = files_dir  # where files for the citizen are written (meinedaten); the reply names the path
        self.pictures_dir = pictures_dir or Path.cwd()  # what a relative @PATH photo is read from
        self.language = language
        self.finished = asyncio.Event()  # set when input ended (EOF) or the reader failed
        self._task: asyncio.Task[None] | None = None
        self._counter = itertools.count(1)

    async def start(self, deliver: Deliver) -> None:
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()

        def read() -> None:
            # A daemon thread: a blocking readline must never keep the program from exiting.
            try:
                for line in self.stdin:
                    loop.call_soon_threadsafe(lines.put_nowait, line)
            finally:
                loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=read, name="terminal-input", daemon=True).start()
        self._task = asyncio.create_task(self._deliver_lines(lines, deliver))

    async def _deliver_lines(self, lines: asyncio.Queue[str | None], deliver: Deliver) -> None:
        try:
            while (line := await lines.get()) is not None:
                text = line.rstrip("\r\n")  # an empty line is delivered too: it gets "no answer received"
                picture = picture_at(text.strip(), self.pictures_dir)
                inbound = Inbound(
                    channel=self.name,
                    address=self.participant,
                    sender=self.participant,
                    event_id=uuid.uuid4().hex,
                    text=None if picture else text,
                    media=picture,
                    language=self.language,
                )
                while True:  # the line is offered again until the bot could take it
                    try:
                        await deliver(inbound)
                        break
                    except NotNow:
                        continue  # the engine paused before it said "not now"
        finally:
            self.finished.set()

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def send(self, address: str, reply: Reply, *, txn_id: str) -> str:
        text = render_plain(reply)
        if reply.attachment is not None:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            target = self.files_dir / Path(reply.attachment.filename).name
            target.write_bytes(reply.attachment.data)
            text = f"{text}\n[{target}]"
        self.stdout.write(text + "\n\n")
        self.stdout.flush()
        return f"terminal-{next(self._counter)}"
