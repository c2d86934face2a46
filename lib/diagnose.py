"""Judge every authorization: its expiry, days left, health state and issues.

The rules are those of the product's vocabulary (`lib.vocab`): each issue is one boolean
column computed over the whole frame at once, and the health state is the worst that
applies. `today` and the warning window are parameters, so the same frame can be judged
for any day (the command line's `--today`, the tests, the team's time zone).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lib.codes import looks_like_code
from lib.vocab import BLOCKING_ISSUES, DEFAULT_WARN_DAYS, HEALTH_ORDER, ISSUE_ORDER

HEALTH_DTYPE = pd.CategoricalDtype(list(HEALTH_ORDER), ordered=True)


def diagnose(frame: pd.DataFrame, today: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> pd.DataFrame:
    """A copy of the normalised frame with `expires`, `days_left`, `health` and `issues` added.

    `issues` holds a tuple of issue ids per row, in the vocabulary's order.

    Rows come back most urgent first: by health (worst first), then fewest days left.
    """
    out = frame.copy()
    today_ts = pd.Timestamp(today)
    uses_code = out["access_method"].fillna("code").eq("code").to_numpy()

    computed = out["authorized_on"] + pd.to_timedelta(out["duration_days"].astype("float64"), unit="D")
    expires = out["expires_on"].fillna(computed)
    # Business Center links have no end date of their own.
    expires = expires.where(uses_code)
    out["expires"] = expires
    days_left = (expires - today_ts).dt.days
    out["days_left"] = days_left.astype("Int64")

    flags = issue_flags(out, today_ts, warn_days)
    out["issues"] = _issue_lists(flags)

    revoked = flags["code_revoked"].to_numpy()
    expired = flags["code_expired"].to_numpy()
    blocked = flags[list(BLOCKING_ISSUES)].any(axis=1).to_numpy()
    pending = flags["missing_code"].to_numpy()
    expiring = flags["expiring_soon"].to_numpy()
    # A code the team recorded as unlimited has no end date to know.
    no_end = out["no_end"].to_numpy(dtype=bool) if "no_end" in out else np.zeros(len(out), dtype=bool)
    unknown = uses_code & expires.isna().to_numpy() & ~no_end
    health = np.select(
        [revoked, expired, blocked, pending, expiring, unknown],
        HEALTH_ORDER[:-1],
        default="ok",
    )
    out["health"] = pd.Categorical(health, dtype=HEALTH_DTYPE)
    return out.sort_values(["health", "days_left", "row"], na_position="last", kind="stable").reset_index(drop=True)


def issue_flags(frame: pd.DataFrame, today: pd.Timestamp, warn_days: int) -> pd.DataFrame:
    """One boolean column per issue id, in the vocabulary's order."""
    uses_code = frame["access_method"].fillna("code").eq("code")
    code = frame["code"]
    has_code = code.notna()
    expires = frame["expires"]
    days_left = frame["days_left"]
    status = frame["status"]

    same_code = frame.loc[has_code, ["code", "post_key"]]
    posts_per_code = same_code.groupby("code")["post_key"].transform("nunique")
    duplicate = pd.Series(False, index=frame.index)
    duplicate.loc[posts_per_code.index] = posts_per_code.to_numpy() > 1

    regions_known = frame["creator_region"].notna() & frame["ad_account_region"].notna()
    flags = {
        "code_expired": (expires < today) | (status.eq("expired") & expires.isna()),
        "code_revoked": status.eq("revoked"),
        "expiring_soon": days_left.between(0, warn_days),
        "expires_before_campaign_end": expires < frame["campaign_end"],
        "missing_code": uses_code & ~has_code,
        "invalid_code_format": (has_code & ~looks_like_code(code)) | status.eq("rejected"),
        "duplicate_code": duplicate,
        "region_mismatch": regions_known & frame["creator_region"].ne(frame["ad_account_region"]),
        "post_not_public": frame["post_visibility"].notna() & frame["post_visibility"].ne("public"),
        "custom_identity": frame["identity"].eq("custom"),
        "bc_not_shared": ~uses_code & frame["ad_delivery_permission"].eq(False),
    }
    return pd.DataFrame({k: flags[k].fillna(False).astype(bool) for k in ISSUE_ORDER})


def _issue_lists(flags: pd.DataFrame) -> pd.Series:
    """Per row, the tuple of issue ids that apply.

    Rows share a handful of flag combinations, so each row's flags are packed into one
    integer and each distinct integer is turned into its tuple once.
    """
    ids = list(flags.columns)
    bits = flags.to_numpy(dtype=np.int64) @ (1 << np.arange(len(ids), dtype=np.int64))
    patterns, inverse = np.unique(bits, return_inverse=True)
    tuples = np.empty(len(patterns), dtype=object)
    tuples[:] = [tuple(i for n, i in enumerate(ids) if p >> n & 1) for p in patterns]
    return pd.Series(tuples[inverse], index=flags.index, dtype=object)


def health_counts(diagnosed: pd.DataFrame) -> dict[str, int]:
    """Rows per health state, every state present (zero included), worst first."""
    counts = diagnosed["health"].value_counts()
    return {state: int(counts.get(state, 0)) for state in HEALTH_ORDER}


def issue_counts(diagnosed: pd.DataFrame) -> dict[str, int]:
    """Rows per issue id, every id present (zero included), in the vocabulary's order."""
    counts = diagnosed["issues"].explode().value_counts()
    return {issue_id: int(counts.get(issue_id, 0)) for issue_id in ISSUE_ORDER}


def needs_action(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """Rows that are not ok, or ok today with an issue to fix; most urgent first.

    A code that ends before the campaign does is `ok` today but still needs a message to
    the creator, so it belongs on the list too.
    """
    has_issue = diagnosed["issues"].map(len).gt(0)
    return diagnosed.loc[(diagnosed["health"] != "ok") | has_issue]
