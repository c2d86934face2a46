"""Sidebar filters, search and the one-issue narrowing, on the real demo sheet and small real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.diagnose import diagnose
from lib.filters import (
    MAX_QUERY_CHARS,
    NOT_SET,
    Filters,
    apply_filters,
    filter_options,
    from_query,
    search,
    to_query,
    with_issue,
)
from lib.normalize import normalize
from lib.vocab import HEALTH_ORDER


@pytest.fixture
def demo(demo_diagnosed) -> pd.DataFrame:
    return demo_diagnosed


def test_options_are_the_sheets_values_sorted_and_health_in_vocabulary_order(demo):
    options = filter_options(demo)
    assert options["campaign"] == ["Back to Basics", "Holiday Drop", "Run Club", "Summer Glow"]
    assert options["brand"] == ["Lumen Skin", "Stride Athletics"]
    assert options["owner"] == ["Jonas", "Maya", "Priya", "Sam"]
    assert options["health"] == list(HEALTH_ORDER)


def test_blank_values_are_offered_and_filterable(today):
    table = [
        ["Creator", "Campaign", "Owner"],
        ["a", "Run Club", "Maya"],
        ["b", "", "Maya"],
        ["c", "Run Club", ""],
    ]
    frame = diagnose(normalize(table).frame, today)
    options = filter_options(frame)
    assert options["campaign"] == ["Run Club", NOT_SET]
    assert options["brand"] == [NOT_SET]
    blank_campaign = apply_filters(frame, Filters(campaign=(NOT_SET,)))
    assert blank_campaign["creator"].tolist() == ["@b"]
    either = apply_filters(frame, Filters(campaign=("Run Club", NOT_SET), owner=("Maya",)))
    assert sorted(either["creator"]) == ["@a", "@b"]


def test_no_filter_keeps_every_row_in_order(demo):
    assert apply_filters(demo, Filters()).equals(demo)


def test_each_filter_narrows_and_they_combine(demo):
    run_club = apply_filters(demo, Filters(campaign=("Run Club",)))
    assert len(run_club) == (demo["campaign"] == "Run Club").sum() > 0
    assert set(run_club["campaign"]) == {"Run Club"}
    both = apply_filters(demo, Filters(campaign=("Run Club",), owner=("Sam",)))
    assert len(both) == ((demo["campaign"] == "Run Club") & (demo["owner"] == "Sam")).sum() > 0
    blocked = apply_filters(demo, Filters(health=("blocked", "expired")))
    assert set(blocked["health"]) == {"blocked", "expired"}
    assert len(blocked) == demo["health"].isin(["blocked", "expired"]).sum()
    # Most urgent first is kept.
    assert blocked.index.is_monotonic_increasing


def test_search_is_literal_and_case_insensitive_across_text_problems_and_health(demo):
    coach = search(demo, "COACH.LEO")
    assert len(coach) == (demo["creator"] == "@coach.leo").sum() >= 2
    assert set(coach["creator"]) == {"@coach.leo"}
    damaged = demo.loc[demo["issues"].map(lambda ids: "invalid_code_format" in ids), "creator"].tolist()
    assert search(demo, "damaged")["creator"].tolist() == damaged != []  # a problem label
    assert set(search(demo, "waiting for code")["health"]) == {"pending"}  # a health label
    assert search(demo, "  ").equals(demo)
    assert search(demo, "(.*").empty  # patterns are not patterns
    assert len(search(demo, "stride athletics")) == (demo["brand"] == "Stride Athletics").sum()


def test_search_never_matches_on_the_code(demo):
    code = demo["code"].dropna().iloc[0]
    assert search(demo, code[1:12]).empty


def test_with_issue_keeps_only_rows_having_it(demo):
    rows = with_issue(demo, "duplicate_code")
    assert len(rows) >= 2
    assert rows["row"].tolist() == [
        r for r, ids in zip(demo["row"], demo["issues"], strict=True) if "duplicate_code" in ids
    ]
    assert with_issue(demo, None).equals(demo)
    assert with_issue(demo.iloc[:0], "code_expired").empty


def test_merged_tabs_key_rows_by_tab_and_row_so_repeated_numbers_stay_apart():
    import datetime as dt

    from lib.columns import SHEET_ROW_HEADER, TAB_HEADER
    from lib.diagnose import diagnose
    from lib.filters import row_by_key, row_keys, row_places
    from lib.normalize import normalize
    from lib.troubleshoot import row_choices

    table = [
        [TAB_HEADER, SHEET_ROW_HEADER, "Creator", "Post URL"],
        ["Lumen", "2", "amy", "https://www.tiktok.com/@amy/video/1"],
        ["Stride", "2", "bob", "https://www.tiktok.com/@bob/video/2"],
    ]
    frame = diagnose(normalize(table).frame, dt.date(2026, 11, 22))
    keys = row_keys(frame)
    assert sorted(keys) == ["Lumen · row 2", "Stride · row 2"]
    assert set(row_places(frame)) == {"tab Lumen, row 2", "tab Stride, row 2"}
    assert row_by_key(frame, "Stride · row 2")["creator"] == "@bob"
    assert row_by_key(frame, "Nowhere · row 9") is None
    choices = row_choices(frame)
    assert len(choices) == 2 and choices["Lumen · row 2"].endswith("(tab Lumen, row 2)")
    single = diagnose(
        normalize(table[:1] + [r[2:] for r in table[1:]] and [t[2:] for t in table]).frame, dt.date(2026, 11, 22)
    )
    assert row_keys(single).tolist() == [2, 3]


# --- the view in the address ---------------------------------------------------------------

OPTIONS = {"campaign": ["Glow", "Run Club"], "brand": ["Lumen"], "owner": ["Maya", "(not set)"], "health": HEALTH_ORDER}


def test_a_view_goes_into_the_address_and_comes_back_the_same():
    filters = Filters(campaign=("Run Club",), owner=("Maya", "(not set)"), health=("expired", "blocked"))
    query = to_query(filters, 14, " glow ", default_warn=7)
    assert query == {
        "campaign": ["Run Club"],
        "owner": ["Maya", "(not set)"],
        "state": ["expired", "blocked"],
        "warn": ["14"],
        "q": ["glow"],
    }
    view = from_query(query, OPTIONS, max_warn=90)
    assert (view.filters, view.warn_days, view.search, view.unknown) == (filters, 14, "glow", ())


def test_defaults_stay_out_of_the_address():
    assert to_query(Filters(), 7, "", default_warn=7) == {}


@pytest.mark.parametrize(
    ("params", "filters", "warn", "unknown"),
    [
        ({"campaign": ["Nope", "Glow"]}, Filters(campaign=("Glow",)), None, ("Nope",)),
        ({"state": ["<script>", "ok"]}, Filters(health=("ok",)), None, ("<script>",)),
        ({"warn": ["0"]}, Filters(), None, ()),
        ({"warn": ["91"]}, Filters(), None, ()),
        ({"warn": ["²"]}, Filters(), None, ()),
        ({"warn": ["30"], "owner": ["Maya", "Maya"]}, Filters(owner=("Maya",)), 30, ()),
        ({"campaign": ["Glow"] * 500}, Filters(campaign=("Glow",)), None, ()),
    ],
)
def test_an_address_is_untrusted_text_only_the_sheets_own_values_are_used(params, filters, warn, unknown):
    view = from_query(params, OPTIONS, max_warn=90)
    assert (view.filters, view.warn_days, view.unknown) == (filters, warn, unknown)


def test_a_huge_value_in_the_address_is_cut():
    view = from_query({"q": ["x" * 100_000], "campaign": ["y" * 100_000]}, OPTIONS, max_warn=90)
    assert len(view.search) == MAX_QUERY_CHARS and all(len(u) == MAX_QUERY_CHARS for u in view.unknown)
