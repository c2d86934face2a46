"""Hostile cell text in the real app, in Debian's headless Chromium: inert, and the layout holds.

The sheet is `test_app_hostile.hostile_sheet` (script tags, an <img onerror>, markdown
links, a =HYPERLINK formula, a 10,000-character cell, an unclosed right-to-left override
with Arabic letters, zero-width characters), written to a CSV in tmp_path and opened
through the SPARKWATCH_SOURCE hook. On every page: no JS dialog, no console error, no
element built from the sheet's markup (outside the tables' canvases), no horizontal
overflow, charts with room for their bars, and the product's own words beside
right-to-left text still in reading order. Screenshots go to tests/e2e/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from app_helpers import PAGE_TITLES
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
)
from playwright.sync_api import Page, expect
from test_app_hostile import HOSTILE_CELLS, hostile_rows, hostile_sheet

from lib.clock import team_today
from lib.exports import FORMULA_START

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

RTL_MARK = "evil.exe"
"""A piece of the right-to-left cell that survives the creator handle's clean-up."""
OVERFLOW_TOLERANCE = 2

MARKUP_FROM_SHEET = """() => {
    // The page as HTML, without the tables (their cells are drawn on a canvas, as text).
    const body = document.body.cloneNode(true);
    body.querySelectorAll('[data-testid="stDataFrame"]').forEach(e => e.remove());
    const hrefs = [...body.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
    return {
        html: body.innerHTML,
        sheetLinks: hrefs.filter(h => /evil\\.example|tiktok\\.com|^\\s*javascript:/i.test(h)),
        badImages: [...body.querySelectorAll('img')]
            .filter(i => i.hasAttribute('onerror') || !i.src.startsWith(location.origin) && !i.src.startsWith('data:'))
            .map(i => i.outerHTML.slice(0, 200)),
    };
}"""

LAYOUT = """(tolerance) => {
    const width = window.innerWidth;
    const outside = [...document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')]
        .filter(e => !e.closest('[data-testid="stDataFrame"]') && !(e.ownerSVGElement))  // an svg clips its insides
        .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > width + tolerance)
        .map(e => `${e.tagName} in ${e.closest('[data-testid]')?.dataset.testid}: ${e.getBoundingClientRect().right}`);
    const plots = [...document.querySelectorAll('.js-plotly-plot')].map(p => {
        const area = p.querySelector('.nsewdrag');
        return area ? area.getBoundingClientRect().width / p.getBoundingClientRect().width : 1;
    });
    return {scrollWidth: document.documentElement.scrollWidth, width, outside: outside.slice(0, 5), plots};
}"""

READING_ORDER = r"""(mark) => {
    // Lines that hold the right-to-left cell and then the product's words (' · 2 posts',
    // '! Quick favour …'): on the cell's visual line, the words must run left to right and
    // start at or right of the cell's own characters.
    const positions = (node) => {
        if (node.getStartPositionOfChar) {  // SVG text: Plotly's labels
            return [...Array(node.getNumberOfChars()).keys()].map(i => node.getStartPositionOfChar(i));
        }
        return [...node.nodeValue].map((_, i) => {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            return {x: box.left, y: box.top};
        });
    };
    const lines = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.nodeValue.includes(mark) && !node.parentElement.closest('[data-testid="stDataFrame"]')) {
            lines.push(node.parentElement.closest('text') || node);
        }
    }
    return lines.map(node => {
        const text = node.textContent;
        const found = text.slice(text.indexOf(mark)).match(/ · |! /);
        if (!found) return {text};
        const start = text.indexOf(mark) + found.index;
        const at = positions(node).map(p => ({x: Math.round(p.x), y: Math.round(p.y)}));
        const sameLine = (p) => Math.abs(p.y - at[start].y) <= 3;
        const cell = at.slice(0, start).filter(sameLine).map(p => p.x);
        const next = [text.indexOf('\u2068', start), text.indexOf(mark, start)].filter(i => i > 0);
        const own = at.slice(start, next.length ? Math.min(...next) : text.length);  // up to the next cell
        const end = own.findIndex(p => !sameLine(p));
        const line = (end < 0 ? own : own.slice(0, end)).map(p => p.x);
        const ordered = line.every((x, i) => i === 0 || x >= line[i - 1]) && line[0] >= Math.max(...cell) - 1;
        return {text: text.slice(0, 120), own: text.slice(start, start + 40), ordered};
    });
}"""


def assert_inert_and_intact(page: Page) -> None:
    """The checks every page gets: no markup from the sheet, nothing wider than the window."""
    no_exception(page)
    found = page.evaluate(MARKUP_FROM_SHEET)
    assert not found["sheetLinks"], found["sheetLinks"]
    assert not found["badImages"], found["badImages"]
    assert not re.search(r"<(script|img)[^>]*(alert|evil\.example)", found["html"], re.IGNORECASE)
    assert "<strong>bold</strong>" not in found["html"]
    layout = page.evaluate(LAYOUT, OVERFLOW_TOLERANCE)
    assert layout["scrollWidth"] <= layout["width"] + OVERFLOW_TOLERANCE, layout
    assert not layout["outside"], layout
    assert all(share > 0.4 for share in layout["plots"]), layout  # bars keep most of each chart's width


def assert_reading_order(page: Page, expected_lines: int) -> None:
    lines = [line for line in page.evaluate(READING_ORDER, RTL_MARK) if line.get("own")]
    assert len(lines) >= expected_lines, lines
    assert all(line["ordered"] for line in lines), lines


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def test_hostile_cells_stay_inert_on_every_page(open_page, tmp_path):
    sheet = tmp_path / "hostile.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(hostile_sheet(team_today()))
    rtl_row = int(hostile_rows().loc[("rtl", "expiring"), "row"])
    watch = Watch()
    with run_app(tmp_path / "server.log", source=str(sheet)) as server:
        page = open_page(server, watch)
        expect(page.locator("h1", has_text="Overview")).to_be_visible()
        settled(page, 0)
        for title in PAGE_TITLES:
            go_to(page, title)
            if title == "Overview":
                charts_drawn(page, 3)
                assert_reading_order(page, 1)  # the timeline's '… · row N' label
            elif title == "Authorizations":
                with page.expect_download() as download:
                    page.get_by_role("button", name="Download these rows (CSV)").click()
                cells = csv_cells(download.value.path().read_bytes())
                assert "'" + HOSTILE_CELLS["formula"] in cells
                assert not [c for c in cells if re.match(FORMULA_START, c) and not re.fullmatch(r"-\d+", c)]
            elif title == "Troubleshooter":
                pick(page, "What do you see?", "A preview that worked yesterday is gone")
                row_picker = page.locator('[data-testid="stSelectbox"]', has_text="Which creator and post")
                with rerun(page):
                    row_picker.click()
                    page.keyboard.type(f"sheet row {rtl_row}")  # the list is long: narrow it first
                    page.get_by_role("option", name=re.compile(rf"\(sheet row {rtl_row}\)$")).first.click()
                expect(page.locator('[data-testid="stCode"]').first).to_contain_text(RTL_MARK)
                assert_reading_order(page, 1)  # 'Hi @…! Quick favour' in the message
            elif title == "Act now":
                assert_reading_order(page, 3)  # '@… · 2 posts', its message, the batch heading
            assert_inert_and_intact(page)
            screenshot(page, f"hostile-cells-{title.lower().replace(' ', '-')}")

    assert not watch.dialogs, watch.dialogs
    assert not watch.errors, watch.errors
    clean_log(server.output())
