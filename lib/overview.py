"""What a lead reads first: the state in one sentence, this week's work by person, each campaign.

The Overview opens on these, above the charts. They are worked out here from the diagnosed
frame, so the page only lays them out and the tests check the numbers against the diagnosis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lib import charts
from lib.diagnose import needs_action
from lib.exports import action_list, table
from lib.filters import NOT_SET
from lib.rules import RULES, IssueId
from lib.vocab import ENDED, HEALTH, HEALTH_ORDER, ROLES, HealthId
from lib.words import WITHDRAWN, days_left_all, plural

ACT_NOW: tuple[HealthId, ...] = (
    HealthId.REVOKED,
    HealthId.EXPIRED,
    HealthId.BLOCKED,
    HealthId.PENDING,
    HealthId.EXPIRING,
)
"""States whose ad has stopped, cannot start, or stops within the warning window."""

_ROLE_RANK = {role: n for n, role in enumerate(ROLES)}

WEEK_COLUMNS: tuple[str, ...] = (
    "Owner", "Creator", "Health", "What to do", "Who", "When", "Campaign", "Act with", "Sheet row",
)  # fmt: skip
"""This week's list, key columns first: whose desk it is on, the creator, what stops, the first action."""

BLOCKED_NOW, NO_CODE_YET = "blocked now", "no code yet"

MESSAGE, REMINDER, STEPS = (
    "A message to the creator (Act now)",
    "A calendar reminder (Act now)",
    "The fix, step by step (Troubleshooter)",
)
"""Where on the dashboard each row's first action is done."""


def this_week(diagnosed: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Rows to act on now, grouped by owner (blank owners last), then by who starts the fix,
    most urgent first within each.

    An ended code (expired or withdrawn) stays on the list while its campaign runs or its end
    is unknown; once the campaign is over it is history, not this week's work.
    """
    state = diagnosed["health"]
    over = diagnosed["campaign_end"].lt(pd.Timestamp(today)).fillna(False).astype(bool)
    wanted = state.isin(ACT_NOW) & ~(state.isin(ENDED) & over)
    rows = diagnosed.loc[wanted]
    shown = table(rows)
    shown["Owner"] = shown["Owner"].fillna(NOT_SET)
    shown["When"] = when_words(rows)
    shown["Act with"] = act_with(rows)
    first_role = rows["issues"].map(lambda ids: _ROLE_RANK[RULES[ids[0]].roles[0]] if ids else len(_ROLE_RANK))
    shown = shown.assign(_blank=shown["Owner"].eq(NOT_SET), _role=first_role, _order=range(len(shown)))
    shown = shown.sort_values(["_blank", "Owner", "_role", "_order"], kind="stable")
    return shown.loc[:, list(WEEK_COLUMNS)]


def week_cards(week: pd.DataFrame) -> list[str]:
    """`this_week`'s rows as the text of a phone's cards: who and where, what stops, the first step, who acts."""
    creator = week["Creator"].fillna("(no creator)")
    campaign = week["Campaign"].fillna("(no campaign)")
    state = week["Health"].str.join(", ")
    says_it_all = week["When"].isin([BLOCKED_NOW, NO_CODE_YET])  # 'Blocked: blocked now' says it twice
    line = (state + ": " + week["When"]).where(~says_it_all, state)
    text = (
        creator + " · " + campaign + " · owner " + week["Owner"] + "\n"
        + line + "\n"
        + week["What to do"] + "\n"
        + "Who: " + week["Who"]
    )  # fmt: skip
    return text.astype(str).tolist()


def when_words(diagnosed: pd.DataFrame) -> pd.Series:
    """What stops, and when, in a few words: 'ended 3 days ago', 'withdrawn', 'blocked now', '2 days left'."""
    state = diagnosed["health"]
    words = days_left_all(diagnosed["days_left"])
    words = words.mask(state.eq(HealthId.REVOKED), WITHDRAWN)
    words = words.mask(state.eq(HealthId.BLOCKED), BLOCKED_NOW)
    words = words.mask(state.eq(HealthId.PENDING), NO_CODE_YET)
    return words.mask(words.eq(""), "end date unknown")


def act_with(diagnosed: pd.DataFrame) -> pd.Series:
    """Where each row's first action is done: a message when the creator must act, a reminder
    for a code that simply runs out, else the Troubleshooter's steps."""
    first = diagnosed["issues"].str[0]
    creator = first.map(lambda i: isinstance(i, str) and RULES[IssueId(i)].needs_creator).astype(bool)
    place = pd.Series(STEPS, index=diagnosed.index, dtype="string")
    place = place.mask(diagnosed["health"].eq(HealthId.EXPIRING) & first.isna(), REMINDER)
    return place.mask(creator, MESSAGE)


def state_sentence(
    diagnosed: pd.DataFrame, today: dt.date, warn_days: int, week_rows: pd.DataFrame | None = None
) -> str:
    """The state of every authorization in one plain sentence, the most pressing first.

    `week_rows` is `this_week`'s answer when the caller has it already.
    """
    week = diagnosed.loc[(this_week(diagnosed, today) if week_rows is None else week_rows).index]
    counts = week["health"].value_counts()
    stopped = int(counts.get(HealthId.REVOKED, 0) + counts.get(HealthId.EXPIRED, 0))
    parts = []
    if stopped:
        parts.append(f"{plural(stopped, 'authorization')} {'has' if stopped == 1 else 'have'} stopped ads")
    if soon := int(counts.get(HealthId.EXPIRING, 0)):
        parts.append(f"{soon} will stop within {plural(warn_days, 'day')}")
    if blocked := int(counts.get(HealthId.BLOCKED, 0)):
        parts.append(f"{blocked} {'is' if blocked == 1 else 'are'} blocked now")
    if waiting := int(counts.get(HealthId.PENDING, 0)):
        parts.append(f"{waiting} still {'waits' if waiting == 1 else 'wait'} for a code")
    creators = week.loc[week["issues"].map(lambda ids: any(RULES[i].needs_creator for i in ids)), "creator"]
    if asked := creators.dropna().nunique():
        parts.append(f"{plural(asked, 'creator')} must act")
    if not parts:
        return "Nothing needs action: every authorization shown can run."
    return "; ".join(parts) + "."


def campaign_rows(diagnosed: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """One row per campaign: its window, posts, how many need action, the earliest end, owner, worst state.

    Running campaigns first, worst state first, then by earliest end, so the campaign in most
    trouble is on top; campaigns that are over go to the bottom.
    """
    frame = diagnosed.assign(
        _campaign=diagnosed["campaign"].astype("string").fillna(NOT_SET),
        _rank=diagnosed["health"].cat.codes,
        _at_risk=diagnosed["health"].isin(ACT_NOW),
        _live_end=diagnosed["expires"].where(~diagnosed["health"].isin(ENDED)),
    )
    grouped = frame.groupby("_campaign", sort=False)
    out = pd.DataFrame(
        {
            "Campaign": grouped["_campaign"].first(),
            "Starts": grouped["campaign_start"].min(),
            "Ends": grouped["campaign_end"].max(),
            "Posts": grouped.size(),
            "Need action": grouped["_at_risk"].sum().astype("int64"),
            "Earliest code end": grouped["_live_end"].min(),
            "Owner": grouped["owner"].agg(_owners),
            "Worst state": grouped["_rank"].min().map(lambda r: HEALTH[HEALTH_ORDER[r]].label),
            "_rank": grouped["_rank"].min(),
        }
    )
    out["_over"] = out["Ends"].lt(pd.Timestamp(today)).fillna(False).astype(bool)
    out = out.sort_values(["_over", "_rank", "Earliest code end", "Campaign"], na_position="last", kind="stable")
    return out.drop(columns=["_rank", "_over"]).reset_index(drop=True)


def _owners(values: pd.Series) -> str:
    """The campaign's owners, most rows first: 'Maya' or 'Maya, Tom'; NOT_SET when nobody is named."""
    named = values.dropna().astype(str)
    return ", ".join(named.value_counts(sort=True).index[:3]) if len(named) else NOT_SET


# ---------------------------------------------------------------------------
# Everything the Overview shows for one view, worked out once and shared by every viewer of it.


@dataclass(frozen=True)
class OverviewParts:
    """The Overview's sentence, lists, numbers, figures and their tables for one view of one read.

    Built once per view (read, day, warning window, filters) and handed, unchanged, to every
    person looking at that view: nothing that draws them may modify them.
    """

    sentence: str
    week: pd.DataFrame
    counts: dict[HealthId, int]
    campaigns: pd.DataFrame
    issue_chart: go.Figure
    issue_summary: str
    issue_table: pd.DataFrame
    issues_present: tuple[str, ...]
    week_chart: go.Figure
    week_summary: str
    week_table: pd.DataFrame
    needing: pd.DataFrame
    actions: pd.DataFrame


@dataclass(frozen=True)
class TimelineParts:
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    ended_long_ago: pd.DataFrame
    dated: int
    undated: int


def overview_parts(shown: pd.DataFrame, today: dt.date, warn_days: int) -> OverviewParts:
    """Every piece of the Overview but the timeline (whose length the person picks) for these rows."""
    week = this_week(shown, today)
    needing = needs_action(shown)
    issues = charts.issue_rows(needing)
    return OverviewParts(
        sentence=state_sentence(shown, today, warn_days, week),
        week=week,
        counts=charts.headline_counts(shown),
        campaigns=campaign_rows(shown, today),
        issue_chart=charts.issue_chart(shown),
        issue_summary=charts.issue_summary(shown),
        issue_table=charts.issue_table(shown),
        issues_present=tuple(str(i) for i, n in zip(issues["issue"], issues["count"], strict=True) if n),
        week_chart=charts.expiries_per_week(shown, today, warn_days),
        week_summary=charts.week_summary(shown, today, warn_days),
        week_table=charts.week_table(shown, today, warn_days),
        needing=needing,
        actions=action_list(needing),
    )


def timeline_parts(shown: pd.DataFrame, today: dt.date, limit: int) -> TimelineParts:
    dated = int(shown["expires"].notna().sum())
    return TimelineParts(
        figure=charts.timeline(shown, today, limit),
        summary=charts.timeline_summary(shown, today, limit),
        table=charts.timeline_table(shown, today, limit),
        ended_long_ago=charts.ended_before_timeline(shown, today, limit),
        dated=dated,
        undated=len(shown) - dated,
    )
