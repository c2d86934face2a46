"""Hostile files against the real server, in Debian's headless Chromium: one visitor uploads a
bomb while another keeps using the app, and Streamlit's own table toolbar exports nothing.

The bombs are the ones `tests/test_sources_files.py` checks the reader with: a 1.6 KB workbook
that declares every cell Excel allows and one whose two cells hide three million unused shared
strings (both read as the two cells they are), and one that inflates to a gigabyte (refused).
Before the reader was bounded, the first took the whole server down.
"""

from __future__ import annotations

import pytest
from e2e_helpers import Watch, go_to, rerun, run_app, settled
from playwright.sync_api import expect
from test_sources_files import MIB, dimension_bomb, spaces_bomb, unused_shared_strings

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with run_app(tmp_path_factory.mktemp("hostile-files") / "streamlit.log") as running:
        yield running


def test_a_visitor_uploading_a_bomb_leaves_everyone_else_unharmed(server, open_page):
    bystander = open_page(server, Watch())
    settled(bystander)
    go_to(bystander, "Authorizations")
    attacker = open_page(server, Watch())
    settled(attacker)
    go_to(attacker, "Data")

    bombs = (
        ("dimension.xlsx", dimension_bomb(), "Using dimension.xlsx (1 row) for this session."),
        ("strings.xlsx", unused_shared_strings(3_000_000), "Using strings.xlsx (1 row) for this session."),
        ("spaces.xlsx", spaces_bomb(1024 * MIB), "That file can't be used:"),
    )
    for name, data, says in bombs:
        with rerun(attacker):
            attacker.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[{"name": name, "mimeType": XLSX, "buffer": data}]
            )
        expect(attacker.get_by_text(says)).to_be_visible()
        # Meanwhile the other visitor's pages keep answering, with the team's data.
        go_to(bystander, "Overview")
        go_to(bystander, "Authorizations")
        expect(bystander.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        assert server.process.poll() is None, server.output()

    assert "Traceback" not in server.output()


def test_the_table_toolbar_offers_no_download_of_raw_cells(server, open_page):
    """Its CSV wrote cells as the sheet has them (`=cmd|' /C calc'!A0` included); the app's own is guarded."""
    page = open_page(server, Watch())
    settled(page)
    go_to(page, "Authorizations")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    expect(toolbar).to_be_visible()
    labels = [b.get_attribute("aria-label") or b.inner_text() for b in toolbar.locator("button").all()]
    assert labels  # the toolbar is there (search, full screen) …
    assert not [label for label in labels if "download" in label.lower()]  # … without its download
    expect(page.get_by_role("button", name="Download these rows (CSV)")).to_have_count(1)  # the app's own
