"""The web chat: take part in a browser, without any messenger account.

One more channel behind the adapter contract. The page is the transcript plus a form and works
without JavaScript (POST → redirect → GET); one small script of ours adds live updates. Every
form carries a message id the browser keeps across a resubmit, used (keyed per session) as the
event id, so a double click or a retry is handled once. The transcript is drawn from the outbox
rows of the session's address (``WebBackend.transcript``), so a restarted server shows the same
page; rows the database forgets once sent (before consent, an anonymous survey) are shown from
memory while this process runs.

``send`` only wakes the pages that wait: the reply is on the page from the moment it is
committed. Nothing here logs an address, a cookie or a text; aiohttp's access log is off.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from aiohttp import web
from babel import Locale, UnknownLocaleError

from adapters.base import Capabilities, Deliver, Inbound, Media, NotNow, Reply
from adapters.render import direction
from adapters.web_session import ClientAddress, RateLimit, Sessions
from adapters.web_view import Conversation, conversation

__all__ = ["WORDS", "WebAdapter", "WebBackend", "merge_transcript"]

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
COOKIE = "mitwirken_sitzung"
LANGUAGE_COOKIE = "mitwirken_sprache"
MAX_TEXT_BYTES = 64 * 1024  # the text cap: longer texts are cut, and the dialogue says so
FETCH_HEADER = "X-Mitwirken-Fetch"  # set by our script: answer 204 instead of a redirect
_MEMORY_ADDRESSES = 5000
_MEMORY_MESSAGES = 200
_SSE_SECONDS = 300.0  # one event stream lasts this long; the browser reconnects by itself
_RECHECK_SECONDS = 3.0  # a stream looks at the database this often (another worker may have sent)

WORDS = (
    "skip",
    "conversation",
    "you",
    "message",
    "send",
    "answers",
    "photo",
    "send_photo",
    "location",
    "download",
    "start",
    "intro",
    "language",
    "other_device",
    "show_code",
    "code_label",
    "continue",
    "your_code",
    "back",
    "not_found",
    "no_process",
    "too_many",
    "expired",
    "error",
    "busy",
    "bad_code",
    "too_large",
    "ended",
)
"""The page's own words, from the catalogs (``WebBackend.words``)."""


class WebBackend(Protocol):
    """What the web chat asks of the program; ``bot/runtime`` implements it."""

    async def transcript(self, address: str, limit: int = 200) -> Sequence[tuple[str, Reply]]:
        """The last ``limit`` stored replies to ``address`` (``(txn_id, reply)``, oldest first)."""

    async def process_status(self, process_id: str) -> str:
        """``open``, ``closed`` or ``unknown``: where a deep link /p/ID may lead."""

    async def save_resume(self, key: str, address: str) -> None:
        """Keep a resume code (its key) for ``address`` for a day."""

    async def take_resume(self, key: str) -> str | None:
        """The address of a resume code, once; None when unknown, used or expired."""

    def words(self, language: str) -> Mapping[str, str]:
        """The page's words (``WORDS``) and the keywords ``start_word`` and ``language_word``."""


Row = tuple[str, Reply]  # (txn_id, reply)


def merge_transcript(memory: Sequence[Row], stored: Sequence[Row]) -> list[Row]:
    """The stored rows, with the ones only this process remembers (their text is no longer
    stored) put back where they were sent: before the next row both know, or after the last."""
    known = {key for key, _ in stored}
    before: dict[str, list[Row]] = {}
    waiting: list[Row] = []
    last_shared: str | None = None
    for key, reply in memory:
        if key in known:
            if waiting:
                before[key] = waiting
                waiting = []
            last_shared = key
        else:
            waiting.append((key, reply))
    merged: list[Row] = []
    if last_shared is None:
        merged.extend(waiting)
        waiting = []
    for row in stored:
        merged.extend(before.get(row[0], ()))
        merged.append(row)
        if row[0] == last_shared:
            merged.extend(waiting)
    ends = [n for n, (_, reply) in enumerate(merged) if reply.ends_session]
    return merged[ends[-1] :] if ends else merged  # nothing from before an erasure


@dataclass(frozen=True)
class _Request:
    """What a handler knows about the person asking."""

    address: str | None
    client: str
    secure: bool


class WebAdapter:
    name = "web"
    capabilities = Capabilities(buttons=True, files=True, locations=True, edits=True, max_text=MAX_TEXT_BYTES)

    def __init__(
        self,
        *,
        listen: tuple[str, int],
        public_url: str,
        trusted_proxies: Sequence[str],
        frame_ancestors: Sequence[str],
        languages: Sequence[str],
        bot_name: str,
        secret: bytes,
        max_photo_bytes: int,
        backend: WebBackend,
        sessions_per_minute: int = 10,
        posts_per_minute: int = 60,
        client_posts_per_minute: int = 600,
    ) -> None:
        self._host, self._port = listen
        self.public_url = public_url
        self.languages = tuple(languages)
        self.bot_name = bot_name
        self.backend = backend
        self.max_photo_bytes = max_photo_bytes
        self.sessions = Sessions(secret)
        self.clients = ClientAddress(trusted_proxies)
        self._new_sessions = RateLimit(sessions_per_minute)
        self._posts = RateLimit(posts_per_minute)
        self._client_posts = RateLimit(client_posts_per_minute)  # many people behind one address (a library)
        ancestors = " ".join(frame_ancestors) if frame_ancestors else "'self'"
        self.csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            f"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
        )
        self._templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "web_templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates are part of the program: no stat() per include
        )
        self._memory: OrderedDict[str, list[Row]] = OrderedDict()
        self._changed: dict[str, asyncio.Event] = {}
        self._deliver: Deliver | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False

    # --- the adapter contract ----------------------------------------------------------

    @property
    def port(self) -> int:
        """The port actually bound (when ``listen`` asked for port 0)."""
        if self._runner is None or not self._runner.addresses:
            return self._port
        return int(self._runner.addresses[0][1])

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver
        app = web.Application(client_max_size=self.max_photo_bytes + 2 * MAX_TEXT_BYTES, middlewares=[self._guard])
        routes = [
            web.get("/", self._page),
            web.get("/p/{process}", self._deep_link),
            web.post("/send", self._send),
            web.post("/language", self._language),
            web.get("/part", self._part),
            web.get("/events", self._events),
            web.get("/file/{key}", self._file),
            web.post("/resume/new", self._resume_new),
            web.post("/resume", self._resume),
            web.get("/healthz", self._health),
        ]
        app.add_routes(routes)
        app.router.add_static("/static/", HERE / "web_static", append_version=False)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=10.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        log.info("web chat listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        self._closing = True  # open event streams end now, not after the shutdown timeout
        for event in self._changed.values():
            event.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def send(self, address: str, reply: Reply, *, txn_id: str) -> str:
        """Nothing to transmit: remember it while the database may forget it, wake its pages."""
        kept = self._memory.setdefault(address, [])
        if reply.ends_session:
            kept.clear()  # erased: nothing of the conversation is shown any more, from memory either
        if all(key != txn_id for key, _ in kept):
            kept.append((txn_id, reply))
        self._keep(address, kept)
        self._wake(address)
        return txn_id

    def _keep(self, address: str, rows: list[Row]) -> None:
        self._memory[address] = rows[-_MEMORY_MESSAGES:]
        self._memory.move_to_end(address)
        while len(self._memory) > _MEMORY_ADDRESSES:
            self._memory.popitem(last=False)

    async def _rows(self, address: str) -> list[Row]:
        """The transcript: the stored rows, and what this process saw of rows the database has
        forgotten since (read right after each commit, or sent from here)."""
        stored = await self.backend.transcript(address)
        # memory read after the database: a row sent (and forgotten) meanwhile is in it
        rows = merge_transcript(self._memory.get(address, ()), stored)
        self._keep(address, rows)
        return rows

    def _wake(self, address: str) -> None:
        event = self._changed.pop(address, None)
        if event is not None:
            event.set()

    # --- the guard around every request ------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPRequestEntityTooLarge:
            response = self._notice(request, "too_large", status=413)
        except web.HTTPNotFound:
            response = self._notice(request, "not_found", status=404)
        except web.HTTPMethodNotAllowed:
            response = self._notice(request, "not_found", status=405)
        except web.HTTPException as exc:
            if exc.status >= 400:
                response = self._notice(request, "error", status=exc.status)
            else:
                raise
        except NotNow:
            response = self._notice(request, "busy", status=503)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a friendly page, never a stack
            log.error("web chat: a request failed (%s)", exc.__class__.__name__)
            response = self._notice(request, "error", status=500)
        if not response.prepared:
            if request.path.startswith("/static/") and response.status == 200:
                response.headers["Cache-Control"] = "public, max-age=3600"  # a slow phone loads them once
            self._secure_headers(response)
        return response

    def _secure_headers(self, response: web.StreamResponse) -> None:
        response.headers["Content-Security-Policy"] = self.csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")

    def _who(self, request: web.Request) -> _Request:
        client = self.clients.of(request.remote, request.headers.get("X-Forwarded-For"))
        secure = request.secure or self.public_url.startswith("https://")
        if self.clients.via_proxy(request.remote):
            secure = secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
        return _Request(self.sessions.address(request.cookies.get(COOKIE)), client, secure)

    def _set_session(self, response: web.StreamResponse, who: _Request, address: str) -> None:
        response.set_cookie(
            COOKIE, self.sessions.cookie(address), httponly=True, samesite="Lax", secure=who.secure, path="/"
        )

    def _new_session(self, who: _Request) -> str | None:
        """A fresh address, unless this client opened too many sessions this minute."""
        if not self._new_sessions.allow(who.client):
            return None
        return self.sessions.new_address()

    # --- language ---------------------------------------------------------------------

    def _requested(self, request: web.Request) -> str:
        """``?lang=``, then the language chosen on the page, then Accept-Language, then the first."""
        for wanted in (request.query.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
            matched = self._offered(wanted)
            if matched:
                return matched
        ranked = []
        for index, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
            tag, _, quality = part.strip().partition(";q=")
            try:
                weight = float(quality) if quality else 1.0
            except ValueError:
                weight = 0.0
            ranked.append((-weight, index, tag.strip()))
        for _, _, tag in sorted(ranked):
            matched = self._offered(tag)
            if matched:
                return matched
        return self.languages[0]

    def _offered(self, wanted: str | None) -> str | None:
        if not wanted:
            return None
        wanted = wanted.strip().lower()
        if wanted in self.languages:
            return wanted
        base = wanted.split("-", 1)[0].split("_", 1)[0]
        return base if base in self.languages else None

    def _language_names(self) -> list[tuple[str, str]]:
        names = []
        for code in self.languages:
            try:
                name = Locale.parse(code.split("-", 1)[0]).get_display_name(code.split("-", 1)[0]) or code
            except (UnknownLocaleError, ValueError):
                name = code
            if code == "de-x-simple":
                name = "Einfache Sprache"
            names.append((code, name[:1].upper() + name[1:]))
        return names

    # --- pages ------------------------------------------------------------------------

    async def _conversation(self, address: str) -> Conversation:
        return conversation(await self._rows(address))

    def _render(self, template: str, language: str, **values: Any) -> str:
        return self._templates.get_template(template).render(
            lang=language,
            dir=direction(language),
            w=self.backend.words(language),
            bot_name=self.bot_name,
            languages=self._language_names(),
            **values,
        )

    def _notice(self, request: web.Request, word: str, *, status: int) -> web.Response:
        language = self._requested(request)
        body = self._render("notice.html", language, title=word)
        response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
        self._secure_headers(response)
        return response

    async def _page(self, request: web.Request) -> web.Response:
        who = self._who(request)
        address = who.address
        fresh = address is None
        if address is None:
            address = self._new_session(who)
            if address is None:
                return self._notice(request, "too_many", status=429)
        chat = await self._conversation(address)
        language = chat.language or self._requested(request)
        body = self._render(
            "chat.html",
            language,
            chat=chat,
            csrf=self.sessions.csrf(address),
            mid=secrets.token_urlsafe(16),
            max_text=MAX_TEXT_BYTES,
        )
        response = web.Response(text=body, content_type="text/html", charset="utf-8")
        if chat.ended:
            response.del_cookie(COOKIE, path="/")
        elif fresh:
            self._set_session(response, who, address)
        chosen = self._offered(request.query.get("lang"))
        if chosen:
            response.set_cookie(LANGUAGE_COOKIE, chosen, httponly=True, samesite="Lax", secure=who.secure, path="/")
        return response

    async def _part(self, request: web.Request) -> web.Response:
        """The page's changing parts as JSON, for our script: each message, and the controls."""
        who = self._who(request)
        if who.address is None:
            return web.json_response({"ended": True})
        chat = await self._conversation(who.address)
        language = chat.language or self._requested(request)
        values = {"csrf": self.sessions.csrf(who.address), "max_text": MAX_TEXT_BYTES, "mid": ""}
        messages = [
            {"key": m.key, "html": self._render("message.html", language, m=m, page_lang=language, last=False)}
            for m in chat.messages
        ]
        controls = self._render("controls.html", language, chat=chat, **values)
        response = web.json_response(
            {
                "messages": messages,
                "controls": controls,
                "lang": language,
                "dir": direction(language),
                "ended": chat.ended,
            }
        )
        return response  # an ended conversation: the script loads the page, which ends the cookie

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: ``change`` whenever the transcript grew or changed."""
        who = self._who(request)
        if who.address is None:
            raise web.HTTPForbidden()
        address = who.address
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"})
        self._secure_headers(response)
        await response.prepare(request)
        loop = asyncio.get_running_loop()
        until = loop.time() + _SSE_SECONDS
        try:
            seen = await self._signature(address)
            await response.write(b"retry: 2000\n\n")
            while loop.time() < until and not self._closing:
                event = self._changed.setdefault(address, asyncio.Event())
                try:
                    await asyncio.wait_for(event.wait(), timeout=_RECHECK_SECONDS)
                except TimeoutError:
                    pass
                try:
                    now = await self._signature(address)
                except NotNow:
                    now = seen  # the database away: say nothing new, look again later
                if now != seen:
                    seen = now
                    await response.write(b"event: change\ndata: 1\n\n")
                else:
                    await response.write(b": still here\n\n")
        except (ConnectionResetError, NotNow):
            pass  # the browser went away (it reconnects by itself), or the database at the start
        return response

    async def _signature(self, address: str) -> tuple[str, str]:
        """What changes with every new message: the last stored row and the last remembered one
        (an edit is a row of its own). One row is read, not the transcript."""
        stored = await self.backend.transcript(address, limit=1)
        kept = self._memory.get(address, ())
        return (stored[-1][0] if stored else ""), (kept[-1][0] if kept else "")

    async def _file(self, request: web.Request) -> web.Response:
        who = self._who(request)
        key = request.match_info["key"]
        if who.address is not None:
            rows = await self._rows(who.address)
            for row_key, reply in rows:
                if row_key == key and reply.attachment is not None:
                    name = Path(reply.attachment.filename).name.replace('"', "")
                    return web.Response(
                        body=reply.attachment.data,
                        content_type=reply.attachment.mime_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'},
                    )
        return self._notice(request, "not_found", status=404)

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    # --- what the citizen sends ---------------------------------------------------------

    async def _form(self, request: web.Request) -> tuple[str, Mapping[str, Any]] | web.Response:
        """The session and the checked form of a POST, or the friendly page that refuses it."""
        who = self._who(request)
        if who.address is None:
            return self._notice(request, "expired", status=403)
        if not self._posts.allow(who.address) or not self._client_posts.allow(who.client):
            return self._notice(request, "too_many", status=429)
        form = await request.post()
        if not self.sessions.csrf_ok(who.address, str(form.get("csrf", ""))):
            return self._notice(request, "expired", status=403)
        return who.address, form

    def _done(self, request: web.Request) -> web.Response:
        if request.headers.get(FETCH_HEADER):
            return web.Response(status=204)
        return _see_chat()

    async def _hand_on(self, request: web.Request, inbound: Inbound) -> web.Response | None:
        """Hand the event to the engine; a friendly page when the bot can't take it now."""
        assert self._deliver is not None
        try:
            await self._deliver(inbound)
        except NotNow:
            return self._notice(request, "busy", status=503)
        return None

    def _inbound(self, address: str, request: web.Request, form: Mapping[str, Any], **values: Any) -> Inbound:
        message_id = str(form.get("mid", "")).strip()[:100] or secrets.token_urlsafe(16)
        return Inbound(
            channel=self.name,
            address=address,
            sender=address,
            event_id=self.sessions.event_id(address, message_id),
            language=self._requested(request),
            **values,
        )

    async def _send(self, request: web.Request) -> web.Response:
        checked = await self._form(request)
        if isinstance(checked, web.Response):
            return checked
        address, form = checked
        values: dict[str, Any] = {}
        photo = form.get("photo")
        if isinstance(photo, web.FileField):
            data = photo.file.read(self.max_photo_bytes + 1)
            if data:
                size = len(data)
                values["media"] = Media(
                    kind="image" if (photo.content_type or "").startswith("image/") else "file",
                    mime_type=photo.content_type or "application/octet-stream",
                    size=size,
                    data=data if size <= self.max_photo_bytes else None,
                    filename=photo.filename,
                )
        choice = str(form.get("choice", ""))
        if "media" in values:
            pass
        elif choice:
            values["choice"] = choice[:64]
            values["reply_to"] = str(form.get("reply_to", ""))[:64] or None
        elif form.get("latitude") and form.get("longitude"):
            try:
                values["location"] = (float(str(form["latitude"])), float(str(form["longitude"])))
            except ValueError:
                values["text"] = ""
        else:
            raw = str(form.get("text", ""))
            values["text"] = raw.encode("utf-8")[:MAX_TEXT_BYTES].decode("utf-8", "ignore")
        refused = await self._hand_on(request, self._inbound(address, request, form, **values))
        return refused or self._done(request)

    async def _language(self, request: web.Request) -> web.Response:
        """The language buttons: the page and, once there is a conversation, the bot switch."""
        checked = await self._form(request)
        if isinstance(checked, web.Response):
            return checked
        address, form = checked
        wanted = self._offered(str(form.get("lang", "")))
        if wanted is None:
            return self._notice(request, "error", status=400)
        chat = await self._conversation(address)
        if chat.messages:
            word = self.backend.words(wanted).get("language_word", "")
            refused = await self._hand_on(request, self._inbound(address, request, form, text=f"{word} {wanted}"))
            if refused is not None:
                return refused
        response = _see_chat()
        who = self._who(request)
        response.set_cookie(LANGUAGE_COOKIE, wanted, httponly=True, samesite="Lax", secure=who.secure, path="/")
        return response

    async def _deep_link(self, request: web.Request) -> web.Response:
        """/p/ID: open process ID (consent first); a closed or unknown one gets a friendly page."""
        process = request.match_info["process"][:100]
        status = await self.backend.process_status(process)
        if status != "open":
            return self._notice(request, "no_process", status=404 if status == "unknown" else 410)
        who = self._who(request)
        address = who.address or self._new_session(who)
        if address is None:
            return self._notice(request, "too_many", status=429)
        language = self._requested(request)
        word = self.backend.words(language).get("start_word", "")
        inbound = Inbound(
            channel=self.name,
            address=address,
            sender=address,
            event_id="web-link-" + secrets.token_hex(16),
            text=f"{word} {process}",
            language=language,
        )
        refused = await self._hand_on(request, inbound)
        if refused is not None:
            return refused
        response = _see_chat()
        if who.address is None:
            self._set_session(response, who, address)
        if "lang" in request.query:
            response.set_cookie(LANGUAGE_COOKIE, language, httponly=True, samesite="Lax", secure=who.secure, path="/")
        return response

    async def _resume_new(self, request: web.Request) -> web.Response:
        """A short code that opens this conversation on another device (for a day, once)."""
        checked = await self._form(request)
        if isinstance(checked, web.Response):
            return checked
        address, _ = checked
        code = self.sessions.new_code()
        await self.backend.save_resume(self.sessions.resume_key(code), address)
        chat = await self._conversation(address)
        language = chat.language or self._requested(request)
        shown = f"{code[:5]}-{code[5:]}"
        return web.Response(
            text=self._render("notice.html", language, title="your_code", code=shown),
            content_type="text/html",
            charset="utf-8",
        )

    async def _resume(self, request: web.Request) -> web.Response:
        checked = await self._form(request)
        if isinstance(checked, web.Response):
            return checked
        _, form = checked
        who = self._who(request)
        if not self._new_sessions.allow(who.client):  # guessing codes costs what opening sessions costs
            return self._notice(request, "too_many", status=429)
        address = await self.backend.take_resume(self.sessions.resume_key(str(form.get("code", ""))))
        if address is None:
            return self._notice(request, "bad_code", status=400)
        response = _see_chat()
        self._set_session(response, who, address)
        return response


def _see_chat() -> web.Response:
    """303 to the conversation, at its newest message (which takes the focus without script)."""
    return web.Response(status=303, headers={"Location": "/#now"})
