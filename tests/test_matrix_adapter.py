"""The Matrix adapter against a real Synapse, citizens played by matrix-nio clients.

No engine here: a recording ``deliver`` stands in for it, and the tests call
``send`` directly the way the outbox would.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from typing import Any

import pytest

from adapters.base import Attachment, Option, RecipientGone, Reply, RetryLater
from adapters.matrix import CURSOR_KEY, MatrixLoginError
from adapters.matrix_session import MatrixStoreError
from tests.synapse.harness import dm_with_start
from tests.synapse.server import SynapseServer

pytestmark = pytest.mark.slow

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8e3f60000000049454e44ae426082"
)


def members(server: SynapseServer, room_id: str, token: str) -> dict[str, str]:
    """Membership of each user in the room, as the homeserver sees it."""
    path = f"/_matrix/client/v3/rooms/{urllib.parse.quote(room_id)}/members"
    chunk = server.request("GET", path, token=token)["chunk"]
    return {e["state_key"]: e["content"]["membership"] for e in chunk}


# -- joining -------------------------------------------------------------


async def test_invite_from_allowed_server_is_joined_and_starts_the_conversation(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await citizen.open_dm(encrypted=False)

    [start] = await bot.recorder.wait_for(room_id, 1)
    assert (start.text, start.private, start.sender, start.channel) == ("start", True, citizen.user_id, "matrix")
    assert members(bot.server, room_id, citizen.account.access_token)[bot.account.user_id] == "join"

    await citizen.say(room_id, "Hallo")
    inbound = await bot.recorder.wait_for(room_id, 2)
    assert inbound[1].text == "Hallo" and inbound[1].sender == citizen.user_id


async def test_invite_from_a_server_not_allowed_is_declined(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    await bot.start(allowed_servers=["example.org"])
    citizen = await matrix_world("citizen", bot)
    room_id = await citizen.open_dm(encrypted=False)

    for _ in range(100):
        if members(bot.server, room_id, citizen.account.access_token).get(bot.account.user_id) == "leave":
            break
        await asyncio.sleep(0.1)
    assert members(bot.server, room_id, citizen.account.access_token)[bot.account.user_id] == "leave"
    assert bot.recorder.inbound == []


async def test_history_before_the_join_and_own_messages_are_ignored(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await citizen.open_dm(encrypted=False, invite=[])
    await citizen.say(room_id, "vor dem Beitritt")
    await citizen.client.room_invite(room_id, bot.account.user_id)
    await bot.recorder.wait_for(room_id, 1)

    await adapter.send(room_id, Reply(text="Willkommen"), txn_id="t-own-1")
    await citizen.say(room_id, "danach")
    inbound = await bot.recorder.wait_for(room_id, 2)
    await asyncio.sleep(0.5)
    assert [i.text for i in bot.recorder.in_room(room_id)] == ["start", "danach"]
    assert inbound[0].text == "start"


async def test_group_room_gets_one_event_marked_not_private(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    await bot.start()
    citizen = await matrix_world("citizen", bot)
    other = await matrix_world("citizen", bot)
    room_id = await citizen.open_dm(encrypted=False, invite=[bot.account.user_id, other.user_id])

    [start] = await bot.recorder.wait_for(room_id, 1)
    assert start.private is False
    await citizen.say(room_id, "Hallo an alle")
    await asyncio.sleep(1.0)
    assert len(bot.recorder.in_room(room_id)) == 1


# -- encryption ----------------------------------------------------------


async def test_encrypted_dm_both_ways(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)

    await citizen.say(room_id, "geheime Antwort")
    inbound = await bot.recorder.wait_for(room_id, 2)
    assert inbound[1].text == "geheime Antwort"

    await adapter.send(room_id, Reply(text="Danke <b>sehr</b>"), txn_id="enc-1")
    [message] = await citizen.wait_for_messages(room_id, 1)
    assert message.type == "m.room.message"
    assert message.content == {"msgtype": "m.text", "body": "Danke <b>sehr</b>"}
    assert citizen.undecryptable == 0


async def test_restart_keeps_the_device_and_catches_up_in_order(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    device = adapter.device_id
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)
    await citizen.say(room_id, "eins")
    await bot.recorder.wait_for(room_id, 2)
    await bot.stop()

    await citizen.say(room_id, "zwei (while the bot is down)")
    restarted = await bot.start()
    assert restarted.device_id == device
    await citizen.say(room_id, "drei")
    inbound = await bot.recorder.wait_for(room_id, 4)
    assert [i.text for i in inbound] == ["start", "eins", "zwei (while the bot is down)", "drei"]

    await restarted.send(room_id, Reply(text="noch da"), txn_id="after-restart")
    [message] = await citizen.wait_for_messages(room_id, 1)
    assert message.body == "noch da"
    assert citizen.undecryptable == 0


async def test_login_with_an_access_token_keeps_that_device_across_restarts(matrix_world: Any) -> None:
    """An operator who created the device elsewhere and configured only its access token."""
    bot = await matrix_world("bot")
    token, device = bot.account.access_token, bot.account.device_id
    adapter = await bot.start(password=None, access_token=token)
    assert adapter.device_id == device
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)
    await citizen.say(room_id, "mit Token")
    await bot.recorder.wait_for(room_id, 2)
    await bot.stop()

    restarted = await bot.start(password=None, access_token=token)
    assert restarted.device_id == device
    await citizen.say(room_id, "nach dem Neustart")
    inbound = await bot.recorder.wait_for(room_id, 3)
    assert [i.text for i in inbound] == ["start", "mit Token", "nach dem Neustart"]
    assert citizen.undecryptable == 0


async def test_a_wrong_access_token_stops_the_start(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    with pytest.raises(MatrixLoginError, match="rejected"):
        await bot.start(password=None, access_token="syt_not_a_real_token")
    assert not any(bot.store.glob("*.db")), "no encryption store is created for a login that failed"


async def test_a_store_that_cannot_be_opened_stops_the_start(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    device = adapter.device_id
    await bot.stop()
    database = bot.store / f"{bot.account.user_id}_{device}.db"
    database.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.raises(MatrixStoreError, match="cannot be opened"):
        await bot.start()

    database.unlink()
    with pytest.raises(MatrixStoreError, match="missing"):
        await bot.start()


# -- sending -------------------------------------------------------------


async def test_sending_with_the_same_transaction_id_twice_posts_once(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)

    first = await adapter.send(room_id, Reply(text="Frage 1"), txn_id="row-17")
    again = await adapter.send(room_id, Reply(text="Frage 1"), txn_id="row-17")
    assert first == again
    await adapter.send(room_id, Reply(text="Frage 2"), txn_id="row-18")
    messages = await citizen.wait_for_messages(room_id, 2)
    await asyncio.sleep(0.5)
    assert [m.body for m in citizen.messages[room_id]] == ["Frage 1", "Frage 2"]
    assert messages[0].event_id == first


async def test_numbered_options_and_a_file(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)
    options = (Option("p:1", "Täglich", 1), Option("p:2", "Selten", 2))
    await adapter.send(room_id, Reply(text="Wie oft?", options=options), txn_id="q-1")
    data = b'{"antworten": []}'
    reply = Reply(text="Deine Daten", attachment=Attachment("meinedaten.json", "application/json", data))
    await adapter.send(room_id, reply, txn_id="q-2")

    messages = await citizen.wait_for_messages(room_id, 3)
    assert messages[0].body == "Wie oft?\n\n1 – Täglich\n2 – Selten"
    assert messages[1].body == "Deine Daten"
    file_message = messages[2].content
    assert file_message["msgtype"] == "m.file" and file_message["filename"] == "meinedaten.json"
    assert "file" in file_message and "url" not in file_message  # encrypted upload in an encrypted room
    from nio.crypto import decrypt_attachment

    download = await citizen.client.download(mxc=file_message["file"]["url"])
    enc = file_message["file"]
    assert decrypt_attachment(download.body, enc["key"]["k"], enc["hashes"]["sha256"], enc["iv"]) == data


async def test_rate_limit_becomes_retry_later(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=False)
    bot.server.set_ratelimit(bot.account.user_id, 1, 1)

    with pytest.raises(RetryLater) as raised:
        for n in range(10):
            await adapter.send(room_id, Reply(text=f"Nachricht {n}"), txn_id=f"rl-{n}")
    assert 0 < raised.value.seconds <= 5


async def test_sending_to_a_room_the_bot_left_is_recipient_gone(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=False)
    await citizen.client.room_kick(room_id, bot.account.user_id)
    await asyncio.sleep(0.3)
    with pytest.raises(RecipientGone):
        await adapter.send(room_id, Reply(text="Hallo?"), txn_id="gone-1")


# -- answers -------------------------------------------------------------


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_location_and_images(matrix_world: Any, encrypted: bool) -> None:
    bot = await matrix_world("bot")
    await bot.start(max_photo_bytes=1000)
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=encrypted)

    await citizen.share_location(room_id, 51.5136, 7.4653)
    await citizen.send_image(room_id, PNG, encrypted=encrypted)
    await citizen.send_image(room_id, PNG, encrypted=encrypted, announce_size=5000)
    inbound = await bot.recorder.wait_for(room_id, 4)

    assert inbound[1].location == (51.5136, 7.4653)
    photo = inbound[2].media
    assert photo is not None and (photo.kind, photo.mime_type, photo.data, photo.size) == (
        "image",
        "image/png",
        PNG,
        len(PNG),
    )
    too_large = inbound[3].media
    assert too_large is not None and too_large.data is None and too_large.size == 5000


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_poll_is_sent_and_its_answer_is_a_choice(matrix_world: Any, encrypted: bool) -> None:
    bot = await matrix_world("bot")
    adapter = await bot.start(polls=True)
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=encrypted)
    options = (Option("v1.q3.a", "Ja", 1), Option("v1.q3.b", "Nein", 2))
    poll_id = await adapter.send(room_id, Reply(text="Mehr Radwege?", options=options), txn_id="poll-1")

    [poll] = await citizen.wait_for_messages(room_id, 1)
    assert poll.type == "org.matrix.msc3381.poll.start" and poll.event_id == poll_id
    start = poll.content["org.matrix.msc3381.poll.start"]
    assert [a["id"] for a in start["answers"]] == ["v1.q3.a", "v1.q3.b"]
    assert poll.content["org.matrix.msc1767.text"] == "Mehr Radwege?\n\n1 – Ja\n2 – Nein"

    await citizen.answer_poll(room_id, poll_id, "v1.q3.b")
    inbound = await bot.recorder.wait_for(room_id, 2)
    assert (inbound[1].choice, inbound[1].reply_to, inbound[1].text) == ("v1.q3.b", poll_id, None)


# -- no loss -------------------------------------------------------------


async def test_a_limited_sync_is_filled_from_history(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    await bot.start(timeline_limit=5)
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=True)
    await bot.stop()

    texts = [f"Antwort {n}" for n in range(23)]
    for text in texts:
        await citizen.say(room_id, text)
    await bot.start(timeline_limit=5)
    await bot.recorder.wait_for(room_id, 1 + len(texts))
    await asyncio.sleep(0.5)
    assert [i.text for i in bot.recorder.in_room(room_id)] == ["start", *texts]


async def test_cursor_moves_only_after_delivery_succeeded(matrix_world: Any) -> None:
    bot = await matrix_world("bot")
    await bot.start()
    citizen = await matrix_world("citizen", bot)
    room_id = await dm_with_start(bot, citizen, encrypted=False)
    saved = bot.cursor.values[CURSOR_KEY]

    bot.recorder.failures_left = 2
    await citizen.say(room_id, "wichtig")
    await asyncio.sleep(1.0)
    assert bot.cursor.values[CURSOR_KEY] == saved  # the engine failed: the cursor stays
    inbound = await bot.recorder.wait_for(room_id, 2, timeout=30)
    assert inbound[1].text == "wichtig"
    await bot.recorder.wait_until(lambda: bot.cursor.values[CURSOR_KEY] != saved)
