"""Troubleshooter: from what you see in Ads Manager to the fix."""

import streamlit as st

from ui import decoder, page_top, state, troubleshooter, views

ctx = state.context()
page_top.draw("Troubleshooter", ctx)
views.empty_note(len(ctx.filtered), len(ctx.diagnosed))
decoder.render()
troubleshooter.describe()
symptoms = troubleshooter.pick_symptoms()
row = troubleshooter.pick_row(ctx)
judged = troubleshooter.judge(symptoms, row)
if judged:
    troubleshooter.causes(judged, len(symptoms))
    troubleshooter.message(ctx, judged, row)
else:
    st.info("Pick what you see above to get the likely causes and how to fix them.")
troubleshooter.role_checklist(judged)
