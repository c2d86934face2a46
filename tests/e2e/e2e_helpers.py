"""Browser-test helpers: the real app under `streamlit run` on a free port, Debian's Chromium, and
the one way every browser test waits for the app.

Nothing here touches the network beyond 127.0.0.1: the server binds to it, the browser
runs with background networking off, and the app's icon is a local file.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_DEADLINE = 60.0
PICK_DEADLINE = 30.0
"""Seconds to get a select's list open with the wanted option showing."""
RERUN_START = 3.0
"""How long an action gets to start a rerun before we take it that it started none (seconds)."""
LOG_PROBLEMS = re.compile(r"Traceback|Exception|Error|Warning|WARNING")

RUN_COUNTER = """(() => {
    // Count every change of the app's script state, from the page's first moment, so a rerun
    // that starts and ends between two polls is still seen to have happened.
    window.__sparkwatchRuns = 0;
    new MutationObserver(records => { window.__sparkwatchRuns += records.length; })
        .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})()"""
NOT_RUNNING = (
    "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'"
)


@dataclass
class Server:
    """A running `streamlit run streamlit_app.py` and where its output goes."""

    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Watch:
    """What the browser reported: console errors and uncaught page errors from the app."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, deadline: float = START_DEADLINE) -> None:
    """Poll the server's health endpoint until it answers ok, the process dies, or time runs out."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer within {deadline}s:\n{log.read_text()}")


PORT_TAKEN = "is not available"
"""What Streamlit logs (then exits) when the port it was given is already taken."""
PORT_TRIES = 3


class PortTaken(RuntimeError):
    """The free port was taken by another process (another test worker) before Streamlit bound it."""


@contextlib.contextmanager
def run_app(log: Path, source: str | None = None) -> Iterator[Server]:
    """`streamlit run streamlit_app.py` on a free port of 127.0.0.1, stopped afterwards.

    A port is free when it is picked, not necessarily a second later when Streamlit binds it
    (tests running in parallel open servers too): if it was taken meanwhile, Streamlit says
    so and exits, and the app is started again on another free port.
    """
    env = {k: v for k, v in os.environ.items() if k != "SPARKWATCH_SOURCE"}
    if source:
        env["SPARKWATCH_SOURCE"] = source
    for attempt in range(1, PORT_TRIES + 1):
        try:
            process, url = _start_app(log, env)
            break
        except PortTaken:
            if attempt == PORT_TRIES:
                raise
    try:
        yield Server(url, process, log)
    finally:
        _stop(process)


def _start_app(log: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start the app on a free port and wait until it answers; raise PortTaken if the port was gone."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
    except BaseException as error:
        _stop(process)
        if process.returncode != 0 and PORT_TAKEN in log.read_text(encoding="utf-8", errors="replace"):
            raise PortTaken(f"port {port} was taken before streamlit bound it") from error
        raise
    return process, url


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ---------------------------------------------------------------------------
# Waiting for the app, and the moves every browser test makes.


def watch_runs(page: Page) -> None:
    """Count the app's script-state changes in this tab (call before its first `goto`)."""
    page.add_init_script(RUN_COUNTER)


def runs(page: Page) -> int:
    """How many script-state changes the tab has seen: a marker to pass to `settled`."""
    return page.evaluate("window.__sparkwatchRuns || 0")


def settled(page: Page, since: int | None = None) -> None:
    """Wait until the app has finished the run that followed `since` (a `runs` marker).

    Right after a click the app may still show the previous run's 'notRunning', so first
    wait (briefly) for the state to change at all; an action that starts no rerun only costs
    that short wait. Without a marker, wait for the current run to end.
    """
    if since is not None:
        with contextlib.suppress(PlaywrightTimeout):  # no run started: the state below is the answer
            page.wait_for_function("n => (window.__sparkwatchRuns || 0) > n", arg=since, timeout=RERUN_START * 1000)
    page.wait_for_function(NOT_RUNNING)


@contextlib.contextmanager
def rerun(page: Page) -> Iterator[None]:
    """Do something that reruns the app, then wait for that rerun to finish."""
    before = runs(page)
    yield
    settled(page, before)


def charts_drawn(page: Page, count: int) -> None:
    """Wait until `count` Plotly charts have drawn bars."""
    page.wait_for_function(
        """n => {
            const plots = [...document.querySelectorAll('.js-plotly-plot')];
            return plots.length >= n && plots.every(p => p.querySelectorAll('g.trace.bars path').length > 0);
        }""",
        arg=count,
    )


def go_to(page: Page, title: str) -> None:
    """Open a page through the sidebar, as a person does."""
    with rerun(page):
        page.locator(".st-key-sparkwatch_nav a", has_text=title).click()
        expect(page.locator("h1", has_text=title)).to_be_visible()


def pick(page: Page, label: str, option: str | re.Pattern, scope=None) -> None:
    """Choose `option` in the select or multiselect labelled `label`."""
    widget = (scope or page).locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]', has_text=label)
    choice = page.get_by_role("option", name=option).first
    with rerun(page):
        # A rerun still drawing the widget can swallow the click that opens its list (seen under
        # load): open it again until the option shows, within a deadline.
        deadline = time.monotonic() + PICK_DEADLINE
        while True:
            widget.first.click()
            try:
                choice.wait_for(state="visible", timeout=3_000)
                break
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    raise
                page.keyboard.press("Escape")
        choice.click()
        page.locator("h1").first.click()  # close a multiselect's list; a neutral spot for a selectbox


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def screenshot(page: Page, name: str) -> None:
    """The whole page: the viewport is stretched to the main area's height first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(height + 40, 1000), 6000)})
    settled(page)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    page.set_viewport_size({"width": 1440, "height": 1000})


def clean_log(output: str) -> None:
    problems = [line for line in output.splitlines() if LOG_PROBLEMS.search(line)]
    assert not problems, output
