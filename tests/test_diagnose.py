import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.columns import TIKTOK_IN_ADS_MANAGER, TIKTOK_POST_STATUS, TIKTOK_STATUS, TIKTOK_VISIBILITY
from lib.diagnose import diagnose, health_counts, issue_counts, needs_action
from lib.normalize import normalize
from lib.rules import ISSUE_ORDER, RULES, Frame, IssueId
from lib.vocab import HEALTH_ORDER

TODAY = dt.date(2026, 11, 22)
CODE = "#XtzWbnXjgSTdd8PM5Pp/7vtA3R6DiZezwfg5y9cqBruxXI21kXNxSwH7/1K7wP9="
HEADER = [
    "Creator", "Post URL", "Code", "Access", "Authorized on", "Duration", "Expires", "Status", "Campaign end",
    "Creator region", "Ad account region", "Visibility", "Identity", "Ad delivery",
]  # fmt: skip


def sheet(*rows: dict[str, str]) -> list[list[str]]:
    """A raw table from partial rows; unspecified cells are those of a healthy row."""
    base = {
        "Creator": "amy",
        "Post URL": "",
        "Code": CODE,
        "Access": "code",
        "Expires": "2027-06-01",
    }
    table = [HEADER]
    for n, row in enumerate(rows):
        own = {"Post URL": f"https://www.tiktok.com/@amy/video/{1000 + n}", "Code": f"{CODE[:-9]}{n:08d}="}
        cells = {**base, **own, **row}
        table.append([cells.get(h, "") for h in HEADER])
    return table


def judged(*rows: dict[str, str], warn_days: int = 7) -> pd.DataFrame:
    return diagnose(normalize(sheet(*rows)).frame, TODAY, warn_days).sort_values("row").reset_index(drop=True)


def one(row: dict[str, str], warn_days: int = 7) -> pd.Series:
    return judged(row, warn_days=warn_days).iloc[0]


@pytest.mark.parametrize(
    ("row", "health", "issues"),
    [
        ({}, "ok", []),
        ({"Status": "Revoked"}, "revoked", ["code_revoked"]),
        ({"Expires": "2026-11-21"}, "expired", ["code_expired"]),
        ({"Expires": "", "Status": "expired"}, "expired", ["code_expired"]),
        ({"Creator region": "US", "Ad account region": "gb"}, "blocked", ["region_mismatch"]),
        ({"Visibility": "private"}, "blocked", ["post_not_public"]),
        ({"Identity": "custom"}, "blocked", ["custom_identity"]),
        ({"Code": "#abc 123"}, "blocked", ["invalid_code_format"]),
        ({"Access": "business center", "Code": "", "Expires": "", "Ad delivery": "no"}, "blocked", ["bc_not_shared"]),
        ({"Code": ""}, "pending", ["missing_code"]),
        ({"Expires": "2026-11-29"}, "expiring", ["expiring_soon"]),
        ({"Expires": "2026-11-22"}, "expiring", ["expiring_soon"]),
        ({"Expires": ""}, "unknown", []),
        ({"Access": "business center", "Code": "", "Expires": "", "Ad delivery": "yes"}, "ok", []),
        ({"Expires": "2026-12-20", "Campaign end": "2027-01-10"}, "ok", ["expires_before_campaign_end"]),
        ({"Creator region": "US"}, "ok", []),
    ],
)
def test_each_state_and_issue(row, health, issues):
    result = one(row)
    assert result["health"] == health
    assert list(result["issues"]) == issues


def test_worst_state_wins():
    # Revoked beats expired beats blocked beats pending beats expiring.
    assert one({"Status": "revoked", "Expires": "2026-11-01", "Visibility": "private"})["health"] == "revoked"
    assert one({"Expires": "2026-11-01", "Visibility": "private"})["health"] == "expired"
    assert one({"Expires": "2026-11-25", "Visibility": "private"})["health"] == "blocked"
    assert one({"Code": "", "Expires": "2026-11-25"})["health"] == "pending"
    assert one({"Code": "", "Expires": ""})["health"] == "pending"


def test_expiry_from_authorized_on_plus_duration_and_explicit_expiry_wins():
    rows = judged(
        {"Expires": "", "Authorized on": "2026-11-01", "Duration": "30 days"},
        {"Expires": "2026-12-25", "Authorized on": "2026-11-01", "Duration": "7"},
    )
    assert rows["expires"].tolist() == [pd.Timestamp("2026-12-01"), pd.Timestamp("2026-12-25")]
    assert rows["days_left"].tolist() == [9, 33]


def test_days_left_is_whole_days_and_zero_means_today():
    rows = judged({"Expires": "2026-11-22"}, {"Expires": "2026-11-23"}, {"Expires": "2026-11-20"})
    assert rows["days_left"].tolist() == [0, 1, -2]
    assert rows["health"].tolist() == ["expiring", "expiring", "expired"]


def test_warning_window_is_a_parameter():
    row = {"Expires": "2026-12-02"}  # 10 days left
    assert one(row, warn_days=7)["health"] == "ok"
    assert one(row, warn_days=10)["health"] == "expiring"
    assert one(row, warn_days=14)["issues"] == ("expiring_soon",)


def test_business_center_has_no_expiry_and_is_never_unknown():
    row = one({"Access": "business center", "Code": "", "Expires": ""})
    assert pd.isna(row["expires"]) and pd.isna(row["days_left"])
    assert row["health"] == "ok"


def test_duplicate_code_only_when_posts_differ():
    rows = judged({"Code": CODE}, {"Code": CODE}, {})
    assert rows["issues"].tolist() == [("duplicate_code",), ("duplicate_code",), ()]
    same_post = judged(
        {"Code": CODE, "Post URL": "https://www.tiktok.com/@amy/video/5"},
        {"Code": CODE, "Post URL": "https://tiktok.com/x/video/5"},
    )
    assert same_post["issues"].tolist() == [(), ()]


def test_rows_come_most_urgent_first():
    rows = diagnose(
        normalize(sheet({"Expires": "2027-01-01"}, {"Expires": "2026-11-25"}, {"Status": "revoked"})).frame, TODAY
    )
    assert rows["health"].tolist() == ["revoked", "expiring", "ok"]


def test_counts_list_every_state_and_issue():
    rows = judged({}, {"Status": "revoked"}, {"Code": ""}, {"Expires": "2026-11-24"})
    counts = health_counts(rows)
    assert list(counts) == list(HEALTH_ORDER)
    assert counts == {"revoked": 1, "expired": 0, "blocked": 0, "pending": 1, "expiring": 1, "unknown": 0, "ok": 1}
    issues = issue_counts(rows)
    assert list(issues) == list(ISSUE_ORDER)
    assert issues["code_revoked"] == 1 and issues["missing_code"] == 1 and issues["expiring_soon"] == 1
    assert sum(issues.values()) == 3


def test_needs_action_includes_ok_rows_with_an_issue():
    rows = judged({}, {"Expires": "2026-12-20", "Campaign end": "2027-01-10"}, {"Status": "revoked"})
    assert sorted(needs_action(rows)["row"].tolist()) == [3, 4]


def test_empty_frame_diagnoses_to_empty():
    rows = diagnose(normalize([HEADER]).frame, TODAY)
    assert rows.empty
    assert health_counts(rows)["ok"] == 0
    assert set(issue_counts(rows).values()) == {0}


def test_diagnose_does_not_change_its_input():
    frame = normalize(sheet({})).frame
    before = frame.copy()
    diagnose(frame, TODAY)
    pd.testing.assert_frame_equal(frame, before)


def test_a_code_recorded_as_unlimited_is_not_expiry_unknown():
    row = one({"Expires": "", "Duration": "unlimited"})
    assert row["health"] == "ok"


def test_a_code_ads_manager_rejected_is_a_damaged_code():
    row = one({"Status": "INVALID"})
    assert row["issues"] == ("invalid_code_format",)
    assert row["health"] == "blocked"


# --- the flags and counts, computed faster, judge as before ----------------------------------

TIKTOK_COLUMNS = [TIKTOK_STATUS, TIKTOK_POST_STATUS, TIKTOK_VISIBILITY, TIKTOK_IN_ADS_MANAGER]


def test_a_sheet_read_without_tiktok_is_judged_as_one_whose_tiktok_columns_are_all_empty():
    """Flags skip TikTok's columns when the frame has none; the answer must be what empty ones give."""
    table = sheet({}, {"Status": "Revoked"}, {"Visibility": "private"}, {"Code": ""}, {"Visibility": ""})
    frame = normalize(table).frame
    empty = frame.assign(**{name: pd.Series(pd.NA, index=frame.index, dtype=object) for name in TIKTOK_COLUMNS})
    pd.testing.assert_frame_equal(diagnose(frame, TODAY), diagnose(empty, TODAY).drop(columns=TIKTOK_COLUMNS))


codes_and_posts = st.lists(
    st.tuples(st.sampled_from([None, "#a", "#b", "#c"]), st.sampled_from([None, "1", "2", "3"])), max_size=30
)


@given(codes_and_posts)
def test_a_duplicate_code_is_one_written_against_more_than_one_post(rows):
    data = pd.DataFrame(rows, columns=["code", "post_key"], dtype="string")
    frame = Frame(data.assign(access_method="code"), pd.Timestamp(TODAY), 7)
    # What the flag was: distinct post keys per code, by groupby.
    same_code = data.loc[data["code"].notna()]
    posts_per_code = same_code.groupby("code")["post_key"].transform("nunique")
    expected = pd.Series(False, index=data.index)
    expected.loc[posts_per_code.index] = posts_per_code.to_numpy() > 1
    pd.testing.assert_series_equal(RULES[IssueId.DUPLICATE_CODE].flag(frame), expected)


@given(st.lists(st.lists(st.sampled_from(ISSUE_ORDER), max_size=4).map(tuple), max_size=40))
def test_issue_counts_count_every_issue_of_every_row(issues):
    diagnosed = pd.DataFrame({"issues": pd.Series(issues, dtype=object)})
    exploded = diagnosed["issues"].explode().value_counts()
    assert issue_counts(diagnosed) == {i: int(exploded.get(i, 0)) for i in ISSUE_ORDER}
