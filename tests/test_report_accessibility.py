"""The report's HTML passes axe-core (WCAG 2.1 A and AA) in headless Chromium: the staff and the
public report of the generated dataset, with a breakdown. Debian's /usr/bin/chromium is driven by
Playwright (never ``playwright install``); axe.min.js comes bundled with axe-playwright-python."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe_violations, chromium
from tests.harness import Cli, Clock, make_config, make_core
from tests.report_dataset import SURVEY, fill

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def violations(browser: Any, html: Path) -> list[str]:
    page = browser.new_page()
    try:
        page.route(
            "**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_()
        )
        page.goto(html.as_uri())
        return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})"
                for v in axe_violations(page)]  # fmt: skip
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
