"""The app's pages, defined once: the router registers them and the sidebar links to them.

The links are drawn by the shared sidebar rather than by `st.navigation`, so they look the
same even when Streamlit runs a page file on its own (the first request of a fresh server
that opens a page's own address), where its `pages/`-folder menu would otherwise appear.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st


class PageSpec(NamedTuple):
    path: str
    title: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:"),
    PageSpec("pages/authorizations.py", "Authorizations", ":material/table_rows:"),
    PageSpec("pages/troubleshooter.py", "Troubleshooter", ":material/build:"),
    PageSpec("pages/act.py", "Act now", ":material/bolt:"),
    PageSpec("pages/data.py", "Data", ":material/database:"),
)


def page(title: str) -> str:
    """A page's file by its title, for links between pages."""
    (path,) = [p.path for p in PAGES if p.title == title]
    return path


APP_NAME = "Sparkwatch"


def browser_title(page_title: str) -> str:
    """What the browser tab says on a page: 'Overview · Sparkwatch', so open tabs tell the pages apart."""
    return f"{page_title} · {APP_NAME}" if page_title else APP_NAME


def pages() -> list[st.Page]:
    """The pages for `st.navigation`; the first is the default."""
    return [st.Page(p.path, title=p.title, icon=p.icon, default=n == 0) for n, p in enumerate(PAGES)]


SIDEBAR_STYLE = """<style>
section[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarContent"] { visibility: hidden; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>"""
"""A collapsed sidebar (a phone's default) is only moved off screen by Streamlit: its links and
filters stay in the Tab order, invisible, and its squeezed content is a scroll box no keyboard
can enter. Hidden, it leaves the Tab order until opened. The page starts higher than Streamlit's
default, so the week's work shows on a laptop's first screen. (Product CSS, no sheet text: the one
markdown that allows HTML, so that `st.html` stays absent, as the hostile-text tests check.)"""


def sidebar_links() -> None:
    """One link per page, at the top of the sidebar."""
    st.markdown(SIDEBAR_STYLE, unsafe_allow_html=True)
    with st.container(key="sparkwatch_nav"):
        for p in PAGES:
            st.page_link(p.path, label=p.title, icon=p.icon)
    st.divider()
