"""Act on the team's ad accounts: apply received codes, unbind posts whose authorization is over.

Both go in two steps, so a person (or the command line's --dry-run) sees what will happen
before anything does:

1. a plan (`apply_plan`, `unbind_plan`): pure, from the diagnosed (and, when TikTok was read,
   reconciled) frame — one row per candidate, `ready` or the plain reason it is skipped. The
   pre-checks for applying: the code has a code's shape, it is not written against another
   post, it is not already in an ad account, its authorization has not ended or been
   withdrawn, its post was not deleted, and the same code is applied once;
2. the run (`apply_codes`, `unbind_posts`): one request per ready row (`POST /tt_video/authorize/`,
   `POST /tt_video/unbind/`), each result kept, TikTok's refusals decoded by the error decoder
   (`lib.decoder`) where it knows them, and each attempt appended to the action log
   (`lib.actionlog`) with who, when, the post and the code masked. A failure that is not about
   one code (the token refused, TikTok down) stops the run: the rest are reported as not tried.

Results never hold a whole code: `code` in a plan is the whole code (the run needs it), and
`shown` is the masked one for any page or output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from lib.actionlog import append_action, entry
from lib.batches import not_yet_applied
from lib.codes import clean_codes, looks_like_code, mask_codes
from lib.columns import (
    TIKTOK_ADVERTISER,
    TIKTOK_IN_ADS_MANAGER,
    TIKTOK_ITEM,
    TIKTOK_POST_STATUS,
    TIKTOK_STATUS,
)
from lib.decoder import decode_error
from lib.errors import TikTokError
from lib.rules import IssueId
from lib.symptoms import AdsError
from lib.tiktok.api import TikTokApi, TikTokRefusal
from lib.tiktok.statuses import DELETED, AuthStatus
from lib.vocab import ENDED

PLAN_COLUMNS = ["row", "creator", "post", "item_id", "advertiser_id", "code", "shown", "ready", "reason"]
"""A plan: `code` whole (for the run only), `shown` masked; `ready` False with `reason` said plainly."""

APPLIED, UNBOUND, REFUSED, NOT_TRIED, WOULD = "applied", "unbound", "refused", "not tried", "would do"
ACTION_BUDGET = 300.0
"""Seconds all of one run (applying or unbinding) may take with TikTok: a few hundred codes, one request each."""


@dataclass(frozen=True)
class ActionResult:
    """What happened to one row of a plan. `shown` is the masked code; `error` TikTok's error, decoded."""

    row: int
    creator: str
    post: str
    shown: str
    outcome: str
    """`APPLIED`, `UNBOUND`, `REFUSED`, `NOT_TRIED`, or `WOULD` (a dry run)."""
    detail: str = ""
    error: AdsError | None = None
    tiktok_code: int | None = None


@dataclass(frozen=True)
class ActionRun:
    results: tuple[ActionResult, ...]
    stopped: str | None = None
    """Why the run stopped before the end (a plain sentence), or None."""

    @property
    def done(self) -> int:
        return sum(r.outcome in (APPLIED, UNBOUND) for r in self.results)

    @property
    def refused(self) -> int:
        return sum(r.outcome == REFUSED for r in self.results)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(pd.NA, index=frame.index, dtype="object")


def _says(frame: pd.DataFrame, name: str, *values: object) -> pd.Series:
    return _column(frame, name).isin(values).fillna(False).astype(bool)


def apply_plan(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """The codes waiting to be applied, each `ready` or skipped for a plain `reason` (`PLAN_COLUMNS`).

    Waiting: a code the sheet records as not applied yet (`lib.batches`), or one TikTok says no
    ad account holds. Soonest end first, then sheet order.
    """
    uses_code = diagnosed["access_method"].fillna("code").eq("code")
    has_code = diagnosed["code"].notna()
    waiting = uses_code & has_code & (not_yet_applied(diagnosed) | _says(diagnosed, TIKTOK_IN_ADS_MANAGER, False))
    rows = diagnosed.loc[waiting].sort_values(["days_left", "row"], na_position="last", kind="stable")
    codes = clean_codes(rows["code"].astype("string"))
    issues = rows["issues"].map(set)
    repeated = codes.duplicated() & codes.notna()
    held = _says(rows, TIKTOK_IN_ADS_MANAGER, True)
    ended = rows["health"].isin(ENDED) | _says(rows, TIKTOK_STATUS, AuthStatus.EXPIRED)
    deleted = _says(rows, TIKTOK_POST_STATUS, *DELETED)
    reasons = [
        (~looks_like_code(codes), "The code does not have a code's shape: ask the creator to copy it again."),
        (
            issues.map(lambda i: IssueId.DUPLICATE_CODE in i).astype(bool),
            "The same code is written against another post.",
        ),
        (repeated, "The same code is applied once, for an earlier row."),
        (held, "Already in an ad account (TikTok says so)."),
        (ended, "The authorization has ended or was withdrawn: a new code is needed."),
        (deleted, "The post was deleted: a code for another post is needed."),
    ]
    reason = np.select([c.to_numpy(dtype=bool) for c, _ in reasons], [r for _, r in reasons], default="")
    return _plan(rows, codes, reason)


def unbind_plan(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """Posts an ad account still holds although their authorization ended, was withdrawn or the post is gone.

    Only rows TikTok matched (it names the ad account and its id of the post) are candidates.
    """
    advertiser = _column(diagnosed, TIKTOK_ADVERTISER)
    item = _column(diagnosed, TIKTOK_ITEM)
    over = (
        diagnosed["health"].isin(ENDED)
        | _says(diagnosed, TIKTOK_STATUS, AuthStatus.EXPIRED)
        | _says(diagnosed, TIKTOK_POST_STATUS, *DELETED)
    )
    rows = diagnosed.loc[advertiser.notna() & item.notna() & over].sort_values("row", kind="stable")
    rows = rows.drop_duplicates([TIKTOK_ADVERTISER, TIKTOK_ITEM])
    return _plan(rows, clean_codes(rows["code"].astype("string")), np.full(len(rows), "", dtype=object))


def _plan(rows: pd.DataFrame, codes: pd.Series, reason: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": rows["row"].astype("int64"),
            "creator": rows["creator"].astype("string"),
            "post": rows["post"].astype("string"),
            "item_id": _column(rows, TIKTOK_ITEM).astype("string"),
            "advertiser_id": _column(rows, TIKTOK_ADVERTISER).astype("string"),
            "code": codes,
            "shown": mask_codes(codes),
            "ready": reason == "",
            "reason": reason,
        },
        columns=PLAN_COLUMNS,
    ).reset_index(drop=True)


def apply_codes(
    api: TikTokApi | None,
    advertiser_id: str,
    plan: pd.DataFrame,
    *,
    who: str,
    log: Path | None,
    dry_run: bool = False,
    now: Callable[[], dt.datetime] | None = None,
) -> ActionRun:
    """Apply every ready code of `plan` to `advertiser_id`, one request each; `dry_run` sends nothing.

    `api` may be None only for a dry run (a plan shown before any token is set up).
    """
    if api is None and not dry_run:
        raise ValueError("applying codes needs a TikTok client")

    def send(row: dict[str, Any]) -> None:
        assert api is not None  # checked above: a dry run never sends
        api.post("/tt_video/authorize/", {"advertiser_id": advertiser_id, "auth_code": row["code"]})

    return _run(plan, send, "apply", lambda _: advertiser_id, APPLIED, who=who, log=log, dry_run=dry_run, now=now)


def unbind_posts(
    api: TikTokApi,
    plan: pd.DataFrame,
    *,
    who: str,
    log: Path | None,
    dry_run: bool = False,
    now: Callable[[], dt.datetime] | None = None,
) -> ActionRun:
    """Unbind every post of `plan` from the ad account that holds it; `dry_run` sends nothing."""

    def send(row: dict[str, Any]) -> None:
        api.post("/tt_video/unbind/", {"advertiser_id": row["advertiser_id"], "item_id": row["item_id"]})

    return _run(
        plan, send, "unbind", lambda r: str(r["advertiser_id"]), UNBOUND, who=who, log=log, dry_run=dry_run, now=now
    )


def _run(
    plan: pd.DataFrame,
    send: Callable[[dict[str, Any]], None],
    action: str,
    account: Callable[[dict[str, Any]], str],
    success: str,
    *,
    who: str,
    log: Path | None,
    dry_run: bool,
    now: Callable[[], dt.datetime] | None,
) -> ActionRun:
    results: list[ActionResult] = []
    stopped: str | None = None
    rows = cast("list[dict[str, Any]]", plan.astype(object).where(plan.notna(), None).to_dict(orient="records"))
    for row in rows:
        number, post = int(row["row"]), str(row["post"] or row["item_id"] or "")
        shown, creator = str(row["shown"] or ""), str(row["creator"] or "")

        def said(
            outcome: str, detail: str = "", error: AdsError | None = None, code: int | None = None
        ) -> ActionResult:
            return ActionResult(number, creator, post, shown, outcome, detail, error, code)  # noqa: B023 - used at once

        if not row["ready"]:
            results.append(said(NOT_TRIED, str(row["reason"])))
            continue
        if dry_run or stopped:
            results.append(said(WOULD) if dry_run else said(NOT_TRIED, stopped or ""))
            continue
        try:
            send(row)
            result = said(success)
        except TikTokRefusal as refusal:
            answer = f"{refusal.code} {refusal.tiktok_message}".strip()
            result = said(REFUSED, answer, decode_error(answer), refusal.code)
        except TikTokError as error:
            stopped = str(error)
            result = said(NOT_TRIED, stopped)
        results.append(result)
        if log is not None and result.outcome != NOT_TRIED:
            line = entry(
                who=who,
                action=action,
                advertiser_id=account(row),
                post=post,
                code=row["code"],
                outcome=result.outcome,
                detail=result.detail,
                row=number,
                now=now() if now else None,
            )
            append_action(log, line)
    return ActionRun(tuple(results), stopped)
