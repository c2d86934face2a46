"""Every issue the product knows, one typed rule each: the single place to add or change one.

A rule carries everything the product does with an issue: its words (label, cause, steps,
who fixes it), whether it blocks a still-in-date authorization, its priority for "what to do
first", the flag that finds it in the whole frame at once, the check the symptom picker runs
on one row, and what to ask the creator, if anything. The diagnosis, the symptom picker, the
creator messages, the action list and the exports all read these rules, so adding an issue
is one `IssueId` member, one `Rule` here and a demo row that shows it (`lib/demo.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd

from lib.bidi import isolate
from lib.codes import looks_like_code, mask_code
from lib.columns import (
    SHEET_EXPIRES,
    TIKTOK_ADVERTISER,
    TIKTOK_ENDS_ON,
    TIKTOK_IN_ADS_MANAGER,
    TIKTOK_POST_STATUS,
    TIKTOK_STATUS,
    TIKTOK_VISIBILITY,
)
from lib.tiktok.statuses import DELETED, AuthStatus, post_status_words
from lib.vocab import Status
from lib.words import days, days_left, human_date, relative_day


class IssueId(StrEnum):
    """Issue ids: what the sheet, the CLI's JSON and the tests call each issue.

    Listed in the order people read them (charts, counts, the issue filter)."""

    CODE_EXPIRED = "code_expired"
    CODE_REVOKED = "code_revoked"
    EXPIRING_SOON = "expiring_soon"
    EXPIRES_BEFORE_CAMPAIGN_END = "expires_before_campaign_end"
    MISSING_CODE = "missing_code"
    INVALID_CODE_FORMAT = "invalid_code_format"
    DUPLICATE_CODE = "duplicate_code"
    REGION_MISMATCH = "region_mismatch"
    POST_NOT_PUBLIC = "post_not_public"
    CUSTOM_IDENTITY = "custom_identity"
    BC_NOT_SHARED = "bc_not_shared"
    # Known only from TikTok itself (`lib.reconcile`): never flagged for a sheet read alone.
    POST_DELETED = "post_deleted"
    NOT_IN_ADS_MANAGER = "not_in_ads_manager"
    SHEET_END_DIFFERS = "sheet_end_differs"


# ---------------------------------------------------------------------------
# What the flags and checks read.


@dataclass(frozen=True)
class Frame:
    """The whole diagnosed frame as the vectorised flags read it (expiry already worked out)."""

    data: pd.DataFrame
    today: pd.Timestamp
    warn_days: int

    @property
    def uses_code(self) -> pd.Series:
        """Rows authorized by a code (the default) rather than a Business Center link."""
        return self.data["access_method"].fillna("code").eq("code")

    @property
    def has_code(self) -> pd.Series:
        return self.data["code"].notna()

    def status_is(self, status: Status) -> pd.Series:
        return self.data["status"].eq(status)

    def column(self, name: str) -> pd.Series:
        """A column, or all-missing when the frame lacks it (TikTok's columns, on a sheet read alone)."""
        if name in self.data:
            return self.data[name]
        return pd.Series(pd.NA, index=self.data.index, dtype="object")

    def says(self, name: str, value: str | bool) -> pd.Series:
        """True where the column holds `value`; False where it holds anything else, is missing or is absent."""
        return self.holds_any(name, [value])

    def holds_any(self, name: str, values: Iterable[str | bool]) -> pd.Series:
        """True where the column holds one of `values`; False where it is missing or absent."""
        if name not in self.data:  # a sheet read without TikTok: nothing to compare (and 100,000 missing values)
            return pd.Series(False, index=self.data.index)
        return self.data[name].isin(list(values)).fillna(False).astype(bool)

    @property
    def visibility(self) -> pd.Series:
        """The post's visibility: TikTok's where it says, else the sheet's."""
        if TIKTOK_VISIBILITY not in self.data:
            return self.data["post_visibility"].astype("string")
        return self.column(TIKTOK_VISIBILITY).astype("string").fillna(self.data["post_visibility"])


@dataclass(frozen=True)
class RowFacts:
    """The few facts about one diagnosed row that the picker's checks read, missing values as None."""

    issues: tuple[str, ...]
    uses_code: bool
    code: str | None
    expires: dt.date | None
    days_left: int | None
    campaign_end: dt.date | None
    creator_region: str | None
    ad_account_region: str | None
    visibility: str | None
    identity: str | None
    ad_delivery: bool | None
    checked_with_tiktok: bool = False
    """TikTok was read for this row's frame: its silence on a row means something."""
    tiktok_status: str | None = None
    tiktok_ends_on: dt.date | None = None
    tiktok_post_status: str | None = None
    tiktok_visibility: str | None = None
    advertiser_id: str | None = None
    in_ads_manager: bool | None = None
    sheet_expires: dt.date | None = None

    @classmethod
    def of(cls, row: pd.Series) -> RowFacts:
        def value(name: str) -> Any:
            v = row.get(name)
            return None if v is None or (not isinstance(v, list | tuple) and pd.isna(v)) else v

        def date(name: str) -> dt.date | None:
            v = value(name)
            return None if v is None else pd.Timestamp(v).date()

        days = value("days_left")
        delivery = value("ad_delivery_permission")
        return cls(
            issues=tuple(value("issues") or ()),
            uses_code=(value("access_method") or "code") == "code",
            code=value("code"),
            expires=date("expires"),
            days_left=None if days is None else int(days),
            campaign_end=date("campaign_end"),
            creator_region=value("creator_region"),
            ad_account_region=value("ad_account_region"),
            visibility=value("post_visibility"),
            identity=value("identity"),
            ad_delivery=None if delivery is None else bool(delivery),
            checked_with_tiktok=TIKTOK_IN_ADS_MANAGER in row.index,
            tiktok_status=value(TIKTOK_STATUS),
            tiktok_ends_on=date(TIKTOK_ENDS_ON),
            tiktok_post_status=value(TIKTOK_POST_STATUS),
            tiktok_visibility=value(TIKTOK_VISIBILITY),
            advertiser_id=value(TIKTOK_ADVERTISER),
            in_ads_manager=None if value(TIKTOK_IN_ADS_MANAGER) is None else bool(value(TIKTOK_IN_ADS_MANAGER)),
            sheet_expires=date(SHEET_EXPIRES),
        )


VerdictState = Literal["confirmed", "possible", "ruled_out"]


@dataclass(frozen=True)
class Verdict:
    """What one row of the sheet says about one cause, in a plain sentence."""

    state: VerdictState
    reason: str


def confirmed(reason: str) -> Verdict:
    return Verdict("confirmed", reason)


def possible(reason: str) -> Verdict:
    return Verdict("possible", reason)


def ruled_out(reason: str) -> Verdict:
    return Verdict("ruled_out", f"{reason}: not this.")


# ---------------------------------------------------------------------------
# What a creator is asked to do in the TikTok app.

OPEN_POST = "Open the post in the TikTok app and tap the … (more) button."
OPEN_AGAIN = "Back on the post, tap the … (more) button again."
NEW_CODE_STEPS = (
    OPEN_POST,
    "Tap Ad settings and turn on ad authorization.",
    "Choose the authorization duration: {duration} days.",
    "Tap Generate, then Copy code, and send the code back to us.",
)
PUBLIC_STEPS = (
    OPEN_POST,
    "Tap Privacy settings and set who can watch it to Everyone.",
    "Please keep it public until the campaign is over.",
)
RECOPY_STEPS = (
    OPEN_POST,
    "Tap Ad settings, copy the existing code again and send it to us as plain text (no screenshot).",
)


@dataclass(frozen=True)
class Ask:
    """What we ask a creator for one post: one clause of why (`{when}` is filled in), and the steps."""

    reason: str
    steps: tuple[str, ...]


# ---------------------------------------------------------------------------
# The rule type.


@dataclass(frozen=True)
class Rule:
    id: IssueId
    label: str
    cause: str
    roles: tuple[str, ...]
    """Role ids (`lib.vocab.ROLES`) with a part in the fix, the one who starts first."""
    steps: tuple[str, ...]
    priority: int
    """Lower goes first in "what to do": whatever stops the ad before what will stop it later."""
    flag: Callable[[Frame], pd.Series]
    """True on every row of the frame that has this issue (NA counts as False)."""
    check: Callable[[RowFacts], Verdict]
    """What one row says about this issue as a cause of a symptom."""
    blocks: bool = False
    """True when the issue stops a still-in-date authorization from running (health `blocked`)."""
    ask: Ask | None = None
    """What the creator is asked to do; None when the fix needs nobody outside the team."""
    tiktok_only: bool = False
    """Only TikTok's own answer can show it (`lib.reconcile`): never flagged for a sheet read alone, and
    shown in the demo through the demo's TikTok answer (`lib.demo.demo_tiktok_read`)."""

    @property
    def needs_creator(self) -> bool:
        return self.ask is not None


_BC_NO_EXPIRY = "This post uses a Business Center link, which has no end date"
_BC_NO_CODE = "This post uses a Business Center link, not a code"


def _no_code_yet() -> str:
    return f"No code has been received for this post yet (see '{RULES[IssueId.MISSING_CODE].label}')"


# ---------------------------------------------------------------------------
# The flags (whole frame) and the checks (one row), issue by issue.


def _expired_flag(f: Frame) -> pd.Series:
    expires = f.data["expires"]
    tiktok_says = f.says(TIKTOK_STATUS, AuthStatus.EXPIRED)
    return (expires < f.today) | (f.status_is(Status.EXPIRED) & expires.isna()) | tiktok_says


def _expired_check(f: RowFacts) -> Verdict:
    if IssueId.CODE_EXPIRED in f.issues:
        if f.tiktok_status == AuthStatus.EXPIRED:
            return confirmed("TikTok confirms: the authorization on this post has expired.")
        if f.expires is None or f.days_left is None:
            return confirmed("The sheet marks this code as expired.")
        return confirmed(f"This code expired {relative_day(f.days_left)}, on {human_date(f.expires)}.")
    if not f.uses_code:
        return ruled_out(_BC_NO_EXPIRY)
    if f.code is None:
        return ruled_out(_no_code_yet())
    if f.expires is None or f.days_left is None:
        return possible("The sheet does not say when this code ends, so it may have expired: check with the creator.")
    return ruled_out(f"The code is valid until {human_date(f.expires)} ({days_left(f.days_left)})")


def _revoked_check(f: RowFacts) -> Verdict:
    if IssueId.CODE_REVOKED in f.issues:
        return confirmed("The sheet says the creator withdrew this code.")
    if not f.uses_code:
        return ruled_out(_BC_NO_CODE)
    if f.code is None:
        return ruled_out(_no_code_yet())
    return possible(
        "The sheet does not record it as withdrawn, but a creator can delete a code without telling you: ask them."
    )


def _expiring_check(f: RowFacts) -> Verdict:
    if IssueId.EXPIRING_SOON in f.issues and f.expires is not None and f.days_left is not None:
        return confirmed(f"This code ends {relative_day(f.days_left)}, on {human_date(f.expires)}.")
    if not f.uses_code:
        return ruled_out(_BC_NO_EXPIRY)
    if f.code is None:
        return ruled_out(_no_code_yet())
    if f.days_left is None:
        return possible("The sheet does not say when this code ends.")
    if f.days_left < 0:
        return ruled_out(f"It has already ended (see '{RULES[IssueId.CODE_EXPIRED].label}')")
    return ruled_out(f"{days(f.days_left)} left, more than the warning window")


def _before_end_check(f: RowFacts) -> Verdict:
    if IssueId.EXPIRES_BEFORE_CAMPAIGN_END in f.issues and f.expires and f.campaign_end:
        gap = (f.campaign_end - f.expires).days
        return confirmed(
            f"The code ends on {human_date(f.expires)}, {days(gap)} before the campaign ends"
            f" on {human_date(f.campaign_end)}."
        )
    if not f.uses_code:
        return ruled_out(_BC_NO_EXPIRY)
    if f.expires and f.campaign_end:
        return ruled_out(
            f"The code lasts until {human_date(f.expires)}, past the campaign end on {human_date(f.campaign_end)}"
        )
    return possible("The sheet does not give both the code's end and the campaign's end.")


def _missing_check(f: RowFacts) -> Verdict:
    if f.code is None and f.in_ads_manager:
        return ruled_out(f"TikTok says ad account {f.advertiser_id} holds this post, so a code was applied")
    if IssueId.MISSING_CODE in f.issues:
        return confirmed("No code is recorded for this post.")
    if not f.uses_code:
        return ruled_out("This post uses a Business Center link, so it needs no code")
    return ruled_out(f"A code is recorded for this post ({isolate(mask_code(f.code))})")


def _invalid_flag(f: Frame) -> pd.Series:
    return (f.has_code & ~looks_like_code(f.data["code"])) | f.status_is(Status.REJECTED)


def _invalid_check(f: RowFacts) -> Verdict:
    if IssueId.INVALID_CODE_FORMAT in f.issues:
        return confirmed(f"The code in the sheet ({isolate(mask_code(f.code))}) does not look like a TikTok code.")
    if not f.uses_code:
        return ruled_out(_BC_NO_CODE)
    if f.code is None:
        return ruled_out("No code is recorded yet, so it cannot be damaged")
    return ruled_out("The code in the sheet has the shape of a TikTok code")


def _duplicate_flag(f: Frame) -> pd.Series:
    """A code written against more than one post (the same post twice is not a duplicate; a row
    without a post key names no other post).

    Found on integer ids (codes factorized, then the post keys of the rows whose code is on
    another row too), not with a groupby over 100,000 strings: a code is a duplicate when the
    posts its rows name are not all one.
    """
    code, distinct = pd.factorize(f.data["code"], use_na_sentinel=True)
    coded = code >= 0
    # Only a code on more than one row can name two posts: the post keys of those rows alone are read.
    repeated = np.flatnonzero(coded)[np.bincount(code[coded], minlength=len(distinct))[code[coded]] > 1]
    if not len(repeated):
        return pd.Series(False, index=f.data.index)
    post = np.full(len(code), -1, dtype=np.int64)
    ids, _ = pd.factorize(f.data["post_key"].iloc[repeated], use_na_sentinel=True)
    post[repeated] = ids
    known = (code >= 0) & (post >= 0)
    lowest = np.full(len(distinct), np.iinfo(np.int64).max, dtype=np.int64)
    highest = np.full(len(distinct), -1, dtype=np.int64)
    np.minimum.at(lowest, code[known], post[known])
    np.maximum.at(highest, code[known], post[known])
    other = (highest >= 0) & (lowest != highest)
    duplicate = np.zeros(len(code), dtype=bool)
    duplicate[coded] = other[code[coded]]
    return pd.Series(duplicate, index=f.data.index)


def _duplicate_check(f: RowFacts) -> Verdict:
    if IssueId.DUPLICATE_CODE in f.issues:
        return confirmed("The same code is written against another post in the sheet.")
    if f.code is None:
        return ruled_out("No code is recorded for this post")
    return ruled_out("This code appears against this post only")


def _region_flag(f: Frame) -> pd.Series:
    creator, account = f.data["creator_region"], f.data["ad_account_region"]
    return creator.notna() & account.notna() & creator.ne(account)


def _region_check(f: RowFacts) -> Verdict:
    if IssueId.REGION_MISMATCH in f.issues:
        return confirmed(
            f"The creator's region ({isolate(f.creator_region)}) differs from the ad account's "
            f"({isolate(f.ad_account_region)})."
        )
    if f.creator_region and f.ad_account_region:
        return ruled_out(f"Both are in the same region ({isolate(f.creator_region)})")
    return possible("The sheet does not give both regions: check them in Ads Manager.")


_VISIBILITY_WORDS = {"private": "private", "friends": "friends-only"}


def _not_public_check(f: RowFacts) -> Verdict:
    if f.tiktok_visibility is not None:
        if f.tiktok_visibility == "public":
            return ruled_out("TikTok says the post is public")
        return confirmed(f"TikTok confirms the post is {post_status_words(f.tiktok_post_status)}.")
    if IssueId.POST_NOT_PUBLIC in f.issues:
        return confirmed(f"The sheet says the post is {_VISIBILITY_WORDS.get(f.visibility or '', 'not public')}.")
    if f.visibility == "public":
        return ruled_out("The post is public")
    return possible("The sheet does not say whether the post is public: check it in the TikTok app.")


def _custom_identity_check(f: RowFacts) -> Verdict:
    if IssueId.CUSTOM_IDENTITY in f.issues:
        return confirmed("The sheet says the ad uses a custom identity.")
    if f.identity == "creator":
        return ruled_out("The ad uses the creator's handle")
    return possible("The sheet does not say which identity the ad uses: check the ad's Identity section.")


def _bc_check(f: RowFacts) -> Verdict:
    if IssueId.BC_NOT_SHARED in f.issues:
        return confirmed("This post uses a Business Center link without Ad Delivery permission.")
    if f.uses_code:
        return ruled_out("This post uses a code, not a Business Center link")
    if f.ad_delivery:
        return ruled_out("The account is linked with Ad Delivery permission")
    return possible("The sheet does not say whether Ad Delivery permission was granted.")


_NOT_CHECKED = "Sparkwatch has not checked this post with TikTok"


def _deleted_check(f: RowFacts) -> Verdict:
    if IssueId.POST_DELETED in f.issues:
        return confirmed(f"TikTok says the post was {post_status_words(f.tiktok_post_status)}.")
    if f.tiktok_post_status is not None:
        return ruled_out(f"TikTok says the post is {post_status_words(f.tiktok_post_status)}, not deleted")
    return possible(f"{_NOT_CHECKED}: open it in the TikTok app to see that it is still there.")


def _not_in_ads_manager_flag(f: Frame) -> pd.Series:
    """A code TikTok could have seen in every checked ad account and found in none, still worth applying."""
    over = _expired_flag(f).fillna(False).astype(bool) | f.status_is(Status.REVOKED).fillna(False).astype(bool)
    return f.says(TIKTOK_IN_ADS_MANAGER, False) & ~over


def _not_in_ads_manager_check(f: RowFacts) -> Verdict:
    if IssueId.NOT_IN_ADS_MANAGER in f.issues:
        return confirmed("None of the ad accounts Sparkwatch checks holds this code: it was received but not applied.")
    if f.in_ads_manager:
        return ruled_out(f"TikTok says ad account {f.advertiser_id} holds this post")
    if f.code is None:
        return ruled_out(_no_code_yet())
    return possible(f"{_NOT_CHECKED}: look for the post in Ads Manager → Tools → Creative library.")


def _end_differs_flag(f: Frame) -> pd.Series:
    if TIKTOK_ENDS_ON not in f.data or SHEET_EXPIRES not in f.data:
        return pd.Series(False, index=f.data.index)
    gap = (f.data[TIKTOK_ENDS_ON] - f.data[SHEET_EXPIRES]).abs()
    return gap >= pd.Timedelta(days=1)


def _end_differs_check(f: RowFacts) -> Verdict:
    if IssueId.SHEET_END_DIFFERS in f.issues and f.sheet_expires and f.tiktok_ends_on:
        sheet, tiktok = human_date(f.sheet_expires), human_date(f.tiktok_ends_on)
        return confirmed(f"The sheet says the code ends on {sheet}, TikTok says {tiktok}.")
    if f.sheet_expires and f.tiktok_ends_on:
        return ruled_out("The sheet's end date is TikTok's")
    return possible("Without both the sheet's end date and TikTok's, they can't be compared.")


# ---------------------------------------------------------------------------
# The rules. Definition order is reading order; `priority` is the order of work.

_RULES: tuple[Rule, ...] = (
    Rule(
        IssueId.CODE_EXPIRED,
        "Code expired",
        "The authorization window the creator chose has run out, so TikTok stopped letting the ad use the post.",
        ("creator", "advertiser"),
        (
            "Ask the creator to open the post in the TikTok app, tap … → Ad settings, and "
            "extend the authorization or generate a new code with a longer duration.",
            "If a new code was generated, apply it in Ads Manager → Tools → Creative library "
            "→ Add code, then pick the post again in the ad.",
            "Write the new code and its expiry date in the sheet.",
        ),
        priority=20,
        flag=_expired_flag,
        check=_expired_check,
        ask=Ask("the authorization has ended, so the ad has stopped", NEW_CODE_STEPS),
    ),
    Rule(
        IssueId.CODE_REVOKED,
        "Code withdrawn by the creator",
        "The creator deleted the code (or turned off ad authorization), which cuts the ad off from the post.",
        ("creator", "advertiser"),
        (
            "Contact the creator and ask, kindly, why the code was withdrawn.",
            "If they agree to continue, ask for a new code on the same post.",
            "Apply the new code in Ads Manager → Tools → Creative library → Add code.",
            "Update the code and the status in the sheet.",
        ),
        priority=10,
        flag=lambda f: f.status_is(Status.REVOKED),
        check=_revoked_check,
        ask=Ask("the code was withdrawn, and if that was a mistake, a new code would let us continue", NEW_CODE_STEPS),
    ),
    Rule(
        IssueId.EXPIRING_SOON,
        "Expires soon",
        "The code ends within the warning window; the ad will stop on that day.",
        ("creator",),
        (
            "Message the creator today and ask them to extend the authorization or send a "
            "new code whose duration covers the rest of the campaign.",
            "Apply the new code as soon as it arrives and update the expiry date in the sheet.",
        ),
        priority=100,
        flag=lambda f: f.data["days_left"].between(0, f.warn_days),
        check=_expiring_check,
        ask=Ask("the authorization ends {when}", NEW_CODE_STEPS),
    ),
    Rule(
        IssueId.EXPIRES_BEFORE_CAMPAIGN_END,
        "Ends before the campaign does",
        "The duration the creator picked is shorter than the campaign, so the ad will stop "
        "before the campaign is over.",
        ("creator",),
        (
            "Ask the creator for a new code with a longer duration (60 or 365 days), covering "
            "the campaign end plus a margin for extensions.",
            "Apply it in Ads Manager → Tools → Creative library and update the sheet.",
        ),
        priority=110,
        flag=lambda f: f.data["expires"] < f.data["campaign_end"],
        check=_before_end_check,
        ask=Ask("the authorization ends before the campaign does", NEW_CODE_STEPS),
    ),
    Rule(
        IssueId.MISSING_CODE,
        "No code received",
        "The creator has not generated a code for this post yet, so Ads Manager cannot find it.",
        ("creator", "advertiser"),
        (
            "Ask the creator to open the post in the TikTok app, tap … → Ad settings, turn on "
            "ad authorization, pick a duration, tap Generate and copy the code.",
            "Apply the code in Ads Manager → Tools → Creative library → Add code → Confirm.",
            "Paste the code and today's date in the sheet.",
        ),
        priority=30,
        flag=lambda f: f.uses_code & ~f.has_code & ~f.says(TIKTOK_IN_ADS_MANAGER, True),
        check=_missing_check,
        ask=Ask("we have not received a code for it yet", NEW_CODE_STEPS),
    ),
    Rule(
        IssueId.INVALID_CODE_FORMAT,
        "Code looks damaged",
        "The code in the sheet does not look like a TikTok code (it should start with # "
        "followed by a long run of letters and digits), or the sheet says Ads Manager turned "
        "it down; it was probably cut short or changed while copying.",
        ("creator",),
        (
            "Ask the creator to copy the code again from the post's Ad settings and send it as plain text.",
            "Paste it into the sheet without extra spaces and apply it again.",
        ),
        priority=40,
        flag=_invalid_flag,
        check=_invalid_check,
        blocks=True,
        ask=Ask("the code we have seems to have been cut short while copying", RECOPY_STEPS),
    ),
    Rule(
        IssueId.DUPLICATE_CODE,
        "Same code on different posts",
        "A code belongs to exactly one post; the same code appears against different "
        "posts, so at least one of those rows points at the wrong video.",
        ("creator",),
        (
            "Check which post the code really opens (apply it in Creative library and look at the preview).",
            "Ask the creator for a separate code for each of the other posts.",
            "Fix the rows in the sheet so each post has its own code.",
        ),
        priority=90,
        flag=_duplicate_flag,
        check=_duplicate_check,
        blocks=True,
        ask=Ask("we have the same code for two posts, and each post needs its own", NEW_CODE_STEPS),
    ),
    Rule(
        IssueId.REGION_MISMATCH,
        "Regions don't match",
        "The creator's account and the ad account are registered in different regions, "
        "and TikTok may refuse to pair them.",
        ("advertiser",),
        (
            "Check in Ads Manager whether the creator's region can be used with this ad account's region.",
            "If not, run the Spark Ad from an ad account in a compatible region.",
        ),
        priority=80,
        flag=_region_flag,
        check=_region_check,
        blocks=True,
    ),
    Rule(
        IssueId.POST_NOT_PUBLIC,
        "Post is not public",
        "Spark Ads only run on public posts; a post set to private or friends-only cannot "
        "be shown or stops delivering.",
        ("creator",),
        (
            "Ask the creator to set the post's privacy to Everyone in the TikTok app.",
            "Ask them to keep it public until the campaign is over.",
        ),
        priority=50,
        flag=lambda f: f.visibility.notna() & f.visibility.ne("public"),
        check=_not_public_check,
        blocks=True,
        ask=Ask("the post is not public, and promoted posts have to be", PUBLIC_STEPS),
    ),
    Rule(
        IssueId.CUSTOM_IDENTITY,
        "Ad uses a custom identity",
        "The ad is set to show a custom identity instead of the creator's handle, so it is "
        "not a Spark Ad of the creator's post.",
        ("media_buyer",),
        (
            "Open the ad in Ads Manager and go to the Identity section.",
            "Choose the creator's TikTok handle (the authorized post's account), not a custom identity, then save.",
        ),
        priority=60,
        flag=lambda f: f.data["identity"].eq("custom"),
        check=_custom_identity_check,
        blocks=True,
    ),
    Rule(
        IssueId.BC_NOT_SHARED,
        "Not shared in Business Center",
        "The creator's TikTok account is in Business Center but is not linked to the ad "
        "account with Ad Delivery permission.",
        ("org_admin",),
        (
            "Open Business Center → Assets (or Accounts) → TikTok accounts.",
            "Find the creator's account, click View, open Linked accounts → Link accounts.",
            "Choose the advertiser account and grant Ad Delivery permission, then save.",
        ),
        priority=70,
        flag=lambda f: ~f.uses_code & f.data["ad_delivery_permission"].eq(False),
        check=_bc_check,
        blocks=True,
    ),
    Rule(
        IssueId.POST_DELETED,
        "Post deleted",
        "TikTok says the post is gone: the creator deleted it, or TikTok removed it under its community "
        "guidelines. No ad can use it any more, whatever its code.",
        ("creator", "advertiser"),
        (
            "Ask the creator for a code on another of their posts that suits the campaign.",
            "Apply the new code in Ads Manager → Tools → Creative library → Add code, and pick the new post in the ad.",
            "Replace the post and the code in the sheet.",
        ),
        priority=25,
        flag=lambda f: f.holds_any(TIKTOK_POST_STATUS, DELETED),
        check=_deleted_check,
        blocks=True,
        tiktok_only=True,
        # The same steps as any new code: on another post, which the reason says.
        ask=Ask(
            "the post is no longer on TikTok, so we need a code on another of your posts for the ad", NEW_CODE_STEPS
        ),
    ),
    Rule(
        IssueId.NOT_IN_ADS_MANAGER,
        "Not applied in Ads Manager",
        "The code was received, but none of the ad accounts Sparkwatch checks holds it: nobody has applied it yet.",
        ("advertiser",),
        (
            "Apply the code in Ads Manager → Tools → Creative library → Add code → Confirm "
            "(or with `python -m lib.cli apply`).",
            "If it was applied in an ad account Sparkwatch does not check, add that account to the settings.",
        ),
        priority=35,
        flag=_not_in_ads_manager_flag,
        check=_not_in_ads_manager_check,
        tiktok_only=True,
    ),
    Rule(
        IssueId.SHEET_END_DIFFERS,
        "Sheet's end date is wrong",
        "The end date in the sheet differs from the one TikTok has for this authorization; TikTok's is the "
        "one that counts, so reminders from the sheet alone would come on the wrong day.",
        ("advertiser",),
        ("Write TikTok's end date into the sheet's expiry column for this row.",),
        priority=120,
        flag=_end_differs_flag,
        check=_end_differs_check,
        tiktok_only=True,
    ),
)

RULES: dict[IssueId, Rule] = {rule.id: rule for rule in _RULES}
"""Every rule by id, in reading order."""

ISSUE_ORDER: tuple[IssueId, ...] = tuple(RULES)
"""Issue ids in reading order (charts, counts, filters)."""

BY_PRIORITY: tuple[IssueId, ...] = tuple(sorted(RULES, key=lambda i: RULES[i].priority))
"""Issue ids in the order to work on them: what stops the ad first."""

BLOCKING: tuple[IssueId, ...] = tuple(i for i, rule in RULES.items() if rule.blocks)

TIKTOK_ONLY: tuple[IssueId, ...] = tuple(i for i, rule in RULES.items() if rule.tiktok_only)
"""Issues only a check against TikTok can find; a page without TikTok can leave them out of its filters."""


def issue_labels(issue_ids: Iterable[str]) -> str:
    """Plain-language labels for issue ids, joined; issue ids never reach the screen raw."""
    return "; ".join(RULES[IssueId(i)].label for i in issue_ids)


def check_registry(rules: Iterable[Rule] = _RULES) -> None:
    """Raise if the rules break what the rest of the product counts on.

    Called by the test suite and at import, as a real exception: `python -O` strips asserts.
    """
    rules = tuple(rules)
    ids = [rule.id for rule in rules]
    problems = []
    if sorted(ids) != sorted(IssueId):
        problems.append("every IssueId needs exactly one rule")
    priorities = [rule.priority for rule in rules]
    if len(set(priorities)) != len(priorities):
        problems.append("two rules share a priority, so 'what to do first' would be a coin toss")
    for rule in rules:
        if rule.needs_creator != ("creator" in rule.roles):
            problems.append(f"{rule.id}: a fix the creator takes part in needs an ask, and only then")
    if problems:
        raise RuntimeError("; ".join(problems))


check_registry()
