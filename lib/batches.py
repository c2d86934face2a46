"""Codes received but not yet applied, cut into batches Ads Manager takes in one go.

Ads Manager's Creative library accepts at most `ADS_MANAGER_BATCH_LIMIT` (20) codes per
"Add code" and a code is applied per ad account, so the advertiser gets one paste-ready list
per ad account and batch instead of copying codes cell by cell.

When is a code "received but not yet applied"? The sheet says so in one of two ways:

1. It has an *applied* column (headed e.g. "Applied", "Applied in Ads Manager", "In Ads
   Manager", "Code applied"): a row is not applied while that cell is empty or says no
   ("no", "n", "false", "0", "✗"). Anything else ("yes", a date, "done") means applied.
2. Otherwise the status tells: `pending` (or a synonym such as "waiting"/"requested") or an
   empty status, while a code is already in the row. The team marks a code `active` (or
   "applied"/"live") once it is in Ads Manager. A status the product does not know ("paused")
   is not ready: it is flagged in the sheet's problems, and nobody can tell whether the code
   is already in Ads Manager until the team writes a status the product reads.

Either way only codes that can still work are offered: code access, a code of the right
shape, not withdrawn and not past its end date. A code appearing twice for one ad account is
offered once. Batches show whole codes, so they are for people allowed to see codes: callers
pass `reveal_codes=True` only for them; otherwise the codes come back masked.
"""

from __future__ import annotations

import pandas as pd

from lib.bidi import isolate
from lib.codes import looks_like_code, mask_codes
from lib.columns import STATUS_UNREAD
from lib.normalize import header_key
from lib.vocab import ADS_MANAGER_BATCH_LIMIT, BOOLEAN_VALUES, ENDED, Status

APPLIED_COLUMNS: tuple[str, ...] = tuple(
    header_key(h) for h in ("Applied", "Applied?", "Applied in Ads Manager", "In Ads Manager", "Code applied")
)
"""Headers (folded as the normaliser folds them) of a column that says whether a code was applied."""

NO_AD_ACCOUNT = "(no ad account in the sheet)"
BATCH_COLUMNS = ["ad_account", "batch", "batches", "size", "codes", "rows", "creators"]
_NOT_APPLIED_STATUS = (Status.PENDING,)


def applied_column(frame: pd.DataFrame) -> str | None:
    """The frame's applied column, when the sheet has one."""
    return next((c for c in APPLIED_COLUMNS if c in frame.columns), None)


def not_yet_applied(diagnosed: pd.DataFrame) -> pd.Series:
    """True for rows whose code was received but, by the sheet's own record, not yet applied."""
    column = applied_column(diagnosed)
    if column is not None:
        said = diagnosed[column].astype("string").str.strip().str.lower()
        return (said.isna() | said.eq("") | said.map(BOOLEAN_VALUES).eq(False)).fillna(False).astype(bool)
    status = diagnosed["status"]
    unread = diagnosed[STATUS_UNREAD] if STATUS_UNREAD in diagnosed else pd.Series(False, index=diagnosed.index)
    blank = status.isna() & ~unread.fillna(False).astype(bool)
    return (blank | status.isin(_NOT_APPLIED_STATUS)).fillna(False).astype(bool)


def to_apply(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """Rows whose code is waiting to be applied and can still work, soonest expiry first."""
    uses_code = diagnosed["access_method"].fillna("code").eq("code")
    usable = uses_code & looks_like_code(diagnosed["code"]) & ~diagnosed["health"].isin(ENDED)
    rows = diagnosed.loc[usable & not_yet_applied(diagnosed)]
    return rows.sort_values(["days_left", "row"], na_position="last", kind="stable")


def batches(
    diagnosed: pd.DataFrame, *, limit: int = ADS_MANAGER_BATCH_LIMIT, reveal_codes: bool = False
) -> pd.DataFrame:
    """One row per (ad account, batch): at most `limit` codes, one per line, ready to paste.

    Columns: ad_account, batch (1-based), batches (how many for that account), size, codes
    (text, one code per line), rows (sheet row numbers), creators (comma-joined).
    """
    if limit < 1:
        raise ValueError("A batch holds at least one code.")
    rows = to_apply(diagnosed)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in BATCH_COLUMNS})
    account = rows["ad_account"].astype("string").str.strip().replace({"": pd.NA})
    key = account.str.casefold().fillna("")
    rows = rows.assign(_key=key, _code=rows["code"].astype("string")).drop_duplicates(["_key", "_code"])
    names = account.loc[rows.index].groupby(rows["_key"]).transform("first").fillna(NO_AD_ACCOUNT)
    shown = rows["_code"] if reveal_codes else mask_codes(rows["_code"])
    rows = rows.assign(
        _account=names,
        _shown=shown,
        _batch=rows.groupby("_key").cumcount() // limit + 1,
    )
    grouped = rows.groupby(["_key", "_batch"], sort=True)
    out = pd.DataFrame(
        {
            "ad_account": grouped["_account"].first(),
            "batch": grouped["_batch"].first(),
            "size": grouped.size(),
            "codes": grouped["_shown"].agg("\n".join),
            # One list per group is what pandas makes of it; the stubs' bound for agg leaves lists out.
            "rows": grouped["row"].agg(lambda r: [int(x) for x in r]),  # type: ignore[type-var]
            # Each handle isolated, so a right-to-left one cannot reorder the list around it.
            "creators": grouped["creator"].agg(lambda c: ", ".join(map(isolate, dict.fromkeys(c.dropna())))),
        }
    ).reset_index(drop=True)
    out["batches"] = out.groupby("ad_account")["batch"].transform("max")
    return out[BATCH_COLUMNS]
