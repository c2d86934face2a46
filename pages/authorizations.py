"""Authorizations: the whole sheet as a table, searchable and downloadable."""

import streamlit as st

from ui import access, authorizations, state, views

ctx = state.context()
st.title("Authorizations", anchor=False)
views.empty_note(len(ctx.filtered), len(ctx.diagnosed))
authorizations.table(ctx)
authorizations.fix_list(ctx)
authorizations.reveal(ctx, access.may_reveal_codes())
