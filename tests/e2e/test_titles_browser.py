"""The browser tab names the page, on every page, as Chromium shows it (issue 14).

Streamlit lets a title given to `st.set_page_config` win over the page's own title in the
tab, so every tab once said 'Sparkwatch'. Each page is opened by its own address (as a
bookmark or a shared link does) and through the sidebar (as a person moves between pages).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_helpers import Watch, go_to, run_app, settled
from playwright.sync_api import expect

from ui.nav import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def test_every_tab_title_names_its_page(open_page, tmp_path):
    watch = Watch()
    with run_app(tmp_path / "server.log") as server:
        page = open_page(server, watch)
        for spec in PAGES:
            slug = "" if spec is PAGES[0] else Path(spec.path).stem
            page.goto(f"{server.url}/{slug}")
            expect(page.locator("h1", has_text=spec.title)).to_be_visible()
            settled(page)
            expect(page).to_have_title(f"{spec.title} · Sparkwatch")
        for spec in reversed(PAGES):
            go_to(page, spec.title)
            expect(page).to_have_title(f"{spec.title} · Sparkwatch")
    # Opened by its address, a page's first request probes '<page>/_stcore/health' and host-config (Streamlit's
    # own 404, harmless); anything else — an icon fetched from Google's fonts — is a failure.
    assert [e for e in watch.errors if "/_stcore/" not in e] == []
