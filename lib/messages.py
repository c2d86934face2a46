"""Messages to creators: short, friendly, and exact about the post and what to tap.

Most fixes start with the creator, who is not an ad specialist and owes the brand nothing.
A good message names the post, says what to do in the TikTok app step by step, and asks
for a duration that will not run out mid-campaign.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.bidi import isolate
from lib.codes import redact_codes
from lib.rules import NEW_CODE_STEPS, OPEN_AGAIN, OPEN_POST, PUBLIC_STEPS, RECOPY_STEPS, RULES, Ask, IssueId
from lib.vocab import CAMPAIGN_MARGIN_DAYS, DURATION_OPTIONS
from lib.words import noun, relative_day

DEFAULT_DURATION = 60
"""Asked for when the campaign end is not known: long enough for set-up, testing and a run."""

def creator_ask(issue_id: str) -> Ask | None:
    """What the creator is asked to do about this issue (its rule's ask), or None."""
    return RULES[IssueId(issue_id)].ask


def recommended_duration(campaign_end: dt.date | None, today: dt.date) -> int:
    """The smallest standard duration that covers the campaign end plus a safety margin."""
    if campaign_end is None or pd.isna(campaign_end):
        return DEFAULT_DURATION
    needed = (pd.Timestamp(campaign_end).date() - today).days + CAMPAIGN_MARGIN_DAYS
    return next((d for d in DURATION_OPTIONS if d >= needed), DURATION_OPTIONS[-1])


def _when(days_left: object) -> str:
    if days_left is None or pd.isna(days_left):
        return "soon"
    return relative_day(int(days_left))


def _steps(asks: list[Ask]) -> list[str]:
    """The steps for all asks on one post, in the order a person does them in the app.

    The post is made public first (a code on a private post is of no use), then the code is
    generated or copied again; a fresh code replaces a damaged one, so re-copying is dropped
    when a new code is asked for anyway.
    """
    groups = list(dict.fromkeys(a.steps for a in asks))
    if NEW_CODE_STEPS in groups and RECOPY_STEPS in groups:
        groups.remove(RECOPY_STEPS)
    groups.sort(key=lambda group: group != PUBLIC_STEPS)
    steps: list[str] = []
    for group in groups:
        first, *rest = group
        steps += [OPEN_AGAIN if steps and first == OPEN_POST else first, *rest]
    return steps


def _post_name(post: object, campaign: object = None) -> str:
    """The exact post: its link as written, or 'post 123…' for a bare id, with the campaign when known."""
    text = isolate(post.strip()) if isinstance(post, str) else ""
    name = "the post we agreed on" if not text else text if "/" in text else f"post {text}"
    return f"{name} ({isolate(campaign)})" if isinstance(campaign, str) and campaign.strip() else name


def post_section(
    issue_ids: list[str], post: str, days_left: object, duration: int, campaign: str | None = None
) -> str | None:
    """The part of a message about one post, or None when nothing on it needs the creator."""
    asks = [ask for ask in map(creator_ask, issue_ids) if ask is not None]
    if not asks:
        return None
    reasons = "; ".join(dict.fromkeys(a.reason.format(when=_when(days_left)) for a in asks))
    numbered = "\n".join(f"  {n}. {s.format(duration=duration)}" for n, s in enumerate(_steps(asks), 1))
    return f"• {_post_name(post, campaign)}: {reasons}.\n{numbered}"


def creator_message(creator: str, rows: pd.DataFrame, today: dt.date, sender: str = "") -> str | None:
    """One message to one creator covering all their posts that need them.

    `rows` are diagnosed rows of this creator; returns None when none needs the creator.
    """
    sections = []
    for row in rows.itertuples(index=False):
        duration = recommended_duration(row.campaign_end, today)
        campaign = getattr(row, "campaign", None)
        section = post_section(list(row.issues), row.post, row.days_left, duration, campaign)
        if section:
            sections.append(section)
    if not sections:
        return None
    name = isolate(creator) if isinstance(creator, str) and creator else "there"
    plural = noun(len(sections), "this post", "these posts")
    closing = "Thank you so much, we love working with you!"
    signature = f"\n{sender}" if sender else ""
    message = (
        f"Hi {name}! Quick favour about {plural} we are promoting with you:\n\n"
        + "\n\n".join(sections)
        + f"\n\n{closing}{signature}"
    )
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
