"""The report's HTML passes axe-core (WCAG 2.1 A and AA) in headless Chromium: the staff and the
public report of the generated dataset, with a breakdown. Debian's /usr/bin/chromium is driven by
Playwright (never ``playwright install``); axe.min.js comes bundled with axe-playwright-python."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Cli, Clock, make_config, make_core
from tests.report_dataset import SURVEY, fill

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium): the axe check needs a browser")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def violations(browser: Any, html: Path) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.route(
            "**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_()
        )
        page.goto(html.as_uri())
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})"
                for v in result.response["violations"]]  # fmt: skip
    finally:
        page.close()


@pytest.mark.parametrize("public", [False, True], ids=["staff", "public"])
def test_the_report_has_no_wcag_21_aa_violations(
    browser: Any, cli: Cli, tmp_path: Path, clock: Clock, public: bool
) -> None:
    config = make_config(tmp_path, {"bericht.toml": SURVEY})
    core = make_core(config, clock)
    try:
        fill(core, "bericht-test", 150)
    finally:
        core.close()
    out = tmp_path / "bericht.html"
    args = ["--config", str(config), "report", "bericht-test", "--by", "bezirk", "-o", str(out)]
    assert cli(*args, *(["--public"] if public else [])) == 0
    assert violations(browser, out) == []
