"""The Overview page in the real app (AppTest): numbers, filters, charts, the action list."""

from __future__ import annotations

import datetime as dt

import pytest
from app_helpers import (
    AUTHORIZATIONS,
    HOSTILE,
    OVERVIEW,
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
from test_charts import DEMO_PROBLEMS

from lib import charts
from lib.clock import team_today
from lib.diagnose import issue_counts, needs_action
from lib.filters import Filters, apply_filters
from lib.rules import RULES
from lib.vocab import HEALTH
from lib.words import human_date
from ui import overview, state


def headline_numbers(frame) -> dict[str, int]:
    """What the metrics must read for this frame: labels of lib.charts.HEADLINES → counts."""
    counts = charts.headline_counts(frame)
    return {h.label: counts[h.key] for h in charts.HEADLINES}


def test_overview_is_the_default_page_and_shows_the_demo(demo_page):
    at = demo_page(OVERVIEW)
    assert [t.value for t in at.title] == ["Overview"]
    assert at.sidebar.info[0].value == state.DEMO_LABEL
    assert any(c.value.startswith("Last synced ") for c in at.sidebar.caption)


def test_headline_numbers_equal_the_diagnosis_counts(demo_page):
    at = demo_page(OVERVIEW)
    # The demo's 65 rows (the same on any day): 51 ok, 2 expiring and 2 of unknown expiry are live.
    assert metrics(at) == {
        "Authorizations": 65,
        "Live": 55,
        "Expiring soon": 2,
        "Expired": 1,
        "Revoked": 1,
        "Blocked": 7,
        "Waiting for code": 1,
    }


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
    assert metrics(at)["Authorizations"] == 7
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
    assert timeline[0]["name"] == "Revoked" and timeline[0]["y"][0] == f"{first['creator']} · row {first['row']}"

    issues = bar_traces(specs[overview.KEY_ISSUE_CHART])
    shown = {y: x for t in issues for y, x in zip(t["y"], t["x"], strict=True)}
    assert shown == DEMO_PROBLEMS

    soon, later = bar_traces(specs["overview_weeks"])
    assert soon["y"] + later["y"] == charts.week_rows(diagnosed, team_today())["count"].tolist()


def test_each_chart_is_told_in_a_sentence_and_a_table_from_the_frame_it_draws():
    """The sentence and the table beside each chart, read off the page, agree with the diagnosed
    rows: counted here from the diagnosis directly, not through the summary functions."""
    at = open_app()
    diagnosed, today = expected(), team_today()
    captions = [c.value for c in at.main.caption]
    timeline, issues, weeks, _actions = (d.value for d in at.dataframe)

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
