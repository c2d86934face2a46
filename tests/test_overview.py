"""The Overview's first screen: the sentence, this week's work by person, the campaigns."""

from __future__ import annotations

import pandas as pd

from lib import overview
from lib.rules import RULES, IssueId
from tests.fakes.tracking_sheet import TODAY, day, judged

ROWS = {
    "ended, campaign running": {"Expires": day(-3), "Campaign end": day(20), "Owner": "Maya", "Campaign": "Glow"},
    "ended, campaign over": {"Expires": day(-30), "Campaign end": day(-10), "Owner": "Maya", "Campaign": "Old"},
    "withdrawn": {"Status": "revoked", "Owner": "Tom", "Campaign": "Glow"},
    "ends in 3 days": {"Expires": day(3), "Owner": "Tom", "Campaign": "Glow"},
    "blocked by identity": {"Identity": "custom", "Owner": "", "Campaign": "Run"},
    "no code yet": {"Code": "", "Owner": "Maya", "Campaign": "Run"},
    "fine": {"Owner": "Tom", "Campaign": "Run"},
    "no end date": {"Expires": "", "Owner": "Tom", "Campaign": "Run"},
}


def frame() -> pd.DataFrame:
    rows = [{"Creator": f"c{n}", **cells} for n, cells in enumerate(ROWS.values())]
    return judged(*rows, today=TODAY)


def creators_of(names: list[str]) -> set[str]:
    return {f"@c{list(ROWS).index(name)}" for name in names}


def test_this_week_holds_what_stops_ended_or_is_blocked_and_nothing_else():
    week = overview.this_week(frame(), TODAY)
    expected = ["ended, campaign running", "withdrawn", "ends in 3 days", "blocked by identity", "no code yet"]
    assert set(week["Creator"]) == creators_of(expected)


def test_this_week_is_grouped_by_owner_blank_owners_last_each_with_its_first_action():
    week = overview.this_week(frame(), TODAY)
    assert week["Owner"].tolist() == ["Maya", "Maya", "Tom", "Tom", "(not set)"]
    by_creator = week.set_index("Creator")
    blocked = by_creator.loc[next(iter(creators_of(["blocked by identity"])))]
    assert blocked["What to do"] == RULES[IssueId.CUSTOM_IDENTITY].steps[0]
    assert blocked["Who"] == "Media buyer"
    ended = by_creator.loc[next(iter(creators_of(["ended, campaign running"])))]
    assert ended["What to do"] == RULES[IssueId.CODE_EXPIRED].steps[0]


def test_the_sentence_counts_this_weeks_rows_in_words():
    assert overview.state_sentence(frame(), TODAY, 7) == (
        "2 authorizations have stopped ads; 1 will stop within 7 days; 1 is blocked now; "
        "1 still waits for a code; 4 creators must act."
    )


def test_the_sentence_says_so_when_nothing_needs_action():
    calm = judged({"Expires": day(60)}, {"Expires": day(90)}, today=TODAY)
    assert overview.state_sentence(calm, TODAY, 7) == "Nothing needs action: every authorization shown can run."


def test_one_row_per_campaign_worst_first_agreeing_with_the_diagnosis():
    diagnosed = frame()
    campaigns = overview.campaign_rows(diagnosed, TODAY).set_index("Campaign")
    assert list(campaigns.index) == ["Glow", "Run", "Old"]  # revoked, blocked; the campaign that is over last
    assert campaigns["Posts"].to_dict() == {"Glow": 3, "Run": 4, "Old": 1}
    assert campaigns["Need action"].to_dict() == {"Glow": 3, "Run": 2, "Old": 1}
    assert campaigns.loc["Glow", "Worst state"] == "Revoked"
    assert campaigns.loc["Run", "Worst state"] == "Blocked"
    assert campaigns.loc["Glow", "Earliest code end"] == pd.Timestamp(day(3))  # ended codes don't count
    assert campaigns.loc["Run", "Owner"] == "Tom, Maya"
    assert campaigns["Posts"].sum() == len(diagnosed)


def test_a_withdrawn_code_counts_no_days_left_and_each_row_says_what_stops_when():
    week = overview.this_week(frame(), TODAY).set_index("Creator")
    when = {
        name: week.loc[next(iter(creators_of([name]))), "When"]
        for name in ROWS
        if creators_of([name]) <= set(week.index)
    }
    assert when == {
        "ended, campaign running": "ended 3 days ago",
        "withdrawn": "withdrawn by the creator",
        "ends in 3 days": "3 days left",
        "blocked by identity": "blocked now",
        "no code yet": "no code yet",
    }


def test_each_row_says_where_on_the_dashboard_its_first_action_is_done():
    week = overview.this_week(frame(), TODAY).set_index("Creator")
    act = {
        name: week.loc[next(iter(creators_of([name]))), "Act with"]
        for name in ROWS
        if creators_of([name]) <= set(week.index)
    }
    assert act == {
        "ended, campaign running": overview.MESSAGE,  # a new code comes from the creator
        "withdrawn": overview.MESSAGE,
        "ends in 3 days": overview.MESSAGE,
        "blocked by identity": overview.STEPS,  # the media buyer fixes it in Ads Manager
        "no code yet": overview.MESSAGE,
    }


def test_a_phones_cards_say_who_what_stops_the_first_step_and_who_acts():
    week = overview.this_week(frame(), TODAY)
    cards = dict(zip(week["Creator"], overview.week_cards(week), strict=True))
    ended = cards[next(iter(creators_of(["ended, campaign running"])))]
    assert ended.splitlines() == [
        "@c0 · Glow · owner Maya",
        "Expired: ended 3 days ago",
        RULES[IssueId.CODE_EXPIRED].steps[0],
        "Who: Creator, Advertiser",
    ]
    blocked = cards[next(iter(creators_of(["blocked by identity"])))]
    assert blocked.splitlines()[:2] == ["@c4 · Run · owner (not set)", "Blocked"]  # not 'Blocked: blocked now'
