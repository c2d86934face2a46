"""Sparkwatch: the router. Page config, navigation, and the sidebar every page shares.

Run with `streamlit run streamlit_app.py`. The sidebar (page links, data source, refresh,
filters, warning window) is drawn here on every run, so its choices persist across pages.
"""

from pathlib import Path

import streamlit as st

from ui import nav, state

# A local file, so the browser never fetches an icon from the internet.
ICON = str(Path(__file__).parent / "ui" / "icon.png")

# The icon first, so the browser never fetches the pages' material icons from Google's fonts.
st.set_page_config(page_icon=ICON, layout="wide")
page = st.navigation(nav.pages(), position="hidden")  # the sidebar draws the links (ui/nav.py)
# A title set here wins over the page's own (`st.Page`) in the browser tab, so name the page.
st.set_page_config(page_title=nav.browser_title(page.title))
state.setup()
page.run()
