"""The Act now page's sections: calendar reminders, messages to creators, codes to add in Ads Manager.

Each section works on the rows as filtered in the sidebar, so a lead can narrow to one
campaign and act on just that. The work is done in `lib` (reminders, messages, batches);
this module only draws it. Anything from the sheet (handles, ad accounts, messages, codes)
reaches the screen through `st.text` or `st.code`, never markdown; `st.code` also gives each
message and batch a copy button.
"""

from __future__ import annotations

from typing import Any, cast

import streamlit as st

from lib import batches as batching
from lib import reminders
from lib.bidi import isolate
from lib.clock import team_now
from lib.messages import creator_messages
from lib.vocab import ADS_MANAGER_BATCH_LIMIT, ROLES
from lib.words import coming_days, iso_date, noun, plural
from ui.access import masked_reason, may_reveal_codes, warn_if_codes_open
from ui.app_settings import zone
from ui.state import Context

KEY_DAYS = "act_calendar_days"
KEY_REMIND = "act_calendar_remind_days"
KEY_SENDER = "act_messages_sender"
KEY_CREATOR = "act_messages_creator"

MAX_DAYS = 365
MAX_REMIND_DAYS = 60
MESSAGES_SHOWN = 25
"""Messages drawn at once when no creator is picked; the picker reaches the others. They are not
boxed in a scroll area of their own: a keyboard could not enter it (WCAG 2.1.1)."""
NO_CREATOR = "(no creator in the sheet)"

IMPORT_HOW = (
    "To import: Google Calendar → Settings → Import & export → Import; Outlook → Add calendar → "
    "Upload from file; Apple Calendar → File → Import. Import a newer file the same way: events move to "
    "their new dates instead of doubling. Outlook and Apple Calendar keep the reminders; Google Calendar "
    "drops them from imported files, so for Google tick the box above to get each reminder as an event of its own."
)
KEY_EVENTS = "act_calendar_reminder_events"
WHO_SEES_CODES = (
    "Codes are masked: only the people listed under reveal_codes in Sparkwatch's settings see whole codes. "
    "Ask whoever set up Sparkwatch if you need them."
)


# ---------------------------------------------------------------------------
# Sections.


def calendar(ctx: Context) -> None:
    """An .ics file of the coming expiries, each with a reminder some days before."""
    st.header("Calendar reminders", anchor=False)
    st.caption("One event per authorization, on its last day, with a reminder before it ends.")
    left, right = st.columns(2)
    window = int(
        left.number_input(
            "Authorizations ending in the next … days",
            min_value=1,
            max_value=MAX_DAYS,
            value=reminders.DEFAULT_DAYS,
            step=1,
            key=KEY_DAYS,
        )
    )
    remind = int(
        right.number_input(
            "Remind me … days before",
            min_value=0,
            max_value=MAX_REMIND_DAYS,
            value=reminders.DEFAULT_REMIND_DAYS,
            step=1,
            key=KEY_REMIND,
            help="The reminder rings at 9:00 that day, so there is time to ask the creator for a new code. "
            "If that day has passed, it rings the next working morning (or within the quarter hour on the last day).",
        )
    )
    events = st.checkbox(
        "Also add each reminder as an event of its own (for Google Calendar)",
        key=KEY_EVENTS,
        help="A short event at 9:00 on the reminder day, which shows in the agenda even where alarms are dropped.",
    )
    count = len(reminders.due(ctx.filtered, window))
    if count:
        verb = noun(count, "ends", "end")
        st.text(f"{plural(count, 'authorization')} of the rows shown {verb} {coming_days(window)}.")
    else:
        st.info(f"None of the rows shown ends {coming_days(window)}, so there is nothing to remind.")
    st.download_button(
        "Download calendar file (.ics)",
        # Stamped with the read time; alarms already due are worked out from the present moment.
        data=reminders.reminders_ics(
            ctx.filtered, ctx.today, window, remind, now=team_now(zone()), stamp=ctx.loaded_at, reminder_events=events
        )
        if count
        else b"",
        file_name=f"sparkwatch-reminders-{iso_date(ctx.today)}.ics",
        mime="text/calendar",
        icon=":material/calendar_month:",
        on_click="ignore",
        disabled=not count,
        key="act_calendar_download",
    )
    st.caption(IMPORT_HOW)


def messages(ctx: Context) -> None:
    """One message per creator covering all their posts that need them, each with a copy button."""
    st.header("Messages to creators", anchor=False)
    sender = st.text_input("Sign the messages as (optional)", key=KEY_SENDER, placeholder="Your name and brand")
    found = creator_messages(ctx.filtered, ctx.today, sender.strip())
    if found.empty:
        st.success("No creator needs to do anything for the rows shown.")
        return
    st.caption(
        "For posts whose code ended, is about to end, was withdrawn, is missing or too short, or that are "
        "not public. Each message names the post, the steps in the TikTok app and the duration to pick."
    )
    names = found["creator"].tolist()
    if st.session_state.get(KEY_CREATOR) not in (None, *names):
        st.session_state[KEY_CREATOR] = None
    picked = st.selectbox(
        "Creator",
        names,
        key=KEY_CREATOR,
        index=None,
        format_func=lambda name: name or NO_CREATOR,
        placeholder="All creators" if len(names) == 1 else f"All {len(names)} creators",
    )
    shown = found if picked is None else found.loc[found["creator"] == picked]
    if len(shown) > MESSAGES_SHOWN:
        st.text(f"Showing the first {MESSAGES_SHOWN} of {len(shown)} creators; pick one above to see any other.")
    with st.container(key="act_messages_list"):
        for rec in shown.head(MESSAGES_SHOWN).itertuples(index=False):
            creator, posts = cast("str | None", rec.creator), cast(int, rec.posts)  # the stubs: any scalar
            st.text(f"{isolate(creator) or NO_CREATOR} · {plural(posts, 'post')}")
            st.code(rec.message, language=None, wrap_lines=True)


def ads_manager_batches(ctx: Context) -> None:
    """Codes received but not applied yet, per ad account, in batches Ads Manager takes in one go."""
    st.header("Codes to add in Ads Manager", anchor=False)
    reveal = may_reveal_codes()
    found = batching.batches(ctx.filtered, reveal_codes=reveal)
    if found.empty:
        st.success("No codes are waiting to be added to Ads Manager for the rows shown.")
        return
    st.caption(
        f"Received codes not marked as applied in the sheet, soonest end first, at most {ADS_MANAGER_BATCH_LIMIT} "
        f"per batch (the most Ads Manager takes at once). Paste each batch in {ROLES['advertiser'].where} → "
        "Add code, then mark the rows as applied in the sheet."
    )
    if reveal:
        warn_if_codes_open()
    else:
        st.info(masked_reason(WHO_SEES_CODES), icon=":material/lock:")
    for rec in found.itertuples(index=False):
        st.text(batch_heading(rec))
        st.code(rec.codes, language=None)


def batch_heading(rec: Any) -> str:
    """'STRIDE-EU-02 · batch 1 of 2 · 20 codes (rows 4, 7, …) from @a, @b' in plain text."""
    rows = ", ".join(str(r) for r in rec.rows)
    part = f" · batch {rec.batch} of {rec.batches}" if rec.batches > 1 else ""
    where = noun(len(rec.rows), "sheet row")
    return f"{isolate(rec.ad_account)}{part} · {plural(rec.size, 'code')} ({where} {rows}) from {rec.creators}"


__all__ = ["ads_manager_batches", "calendar", "messages"]
