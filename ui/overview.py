"""The Overview page's sections: what is at risk, in ten seconds.

Each section is one function taking the page context, so the page file stays a short list
of calls and later sections slot in between.
"""

from __future__ import annotations

from typing import cast

import streamlit as st

from lib import charts
from lib.diagnose import needs_action
from lib.exports import action_list
from lib.filters import with_issue
from lib.rules import RULES
from lib.words import noun, plural
from ui import views
from ui.state import Context

KEY_TIMELINE_ROWS = "overview_timeline_rows"
KEY_ISSUE = "overview_issue"
KEY_ISSUE_CHART = "overview_issue_chart"
KEY_TIMELINE_TABLE = "overview_timeline_numbers"
KEY_ISSUE_TABLE = "overview_issue_numbers"
KEY_WEEK_TABLE = "overview_week_numbers"

CHART_CONFIG = {"displaylogo": False}


def headline(ctx: Context) -> None:
    """The seven numbers a lead reads first."""
    views.metrics(charts.headline_counts(ctx.filtered), ctx.warn_days)


def timeline(ctx: Context) -> None:
    """When each authorization ends, most urgent first, with a control to see more rows."""
    st.header("When authorizations end", anchor=False)
    dated = int(ctx.filtered["expires"].notna().sum())
    undated = len(ctx.filtered) - dated
    limit = st.selectbox(
        "Rows shown (most urgent first)",
        charts.TIMELINE_CHOICES,
        index=charts.TIMELINE_CHOICES.index(charts.TIMELINE_LIMIT),
        key=KEY_TIMELINE_ROWS,
        help="Show more rows to see further down the list.",
    )
    if dated:
        note = f"Showing the {min(limit, dated)} most urgent of {plural(dated, 'authorization')} with an end date."
    else:
        note = "No authorization shown has an end date to draw."
    if undated:
        has, are = noun(undated, "has", "have"), noun(undated, "is", "are")
        note += f" {undated} {has} no end date (Business Center links, or no expiry in the sheet) and {are} not drawn."
    st.caption(note)
    st.plotly_chart(charts.timeline(ctx.filtered, ctx.today, limit), config=CHART_CONFIG, key="overview_timeline")
    views.chart_in_words(
        charts.timeline_summary(ctx.filtered, ctx.today, limit),
        charts.timeline_table(ctx.filtered, ctx.today, limit),
        key=KEY_TIMELINE_TABLE,
    )


def problem_charts(ctx: Context) -> None:
    """Problems by who fixes them (click a bar to narrow the action list) beside expiries per week."""
    left, right = st.columns(2)
    with left:
        st.header("Problems, by who fixes them", anchor=False)
        st.caption("Click a bar, or use “Show only rows with this problem” below, to list only those rows.")
        st.plotly_chart(
            charts.issue_chart(ctx.filtered),
            key=KEY_ISSUE_CHART,
            on_select=_issue_picked,
            selection_mode="points",
            config=CHART_CONFIG,
        )
        views.chart_in_words(charts.issue_summary(ctx.filtered), charts.issue_table(ctx.filtered), key=KEY_ISSUE_TABLE)
    with right:
        st.header("Authorizations ending per week", anchor=False)
        st.caption(
            f"The next {charts.WEEKS_AHEAD} weeks; weeks inside the {ctx.warn_days}-day warning window "
            "are filled and striped, later weeks hollow."
        )
        st.plotly_chart(
            charts.expiries_per_week(ctx.filtered, ctx.today, ctx.warn_days),
            config=CHART_CONFIG,
            key="overview_weeks",
        )
        views.chart_in_words(
            charts.week_summary(ctx.filtered, ctx.today, ctx.warn_days),
            charts.week_table(ctx.filtered, ctx.today, ctx.warn_days),
            key=KEY_WEEK_TABLE,
        )


def _issue_picked() -> None:
    """Chart click → the problem selectbox's value, so the two always agree."""
    st.session_state[KEY_ISSUE] = charts.issue_from_selection(st.session_state[KEY_ISSUE_CHART]["selection"])


def needs_action_now(ctx: Context) -> None:
    """Rows that are not fine, most urgent first, with what to do and who does it."""
    st.header("Needs action now", anchor=False)
    rows = needs_action(ctx.filtered)
    present = cast("list[str]", [i for i, n in charts.issue_rows(rows).set_index("issue")["count"].items() if n])
    if st.session_state.get(KEY_ISSUE) not in (None, *present):
        st.session_state[KEY_ISSUE] = None
    issue = st.selectbox(
        "Show only rows with this problem",
        [None, *present],
        key=KEY_ISSUE,
        format_func=lambda i: "All problems" if i is None else RULES[i].label,
    )
    rows = with_issue(rows, issue)
    if rows.empty:
        st.success("Nothing needs action." if ctx.filters.is_empty() else "Nothing needs action with these filters.")
        return
    st.caption(f"{plural(len(rows), 'authorization')}, most urgent first.")
    views.show_table(action_list(rows), key="overview_actions")
