"""The Matrix channel: citizens take part from Element or any Matrix client.

The only module that imports matrix-nio. It runs its own sync loop instead of
``sync_forever`` because it owns the cursor: ``next_batch`` is saved through
the ``CursorStore`` only after every event of that sync was delivered to the
engine (and so committed). A crash replays events; the engine recognises them
by event id.

Rooms: the bot joins direct chats it is invited to from an allowed server and
declines the rest. Its own join is handed to the engine as ``start`` (event id
= the join event's id) so the citizen is greeted at once; everything in a room
from before that join is history and ignored. In a room with more people than
the citizen and the bot, the first event goes to the engine with
``private=False`` (it answers that it works in direct chats only) and the rest
is ignored.

Encryption: matrix-nio with vodozemac keeps the device and its keys in
``store_dir``; see ``adapters.matrix_session`` for why a damaged store stops
the start instead of creating a new device, and ``adapters.matrix_keys`` for
how the store is kept whole across a SIGKILL. Messages are encrypted for the
citizen's devices whether or not anybody verified them — citizens never
verify a city bot, and refusing to talk would help nobody. A citizen's
message whose room key has not arrived waits (with everything after it in
that room) for up to ``room_key_grace`` seconds; if the key never comes, it
reaches the engine as ``Inbound(unreadable=True)``, and the citizen is told
the message could not be read instead of meeting silence.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    DownloadError,
    InviteMemberEvent,
    JoinError,
    LocalProtocolError,
    LoginResponse,
    MegolmEvent,
    MessageDirection,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomSendError,
    SendRetryError,
    SyncResponse,
    UploadResponse,
    WhoamiResponse,
)
from nio.crypto import decrypt_attachment
from nio.exceptions import EncryptionError

from adapters.base import (
    Attachment,
    Capabilities,
    CursorStore,
    Deliver,
    Inbound,
    Media,
    NotNow,
    RecipientGone,
    Reply,
    TransientSendError,
)
from adapters.matrix_content import (
    POLL_START_TYPE,
    MediaRef,
    Parsed,
    file_content,
    parse_content,
    poll_content,
    text_content,
)
from adapters.matrix_errors import send_error
from adapters.matrix_keys import RoomKeyWaits, keep_keys, make_key_writes_crash_safe, note_one_time_key_count
from adapters.matrix_session import MatrixStoreError, StoredLogin, check_store, load_login, save_login
from adapters.render import render_plain, split_text

__all__ = ["MatrixAdapter", "MatrixLoginError", "MatrixStoreError"]

log = logging.getLogger(__name__)

CURSOR_KEY = "matrix.next_batch"
_SEEN_LIMIT = 20_000
_GAP_PAGE = 100
_GAP_MAX_PAGES = 50
_UNDECRYPTABLE_GRACE = 60.0  # seconds to wait for a late room key before giving an event up
_HELD_POLL_MS = 1000  # long-poll while events wait for a key: a to-device key ends it at once
_RETRY_PAUSE = 2.0


def _quiet_library_logs() -> None:
    # matrix-nio logs user and room ids at INFO, peewee logs key-store SQL (pickled
    # keys included) at DEBUG: neither belongs in the program's log.
    for name in ("nio", "peewee"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


class MatrixLoginError(RuntimeError):
    """The homeserver refused the configured password or access token."""


class _Wait(Exception):
    """An event cannot be handled yet (its room key has not arrived)."""


class MatrixAdapter:
    """matrix-nio client with end-to-end encryption, speaking the ``ChannelAdapter`` contract."""

    name = "matrix"

    def __init__(
        self,
        *,
        homeserver: str,
        user_id: str,
        store_dir: str | Path,
        cursor_store: CursorStore,
        password: str | None = None,
        access_token: str | None = None,
        device_name: str = "Mitwirken",
        allowed_servers: Sequence[str] = (),
        polls: bool = False,
        max_photo_bytes: int = 10 * 1024 * 1024,
        timeline_limit: int = 50,
        sync_timeout_ms: int = 30_000,
        max_text: int = 16_000,
        room_key_grace: float = _UNDECRYPTABLE_GRACE,
    ) -> None:
        if not password and not access_token:
            raise ValueError("the Matrix channel needs a password or an access token")
        self.capabilities = Capabilities(buttons=False, files=True, locations=True, polls=polls, max_text=max_text)
        self._homeserver = homeserver.rstrip("/")
        self._user_id = user_id
        self._store_dir = Path(store_dir)
        self._cursor = cursor_store
        self._password = password
        self._access_token = access_token
        self._device_name = device_name
        self._allowed = frozenset(s.lower() for s in allowed_servers)
        self._polls = polls
        self._max_media = max_photo_bytes
        self._filter = {
            "room": {"timeline": {"limit": timeline_limit}, "state": {"lazy_load_members": False}},
            "presence": {"not_types": ["*"]},
        }
        self._sync_timeout_ms = sync_timeout_ms
        self._client: AsyncClient | None = None
        self._deliver: Deliver | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._stopping = False
        self._waiting_for_sync = False
        self._since: str | None = None
        self._queues: dict[str, list[Any]] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._key_waits = RoomKeyWaits(room_key_grace)
        self._noted_groups: set[str] = set()
        self._invites_in_hand: set[str] = set()
        self._delivery_failed = False

    @property
    def device_id(self) -> str | None:
        """The bot's device id once started (what staff verify)."""
        return self._client.device_id if self._client else None

    @property
    def fingerprint(self) -> str | None:
        """The device's public ed25519 key in Element's grouping, for staff who verify it."""
        olm = self._client.olm if self._client else None
        if olm is None:
            return None
        key = olm.account.identity_keys["ed25519"]
        return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

    # -- lifecycle -------------------------------------------------------

    async def start(self, deliver: Deliver) -> None:
        """Log in (same device as before), sync once, then run the receive loop as a task."""
        _quiet_library_logs()
        self._deliver = deliver
        self._stopping = False
        self._client = await self._connect()
        try:
            await self._crypto_housekeeping()
            self._since = await self._cursor.load(CURSOR_KEY)
            first = await self._sync(full_state=True, timeout_ms=0)
            if first is None:
                raise ConnectionError("the Matrix homeserver did not answer the first sync")
        except BaseException:
            await self._client.close()
            raise
        self._ready.set()
        self._task = asyncio.create_task(self._run(first, self._since), name="matrix-sync")
        log.info("matrix: receiving as device %s, session key %s", self._client.device_id, self.fingerprint)

    async def stop(self) -> None:
        """Finish the event in hand, then close; an interrupted long poll loses nothing."""
        self._stopping = True
        if self._task is not None:
            if self._waiting_for_sync:
                self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self._client is not None:
            await self._client.close()
        self._ready.clear()

    # -- login and store -------------------------------------------------

    def _new_client(self) -> AsyncClient:
        config = AsyncClientConfig(
            store_sync_tokens=False,  # the cursor lives in the database, saved after delivery
            encryption_enabled=True,
            max_limit_exceeded=0,  # a 429 comes back to us: the outbox reschedules the row
            max_timeouts=2,
            request_timeout=60,
        )
        self._store_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return AsyncClient(self._homeserver, self._user_id, store_path=str(self._store_dir), config=config)

    async def _connect(self) -> AsyncClient:
        client = self._new_client()
        try:
            login = load_login(self._store_dir, self._user_id)
            if login is not None:
                check_store(self._store_dir, login)
                await self._resume(client, login)
            elif self._access_token:
                await self._adopt_token(client)
            else:
                await self._first_login(client)
            make_key_writes_crash_safe(client.olm)
        except BaseException:
            await client.close()
            raise
        return client

    def _open_store(self, client: AsyncClient, login: StoredLogin) -> None:
        try:
            client.restore_login(login.user_id, login.device_id, login.access_token)
        except Exception as exc:  # peewee, sqlite, vodozemac: all mean "this store is unusable"
            raise MatrixStoreError(
                f"the encryption store in {self._store_dir} cannot be opened ({exc.__class__.__name__}); "
                "restore it from a backup — the bot will not silently become a new device"
            ) from exc
        if client.olm is None:
            raise MatrixStoreError(f"the encryption store in {self._store_dir} could not be loaded")

    async def _resume(self, client: AsyncClient, login: StoredLogin) -> None:
        self._open_store(client, login)
        if isinstance(await client.whoami(), WhoamiResponse):
            return
        if not self._password:
            raise MatrixLoginError("the stored access token was rejected and no password is configured")
        # log in again as the SAME device, so its keys stay valid
        response = await client.login(password=self._password, device_name=self._device_name)
        if not isinstance(response, LoginResponse) or response.device_id != login.device_id:
            raise MatrixLoginError(f"login as device {login.device_id} failed: {response}")
        save_login(self._store_dir, StoredLogin(self._user_id, response.device_id, response.access_token))

    async def _adopt_token(self, client: AsyncClient) -> None:
        assert self._access_token is not None
        client.access_token = self._access_token
        who = await client.whoami()
        if not isinstance(who, WhoamiResponse) or not who.device_id:
            raise MatrixLoginError(f"the configured access token was rejected: {who}")
        if who.user_id != self._user_id:
            raise MatrixLoginError("the configured access token belongs to another user")
        login = StoredLogin(self._user_id, who.device_id, self._access_token)
        self._open_store(client, login)
        save_login(self._store_dir, login)

    async def _first_login(self, client: AsyncClient) -> None:
        assert self._password is not None
        response = await client.login(password=self._password, device_name=self._device_name)
        if not isinstance(response, LoginResponse):
            raise MatrixLoginError(f"login failed: {response}")
        if client.olm is None:
            raise MatrixStoreError(f"a new encryption store could not be created in {self._store_dir}")
        save_login(self._store_dir, StoredLogin(self._user_id, response.device_id, response.access_token))

    # -- the receive loop ------------------------------------------------

    async def _sync(self, *, full_state: bool = False, timeout_ms: int | None = None) -> SyncResponse | None:
        assert self._client is not None
        timeout = self._sync_timeout_ms if timeout_ms is None else timeout_ms
        self._waiting_for_sync = True
        try:
            response = await self._client.sync(
                timeout=timeout, sync_filter=self._filter, since=self._since, full_state=full_state or None
            )
        except (ClientError, TimeoutError, OSError) as exc:
            log.warning("matrix: sync failed (%s), retrying", exc.__class__.__name__)
            response = None
        except Exception:
            # matrix-nio failed while taking the answer in. It has already noted the
            # answer's token and would skip the same answer (its keys included) next
            # time: forget the token, so the retry is taken in from the start.
            log.exception("matrix: taking in a sync failed; retrying")
            self._client.next_batch = self._since
            response = None
        finally:
            self._waiting_for_sync = False
        if isinstance(response, SyncResponse):
            return response
        if response is not None:
            log.warning("matrix: sync refused: %s", getattr(response, "status_code", "?"))
        pause = (getattr(response, "retry_after_ms", None) or 0) / 1000 or _RETRY_PAUSE
        await asyncio.sleep(pause)
        return None

    async def _run(self, first: SyncResponse, since: str | None) -> None:
        response: SyncResponse | None = first
        while not self._stopping:
            if response is None:
                since = self._since
                held = any(self._queues.values())
                response = await self._sync(timeout_ms=_HELD_POLL_MS if held else None)
                if response is None:
                    continue
            try:
                await self._handle(response, since=since)
            except NotNow:  # the bot's database is away (logged once by the bot): replay the sync later
                await asyncio.sleep(_RETRY_PAUSE)
            except Exception:
                log.exception("matrix: handling a sync failed; it will be replayed")
                await asyncio.sleep(_RETRY_PAUSE)
            response = None
            if self._delivery_failed:
                self._delivery_failed = False
                await asyncio.sleep(_RETRY_PAUSE)

    async def _handle(self, response: SyncResponse, *, since: str | None) -> None:
        """Deliver one sync's events; ``since`` is the token it was asked with (``None``: all is history)."""
        assert self._client is not None
        note_one_time_key_count(self._client.olm, response)
        await self._crypto_housekeeping()
        await self._answer_invites(response)
        if since is not None:
            for room_id, info in response.rooms.join.items():
                events = list(info.timeline.events)
                if info.timeline.limited and info.timeline.prev_batch:
                    events = await self._fetch_gap(room_id, info.timeline.prev_batch, since, events) + events
                self._enqueue(room_id, events)
        await asyncio.gather(*(self._drain(room_id) for room_id in list(self._queues)))
        self._since = response.next_batch
        if self._stopping:
            return  # events may be left in hand: keep the stored cursor where it was
        if not any(self._queues.values()):
            await self._cursor.save(CURSOR_KEY, response.next_batch)

    async def _crypto_housekeeping(self) -> None:
        """What ``sync_forever`` would do between syncs: keep keys uploaded, known and claimed."""
        client = self._client
        assert client is not None
        try:
            await keep_keys(client)
        except (ClientError, TimeoutError, OSError, LocalProtocolError) as exc:
            log.warning("matrix: key maintenance failed (%s); retried after the next sync", exc.__class__.__name__)

    # -- invites ---------------------------------------------------------

    def _inviter(self, events: Sequence[Any]) -> str | None:
        for event in events:
            if (
                isinstance(event, InviteMemberEvent)
                and event.state_key == self._user_id
                and event.membership == "invite"
            ):
                return str(event.sender)
        return None

    def _allowed_server(self, user_id: str) -> bool:
        server = user_id.split(":", 1)[1].lower() if ":" in user_id else ""
        return "*" in self._allowed or server in self._allowed

    async def _answer_invites(self, response: SyncResponse) -> None:
        assert self._client is not None
        for room_id, info in response.rooms.invite.items():
            if room_id in self._invites_in_hand:
                continue
            inviter = self._inviter(info.invite_state)
            if inviter is None:
                continue
            self._invites_in_hand.add(room_id)
            if self._allowed_server(inviter):
                result = await self._client.join(room_id)
                if isinstance(result, JoinError):
                    log.warning("matrix: joining an invited room failed (%s)", result.status_code)
                    self._invites_in_hand.discard(room_id)
                else:
                    log.info("matrix: joined a room on invitation")
            else:
                await self._client.room_leave(room_id)
                log.info("matrix: declined an invitation from a server not in allowed_servers")

    # -- gaps and queues -------------------------------------------------

    def _is_own_join(self, event: Any) -> bool:
        return (
            isinstance(event, RoomMemberEvent)
            and event.state_key == self._user_id
            and event.membership == "join"
            and event.prev_membership != "join"
        )

    async def _fetch_gap(self, room_id: str, prev_batch: str, since: str | None, known: list[Any]) -> list[Any]:
        """Page back from a limited sync to the previous sync token (or handled events, or the bot's join)."""
        assert self._client is not None
        known_ids = {getattr(e, "event_id", None) for e in known}
        gap: list[Any] = []
        token: str | None = prev_batch
        for _ in range(_GAP_MAX_PAGES):
            page = await self._client.room_messages(
                room_id, start=token, end=since, direction=MessageDirection.back, limit=_GAP_PAGE
            )
            if not isinstance(page, RoomMessagesResponse):
                raise RuntimeError(f"fetching a sync gap failed: {getattr(page, 'status_code', page)}")
            for event in page.chunk:  # newest first
                event_id = getattr(event, "event_id", None)
                if event_id in self._seen or event_id in known_ids:
                    return list(reversed(gap))
                gap.append(event)
                if self._is_own_join(event):
                    return list(reversed(gap))
            if not page.chunk or not page.end or page.end == token:
                return list(reversed(gap))
            token = page.end
        log.warning("matrix: a sync gap was longer than %d events; older ones skipped", _GAP_PAGE * _GAP_MAX_PAGES)
        return list(reversed(gap))

    def _enqueue(self, room_id: str, events: list[Any]) -> None:
        joins = [i for i, e in enumerate(events) if self._is_own_join(e)]
        if joins:
            events = events[joins[-1] :]  # what came before the bot joined is history
        queue = self._queues.setdefault(room_id, [])
        in_hand = {getattr(e, "event_id", None) for e in queue}
        for event in events:
            event_id = getattr(event, "event_id", None)
            if event_id not in self._seen and event_id not in in_hand:
                queue.append(event)
        if not queue:
            del self._queues[room_id]

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        if len(self._seen) > _SEEN_LIMIT:
            self._seen.popitem(last=False)

    async def _drain(self, room_id: str) -> None:
        """Deliver a room's events in order; stop at one that cannot be handled yet."""
        assert self._deliver is not None
        queue = self._queues.get(room_id, [])
        while queue and not self._stopping:
            event = queue[0]
            try:
                inbound = await self._inbound(room_id, event)
                if inbound is not None:
                    await self._deliver(inbound)
            except _Wait:
                break
            except NotNow:  # the bot's database is away (logged once by the bot): later, in order
                self._delivery_failed = True
                break
            except Exception:
                log.exception("matrix: delivering an event failed; it stays in hand")
                self._delivery_failed = True
                break
            queue.pop(0)
            self._remember(event.event_id)
        if not queue:
            self._queues.pop(room_id, None)

    # -- events → Inbound ------------------------------------------------

    def _decrypt(self, room_id: str, event: MegolmEvent) -> Any:
        """The decrypted event; raise ``_Wait`` while its key may still come, ``None`` once given up."""
        assert self._client is not None
        event.room_id = room_id
        try:
            decrypted = self._client.decrypt_event(event)
        except EncryptionError:
            pass
        else:
            self._key_waits.arrived(event.session_id)
            return decrypted
        now = time.monotonic()
        if self._key_waits.missing(event.session_id, now):
            asyncio.ensure_future(self._request_key(event))
        if not self._key_waits.expired(event.session_id, now):
            raise _Wait()
        log.warning("matrix: gave up on a message whose room key never arrived")
        return None

    async def _request_key(self, event: MegolmEvent) -> None:
        assert self._client is not None
        try:
            await self._client.request_room_key(event)
        except (LocalProtocolError, ClientError, TimeoutError, OSError):
            pass  # already requested, or offline: the grace period still runs

    def _room_facts(self, room_id: str) -> tuple[bool, list[str]]:
        assert self._client is not None
        room = self._client.rooms.get(room_id)
        others = sorted(u for u in (room.users if room else {}) if u != self._user_id)
        return len(others) <= 1, others

    async def _inbound(self, room_id: str, event: Any) -> Inbound | None:
        private, others = self._room_facts(room_id)
        if self._is_own_join(event):
            if not others:
                return None
            return self._gate(
                room_id, private, Inbound("matrix", room_id, others[0], event.event_id, text="start", private=private)
            )
        sender = getattr(event, "sender", None)
        if not sender or sender == self._user_id:
            return None  # checked before decrypting: the bot's own words never wait for a key
        if isinstance(event, MegolmEvent):
            event_id = event.event_id
            event = self._decrypt(room_id, event)
            if event is None:
                # the engine tells the citizen (in their language) and asks the open question again
                return Inbound("matrix", room_id, sender, event_id, unreadable=True) if private else None
        source = getattr(event, "source", {}) or {}
        parsed = parse_content(str(source.get("type", "")), source.get("content") or {})
        if parsed is None:
            return None
        inbound = await self._to_inbound(room_id, sender, event.event_id, parsed, private)
        return self._gate(room_id, private, inbound) if inbound else None

    def _gate(self, room_id: str, private: bool, inbound: Inbound) -> Inbound | None:
        """Group rooms: only their first event reaches the engine (it explains direct chats)."""
        if private:
            return inbound
        if room_id in self._noted_groups:
            return None
        self._noted_groups.add(room_id)
        return inbound

    async def _to_inbound(
        self, room_id: str, sender: str, event_id: str, parsed: Parsed, private: bool
    ) -> Inbound | None:
        base: dict[str, Any] = {
            "channel": "matrix",
            "address": room_id,
            "sender": sender,
            "event_id": event_id,
            "private": private,
        }
        if parsed.media is not None:
            media = await self._fetch_media(parsed.media)
            return Inbound(**base, media=media) if media else None
        return Inbound(
            **base, text=parsed.text, location=parsed.location, choice=parsed.choice, reply_to=parsed.reply_to
        )

    async def _fetch_media(self, ref: MediaRef) -> Media | None:
        """Download (and decrypt) a citizen's file, unless it is announced as too large."""
        assert self._client is not None
        kind: Literal["image", "file"] = "image" if ref.kind == "image" else "file"
        if ref.size is not None and ref.size > self._max_media:
            return Media(kind=kind, mime_type=ref.mime_type, size=ref.size, data=None, filename=ref.filename)
        response = await self._client.download(mxc=ref.url)
        if isinstance(response, DownloadError):
            code = getattr(getattr(response, "transport_response", None), "status", None)
            if code is not None and 400 <= code < 500:
                log.warning("matrix: a citizen's file could not be fetched (HTTP %s); skipped", code)
                return None
            raise RuntimeError(f"download failed: {response.status_code}")
        data: bytes = response.body
        if ref.encryption is not None:
            enc = ref.encryption
            data = decrypt_attachment(data, enc["key"]["k"], enc["hashes"]["sha256"], enc["iv"])
        if len(data) > self._max_media:
            return Media(kind=kind, mime_type=ref.mime_type, size=len(data), data=None, filename=ref.filename)
        return Media(kind=kind, mime_type=ref.mime_type, size=len(data), data=data, filename=ref.filename)

    # -- sending ---------------------------------------------------------

    def _contents(self, reply: Reply) -> list[tuple[str, dict[str, Any]]]:
        plain = render_plain(reply)
        limit = self.capabilities.max_text
        if self._polls and reply.options and not reply.multi and len(plain) <= limit:
            return [(POLL_START_TYPE, poll_content(reply.text, reply.options, plain))]
        return [("m.room.message", text_content(part)) for part in split_text(plain, limit)]

    async def send(self, address: str, reply: Reply, *, txn_id: str) -> str:
        """Send one reply; ``txn_id`` makes a retry of the same outbox row a no-op at the homeserver."""
        await self._ready.wait()
        event_id = ""
        if reply.text or reply.attachment is None:
            for index, (event_type, content) in enumerate(self._contents(reply)):
                part_txn = txn_id if index == 0 else f"{txn_id}.{index}"
                event_id = await self._room_send(address, event_type, content, part_txn)
        if reply.attachment is not None:
            event_id = await self._send_file(address, reply.attachment, f"{txn_id}.file")
        return event_id

    async def _room_send(self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str) -> str:
        assert self._client is not None
        try:
            response = await self._client.room_send(
                room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
            )
        except LocalProtocolError as exc:
            raise RecipientGone("the bot is not in this room") from exc
        except (SendRetryError, ClientError, TimeoutError, OSError) as exc:
            raise TransientSendError(exc.__class__.__name__) from exc
        except Exception as exc:
            # matrix-nio's key sharing can trip over a room changing under it; that is
            # worth a retry, and must not look like a malformed message to the outbox
            log.warning("matrix: send failed unexpectedly (%s); will be retried", exc.__class__.__name__, exc_info=True)
            raise TransientSendError(exc.__class__.__name__) from exc
        if isinstance(response, RoomSendError):
            status = getattr(getattr(response, "transport_response", None), "status", None)
            raise send_error(response.status_code, status, response.retry_after_ms)
        return str(response.event_id)

    async def _send_file(self, room_id: str, attachment: Attachment, txn_id: str) -> str:
        assert self._client is not None
        room = self._client.rooms.get(room_id)
        encrypt = bool(room and room.encrypted)
        try:
            upload, keys = await self._client.upload(
                io.BytesIO(attachment.data),
                content_type=attachment.mime_type,
                filename=attachment.filename,
                encrypt=encrypt,
                filesize=len(attachment.data),
            )
        except (ClientError, TimeoutError, OSError) as exc:
            raise TransientSendError(exc.__class__.__name__) from exc
        if not isinstance(upload, UploadResponse):
            status = getattr(getattr(upload, "transport_response", None), "status", None)
            raise send_error(upload.status_code, status, upload.retry_after_ms)
        size = len(attachment.data)
        if encrypt and keys is not None:
            content = file_content(
                attachment.filename, attachment.mime_type, size, encryption={**keys, "url": upload.content_uri}
            )
        else:
            content = file_content(attachment.filename, attachment.mime_type, size, url=upload.content_uri)
        return await self._room_send(room_id, "m.room.message", content, txn_id)
