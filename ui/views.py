"""Small renderers the pages share: the authorizations table's column setup, headline metrics.

Sheet text only ever reaches the screen through `st.dataframe`, `st.text` or `st.code`,
which show characters as they are; labels and markdown here are the product's own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd
import streamlit as st

from lib.vocab import HEALTH

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig  # what every st.column_config.* returns

DATE_FORMAT = "D MMM YYYY"
BLANK = "—"
"""What an empty cell shows (never the word None)."""
MORE_ON_AUTHORIZATIONS = (
    "The {shown} most urgent of {total} are listed here; the Authorizations page lists every one "
    "(search it, or download them as a CSV)."
)
WRAPPING_ROW_HEIGHT = 68
CHART_NUMBERS = "The chart's numbers as a table"
EMPTY_SHEET = "The sheet has no authorizations yet: add one row per authorized post, then press Refresh."
NOTHING_MATCHES = (
    "No authorization matches the filters in the sidebar (the sheet has {total}). "
    "Press Clear filters there to see them all."
)


def empty_note(shown: int, total: int) -> bool:
    """Why a page has nothing to show (an empty sheet, or filters that leave no row); True if so."""
    if total == 0:
        st.info(EMPTY_SHEET, icon=":material/inbox:")
    elif shown == 0:
        st.info(NOTHING_MATCHES.format(total=total), icon=":material/filter_alt_off:")
    return shown == 0


def table_columns() -> dict[str, ColumnConfig]:
    """Column set-up for tables built by `lib.exports.table`: dates as dates, health as coloured labels."""
    cc = st.column_config
    return {
        "Sheet row": cc.NumberColumn("Sheet row", format="%d", help="The row number in your sheet."),
        "Link": cc.LinkColumn("Link", display_text="Open post"),
        "Health": cc.MultiselectColumn(
            "Health",
            options=[h.label for h in HEALTH.values()],
            color=[h.color for h in HEALTH.values()],
            help="One state per authorization; the worst that applies.",
            width=140,
        ),
        "Days left": cc.NumberColumn("Days left", format="%d", help="Negative: the code ended that many days ago."),
        "Expires": cc.DateColumn("Expires", format=DATE_FORMAT),
        "End date from": cc.TextColumn(
            "End date from", width=110, help="Whose end date this is: TikTok's own, or the one in the sheet."
        ),
        "Authorized on": cc.DateColumn("Authorized on", format=DATE_FORMAT),
        "Campaign end": cc.DateColumn("Campaign end", format=DATE_FORMAT),
        "Problems": cc.ListColumn("Problems", width="medium"),
        "What to do": cc.TextColumn("What to do", width=340),
        "Who": cc.TextColumn("Who", width=130),
        "Owner": cc.TextColumn("Owner", width=90),
        "Creator": cc.TextColumn("Creator", width=130),
        "When": cc.TextColumn("When", width=140),
        "Act with": cc.TextColumn("Act with", width=220),
        "Post": cc.TextColumn("Post", width="medium"),
    }


def fitted_height(rows: int, *, most: int = 15, row_height: int = WRAPPING_ROW_HEIGHT) -> int:
    """A table's height that shows every row up to `most` (a short list should not scroll in a box)."""
    return 40 + row_height * max(1, min(rows, most))


def show_table(
    table: pd.DataFrame,
    *,
    key: str | None = None,
    height: int | Literal["auto"] = "auto",
    row_height: int | None = None,
) -> None:
    """A table from `lib.exports`, read-only, with the shared column set-up; a blank cell shows as a dash.

    The sheet row, first in the CSV, goes last on screen: people read the creator first.
    A `row_height` above 64 px (`WRAPPING_ROW_HEIGHT`) lets long sentences (what to do) wrap
    instead of being cut: Streamlit wraps cell text only in rows that tall.
    """
    st.dataframe(
        table,
        column_config=table_columns(),
        column_order=[c for c in table.columns if c != "Sheet row"] + (["Sheet row"] if "Sheet row" in table else []),
        hide_index=True,
        key=key,
        height=height,
        row_height=row_height,
        placeholder=BLANK,
    )


def opened_key(table_key: str) -> str:
    """The session key of the expander that holds a chart's numbers table (True when open)."""
    return f"{table_key}_open"


def chart_in_words(summary: str, numbers: pd.DataFrame, *, key: str) -> None:
    """Beside a chart: what it shows in one sentence, and its numbers as a table, for anyone who
    cannot see the picture (WCAG 1.1.1). The sentence holds only counts, dates and the product's
    words; the table shows any sheet text as characters, never markup.
    """
    st.caption(summary)
    # A closed expander's content is not run or sent (on_change="rerun"): every viewer would
    # otherwise receive and mount three tables that few open.
    with st.expander(CHART_NUMBERS, key=opened_key(key), on_change="rerun") as numbers_box:
        if numbers_box.open:
            st.dataframe(numbers, hide_index=True, key=key)
