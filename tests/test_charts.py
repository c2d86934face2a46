"""The Overview's figures, read back from their Plotly spec: right data, bounded size, escaped text."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from lib import charts
from lib.demo import demo_table
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.vocab import HEALTH, ISSUES, ROLES

DEMO_PROBLEMS = {
    "Code expired": 1,
    "Code withdrawn by the creator": 1,
    "Expires soon": 2,
    "Ends before the campaign does": 7,
    "No code received": 1,
    "Code looks damaged": 1,
    "Same code on different posts": 2,
    "Regions don't match": 1,
    "Post is not public": 1,
    "Ad uses a custom identity": 1,
    "Not shared in Business Center": 1,
}
"""The demo's problems as the issue chart labels them, counted by hand from lib/demo.py (any day)."""


@pytest.fixture
def demo(demo_diagnosed) -> pd.DataFrame:
    return demo_diagnosed


def big_sheet(today: dt.date, copies: int) -> pd.DataFrame:
    """The demo sheet's rows repeated `copies` times under distinct handles: a large real sheet."""
    header, *body = demo_table(today)
    rows = [[f"{cells[0].strip()}{n}" if cells[0].strip() else "", *cells[1:]] for n in range(copies) for cells in body]
    return diagnose(normalize([header, *rows]).frame, today)


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def bars(fig) -> list[dict]:
    return [t for t in spec(fig)["data"] if t["type"] == "bar"]


def test_headline_counts_are_the_diagnosis_counts(demo):
    counts = charts.headline_counts(demo)
    # The demo's 65 rows: 51 ok, 2 expiring and 2 of unknown expiry are live; the rest are counted by state.
    assert dict(counts) == {
        "total": 65,
        "live": 55,
        "expiring": 2,
        "expired": 1,
        "revoked": 1,
        "blocked": 7,
        "pending": 1,
    }
    assert [h.key for h in charts.HEADLINES] == list(counts)


def test_timeline_has_one_trace_per_health_state_most_urgent_first(demo, today):
    fig = charts.timeline(demo, today)
    traces = bars(fig)
    assert [t["name"] for t in traces] == ["Revoked", "Expired", "Blocked", "Expiring soon", "OK"]
    assert sum(len(t["y"]) for t in traces) == charts.TIMELINE_LIMIT
    colours = {t["name"]: t["marker"]["color"] for t in traces}
    assert colours["Expired"] == HEALTH["expired"].color and colours["Revoked"] == HEALTH["revoked"].color
    order = spec(fig)["layout"]["yaxis"]["categoryarray"]
    dated = demo.loc[demo["expires"].notna()]
    creators = dated["creator"].fillna("(no creator)")
    assert order == [f"{c} · row {r}" for c, r in zip(creators, dated["row"], strict=True)][:50]
    assert spec(fig)["layout"]["yaxis"]["autorange"] == "reversed"


def test_timeline_bars_run_from_authorized_to_expiry_with_plain_hover(demo, today):
    fig = charts.timeline(demo, today)
    expired = next(t for t in bars(fig) if t["name"] == "Expired")
    row = demo.loc[demo["health"] == "expired"].iloc[0]
    assert expired["base"] == [row["authorized_on"].strftime("%Y-%m-%d")]
    # The bar runs to the end of the last day the code works.
    bar_end = row["expires"] + pd.Timedelta(days=1)
    assert expired["x"] == [(bar_end - row["authorized_on"]) / pd.Timedelta(milliseconds=1)]
    creator, post, ends, left, status, issues = expired["customdata"][0]
    assert (creator, post, status) == (row["creator"], row["post"], "Expired")
    assert left == f"{-row['days_left']} days ago" and ends == row["expires"].strftime("%d %b %Y")
    assert issues == "Code expired; Ends before the campaign does"
    assert not set(ISSUES) & set(issues.split("; "))


def test_timeline_marks_today_and_campaign_ends(demo, today):
    fig = spec(charts.timeline(demo, today))
    (line,) = fig["layout"]["shapes"]
    assert line["x0"] == line["x1"] == today.isoformat()
    assert fig["layout"]["annotations"][0]["text"] == "Today"
    ends = next(t for t in fig["data"] if t["name"] == "Campaign ends")
    first = demo.loc[demo["expires"].notna()].iloc[0]
    assert ends["x"][0] == first["campaign_end"].strftime("%Y-%m-%d")


def test_timeline_stays_bounded_on_a_big_sheet(today):
    big = big_sheet(today, 50)  # 3,100 rows
    assert len(big) > 3000
    fig = charts.timeline(big, today)
    assert len(fig.data) <= len(HEALTH) + 1
    assert sum(len(t["y"]) for t in bars(fig)) == charts.TIMELINE_LIMIT
    more = charts.timeline(big, today, limit=max(charts.TIMELINE_CHOICES))
    assert sum(len(t["y"]) for t in bars(more)) == max(charts.TIMELINE_CHOICES)
    assert len(more.data) <= len(HEALTH) + 1
    assert len(fig.to_json()) < 60_000


def test_timeline_rows_fall_back_when_start_is_unknown(today):
    table = [
        ["Creator", "Expires", "Duration", "Authorized on"],
        ["a", "2026-12-22", "30", ""],  # start = end - duration
        ["b", "2026-12-22", "", ""],  # start = today
        ["c", "2026-11-01", "", ""],  # already over: at least one day long
    ]
    rows = charts.timeline_rows(diagnose(normalize(table).frame, today), today).set_index("creator")
    assert rows.loc["@a", "start"] == pd.Timestamp("2026-11-22")
    assert rows.loc["@b", "start"] == pd.Timestamp(today)
    assert rows.loc["@c", "start"] == pd.Timestamp("2026-11-01")  # its last day, drawn whole
    assert rows.loc["@c", "end"] == pd.Timestamp("2026-11-02")
    assert (rows["length_ms"] >= 86_400_000).all()


def test_sheet_text_is_escaped_in_figures(today):
    table = [
        ["Creator", "Post URL", "Expires"],
        ["<b>x</b>", "https://x.test/<script>alert(1)</script>", "2026-12-01"],
    ]
    fig = charts.timeline(diagnose(normalize(table).frame, today), today)
    (trace,) = bars(fig)
    assert trace["y"] == ["@&lt;b&gt;x&lt;/b&gt; · row 2"]
    assert trace["customdata"][0][1] == "https://x.test/&lt;script&gt;alert(1)&lt;/script&gt;"
    data = json.dumps(spec(fig)["data"])
    assert "<b>x" not in data and "<script>" not in data


def test_empty_sheet_gives_empty_but_valid_figures(demo, today):
    none = demo.iloc[:0]
    assert bars(charts.timeline(none, today)) == []
    assert spec(charts.issue_chart(none))["layout"]["annotations"][0]["text"] == "No problems found"
    assert sum(charts.week_rows(none, today)["count"]) == 0


def test_issue_chart_counts_every_issue_grouped_by_who_starts_the_fix(demo):
    traces = bars(charts.issue_chart(demo))
    assert [t["name"] for t in traces] == [r.label for r in ROLES.values()]
    shown = {y: x for t in traces for y, x in zip(t["y"], t["x"], strict=True)}
    assert shown == DEMO_PROBLEMS
    for t in traces:
        ids = [c[0] for c in t["customdata"]]
        assert [ISSUES[i].label for i in ids] == t["y"]
        assert {ROLES[ISSUES[i].roles[0]].label for i in ids} == {t["name"]}
    creator = traces[0]
    assert creator["x"] == sorted(creator["x"], reverse=True)  # biggest first within a role


def test_picking_a_bar_gives_its_issue(demo):
    creator = bars(charts.issue_chart(demo))[0]
    point = {"curve_number": 0, "point_index": 1, "y": creator["y"][1], "customdata": creator["customdata"][1]}
    assert charts.issue_from_selection({"points": [point], "box": [], "lasso": []}) == creator["customdata"][1][0]
    assert charts.issue_from_selection({"points": []}) is None
    assert charts.issue_from_selection(None) is None


def test_week_rows_count_ends_in_each_coming_week(demo, today):
    weeks = charts.week_rows(demo, today)
    assert len(weeks) == charts.WEEKS_AHEAD
    assert weeks["start"].iloc[0] == pd.Timestamp(today)
    days = demo.loc[demo["health"] != "revoked", "days_left"].dropna().astype(int)
    for _, week in weeks.iterrows():
        lo = 7 * week["week"]
        assert week["count"] == days.between(lo, lo + 6).sum()
    assert weeks["count"].iloc[0] == (demo["health"] == "expiring").sum() > 0  # the codes ending this week


def test_expiries_per_week_highlights_the_warning_window(demo, today):
    (trace,) = bars(charts.expiries_per_week(demo, today, warn_days=7))
    assert trace["y"] == charts.week_rows(demo, today)["count"].tolist()
    assert trace["marker"]["color"][:2] == [HEALTH["expiring"].color] * 2
    assert set(trace["marker"]["color"][2:]) == {charts.WEEK_COLOR}
    (wider,) = bars(charts.expiries_per_week(demo, today, warn_days=30))
    assert wider["marker"]["color"][:5] == [HEALTH["expiring"].color] * 5


def test_days_left_text_reads_naturally():
    text = charts.days_left_text(pd.Series([-8, -1, 0, 1, 12, None], dtype="Int64"))
    assert text.tolist() == ["8 days ago", "ended yesterday", "ends today", "ends tomorrow", "12 days left", ""]
