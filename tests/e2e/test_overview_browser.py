"""The Overview's first screen in Debian's Chromium, on a laptop and on a phone, opened from a shared link.

A lead opens a link a colleague sent (campaign and owner in the address) and must see, without
scrolling, what must happen this week and by whom; the filters the link carries show as chips
in the main area (a phone hides the sidebar). The screenshots of both screens are the README's
(copied to docs/ when SPARKWATCH_UPDATE_DOCS is set).
"""

from __future__ import annotations

import itertools
import os
import shutil
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from e2e_helpers import ROOT, SCREENSHOTS, Watch, clean_log, no_exception, rerun, run_app, settled
from playwright.sync_api import Page, expect

from lib.clock import team_today
from lib.demo import demo_table
from lib.diagnose import diagnose
from lib.filters import Filters, apply_filters
from lib.normalize import normalize
from lib.overview import WEEK_COLUMNS, this_week
from ui import views

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

LAPTOP = {"width": 1440, "height": 900}
HEADER_HEIGHT = 35
"""The table's header row, in pixels (Streamlit's default row height)."""
PHONE = {"width": 390, "height": 844}
SHARED = {"campaign": "Run Club", "owner": "Maya"}


def shared_view():
    today = team_today()
    diagnosed = diagnose(normalize(demo_table(today)).frame, today)
    return apply_filters(diagnosed, Filters(campaign=(SHARED["campaign"],), owner=(SHARED["owner"],))), today


def column_width(name: str) -> int:
    """A column's width as the page sets it (`ui.views.table_columns`)."""
    width = views.table_columns()[name]["width"]
    assert isinstance(width, int), (name, width)
    return width


def chips(page: Page):
    return page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]', has_text="Showing only")


def numbers(page: Page) -> list[int]:
    """The seven numbers, once all are drawn."""
    expect(page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]')).to_have_count(7)
    return [int(v) for v in page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]').all_inner_texts()]


def open_at(browser, url: str, viewport: dict, watch: Watch) -> Page:
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(30_000)
    page.on("console", lambda m: m.type == "error" and watch.errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: watch.errors.append(f"page error: {e}"))
    page.goto(url)
    expect(page.locator("h1", has_text="Overview")).to_be_visible()
    settled(page)
    return page


def save(page: Page, name: str) -> None:
    """The first screen exactly as a person sees it (no stretching): that is what is being judged."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    if os.environ.get("SPARKWATCH_UPDATE_DOCS"):
        shutil.copyfile(SCREENSHOTS / f"{name}.png", ROOT / "docs" / f"{name}.png")


def test_a_shared_link_opens_the_same_view_with_this_week_above_the_fold(browser, tmp_path):
    rows, today = shared_view()
    due = this_week(rows, today)
    assert len(due) > 0  # the link's view has work this week
    watch = Watch()
    with run_app(tmp_path / "server.log") as server:
        link = f"{server.url}/?{urlencode(SHARED)}"

        # A laptop: the chips, the filtered numbers, and this week's who and what without scrolling.
        page = open_at(browser, link, LAPTOP, watch)
        expect(chips(page)).to_contain_text("Campaign: Run Club")
        expect(chips(page)).to_contain_text("Owner: Maya")
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(7)
        assert sum(numbers(page)) == len(rows)
        heading = page.get_by_role("heading", name="This week").bounding_box()
        table = page.locator(".st-key-sw_week_table [data-testid='stDataFrame']").bounding_box()
        assert heading and table
        assert heading["y"] >= 0 and table["y"] + HEADER_HEIGHT + views.WRAPPING_ROW_HEIGHT <= LAPTOP["height"]
        # The grid draws on a canvas: find who and what to do from the columns' set widths, left to right.
        lead = WEEK_COLUMNS[: WEEK_COLUMNS.index("Who") + 1]
        right = dict(zip(lead, itertools.accumulate(column_width(c) for c in lead), strict=True))
        assert right["What to do"] <= table["width"] and right["Who"] <= table["width"], (right, table)
        expect(page.locator(".st-key-sw_week_cards")).to_be_hidden()
        no_exception(page)
        save(page, "overview-laptop")

        # Reloading keeps the view: it lives in the address.
        page.reload()
        expect(page.locator("h1", has_text="Overview")).to_be_visible()
        settled(page)
        expect(chips(page)).to_contain_text("Owner: Maya")
        assert parse_qs(urlparse(page.url).query) == {k: [v] for k, v in SHARED.items()}
        page.close()

        # A phone: the chips in the main area, numbers two to a row, this week as cards.
        page = open_at(browser, link, PHONE, watch)
        expect(chips(page)).to_contain_text("Campaign: Run Club")
        expect(page.locator(".st-key-sw_week_table")).to_be_hidden()
        cards = page.locator(".st-key-sw_week_cards [data-testid='stLayoutWrapper']")
        expect(cards).to_have_count(len(due))
        expect(cards.first).to_contain_text(str(due.iloc[0]["What to do"]))
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(7)
        boxes = [m.bounding_box() for m in page.locator('[data-testid="stMetric"]').all()[:2]]
        assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2  # side by side
        assert boxes[1]["x"] + boxes[1]["width"] <= PHONE["width"]
        no_exception(page)
        save(page, "overview-phone")
        page.close()

    assert not watch.errors, watch.errors
    clean_log(server.output())


def test_clicking_a_number_or_a_campaign_filters_and_the_address_follows(browser, tmp_path):
    watch = Watch()
    with run_app(tmp_path / "server.log") as server:
        page = open_at(browser, server.url, LAPTOP, watch)
        total = sum(numbers(page))

        blocked = page.locator(".st-key-sw_state_blocked")
        with rerun(page):
            blocked.get_by_role("button", name="Show only").click()
        expect(chips(page)).to_contain_text("Health: Blocked")
        assert sum(numbers(page)) == int(blocked.locator('[data-testid="stMetricValue"]').inner_text())
        assert parse_qs(urlparse(page.url).query) == {"state": ["blocked"]}
        with rerun(page):
            page.get_by_role("button", name="Show everything").click()
        expect(chips(page)).to_have_count(0)
        assert sum(numbers(page)) == total

        # The campaigns table: tick a campaign's row to show only that campaign.
        table = page.locator(
            ".st-key-overview_campaigns [data-testid='stDataFrame'], [data-testid='stDataFrame']"
        ).filter(has_text="Worst state")
        table.scroll_into_view_if_needed()
        box = table.locator("canvas").first.bounding_box()
        assert box is not None
        with rerun(page):
            page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 * 1 + 17)  # the second campaign's row marker
        expect(chips(page)).to_contain_text("Campaign: ")
        campaign = parse_qs(urlparse(page.url).query)["campaign"]
        assert len(campaign) == 1
        no_exception(page)
        page.close()
    assert not watch.errors, watch.errors
    clean_log(server.output())
