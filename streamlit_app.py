"""Sparkwatch: the router. Page config, navigation, and the sidebar every page shares.

Run with `streamlit run streamlit_app.py`. The sidebar (page links, data source, refresh,
filters, warning window) is drawn here on every run, so its choices persist across pages.
"""

from pathlib import Path

import streamlit as st

from ui import nav, state

# A local file, so the browser never fetches an icon from the internet.
ICON = str(Path(__file__).parent / "ui" / "icon.png")

st.set_page_config(page_title="Sparkwatch", page_icon=ICON, layout="wide")

page = st.navigation(nav.pages(), position="hidden")  # the sidebar draws the links (ui/nav.py)
state.setup()
page.run()
