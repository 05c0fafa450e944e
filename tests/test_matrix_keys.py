"""The bot's encryption keys across a SIGKILL, and messages whose key never comes.

A kill is simulated in-process at the exact instant that matters: an
exception no code catches (``Killed``) is raised inside matrix-nio, the
adapter's receive task dies with it, its client is dropped without another
request, and a new adapter opens the same ``store_dir`` — which is all a
restarted process would find on disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.matrix_keys import RoomKeyWaits
from tests.synapse.harness import Bot, dm_with_start
from tests.synapse.server import SynapseServer


class Killed(BaseException):
    """The process died here (a BaseException: nothing on the way may catch it)."""


async def kill(bot: Bot) -> None:
    """Wait for the receive task to die of ``Killed``; drop the adapter without a goodbye."""
    adapter = bot.adapter
    assert adapter is not None and adapter._task is not None
    with pytest.raises(Killed):
        await asyncio.wait_for(adapter._task, timeout=30)
    assert adapter._client is not None
    await adapter._client.close()
    bot.adapter = None


def one_time_key_count(server: SynapseServer, token: str) -> int:
    """How many one-time keys the homeserver holds for the token's device (an empty upload tells)."""
    counts = server.request("POST", "/_matrix/client/v3/keys/upload", {}, token=token)["one_time_key_counts"]
    return int(counts.get("signed_curve25519", 0))


def claim_all_one_time_keys(server: SynapseServer, bot: Bot, device_id: str, token: str) -> int:
    body = {"one_time_keys": {bot.account.user_id: {device_id: "signed_curve25519"}}}
    claimed = 0
    while server.request("POST", "/_matrix/client/v3/keys/claim", body, token=token)["one_time_keys"]:
        claimed += 1
    return claimed


# -- RoomKeyWaits (no homeserver) --------------------------------------------


def test_a_session_waits_once_from_its_first_unreadable_message() -> None:
    waits = RoomKeyWaits(60)
    assert waits.missing("s1", now=100.0) is True  # ask for the key now
    assert waits.missing("s1", now=130.0) is False  # a second message of s1: no second request
    assert not waits.expired("s1", now=159.9)
    assert waits.expired("s1", now=160.0)
    assert waits.missing("s2", now=150.0) is True and not waits.expired("s2", now=160.0)


def test_an_arrived_key_ends_the_wait_and_unknown_sessions_never_expire() -> None:
    waits = RoomKeyWaits(10)
    waits.missing("s1", now=0.0)
    waits.arrived("s1")
    assert not waits.expired("s1", now=1000.0)
    assert waits.missing("s1", now=1000.0) is True  # missing again later: a fresh wait


def test_the_oldest_waits_are_forgotten_beyond_the_limit() -> None:
    waits = RoomKeyWaits(10, limit=2)
    for n, session in enumerate(["a", "b", "c"]):
        waits.missing(session, now=float(n))
    assert waits.missing("a", now=50.0) is True  # "a" was dropped to make room for "c"
    assert waits.expired("c", now=50.0)


# -- against Synapse -------------------------------------------------------------


@pytest.mark.slow
async def test_a_kill_between_olm_ratchet_and_room_key_loses_no_message(
    matrix_world: Callable[..., Awaitable[Any]],
) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start(room_key_grace=5)
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)

    olm = adapter._client.olm

    def die(*_: Any) -> None:
        raise Killed()

    # the citizen's first message brings its room key in an Olm pre-key message: the
    # bot spends a one-time key and saves its new Olm session, then dies before the
    # room key itself is written
    olm.save_inbound_group_session = die
    await citizen.say(room_id, "erste Antwort")
    await kill(bot)
    assert [i.text for i in bot.recorder.in_room(room_id)] == ["start"]

    await bot.start(room_key_grace=5)
    inbound = await bot.recorder.wait_for(room_id, 2, timeout=30)
    assert [i.text for i in inbound] == ["start", "erste Antwort"]
    await citizen.say(room_id, "zweite Antwort")
    inbound = await bot.recorder.wait_for(room_id, 3, timeout=30)
    assert inbound[2].text == "zweite Antwort"
    assert not any(i.unreadable for i in bot.recorder.in_room(room_id))


async def wait_for_key_count(server: SynapseServer, token: str, count: int) -> None:
    for _ in range(100):
        if one_time_key_count(server, token) == count:
            return
        await asyncio.sleep(0.1)
    assert one_time_key_count(server, token) == count


@pytest.mark.slow
async def test_a_bot_whose_one_time_keys_were_all_claimed_uploads_new_ones(
    matrix_world: Callable[..., Awaitable[Any]], synapse: SynapseServer
) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    device_id, token = adapter.device_id, adapter._client.access_token
    await bot.stop()
    assert claim_all_one_time_keys(synapse, bot, device_id, token) == 50
    assert one_time_key_count(synapse, token) == 0

    await bot.start()
    await wait_for_key_count(synapse, token, 50)


@pytest.mark.slow
async def test_a_kill_right_after_a_key_upload_leaves_no_dead_one_time_keys(
    matrix_world: Callable[..., Awaitable[Any]], synapse: SynapseServer
) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start(room_key_grace=5)
    device_id, token = adapter.device_id, adapter._client.access_token
    await bot.stop()
    # others take every one-time key while the bot is down
    assert claim_all_one_time_keys(synapse, bot, device_id, token) == 50

    adapter = await bot.start(room_key_grace=5)
    client = adapter._client
    send = client.send

    async def send_then_die(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        response = await send(method, path, *args, **kwargs)
        if "/keys/upload" in path:
            raise Killed()  # the server has the new keys; the bot never read its answer
        return response

    # installed before the receive task runs: its first sync shows no keys left,
    # so it uploads fresh ones — and dies right after
    client.send = send_then_die
    await kill(bot)
    assert one_time_key_count(synapse, token) == 50

    await bot.start(room_key_grace=5)
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)
    # the citizen writes first, so its client opens an Olm session with one of those keys
    await citizen.say(room_id, "Hallo")
    inbound = await bot.recorder.wait_for(room_id, 2, timeout=30)
    assert inbound[1].text == "Hallo"
    assert not any(i.unreadable for i in bot.recorder.in_room(room_id))

    # and the bot can top its keys up again (the unpublished ones are re-sent unchanged)
    await wait_for_key_count(synapse, token, 50)


@pytest.mark.slow
async def test_a_to_device_message_nobody_can_open_does_not_deafen_the_bot(
    matrix_world: Callable[..., Awaitable[Any]], synapse: SynapseServer
) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)

    # any Matrix user can send the bot's device a to-device message; this one
    # claims to be an Olm pre-key message but is not
    own_key = adapter._client.olm.account.identity_keys["curve25519"]
    garbage = {
        "algorithm": "m.olm.v1.curve25519-aes-sha2",
        "sender_key": "c2VuZGVyIGtleSBvZiBub2JvZHk",
        "ciphertext": {own_key: {"type": 0, "body": "bm90IGFuIG9sbSBtZXNzYWdl"}},
    }
    stranger = synapse.register()
    body = {"messages": {bot.account.user_id: {adapter.device_id: garbage}}}
    synapse.request(
        "PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/garbage-1", body, token=stranger.access_token
    )

    await citizen.say(room_id, "trotzdem gelesen")
    inbound = await bot.recorder.wait_for(room_id, 2, timeout=20)
    assert inbound[1].text == "trotzdem gelesen"
    assert adapter._task is not None and not adapter._task.done()


@pytest.mark.slow
async def test_a_message_whose_key_never_comes_is_answered_not_dropped(
    matrix_world: Callable[..., Awaitable[Any]],
) -> None:
    bot = await matrix_world("bot")
    await bot.start(room_key_grace=2)
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)
    await citizen.say(room_id, "eins")
    await bot.recorder.wait_for(room_id, 2)

    # the citizen's client starts a new Megolm session and "forgets" to share it
    olm = citizen.client.olm
    olm.create_outbound_group_session(room_id)
    olm.outbound_group_sessions[room_id].shared = True
    await citizen.say(room_id, "verloren 1")
    await citizen.say(room_id, "verloren 2")
    del olm.outbound_group_sessions[room_id]  # the next message shares a new session again
    await citizen.say(room_id, "danach")

    inbound = await bot.recorder.wait_for(room_id, 5, timeout=30)
    # the two lost messages reach the engine as unreadable (it asks the citizen to
    # send them again), in their place: nothing after them overtook them
    assert [(i.text, i.unreadable) for i in inbound] == [
        ("start", False),
        ("eins", False),
        (None, True),
        (None, True),
        ("danach", False),
    ]
    assert all(i.sender == citizen.account.user_id for i in inbound[1:])
