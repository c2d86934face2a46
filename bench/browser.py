"""Speed as people feel it: the Overview in Debian's Chromium, beside a bare one-chart page.

`python bench/run.py --browser` (or `python bench/browser.py`) starts the app, reading a
generated sheet through the local fake Sheets API, and a bare Streamlit page with one Plotly
chart (`bench/bare_page.py`), each on a free port of 127.0.0.1, and measures both in the same
run, alternating, so a noisy machine slows both alike:

- one viewer: navigation → first useful view (the app's "This week", the bare page's chart)
  and → fully drawn (every chart, nothing running), in a fresh browser (cold) and on reload
  (warm), each moment read in the page as it happens (`SEEN`); a filter change at 10,000 rows,
  click → settled;
- ten viewers opening the page at once: the slowest of them ÷ one viewer alone, the server's
  CPU time per page view (from /proc), its memory per extra viewer, the Sheets requests of a
  cold burst; then ten viewers changing filters for two minutes: memory must stop growing
  after the first.

Two floors say what no change to the Overview's own work can remove: the server CPU per viewer
for the static files (component code) the app's page needs against the bare page's, and the
Overview's three charts alone on an otherwise bare page (`bench/figures_page.py`), fully drawn.

Goals are ratios to the bare page (the machine's own speed cancels out); results are appended
to bench/RESULTS.md and the exit code is 1 when one is missed. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Browser, Page, ViewportSize, async_playwright  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from bench.run import BROWSER_RUN  # noqa: E402
from bench.synthetic import synthetic_table  # noqa: E402
from lib import settings  # noqa: E402
from tests.fakes import FakeSheets, service_account_info  # noqa: E402

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]
KEY = "1SparkwatchBenchSheet_abcdefghijklmnopqrstuvwxy"
EMAIL = "sparkwatch-bench@sparkwatch-test.iam.gserviceaccount.com"
ROWS, FILTER_ROWS, VIEWERS = 3_000, 10_000, 10
QUICK = bool(os.environ.get("SPARKWATCH_BENCH_QUICK"))
"""A short trial run (2 repeats, 10-second churn) while working on the bench itself; not a result."""
REPEATS = 2 if QUICK else 5
CHURN_SECONDS = 10.0 if QUICK else 60.0
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
DEADLINE_MS = 180_000

GOALS = {
    "first useful view, cold (× bare)": 1.3,
    "first useful view, warm (× bare)": 1.3,
    "fully drawn, cold (× bare)": 1.6,
    "fully drawn, warm (× bare)": 1.6,
    "filter change at 10,000 rows (s)": 1.0,
    "server CPU per page view (× bare)": 1.5,
    "slowdown of 10 viewers (× bare's slowdown)": 1.1,
    "Sheets requests, cold burst of 10": 2,
    "memory per extra viewer (MB)": 15,
    "memory growth in the second minute of filter changes (MB)": 10,
    "viewers who saw an error": 0,
}

SCRIPT_STATE = "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
DRAWN_TEST = f"""(n) => {{
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length >= n && plots.every(p => p.querySelectorAll('g.trace.bars path').length > 0)
        && {SCRIPT_STATE} === 'notRunning';
}}"""
DRAWN = f"n => ({DRAWN_TEST})(n)"
SETTLED = f"""n => document.querySelectorAll('.js-plotly-plot').length >= n && {SCRIPT_STATE} === 'notRunning'"""
"""After a filter change: the run is over and the charts are there (a filtered chart may have no bars)."""
RUN_COUNTER = """(() => { window.__runs = 0; new MutationObserver(r => { window.__runs += r.length; })
    .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']}); })()"""
SEEN = """([[useful, words], charts]) => {
    // When the viewer could first see each thing, in ms from the start of this navigation, read by
    // the page itself: the first useful view (visible) and fully drawn (every chart, nothing running).
    window.__seen = {};
    const drawn = DRAWN_TEST;
    const watching = new MutationObserver(() => {
        const now = performance.now();
        if (!('useful' in window.__seen)) {
            const shown = [...document.querySelectorAll(useful)].some(
                el => el.textContent.includes(words) && el.getClientRects().length);
            if (shown) window.__seen.useful = now;
        }
        if (!('full' in window.__seen) && drawn(charts)) window.__seen.full = now;
        if ('useful' in window.__seen && 'full' in window.__seen) watching.disconnect();
    });
    watching.observe(document, {subtree: true, childList: true, attributes: true,
        attributeFilter: ['data-test-script-state']});
}""".replace("DRAWN_TEST", DRAWN_TEST)
"""Timings are taken in the page, as the DOM changes: Playwright's own waits would add their polling and
round trips, and a navigation's `load` event (which a script fetched late holds back) to every figure."""


@dataclass(frozen=True)
class Site:
    """A served page: its address, its process, how many charts it draws and what its first useful view is."""

    url: str
    process: subprocess.Popen
    charts: int
    useful: tuple[str, str]
    """The first useful view: an element (CSS) holding some words ("" for any)."""


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(script: str, env: dict[str, str], log: Path, charts: int, useful: tuple[str, str]) -> Iterator[Site]:
    """`streamlit run script` on a free port, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    end = time.monotonic() + 60
    try:
        while True:
            try:
                with opener.open(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > end or process.poll() is not None:
                    raise RuntimeError(f"{script} did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield Site(url, process, charts, useful)
    finally:
        process.terminate()
        process.wait(timeout=20)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------------------
# One page view, as a person sees it.


async def open_view(browser: Browser, site: Site, errors: list[str]) -> tuple[Page, float, float]:
    """A fresh browser context on the site: seconds to the first useful view, and to fully drawn."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.set_default_timeout(DEADLINE_MS)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.add_init_script(RUN_COUNTER)
    await page.add_init_script(f"({SEEN})({json.dumps([site.useful, site.charts])})")
    await page.goto(site.url, wait_until="commit")
    useful, full = await seen(page)
    if await page.locator('[data-testid="stException"]').count():
        errors.append(f"an error on {site.url}")
    return page, useful, full


async def reload_view(page: Page) -> tuple[float, float]:
    await page.reload(wait_until="commit")
    return await seen(page)


async def seen(page: Page) -> tuple[float, float]:
    """Once the page is fully drawn: seconds from navigation to its first useful view, and to fully drawn."""
    marks = await page.wait_for_function("() => 'useful' in window.__seen && 'full' in window.__seen && window.__seen")
    found = await marks.json_value()
    return found["useful"] / 1000, found["full"] / 1000


async def click_and_settle(page: Page, button, charts: int, start_within: float = DEADLINE_MS) -> float:
    """Seconds from a click to the rerun it starts being done, with every chart on the page."""
    before = await page.evaluate("window.__runs || 0")
    start = time.perf_counter()
    await button.click(timeout=start_within)
    await page.wait_for_function("n => (window.__runs || 0) > n", arg=before, timeout=start_within)
    await page.wait_for_function(SETTLED, arg=charts)
    return time.perf_counter() - start


async def toggle_filter(page: Page, charts: int, start_within: float = DEADLINE_MS) -> float:
    """Show only the blocked rows, by their number's button (a filter change), and back."""
    button = page.locator(".st-key-overview_only_blocked button:visible").first  # not a stale copy a rerun left
    took = await click_and_settle(page, button, charts, start_within)
    await click_and_settle(page, button, charts, start_within)
    return took


# ---------------------------------------------------------------------------
# The runs.


async def one_viewer(browser: Browser, sites: dict[str, Site], errors: list[str]) -> dict[str, float]:
    """Cold and warm, the sites alternating; medians of REPEATS."""
    times: dict[str, list[float]] = {}
    for _ in range(REPEATS):
        for name, site in sites.items():
            page, useful, full = await open_view(browser, site, errors)
            useful_again, full_again = await reload_view(page)
            await page.context.close()
            for key, took in (("cold useful", useful), ("cold full", full), ("warm useful", useful_again),
                              ("warm full", full_again)):  # fmt: skip
                times.setdefault(f"{name} {key}", []).append(took)
    return {k: statistics.median(v) for k, v in times.items()}


async def static_cost(browser: Browser, site: Site) -> float:
    """Server CPU seconds per viewer for the page's static files alone (scripts, styles, fonts).

    The files one fresh viewer's browser asked for, fetched again as VIEWERS fresh viewers would:
    Streamlit serves each component's code on demand, so a page with more kinds of element costs
    the server more per first visit before any of its own work begins.
    """
    asked: list[str] = []
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.on("requestfinished", lambda request: asked.append(request.url))
    await page.goto(site.url)
    await page.wait_for_function(DRAWN, arg=site.charts)
    await context.close()
    files = [u for u in asked if u.startswith(f"{site.url}/static/")]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    cpu = cpu_seconds(site.process.pid)
    for _ in range(VIEWERS):
        for url in files:
            with opener.open(url, timeout=30) as response:
                response.read()
    return (cpu_seconds(site.process.pid) - cpu) / VIEWERS


async def filter_changes(browser: Browser, site: Site, errors: list[str]) -> float:
    page, _, _ = await open_view(browser, site, errors)
    took = [await toggle_filter(page, site.charts) for _ in range(REPEATS)]
    await page.context.close()
    return statistics.median(took)


async def crowd(browser: Browser, site: Site, errors: list[str]) -> tuple[list[Page], list[float]]:
    """VIEWERS fresh viewers opening the page at the same moment; each one's time to fully drawn."""
    opened = await asyncio.gather(*(open_view(browser, site, errors) for _ in range(VIEWERS)))
    return [p for p, _, _ in opened], [full for _, _, full in opened]


async def many_viewers(browser: Browser, site: Site, errors: list[str], fake: FakeSheets | None) -> dict[str, float]:
    """Cold burst (Sheets requests), one viewer alone, then a warm burst: slowdown, CPU, memory."""
    pid = site.process.pid
    if fake is not None:
        fake.reset_counts()
    pages, _ = await crowd(browser, site, errors)
    requests = fake.value_requests if fake is not None else 0
    for page in pages:
        await page.context.close()
    alone_page, _, alone = await open_view(browser, site, errors)
    base_rss = rss_mb(pid)
    cpu = cpu_seconds(pid)
    pages, fulls = await crowd(browser, site, errors)
    cpu_per_view = (cpu_seconds(pid) - cpu) / VIEWERS
    per_viewer = (rss_mb(pid) - base_rss) / VIEWERS
    for page in [alone_page, *pages]:
        await page.context.close()
    return {
        "alone": alone,
        "slowest": max(fulls),
        "slowdown": max(fulls) / alone,
        "cpu per view": cpu_per_view,
        "mb per viewer": per_viewer,
        "sheets requests": requests,
    }


async def churn(browser: Browser, site: Site, errors: list[str]) -> tuple[float, float, float]:
    """VIEWERS viewers changing filters for two CHURN_SECONDS: memory at the start, after one, after two."""
    pages, _ = await crowd(browser, site, errors)
    pid = site.process.pid
    start = rss_mb(pid)
    marks = []
    for _ in range(2):
        end = time.monotonic() + CHURN_SECONDS

        async def keep_changing(page: Page, end: float = end) -> None:
            while time.monotonic() < end:
                # Memory is what is measured here: a click swallowed by a busy page is tried again.
                with contextlib.suppress(PlaywrightTimeout):
                    await toggle_filter(page, site.charts, start_within=10_000)

        await asyncio.gather(*(keep_changing(p) for p in pages))
        marks.append(rss_mb(pid))
    for page in pages:
        await page.context.close()
    return start, marks[0], marks[1]


def progress(step: str, value: T) -> T:
    """Say each step's figures as it ends: a full run takes minutes."""
    print(f"{step}: {value}", file=sys.stderr, flush=True)
    return value


def app_env(fake: FakeSheets, key_file: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPARKWATCH_", "TIKTOK_"))}
    env.update(fake.outside_environ())
    env.update({
        settings.SHEET_ENV: f"https://docs.google.com/spreadsheets/d/{KEY}/edit",
        settings.TAB_ENV: "Tracker",
        settings.API_ROOT_ENV: fake.url,
        settings.CREDENTIALS_ENV: str(key_file),
    })  # fmt: skip
    return env


async def measure(work: Path) -> dict[str, float]:
    today = dt.date.today()
    errors: list[str] = []
    results: dict[str, float] = {}
    with FakeSheets() as fake, FakeSheets() as big:
        fake.add_spreadsheet(KEY, {"Tracker": synthetic_table(ROWS, today)})
        big.add_spreadsheet(KEY, {"Tracker": synthetic_table(FILTER_ROWS, today)})
        for server, name in ((fake, "key.json"), (big, "big-key.json")):
            (work / name).write_text(json.dumps(service_account_info(server, EMAIL)))
        env = app_env(fake, work / "key.json")
        bare_env = {k: v for k, v in env.items() if k != settings.SHEET_ENV}
        useful = ("h2", "This week")
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            chart = (".js-plotly-plot .main-svg", "")
            with contextlib.ExitStack() as running:
                bare = running.enter_context(serve("bench/bare_page.py", bare_env, work / "bare.log", 1, chart))
                figures = running.enter_context(serve("bench/figures_page.py", bare_env, work / "fig.log", 3, chart))
                app = running.enter_context(serve("streamlit_app.py", env, work / "app.log", 3, useful))
                app_crowd = progress("app, 10 viewers", await many_viewers(browser, app, errors, fake))
                bare_crowd = progress("bare page, 10 viewers", await many_viewers(browser, bare, errors, None))
                sites = {"app": app, "bare": bare, "figures": figures}
                single = progress("one viewer", await one_viewer(browser, sites, errors))
                static = {name: await static_cost(browser, sites[name]) for name in ("app", "bare")}
                progress("static files, server CPU per viewer", static)
                start, first, second = progress("filter churn", await churn(browser, app, errors))
                big_env = app_env(big, work / "big-key.json")
                with serve("streamlit_app.py", big_env, work / "big.log", 3, useful) as app10k:
                    results["filter change at 10,000 rows (s)"] = await filter_changes(browser, app10k, errors)
            await browser.close()
    for moment in ("cold", "warm"):
        for part, words in (("useful", "first useful view"), ("full", "fully drawn")):
            results[f"{words}, {moment} (× bare)"] = single[f"app {moment} {part}"] / single[f"bare {moment} {part}"]
    results["server CPU per page view (× bare)"] = app_crowd["cpu per view"] / bare_crowd["cpu per view"]
    results["slowdown of 10 viewers (× bare's slowdown)"] = app_crowd["slowdown"] / bare_crowd["slowdown"]
    results["Sheets requests, cold burst of 10"] = app_crowd["sheets requests"]
    results["memory per extra viewer (MB)"] = app_crowd["mb per viewer"]
    results["memory growth in the second minute of filter changes (MB)"] = second - first
    results["viewers who saw an error"] = len(errors)
    details = {
        "static files alone, server CPU per viewer (app ÷ bare)": static["app"] / static["bare"],
        "the Overview's three charts alone, fully drawn warm (× bare)": single["figures warm full"]
        / single["bare warm full"],
    }
    details |= {f"app {k}": v for k, v in app_crowd.items()} | {f"bare {k}": v for k, v in bare_crowd.items()}
    details |= {f"one viewer, {k} (s)": v for k, v in single.items()}
    details |= {"memory at churn start (MB)": start, "after 1 min (MB)": first, "after 2 min (MB)": second}
    return results | {f"· {k}": v for k, v in details.items()}


def report(results: dict[str, float]) -> tuple[str, list[str]]:
    missed = [k for k, goal in GOALS.items() if results[k] > goal]
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"{BROWSER_RUN}{when} on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Chromium, {ROWS:,}-row sheet through the local fake Sheets API (`python bench/run.py --browser`)",
        "",
        "| measure | value | goal |",
        "|---|---:|---:|",
        *(f"| {k} | {v:.2f} | {'≤ ' + str(GOALS[k]) if k in GOALS else ''} |" for k, v in results.items()),
        "",
        f"Goals missed: {', '.join(missed) or 'none'}.",
        "",
    ]
    return "\n".join(lines), missed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = asyncio.run(measure(Path(tmp)))
    text, missed = report(results)
    print(text)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
        out.write("\n" + text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
