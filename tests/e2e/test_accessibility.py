"""WCAG 2.1 AA in the real app: axe-core on every page at a laptop's and a phone's size, each
page's main control reached by keyboard past the sidebar, and a symptom picked with the keyboard alone.

axe-core (shipped inside the `axe-playwright-python` package, so nothing is fetched) runs its
WCAG 2.0/2.1 A and AA rules in Debian's headless Chromium against `streamlit run` on the demo
sheet; any serious or critical finding fails, listed with its rule, the elements and the page.
One server serves the whole module; each check opens a fresh tab.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from e2e_helpers import Server, run_app
from playwright.sync_api import Page, expect

from ui.nav import PAGES, PageSpec

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

VIEWPORTS = {"laptop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
SYMPTOM = "A preview that worked yesterday is gone"
VAGUE_LINKS = {"link to heading", "here", "click here", "link", "more", "read more"}
MAX_TABS_TO_MAIN_TASK = 5
"""Tab presses from the skip link's target to a page's main control: the page's own controls, no sidebar."""

MAIN_CONTROLS = {
    "pages/overview.py": ("combobox", "Show only rows with this problem"),
    "pages/authorizations.py": ("textbox", "Search"),
    "pages/troubleshooter.py": ("combobox", "What do you see?"),
    "pages/act.py": ("spinbutton", "Authorizations ending in the next … days"),
    "pages/data.py": ("button", "Test connection"),
}
"""Each page's main task, as the keyboard meets it: the action list's filter, the search, the picker…"""
MAX_TABS_IN_PAGE = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with run_app(tmp_path_factory.mktemp("a11y") / "server.log") as running:
        yield running


def address(server: Server, path: str) -> str:
    """A page's own address: the first page is the app's root, the others are named after their file."""
    slug = "" if path == PAGES[0].path else Path(path).stem
    return f"{server.url}/{slug}"


def settled(page: Page) -> None:
    """Wait until no run is in progress. Callers first wait for something the run draws, so a run
    that has not started yet is not taken for one that has ended."""
    page.wait_for_function(
        "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'"
    )


def open_at(browser, server: Server, spec: PageSpec, viewport: dict) -> Page:
    """A fresh tab on one page, once its title, the sidebar's links and the page's main control are
    drawn and the run is over (a page's own address may be run twice on a fresh session)."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(30_000)
    page.goto(address(server, spec.path))
    expect(page.locator("h1", has_text=spec.title)).to_be_visible()
    expect(page.locator(".st-key-sparkwatch_nav a")).to_have_count(len(PAGES))
    role, name = MAIN_CONTROLS[spec.path]
    expect(page.get_by_role(role, name=name, exact=True)).to_be_attached()
    if spec.path == "pages/overview.py":
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3")
    settled(page)
    return page


def serious_findings(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as drawn now, one line per element."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {node['target']} — {node['failureSummary'].splitlines()[-1].strip()}"
        for v in results.response["violations"]
        if v["impact"] in FAILING_IMPACTS
        for node in v["nodes"]
    ]


def structure_problems(page: Page, title: str) -> list[str]:
    """One h1 naming the page, no heading level skipped, the page's language set, links that say where."""
    problems = []
    h1s = page.locator("h1").all_inner_texts()
    if [t.strip() for t in h1s] != [title]:
        problems.append(f"h1s are {h1s}, expected exactly [{title!r}]")
    levels = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(h => h.offsetParent !== null)"
        ".map(h => Number(h.tagName[1]))"
    )
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading levels jump from h{before} to h{after} ({levels})")
            break
    if not page.evaluate("document.documentElement.lang"):
        problems.append("the page has no language (html lang)")
    vague = page.evaluate(
        "[...document.querySelectorAll('a[href]')].filter(a => a.offsetParent !== null)"
        ".map(a => (a.getAttribute('aria-label') || a.innerText).trim())"
        f".filter(name => {sorted(VAGUE_LINKS)!r}.includes(name.toLowerCase()))"
    )
    if vague:
        problems.append(f"links that don't say where they go: {vague}")
    return problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("spec", PAGES, ids=[p.title for p in PAGES])
def test_every_page_passes_axe_and_has_one_named_h1(browser, server, spec, viewport):
    page = open_at(browser, server, spec, VIEWPORTS[viewport])
    try:
        problems = [f"{spec.title} at {viewport}: {line}" for line in serious_findings(page)]
        problems += [f"{spec.title} at {viewport}: {line}" for line in structure_problems(page, spec.title)]
        assert not problems, "\n".join(problems)
    finally:
        page.close()


def focused_label(page: Page) -> str:
    """Where keyboard focus is: the widget's label, or the element's own text."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el.closest('[data-testid="stElementContainer"]')?.querySelector('label');
            return (label?.innerText || el.getAttribute('aria-label') || el.innerText || el.tagName).trim();
        }"""
    )


def focus_look(combobox) -> str:
    """How a select and its frame are drawn (borders, outlines, shadows), to tell focused from not."""
    return combobox.evaluate(
        """el => {
            const looks = [];
            for (let e = el; e && looks.length < 4; e = e.parentElement) {
                const s = getComputedStyle(e);
                looks.push([s.borderColor, s.outlineStyle, s.outlineColor, s.boxShadow].join(' '));
            }
            return looks.join(' | ');
        }"""
    )


def highlighted_option(page: Page) -> str:
    """The option the arrow keys are on (the list keeps focus in its text box and points at it)."""
    return page.evaluate(
        """() => {
            const id = document.activeElement.getAttribute('aria-activedescendant');
            const option = (id && document.getElementById(id))
                || document.querySelector('[role="option"][data-focused]');
            return option ? option.innerText : '';
        }"""
    )


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def test_a_symptom_is_picked_with_the_keyboard_alone_and_gives_the_fix(browser, server):
    spec = next(p for p in PAGES if p.path == "pages/troubleshooter.py")
    page = open_at(browser, server, spec, VIEWPORTS["laptop"])
    try:
        picker = page.locator('[data-testid="stMultiSelect"]', has_text="What do you see?").get_by_role("combobox")
        unfocused = focus_look(picker)

        # The first Tab shows a link past the sidebar; it takes focus to the page itself.
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        assert is_focused(skip)
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "stMain"

        # From there the symptom picker is a few Tab presses away, not the whole sidebar's worth.
        seen = []
        for _ in range(MAX_TABS_TO_MAIN_TASK):
            page.keyboard.press("Tab")
            seen.append(focused_label(page))
            if is_focused(picker):
                break
        else:
            pytest.fail(f"the symptom picker is more than {MAX_TABS_TO_MAIN_TASK} Tab presses from the page: {seen}")
        # The focused control shows that it has focus.
        assert focus_look(picker) != unfocused

        # Arrow keys walk the options; Enter picks one, Escape closes the list.
        page.keyboard.press("ArrowDown")
        expect(page.get_by_role("option", name=SYMPTOM).first).to_be_visible()
        for _ in range(40):
            if SYMPTOM in highlighted_option(page):
                break
            page.keyboard.press("ArrowDown")
        else:
            pytest.fail(f"the arrow keys never reach {SYMPTOM!r}")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        settled(page)
        expect(page.get_by_text("1. Code expired", exact=True)).to_be_visible()
        expect(page.get_by_text("How to fix it:").first).to_be_visible()

        findings = [f"{spec.title} after a symptom: {line}" for line in serious_findings(page)]
        assert not findings, "\n".join(findings)
        assert not structure_problems(page, spec.title)
    finally:
        page.close()


@pytest.mark.parametrize("spec", PAGES, ids=[p.title for p in PAGES])
def test_each_pages_main_control_is_reached_past_the_sidebar(browser, server, spec):
    """Skip link, then Tab: focus reaches the page's main control and never enters the sidebar."""
    page = open_at(browser, server, spec, VIEWPORTS["laptop"])
    try:
        role, name = MAIN_CONTROLS[spec.path]
        control = page.get_by_role(role, name=name, exact=True)
        page.keyboard.press("Tab")
        assert is_focused(page.get_by_role("link", name="Skip to main content"))
        page.keyboard.press("Enter")
        walked = []
        for _ in range(MAX_TABS_IN_PAGE):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('[data-testid=\"stSidebar\"]')"):
                pytest.fail(f"{spec.title}: focus went into the sidebar before {name!r}: {walked}")
            walked.append(focused_label(page))
            if is_focused(control):
                break
        else:
            pytest.fail(f"{spec.title}: {name!r} not reached in {MAX_TABS_IN_PAGE} Tab presses: {walked}")
    finally:
        page.close()


def test_a_dark_system_setting_gets_the_same_checked_light_theme(browser, server):
    """Only the light theme is offered (there is no theme menu), so a visitor whose system prefers
    dark sees the colours checked above, not an unchecked dark variant."""
    page = browser.new_page(viewport=VIEWPORTS["laptop"], color_scheme="dark")
    try:
        page.set_default_timeout(30_000)
        page.goto(address(server, PAGES[0].path))
        expect(page.locator("h1", has_text=PAGES[0].title)).to_be_visible()
        settled(page)
        background = page.evaluate("getComputedStyle(document.querySelector('.stApp')).backgroundColor")
        assert background == "rgb(255, 255, 255)"
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(14, 13, 12)"
    finally:
        page.close()


def test_no_text_on_the_page_relies_on_colour_words_alone(browser, server):
    """The charts' captions never point at a colour as the only way to tell a state."""
    page = open_at(browser, server, PAGES[0], VIEWPORTS["laptop"])
    try:
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert not re.search(r"\bin (yellow|red|green|purple|orange)\b", text), text
    finally:
        page.close()
