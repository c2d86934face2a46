"""The Overview page's sections: what is at risk, in ten seconds.

Each section is one function taking the page context, so the page file stays a short list
of calls and later sections slot in between.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from lib import charts
from lib.filters import with_issue
from lib.overview import OverviewParts, TimelineParts, overview_parts, timeline_parts, week_cards
from lib.rules import RULES
from lib.vocab import HEALTH
from lib.words import noun, plural
from ui import nav, state, views
from ui.state import Context

KEY_TIMELINE_ROWS = "overview_timeline_rows"
KEY_ISSUE = "overview_issue"
KEY_ISSUE_CHART = "overview_issue_chart"
KEY_TIMELINE_TABLE = "overview_timeline_numbers"
KEY_ISSUE_TABLE = "overview_issue_numbers"
KEY_WEEK_TABLE = "overview_week_numbers"
KEY_CAMPAIGNS = "overview_campaigns"
ALL_PROBLEMS = "all"
"""The problem list's 'All problems' choice. Not None: a select box shows None as an empty
'Choose an option', which is what a second click on a bar used to leave behind."""
KEY_THIS_WEEK = "sw_week_table"
KEY_CARDS = "sw_week_cards"
KEY_NUMBERS = "sw_numbers"
KEY_SENTENCE = "sw_sentence"
MAX_LISTED = 200
"""Rows a list on the Overview sends to the browser; the Authorizations page holds them all."""
MAX_CARDS = 10
"""Cards a phone shows for this week; more are listed on the Authorizations page."""

CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}
"""No toolbar: on a phone it sits over the legend, and its buttons fill the Tab order. Drag zooms,
a double click zooms back out."""

STYLE = (
    "<style>\n"
    + "".join(
        f".st-key-sw_state_{s} {{ border-left: 6px solid {h.color}; padding-left: .6rem; }}\n"
        f".st-key-sw_state_{s} [data-testid='stMetricValue'] {{ color: {h.color}; }}\n"
        for s, h in HEALTH.items()
    )
    + f""".st-key-{KEY_SENTENCE} p {{ font-size: 1.35rem; font-weight: 600; line-height: 1.4; }}
@media (max-width: 640px) {{
  .st-key-{KEY_NUMBERS} [data-testid='stHorizontalBlock'] {{ flex-wrap: wrap; gap: .75rem; }}
  .st-key-{KEY_NUMBERS} [data-testid='stColumn'] {{ flex: 1 1 calc(50% - .75rem) !important;
    min-width: calc(50% - .75rem) !important; width: calc(50% - .75rem) !important; }}
  .st-key-{KEY_THIS_WEEK} {{ display: none; }}
}}
@media (min-width: 641px) {{ .st-key-{KEY_CARDS} {{ display: none; }} }}
</style>"""
)
"""The page's own look, from the product's constants only (never sheet text): each state's number
in its colour beside a bar of it; on a phone (≤ 640 px) the numbers two to a row and this week's
rows as cards instead of a wide table, which a phone would show three columns of."""


@st.cache_resource(show_spinner=False, max_entries=32, ttl=dt.timedelta(minutes=15))
def _parts(view_key: tuple[object, ...], _ctx: Context) -> OverviewParts:
    return overview_parts(_ctx.filtered, _ctx.today, _ctx.warn_days)


@st.cache_resource(show_spinner=False, max_entries=32, ttl=dt.timedelta(minutes=15))
def _timeline(view_key: tuple[object, ...], limit: int, _ctx: Context) -> TimelineParts:
    return timeline_parts(_ctx.filtered, _ctx.today, limit)


def parts(ctx: Context) -> OverviewParts:
    """This view's Overview, worked out once for everyone looking at it (read-only: never modify)."""
    return _parts(ctx.view_key, ctx)


def style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)


def sentence(ctx: Context) -> None:
    """The state of things in one line, the most pressing first (large text, not a heading: the
    page's headings stay in order for screen readers)."""
    with st.container(key=KEY_SENTENCE):
        st.markdown(parts(ctx).sentence)


def this_week_section(ctx: Context) -> None:
    """Every row that has stopped, stops within the warning window or is blocked, by owner then role."""
    rows = parts(ctx).week
    st.header("This week", anchor=False)
    if rows.empty:
        st.success(f"Nothing stops, ends or is blocked in the next {plural(ctx.warn_days, 'day')}.")
        return
    listed = rows.head(MAX_LISTED)
    st.caption(
        f"{plural(len(rows), 'authorization')} to act on: stopped, blocked, or ending within the "
        f"{plural(ctx.warn_days, 'day')} of the warning window. Grouped by owner, then by who starts the fix; "
        "each row's first step unblocks the ad."
    )
    if len(rows) > MAX_LISTED:
        st.caption(views.MORE_ON_AUTHORIZATIONS.format(shown=MAX_LISTED, total=len(rows)))
    with st.container(key=KEY_THIS_WEEK):
        views.show_table(
            listed,
            key="overview_this_week",
            height=views.fitted_height(len(rows)),
            row_height=views.WRAPPING_ROW_HEIGHT,
        )
    with st.container(key=KEY_CARDS):
        _cards(rows)
    a, b, c = st.columns(3)
    a.page_link(nav.page("Act now"), label="Write to creators", icon=":material/mail:")
    b.page_link(nav.page("Act now"), label="Add reminders to a calendar", icon=":material/event:")
    c.page_link(nav.page("Troubleshooter"), label="Decode an Ads Manager error", icon=":material/build:")


def _cards(rows: pd.DataFrame) -> None:
    """This week's rows as cards, for a phone: creator, what stops, the first step, who (one text each:
    every element is a message to each viewer's browser)."""
    for card in week_cards(rows.head(MAX_CARDS)):
        with st.container(border=True):
            st.text(card)
    if len(rows) > MAX_CARDS:
        st.caption(f"{len(rows) - MAX_CARDS} more on the Authorizations page.")


def numbers(ctx: Context) -> None:
    """One number per health state, adding up to the rows shown; each a button that filters to it."""
    counts = parts(ctx).counts
    st.header(f"All {plural(len(ctx.filtered), 'authorization')}, by state", anchor=False)
    chosen = set(ctx.filters.health)
    with st.container(key=KEY_NUMBERS):
        for column, headline in zip(st.columns(len(charts.HEADLINES)), charts.HEADLINES, strict=True):
            with column.container(key=f"sw_state_{headline.key}"):
                st.metric(headline.label, counts[headline.key], help=headline.help.format(warn_days=ctx.warn_days))
                only = chosen == {headline.key}
                st.button(
                    "Show all" if only else "Show only",
                    key=f"overview_only_{headline.key}",
                    on_click=state_filter_toggled,
                    args=(headline.key, only),
                    help=f"List only the {headline.label} rows on every page." if not only else "Remove this filter.",
                    type="tertiary",
                    disabled=not (only or counts[headline.key]),
                )


def state_filter_toggled(health: str, only: bool) -> None:
    state.set_filter("health", [] if only else [health])


def campaigns(ctx: Context) -> None:
    """One row per campaign, worst first; picking a row filters every page to that campaign."""
    st.header("Campaigns", anchor=False)
    rows = parts(ctx).campaigns
    st.caption("Pick a row to show only that campaign. Click a column's name to sort by it.")
    st.dataframe(
        rows,
        hide_index=True,
        key=KEY_CAMPAIGNS,
        on_select=partial(_campaign_picked, tuple(rows["Campaign"])),
        selection_mode="single-row",
        column_config={
            "Starts": st.column_config.DateColumn("Starts", format=views.DATE_FORMAT),
            "Ends": st.column_config.DateColumn("Ends", format=views.DATE_FORMAT),
            "Earliest code end": st.column_config.DateColumn("Earliest code end", format=views.DATE_FORMAT),
        },
        placeholder=views.BLANK,
    )


def _campaign_picked(names: tuple[str, ...]) -> None:
    picked = st.session_state[KEY_CAMPAIGNS]["selection"]["rows"]
    if picked:
        state.set_filter("campaign", [names[picked[0]]])


def timeline(ctx: Context) -> None:
    """When each authorization ends, most urgent first, with a control to see more rows."""
    st.header("When authorizations end", anchor=False)
    limit = st.selectbox(
        "Rows shown (most urgent first)",
        charts.TIMELINE_CHOICES,
        index=charts.TIMELINE_CHOICES.index(charts.TIMELINE_LIMIT),
        key=KEY_TIMELINE_ROWS,
        help="Show more rows to see further down the list.",
    )
    drawn = _timeline(ctx.view_key, limit, ctx)
    dated, undated = drawn.dated, drawn.undated
    if dated:
        note = f"Showing the {min(limit, dated)} most urgent of {plural(dated, 'authorization')} with an end date."
    else:
        note = "No authorization shown has an end date to draw."
    if undated:
        has, are = noun(undated, "has", "have"), noun(undated, "is", "are")
        note += f" {undated} {has} no end date (Business Center links, or no expiry in the sheet) and {are} not drawn."
    st.caption(note)
    st.plotly_chart(drawn.figure, config=CHART_CONFIG, key="overview_timeline")
    old = drawn.ended_long_ago
    if not old.empty:
        st.caption(
            f"{plural(len(old), 'authorization')} among these ended more than {charts.HISTORY_DAYS} days ago, "
            "before the chart begins:"
        )
        views.show_table(old, key="overview_ended_long_ago")
    views.chart_in_words(drawn.summary, drawn.table, key=KEY_TIMELINE_TABLE)


def problem_charts(ctx: Context) -> None:
    """Problems by who fixes them (click a bar to narrow the action list) beside expiries per week."""
    shared = parts(ctx)
    left, right = st.columns(2)
    with left:
        st.header("Problems, by who fixes them", anchor=False)
        st.caption("Click a bar, or use “Show only rows with this problem” below, to list only those rows.")
        st.plotly_chart(
            shared.issue_chart,
            key=KEY_ISSUE_CHART,
            on_select=_issue_picked,
            selection_mode="points",
            config=CHART_CONFIG,
        )
        views.chart_in_words(shared.issue_summary, shared.issue_table, key=KEY_ISSUE_TABLE)
    with right:
        st.header("Authorizations ending per week", anchor=False)
        st.caption(
            f"The next {charts.WEEKS_AHEAD} weeks; weeks inside the {ctx.warn_days}-day warning window "
            "are filled and striped, later weeks hollow."
        )
        st.plotly_chart(shared.week_chart, config=CHART_CONFIG, key="overview_weeks")
        views.chart_in_words(shared.week_summary, shared.week_table, key=KEY_WEEK_TABLE)


def _issue_picked() -> None:
    """Chart click → the problem selectbox's value, so the two always agree."""
    picked = charts.issue_from_selection(st.session_state[KEY_ISSUE_CHART]["selection"])
    st.session_state[KEY_ISSUE] = str(picked) if picked else ALL_PROBLEMS


def needs_action_now(ctx: Context) -> None:
    """Rows that are not fine, most urgent first, with what to do and who does it."""
    st.header("Needs action now", anchor=False)
    shared = parts(ctx)
    # Plain strings: Streamlit would try to turn a mix of "all" and enum members into one enum.
    present = list(shared.issues_present)
    if st.session_state.get(KEY_ISSUE) not in (ALL_PROBLEMS, *present):
        st.session_state[KEY_ISSUE] = ALL_PROBLEMS
    issue = st.selectbox(
        "Show only rows with this problem",
        [ALL_PROBLEMS, *present],
        key=KEY_ISSUE,
        format_func=lambda i: "All problems" if i == ALL_PROBLEMS else RULES[i].label,
    )
    rows = with_issue(shared.needing, None if issue == ALL_PROBLEMS else issue)
    if rows.empty:
        st.success("Nothing needs action." if ctx.filters.is_empty() else "Nothing needs action with these filters.")
        return
    st.caption(f"{plural(len(rows), 'authorization')}, most urgent first.")
    if len(rows) > MAX_LISTED:
        st.caption(views.MORE_ON_AUTHORIZATIONS.format(shown=MAX_LISTED, total=len(rows)))
    listed = shared.actions.loc[rows.index[:MAX_LISTED]]
    views.show_table(listed, key="overview_actions", row_height=views.WRAPPING_ROW_HEIGHT)
