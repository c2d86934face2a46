"""The real app in Debian's headless Chromium: every page renders, charts draw, clicks work.

Starts `streamlit run streamlit_app.py` on a free port, drives it like a person would
(sidebar links, chart clicks, pickers, the CSV download) and saves screenshots to
tests/e2e/screenshots/ (the README's pictures come from test_overview_browser.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from e2e_helpers import (
    Watch,
    charts_drawn,
    clean_log,
    go_to,
    no_exception,
    pick,
    rerun,
    run_app,
    screenshot,
    settled,
    watch_runs,
)
from playwright.sync_api import expect

from lib.clock import team_today
from lib.demo import demo_table
from lib.diagnose import diagnose
from lib.filters import Filters, apply_filters
from lib.normalize import normalize
from lib.words import plural
from ui import views

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def demo_diagnosis():
    today = team_today()
    return diagnose(normalize(demo_table(today)).frame, today)


def test_the_demo_in_a_real_browser(open_page, tmp_path):
    diagnosed = demo_diagnosis()
    watch = Watch()
    with run_app(tmp_path / "server.log") as server:
        page = open_page(server, watch)

        # Overview: the numbers, three charts with bars, a screenshot for the README.
        expect(page.locator("h1", has_text="Overview")).to_be_visible()
        expect(page.get_by_text("Demo sheet — sample data, not your team's")).to_be_visible()
        settled(page, 0)
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(7)
        charts_drawn(page, 3)
        no_exception(page)
        screenshot(page, "overview")

        # Clicking a bar of the problems chart narrows the action list to that problem.
        mismatched = diagnosed["issues"].map(lambda ids: "region_mismatch" in ids).sum()
        issues_chart = page.locator(".js-plotly-plot").nth(1)
        advertiser_bar = issues_chart.locator("g.trace.bars").nth(1).locator("g.point path").first
        advertiser_bar.scroll_into_view_if_needed()
        box = advertiser_bar.bounding_box()
        with rerun(page):
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        problem = page.locator('[data-testid="stSelectbox"]', has_text="Show only rows with this problem")
        expect(problem.get_by_role("combobox")).to_have_value("Regions don't match")
        expect(page.get_by_text(f"{plural(mismatched, 'authorization')}, most urgent first.")).to_be_visible()

        # A chart's numbers come to the browser when their table is opened, and not before.
        numbers_box = page.locator('[data-testid="stExpander"]', has_text=views.CHART_NUMBERS).nth(1)
        expect(numbers_box.locator('[data-testid="stDataFrame"]')).to_have_count(0)
        with rerun(page):
            numbers_box.get_by_text(views.CHART_NUMBERS).click()
        expect(numbers_box.locator('[data-testid="stDataFrame"]')).to_have_count(1)

        # A sidebar filter changes the numbers, and stays set on the next page.
        run_club = apply_filters(diagnosed, Filters(campaign=("Run Club",)))
        sidebar = page.locator('[data-testid="stSidebar"]')
        pick(page, "Campaign", "Run Club", scope=sidebar)
        expect(page.get_by_role("heading", name=f"All {len(run_club)} authorizations, by state")).to_be_visible()
        charts_drawn(page, 3)

        # Authorizations: the filter is still set; the table and its CSV show those rows, codes masked.
        go_to(page, "Authorizations")
        expect(sidebar.locator('[data-testid="stMultiSelect"]', has_text="Campaign")).to_contain_text("Run Club")
        expect(page.get_by_text(f"{len(run_club)} of {len(diagnosed)} authorizations")).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(2)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download these rows (CSV)").click()
        data = download.value.path().read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(data[3:].decode("utf-8").splitlines()))
        assert len(rows) == len(run_club)
        assert {r["Campaign"] for r in rows} == {"Run Club"}
        assert not set(run_club["code"].dropna()) & {r["Code"] for r in rows}
        no_exception(page)
        screenshot(page, "authorizations")

        # Troubleshooter: a symptom gives its causes and fixes; a row confirms one.
        go_to(page, "Troubleshooter")
        pick(page, "What do you see?", "A preview that worked yesterday is gone")
        expect(page.get_by_text("1. Code expired", exact=True)).to_be_visible()
        expect(page.get_by_text("How to fix it:").first).to_be_visible()
        expired = diagnosed.loc[diagnosed["health"] == "expired"].iloc[0]
        sidebar_clear = sidebar.get_by_role("button", name="Clear filters")
        with rerun(page):
            sidebar_clear.click()
        pick(page, "Which creator and post", re.compile(rf"\(sheet row {expired['row']}\)$"))
        expect(page.get_by_text(re.compile(r"^This code expired \d+ days? ago"))).to_be_visible()
        expect(page.locator('[data-testid="stCode"]')).to_contain_text(f"Hi {expired['creator']}!")
        no_exception(page)
        screenshot(page, "troubleshooter")

    assert not watch.errors, watch.errors
    assert not watch.dialogs, watch.dialogs
    clean_log(server.output())


def test_html_in_the_sheet_shows_as_text(open_page, tmp_path):
    sheet = tmp_path / "hostile.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Creator", "Post URL", "Spark code", "Expires", "Visibility"])
        soon = [(team_today() + dt.timedelta(days=d)).isoformat() for d in (5, 6)]  # drawn, not listed as long over
        writer.writerow(["<b>x</b>", "https://www.tiktok.com/@x/video/1", "", soon[0], "public"])
        writer.writerow(["<script>alert(1)</script>", "https://www.tiktok.com/@y/video/2", "", soon[1], "private"])
    watch = Watch()
    with run_app(tmp_path / "server.log", source=str(sheet)) as server:
        page = open_page(server, watch)
        expect(page.locator("h1", has_text="Overview")).to_be_visible()
        settled(page, 0)
        charts_drawn(page, 1)
        ticks = page.locator(".js-plotly-plot").first.locator(".ytick text")
        expect(ticks.filter(has_text="@<b>x</b> · no campaign · row 2")).to_have_count(1)
        expect(ticks.filter(has_text="@<script>alert(1)</script> · no campaign · row 3")).to_have_count(1)
        expect(page.locator('[data-testid="stMain"] b')).to_have_count(0)

        go_to(page, "Troubleshooter")
        pick(page, "What do you see?", "A preview that worked yesterday is gone")
        pick(page, "Which creator and post", "@<script>alert(1)</script> (sheet row 3)")
        expect(page.locator('[data-testid="stCode"]')).to_contain_text("Hi @<script>alert(1)</script>!")
        expect(page.get_by_text("The sheet says the post is private.")).to_be_visible()
        no_exception(page)
        screenshot(page, "hostile-troubleshooter")

    assert not watch.dialogs, watch.dialogs
    assert not watch.errors, watch.errors
    clean_log(server.output())


def test_a_page_opened_by_its_own_address_on_a_fresh_server_has_the_apps_menu(browser, tmp_path):
    """A bookmarked page after a restart (or a sleeping host waking up) looks like every other visit."""
    with run_app(tmp_path / "server.log") as server:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        watch_runs(page)
        try:
            page.goto(f"{server.url}/authorizations")
            expect(page.locator("h1", has_text="Authorizations")).to_be_visible()
            settled(page, 0)
            links = page.locator(".st-key-sparkwatch_nav a")
            expect(links).to_have_count(5)
            assert links.all_inner_texts()[0].endswith("Overview")
            expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
        finally:
            page.close()
    clean_log(server.output())
