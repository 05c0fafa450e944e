"""Webhook mode against the Bot API double: answered only after the commit, wrong secrets refused."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.telegram import TelegramAdapter
from tests.telegram_double import TelegramDouble
from tests.telegram_double.harness import Engine, make_adapter, wait_until

SECRET = "s3cr3t-token_for-tests"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def double() -> AsyncIterator[TelegramDouble]:
    async with TelegramDouble() as running:
        yield running


def _webhook_adapter(double: TelegramDouble) -> tuple[TelegramAdapter, str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    adapter = make_adapter(
        double, mode="webhook", webhook_listen=f"127.0.0.1:{port}", webhook_url=url, webhook_secret=SECRET
    )
    return adapter, url


async def test_updates_pushed_by_telegram_reach_the_engine_and_are_confirmed(double: TelegramDouble) -> None:
    engine = Engine()
    adapter, url = _webhook_adapter(double)
    await adapter.start(engine)
    assert double.world.webhook == {"url": url, "secret_token": SECRET, "max_connections": 40}
    first = double.world.say(30, "Hallo")
    double.world.say(30, "1")
    await wait_until(lambda: len(double.world.confirmed) == 2)
    assert [e.text for e in engine.events] == ["Hallo", "1"]
    assert double.world.confirmed == [first, first + 1]
    await adapter.stop()


async def test_a_failed_commit_answers_500_and_telegram_sends_the_update_again(double: TelegramDouble) -> None:
    engine = Engine()
    engine.fail_next = 1
    adapter, _ = _webhook_adapter(double)
    await adapter.start(engine)
    update = double.world.say(31, "Antwort")
    await wait_until(lambda: double.world.confirmed == [update])
    assert double.world.webhook_statuses[:2] == [500, 200]
    assert [int(e.event_id) for e in engine.events] == [update]
    await adapter.stop()


@pytest.mark.parametrize("header", [{"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}])
async def test_a_wrong_or_missing_secret_is_refused(double: TelegramDouble, header: dict[str, str]) -> None:
    engine = Engine()
    adapter, url = _webhook_adapter(double)
    await adapter.start(engine)
    forged = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 9, "type": "private"}, "text": "x"},
    }
    async with aiohttp.ClientSession() as session, session.post(url, json=forged, headers=header) as response:
        assert response.status == 403
    right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as session, session.post(url, json=forged, headers=right) as response:
        assert response.status == 200
    assert [e.event_id for e in engine.events] == ["1"]  # only the one with the right secret
    await adapter.stop()


def test_webhook_mode_needs_a_url_and_a_secret() -> None:
    with pytest.raises(ValueError, match="webhook"):
        TelegramAdapter(token="1:x", mode="webhook", webhook_url="https://example.org/hook")
    with pytest.raises(ValueError, match="mode"):
        TelegramAdapter(token="1:x", mode="carrier-pigeon")
