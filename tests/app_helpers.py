"""Shared set-up for the dashboard's AppTest tests: open the real app, read what it shows.

The app is the real `streamlit_app.py` with `st.navigation`; pages are reached with
`AppTest.switch_page`. A test that needs a sheet of its own replaces `lib.demo.demo_table`
(the demo source reads it at call time), after clearing Streamlit's data cache.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import demo
from lib.clock import team_today
from lib.diagnose import diagnose
from lib.normalize import normalize
from ui import nav

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "streamlit_app.py"
TIMEOUT = 60


page_path = nav.page
"""A page's file, looked up by its title in the app's own list (`ui.nav.PAGES`)."""


PAGES: tuple[str, ...] = tuple(p.path for p in nav.PAGES)
"""Every page the app serves, in its menu order: parametrise over this, never over a copy."""
PAGE_TITLES: tuple[str, ...] = tuple(p.title for p in nav.PAGES)
OVERVIEW, AUTHORIZATIONS = page_path("Overview"), page_path("Authorizations")
TROUBLESHOOTER, ACT, DATA = page_path("Troubleshooter"), page_path("Act now"), page_path("Data")
SHEET_PAGES: tuple[str, ...] = tuple(p for p in PAGES if p != DATA)
"""The pages that show the sheet's rows (the Data page shows where they come from)."""

_DEMO_TABLE = demo.demo_table
"""The real demo sheet, kept before any test replaces `lib.demo.demo_table`."""

_cache_has_only_real_demo = False
"""Whether every demo read in Streamlit's data cache is of the real demo sheet (see `open_app`)."""
_expected: dict[tuple[dt.date, int], pd.DataFrame] = {}

DEMO_BATCH_ACCOUNT = "STRIDE-EU-02"
DEMO_BATCH_CODES = (
    "#C+1hsYgBds1ghxY5OokvQyx7eNWVQ4vnakJkS1pAWTN3IqpzactlW0YxSELSJBc=",
    "#lg8zV5yPU8d0FZfWe7ihGyiRUIQfHOJMaidDn87XG3/qBz0kJF7iY+ljEbqddCw=",
    "#/xbMtEPO6UkzYuF0ie9Pu2njHkAm1/5wDr16EpLLJIVGVAJse4GDPdcnWAN12wp=",
)
"""The demo's one batch for Ads Manager (sheet rows 18, 19, 20), as written in lib/demo.py."""
DEMO_BATCH_MASKED = ("#C+1••••JBc=", "#lg8••••dCw=", "#/xb••••2wp=")
"""The same codes as the page shows them without a reveal: first four and last four characters."""

HOSTILE = ("<b>x</b>", "<script>alert(1)</script>")
"""Creator cells that must show as these characters, never as bold text or a script."""


def hostile_table(today=None) -> list[list[str]]:
    """The demo sheet with two creators' handles replaced by HTML."""
    header, first, second, *rest = _DEMO_TABLE(today)
    return [header, [HOSTILE[0], *first[1:]], [HOSTILE[1], *second[1:]], *rest]


def clear_caches() -> None:
    """Forget every read and everything worked out from it (reads are shared objects: `ui/source.py`)."""
    st.cache_data.clear()
    st.cache_resource.clear()


def open_app(page: str = OVERVIEW) -> AppTest:
    """The real app, opened on `page` and checked for errors.

    The first run goes through streamlit_app.py. AppTest then runs page files on their own
    (it resets Streamlit's `pages/`-folder detection every run), and the first widget
    change after that switch is dropped; opening the page explicitly gets past it, so
    every interaction in a test counts. (The real server keeps running the shell.)

    Streamlit's caches are emptied first unless it holds only the real demo sheet and that
    is what the app will read: a read is keyed by the source's id, which says how it was read,
    so only a replaced `demo_table` can make the same key mean other rows. Reusing the read
    spares each test a normalisation of the demo.
    """
    clear_read_cache()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    at.switch_page(page).run()
    assert_clean(at)
    return at


def clear_read_cache() -> None:
    """Empty Streamlit's caches before opening an app, unless it holds only reads of the real
    demo sheet and that is what the app will read (see `open_app`)."""
    global _cache_has_only_real_demo
    real = demo.demo_table is _DEMO_TABLE
    if not (real and _cache_has_only_real_demo):
        clear_caches()
    _cache_has_only_real_demo = real


def after_test() -> None:
    """Called after every test's body (tests/conftest.py): a replaced demo sheet may be in the cache."""
    global _cache_has_only_real_demo
    if demo.demo_table is not _DEMO_TABLE:
        _cache_has_only_real_demo = False


def sidebar_filter(at: AppTest, name: str):
    """The sidebar's multiselect for one filter: campaign, brand, owner or health."""
    from ui import state

    return at.sidebar.multiselect(key=state.widget_key(state.KEY_FILTERS[name]))


def assert_clean(at: AppTest) -> None:
    """No exception, error or warning element anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]


def expected(warn_days: int = 7) -> pd.DataFrame:
    """The diagnosis the app should be showing: the (possibly replaced) demo sheet for the team's today.

    The real demo's diagnosis is worked out once per day and window, and each caller gets a copy.
    """
    today = team_today()
    if demo.demo_table is not _DEMO_TABLE:
        return diagnose(normalize(demo.demo_table(today)).frame, today, warn_days)
    if (today, warn_days) not in _expected:
        _expected[today, warn_days] = diagnose(normalize(_DEMO_TABLE(today)).frame, today, warn_days)
    return _expected[today, warn_days].copy()


def page_notes(at: AppTest) -> list[str]:
    """The info notes of the page's main area, less the banner every page shows about the data's source."""
    from ui.page_top import BANNERS

    banners = {b.split("{")[0] for b in BANNERS.values()}
    return [i.value for i in at.main.info if not any(i.value.startswith(b) for b in banners)]


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def plotly_specs(at: AppTest) -> dict[str, dict]:
    """Each Plotly chart's figure spec, by the chart's key."""
    return {e.proto.id.split("-", 2)[2]: json.loads(e.proto.spec) for e in at.get("plotly_chart")}


def bar_traces(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t["type"] == "bar"]


def markdown_texts(at: AppTest) -> list[str]:
    """Everything the page renders as markdown: titles, text, captions, alerts, metric labels."""
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    texts += [e.value for kind in ("title", "header", "subheader", "info", "success") for e in getattr(at, kind)]
    texts += [m.label for m in at.metric]
    return texts


def assert_shown_literally(at: AppTest, shown: list[str]) -> None:
    """The hostile handles reach the page only through plain-text elements, never markdown or HTML."""
    assert not at.get("html")
    for text in markdown_texts(at):
        for needle in ("<b>", "<script"):
            assert needle not in text, text
    for needle in HOSTILE:
        assert any(needle in text for text in shown), needle


def rendered(at: AppTest) -> str:
    """Everything on the page (main and sidebar), as the element protos' text."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def no_settings(tmp_path: Path) -> str:
    """An empty settings file (nothing configured), whatever the machine running the tests has.

    A path that does not exist will not do: a settings file the admin named but that is
    missing (a volume not mounted) keeps the app locked."""
    path = tmp_path / "secrets.toml"
    path.write_text("", encoding="utf-8")
    return str(path)
