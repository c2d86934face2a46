"""Overview: what must happen this week and by whom, then every number and chart behind it."""

import streamlit as st

from ui import overview, page_top, state, views

ctx = state.context()
page_top.draw("Overview", ctx)
overview.style()
if views.empty_note(len(ctx.filtered), len(ctx.diagnosed)):
    st.stop()
overview.sentence(ctx)
overview.this_week_section(ctx)
overview.numbers(ctx)
overview.campaigns(ctx)
overview.timeline(ctx)
overview.problem_charts(ctx)
overview.needs_action_now(ctx)
