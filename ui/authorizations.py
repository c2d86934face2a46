"""The Authorizations page's sections: the full table, its CSV, the cells to fix in the sheet, and (with
TikTok set up) the posts in Ads Manager that the sheet lacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import exports
from lib.bidi import isolate_all
from lib.codes import mask_codes
from lib.filters import row_by_key, row_keys, row_places, search
from lib.tiktok.statuses import AUTH_STATUS_WORDS, post_status_words
from lib.words import iso_date, noun, plural
from ui import access, state, views
from ui.state import Context

KEY_SEARCH = state.widget_key(state.KEY_SEARCH)
"""The search box (its text outlives page changes under `state.KEY_SEARCH`)."""


def table(ctx: Context) -> None:
    """Every authorization (after the sidebar filters and the search), with a CSV download."""
    text = state.search_input("Creator, post, campaign, brand, owner, notes or problem")
    rows = exports.table(search(ctx.filtered, text))
    total = len(ctx.diagnosed)
    st.caption(f"{len(rows)} of {total} {noun(total, 'authorization')}. Codes are masked.")
    views.show_table(rows, key="authorizations_table")
    st.download_button(
        "Download these rows (CSV)",
        data=exports.csv_bytes(rows),
        file_name=f"sparkwatch-authorizations-{iso_date(ctx.today)}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        disabled=rows.empty,
    )


def fix_list(ctx: Context) -> None:
    """Cells of the sheet that could not be read: row, column, value and what is wrong."""
    st.header("Fix these in the sheet", anchor=False)
    fixes = exports.fix_list(ctx.problems)
    if ctx.normalized.columns_note:
        # Which header was read as what, said once so a team can check Sparkwatch read its sheet right.
        st.text(ctx.normalized.columns_note)
    if fixes.empty:
        st.success("Nothing to fix: every row of the sheet could be read.")
        return
    st.caption(
        "These cells could not be understood. The rest of each row still counts. "
        "This list covers the whole sheet: the sidebar filters and the search don't apply to it."
    )
    st.dataframe(
        fixes,
        hide_index=True,
        key="authorizations_fixes",
        column_config={"Sheet row": st.column_config.NumberColumn("Sheet row", format="%d")},
    )


KEY_REVEAL = "authorizations_reveal_row"


def reveal(ctx: Context, allowed: bool) -> None:
    """Show one whole code, on request, to people allowed to see codes."""
    with_code = ctx.filtered.loc[ctx.filtered["code"].notna()]
    if with_code.empty:
        return
    st.header("Reveal a code", anchor=False)
    if not allowed:
        st.caption(
            access.masked_reason(
                "Codes stay masked for you: only the people on the dashboard's reveal list can see whole codes."
            )
        )
        return
    access.warn_if_codes_open()
    st.caption("Codes are credentials: reveal one only to paste it into Ads Manager, and only on a screen you trust.")
    labels = dict(
        zip(
            row_keys(with_code),
            row_places(with_code).str.replace("sheet row", "row", regex=False)
            + " · "
            + isolate_all(with_code["creator"].fillna("(no creator)"))
            + " · "
            + isolate_all(mask_codes(with_code["code"])),
            strict=True,
        )
    )
    key = st.selectbox(
        "Authorization",
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        key=KEY_REVEAL,
        placeholder="Pick the row whose code you need",
    )
    if key is not None and st.button("Reveal this code", icon=":material/visibility:"):
        row = row_by_key(with_code, key)
        if row is not None:  # always: the options are with_code's own rows
            st.code(row["code"], language=None)


def ads_manager_only(ctx: Context) -> None:
    """Posts the ad accounts hold that no row of the sheet names (codes masked), so the sheet can catch up."""
    only = ctx.ads_manager_only
    if only is None or only.empty:
        return
    st.header("In Ads Manager, not in your sheet", anchor=False)
    st.caption(
        f"TikTok says your ad accounts hold {plural(len(only), 'post')} that no row of the sheet names. "
        "Add a row for each, so their end dates are watched too. Codes are masked. This list covers every "
        "ad account: the sidebar filters don't apply to it."
    )
    shown = pd.DataFrame(
        {
            "Creator": only["creator"],
            "Post": only["post"],
            "Ends (TikTok says)": only["ends_on"],
            "TikTok status": only["status"].map(lambda s: AUTH_STATUS_WORDS.get(s, s), na_action="ignore"),
            "Post status": only["post_status"].map(post_status_words, na_action="ignore"),
            "Ad account": only["advertiser_id"],
            "Code": only["code"],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        key="authorizations_ads_manager_only",
        placeholder=views.BLANK,
        column_config={
            "Post": st.column_config.LinkColumn("Post", display_text="Open post"),
            "Ends (TikTok says)": st.column_config.DateColumn("Ends (TikTok says)", format=views.DATE_FORMAT),
        },
    )
