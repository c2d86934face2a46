"""Overview: what is at risk, at a glance."""

import streamlit as st

from ui import overview, state, views

ctx = state.context()
st.title("Overview", anchor=False)
views.empty_note(len(ctx.filtered), len(ctx.diagnosed))
overview.headline(ctx)
overview.timeline(ctx)
overview.problem_charts(ctx)
overview.needs_action_now(ctx)
