"""Creator messages: the exact post, the steps in the TikTok app, the duration to pick."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from lib.messages import (
    CREATOR_ASKS,
    DEFAULT_DURATION,
    NEW_CODE_STEPS,
    PUBLIC_STEPS,
    RECOPY_STEPS,
    creator_message,
    creator_messages,
    post_section,
    recommended_duration,
)
from lib.vocab import ISSUES
from tests.fakes.tracking_sheet import CODE, TODAY, day, judged


def steps_of(message: str) -> list[str]:
    return re.findall(r"^ {2}\d+\. (.*)$", message, flags=re.M)


@pytest.mark.parametrize(
    ("campaign_end", "expected"),
    [
        (None, DEFAULT_DURATION),
        (float("nan"), DEFAULT_DURATION),
        (TODAY - dt.timedelta(days=30), 7),  # campaign over: the shortest option
        (TODAY - dt.timedelta(days=7), 7),  # 0 + 14 - 7 = 7 days: 7 covers it exactly
        (TODAY - dt.timedelta(days=6), 30),
        (TODAY, 30),  # end today + 14 days
        (TODAY + dt.timedelta(days=16), 30),  # 30 covers 16 + 14 exactly
        (TODAY + dt.timedelta(days=17), 60),
        (TODAY + dt.timedelta(days=46), 60),
        (TODAY + dt.timedelta(days=47), 365),
        (TODAY + dt.timedelta(days=600), 365),  # nothing longer exists
    ],
)
def test_recommended_duration_is_the_smallest_option_covering_end_plus_two_weeks(campaign_end, expected):
    assert recommended_duration(campaign_end, TODAY) == expected


def test_recommended_duration_accepts_timestamps():
    assert recommended_duration(pd.Timestamp(TODAY + dt.timedelta(days=20)), TODAY) == 60


# One row per situation that needs the creator, each on its own creator so each gets a message.
NEEDS_CREATOR = {
    "expired": ({"Expires": day(-3), "Campaign end": day(20)}, "the authorization has ended", 60),
    "expiring": ({"Expires": day(2), "Campaign end": day(10)}, "the authorization ends in 2 days", 30),
    "revoked": ({"Status": "revoked", "Campaign end": day(40)}, "the code was withdrawn", 60),
    "missing": ({"Code": "", "Campaign end": day(100)}, "we have not received a code", 365),
    "private": ({"Visibility": "private", "Campaign end": day(3)}, "the post is not public", None),
    "short": ({"Expires": day(20), "Campaign end": day(30)}, "the authorization ends before the campaign does", 60),
}


@pytest.mark.parametrize("case", sorted(NEEDS_CREATOR))
def test_each_situation_gets_a_message_with_the_post_the_steps_and_the_duration(case):
    cells, reason, duration = NEEDS_CREATOR[case]
    row = judged({"Creator": f"@{case}.creator", "Campaign": "Winter Run", **cells}, today=TODAY)
    messages = creator_messages(row, TODAY)
    assert list(messages["creator"]) == [f"@{case}.creator"]
    assert list(messages["posts"]) == [1]
    message = messages["message"].iloc[0]
    assert message.startswith(f"Hi @{case}.creator!")
    assert f"• {row['post'].iloc[0]} (Winter Run): {reason}" in message
    steps = steps_of(message)
    assert steps[0] == "Open the post in the TikTok app and tap the … (more) button."
    if duration is None:  # a visibility fix needs no new code
        assert steps == list(PUBLIC_STEPS)
        assert "duration" not in message
    else:
        assert steps == [s.format(duration=duration) for s in NEW_CODE_STEPS]
        assert f"Choose the authorization duration: {duration} days." in message
    assert CODE[:10] not in message


@pytest.mark.parametrize(
    "cells",
    [
        {},  # healthy
        {"Creator region": "US", "Ad account region": "DE"},
        {"Identity": "custom"},
        {"Access": "business center", "Code": "", "Expires": "", "Ad delivery": "no"},
        {"Expires": ""},  # expiry unknown: the team checks the sheet, not the creator
    ],
)
def test_rows_that_do_not_need_the_creator_get_no_message(cells):
    frame = judged(cells, today=TODAY)
    assert creator_messages(frame, TODAY).empty
    assert list(creator_messages(frame, TODAY).columns) == ["creator", "posts", "message"]
    assert creator_message("@amy", frame, TODAY) is None


def test_one_message_per_creator_covers_all_their_posts_and_only_those():
    frame = judged(
        {"Creator": "amy", "Expires": day(-1), "Campaign end": day(5)},
        {"Creator": "@AMY ", "Code": ""},
        {"Creator": "amy"},  # fine: not in the message
        {"Creator": "amy", "Identity": "custom"},  # the media buyer's job: not in the message
        {"Creator": "bob", "Visibility": "friends"},
        today=TODAY,
    )
    messages = creator_messages(frame, TODAY, sender="Maya, Lumen Skin")
    assert list(messages["creator"]) == ["@amy", "@bob"]
    assert list(messages["posts"]) == [2, 1]
    amy = messages["message"].iloc[0]
    assert amy.startswith("Hi @amy! Quick favour about these posts")
    assert amy.endswith("\nMaya, Lumen Skin")
    posts = frame.sort_values("row")["post"].tolist()
    assert posts[0] in amy and posts[1] in amy
    assert posts[2] not in amy and posts[3] not in amy
    assert amy.count("• ") == 2
    bob = messages["message"].iloc[1]
    assert bob.startswith("Hi @bob! Quick favour about this post")
    assert posts[4] in bob


def test_private_post_with_a_new_code_is_made_public_first():
    frame = judged({"Visibility": "private", "Code": ""}, today=TODAY)
    steps = steps_of(creator_messages(frame, TODAY)["message"].iloc[0])
    assert steps == [
        "Open the post in the TikTok app and tap the … (more) button.",
        "Tap Privacy settings and set who can watch it to Everyone.",
        "Please keep it public until the campaign is over.",
        "Back on the post, tap the … (more) button again.",
        "Tap Ad settings and turn on ad authorization.",
        f"Choose the authorization duration: {DEFAULT_DURATION} days.",
        "Tap Generate, then Copy code, and send the code back to us.",
    ]


def test_a_damaged_code_is_copied_again_unless_a_new_code_is_needed_anyway():
    damaged = judged({"Code": "#abc 123", "Campaign end": day(10)}, today=TODAY)
    message = creator_messages(damaged, TODAY)["message"].iloc[0]
    assert steps_of(message) == list(RECOPY_STEPS)
    assert "cut short while copying" in message
    assert "#abc" not in message

    damaged_and_expired = judged({"Code": "#abc 123", "Expires": day(-2)}, today=TODAY)
    message = creator_messages(damaged_and_expired, TODAY)["message"].iloc[0]
    assert steps_of(message) == [s.format(duration=DEFAULT_DURATION) for s in NEW_CODE_STEPS]
    assert "the authorization has ended, so the ad has stopped; the code we have seems" in message


@pytest.mark.parametrize(
    ("days_left", "phrase"),
    [(0, "ends today"), (1, "ends tomorrow"), (5, "ends in 5 days"), (None, "ends soon")],
)
def test_expiring_says_when(days_left, phrase):
    section = post_section(["expiring_soon"], "https://t.co/x/video/1", days_left, 30)
    assert section is not None
    assert f"the authorization {phrase}." in section


def test_the_post_is_named_exactly_by_link_or_id():
    assert post_section(["missing_code"], "https://www.tiktok.com/@a/video/42", None, 30).startswith(
        "• https://www.tiktok.com/@a/video/42: "
    )
    assert post_section(["missing_code"], "7301000000000000042", None, 30).startswith("• post 7301000000000000042: ")
    assert post_section(["missing_code"], None, None, 30).startswith("• the post we agreed on: ")
    assert post_section(["region_mismatch", "custom_identity"], "x/1", None, 30) is None


def test_a_creator_less_row_still_gets_a_message_and_codes_never_leak():
    frame = judged({"Creator": "", "Code": "", "Post URL": f"https://example.com/v/1?c={CODE}"}, today=TODAY)
    messages = creator_messages(frame, TODAY)
    assert list(messages["creator"]) == [""]
    message = messages["message"].iloc[0]
    assert message.startswith("Hi there!")
    assert CODE not in message and CODE[:-4] not in message
    assert "••••" in message


def test_asks_only_for_creator_facing_issues():
    assert set(CREATOR_ASKS) == {i.id for i in ISSUES.values() if i.needs_creator}


def test_demo_messages_go_to_every_creator_who_must_act(demo_diagnosed):
    frame = demo_diagnosed
    messages = creator_messages(frame, TODAY)
    must_act = frame.loc[frame["issues"].map(lambda ids: bool(set(ids) & set(CREATOR_ASKS))), "creator"]
    assert set(messages["creator"]) == set(must_act.fillna(""))
    assert messages["posts"].sum() == len(must_act)
    assert messages["message"].str.contains("https://www.tiktok.com/@").all()
    assert not messages["message"].str.contains("#", regex=False).any()
