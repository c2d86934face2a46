"""Fixtures for the browser tests: one Chromium per session, fresh watched tabs per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, Server, Watch, watch_runs
from playwright.sync_api import expect

expect.set_options(timeout=30_000)  # as the pages' own: a loaded machine may take seconds to draw a page


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under pytest-xdist, every browser test runs on one worker, one after another.

    A browser test drives three processes (pytest, `streamlit run`, Chromium): two of them at
    once on a two-core machine would make each other's waits the slow part. The other worker
    meanwhile runs the rest of the suite. (Without xdist the mark does nothing.)
    """
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """A fresh tab at a server's address, watched for console errors, page errors and dialogs."""
    pages = []

    def opener(server: Server, watch: Watch):
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(30_000)
        page.on("console", lambda m: m.type == "error" and watch.errors.append(f"console: {m.text} {m.location}"))
        page.on("pageerror", lambda e: watch.errors.append(f"page error: {e}"))
        page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
        watch_runs(page)
        page.goto(server.url)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()
