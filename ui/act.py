"""The Act now page's sections: calendar reminders, messages to creators, codes to add in Ads Manager,
and (with TikTok set up, for the people on the reveal list) applying codes and unbinding ended posts.

Each section works on the rows as filtered in the sidebar, so a lead can narrow to one
campaign and act on just that. The work is done in `lib` (reminders, messages, batches);
this module only draws it. Anything from the sheet (handles, ad accounts, messages, codes)
reaches the screen through `st.text` or `st.code`, never markdown; `st.code` also gives each
message and batch a copy button.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
import streamlit as st

from lib import batches as batching
from lib import reminders
from lib.actionlog import log_path
from lib.bidi import isolate
from lib.clock import team_now
from lib.errors import UsageError
from lib.messages import creator_messages
from lib.tiktok.actions import (
    ACTION_BUDGET,
    APPLIED,
    NOT_TRIED,
    REFUSED,
    UNBOUND,
    WOULD,
    ActionRun,
    apply_codes,
    apply_plan,
    unbind_plan,
    unbind_posts,
)
from lib.tiktok.api import TikTokApi
from lib.vocab import ADS_MANAGER_BATCH_LIMIT, ROLES
from lib.words import coming_days, iso_date, noun, plural
from ui import access, tiktok
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


# ---------------------------------------------------------------------------
# Acting on the ad accounts through TikTok's API (`lib.tiktok.actions`): the reveal list only, confirmed first.

KEY_ACCOUNT = "act_tiktok_account"
KEY_RUN = "_act_tiktok_run"
APPLY_BUTTON = "Apply these codes"
UNBIND_BUTTON = "Unbind ended posts"
NOT_ALLOWED = (
    "Applying codes and unbinding posts changes your ad accounts, so only the people on the reveal list "
    "(reveal_codes in Sparkwatch's settings) can do it from here. Ask whoever set up Sparkwatch, or do it in "
    "Ads Manager."
)
NOT_ALLOWED_NO_LOGIN = (
    "Applying codes and unbinding posts changes your ad accounts, so only the people on the reveal list can do "
    "it from here, and no login is set up, so nobody is known. Set up a login (see the README's Security "
    "section), or do it in Ads Manager."
)
NOT_READ = (
    "TikTok could not be read just now, so nothing is applied or unbound from here until it can be: "
    "Sparkwatch checks what each ad account already holds first (see the note at the top of the page)."
)
_OUTCOME_WORDS = {
    APPLIED: "applied",
    UNBOUND: "unbound",
    REFUSED: "refused by TikTok",
    NOT_TRIED: "not sent",
    WOULD: "would be sent",
}


def tiktok_actions(ctx: Context) -> None:
    """Apply the codes waiting to be applied, and unbind posts whose authorization is over: for the reveal list only.

    Not drawn at all when TikTok is not set up (the Data page says how).
    """
    config = tiktok.config()
    if config is None:  # the Data page says how to set TikTok up
        return
    st.header("Apply codes and unbind posts in TikTok", anchor=False)
    if not may_reveal_codes():
        st.info(NOT_ALLOWED_NO_LOGIN if not access.policy().login_required else NOT_ALLOWED, icon=":material/lock:")
        return
    if config.problem:
        st.info("The TikTok settings need fixing first: the Data page says what is wrong.", icon=":material/settings:")
        return
    if ctx.tiktok is None or ctx.tiktok.read is None or ctx.tiktok.error is not None:
        st.info(NOT_READ, icon=":material/cloud_off:")
        return
    st.caption(
        "For the rows as filtered in the sidebar. Each code or post is sent to TikTok on its own, and each attempt "
        "is written to the action log (who, when, which post, the code masked)."
    )
    last_run()
    apply_section(ctx, config.advertiser_ids)
    unbind_section(ctx)


def apply_section(ctx: Context, accounts: tuple[str, ...]) -> None:
    st.subheader("Apply these codes", anchor=False)
    plan = apply_plan(ctx.filtered)
    if plan.empty:
        st.success("No code is waiting to be applied for the rows shown.", icon=":material/check:")
        return
    st.dataframe(plan_table(plan), hide_index=True, key="act_tiktok_apply_plan")
    ready = int(plan["ready"].sum())
    if not ready:
        st.text("None of these can be applied as they are: the table says why beside each.")
        return
    account = st.selectbox(
        "Ad account to apply them to",
        list(accounts),
        index=0 if len(accounts) == 1 else None,
        key=KEY_ACCOUNT,
        placeholder="Pick the ad account",
    )
    if account is None:
        st.button(
            APPLY_BUTTON, type="primary", disabled=True, help="Pick the ad account first.", icon=":material/add_link:"
        )
        return
    what = plural(ready, "code")
    confirmed = st.checkbox(f"I want to apply these {what} to ad account {account}", key=f"act_apply_{account}_{ready}")
    st.button(
        APPLY_BUTTON,
        type="primary",
        disabled=not confirmed,
        on_click=_apply_now,
        args=(plan, account, f"act_apply_{account}_{ready}"),
        icon=":material/add_link:",
    )


def unbind_section(ctx: Context) -> None:
    st.subheader("Unbind ended posts", anchor=False)
    plan = unbind_plan(ctx.filtered)
    if plan.empty:
        st.success(
            "No ad account holds a post whose authorization has ended, for the rows shown.", icon=":material/check:"
        )
        return
    st.caption("Posts an ad account still holds although their authorization ended, was withdrawn or the post is gone.")
    st.dataframe(plan_table(plan), hide_index=True, key="act_tiktok_unbind_plan")
    what = plural(len(plan), "post")
    key = f"act_unbind_{len(plan)}"
    confirmed = st.checkbox(f"I want to unbind these {what} from their ad accounts", key=key)
    st.button(UNBIND_BUTTON, disabled=not confirmed, on_click=_unbind_now, args=(plan, key), icon=":material/link_off:")


def plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    """A plan as people read it: codes masked, and why a row is skipped."""
    return pd.DataFrame(
        {
            "Sheet row": plan["row"],
            "Creator": plan["creator"],
            "Code": plan["shown"],
            "Ad account": plan["advertiser_id"],
            "Will be sent": plan["ready"].map({True: "yes", False: "no"}),
            "Why not": plan["reason"].replace({"": None}),
        }
    )


def _apply_now(plan: pd.DataFrame, account: str, confirm_key: str) -> None:
    _run("apply", account, lambda api, log: apply_codes(api, account, plan, who=access.who(), log=log), confirm_key)


def _unbind_now(plan: pd.DataFrame, confirm_key: str) -> None:
    _run("unbind", "", lambda api, log: unbind_posts(api, plan, who=access.who(), log=log), confirm_key)


def _run(action: str, account: str, act: Any, confirm_key: str) -> None:
    """Button callback: run the action once (for the reveal list only), keep its result, and read TikTok again."""
    st.session_state[confirm_key] = False  # a second run needs a second confirmation
    config = tiktok.config()
    if config is None or not config.ready or not may_reveal_codes():
        return
    api = TikTokApi(config.access_token, config.api_base, budget=ACTION_BUDGET)
    try:
        run: ActionRun | str = act(api, log_path())
    except UsageError as error:  # the action log can't be written: said, never hidden
        run = str(error)
    finally:
        api.close()
    st.session_state[KEY_RUN] = (action, account, run)
    tiktok.read_again()


def last_run() -> None:
    """What the last apply or unbind did, one line per code (masked), TikTok's refusals decoded."""
    kept = st.session_state.get(KEY_RUN)
    if kept is None:
        return
    action, account, run = kept
    if isinstance(run, str):
        st.error("Nothing was sent: the action log could not be written.", icon=":material/error:")
        st.text(run)
        return
    done = "Applied" if action == "apply" else "Unbound"
    what = "code" if action == "apply" else "post"
    sent = sum(r.outcome != NOT_TRIED for r in run.results)
    head = f"{done} {run.done} of {plural(sent, what)}"
    head += f" to ad account {account}" if account else ""
    if run.refused:
        head += f"; TikTok refused {run.refused}"
    if run.refused or run.stopped:
        st.warning(head + ".", icon=":material/warning:")
    else:
        st.success(head + ".", icon=":material/check:")
    if run.stopped:
        st.error("TikTok stopped answering, so the rest were not sent:", icon=":material/error:")
        st.text(run.stopped)
    for r in run.results:
        said = _OUTCOME_WORDS.get(r.outcome, r.outcome)
        st.text(f"Sheet row {r.row} · {isolate(r.creator) or NO_CREATOR} · {r.shown} · {said}")
        if r.error is not None:
            st.text(f"    {r.error.title}: {r.error.meaning} {r.error.fix}")
        elif r.detail:
            st.text(f"    {r.detail}")


__all__ = ["ads_manager_batches", "calendar", "messages", "tiktok_actions"]
