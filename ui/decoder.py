"""The error decoder on the Troubleshooter page: the error Ads Manager shows → meaning, fix, who.

People either paste what they see or pick it from the list of known errors; whichever they
touched last counts (changing one clears the other). Meanings, fixes and role names are the
product's own words (`lib.symptoms.ADS_ERRORS`); the pasted text is never shown back as
markdown. When the error has a cause in the symptom picker, a button picks the matching
symptom there, so the picker's causes, steps and row check take over.
"""

from __future__ import annotations

import streamlit as st

from lib import decoder
from lib.rules import RULES
from lib.symptoms import SYMPTOMS, AdsError
from lib.vocab import ROLES
from ui.troubleshooter import KEY_SYMPTOMS

KEY_TEXT = "decoder_text"
KEY_PICK = "decoder_pick"

UNKNOWN = (
    "Sparkwatch doesn't know this error. Pick what you see in the symptom picker below "
    "to find the likely causes and their fixes."
)
SEVERAL = "This matches more than one error; the name on your screen says which one it is."
SOUNDS_LIKE = (
    "Sparkwatch doesn't know this error, but the words sound like what the symptom picker below calls: {labels}."
)


def render() -> None:
    """The decoder section: a text box and a list of known errors, then what the error means."""
    st.header("Ads Manager shows an error?", anchor=False)
    st.caption("When Ads Manager refuses a code, paste the error it shows, or pick it from the list.")
    choices = dict(decoder.error_choices())
    left, right = st.columns(2)
    text = left.text_input(
        "Paste the error Ads Manager shows",
        key=KEY_TEXT,
        placeholder="For example 4025, auth_code_expired or Invalid authorization code",
        on_change=_forget,
        args=(KEY_PICK, None),
    )
    picked = right.selectbox(
        "Or pick it from the list",
        list(choices),
        key=KEY_PICK,
        index=None,
        placeholder="Known errors",
        on_change=_forget,
        args=(KEY_TEXT, ""),
    )
    if text.strip():
        errors = decoder.decode_errors(text)
        if not errors:
            unknown(text)
            return
    elif picked is not None:
        errors = (choices[picked],)
    else:
        return
    if len(errors) > 1:
        st.caption(SEVERAL)
    for n, error in enumerate(errors):
        explain(error, n)


def unknown(text: str) -> None:
    """No known error: say so, and when the words describe a symptom, offer to pick it.

    The pasted text is never shown back; only the symptoms' own labels are.
    """
    found = decoder.match_symptoms(text)
    if not found:
        st.info(UNKNOWN, icon=":material/help:")
        return
    labels = "; ".join(f"“{SYMPTOMS[s].label}”" for s in found)
    st.info(SOUNDS_LIKE.format(labels=labels), icon=":material/help:")
    st.button(
        "Show it in the symptom picker",
        key="decoder_to_picker_words",
        on_click=pick_symptoms,
        args=(found,),
        icon=":material/arrow_downward:",
    )


def explain(error: AdsError, n: int = 0) -> None:
    """One error: its plain name, number and raw name, what it means, the fix, who does it, the way to the picker."""
    with st.container(border=True, key=f"decoder_error_{n}"):
        raw = " · ".join(f"`{part}`" for part in (error.number, *error.names) if part)
        st.markdown(f"**{error.label}** · {raw}" if error.label else f"**{raw}**")
        st.markdown(f"**What it means:** {error.meaning}")
        st.markdown(f"**How to fix it:** {error.fix}")
        who = "; ".join(f"{ROLES[r].label} ({ROLES[r].where})" for r in error.roles)
        st.markdown(f"**Who:** {who}")
        symptom = decoder.symptom_for(error)
        if error.cause:
            st.markdown(f"**Likely cause in the symptom picker:** {RULES[error.cause].label}")
        if symptom is not None:
            st.button(
                "Show it in the symptom picker",
                key=f"decoder_to_picker_{n}",
                on_click=pick_symptom,
                args=(symptom,),
                icon=":material/arrow_downward:",
                help=f"Picks “{SYMPTOMS[symptom].label}” below, with its causes, fixes and a check against your sheet.",
            )


def pick_symptom(symptom: str) -> None:
    """Select the symptom in the picker (a callback, so it runs before the picker is drawn)."""
    st.session_state[KEY_SYMPTOMS] = [symptom]


def pick_symptoms(symptoms: list[str]) -> None:
    """Select these symptoms in the picker (a callback, like `pick_symptom`)."""
    st.session_state[KEY_SYMPTOMS] = list(symptoms)


def _forget(key: str, empty: object) -> None:
    st.session_state[key] = empty
