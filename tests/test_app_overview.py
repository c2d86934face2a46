"""The Overview page in the real app (AppTest): numbers, filters, charts, the action list."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from app_helpers import (
    APP,
    AUTHORIZATIONS,
    DATA,
    HOSTILE,
    OVERVIEW,
    SHEET_PAGES,
    TROUBLESHOOTER,
    assert_clean,
    assert_shown_literally,
    bar_traces,
    expected,
    hostile_table,
    metrics,
    open_app,
    plotly_specs,
    sidebar_filter,
)
from streamlit.testing.v1 import AppTest
from test_charts import DEMO_PROBLEMS

from lib import charts
from lib.clock import team_today
from lib.diagnose import issue_counts, needs_action
from lib.filters import Filters, apply_filters
from lib.overview import state_sentence
from lib.rules import RULES
from lib.vocab import HEALTH
from lib.words import human_date
from ui import overview, state, views

CHART_TABLES = (overview.KEY_TIMELINE_TABLE, overview.KEY_ISSUE_TABLE, overview.KEY_WEEK_TABLE)


def headline_numbers(frame) -> dict[str, int]:
    """What the metrics must read for this frame: each state's label → its rows, counted here."""
    return {h.label: int((frame["health"] == state).sum()) for state, h in HEALTH.items()}


def table_with(at, column: str):
    """The one table on the page that has this column (tables are read by what they hold)."""
    (found,) = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def test_overview_is_the_default_page_and_shows_the_demo(demo_page):
    at = demo_page(OVERVIEW)
    assert [t.value for t in at.title] == ["Overview"]
    assert at.sidebar.info[0].value == state.DEMO_LABEL
    assert any(c.value.startswith("Last synced ") for c in at.sidebar.caption)


def test_the_numbers_partition_the_rows_one_per_state(demo_page):
    at = demo_page(OVERVIEW)
    # The demo's 65 rows (the same on any day), counted by hand from lib/demo.py.
    assert metrics(at) == {
        "Revoked": 1,
        "Expired": 1,
        "Blocked": 7,
        "Waiting for code": 1,
        "Expiring soon": 2,
        "Expiry unknown": 2,
        "OK": 51,
    }
    assert sum(metrics(at).values()) == len(expected()) == 65
    assert "All 65 authorizations, by state" in [h.value for h in at.header]


def test_the_page_opens_on_the_state_in_words_then_this_week(demo_page):
    at = demo_page(OVERVIEW)
    diagnosed = expected()
    assert [h.value for h in at.header][:2] == ["This week", "All 65 authorizations, by state"]
    said = state_sentence(diagnosed, team_today(), 7)
    assert said in [m.value for m in at.main.markdown]
    counts = diagnosed["health"].value_counts()
    assert said.startswith(f"{counts['revoked'] + counts['expired']} authorizations have stopped ads; ")
    assert f"{counts['blocked']} are blocked now" in said


def test_this_week_holds_exactly_the_rows_due_each_with_its_rules_first_action(demo_page):
    at = demo_page(OVERVIEW)
    diagnosed, today = expected(), team_today()
    week = table_with(at, "Act with")
    # Worked out here from the diagnosis: what has stopped (while its campaign runs), is blocked,
    # waits for a code or ends within the window.
    over = diagnosed["campaign_end"].lt(pd.Timestamp(today)).fillna(False)
    due = diagnosed["health"].isin(["blocked", "pending", "expiring"]) | (
        diagnosed["health"].isin(["revoked", "expired"]) & ~over
    )
    assert sorted(week["Sheet row"]) == sorted(diagnosed.loc[due, "row"])
    by_row = diagnosed.set_index("row")
    for sheet_row, what in zip(week["Sheet row"], week["What to do"], strict=True):
        issues = by_row.loc[sheet_row, "issues"]
        assert what == RULES[issues[0]].steps[0]
    # Grouped by owner: each owner's rows together, named owners first.
    owners = week["Owner"].tolist()
    assert owners == sorted(owners, key=lambda o: (o == "(not set)", o))


def test_campaign_rows_agree_with_the_diagnosis(demo_page):
    at = demo_page(OVERVIEW)
    diagnosed = expected()
    campaigns = table_with(at, "Worst state").set_index("Campaign")
    assert campaigns["Posts"].to_dict() == diagnosed["campaign"].value_counts().to_dict()
    at_risk = diagnosed.loc[diagnosed["health"].isin(["revoked", "expired", "blocked", "pending", "expiring"])]
    assert (
        campaigns["Need action"].to_dict()
        == at_risk["campaign"].value_counts().reindex(campaigns.index, fill_value=0).to_dict()
    )
    worst = {c: HEALTH[rows["health"].min()].label for c, rows in diagnosed.groupby("campaign", observed=True)}
    assert campaigns["Worst state"].to_dict() == worst


def test_clicking_a_number_filters_every_page_and_a_second_click_shows_all():
    at = open_app()
    at.button(key="overview_only_blocked").click().run()
    assert_clean(at)
    assert sidebar_filter(at, "health").value == ["blocked"]
    assert sum(metrics(at).values()) == metrics(at)["Blocked"] == 7
    (chips,) = [m for m in at.main.multiselect]
    assert chips.value == ["Health: Blocked"]
    assert at.query_params == {"state": "blocked"}
    at.switch_page(AUTHORIZATIONS).run()
    assert len(table_with(at, "Notes")) == 7
    assert [m.value for m in at.main.multiselect] == [["Health: Blocked"]]
    at.switch_page(OVERVIEW).run()
    at.button(key="overview_only_blocked").click().run()  # now reads "Show all"
    assert sidebar_filter(at, "health").value == [] and sum(metrics(at).values()) == 65
    assert not at.main.multiselect and at.query_params == {}


def test_removing_a_chip_removes_that_filter_only():
    at = open_app()
    sidebar_filter(at, "campaign").select("Run Club").run()
    sidebar_filter(at, "owner").select("Maya").run()
    (chips,) = at.main.multiselect
    assert chips.value == ["Campaign: Run Club", "Owner: Maya"]
    chips.unselect("Owner: Maya").run()
    assert_clean(at)
    assert sidebar_filter(at, "owner").value == [] and sidebar_filter(at, "campaign").value == ["Run Club"]
    assert metrics(at) == headline_numbers(apply_filters(expected(), Filters(campaign=("Run Club",))))


def test_a_shared_link_opens_the_same_view():
    at = open_app()
    sidebar_filter(at, "campaign").select("Run Club").run()
    sidebar_filter(at, "owner").select("Maya").run()
    at.sidebar.number_input(key=state.widget_key(state.KEY_WARN_DAYS)).set_value(30).run()
    link = dict(at.query_params)
    assert link == {"campaign": "Run Club", "owner": "Maya", "warn": "30"}

    fresh = AppTest.from_file(str(APP), default_timeout=60)
    fresh.query_params = link
    fresh.run()
    assert_clean(fresh)
    assert sidebar_filter(fresh, "campaign").value == ["Run Club"] and sidebar_filter(fresh, "owner").value == ["Maya"]
    assert fresh.sidebar.number_input(key=state.widget_key(state.KEY_WARN_DAYS)).value == 30
    wanted = apply_filters(expected(warn_days=30), Filters(campaign=("Run Club",), owner=("Maya",)))
    assert metrics(fresh) == headline_numbers(wanted)
    assert fresh.main.multiselect[0].value == ["Campaign: Run Club", "Owner: Maya"]
    assert fresh.query_params == link


def test_a_link_asking_for_values_the_sheet_lacks_says_so_and_applies_the_rest():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params = {"campaign": ["Run Club", "<b>Gone</b>"], "warn": "500", "state": "blocked"}
    at.run()
    assert not at.exception and not at.error
    (warning,) = at.warning
    assert "does not have" in warning.value
    assert "<b>Gone</b>" in [t.value for t in at.text]
    assert sidebar_filter(at, "campaign").value == ["Run Club"] and sidebar_filter(at, "health").value == ["blocked"]
    assert at.sidebar.number_input(key=state.widget_key(state.KEY_WARN_DAYS)).value == 7  # 500 is no window


@pytest.mark.parametrize(("typed", "kept"), [(500, 90), (-3, 1), (0, 1), (30, 30)])
def test_a_warning_window_out_of_range_is_set_to_the_nearest_and_said(typed, kept):
    at = open_app()
    box = at.sidebar.number_input(key=state.widget_key(state.KEY_WARN_DAYS))
    box.set_value(typed).run()
    assert_clean(at)
    assert at.sidebar.number_input(key=state.widget_key(state.KEY_WARN_DAYS)).value == kept
    notes = [c.value for c in at.sidebar.caption]
    assert (f"Set to {kept}: the warning window is 1 to 90 days." in notes) == (typed != kept)
    assert metrics(at) == headline_numbers(expected(warn_days=kept))


def test_every_sheet_page_says_what_data_it_shows_and_when(demo_page):
    for page in (*SHEET_PAGES, DATA):
        at = demo_page(page)
        captions = [c.value for c in at.main.caption]
        assert any(c.startswith("Data as of ") and " time." in c for c in captions), (page, captions)
        assert any("demo sheet" in i.value for i in at.main.info), page


def test_an_empty_sheet_says_so_and_draws_no_charts(monkeypatch):
    monkeypatch.setattr("lib.demo.demo_table", lambda today=None: [["Creator", "Code", "Expires"]])
    at = open_app()
    assert [i.value for i in at.main.info][-1] == views.EMPTY_SHEET
    assert not plotly_specs(at) and not at.metric and not at.success


def test_the_problem_list_falls_back_to_all_problems_not_an_empty_choice():
    at = open_app()
    at.selectbox(key=overview.KEY_ISSUE).set_value("region_mismatch").run()
    at.session_state[overview.KEY_ISSUE] = None  # what a second click on the same bar used to leave
    at.run()
    box = at.selectbox(key=overview.KEY_ISSUE)
    assert box.index == 0 and box.value == overview.ALL_PROBLEMS
    assert len(at.dataframe[-1].value) == len(needs_action(expected()))


def test_filters_change_the_numbers_and_persist_across_pages():
    at = open_app()
    before = metrics(at)
    sidebar_filter(at, "campaign").select("Run Club").run()
    assert_clean(at)
    filtered = apply_filters(expected(), Filters(campaign=("Run Club",)))
    assert metrics(at) == headline_numbers(filtered) != before

    at.switch_page(AUTHORIZATIONS).run()
    assert_clean(at)
    assert sidebar_filter(at, "campaign").value == ["Run Club"]
    assert len(at.dataframe[0].value) == len(filtered)

    at.switch_page(TROUBLESHOOTER).run()
    at.switch_page(OVERVIEW).run()
    assert sidebar_filter(at, "campaign").value == ["Run Club"]
    assert metrics(at) == headline_numbers(filtered)

    at.sidebar.button[1].click().run()  # Clear filters
    assert metrics(at) == before


def test_health_filter_and_warning_window():
    at = open_app()
    sidebar_filter(at, "health").select("blocked").run()
    assert sum(metrics(at).values()) == 7
    sidebar_filter(at, "health").unselect("blocked").run()
    at.sidebar.number_input(key=state.widget_key(state.KEY_WARN_DAYS)).set_value(30).run()
    assert_clean(at)
    wider = expected(warn_days=30)
    assert metrics(at) == headline_numbers(wider)
    assert metrics(at)["Expiring soon"] > 2


def test_figures_carry_the_diagnosis(demo_page):
    at = demo_page(OVERVIEW)
    diagnosed = expected()
    specs = plotly_specs(at)
    assert set(specs) == {"overview_timeline", overview.KEY_ISSUE_CHART, "overview_weeks"}

    timeline = bar_traces(specs["overview_timeline"])
    assert sum(len(t["y"]) for t in timeline) == charts.TIMELINE_LIMIT
    first = diagnosed.loc[diagnosed["expires"].notna()].iloc[0]
    label = f"{first['creator']} · {first['campaign']} · row {first['row']}"
    assert timeline[0]["name"] == "Revoked" and timeline[0]["y"][0] == label

    issues = bar_traces(specs[overview.KEY_ISSUE_CHART])
    shown = {y: x for t in issues for y, x in zip(t["y"], t["x"], strict=True)}
    assert shown == DEMO_PROBLEMS

    soon, later = bar_traces(specs["overview_weeks"])
    assert soon["y"] + later["y"] == charts.week_rows(diagnosed, team_today())["count"].tolist()


def test_each_chart_is_told_in_a_sentence_and_a_table_from_the_frame_it_draws():
    """The sentence and the table beside each chart, read off the page, agree with the diagnosed
    rows: counted here from the diagnosis directly, not through the summary functions."""
    at = open_app()
    for key in CHART_TABLES:
        at.session_state[views.opened_key(key)] = True  # as a click on each "numbers as a table"
    at.run()
    diagnosed, today = expected(), team_today()
    captions = [c.value for c in at.main.caption]
    _week, _campaigns, timeline, issues, weeks, _actions = (d.value for d in at.dataframe)

    # Timeline: the 50 most urgent dated rows, by state, and the next end date among those still to end.
    drawn = diagnosed.loc[diagnosed["expires"].notna()].head(charts.TIMELINE_LIMIT)
    by_state = drawn["health"].value_counts()
    (told,) = [c for c in captions if c.startswith(f"The {len(drawn)} authorizations drawn are ")]
    for state_id, n in by_state[by_state > 0].items():
        assert f"{n} {HEALTH[state_id].label.lower() if state_id != 'ok' else 'OK'}" in told
    coming = drawn.loc[~drawn["health"].isin(["revoked", "expired"]) & (drawn["days_left"] >= 0)]
    assert f"the next end date is {human_date(coming['expires'].min())}" in told
    assert timeline["Sheet row"].tolist() == drawn["row"].tolist()
    assert timeline["State"].tolist() == [HEALTH[h].label for h in drawn["health"]]

    # Problems: every issue and its count, the most common named.
    counts = {RULES[i].label: n for i, n in issue_counts(diagnosed).items() if n}
    assert dict(zip(issues["Problem"], issues["Authorizations"], strict=True)) == counts
    top = max(counts, key=counts.get)
    (told,) = [c for c in captions if c.startswith(f"{len(counts)} kinds of problem")]
    assert f"the most common is “{top}” ({counts[top]} authorizations" in told

    # Weeks: ends per coming week (withdrawn codes left out), the busiest week named.
    days = diagnosed.loc[diagnosed["health"] != "revoked", "days_left"].dropna().astype(int)
    per_week = [int(days.between(7 * w, 7 * w + 6).sum()) for w in range(charts.WEEKS_AHEAD)]
    assert weeks["Authorizations ending"].tolist() == per_week
    busiest = per_week.index(max(per_week))
    start = today + dt.timedelta(days=7 * busiest)
    (told,) = [c for c in captions if c.startswith(f"{sum(per_week)} authorizations end in the next")]
    assert told.endswith(f"most in the week of {human_date(start, year=False)} ({max(per_week)}).")

    # A filter changes the sentence with the chart.
    sidebar_filter(at, "health").select("blocked").run()
    assert_clean(at)
    blocked = int((diagnosed.loc[diagnosed["expires"].notna(), "health"] == "blocked").sum())
    assert f"The {blocked} authorizations drawn are {blocked} blocked" in " ".join(c.value for c in at.main.caption)


def test_a_charts_numbers_are_sent_only_once_their_table_is_opened():
    """Closed, the three tables cost every viewer nothing; opened, each holds its chart's numbers."""
    at = open_app()
    assert [e.label for e in at.main.expander] == [views.CHART_NUMBERS] * len(CHART_TABLES)
    closed = len(at.dataframe)
    at.session_state[views.opened_key(overview.KEY_ISSUE_TABLE)] = True
    at.run()
    assert_clean(at)
    assert len(at.dataframe) == closed + 1
    opened = table_with(at, "Problem")
    assert opened.columns.tolist()[:2] == ["Problem", "Authorizations"]
    assert opened["Authorizations"].sum() == sum(issue_counts(expected()).values())


def test_timeline_shows_more_rows_on_request():
    at = open_app()
    at.selectbox(key=overview.KEY_TIMELINE_ROWS).set_value(25).run()
    timeline = bar_traces(plotly_specs(at)["overview_timeline"])
    assert sum(len(t["y"]) for t in timeline) == 25
    at.selectbox(key=overview.KEY_TIMELINE_ROWS).set_value(100).run()
    dated = int(expected()["expires"].notna().sum())
    assert sum(len(t["y"]) for t in bar_traces(plotly_specs(at)["overview_timeline"])) == dated
    assert any(f"Showing the {dated} most urgent of {dated}" in c.value for c in at.caption)


def test_needs_action_lists_rows_most_urgent_first_and_a_problem_narrows_it():
    at = open_app()
    actions = at.dataframe[-1].value  # the action list: each chart's numbers table comes before it
    diagnosed = expected()
    assert actions["Sheet row"].tolist() == needs_action(diagnosed)["row"].tolist()
    assert actions["What to do"].ne("").all() and actions["Who"].ne("").all()

    at.selectbox(key=overview.KEY_ISSUE).set_value("region_mismatch").run()
    assert_clean(at)
    narrowed = at.dataframe[-1].value
    mismatched = diagnosed.loc[diagnosed["issues"].map(lambda ids: "region_mismatch" in ids)]
    assert narrowed["Sheet row"].tolist() == mismatched["row"].tolist() != []
    assert all("Regions don't match" in problems for problems in narrowed["Problems"])


def test_refresh_reads_the_sheet_again(monkeypatch):
    calls = []

    def counting_demo(today=None):
        calls.append(today)
        return hostile_table(today)

    monkeypatch.setattr("lib.demo.demo_table", counting_demo)
    at = open_app()
    assert len(calls) == 1
    at.switch_page(AUTHORIZATIONS).run()
    assert len(calls) == 1  # cached across pages and reruns
    refresh = next(b for b in at.sidebar.button if b.label == "Refresh")
    refresh.click().run()
    assert_clean(at)
    assert len(calls) == 2


@pytest.mark.parametrize("handle", HOSTILE)
def test_html_in_a_creator_cell_shows_literally(monkeypatch, handle):
    monkeypatch.setattr("lib.demo.demo_table", hostile_table)
    at = open_app()
    actions = at.dataframe[-1].value
    assert f"@{handle}" in actions["Creator"].tolist()
    assert_shown_literally(at, actions["Creator"].tolist())
    timeline = bar_traces(plotly_specs(at)["overview_timeline"])
    labels = [y for t in timeline for y in t["y"]]
    assert not [y for y in labels if "<b>" in y or "<script" in y]
    assert any(y.startswith("@&lt;b&gt;x&lt;/b&gt;") for y in labels)


def test_long_lists_show_the_most_urgent_200_and_say_where_the_rest_are(monkeypatch):
    header = ["Creator", "Code", "Expires"]
    waiting = [[f"c{n}", "", ""] for n in range(250)]  # no code yet: this week's work, and needing action
    monkeypatch.setattr("lib.demo.demo_table", lambda today=None: [header, *waiting])
    at = open_app()
    assert len(table_with(at, "Act with")) == overview.MAX_LISTED == 200
    assert len(at.dataframe[-1].value) == 200  # the action list
    note = views.MORE_ON_AUTHORIZATIONS.format(shown=200, total=250)
    assert [c.value for c in at.main.caption].count(note) == 2
    at.switch_page(AUTHORIZATIONS).run()
    assert len(table_with(at, "Notes")) == 250
