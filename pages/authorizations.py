"""Authorizations: the whole sheet as a table, searchable and downloadable."""

from ui import access, authorizations, page_top, state, views

ctx = state.context()
page_top.draw("Authorizations", ctx)
views.empty_note(len(ctx.filtered), len(ctx.diagnosed))
authorizations.table(ctx)
authorizations.ads_manager_only(ctx)
authorizations.fix_list(ctx)
authorizations.reveal(ctx, access.may_reveal_codes())
