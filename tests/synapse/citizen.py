"""A citizen played by a matrix-nio client, as Element would behave.

It opens direct chats (encrypted or not), types, answers polls, shares a
location or an image, and collects what the bot says so a test can wait for
it. Encrypted sends go to unverified devices, like a citizen who never
verified the city's bot.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    MegolmEvent,
    RoomCreateResponse,
    RoomSendResponse,
    SyncResponse,
    UploadResponse,
)

from adapters.matrix_keys import keep_keys
from tests.synapse.server import MatrixAccount, SynapseServer

__all__ = ["BotMessage", "Citizen"]

_ENCRYPTION_STATE = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


class BotMessage:
    """One event the bot sent into a room, decrypted."""

    def __init__(self, event_id: str, event_type: str, content: dict[str, Any]) -> None:
        self.event_id = event_id
        self.type = event_type
        self.content = content

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    def __repr__(self) -> str:
        return f"BotMessage({self.type}, {self.body[:60]!r})"


class Citizen:
    """A logged-in Matrix user with a background sync loop."""

    def __init__(self, server: SynapseServer, account: MatrixAccount, store_dir: Path) -> None:
        self.server = server
        self.account = account
        store_dir.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
        self.client = AsyncClient(server.url, account.user_id, store_path=str(store_dir), config=config)
        self.messages: dict[str, list[BotMessage]] = {}
        self.undecryptable = 0
        self.failure: Exception | None = None  # why the sync loop stopped, if it did
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._read: dict[str, int] = {}
        self.bot_user_id: str | None = None

    @classmethod
    async def create(cls, server: SynapseServer, store_root: Path, bot_user_id: str) -> Citizen:
        account = server.register()
        citizen = cls(server, account, store_root / account.user_id.strip("@").replace(":", "_"))
        citizen.bot_user_id = bot_user_id
        await citizen.start()
        return citizen

    @property
    def user_id(self) -> str:
        return self.account.user_id

    async def start(self) -> None:
        self.client.restore_login(self.account.user_id, self.account.device_id, self.account.access_token)
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        first = await self.client.sync(timeout=0, full_state=True)
        assert isinstance(first, SyncResponse), first
        self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        try:
            while True:
                response = await self.client.sync(timeout=3000)
                if isinstance(response, SyncResponse):
                    await self._collect(response)
                await self._key_work()
        except Exception as exc:
            # a citizen who silently stops listening looks exactly like a bot that
            # lost a message: make every wait fail at once, naming the real cause
            self.failure = exc
            async with self._changed:
                self._changed.notify_all()
            raise

    async def _key_work(self) -> None:
        """What Element does between syncs (the same steps as the bot's)."""
        await keep_keys(self.client)

    async def _collect(self, response: SyncResponse) -> None:
        added = False
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                if getattr(event, "sender", None) != self.bot_user_id:
                    continue
                if isinstance(event, MegolmEvent):
                    self.undecryptable += 1
                    continue
                source = event.source
                if "state_key" in source:
                    continue  # the bot's membership, not something it said
                self.messages.setdefault(room_id, []).append(
                    BotMessage(event.event_id, source.get("type", ""), source.get("content", {}))
                )
                added = True
        if added:
            async with self._changed:
                self._changed.notify_all()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        await self.client.close()

    # -- acting --------------------------------------------------------

    async def open_dm(self, *, encrypted: bool, invite: list[str] | None = None) -> str:
        """Create a direct chat with the bot (and optional others), like Element's "Start chat"."""
        assert self.bot_user_id is not None
        response = await self.client.room_create(
            is_direct=True,
            invite=invite if invite is not None else [self.bot_user_id],
            initial_state=[_ENCRYPTION_STATE] if encrypted else [],
            preset=None,
        )
        assert isinstance(response, RoomCreateResponse), response
        await self.wait_until(lambda: response.room_id in self.client.rooms, timeout=10)
        return response.room_id

    async def send(self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str | None = None) -> str:
        response = await self.client.room_send(
            room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
        )
        assert isinstance(response, RoomSendResponse), response
        return str(response.event_id)

    async def say(self, room_id: str, text: str) -> str:
        return await self.send(room_id, "m.room.message", {"msgtype": "m.text", "body": text})

    async def share_location(self, room_id: str, lat: float, lon: float) -> str:
        uri = f"geo:{lat},{lon};u=10"
        content = {"msgtype": "m.location", "body": f"Standort {uri}", "geo_uri": uri}
        return await self.send(room_id, "m.room.message", content)

    async def answer_poll(self, room_id: str, poll_event_id: str, answer_id: str) -> str:
        content = {
            "m.relates_to": {"rel_type": "m.reference", "event_id": poll_event_id},
            "org.matrix.msc3381.poll.response": {"answers": [answer_id]},
        }
        return await self.send(room_id, "org.matrix.msc3381.poll.response", content)

    async def send_image(self, room_id: str, data: bytes, *, encrypted: bool, announce_size: int | None = None) -> str:
        upload, keys = await self.client.upload(
            io.BytesIO(data), content_type="image/png", filename="foto.png", encrypt=encrypted, filesize=len(data)
        )
        assert isinstance(upload, UploadResponse), upload
        info = {"mimetype": "image/png", "size": len(data) if announce_size is None else announce_size}
        content: dict[str, Any] = {"msgtype": "m.image", "body": "foto.png", "info": info}
        if encrypted:
            assert keys is not None
            content["file"] = {**keys, "url": upload.content_uri}
        else:
            content["url"] = upload.content_uri
        return await self.send(room_id, "m.room.message", content)

    # -- waiting -------------------------------------------------------

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.failure is not None:
                raise RuntimeError(f"the citizen's sync loop died: {self.failure!r}") from self.failure
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("condition not met in time")
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.2))
                except TimeoutError:
                    pass

    async def expect(self, room_id: str, needle: str, timeout: float = 30) -> BotMessage:
        """Read the bot's messages in order until one contains ``needle``; return it."""
        deadline = time.monotonic() + timeout

        def found() -> BotMessage | None:
            messages = self.messages.get(room_id, [])
            while self._read.get(room_id, 0) < len(messages):
                message = messages[self._read.get(room_id, 0)]
                self._read[room_id] = self._read.get(room_id, 0) + 1
                if needle in message.body:
                    return message
            return None

        while (message := found()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [m.body[:80] for m in self.messages.get(room_id, [])]
                raise TimeoutError(f"the bot never said {needle!r}; it said: {seen}")
            await self.wait_until(lambda: len(self.messages.get(room_id, [])) > self._read.get(room_id, 0), remaining)
        return message

    async def wait_for_messages(self, room_id: str, count: int, timeout: float = 20) -> list[BotMessage]:
        """Wait until the bot has sent ``count`` events into the room; return them all."""
        await self.wait_until(lambda: len(self.messages.get(room_id, [])) >= count, timeout)
        return self.messages[room_id]
