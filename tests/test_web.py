"""The web chat without JavaScript, in-process: the whole conversation through forms, sessions,
de-duplication by the form's message id, deep links, security headers and guards, restarts."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import aiohttp
import pytest

from adapters.base import Reply
from adapters.render import direction
from adapters.web import COOKIE, merge_transcript
from adapters.web_session import ClientAddress, RateLimit, Sessions, normal_code
from adapters.web_view import conversation, lines_of
from bot.runtime.app import Core
from bot.runtime.outbox import OutboxSender
from tests.web_harness import WebClient, new_mid, running_web_chat, tiny_png, web_adapter

SCRIPT_IN_PAGE = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=|\sstyle=", re.I)


async def consent(client: WebClient) -> None:
    page = await client.get("/")
    assert page.status == 200 and "Starten" in page.body
    page = await client.submit(text="menü")
    assert "Sind Sie einverstanden?" in page.last
    assert page.options == ["Ja, einverstanden", "Nein"]
    page = await client.press("Ja, einverstanden")
    assert "Wobei möchten Sie mitmachen?" in page.last


def answers(core: Core, process_id: str = "park-test") -> dict[str, object]:
    return {a.question_id: a.value for _, found in core.store.responses(process_id) for a in found}


async def test_a_whole_survey_through_forms_and_buttons(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        try:
            await consent(client)
            page = await client.press("Parkumfrage")
            assert "Wie oft sind Sie im Park?" in page.last and page.options[:3] == ["Oft", "Selten", "Nie"]
            page = await client.press("Selten")
            assert "Warum nicht öfter?" in page.last
            page = await client.press("Zu weit weg")  # a multi question: toggles redraw the question
            assert re.search(r'aria-pressed="true"[^>]*>.*Zu weit weg', page.body)
            page = await client.press("Keine Zeit")
            page = await client.press("Fertig")
            assert "Haben Sie einen Hund?" in page.last
            page = await client.press("Nein")
            page = await client.say("5")  # numbers can still be typed
            assert "Wie alt sind Sie?" in page.last
            page = await client.say("überspringen")
            page = await client.say("ab")
            assert "Bitte mindestens drei Zeichen." in page.last, "a wrong answer gets the question again"
            page = await client.say("Mehr <b>Schatten</b> & Bänke")
            assert ("own", "Mehr <b>Schatten</b> & Bänke") in page.messages
            assert "<b>Schatten</b>" not in page.body, "what a citizen types is escaped"
            page = await client.say("24.12.2026")
            page = await client.say("Am Teich")
            assert "Haben Sie ein Foto?" in page.last and 'type="file"' in page.body
            page = await client.say("skip")
            assert "Danke für Ihre Antworten!" in page.last
        finally:
            await client.close()
    assert answers(core) == {
        "besuch": "selten",
        "grund": ["weg", "zeit"],
        "hund": False,
        "note": 5,
        "alter": None,
        "wunsch": "Mehr <b>Schatten</b> & Bänke",
        "termin": "2026-12-24",
        "ort": {"text": "Am Teich"},
        "bild": None,
    }


async def test_a_resubmitted_form_is_handled_once(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        try:
            await consent(client)
            await client.press("Parkumfrage")
            page = await client.press("Oft")
            assert "Haben Sie einen Hund?" in page.last
            hidden = page.hidden()
            first = await client.post("/send", {**hidden, "text": "ja"})
            again = await client.post("/send", {**hidden, "text": "ja"})  # the same message id
            assert first.status == again.status == 200
            assert [t for w, t in again.messages if w == "own"].count("ja") == 1
            assert "Wie gefällt Ihnen der Park?" in again.last
            assert answers(core)["hund"] is True
        finally:
            await client.close()


async def test_the_page_after_a_restart_is_drawn_from_the_database(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        await consent(client)
        await client.press("Parkumfrage")
        before = await client.press("Oft")
        cookies = client.session.cookie_jar
    async with running_web_chat(core) as (_, base2):  # a new process: nothing in memory
        again = WebClient(base2)
        again.session.cookie_jar.update_cookies({COOKIE: _cookie(cookies)})
        after = await again.get("/")
        # all since the consent; what the bot said before it was never kept (nothing of a visitor is)
        assert "Wobei möchten Sie mitmachen?" in after.messages[0][1]
        assert after.messages == before.messages[-len(after.messages) :] and len(after.messages) >= 3
        assert "Haben Sie einen Hund?" in after.last and after.options == ["Ja", "Nein"]
        await again.close()
        await client.close()


def _cookie(jar: object) -> str:
    return next(c.value for c in jar if c.key == COOKIE)  # type: ignore[attr-defined]


async def test_the_event_stream_tells_of_new_messages_and_ends_with_the_server(core: Core) -> None:
    loop = asyncio.get_running_loop()
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        page = await client.get("/")
        stream = await client.session.get(base + "/events")
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert stream.headers["X-Accel-Buffering"] == "no"
        assert (await stream.content.readline()).startswith(b"retry:")
        await client.post("/send", {**page.hidden(), "text": "menü"})
        lines = [await asyncio.wait_for(stream.content.readline(), 5) for _ in range(3)]
        assert b"event: change\n" in lines
        stopping = loop.time()  # the server stops with the stream still open
    assert loop.time() - stopping < 5, "an open stream does not hold up the stop"
    stream.close()
    await client.close()


async def test_posts_need_the_session_and_its_csrf_token(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        stranger = WebClient(base)
        try:
            page = await client.get("/")
            forged = await client.post("/send", {"mid": new_mid(), "text": "menü", "csrf": "0" * 32})
            assert forged.status == 403 and "Sitzung" in forged.body
            no_session = await stranger.post("/send", {**page.hidden(), "text": "menü"})
            assert no_session.status == 403
            assert core.store.outbox_pending("web") == 0, "nothing was handed to the engine"
        finally:
            await client.close()
            await stranger.close()


async def test_headers_forbid_inline_script_and_foreign_frames(core: Core) -> None:
    async with running_web_chat(core, frame_ancestors=("https://www.example.org",)) as (_, base):
        client = WebClient(base)
        try:
            page = await client.get("/")
            csp = page.headers["Content-Security-Policy"]
            assert "default-src 'self'" in csp and "frame-ancestors https://www.example.org" in csp
            assert "unsafe-inline" not in csp
            assert not SCRIPT_IN_PAGE.search(page.body)
            assert re.search(r"HttpOnly", page.headers["Set-Cookie"]) and "SameSite=Lax" in page.headers["Set-Cookie"]
            assert "Secure" not in page.headers["Set-Cookie"], "plain http on loopback"
            cookie = _cookie(client.session.cookie_jar)
            address = cookie.split(".")[0]
            assert len(address) >= 22, "at least 128 random bits"
            script = await client.get("/static/chat.js")
            assert script.status == 200 and "EventSource" in script.body
            assert (
                script.headers["Cache-Control"] == "public, max-age=3600"
                and page.headers["Cache-Control"] == "no-store"
            )
        finally:
            await client.close()


async def test_deep_links_open_a_process_after_consent_and_refuse_unknown_ones(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        try:
            unknown = await client.get("/p/gibt-es-nicht")
            assert (
                unknown.status == 404 and "keiner offenen Umfrage" in unknown.body and "Traceback" not in unknown.body
            )
            page = await client.get("/p/park-test")
            assert "Sind Sie einverstanden?" in page.last
            page = await client.press("Ja, einverstanden")
            assert "Wie oft sind Sie im Park?" in page.last, "the linked survey starts after consent"
            missing = await client.get("/nirgends")
            assert missing.status == 404 and "Diese Seite gibt es nicht." in missing.body
        finally:
            await client.close()


async def test_language_from_the_query_then_accept_language(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        english = WebClient(base, headers={"Accept-Language": "fr;q=0.9, en-GB;q=0.8, de;q=0.1"})
        chosen = WebClient(base)
        try:
            page = await english.get("/")
            assert '<html lang="en" dir="ltr">' in page.body and "Your message" in page.body
            page = await english.submit(text="start")
            assert "Do you agree?" in page.last
            page = await chosen.get("/?lang=en")
            assert '<html lang="en"' in page.body
            page = await chosen.get("/")
            assert '<html lang="en"' in page.body, "the choice is kept"
        finally:
            await english.close()
            await chosen.close()


async def test_the_language_buttons_switch_page_and_conversation(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        try:
            await consent(client)
            page = await client.submit("/language", lang="en")
            assert '<html lang="en"' in page.body and "Your message" in page.body
            assert re.search(r'<li class="msg bot"[^>]* lang="de"', page.body), "earlier messages keep their language"
            assert "I will now write in English." in page.last
        finally:
            await client.close()


async def test_too_many_new_sessions_from_one_address_get_a_friendly_page(core: Core) -> None:
    async with running_web_chat(core, sessions_per_minute=3) as (_, base):
        clients = [WebClient(base) for _ in range(4)]
        behind_proxy = WebClient(base, headers={"X-Forwarded-For": "203.0.113.9"})
        try:
            statuses = [(await c.get("/")).status for c in clients]
            assert statuses == [200, 200, 200, 429]
            assert "Zu viele Anfragen" in clients[-1].page.body  # type: ignore[union-attr]
            # loopback is no trusted proxy here: its X-Forwarded-For is not believed
            assert (await behind_proxy.get("/")).status == 429
        finally:
            for c in [*clients, behind_proxy]:
                await c.close()


async def test_too_many_messages_from_one_session_get_a_friendly_page(core: Core) -> None:
    async with running_web_chat(core, posts_per_minute=2) as (_, base):
        client = WebClient(base)
        try:
            page = await client.get("/")
            statuses = [(await client.post("/send", {**page.hidden(), "mid": new_mid(), "text": "hilfe"})).status]
            statuses += [(await client.post("/send", {**page.hidden(), "mid": new_mid(), "text": "hilfe"})).status]
            refused = await client.post("/send", {**page.hidden(), "mid": new_mid(), "text": "hilfe"})
            assert statuses == [200, 200] and refused.status == 429 and "Bitte warten Sie eine Minute" in refused.body
        finally:
            await client.close()


async def test_erasure_ends_the_session_and_its_cookie(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        try:
            await consent(client)
            address = _cookie(client.session.cookie_jar).split(".")[0]
            page = await client.say("löschen")
            page = await client.press("Ja, alles löschen")
            assert "Alles, was über Sie gespeichert war, ist gelöscht." in page.last
            assert page.headers["Set-Cookie"].startswith(f"{COOKIE}=") and "Max-Age=0" in page.headers["Set-Cookie"]
            assert "Ein neues Gespräch beginnen" in page.body
            fresh = await client.get("/")
            assert fresh.messages == [], "a new, empty conversation"
            for _ in range(100):  # the confirmation names nobody: once shown, its text goes too
                if not core.store.transcript("web", address):
                    break
                await asyncio.sleep(0.05)
            assert core.store.transcript("web", address) == [], "nothing of the old conversation is kept"
        finally:
            await client.close()


async def test_my_data_is_a_download_and_resume_codes_open_the_session_elsewhere(core: Core) -> None:
    async with running_web_chat(core) as (_, base):
        client = WebClient(base)
        other = WebClient(base)
        try:
            await consent(client)
            page = await client.say("meinedaten")
            link = re.search(r'href="(/file/[^"]+)" download', page.body)
            assert link, page.body
            async with client.session.get(base + link[1]) as response:
                assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
                assert b"pseudonym" in await response.read()
            async with other.session.get(base + link[1]) as response:
                assert response.status == 404, "another session gets nobody's file"
            shown = await client.submit("/resume/new")
            code = re.search(r'class="code">([A-Z2-9]{5}-[A-Z2-9]{5})<', shown.body)
            assert code, shown.body
            await other.get("/")
            moved = await other.submit("/resume", code=code[1].lower())
            assert moved.messages == (await client.get("/")).messages
            third = WebClient(base)
            await third.get("/")
            again = await third.submit("/resume", code=code[1])
            assert again.status == 400 and "gilt nicht" in again.body, "a code works once"
            await third.close()
        finally:
            await client.close()
            await other.close()


async def test_photo_upload_location_and_body_limit(core: Core) -> None:
    async with running_web_chat(core, max_photo_bytes=200_000) as (_, base):
        client = WebClient(base)
        try:
            await consent(client)
            await client.press("Parkumfrage")
            for step in ("Oft", "Nein"):
                await client.press(step)
            for text in ("3", "40", "Bänke", "heute"):
                page = await client.say(text)
            assert "Wo genau?" in page.last and 'id="locate"' in page.body
            page = await client.submit(latitude="51.5136", longitude="7.4653")
            assert "Haben Sie ein Foto?" in page.last
            form = aiohttp.FormData()
            for key, value in page.hidden().items():
                form.add_field(key, value)
            form.add_field("photo", tiny_png(), filename="bank.png", content_type="image/png")
            page = await client.post("/send", form)
            assert "Danke für Ihre Antworten!" in page.last
            assert answers(core)["ort"] == {"lat": 51.5136, "lon": 7.4653}
            assert answers(core)["bild"]
            long = await client.post("/send", {**page.hidden(), "mid": new_mid(), "text": "ä" * 40_000})
            echoed = next(text for who, text in reversed(long.messages) if who == "own")
            assert len(echoed.encode()) <= 64 * 1024 < 80_000, "texts are cut at 64 KiB"
            huge = await client.post("/send", {**page.hidden(), "text": "x" * 600_000})
            assert huge.status == 413 and "zu groß" in huge.body
        finally:
            await client.close()


# --- the pure parts -------------------------------------------------------------------------


def test_sessions_are_keyed_and_codes_forgiving() -> None:
    sessions = Sessions(b"k" * 32)
    address = sessions.new_address()
    cookie = sessions.cookie(address)
    assert sessions.address(cookie) == address
    assert sessions.address(address + ".0000") is None and sessions.address("x") is None
    assert Sessions(b"o" * 32).address(cookie) is None, "another server's secret opens nothing"
    assert sessions.event_id(address, "m1") != sessions.event_id(sessions.new_address(), "m1")
    assert normal_code("abcde-fgh2k ") == "ABCDEFGH2K"
    assert sessions.resume_key("ABCDE-FGH2K") == sessions.resume_key("abcdefgh2k")


def test_client_address_believes_only_trusted_proxies() -> None:
    clients = ClientAddress(["10.0.0.0/8", "::1"])
    assert clients.of("203.0.113.5", "1.2.3.4") == "203.0.113.5"
    assert clients.of("10.1.2.3", "198.51.100.7, 10.9.9.9") == "198.51.100.7"
    assert clients.of("10.1.2.3", "6.6.6.6, 198.51.100.7") == "198.51.100.7", "a forged first hop is skipped"
    assert clients.of("::1", None) == "::1"


def test_rate_limit_slides() -> None:
    now = [0.0]
    limit = RateLimit(2, 60, clock=lambda: now[0])
    assert [limit.allow("a"), limit.allow("a"), limit.allow("a"), limit.allow("b")] == [True, True, False, True]
    now[0] = 61
    assert limit.allow("a")


def test_transcript_view_edits_links_and_open_question() -> None:
    from adapters.base import Option

    ask = Reply("Warum? Siehe https://example.org/x.", options=(Option("p1", "A", 1),), multi=True, question_key="s/q")
    toggled = Reply("Warum?", options=(Option("p1", "A", 1),), multi=True, selected=("p1",), edit_of="k1")
    chat = conversation([("k0", Reply("hallo", own=True)), ("k1", ask), ("k2", toggled)])
    assert [m.key for m in chat.messages] == ["k0", "k1"] and chat.question is not None
    assert chat.question.key == "k1" and chat.question.selected == ("p1",)
    pieces = lines_of("Siehe https://example.org/x.")[0][0]
    assert [(p.text, p.href) for p in pieces] == [
        ("Siehe ", None),
        ("https://example.org/x", "https://example.org/x"),
        (".", None),
    ], "the full stop after an address is no part of it"
    assert direction("ar") == "rtl" and direction("de") == "ltr" and direction("de-x-simple") == "ltr"
    assert direction("uk") == "ltr" and direction("he") == "rtl"


async def test_a_worker_that_does_not_send_keeps_what_it_read_before_the_sender_forgot_it(core: Core) -> None:
    """Several workers: the one holding the outbox lock sends (and, before consent, forgets the
    text); the worker that served the POST read the rows right after the commit and keeps them."""
    sender_side = web_adapter(core)
    stop = asyncio.Event()
    sender = OutboxSender(core.store, sender_side, clock=core.clock, idle_poll=0.3)  # woken by polling only
    task = asyncio.create_task(sender.run(stop))
    other = web_adapter(core)
    await other.start(core.engine.deliver)
    client = WebClient(f"http://127.0.0.1:{other.port}")
    try:
        await client.get("/")
        page = await client.submit(text="menü")
        assert "Sind Sie einverstanden?" in page.last
        address = _cookie(client.session.cookie_jar).split(".")[0]
        for _ in range(100):
            if not core.store.transcript("web", address):
                break
            await asyncio.sleep(0.05)
        assert core.store.transcript("web", address) == [], "sent, and forgotten by the database"
        page = await client.get("/")
        assert "Sind Sie einverstanden?" in page.last and page.options == ["Ja, einverstanden", "Nein"]
    finally:
        await client.close()
        stop.set()
        await task
        await other.stop()


def test_merge_puts_remembered_rows_back_in_order() -> None:
    r = Reply("x")
    memory = [("v1", r), ("v2", r), ("p1", r), ("a1", r)]
    stored = [("p1", r), ("p2", r)]
    assert [k for k, _ in merge_transcript(memory, stored)] == ["v1", "v2", "p1", "a1", "p2"]
    assert [k for k, _ in merge_transcript([("v1", r)], stored)] == ["v1", "p1", "p2"]
    assert [k for k, _ in merge_transcript([], stored)] == ["p1", "p2"]
    gone = Reply("gelöscht", ends_session=True)
    assert [k for k, _ in merge_transcript(memory, [("e1", gone)])] == ["e1"], "nothing from before an erasure"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_word_is_translated(language: str) -> None:
    from adapters.web import WORDS
    from bot.runtime.web_backend import PAGE_WORDS, page_words

    words = page_words(language, ("de", "en"))
    assert set(WORDS) <= set(words) and set(PAGE_WORDS) == set(WORDS)
    assert words["start_word"] == ("menü" if language == "de" else "start")


def test_erasure_takes_the_rows_to_their_address_that_name_nobody(core: Core) -> None:
    """A row to the citizen's address without their id (from before consent, still to send)
    goes with the erasure too: the web chat draws its page from exactly these rows."""
    from tests.harness import Citizen

    anna = Citizen(core, "anna", channel="web")
    anna.say("menü")
    anna.press(1)
    with core.store.transaction() as tx:
        later = core.clock() + dt.timedelta(days=1)  # not due: it stays pending through the turns below
        tx.enqueue("web", "chat-anna", Reply("für niemanden").to_json(), core.clock(), not_before=later)
    assert any("für niemanden" in r.payload for r in core.store.transcript("web", "chat-anna"))
    anna.say("löschen")
    anna.press(1)
    left = core.store.transcript("web", "chat-anna")
    assert all("für niemanden" not in r.payload for r in left) and len(left) <= 1
