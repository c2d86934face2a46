"""The browser tab names the page it shows ('Overview · Sparkwatch'), on every page (issue 14).

AppTest does not keep the page settings a run sends, so the title the app gives
`st.set_page_config` is recorded as it is called; the browser test
(`tests/e2e/test_titles_browser.py`) reads every page's real tab title.
"""

from __future__ import annotations

import pytest
import streamlit as st
from app_helpers import OVERVIEW, PAGE_TITLES, open_app

from ui import nav


@pytest.fixture
def titles(monkeypatch):
    """Every page title the app sets, in order."""
    seen: list[str | None] = []
    real = st.set_page_config

    def recording(*args, **kwargs):
        seen.append(kwargs.get("page_title"))
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", recording)
    return seen


def test_the_first_page_names_itself_in_the_browser_tab(titles):
    """The tab once said 'Sparkwatch' on every page.

    Only the first run goes through streamlit_app.py under AppTest (it then runs page files on
    their own, see app_helpers.open_app), so this sees the title the app sets for the page it
    opens on; the browser test opens every page by its address and reads the tab.
    """
    at = open_app(OVERVIEW)
    assert [t.value for t in at.title] == ["Overview"]
    assert [t for t in titles if t] == [f"{PAGE_TITLES[0]} · Sparkwatch"]


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_every_page_title_makes_a_tab_title(title):
    assert nav.browser_title(title) == f"{title} · Sparkwatch"


def test_the_tab_title_is_the_page_then_the_app():
    assert nav.browser_title("Act now") == "Act now · Sparkwatch"
    assert nav.browser_title("") == "Sparkwatch"
