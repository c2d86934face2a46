"""Small renderers the pages share: the authorizations table's column setup, headline metrics.

Sheet text only ever reaches the screen through `st.dataframe`, `st.text` or `st.code`,
which show characters as they are; labels and markdown here are the product's own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd
import streamlit as st

from lib.charts import HEADLINES
from lib.vocab import HEALTH

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig  # what every st.column_config.* returns

DATE_FORMAT = "D MMM YYYY"
EMPTY_SHEET = "The sheet has no authorizations yet: add one row per authorized post, then press Refresh."
NOTHING_MATCHES = (
    "No authorization matches the filters in the sidebar (the sheet has {total}). "
    "Press Clear filters there to see them all."
)


def empty_note(shown: int, total: int) -> None:
    """Why a page has nothing to show: an empty sheet, or filters that leave no row (else nothing)."""
    if total == 0:
        st.info(EMPTY_SHEET, icon=":material/inbox:")
    elif shown == 0:
        st.info(NOTHING_MATCHES.format(total=total), icon=":material/filter_alt_off:")


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
            width="medium",
        ),
        "Days left": cc.NumberColumn("Days left", format="%d", help="Negative: the code ended that many days ago."),
        "Expires": cc.DateColumn("Expires", format=DATE_FORMAT),
        "Authorized on": cc.DateColumn("Authorized on", format=DATE_FORMAT),
        "Campaign end": cc.DateColumn("Campaign end", format=DATE_FORMAT),
        "Problems": cc.ListColumn("Problems", width="medium"),
        "What to do": cc.TextColumn("What to do", width="large"),
        "Post": cc.TextColumn("Post", width="medium"),
    }


def show_table(table: pd.DataFrame, *, key: str | None = None, height: int | Literal["auto"] = "auto") -> None:
    """A table from `lib.exports`, read-only, with the shared column set-up."""
    st.dataframe(table, column_config=table_columns(), hide_index=True, key=key, height=height)


def chart_in_words(summary: str, numbers: pd.DataFrame, *, key: str) -> None:
    """Beside a chart: what it shows in one sentence, and its numbers as a table, for anyone who
    cannot see the picture (WCAG 1.1.1). The sentence holds only counts, dates and the product's
    words; the table shows any sheet text as characters, never markup.
    """
    st.caption(summary)
    with st.expander("The chart's numbers as a table"):
        st.dataframe(numbers, hide_index=True, key=key)


def metrics(counts: dict[str, int], warn_days: int) -> None:
    """The headline numbers in one row of metrics, in the order of `lib.charts.HEADLINES`."""
    for column, headline in zip(st.columns(len(HEADLINES)), HEADLINES, strict=True):
        column.metric(headline.label, counts[headline.key], help=headline.help.format(warn_days=warn_days))
