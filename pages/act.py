"""Act now: act before an ad stops — calendar reminders, messages to creators, codes for Ads Manager."""

import streamlit as st

from ui import act, page_top, state, views

ctx = state.context()
page_top.draw("Act now", ctx)
views.empty_note(len(ctx.filtered), len(ctx.diagnosed))
st.caption("For the rows as filtered in the sidebar.")
act.calendar(ctx)
act.messages(ctx)
act.ads_manager_batches(ctx)
act.tiktok_actions(ctx)
