"""Authorizations: the whole sheet as a table, searchable and downloadable."""

import streamlit as st

from ui import access, authorizations, state

ctx = state.context()
st.title("Authorizations")
authorizations.table(ctx)
authorizations.fix_list(ctx)
authorizations.reveal(ctx, access.may_reveal_codes())
