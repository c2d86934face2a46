"""Sparkwatch: the router. Page config, navigation, and the sidebar every page shares.

Run with `streamlit run streamlit_app.py`. The sidebar (data source, refresh, filters,
warning window) is drawn here on every run, so its choices persist across pages.
"""

from pathlib import Path

import streamlit as st

from ui import state

# A local file, so the browser never fetches an icon from the internet.
ICON = str(Path(__file__).parent / "ui" / "icon.png")

st.set_page_config(page_title="Sparkwatch", page_icon=ICON, layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/authorizations.py", title="Authorizations", icon=":material/table_rows:"),
    st.Page("pages/troubleshooter.py", title="Troubleshooter", icon=":material/build:"),
    st.Page("pages/act.py", title="Act now", icon=":material/bolt:"),
    st.Page("pages/data.py", title="Data", icon=":material/database:"),
]

page = st.navigation(PAGES)
state.setup()
page.run()
