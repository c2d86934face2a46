"""Messages to creators: short, friendly, and exact about the post and what to tap.

Most fixes start with the creator, who is not an ad specialist and owes the brand nothing.
A good message names the post, says what to do in the TikTok app step by step, and asks
for a duration that will not run out mid-campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import pandas as pd

from lib.bidi import isolate
from lib.codes import redact_codes
from lib.rules import (
    BY_PRIORITY,
    NEW_CODE_STEPS,
    OPEN_AGAIN,
    OPEN_POST,
    PUBLIC_STEPS,
    RECOPY_STEPS,
    RULES,
    Ask,
    IssueId,
)
from lib.vocab import CAMPAIGN_MARGIN_DAYS, DURATION_OPTIONS
from lib.words import relative_day

if TYPE_CHECKING:
    from pandas.api.typing import NaTType, NAType

DEFAULT_DURATION = 60
"""Asked for when the campaign end is not known: long enough for set-up, testing and a run."""


def creator_ask(issue_id: str) -> Ask | None:
    """What the creator is asked to do about this issue (its rule's ask), or None."""
    return RULES[IssueId(issue_id)].ask


def recommended_duration(campaign_end: dt.date | NaTType | None, today: dt.date) -> int:
    """The smallest standard duration that covers the campaign end plus a safety margin."""
    if campaign_end is None or pd.isna(campaign_end):
        return DEFAULT_DURATION
    needed = (pd.Timestamp(campaign_end).date() - today).days + CAMPAIGN_MARGIN_DAYS
    return next((d for d in DURATION_OPTIONS if d >= needed), DURATION_OPTIONS[-1])


def _when(days_left: float | NAType | None) -> str:
    if days_left is None or pd.isna(days_left):
        return "soon"
    return relative_day(int(days_left))


# ---------------------------------------------------------------------------
# What is wrong with one post, said once and without contradicting itself.

_ENDS = frozenset({IssueId.EXPIRING_SOON, IssueId.EXPIRES_BEFORE_CAMPAIGN_END})
"""Reasons that talk about when a live code ends."""
_MOOT: dict[IssueId, frozenset[IssueId]] = {
    # A withdrawn code is over, whatever its date says; a new code replaces a damaged one.
    IssueId.CODE_REVOKED: _ENDS | {IssueId.CODE_EXPIRED, IssueId.MISSING_CODE, IssueId.INVALID_CODE_FORMAT},
    IssueId.CODE_EXPIRED: _ENDS | {IssueId.MISSING_CODE, IssueId.INVALID_CODE_FORMAT},
    # No code received: there is no end to talk about and nothing to copy again.
    IssueId.MISSING_CODE: _ENDS | {IssueId.INVALID_CODE_FORMAT, IssueId.DUPLICATE_CODE},
    IssueId.DUPLICATE_CODE: frozenset({IssueId.INVALID_CODE_FORMAT}),
    # A deleted post needs a code on another post: its end, its code and its privacy are moot.
    IssueId.POST_DELETED: _ENDS
    | {IssueId.MISSING_CODE, IssueId.INVALID_CODE_FORMAT, IssueId.DUPLICATE_CODE, IssueId.POST_NOT_PUBLIC},
}
"""Issue → the issues whose reason it makes pointless or contradictory on the same post.

"Withdrawn" and "ends in 7 days" cannot both be said; "cut short while copying" says nothing
once a new code is asked for anyway. Every one of these asks for a new code, so dropping the
other reason never drops a step."""
_TOGETHER = "the authorization ends {when}, before the campaign does"
"""Ending soon and ending before the campaign, said as one clause instead of two."""


def _reasons(issue_ids: list[str]) -> list[str]:
    """The ids on one post that the creator is asked about, moot ones dropped, most urgent first."""
    ids = {IssueId(i) for i in issue_ids if creator_ask(i) is not None}
    moot = set().union(*(_MOOT.get(i, frozenset()) for i in ids))
    return [i for i in BY_PRIORITY if i in ids and i not in moot]


def _reason_text(ids: list[str], days_left: float | NAType | None) -> str:
    """The reasons as sentences: the first one lower case (it follows a colon), no semicolons."""
    when = _when(days_left)
    clauses = [RULES[IssueId(i)].ask.reason.format(when=when) for i in ids]  # type: ignore[union-attr]
    if set(ids) >= _ENDS:
        first = min(ids.index(i) for i in _ENDS)
        clauses = [c for i, c in zip(ids, clauses, strict=True) if i not in _ENDS]
        clauses.insert(first, _TOGETHER.format(when=when))
    clauses = list(dict.fromkeys(clauses))
    return ". ".join([clauses[0], *(c[0].upper() + c[1:] for c in clauses[1:])]) + "."


def _post_name(post: object, campaign: object = None) -> str:
    """The exact post: its link as written, or 'post 123…' for a bare id, with the campaign when known."""
    text = isolate(post.strip()) if isinstance(post, str) else ""
    name = "the post we agreed on" if not text else text if "/" in text else f"post {text}"
    return f"{name} ({isolate(campaign)})" if isinstance(campaign, str) and campaign.strip() else name


def post_section(
    issue_ids: list[str], post: object, days_left: float | NAType | None, duration: int = 0, campaign: str | None = None
) -> str | None:
    """What is wrong with one post, as one bullet line; None when nothing on it needs the creator.

    (`duration` is not used here any more: the steps, and the duration, come once per message.)
    """
    ids = _reasons(issue_ids)
    return f"• {_post_name(post, campaign)}: {_reason_text(ids, days_left)}" if ids else None


# ---------------------------------------------------------------------------
# One set of steps for all the posts of a message.


@dataclass(frozen=True)
class _Post:
    label: str
    """'Post 2' in a message about several posts, '' when the message is about one."""
    line: str
    groups: tuple[tuple[str, ...], ...]
    duration: int | None
    """The duration this post's new code should have; None when it needs no new code."""
    campaign_known: bool


def _groups(ids: list[str]) -> tuple[tuple[str, ...], ...]:
    """The step groups one post needs: made public first, a new code replacing a re-copy."""
    groups = list(dict.fromkeys(RULES[IssueId(i)].ask.steps for i in ids))  # type: ignore[union-attr]
    if NEW_CODE_STEPS in groups and RECOPY_STEPS in groups:
        groups.remove(RECOPY_STEPS)
    return tuple(groups)


_GROUP_ORDER = (PUBLIC_STEPS, NEW_CODE_STEPS, RECOPY_STEPS)
"""The order a person does things in the app: a code on a private post is of no use."""


def _on(labels: list[str], every: bool) -> str:
    """'On post 2, ', 'On posts 1 and 3, ', 'On each post above, '."""
    if every:
        return "On each post above, "
    numbers = [label.removeprefix("Post ") for label in labels]
    if len(numbers) == 1:
        return f"On post {numbers[0]}, "
    return f"On posts {', '.join(numbers[:-1])} and {numbers[-1]}, "


def _steps(posts: list[_Post], duration: int) -> list[str]:
    """One numbered list for the whole message, each group of steps once, naming its posts.

    For one post the steps read as before ("Open the post…", then "Back on the post…" for a
    second group); for several, each group opens with the posts it is for.
    """
    present: list[tuple[str, ...]] = [g for g in _GROUP_ORDER if any(g in p.groups for p in posts)]
    present += [g for p in posts for g in p.groups if g not in present]
    steps: list[str] = []
    for group in present:
        first, *rest = group
        if len(posts) > 1 and first == OPEN_POST:
            wanted = [p.label for p in posts if group in p.groups]
            first = _on(wanted, len(wanted) == len(posts)) + "in the TikTok app, tap the … (more) button."
        elif steps and first == OPEN_POST:
            first = OPEN_AGAIN
        steps += [first, *rest]
    return [step.format(duration=duration) for step in dict.fromkeys(steps)]


def _duration_line(posts: list[_Post], duration: int) -> str | None:
    """Why that duration, said once after the steps; None when no new code is asked for."""
    if not any(p.duration for p in posts):
        return None
    if not any(p.campaign_known for p in posts):
        return f"Why {duration} days: it leaves time for the set-up and the whole campaign."
    if duration == DURATION_OPTIONS[-1]:
        return f"Why {duration} days: the campaign runs longer than the shorter choices would last."
    return f"Why {duration} days: it lasts until the campaign is over, with two weeks to spare."


def creator_message(creator: str, rows: pd.DataFrame, today: dt.date, sender: str = "") -> str | None:
    """One message to one creator covering all their posts that need them.

    What is wrong, post by post; then one numbered set of steps for all of them; then the
    duration to pick (the longest any of the posts needs, so one choice covers every post).
    `rows` are diagnosed rows of this creator; returns None when none needs the creator.
    """
    found = []
    for row in rows.itertuples(index=False):
        ids = _reasons(list(cast("list[str]", row.issues)))  # the stubs type each field as one scalar
        if ids:
            found.append((row, ids))
    if not found:
        return None
    several = len(found) > 1
    posts = []
    for n, (row, ids) in enumerate(found, 1):
        label = f"Post {n}" if several else ""
        days_left = cast("float | NAType | None", row.days_left)  # an Int64 column: a count or <NA>
        line = post_section(ids, row.post, days_left, campaign=getattr(row, "campaign", None))
        if several:
            line = line.replace("• ", f"• {label}, ", 1)  # type: ignore[union-attr]
        groups = _groups(ids)
        campaign_end = cast("dt.date | NaTType | None", row.campaign_end)
        duration = recommended_duration(campaign_end, today) if NEW_CODE_STEPS in groups else None
        known = campaign_end is not None and not pd.isna(campaign_end)
        posts.append(_Post(label, line, groups, duration, known))  # type: ignore[arg-type]
    duration = max((p.duration for p in posts if p.duration), default=DEFAULT_DURATION)
    numbered = "\n".join(f"  {n}. {step}" for n, step in enumerate(_steps(posts, duration), 1))
    name = isolate(creator) if isinstance(creator, str) and creator else "there"
    which = f"these {len(posts)} posts" if several else "this post"
    parts = [
        f"Hi {name}! Quick favour about {which} we are promoting with you:",
        "\n".join(p.line for p in posts),
        f"Here is what to do in the TikTok app:\n{numbered}",
        _duration_line(posts, duration),
        "Thank you so much, we love working with you!" + (f"\n{sender}" if sender else ""),
    ]
    message = "\n\n".join(part for part in parts if part)
    # Nothing in a message is a code, but sheet cells are typed by hand: never let one through.
    return redact_codes(message)


def creator_messages(diagnosed: pd.DataFrame, today: dt.date, sender: str = "") -> pd.DataFrame:
    """One row per creator who needs to act: creator, how many posts, and the message."""
    needs = diagnosed["issues"].map(lambda ids: any(creator_ask(i) for i in ids))
    wanted = diagnosed.loc[needs]
    out = [
        {"creator": creator, "posts": len(rows), "message": creator_message(creator, rows, today, sender)}
        for creator, rows in wanted.groupby(wanted["creator"].fillna(""), sort=True)
    ]
    return pd.DataFrame(out, columns=["creator", "posts", "message"])
