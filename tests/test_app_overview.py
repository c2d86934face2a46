"""The Overview page in the real app (AppTest): numbers, filters, charts, the action list."""

from __future__ import annotations

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
from lib.diagnose import needs_action
from lib.filters import Filters, apply_filters
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

    (weeks,) = bar_traces(specs["overview_weeks"])
    assert weeks["y"] == charts.week_rows(diagnosed, at.session_state[state._KEY_CONTEXT].today)["count"].tolist()


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
    actions = at.dataframe[0].value
    diagnosed = expected()
    assert actions["Sheet row"].tolist() == needs_action(diagnosed)["row"].tolist()
    assert actions["What to do"].ne("").all() and actions["Who"].ne("").all()

    at.selectbox(key=overview.KEY_ISSUE).set_value("region_mismatch").run()
    assert_clean(at)
    narrowed = at.dataframe[0].value
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
    actions = at.dataframe[0].value
    assert f"@{handle}" in actions["Creator"].tolist()
    assert_shown_literally(at, actions["Creator"].tolist())
    timeline = bar_traces(plotly_specs(at)["overview_timeline"])
    labels = [y for t in timeline for y in t["y"]]
    assert not [y for y in labels if "<b>" in y or "<script" in y]
    assert any(y.startswith("@&lt;b&gt;x&lt;/b&gt;") for y in labels)
