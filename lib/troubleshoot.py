"""The symptom picker: from what someone sees in Ads Manager to the likely cause and its fix.

People who hit a problem know the symptom ("the preview does not load"), not the cause.
`rank_causes` turns the symptoms they pick into causes, the one that explains most of them
first. When they also say which creator/post it is about, `check_cause` reads that row of
the sheet and says, in a sentence, whether the sheet confirms the cause, rules it out, or
cannot tell — so nobody chases an expired code on a post whose code is fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from lib.bidi import isolate_all
from lib.columns import TAB
from lib.filters import row_keys, row_places
from lib.messages import creator_message
from lib.rules import RULES, IssueId, RowFacts, Verdict, possible
from lib.symptoms import SYMPTOMS
from lib.vocab import ROLES, role_labels

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
    def issue_id(self) -> IssueId | None:
        return IssueId(self.key) if self.key in RULES else None

    @property
    def who(self) -> str:
        return role_labels(self.roles)

    @property
    def where(self) -> tuple[str, ...]:
        return tuple(ROLES[r].where for r in self.roles)

    @property
    def needs_creator(self) -> bool:
        """True when the fix starts with a message to the creator that `cause_message` can write."""
        issue_id = self.issue_id
        return issue_id is not None and RULES[issue_id].needs_creator


def rank_causes(symptom_ids: Sequence[str]) -> list[Cause]:
    """Causes of the picked symptoms, the one explaining most of them first.

    Ties keep the order the symptoms list their causes in (most likely first); symptoms
    that no sheet column explains (format not supported, caption change) come last, as
    advice.
    """
    explains: dict[IssueId, list[str]] = {}
    position: dict[IssueId, tuple[int, int]] = {}
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


def issue_cause(issue_id: IssueId, explains: tuple[str, ...] = ()) -> Cause:
    """The cause behind one issue id, in its rule's words."""
    issue = RULES[issue_id]
    return Cause(
        key=issue_id, title=issue.label, why=issue.cause, steps=issue.steps, roles=issue.roles, explains=explains
    )


# ---------------------------------------------------------------------------
# One row of the sheet against one cause (the checks live with their rules).

_CANNOT_TELL = possible("Nothing in the sheet can show this: check it in Ads Manager.")


def check_cause(cause: Cause, row: pd.Series) -> Verdict:
    """What this diagnosed row says about this cause."""
    issue_id = cause.issue_id
    return RULES[issue_id].check(RowFacts.of(row)) if issue_id else _CANNOT_TELL


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
    one = pd.DataFrame({**{k: [v] for k, v in facts.items()}, "issues": [[cause.key]]})
    creator = facts["creator"] if isinstance(facts["creator"], str) else ""
    return creator_message(creator, one, today, sender)


def row_choices(diagnosed: pd.DataFrame) -> dict[object, str]:
    """Row key (see `lib.filters.row_keys`) → 'creator · campaign (sheet row N)', for the row picker, in sheet order.

    Words people know the post by, not a 19-digit video id: the creator and the campaign, and
    'post 2 of 3' when the creator has several posts in that campaign (or 'no post link' when
    the row has none). The key stays the row's, so a label can change without losing the pick.
    """
    ordered = diagnosed.sort_values([c for c in (TAB, "row") if c in diagnosed.columns], kind="stable")
    creator = ordered["creator"].astype("string")
    if "campaign" in ordered.columns:
        campaign = ordered["campaign"].astype("string")
    else:
        campaign = pd.Series(pd.NA, index=ordered.index, dtype="string")
    together = pd.DataFrame({"creator": creator.fillna("\x00"), "campaign": campaign.fillna("\x00")})
    groups = together.groupby(["creator", "campaign"], sort=False)
    nth, count = groups.cumcount() + 1, groups["creator"].transform("size")
    post = ("post " + nth.astype(str) + " of " + count.astype(str)).where(count > 1, "")
    post = post.mask(ordered["post"].isna(), "no post link").astype("string")
    labels = isolate_all(creator.fillna("(no creator)"))
    if campaign.notna().any():  # a sheet without campaigns is not told each row has none
        labels = labels + " · " + isolate_all(campaign).fillna("no campaign")
    labels = labels + (" · " + post).where(post != "", "") + " (" + row_places(ordered) + ")"
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
