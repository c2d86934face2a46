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

import pandas as pd

from lib.bidi import isolate
from lib.codes import looks_like_code, mask_code
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
    return (expires < f.today) | (f.status_is(Status.EXPIRED) & expires.isna())


def _expired_check(f: RowFacts) -> Verdict:
    if IssueId.CODE_EXPIRED in f.issues:
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
    """A code written against more than one post (the same post twice is not a duplicate)."""
    same_code = f.data.loc[f.has_code, ["code", "post_key"]]
    posts_per_code = same_code.groupby("code")["post_key"].transform("nunique")
    duplicate = pd.Series(False, index=f.data.index)
    duplicate.loc[posts_per_code.index] = posts_per_code.to_numpy() > 1
    return duplicate


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
        priority=2,
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
        priority=1,
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
        priority=10,
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
        priority=11,
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
        priority=3,
        flag=lambda f: f.uses_code & ~f.has_code,
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
        priority=4,
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
        priority=9,
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
        priority=8,
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
        priority=5,
        flag=lambda f: f.data["post_visibility"].notna() & f.data["post_visibility"].ne("public"),
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
        priority=6,
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
        priority=7,
        flag=lambda f: ~f.uses_code & f.data["ad_delivery_permission"].eq(False),
        check=_bc_check,
        blocks=True,
    ),
)

RULES: dict[IssueId, Rule] = {rule.id: rule for rule in _RULES}
"""Every rule by id, in reading order."""

ISSUE_ORDER: tuple[IssueId, ...] = tuple(RULES)
"""Issue ids in reading order (charts, counts, filters)."""

BY_PRIORITY: tuple[IssueId, ...] = tuple(sorted(RULES, key=lambda i: RULES[i].priority))
"""Issue ids in the order to work on them: what stops the ad first."""

BLOCKING: tuple[IssueId, ...] = tuple(i for i, rule in RULES.items() if rule.blocks)


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
