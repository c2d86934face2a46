"""Creator messages: the exact post, the steps in the TikTok app, the duration to pick."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pandas as pd
import pytest

from lib.messages import (
    DEFAULT_DURATION,
    creator_message,
    creator_messages,
    post_section,
    recommended_duration,
)
from lib.rules import NEW_CODE_STEPS, PUBLIC_STEPS, RECOPY_STEPS, RULES, IssueId
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
    assert amy.startswith("Hi @amy! Quick favour about these 2 posts")
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
    # A new code replaces the damaged one: saying it was cut short would only add noise.
    assert "the authorization has ended, so the ad has stopped." in message
    assert "cut short" not in message


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


@pytest.mark.parametrize("issue_id", list(RULES))
def test_only_issues_the_creator_has_a_part_in_ask_anything_of_them(issue_id):
    section = post_section([issue_id], "https://www.tiktok.com/@amy/video/1", 3, 60)
    assert (section is not None) == ("creator" in RULES[issue_id].roles)


def test_demo_messages_go_to_every_creator_who_must_act(demo_diagnosed):
    frame = demo_diagnosed
    messages = creator_messages(frame, TODAY)
    must_act = frame.loc[frame["issues"].map(lambda ids: bool(any(RULES[i].needs_creator for i in ids))), "creator"]
    assert set(messages["creator"]) == set(must_act.fillna(""))
    assert messages["posts"].sum() == len(must_act)
    assert messages["message"].str.contains("https://www.tiktok.com/@").all()
    assert not messages["message"].str.contains("#", regex=False).any()


# --------------------------------------------------------------------------- every combination

CREATOR_ISSUES = [i for i, rule in RULES.items() if rule.ask is not None]
COMBINATIONS = [set(c) for size in (1, 2, 3) for c in itertools.combinations(CREATOR_ISSUES, size)]
OVER = {IssueId.CODE_REVOKED, IssueId.CODE_EXPIRED}
"""Issues after which a code has no end left to talk about."""
ENDS_WORDS = re.compile(r"\bends (in|today|tomorrow|soon|before)\b")


def fake_rows(*issue_sets: set[IssueId]) -> pd.DataFrame:
    """Diagnosed rows of one creator with exactly these issues, one post each, as the message reads them."""
    rows = []
    for n, ids in enumerate(issue_sets, 1):
        days_left = -2 if IssueId.CODE_EXPIRED in ids else 3 if IssueId.EXPIRING_SOON in ids else 20
        rows.append(
            {
                "issues": [str(i) for i in ids],
                "post": f"https://www.tiktok.com/@amy/video/73{n:017d}",
                "days_left": days_left,
                "campaign": f"Campaign {n}",
                "campaign_end": TODAY + dt.timedelta(days=25 * n),
            }
        )
    return pd.DataFrame(rows)


def check_message(message: str, issue_sets: tuple[set[IssueId], ...]) -> None:
    """What any message must be, whatever the issues: said once, in order, without contradiction."""
    posts = fake_rows(*issue_sets)["post"].tolist()
    assert ";" not in message
    lines = message.split("\n")
    # Every post named once, in one bullet line that says what is wrong with it.
    bullets = [line for line in lines if line.startswith("• ")]
    assert len(bullets) == len(posts)
    for n, (post, ids, line) in enumerate(zip(posts, issue_sets, bullets, strict=True), 1):
        assert message.count(post) == 1
        assert post in line
        if len(posts) > 1:
            assert line.startswith(f"• Post {n}, {post} (Campaign {n}): ")
        reasons = line.split("): ", 1)[1]
        clauses = [c.strip().lower() for c in re.split(r"\. |, ", reasons.rstrip("."))]
        assert len(clauses) == len(set(clauses)), line
        assert reasons.count("authorization") <= 1, line
        if ids & OVER or IssueId.MISSING_CODE in ids:
            assert not ENDS_WORDS.search(reasons), line  # withdrawn, ended or never sent: no "ends in 7 days"
        if IssueId.CODE_REVOKED in ids:
            assert "withdrawn" in reasons and "has ended" not in reasons, line
    # One numbered list: 1..n, no step twice.
    numbered = re.findall(r"^ {2}(\d+)\. (.*)$", message, flags=re.M)
    assert [int(n) for n, _ in numbered] == list(range(1, len(numbered) + 1))
    steps = [step for _, step in numbered]
    assert len(steps) == len(set(steps)), steps
    assert message.count("Here is what to do in the TikTok app:") == 1
    # Every post is reached by the steps: by number, or by 'each post above'.
    if len(posts) > 1:
        openers = [s for s in steps if s.startswith("On ")]
        named = " ".join(openers)
        assert all(f"{n}" in named for n in range(1, len(posts) + 1)) or "On each post above" in named, openers
    # The duration: one choice, in the steps and explained once after them, only if a code is asked for.
    durations = re.findall(r"Choose the authorization duration: (\d+) days\.", message)
    assert len(durations) <= 1
    if durations:
        assert message.count(f"Why {durations[0]} days: ") == 1
        assert message.index("Why ") > message.index(steps[-1])
    else:
        assert "duration" not in message and "Why " not in message


@pytest.mark.parametrize("ids", COMBINATIONS, ids=lambda c: "+".join(sorted(c)))
def test_every_combination_of_issues_on_one_post_reads_as_one_message(ids):
    message = creator_message("@amy", fake_rows(ids), TODAY)
    assert message is not None
    check_message(message, (ids,))
    assert message.startswith("Hi @amy! Quick favour about this post")


PAIRS = [
    (a, b)
    for k, a in enumerate(COMBINATIONS)
    for b in (a, COMBINATIONS[(k + 1) % len(COMBINATIONS)], COMBINATIONS[(k * 17 + 5) % len(COMBINATIONS)])
]


def test_every_combination_on_two_posts_gives_one_set_of_steps():
    for pair in PAIRS:
        message = creator_message("@amy", fake_rows(*pair), TODAY)
        assert message is not None
        check_message(message, pair)
        assert message.startswith("Hi @amy! Quick favour about these 2 posts")


def test_two_posts_with_the_same_issues_get_the_steps_once():
    """The same four steps used to come twice, once per post."""
    frame = judged(
        {"Creator": "amy", "Expires": day(2), "Campaign end": day(10)},
        {"Creator": "amy", "Expires": day(3), "Campaign end": day(40)},
        today=TODAY,
    )
    message = creator_messages(frame, TODAY)["message"].iloc[0]
    assert steps_of(message) == [
        "On each post above, in the TikTok app, tap the … (more) button.",
        "Tap Ad settings and turn on ad authorization.",
        "Choose the authorization duration: 60 days.",  # the longer of 30 and 60: one choice covers both
        "Tap Generate, then Copy code, and send the code back to us.",
    ]
    assert "• Post 1, " in message and "• Post 2, " in message
    assert "the authorization ends in 2 days, before the campaign does." in message
    assert "Why 60 days: it lasts until the campaign is over, with two weeks to spare." in message


def test_a_withdrawn_code_never_also_ends_in_some_days():
    frame = judged({"Creator": "amy", "Status": "revoked", "Expires": day(7), "Campaign end": day(30)}, today=TODAY)
    message = creator_messages(frame, TODAY)["message"].iloc[0]
    assert "withdrawn" in message
    assert not ENDS_WORDS.search(message)


def test_different_fixes_on_different_posts_name_their_posts():
    frame = judged(
        {"Creator": "amy", "Visibility": "private", "Campaign end": day(10)},
        {"Creator": "amy", "Code": "", "Campaign end": day(10)},
        {"Creator": "amy", "Code": "#abc 123", "Campaign end": day(10)},
        today=TODAY,
    )
    message = creator_messages(frame, TODAY)["message"].iloc[0]
    lines = [line for line in message.split("\n") if line.startswith("• ")]
    number = {
        ("private" if "not public" in line else "missing" if "not received" in line else "damaged"): line[7]
        for line in lines
    }
    steps = steps_of(message)
    assert steps[0] == f"On post {number['private']}, in the TikTok app, tap the … (more) button."
    assert f"On post {number['missing']}, in the TikTok app, tap the … (more) button." in steps
    assert f"On post {number['damaged']}, in the TikTok app, tap the … (more) button." in steps
    assert steps.index(f"On post {number['missing']}, in the TikTok app, tap the … (more) button.") < steps.index(
        f"On post {number['damaged']}, in the TikTok app, tap the … (more) button."
    )
