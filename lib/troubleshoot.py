"""The symptom picker: from what someone sees in Ads Manager to the likely cause and its fix.

People who hit a problem know the symptom ("the preview does not load"), not the cause.
`rank_causes` turns the symptoms they pick into causes, the one that explains most of them
first. When they also say which creator/post it is about, `check_cause` reads that row of
the sheet and says, in a sentence, whether the sheet confirms the cause, rules it out, or
cannot tell — so nobody chases an expired code on a post whose code is fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from lib.bidi import isolate, isolate_all
from lib.codes import mask_code
from lib.filters import row_keys, row_places
from lib.messages import CREATOR_ASKS, creator_message
from lib.vocab import ISSUES, ROLES, SYMPTOMS, role_labels
from lib.words import days, days_left, relative_day
from lib.words import human_date as day  # the one way dates are written in sentences

VerdictState = Literal["confirmed", "possible", "ruled_out"]
VERDICT_ORDER: dict[str, int] = {"confirmed": 0, "possible": 1, "ruled_out": 2}
VERDICT_LABELS: dict[str, str] = {
    "confirmed": "The sheet confirms this",
    "possible": "The sheet can't tell",
    "ruled_out": "Ruled out by the sheet",
}


@dataclass(frozen=True)
class Cause:
    """One likely cause: why it happens, the fix as steps, who does it and where."""

    key: str
    """The issue id, or 'advice:<symptom id>' for a symptom no sheet column can explain."""
    title: str
    why: str
    steps: tuple[str, ...]
    roles: tuple[str, ...]
    explains: tuple[str, ...]
    """The picked symptom ids this cause explains."""

    @property
    def issue_id(self) -> str | None:
        return self.key if self.key in ISSUES else None

    @property
    def who(self) -> str:
        return role_labels(self.roles)

    @property
    def where(self) -> tuple[str, ...]:
        return tuple(ROLES[r].where for r in self.roles)

    @property
    def needs_creator(self) -> bool:
        """True when the fix starts with a message to the creator that `cause_message` can write."""
        return self.key in CREATOR_ASKS


@dataclass(frozen=True)
class Verdict:
    """What one row of the sheet says about one cause, in a plain sentence."""

    state: VerdictState
    reason: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.state]


def rank_causes(symptom_ids: Sequence[str]) -> list[Cause]:
    """Causes of the picked symptoms, the one explaining most of them first.

    Ties keep the order the symptoms list their causes in (most likely first); symptoms
    that no sheet column explains (format not supported, caption change) come last, as
    advice.
    """
    explains: dict[str, list[str]] = {}
    position: dict[str, tuple[int, int]] = {}
    advice: list[Cause] = []
    for picked, symptom_id in enumerate(dict.fromkeys(symptom_ids)):
        symptom = SYMPTOMS[symptom_id]
        for rank, issue_id in enumerate(symptom.causes):
            explains.setdefault(issue_id, []).append(symptom_id)
            position[issue_id] = min(position.get(issue_id, (rank, picked)), (rank, picked))
        if not symptom.causes:
            advice.append(
                Cause(
                    key=f"advice:{symptom_id}",
                    title=symptom.label,
                    why=symptom.advice[0],
                    steps=symptom.advice[1:] or symptom.advice,
                    roles=symptom.roles,
                    explains=(symptom_id,),
                )
            )
    ordered = sorted(explains, key=lambda i: (-len(explains[i]), position[i]))
    return [issue_cause(i, tuple(explains[i])) for i in ordered] + advice


def issue_cause(issue_id: str, explains: tuple[str, ...] = ()) -> Cause:
    """The cause behind one issue id, in the vocabulary's words."""
    issue = ISSUES[issue_id]
    return Cause(
        key=issue_id, title=issue.label, why=issue.cause, steps=issue.steps, roles=issue.roles, explains=explains
    )


# ---------------------------------------------------------------------------
# One row of the sheet against one cause.


@dataclass(frozen=True)
class RowFacts:
    """The few facts about one diagnosed row that the checks read, missing values as None."""

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


def _confirmed(reason: str) -> Verdict:
    return Verdict("confirmed", reason)


def _possible(reason: str) -> Verdict:
    return Verdict("possible", reason)


def _ruled_out(reason: str) -> Verdict:
    return Verdict("ruled_out", f"{reason}: not this.")


_BC_NO_EXPIRY = "This post uses a Business Center link, which has no end date"
_BC_NO_CODE = "This post uses a Business Center link, not a code"
_NO_CODE_YET = f"No code has been received for this post yet (see '{ISSUES['missing_code'].label}')"


def _code_expired(f: RowFacts) -> Verdict:
    if "code_expired" in f.issues:
        if f.expires is None or f.days_left is None:
            return _confirmed("The sheet marks this code as expired.")
        ago = -f.days_left
        when = relative_day(-ago)
        return _confirmed(f"This code expired {when}, on {day(f.expires)}.")
    if not f.uses_code:
        return _ruled_out(_BC_NO_EXPIRY)
    if f.code is None:
        return _ruled_out(_NO_CODE_YET)
    if f.expires is None or f.days_left is None:
        return _possible("The sheet does not say when this code ends, so it may have expired: check with the creator.")
    left = days_left(f.days_left)
    return _ruled_out(f"The code is valid until {day(f.expires)} ({left})")


def _code_revoked(f: RowFacts) -> Verdict:
    if "code_revoked" in f.issues:
        return _confirmed("The sheet says the creator withdrew this code.")
    if not f.uses_code:
        return _ruled_out(_BC_NO_CODE)
    if f.code is None:
        return _ruled_out(_NO_CODE_YET)
    return _possible(
        "The sheet does not record it as withdrawn, but a creator can delete a code without telling you: ask them."
    )


def _expiring_soon(f: RowFacts) -> Verdict:
    if "expiring_soon" in f.issues and f.expires is not None and f.days_left is not None:
        when = relative_day(f.days_left)
        return _confirmed(f"This code ends {when}, on {day(f.expires)}.")
    if not f.uses_code:
        return _ruled_out(_BC_NO_EXPIRY)
    if f.code is None:
        return _ruled_out(_NO_CODE_YET)
    if f.days_left is None:
        return _possible("The sheet does not say when this code ends.")
    if f.days_left < 0:
        return _ruled_out(f"It has already ended (see '{ISSUES['code_expired'].label}')")
    return _ruled_out(f"{days(f.days_left)} left, more than the warning window")


def _expires_before_campaign_end(f: RowFacts) -> Verdict:
    if "expires_before_campaign_end" in f.issues and f.expires and f.campaign_end:
        gap = (f.campaign_end - f.expires).days
        return _confirmed(
            f"The code ends on {day(f.expires)}, {days(gap)} before the campaign ends on {day(f.campaign_end)}."
        )
    if not f.uses_code:
        return _ruled_out(_BC_NO_EXPIRY)
    if f.expires and f.campaign_end:
        return _ruled_out(f"The code lasts until {day(f.expires)}, past the campaign end on {day(f.campaign_end)}")
    return _possible("The sheet does not give both the code's end and the campaign's end.")


def _missing_code(f: RowFacts) -> Verdict:
    if "missing_code" in f.issues:
        return _confirmed("No code is recorded for this post.")
    if not f.uses_code:
        return _ruled_out("This post uses a Business Center link, so it needs no code")
    return _ruled_out(f"A code is recorded for this post ({isolate(mask_code(f.code))})")


def _invalid_code_format(f: RowFacts) -> Verdict:
    if "invalid_code_format" in f.issues:
        return _confirmed(f"The code in the sheet ({isolate(mask_code(f.code))}) does not look like a TikTok code.")
    if not f.uses_code:
        return _ruled_out(_BC_NO_CODE)
    if f.code is None:
        return _ruled_out("No code is recorded yet, so it cannot be damaged")
    return _ruled_out("The code in the sheet has the shape of a TikTok code")


def _duplicate_code(f: RowFacts) -> Verdict:
    if "duplicate_code" in f.issues:
        return _confirmed("The same code is written against another post in the sheet.")
    if f.code is None:
        return _ruled_out("No code is recorded for this post")
    return _ruled_out("This code appears against this post only")


def _region_mismatch(f: RowFacts) -> Verdict:
    if "region_mismatch" in f.issues:
        return _confirmed(
            f"The creator's region ({isolate(f.creator_region)}) differs from the ad account's "
            f"({isolate(f.ad_account_region)})."
        )
    if f.creator_region and f.ad_account_region:
        return _ruled_out(f"Both are in the same region ({isolate(f.creator_region)})")
    return _possible("The sheet does not give both regions: check them in Ads Manager.")


_VISIBILITY_WORDS = {"private": "private", "friends": "friends-only"}


def _post_not_public(f: RowFacts) -> Verdict:
    if "post_not_public" in f.issues:
        return _confirmed(f"The sheet says the post is {_VISIBILITY_WORDS.get(f.visibility or '', 'not public')}.")
    if f.visibility == "public":
        return _ruled_out("The post is public")
    return _possible("The sheet does not say whether the post is public: check it in the TikTok app.")


def _custom_identity(f: RowFacts) -> Verdict:
    if "custom_identity" in f.issues:
        return _confirmed("The sheet says the ad uses a custom identity.")
    if f.identity == "creator":
        return _ruled_out("The ad uses the creator's handle")
    return _possible("The sheet does not say which identity the ad uses: check the ad's Identity section.")


def _bc_not_shared(f: RowFacts) -> Verdict:
    if "bc_not_shared" in f.issues:
        return _confirmed("This post uses a Business Center link without Ad Delivery permission.")
    if f.uses_code:
        return _ruled_out("This post uses a code, not a Business Center link")
    if f.ad_delivery:
        return _ruled_out("The account is linked with Ad Delivery permission")
    return _possible("The sheet does not say whether Ad Delivery permission was granted.")


CHECKS: dict[str, Callable[[RowFacts], Verdict]] = {
    "code_expired": _code_expired,
    "code_revoked": _code_revoked,
    "expiring_soon": _expiring_soon,
    "expires_before_campaign_end": _expires_before_campaign_end,
    "missing_code": _missing_code,
    "invalid_code_format": _invalid_code_format,
    "duplicate_code": _duplicate_code,
    "region_mismatch": _region_mismatch,
    "post_not_public": _post_not_public,
    "custom_identity": _custom_identity,
    "bc_not_shared": _bc_not_shared,
}
assert set(CHECKS) == set(ISSUES), "every issue needs a row check"

_CANNOT_TELL = _possible("Nothing in the sheet can show this: check it in Ads Manager.")


def check_cause(cause: Cause, row: pd.Series) -> Verdict:
    """What this diagnosed row says about this cause."""
    issue_id = cause.issue_id
    return CHECKS[issue_id](RowFacts.of(row)) if issue_id else _CANNOT_TELL


def check_causes(causes: Sequence[Cause], row: pd.Series) -> list[tuple[Cause, Verdict]]:
    """Each cause with its verdict for this row: confirmed first, ruled out last, ranking kept within."""
    judged = [(cause, check_cause(cause, row)) for cause in causes]
    return sorted(judged, key=lambda pair: VERDICT_ORDER[pair[1].state])


def top_creator_cause(judged: Sequence[tuple[Cause, Verdict | None]]) -> Cause | None:
    """The highest-ranked cause whose fix starts with the creator and that the sheet does not rule out."""
    for cause, verdict in judged:
        if cause.needs_creator and (verdict is None or verdict.state != "ruled_out"):
            return cause
    return None


def cause_message(cause: Cause, today: dt.date, row: pd.Series | None = None, sender: str = "") -> str | None:
    """A ready-to-send message asking the creator to fix this one cause.

    With a row, it names the creator and the post and asks for the shortest standard
    duration that covers the campaign end plus a margin; without one, it is a template.
    """
    if not cause.needs_creator:
        return None
    facts = {
        "creator": None,
        "post": None,
        "days_left": None,
        "campaign_end": None,
    }
    if row is not None:
        facts.update({k: None if pd.isna(row.get(k)) else row.get(k) for k in facts})
    one = pd.DataFrame({k: [v] for k, v in facts.items()}).assign(issues=[[cause.key]])
    creator = facts["creator"] if isinstance(facts["creator"], str) else ""
    return creator_message(creator, one, today, sender)


def row_choices(diagnosed: pd.DataFrame) -> dict[object, str]:
    """Row key (see `lib.filters.row_keys`) → 'creator · post (sheet row N)', for the row picker, in sheet order."""
    ordered = diagnosed.sort_values([c for c in ("tab", "row") if c in diagnosed.columns], kind="stable")
    post = ordered["post"].astype("string")
    short = post.str.extract(r"/video/(\d+)", expand=False).radd("video ").fillna(post).fillna("no post")
    creator = ordered["creator"].astype("string").fillna("(no creator)")
    labels = isolate_all(creator) + " · " + isolate_all(short) + " (" + row_places(ordered) + ")"
    return dict(zip(row_keys(ordered), labels, strict=True))


def role_checklist(causes: Sequence[Cause]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Who does what: (role label, where, what the role does, causes it fixes here) for every role.

    Roles come in the vocabulary's order; those with nothing to do for these causes get an
    empty tuple, so the checklist always shows the whole team.
    """
    return [
        (role.label, role.where, role.does, tuple(c.title for c in causes if role_id in c.roles))
        for role_id, role in ROLES.items()
    ]
