"""Browser tests in Debian's Chromium, driven by Playwright's sync API.

Playwright's browser download is never used: the tests run against ``/usr/bin/chromium`` and
are skipped, with the reason, when it is not installed (failed instead under
``CCHC_REQUIRE_SERVICES=1``, as in CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_unless_available

# Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM calls
# from a thread with a running loop unless told otherwise; the tests only use the ORM to
# set up data, never concurrently with the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# The office PCs the portal is built for.
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    # Skipped on a bare machine; CI (CCHC_REQUIRE_SERVICES=1) fails instead.
    skip_unless_available(
        CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium) -> Iterator:
    # A Vietnamese browser, as on the desks: the portal must not depend on it, but
    # An English browser, as on many office PCs: the portal must still open in Vietnamese.
    context = chromium.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
