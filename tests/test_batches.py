"""Batches for Ads Manager: codes received but not applied, at most 20 per batch and ad account."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.batches import BATCH_COLUMNS, NO_AD_ACCOUNT, applied_column, batches, not_yet_applied, to_apply
from lib.codes import MASK
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.vocab import ADS_MANAGER_BATCH_LIMIT
from tests.fakes.tracking_sheet import HEADER, TODAY, code, day, judged, tracking_sheet


def pending_rows(n: int, account: str, start: int = 0) -> list[dict[str, str]]:
    return [
        {"Creator": f"c{start + i}", "Status": "pending", "Code": code(start + i), "Ad account": account}
        for i in range(n)
    ]


def test_status_rule_offers_received_codes_not_marked_active():
    frame = judged(
        {"Creator": "waiting", "Status": "pending"},
        {"Creator": "nostatus", "Status": ""},
        {"Creator": "requested", "Status": "Requested"},
        {"Creator": "active", "Status": "active"},
        {"Creator": "applied", "Status": "applied"},
        {"Creator": "revoked", "Status": "revoked"},
        {"Creator": "ended", "Status": "pending", "Expires": day(-1)},
        {"Creator": "expiredstatus", "Status": "expired", "Expires": ""},
        {"Creator": "damaged", "Status": "pending", "Code": "#abc 123"},
        {"Creator": "nocode", "Status": "pending", "Code": ""},
        {"Creator": "bc", "Status": "pending", "Access": "business center", "Code": "", "Expires": ""},
        {"Creator": "private", "Status": "pending", "Visibility": "private"},  # a code to apply all the same
        today=TODAY,
    )
    assert applied_column(frame) is None
    assert sorted(to_apply(frame)["creator"]) == ["@nostatus", "@private", "@requested", "@waiting"]


@pytest.mark.parametrize("status", ["paused", "on hold", "???", "Paused "])
def test_a_status_the_product_does_not_know_is_not_ready(status):
    """'paused' is flagged in the problems list; its code must not go into a batch as if blank."""
    normalized = normalize(
        tracking_sheet(
            {"Creator": "odd", "Status": status, "Code": code(1)},
            {"Creator": "odd2", "Status": status, "Code": code(2)},  # reported once, still not ready
            {"Creator": "blank", "Status": "", "Code": code(3)},
            {"Creator": "waiting", "Status": "pending", "Code": code(4)},
        )
    )
    frame = diagnose(normalized.frame, TODAY)
    assert sorted(to_apply(frame)["creator"]) == ["@blank", "@waiting"]
    assert dict(zip(frame["creator"], not_yet_applied(frame), strict=True)) == {
        "@odd": False,
        "@odd2": False,
        "@blank": True,
        "@waiting": True,
    }
    assert normalized.problems["problem"].str.startswith("Unknown status").any()
    assert all(code(n) not in "\n".join(batches(frame, reveal_codes=True)["codes"]) for n in (1, 2))


def test_an_applied_column_wins_over_the_status():
    header = [*HEADER, "Applied in Ads Manager"]
    rows = (
        {"Creator": "blank", "Status": "active", "Applied in Ads Manager": ""},
        {"Creator": "no", "Status": "active", "Applied in Ads Manager": "No"},
        {"Creator": "cross", "Applied in Ads Manager": "✗"},
        {"Creator": "yes", "Status": "pending", "Applied in Ads Manager": "yes"},
        {"Creator": "dated", "Status": "pending", "Applied in Ads Manager": "2026-11-20"},
        {"Creator": "done", "Applied in Ads Manager": "done"},
        {"Creator": "revoked", "Status": "revoked", "Applied in Ads Manager": "no"},
    )
    frame = diagnose(normalize(tracking_sheet(*rows, header=header)).frame, TODAY)
    assert applied_column(frame) == "applied_in_ads_manager"
    assert sorted(to_apply(frame)["creator"]) == ["@blank", "@cross", "@no"]
    flags = dict(zip(frame["creator"], not_yet_applied(frame), strict=True))
    assert flags["@revoked"] is True  # not applied, but withdrawn: `to_apply` leaves it out


def test_batches_never_exceed_the_limit_and_hold_every_code_once_per_account():
    rows = [*pending_rows(45, "LUMEN-US-01"), *pending_rows(3, "STRIDE-EU-02", 100), *pending_rows(2, "", 200)]
    frame = judged(*rows, today=TODAY)
    out = batches(frame, reveal_codes=True)
    assert list(out.columns) == BATCH_COLUMNS
    assert out[["ad_account", "batch", "batches", "size"]].values.tolist() == [
        [NO_AD_ACCOUNT, 1, 1, 2],
        ["LUMEN-US-01", 1, 3, 20],
        ["LUMEN-US-01", 2, 3, 20],
        ["LUMEN-US-01", 3, 3, 5],
        ["STRIDE-EU-02", 1, 1, 3],
    ]
    assert ADS_MANAGER_BATCH_LIMIT == 20
    assert out["size"].le(ADS_MANAGER_BATCH_LIMIT).all()
    pasted = out["codes"].str.split("\n")
    assert pasted.map(len).tolist() == out["size"].tolist()
    assert sorted(c for batch in pasted for c in batch) == sorted(r["Code"] for r in rows)
    assert sorted(r for batch in out["rows"] for r in batch) == sorted(frame["row"])


def test_codes_are_masked_unless_revealing_is_allowed():
    frame = judged(*pending_rows(3, "A1"), today=TODAY)
    masked = batches(frame)["codes"].iloc[0].split("\n")
    assert all(MASK in c for c in masked)
    assert not any(code(i) in masked for i in range(3))
    revealed = batches(frame, reveal_codes=True)["codes"].iloc[0].split("\n")
    assert sorted(revealed) == sorted(code(i) for i in range(3))


def test_one_code_twice_on_an_account_is_offered_once_and_accounts_fold_case():
    shared = code(7)
    frame = judged(
        {"Creator": "amy", "Status": "pending", "Code": shared, "Ad account": "LUMEN-US-01"},
        {"Creator": "amy", "Status": "pending", "Code": shared, "Ad account": " lumen-us-01"},
        {"Creator": "amy", "Status": "pending", "Code": shared, "Ad account": "STRIDE-EU-02"},
        today=TODAY,
    )
    out = batches(frame, reveal_codes=True)
    assert out[["ad_account", "size", "codes"]].values.tolist() == [
        ["LUMEN-US-01", 1, shared],
        ["STRIDE-EU-02", 1, shared],
    ]


def test_soonest_expiry_first_and_creators_listed_once():
    frame = judged(
        {"Creator": "late", "Status": "pending", "Expires": day(90), "Ad account": "A"},
        {"Creator": "soon", "Status": "pending", "Expires": day(3), "Ad account": "A"},
        {"Creator": "soon", "Status": "pending", "Expires": day(10), "Ad account": "A"},
        {"Creator": "undated", "Status": "pending", "Expires": "", "Ad account": "A"},
        today=TODAY,
    )
    out = batches(frame, limit=2, reveal_codes=True)
    assert out["creators"].tolist() == ["@soon", "@late, @undated"]
    by_row = frame.set_index("row")
    first_codes = out["codes"].iloc[0].split("\n")
    assert first_codes == [by_row.loc[r, "code"] for r in out["rows"].iloc[0]]
    assert [by_row.loc[r, "days_left"] for r in out["rows"].iloc[0]] == [3, 10]


def test_nothing_to_apply_gives_an_empty_frame_with_the_columns():
    frame = judged({"Status": "active"}, today=TODAY)
    out = batches(frame)
    assert out.empty and list(out.columns) == BATCH_COLUMNS


def test_a_limit_below_one_is_refused():
    frame = judged({"Status": "pending"}, today=TODAY)
    with pytest.raises(ValueError, match="at least one"):
        batches(frame, limit=0)


@given(sizes=st.lists(st.integers(min_value=0, max_value=65), min_size=1, max_size=4))
def test_any_mix_of_accounts_splits_into_full_batches_then_one_remainder(sizes):
    rows = [r for n, size in enumerate(sizes) for r in pending_rows(size, f"ACC-{n}", start=100 * n)]
    if not rows:
        return
    out = batches(judged(*rows, today=TODAY))
    assert out["size"].between(1, ADS_MANAGER_BATCH_LIMIT).all()
    per_account = out.groupby("ad_account")["size"].agg(list)
    for n, size in enumerate(sizes):
        if size:
            expected = [20] * (size // 20) + ([size % 20] if size % 20 else [])
            assert per_account[f"ACC-{n}"] == expected
    assert (out["batches"] == out.groupby("ad_account")["batch"].transform("count")).all()
