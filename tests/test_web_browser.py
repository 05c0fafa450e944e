"""The web chat in a real browser: Debian's chromium driven by Playwright (never `playwright
install`), with axe-core on every page state (zero WCAG 2.1 A/AA violations), a keyboard-only
survey, live updates, focus, Enter in the text field, reflow at 320 px."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.app import Core
from tests.browser import CHROMIUM, NO_CHROMIUM, axe_violations, chromium
from tests.harness import make_config
from tests.idea_harness import GRUEN
from tests.transcript_surveys import PARK
from tests.web_harness import WebProcess, free_port, running_web_chat, tiny_png, web_config

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip, test extra)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    tmp = tmp_path_factory.mktemp("web")
    port = free_port()
    config = web_config(make_config(tmp, {"park.toml": PARK, "gruen.toml": GRUEN}), port)
    process = WebProcess(config, port)
    yield process
    assert process.stop() == 0
    logged = process.log.read_text()
    assert "Traceback" not in logged and "ERROR" not in logged, logged[-3000:]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


class Checked:
    """Runs axe on each page state and remembers which were checked."""

    def __init__(self) -> None:
        self.states: list[str] = []

    def __call__(self, page: object, state: str) -> None:
        found = axe_violations(page)
        summary = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
        assert not found, f"axe found WCAG violations in state {state!r}: {summary}"
        self.states.append(state)


def last_bot(page: object) -> object:
    return page.locator("#log li.msg.bot").last  # type: ignore[attr-defined]


def expect_last(page: object, text: str) -> None:
    sync_api.expect(last_bot(page)).to_contain_text(text, timeout=15_000)


def press(page: object, label: str) -> None:
    """Click the button whose accessible name is exactly the option's label."""
    page.get_by_role("button", name=label, exact=True).click()  # type: ignore[attr-defined]


def say(page: object, text: str) -> None:
    page.fill("#message", text)  # type: ignore[attr-defined]
    page.press("#message", "Enter")  # type: ignore[attr-defined]


def test_every_page_state_passes_axe_and_behaves(server: WebProcess, browser: object, tmp_path: Path) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="de-DE",
        accept_downloads=True,
        geolocation={"latitude": 51.5136, "longitude": 7.4653},
        permissions=["geolocation"],
    )
    page = context.new_page()
    check = Checked()
    page.goto(server.base + "/")
    check(page, "start")
    press(page, "Starten")
    expect_last(page, "Sind Sie einverstanden?")
    check(page, "consent")
    press(page, "Ja, einverstanden")
    expect_last(page, "Wobei möchten Sie mitmachen?")
    check(page, "menu")
    other = context.new_page()  # the same session in a second tab: it follows by itself
    other.goto(server.base + "/")
    press(page, "Parkumfrage")
    expect_last(page, "Wie oft sind Sie im Park?")
    expect_last(other, "Wie oft sind Sie im Park?")
    assert other.evaluate("performance.getEntriesByType('navigation').length") == 1, "no reload"
    other.close()
    check(page, "choice question")
    say(page, "2")  # Enter in the text field sends the text, never the first option
    expect_last(page, "Warum nicht öfter?")
    assert page.evaluate("document.activeElement.id") == "message", "the focus stays in the text field"
    check(page, "multi question")
    press(page, "Zu weit weg")
    sync_api.expect(page.get_by_role("button", name="Zu weit weg", exact=True)).to_have_attribute(
        "aria-pressed", "true", timeout=15_000
    )
    check(page, "multi question, one chosen")
    press(page, "Keine Zeit")
    sync_api.expect(page.get_by_role("button", name="Keine Zeit", exact=True)).to_have_attribute(
        "aria-pressed", "true", timeout=15_000
    )
    press(page, "Fertig")
    expect_last(page, "Haben Sie einen Hund?")
    check(page, "yes/no question")
    press(page, "Nein")
    expect_last(page, "Wie gefällt Ihnen der Park?")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON", "the focus moves to the new options"
    check(page, "scale question")
    press(page, "5 (sehr)")
    expect_last(page, "Wie alt sind Sie?")
    check(page, "number question")
    say(page, "200")
    expect_last(page, "Bitte geben Sie eine Zahl von 0 bis 120 an.")
    check(page, "a wrong answer")
    say(page, "40")
    expect_last(page, "Was wünschen Sie sich?")
    check(page, "text question")
    say(page, "<img src=x onerror=alert(1)> Mehr Schatten")
    expect_last(page, "Wann waren Sie zuletzt dort?")
    assert page.locator("#log img").count() == 0, "what a citizen types is never markup"
    check(page, "date question")
    say(page, "24.12.2026")
    expect_last(page, "Wo genau?")
    check(page, "location question")
    press(page, "Meinen Standort senden")  # the browser's position, where it allows
    expect_last(page, "Haben Sie ein Foto?")
    check(page, "photo question")
    picture = tmp_path / "bank.png"
    picture.write_bytes(tiny_png())
    page.set_input_files("#photo", str(picture))
    press(page, "Foto senden")
    expect_last(page, "Danke für Ihre Antworten!")
    check(page, "end of survey")
    with sqlite3.connect(server.log.parent / "test.db") as db:
        stored = dict(db.execute("SELECT question_id, value FROM answer").fetchall())
    assert json.loads(stored["ort"]) == {"lat": 51.5136, "lon": 7.4653}, "the browser's position"
    assert json.loads(stored["grund"]) == ["weg", "zeit"] and json.loads(stored["besuch"]) == "selten"
    assert "Mehr Schatten" in json.loads(stored["wunsch"]) and json.loads(stored["bild"])

    page.set_viewport_size({"width": 320, "height": 640})  # reflow: nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})

    say(page, "idee")
    expect_last(page, "Zu welchem Thema gehört Ihre Idee?")
    press(page, "Bäume")
    expect_last(page, "Bitte beschreiben Sie Ihre Idee")
    check(page, "idea: description")
    say(page, "Mehr Bäume an der Mallinckrodtstraße, bitte mit einer Bank")
    expect_last(page, "Wo ist das?")
    check(page, "idea: place")
    press(page, "Überspringen")
    expect_last(page, "Möchten Sie ein Foto dazugeben?")
    press(page, "Überspringen")
    expect_last(page, "Ihre Idee ist eingereicht")
    check(page, "idea handed in")

    say(page, "meinedaten")
    expect_last(page, "Hier ist alles, was über Sie gespeichert ist")
    check(page, "meinedaten")
    with page.expect_download() as download:
        page.locator("a.file").last.click()
    assert download.value.suggested_filename == "mitwirken-meine-daten.zip"

    say(page, "löschen")
    expect_last(page, "Möchten Sie wirklich alles löschen")
    check(page, "erasure: really?")
    press(page, "Ja, alles löschen")
    expect_last(page, "Alles, was über Sie gespeichert war, ist gelöscht.")
    check(page, "erased")

    page.goto(server.base + "/p/gibt-es-nicht")
    assert "keiner offenen Umfrage" in page.content()
    check(page, "unknown deep link")
    page.goto(server.base + "/")
    page.locator("details.device summary").click()
    press(page, "Code für ein anderes Gerät anzeigen")
    assert re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", page.content())
    check(page, "resume code")
    context.close()
    assert len(check.states) == 23


def test_a_whole_survey_by_keyboard_alone(server: WebProcess, browser: object) -> None:
    context = browser.new_context(locale="de-DE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server.base + "/p/park-test")

    def tab_to(target: str) -> None:
        """Tab until the focus is on ``target`` (a button's label, or #message), then go on."""
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id === 'message' ? '#message' : (e.innerText || '').trim(); }"
            )
            if focused == target or re.sub(r"^\d+\s+", "", focused) == target:
                return
        raise AssertionError(f"Tab never reached {target!r}")

    def choose(label: str, then: str) -> None:
        tab_to(label)
        page.keyboard.press("Enter")
        expect_last(page, then)

    def type_in(text: str, then: str) -> None:
        tab_to("#message")
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        expect_last(page, then)

    expect_last(page, "Sind Sie einverstanden?")
    choose("Ja, einverstanden", "Wie oft sind Sie im Park?")
    choose("Oft", "Haben Sie einen Hund?")
    choose("Ja", "Wie gefällt Ihnen der Park?")
    choose("3", "Wie alt sind Sie?")
    type_in("40", "Was wünschen Sie sich?")
    type_in("Bänke", "Wann waren Sie zuletzt dort?")
    type_in("heute", "Wo genau?")
    type_in("Am Teich", "Haben Sie ein Foto?")
    type_in("überspringen", "Danke für Ihre Antworten!")
    outline = page.evaluate(
        "() => { const b = document.querySelector('#message'); b.focus(); return getComputedStyle(b).outlineStyle; }"
    )
    assert outline != "none", "the focus is visible"
    context.close()


def test_without_javascript_forms_post_redirect_and_enter_sends_the_text(server: WebProcess, browser: object) -> None:
    context = browser.new_context(locale="de-DE", java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server.base + "/p/park-test")
    expect_last(page, "Sind Sie einverstanden?")
    assert page.url.endswith("/#now")
    press(page, "Ja, einverstanden")
    expect_last(page, "Wie oft sind Sie im Park?")
    assert page.url.endswith("/#now"), "POST → redirect → GET, to the newest message"
    page.fill("#message", "3")
    page.press("#message", "Enter")  # a form of its own: Enter sends the text, never the first option
    expect_last(page, "Warum nicht öfter?")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "navigate"
    # (axe needs the page's own script to run: the same markup is checked above, with it)
    context.close()


def test_a_right_to_left_language_mirrors_the_page(core: Core, browser: object) -> None:
    """Arabic (no catalog of the bot's yet: the words fall back to another catalog) is laid out
    right to left by the logical CSS properties alone, and passes axe. The chat runs in-process,
    in a thread of its own (the browser's API here is the synchronous one)."""
    started, box = threading.Event(), {}

    def serve() -> None:
        async def main() -> None:
            async with running_web_chat(core, languages=("ar", "de")) as (_, base):
                box["stop"], box["base"] = asyncio.Event(), base
                started.set()
                await box["stop"].wait()

        loop = asyncio.new_event_loop()
        box["loop"] = loop
        loop.run_until_complete(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(30)
    try:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(f"{box['base']}/?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
        field = page.locator("#message").bounding_box()
        send = page.locator("form.composer button[type=submit]").bounding_box()
        assert field and send and send["x"] < field["x"], "the send button sits at the line's end: on the left"
        Checked()(page, "right to left")
        page.close()
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)  # type: ignore[attr-defined]
        thread.join(30)
