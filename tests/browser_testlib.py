"""Headless Debian chromium for the browser tests (Playwright drives the system browser;
nothing is downloaded). ``BROWSER_MARKS`` skips the module with a reason where chromium is
not installed; ``launch_browser()`` yields a browser for a module-scoped fixture."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="Debian chromium not installed (run scripts/install_system_deps.sh)"),
]


def launch_browser() -> Iterator[object]:
    """A headless chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
