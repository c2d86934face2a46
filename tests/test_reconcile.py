"""lib.reconcile: the sheet and TikTok side by side, without the network."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from lib.columns import EXPIRES_FROM, FROM_SHEET, FROM_TIKTOK, TIKTOK_IN_ADS_MANAGER, TIKTOK_MATCHED_BY
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.reconcile import ads_manager_only_records, reconcile, tiktok_fact, without_tiktok
from lib.rules import RULES, IssueId, RowFacts
from lib.tiktok.read import TikTokRead, flat_item, posts_frame
from lib.troubleshoot import check_cause, issue_cause
from lib.vocab import HealthId
from tests.fakes.fake_tiktok import ADVERTISER, item
from tests.fakes.tracking_sheet import TODAY, code, tracking_sheet

VIDEO = 7300000000000000000
"""The video id of the tracking sheet's first row (each next row: + 1)."""


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


def read_of(*items: dict, looked_up: tuple[dict, ...] = (), complete: bool = True) -> TikTokRead:
    rows = [flat_item(i, ADVERTISER, held=True) for i in items] + [flat_item(i, ADVERTISER, False) for i in looked_up]
    return TikTokRead(
        posts_frame(r for r in rows if r), dt.datetime(2026, 11, 22, 8, tzinfo=dt.UTC), (ADVERTISER,), complete=complete
    )


def checked(*rows: dict[str, str], read: TikTokRead, tz: dt.tzinfo | None = dt.UTC) -> pd.DataFrame:
    """The sheet's rows reconciled and diagnosed, in sheet order."""
    frame = normalize(tracking_sheet(*rows)).frame
    return diagnose(reconcile(frame, read, tz).frame, TODAY).sort_values("row").reset_index(drop=True)


def test_tiktok_wins_where_it_knows_and_says_so():
    read = read_of(item(code(0), str(VIDEO), end=at("2026-12-20")))
    rows = checked({"Expires": "2026-12-20"}, {"Expires": "2027-01-05"}, read=read)
    first, second = rows.iloc[0], rows.iloc[1]
    assert first["expires"] == pd.Timestamp("2026-12-20") and first[EXPIRES_FROM] == FROM_TIKTOK
    assert first["issues"] == () and first[TIKTOK_MATCHED_BY] == "code"
    assert second[EXPIRES_FROM] == FROM_SHEET  # TikTok does not hold it, so the sheet's date stands
    assert second["issues"] == (IssueId.NOT_IN_ADS_MANAGER,)


def test_a_sheet_date_a_day_or_more_off_is_flagged_and_tikToks_date_counts():
    read = read_of(
        item(code(0), str(VIDEO), end=at("2026-12-21")),
        item(code(1), str(VIDEO + 1), end=at("2026-12-10", 23), form="iso"),
        item(code(2), str(VIDEO + 2), end=at("2026-11-25"), form="epoch"),
    )
    rows = checked({"Expires": "2026-12-20"}, {"Expires": "2026-12-10"}, {"Expires": "2027-03-01"}, read=read)
    assert [r for r in rows["issues"]] == [
        (IssueId.SHEET_END_DIFFERS,),
        (),
        (IssueId.EXPIRING_SOON, IssueId.SHEET_END_DIFFERS),
    ]
    assert rows["health"].tolist() == [HealthId.OK, HealthId.OK, HealthId.EXPIRING]
    verdict = check_cause(issue_cause(IssueId.SHEET_END_DIFFERS), rows.iloc[0])
    assert verdict.reason == "The sheet says the code ends on 20 Dec 2026, TikTok says 21 Dec 2026."


def test_end_days_are_in_the_teams_time_zone():
    """23:30 UTC on 10 December is already the 11th in Berlin."""
    read = read_of(item(code(0), str(VIDEO), end=at("2026-12-10", 23).replace(minute=30)))
    utc = checked({"Expires": "2026-12-10"}, read=read, tz=dt.UTC).iloc[0]
    berlin = checked({"Expires": "2026-12-10"}, read=read, tz=ZoneInfo("Europe/Berlin")).iloc[0]
    assert utc["expires"] == pd.Timestamp("2026-12-10") and utc["issues"] == ()
    assert berlin["expires"] == pd.Timestamp("2026-12-11") and berlin["issues"] == (IssueId.SHEET_END_DIFFERS,)


@pytest.mark.parametrize(
    ("tiktok", "issue", "health"),
    [
        ({"status": "EXPIRED"}, IssueId.CODE_EXPIRED, HealthId.EXPIRED),
        ({"post_status": "USER_DELETE"}, IssueId.POST_DELETED, HealthId.BLOCKED),
        ({"post_status": "AUDIT_DELETE"}, IssueId.POST_DELETED, HealthId.BLOCKED),
        ({"post_status": "ONLY_FRIEND_SEE"}, IssueId.POST_NOT_PUBLIC, HealthId.BLOCKED),
        ({"post_status": "ONLY_AUTHOR_SEE"}, IssueId.POST_NOT_PUBLIC, HealthId.BLOCKED),
    ],
)
def test_what_tiktok_says_about_the_code_and_the_post_becomes_issues(tiktok, issue, health):
    read = read_of(item(code(0), str(VIDEO), end=at("2027-06-01"), **tiktok))
    row = checked({"Visibility": "public"}, read=read).iloc[0]
    assert row["issues"][0] == issue and row["health"] == health
    verdict = check_cause(issue_cause(issue), row)
    assert verdict.state == "confirmed" and "TikTok" in verdict.reason


def test_tiktok_saying_public_overrides_a_sheet_that_says_private():
    read = read_of(item(code(0), str(VIDEO), end=at("2027-06-01")))
    row = checked({"Visibility": "private"}, read=read).iloc[0]
    assert row["issues"] == ()
    assert check_cause(issue_cause(IssueId.POST_NOT_PUBLIC), row).reason == "TikTok says the post is public: not this."


def test_a_code_spelt_another_way_still_matches():
    damaged = code(0).replace("+", " ") + "\u200b"
    read = read_of(item(code(0), "999", end=at("2027-06-01")))
    row = checked({"Code": damaged}, read=read).iloc[0]
    assert row[TIKTOK_MATCHED_BY] == "code" and bool(row[TIKTOK_IN_ADS_MANAGER])


def test_without_a_code_match_the_post_matches_by_its_video_id():
    read = read_of(item(code(9), str(VIDEO), end=at("2027-06-01"), status="AUTHORIZED"))
    rows = checked({"Code": ""}, read=read)
    row = rows.iloc[0]
    assert row[TIKTOK_MATCHED_BY] == "post" and bool(row[TIKTOK_IN_ADS_MANAGER])
    # TikTok holds the post, so a code was applied: it is not "waiting for a code".
    assert row["issues"] == () and row["health"] == HealthId.OK


def test_not_in_ads_manager_only_when_every_ad_account_was_read_in_full():
    read = read_of(item(code(5), "5", end=at("2027-06-01")))
    whole = checked({}, {"Code": "#damaged"}, {"Code": ""}, read=read)
    assert whole["issues"].tolist()[0] == (IssueId.NOT_IN_ADS_MANAGER,)
    assert IssueId.NOT_IN_ADS_MANAGER not in whole["issues"].iloc[1]  # a damaged code: can't tell
    assert whole[TIKTOK_IN_ADS_MANAGER].isna().tolist() == [False, True, True]
    partial = checked({}, read=TikTokRead(read.posts, read.read_at, read.advertiser_ids, complete=False))
    assert partial["issues"].iloc[0] == () and pd.isna(partial[TIKTOK_IN_ADS_MANAGER].iloc[0])


def test_an_ended_or_withdrawn_code_is_not_also_asked_to_be_applied():
    rows = checked({"Expires": "2026-11-01"}, {"Status": "revoked"}, read=read_of())
    assert rows["issues"].tolist() == [(IssueId.CODE_EXPIRED,), (IssueId.CODE_REVOKED,)]


def test_a_code_tiktok_knows_but_no_account_holds_gets_its_dates_and_the_flag():
    read = read_of(looked_up=(item(code(0), str(VIDEO), end=at("2027-02-01")),))
    row = checked({"Expires": ""}, read=read).iloc[0]
    assert row["expires"] == pd.Timestamp("2027-02-01") and row["issues"] == (IssueId.NOT_IN_ADS_MANAGER,)
    assert tiktok_fact(row) == {
        "status": "AUTHORIZED",
        "ends_on": "2027-02-01",
        "post_status": "HESITATE_RECOMMEND",
        "advertiser_id": None,
    }


def test_the_live_code_of_a_post_wins_over_its_ended_one():
    read = read_of(
        item(code(8), str(VIDEO), end=at("2026-10-01"), status="EXPIRED"),
        item(code(9), str(VIDEO), end=at("2027-03-01")),
    )
    row = checked({"Code": ""}, read=read).iloc[0]
    assert row["expires"] == pd.Timestamp("2027-03-01") and row["health"] == HealthId.OK


def test_posts_ad_accounts_hold_that_the_sheet_lacks_are_listed_with_codes_masked():
    read = read_of(
        item(code(0), str(VIDEO), end=at("2027-06-01")),
        item(code(7), "42", "@zed", at("2026-12-24")),
        item(code(7), "42", "@zed", at("2026-12-24")),  # the same post listed twice
    )
    reconciled = reconcile(normalize(tracking_sheet({})).frame, read, dt.UTC)
    records = ads_manager_only_records(reconciled.ads_manager_only)
    assert records == [
        {
            "creator": "@zed",
            "post": "https://www.tiktok.com/@zed/video/42",
            "ends_on": "2026-12-24",
            "status": "AUTHORIZED",
            "post_status": "HESITATE_RECOMMEND",
            "advertiser_id": ADVERTISER,
            "code": code(7)[:4] + "••••" + code(7)[-4:],
        }
    ]
    assert code(7) not in repr(reconciled) and code(7) not in str(records)


def test_without_tiktok_the_sheet_alone_is_judged_as_before():
    frame = normalize(tracking_sheet({"Expires": "2026-11-01"})).frame
    reconciled = reconcile(frame, read_of(item(code(0), str(VIDEO), end=at("2027-06-01"))), dt.UTC).frame
    alone = diagnose(without_tiktok(reconciled), TODAY)
    assert alone["issues"].iloc[0] == (IssueId.CODE_EXPIRED,) and alone[EXPIRES_FROM].iloc[0] == FROM_SHEET
    assert tiktok_fact(alone.iloc[0]) is None


def test_every_tiktok_only_check_can_say_it_has_not_been_checked():
    """A row of a sheet read alone: the picker says 'possible', never a guess."""
    row = diagnose(normalize(tracking_sheet({})).frame, TODAY).iloc[0]
    for issue_id in (IssueId.POST_DELETED, IssueId.NOT_IN_ADS_MANAGER, IssueId.SHEET_END_DIFFERS):
        assert RULES[issue_id].check(RowFacts.of(row)).state == "possible"
