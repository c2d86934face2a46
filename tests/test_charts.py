"""The Overview's figures, read back from their Plotly spec: right data, bounded size, escaped text."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pandas as pd
import pytest

from lib import charts
from lib.demo import demo_table
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.rules import RULES
from lib.vocab import HEALTH, ROLES

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


def test_headline_counts_partition_the_rows_one_number_per_state(demo):
    counts = charts.headline_counts(demo)
    # The demo's 65 rows, counted by hand from lib/demo.py: every row in exactly one state.
    assert dict(counts) == {
        "revoked": 1,
        "expired": 1,
        "blocked": 7,
        "pending": 1,
        "expiring": 2,
        "unknown": 2,
        "ok": 51,
    }
    assert sum(counts.values()) == len(demo)
    assert [h.key for h in charts.HEADLINES] == list(counts) == list(HEALTH)


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
    campaigns = dated["campaign"].fillna("no campaign")
    labels = [f"{c} · {k} · row {r}" for c, k, r in zip(creators, campaigns, dated["row"], strict=True)]
    assert order == labels[:50]
    assert spec(fig)["layout"]["yaxis"]["autorange"] == "reversed"


def test_timeline_bars_run_from_authorized_to_expiry_with_plain_hover(demo, today):
    fig = charts.timeline(demo, today)
    expired = next(t for t in bars(fig) if t["name"] == "Expired")
    row = demo.loc[demo["health"] == "expired"].iloc[0]
    assert expired["base"] == [row["authorized_on"].strftime("%Y-%m-%d")]
    # The bar runs to the end of the last day the code works.
    bar_end = row["expires"] + pd.Timedelta(days=1)
    assert expired["x"] == [(bar_end - row["authorized_on"]) / pd.Timedelta(milliseconds=1)]
    creator, post, when, status, issues = expired["customdata"][0]
    assert (creator, post, status) == (row["creator"], row["post"], "Expired")
    # '9 Nov 2026', no leading zero; an ended code counts days since, never days left.
    assert row["days_left"] < -1
    assert when == f"Ended {row['expires'].day} {row['expires']:%b %Y} ({-row['days_left']} days ago)"
    assert issues == "Code expired; Ends before the campaign does"
    assert not set(RULES) & set(issues.split("; "))


def test_timeline_marks_today_and_campaign_ends(demo, today):
    fig = spec(charts.timeline(demo, today))
    (line,) = fig["layout"]["shapes"]
    assert line["x0"] == line["x1"] == today.isoformat()
    assert fig["layout"]["annotations"][0]["text"] == "Today"
    ends = next(t for t in fig["data"] if t["name"] == "Campaign ends")
    first = demo.loc[demo["expires"].notna()].iloc[0]
    assert ends["x"][0] == first["campaign_end"].strftime("%Y-%m-%d")
    # Each campaign's end is named once, on its first row; the other ticks are unlabelled.
    drawn = demo.loc[demo["expires"].notna() & demo["campaign_end"].notna()].head(charts.TIMELINE_LIMIT)
    named = [t for t in ends["text"] if t]
    assert sorted(named) == sorted(f"{c} ends" for c in drawn["campaign"].unique())
    assert ends["text"][0] == f"{first['campaign']} ends"


def test_timeline_has_dates_along_the_top_and_the_bottom(demo, today):
    layout = spec(charts.timeline(demo, today))["layout"]
    top, bottom = layout["xaxis2"], layout["xaxis"]
    assert top["side"] == "top" and top["overlaying"] == "x" and top["matches"] == "x"
    assert top["range"] == bottom["range"] and top["dtick"] == bottom["dtick"] == "M1"


def test_a_withdrawn_code_is_drawn_as_ended_today_without_days_left(today):
    table = [["Creator", "Status", "Authorized on", "Expires"], ["w", "revoked", "2026-11-01", "2027-01-20"]]
    fig = charts.timeline(diagnose(normalize(table).frame, today), today)
    (bar,) = bars(fig)
    assert bar["name"] == "Revoked"
    end = pd.Timestamp(bar["base"][0]) + pd.Timedelta(milliseconds=bar["x"][0])
    assert end == pd.Timestamp(today)
    when = bar["customdata"][0][2]
    assert when.startswith("Withdrawn by the creator") and "left" not in when and "20 Jan 2027" in when


def test_bars_beyond_the_right_edge_end_in_an_arrow_and_long_ended_codes_are_listed(today):
    table = [
        ["Creator", "Authorized on", "Expires"],
        ["soon", "2026-11-01", "2026-12-20"],
        ["far", "2026-11-01", "2027-11-01"],  # beyond the four months the view opens on
        ["old", "2025-01-01", "2025-06-01"],  # ended long before the view begins
    ]
    frame = diagnose(normalize(table).frame, today)
    fig = spec(charts.timeline(frame, today))
    drawn = [y for t in fig["data"] if t["type"] == "bar" for y in t["y"]]
    assert [y.split(" · ")[0] for y in drawn] == ["@soon", "@far"]  # no empty row for the old one
    (arrow,) = [t for t in fig["data"] if t.get("name", "").startswith("Ends later")]
    assert [y.split(" · ")[0] for y in arrow["y"]] == ["@far"]
    assert arrow["x"] == [fig["layout"]["xaxis"]["range"][1]]
    assert "1 Nov 2027" in arrow["customdata"][0][1]
    old = charts.ended_before_timeline(frame, today)
    assert old["Creator"].tolist() == ["@old"] and old["Ended"].tolist() == ["1 Jun 2025"]


def test_timeline_stays_bounded_on_a_big_sheet(today):
    big = big_sheet(today, 50)  # 3,100 rows
    assert len(big) > 3000
    fig = charts.timeline(big, today)
    marks = 3  # campaign ends, arrows past the edge, the top axis
    assert len(fig.data) <= len(HEALTH) + marks
    assert sum(len(t["y"]) for t in bars(fig)) == charts.TIMELINE_LIMIT
    more = charts.timeline(big, today, limit=max(charts.TIMELINE_CHOICES))
    assert sum(len(t["y"]) for t in bars(more)) == max(charts.TIMELINE_CHOICES)
    assert len(more.data) <= len(HEALTH) + marks
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
    assert trace["y"] == ["@&lt;b&gt;x&lt;/b&gt; · no campaign · row 2"]
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
        assert [RULES[i].label for i in ids] == t["y"]
        assert {ROLES[RULES[i].roles[0]].label for i in ids} == {t["name"]}
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


def test_expiries_per_week_marks_the_warning_window_by_fill_pattern_and_legend(demo, today):
    soon, later = bars(charts.expiries_per_week(demo, today, warn_days=7))
    weeks = charts.week_rows(demo, today)
    assert soon["name"] == "Inside the 7-day warning window" and later["name"] == "Later"
    assert soon["x"] == weeks["label"].tolist()[:2] and later["x"] == weeks["label"].tolist()[2:]
    assert soon["y"] + later["y"] == weeks["count"].tolist()
    assert soon["marker"]["color"] == HEALTH["expiring"].color
    assert soon["marker"]["pattern"]["shape"] == charts.HEALTH_PATTERNS["expiring"] != ""
    assert later["marker"]["line"]["color"] == charts.WEEK_COLOR and later["marker"]["color"] == "rgba(0,0,0,0)"
    wider, _ = bars(charts.expiries_per_week(demo, today, warn_days=30))
    assert wider["x"] == weeks["label"].tolist()[:5]


def colour_meanings(figures) -> dict[str, set[str]]:
    """Every mark colour in these figures → what it stands for (its trace's legend name, or for a
    trace coloured point by point, each point's state). A hollow mark is read by its outline."""
    meanings: dict[str, set[str]] = defaultdict(set)
    for fig in figures:
        for trace in spec(fig)["data"]:
            marker = trace.get("marker") or {}
            colour = marker.get("color")
            if isinstance(colour, list):
                for c, point in zip(colour, trace["customdata"], strict=True):
                    meanings[c].add(point[-1])
            elif colour == "rgba(0,0,0,0)":
                meanings[marker["line"]["color"]].add(trace["name"])
            elif colour is not None:
                meanings[colour].add(trace["name"])
    return meanings


def test_no_colour_means_two_things_across_the_overviews_figures(demo, today):
    far = demo.assign(expires=demo["expires"] + pd.Timedelta(days=400))  # bars past the edge: arrows drawn
    figures = [
        charts.timeline(demo, today),
        charts.timeline(far, today),
        charts.issue_chart(demo),
        charts.expiries_per_week(demo, today, warn_days=7),
    ]
    meanings = colour_meanings(figures)
    # The warning window's weeks are the 'Expiring soon' state's weeks, drawn in its colour on purpose.
    window = "Inside the 7-day warning window"
    meanings = {c: {HEALTH["expiring"].label if m == window else m for m in ms} for c, ms in meanings.items()}
    assert {c: ms for c, ms in meanings.items() if len(ms) > 1} == {}
    drawn = {s for s in HEALTH if s not in ("unknown", "pending")}  # states without an end date have no bar
    assert {HEALTH[s].color for s in drawn} <= set(meanings)
    assert any(
        len(t.get("marker", {}).get("color", "")) and isinstance(t["marker"]["color"], list)
        for t in spec(figures[1])["data"]
    )  # the arrows were drawn and checked


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour written as #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    dark, light = sorted((relative_luminance(a), relative_luminance(b)))
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey


def test_every_mark_colour_reaches_3_to_1_on_the_page_and_means_one_thing():
    marks = {
        **{f"health {k}": h.color for k, h in HEALTH.items()},
        **{f"role {k}": c for k, c in charts.ROLE_COLORS.items()},
        "later weeks": charts.WEEK_COLOR,
        "campaign end": charts.CAMPAIGN_END_COLOR,
    }
    weak = {name: round(contrast(c, "#ffffff"), 2) for name, c in marks.items() if contrast(c, "#ffffff") < 3}
    assert not weak
    assert len(set(marks.values())) == len(marks)  # no colour for two meanings
    # The tables draw each state as white words on its colour.
    faint = {k: round(contrast(h.color, "#ffffff"), 2) for k, h in HEALTH.items() if contrast(h.color, "#ffffff") < 4.5}
    assert not faint


def test_chart_text_reaches_4_5_to_1_wherever_the_theme_would_set_its_own(demo, today):
    assert contrast(charts.CHART_TEXT_COLOR, "#ffffff") >= 4.5
    for fig in (charts.timeline(demo, today), charts.issue_chart(demo), charts.expiries_per_week(demo, today, 7)):
        layout = spec(fig)["layout"]
        colours = [
            layout["font"]["color"],
            layout["legend"]["font"]["color"],
            layout["legend"]["title"]["font"]["color"],
        ]
        for axis in ("xaxis", "yaxis"):
            colours += [layout[axis]["tickfont"]["color"], layout[axis]["title"]["font"]["color"]]
        colours += [a["font"]["color"] for a in layout.get("annotations", [])]
        assert set(colours) == {charts.CHART_TEXT_COLOR}


def test_states_and_roles_differ_by_pattern_too(demo, today):
    assert len(set(charts.HEALTH_PATTERNS.values())) == len(HEALTH) == len(charts.HEALTH_PATTERNS)
    assert len(set(charts.ROLE_PATTERNS.values())) == len(ROLES) == len(charts.ROLE_PATTERNS)
    for trace in bars(charts.timeline(demo, today)):
        state = next(k for k, h in HEALTH.items() if h.label == trace["name"])
        assert trace["marker"]["pattern"]["shape"] == charts.HEALTH_PATTERNS[state]
    for trace in bars(charts.issue_chart(demo)):
        role = next(k for k, r in ROLES.items() if r.label == trace["name"])
        assert trace["marker"]["pattern"]["shape"] == charts.ROLE_PATTERNS[role]


# ---------------------------------------------------------------------------
# Each chart in words, from a small sheet whose numbers are known by hand (today is 22 Nov 2026).


def spark_code(tail: str) -> str:
    """A well-formed code (`#`, 63 characters, `=`) that differs from the others by its tail."""
    return "#" + ("x" * 63 + tail)[-63:] + "="


HEADER = ["Creator", "Post URL", "Spark code", "Expires", "Status", "Visibility", "Creator region", "Ad account region"]
KNOWN = [HEADER] + [
    [handle, f"https://www.tiktok.com/@{handle}/video/730100000000000000{n}", code, expires, status, visibility, *where]
    for n, (handle, code, expires, status, visibility, *where) in enumerate(
        [
            ("a", spark_code("A1"), "2026-11-20", "active", "public"),  # expired 2 days ago
            ("b", spark_code("B1"), "2026-12-30", "revoked", "public"),  # withdrawn: ended, whatever its date
            ("c", spark_code("C1"), "2026-11-25", "active", "public"),  # expiring, 3 days left
            ("d", spark_code("D1"), "2026-12-15", "active", "private"),  # blocked: private post
            ("e", spark_code("E1"), "2026-12-16", "active", "public"),  # OK, in the week of 13 Dec
            ("f", spark_code("F1"), "2026-12-17", "active", "public"),  # OK, in the week of 13 Dec
            ("g", "", "", "", "public"),  # no code and no end date: not on the timeline
            ("h", spark_code("H1"), "", "active", "public", "US", "DE"),  # regions differ; no end date
            ("i", spark_code("I1"), "", "active", "public", "US", "DE"),  # regions differ; no end date
        ],
        1,
    )
]


@pytest.fixture
def known(today) -> pd.DataFrame:
    return diagnose(normalize(KNOWN).frame, today)


def test_timeline_summary_counts_the_bars_by_state_and_names_the_next_end(known, today):
    assert charts.timeline_summary(known, today) == (
        "The 6 authorizations drawn are 1 revoked, 1 expired, 1 blocked, 1 expiring soon and 2 OK; "
        "the next end date is 25 Nov 2026 (3 days left)."
    )
    first = charts.timeline_summary(known, today, limit=1)
    assert first == "The 1 authorization drawn is 1 revoked; none is still to end."
    assert charts.timeline_summary(known.iloc[:0], today) == (
        "The timeline is empty: no authorization shown has an end date."
    )


def test_timeline_table_lists_the_bars_in_the_charts_order_with_sheet_text_as_is(known, today):
    table = charts.timeline_table(known, today)
    drawn = bars(charts.timeline(known, today))
    assert len(table) == sum(len(t["y"]) for t in drawn) == 6
    labels = spec(charts.timeline(known, today))["layout"]["yaxis"]["categoryarray"]
    campaigns = table["Campaign"].fillna("no campaign")
    rebuilt = [f"{c} · {k} · row {r}" for c, k, r in zip(table["Creator"], campaigns, table["Sheet row"], strict=True)]
    assert rebuilt == labels
    c = table.set_index("Creator").loc["@c"]
    assert (c["State"], c["Ends"], c["When"]) == ("Expiring soon", "25 Nov 2026", "3 days left")
    hostile = diagnose(normalize([["Creator", "Expires"], ["<b>x</b>", "2026-12-01"]]).frame, today)
    assert charts.timeline_table(hostile, today)["Creator"].tolist() == ["@<b>x</b>"]


def test_issue_summary_names_the_most_common_problem_and_who_fixes_most(known, demo):
    assert charts.issue_summary(known) == (
        "6 kinds of problem; the most common is “Regions don't match” (2 authorizations, fixed by Advertiser); "
        "the creator starts the fix for 5 of the 6."
    )
    assert charts.issue_summary(known.iloc[:0]) == "No problems found in the rows shown."
    table = charts.issue_table(known)
    assert table.columns.tolist() == ["Problem", "Authorizations", "Who fixes it"]
    assert table.iloc[-1].tolist() == ["Regions don't match", 2, "Advertiser"]
    assert table["Authorizations"].tolist() == [1, 1, 1, 1, 1, 2]  # the chart's order: by role, then count


def test_week_summary_counts_ends_and_names_the_busiest_week(known, today):
    assert charts.week_summary(known, today, warn_days=7) == (
        "4 authorizations end in the next 12 weeks, 1 of them in the weeks the 7-day warning window reaches; "
        "most in the week of 13 Dec (3)."
    )
    assert charts.week_summary(known.iloc[:0], today, warn_days=7) == "No authorization ends in the next 12 weeks."
    table = charts.week_table(known, today, warn_days=7)
    assert table["Authorizations ending"].tolist() == [1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
    assert table["In the warning window"].tolist() == ["Yes", "Yes"] + ["No"] * 10
    assert table.loc[3, ["Week starting", "Until"]].tolist() == ["13 Dec", "19 Dec"]
