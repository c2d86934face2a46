"""Act now: act before an ad stops — calendar reminders, messages to creators, codes for Ads Manager."""

import streamlit as st

from ui import act, state, views

ctx = state.context()
st.title("Act now", anchor=False)
views.empty_note(len(ctx.filtered), len(ctx.diagnosed))
st.caption("For the rows as filtered in the sidebar.")
act.calendar(ctx)
act.messages(ctx)
act.ads_manager_batches(ctx)
