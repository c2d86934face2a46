"""The Troubleshooter page's sections: symptoms → likely causes → fix, checked against one row.

Cause titles, reasons and steps are the product's own words (`lib.vocab`); anything that
comes from the sheet (a handle, a region, a masked code, the message) goes through
`st.text` or `st.code`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from lib import decoder
from lib import troubleshoot as ts
from lib.filters import row_by_key
from lib.symptoms import SYMPTOMS
from lib.vocab import HARD_REFRESH_NOTE
from ui.state import Context

KEY_SYMPTOMS = "troubleshooter_symptoms"
KEY_ROW = "troubleshooter_row"

VERDICT_BADGES = {
    state: f":{colour}-badge[:material/{icon}: {ts.VERDICT_LABELS[state]}]"
    for state, colour, icon in (
        ("confirmed", "red", "check_circle"),
        ("possible", "orange", "help"),
        ("ruled_out", "green", "block"),
    )
}
"""The verdict as a coloured badge: the product's own words only, so markdown is safe here."""

Judged = list[tuple[ts.Cause, ts.Verdict | None]]


KEY_DESCRIBE = "troubleshooter_describe"
KEY_DESCRIBED = "troubleshooter_described"
NO_MATCH = "No symptom matches those words: pick what you see from the list below."


def describe() -> None:
    """A text box: what the person sees in their own words pre-selects the matching symptoms.

    The words are matched (`lib.decoder.match_symptoms`), never shown back; the picker below
    then shows the symptoms' own labels, which the person can still change.
    """
    st.text_input(
        "Describe what you see (optional)",
        key=KEY_DESCRIBE,
        placeholder="For example: the preview disappeared",
        on_change=_describe_changed,
    )
    if st.session_state.get(KEY_DESCRIBED) == []:
        st.caption(NO_MATCH)


def _describe_changed() -> None:
    """Add the symptoms the words describe to those already picked (a callback: before the picker is drawn)."""
    found = decoder.match_symptoms(st.session_state.get(KEY_DESCRIBE) or "")
    st.session_state[KEY_DESCRIBED] = found if (st.session_state.get(KEY_DESCRIBE) or "").strip() else None
    picked = list(st.session_state.get(KEY_SYMPTOMS) or [])
    st.session_state[KEY_SYMPTOMS] = list(dict.fromkeys([*picked, *found]))


def pick_symptoms() -> list[str]:
    """What the person sees, in plain words; several can be picked."""
    return st.multiselect(
        "What do you see?",
        list(SYMPTOMS),
        key=KEY_SYMPTOMS,
        format_func=lambda s: SYMPTOMS[s].label,
        placeholder="Pick one or more symptoms",
    )


def pick_row(ctx: Context) -> pd.Series | None:
    """Optionally, the creator/post it is about; the causes are then checked against that row."""
    choices = ts.row_choices(ctx.filtered)
    if st.session_state.get(KEY_ROW) not in (None, *choices):
        st.session_state[KEY_ROW] = None
    key = st.selectbox(
        "Which creator and post is it about? (optional)",
        list(choices),
        key=KEY_ROW,
        index=None,
        format_func=choices.__getitem__,
        placeholder="Any post: don't check the sheet",
    )
    return None if key is None else row_by_key(ctx.filtered, key)


def judge(symptoms: Sequence[str], row: pd.Series | None) -> Judged:
    """The ranked causes, each with the row's verdict when a row is picked."""
    causes = ts.rank_causes(symptoms)
    if row is None:
        return [(cause, None) for cause in causes]
    return list(ts.check_causes(causes, row))


def causes(judged: Judged, picked: int) -> None:
    """Each likely cause: why, the fix as numbered steps, who does it and where."""
    st.header("Likely causes, most likely first", anchor=False)
    for n, (cause, verdict) in enumerate(judged, 1):
        with st.container(border=True, key=f"troubleshooter_cause_{n}"):
            st.subheader(f"{n}. {cause.title}", anchor=False)
            if cause.issue_id and picked > 1:
                st.caption(f"Explains {len(cause.explains)} of the {picked} symptoms you picked.")
            if verdict is not None:
                st.markdown(VERDICT_BADGES[verdict.state])
                st.text(verdict.reason)
            st.markdown(f"**Why it happens:** {cause.why}")
            st.markdown("**How to fix it:**\n\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(cause.steps, 1)))
            where = "; ".join(dict.fromkeys(cause.where))
            st.markdown(f"**Who:** {cause.who} — **where:** {where}")


def message(ctx: Context, judged: Judged, row: pd.Series | None) -> None:
    """A ready-to-send message to the creator for the top cause whose fix starts with them."""
    top = ts.top_creator_cause(judged)
    if top is None:
        return
    st.header("Message to the creator", anchor=False)
    st.caption(f"For the top cause that the creator can fix: {top.title}. Copy it with the button in the corner.")
    text = ts.cause_message(top, ctx.today, row)
    if text:
        st.code(text, language=None, wrap_lines=True)


def role_checklist(judged: Judged) -> None:
    """Who does what, for the causes above, and the hard-refresh reminder."""
    st.header("Who does what", anchor=False)
    for label, where, does, fixes in ts.role_checklist([cause for cause, _ in judged]):
        line = f"- **{label}** ({where}): {does}"
        if fixes:
            line += f" Here: {', '.join(fixes)}."
        st.markdown(line)
    st.info(HARD_REFRESH_NOTE, icon=":material/refresh:")
