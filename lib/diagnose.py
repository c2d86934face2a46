"""Judge every authorization: its expiry, days left, health state and issues.

Each issue rule (`lib.rules`) flags its rows over the whole frame at once, and the health
state is the worst that applies. `today` and the warning window are parameters, so the same frame can be judged
for any day (the command line's `--today`, the tests, the team's time zone).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa

from lib.columnar import text_series
from lib.columns import EXPIRES_FROM, FROM_SHEET, FROM_TIKTOK, SHEET_EXPIRES, TIKTOK_ENDS_ON
from lib.rules import BLOCKING, BY_PRIORITY, ISSUE_ORDER, RULES, Frame, IssueId
from lib.vocab import DEFAULT_WARN_DAYS, HEALTH_ORDER, HealthId

HEALTH_DTYPE = pd.CategoricalDtype([h.value for h in HEALTH_ORDER], ordered=True)


def diagnose(frame: pd.DataFrame, today: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> pd.DataFrame:
    """A copy of the normalised frame with `expires`, `days_left`, `health` and `issues` added.

    `expires` is TikTok's end date where the frame was reconciled with TikTok and TikTok knows
    it, else the sheet's; `sheet_expires` is the sheet's own and `expires_from` says which won.

    `issues` holds a tuple of issue ids per row, the one to work on first leading
    (`Rule.priority`: whatever stops the ad comes before what will stop it later).

    Rows come back most urgent first: by health (worst first), then fewest days left.
    """
    out = frame.copy()
    today_ts = pd.Timestamp(today)
    uses_code = out["access_method"].fillna("code").eq("code").to_numpy()

    computed = out["authorized_on"] + pd.to_timedelta(out["duration_days"].astype("float64"), unit="D")
    sheet = out["expires_on"].fillna(computed)
    # TikTok's end date wins where TikTok was read and knows it (`lib.reconcile`).
    tiktok = out[TIKTOK_ENDS_ON] if TIKTOK_ENDS_ON in out else pd.Series(pd.NaT, index=out.index, dtype=sheet.dtype)
    expires = tiktok.astype(sheet.dtype).fillna(sheet)
    # Business Center links have no end date of their own.
    expires = expires.where(uses_code)
    out["expires"] = expires
    out[SHEET_EXPIRES] = sheet.where(uses_code)
    # Which won, as an index into (TikTok, the sheet, neither): text is made by pyarrow, not per row.
    source = np.select([tiktok.notna().to_numpy(), sheet.notna().to_numpy()], [0, 1], default=2)
    source[expires.isna().to_numpy()] = 2
    words = pa.array([FROM_TIKTOK, FROM_SHEET, None], pa.large_string())
    out[EXPIRES_FROM] = text_series(words.take(pa.array(source)), out.index)
    days_left = (expires - today_ts).dt.days
    out["days_left"] = days_left.astype("Int64")

    flags = issue_flags(out, today_ts, warn_days)
    out["issues"] = _issue_lists(flags)

    # A code the team recorded as unlimited has no end date to know.
    no_end = out["no_end"].to_numpy(dtype=bool) if "no_end" in out else np.zeros(len(out), dtype=bool)
    states = {
        HealthId.REVOKED: flags[IssueId.CODE_REVOKED].to_numpy(),
        HealthId.EXPIRED: flags[IssueId.CODE_EXPIRED].to_numpy(),
        HealthId.BLOCKED: flags[list(BLOCKING)].any(axis=1).to_numpy(),
        HealthId.PENDING: flags[IssueId.MISSING_CODE].to_numpy(),
        HealthId.EXPIRING: flags[IssueId.EXPIRING_SOON].to_numpy(),
        HealthId.UNKNOWN: uses_code & expires.isna().to_numpy() & ~no_end,
    }
    # The worst state that applies, as its position among the categories.
    order = list(HEALTH_DTYPE.categories)
    health = np.select(list(states.values()), [order.index(s.value) for s in states], default=order.index(HealthId.OK))
    out["health"] = pd.Categorical.from_codes(health, dtype=HEALTH_DTYPE)
    return out.sort_values(["health", "days_left", "row"], na_position="last", kind="stable").reset_index(drop=True)


def issue_flags(frame: pd.DataFrame, today: pd.Timestamp, warn_days: int) -> pd.DataFrame:
    """One boolean column per issue id, in reading order (missing facts never flag)."""
    facts = Frame(frame, today, warn_days)
    return pd.DataFrame({i: RULES[i].flag(facts).fillna(False).astype(bool) for i in ISSUE_ORDER})


def _issue_lists(flags: pd.DataFrame) -> pd.Series:
    """Per row, the tuple of issue ids that apply.

    Rows share a handful of flag combinations, so each row's flags are packed into one
    integer and each distinct integer is turned into its tuple once, highest priority first.
    """
    ids = list(BY_PRIORITY)
    bits = np.zeros(len(flags), dtype=np.int64)
    for n, issue in enumerate(ids):  # one column at a time: no 100,000 x 14 matrix of int64
        bits |= flags[issue].to_numpy(dtype=np.int64) << n
    inverse, patterns = pd.factorize(bits)  # hashed, not sorted
    tuples = np.empty(len(patterns), dtype=object)
    tuples[:] = [tuple(i for n, i in enumerate(ids) if p >> n & 1) for p in patterns]
    return pd.Series(tuples[inverse], index=flags.index, dtype=object)


def health_counts(diagnosed: pd.DataFrame) -> dict[HealthId, int]:
    """Rows per health state, every state present (zero included), worst first."""
    counts = diagnosed["health"].value_counts()
    return {state: int(counts.get(state, 0)) for state in HEALTH_ORDER}


def issue_counts(diagnosed: pd.DataFrame) -> dict[IssueId, int]:
    """Rows per issue id, every id present (zero included), in reading order.

    Rows share a few hundred lists of issues: each distinct list is counted once, then its
    issues (instead of exploding 100,000 lists into a column of their items).
    """
    counts: Counter[str] = Counter()
    for issues, rows in Counter(map(tuple, diagnosed["issues"])).items():
        for issue in issues:
            counts[issue] += rows
    return {issue_id: counts[issue_id] for issue_id in ISSUE_ORDER}


def needs_action(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """Rows that are not ok, or ok today with an issue to fix; most urgent first.

    A code that ends before the campaign does is `ok` today but still needs a message to
    the creator, so it belongs on the list too.
    """
    issues = diagnosed["issues"].to_numpy(dtype=object)
    has_issue = np.fromiter(map(len, issues), dtype=np.int64, count=len(issues)) > 0
    return diagnosed.loc[(diagnosed["health"] != HealthId.OK).to_numpy() | has_issue]
