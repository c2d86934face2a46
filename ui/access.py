"""The login gate and the code-reveal permission, as the app shows them.

The rules live in `lib.access`; this module asks Streamlit who is signed in and draws the
login page, the polite refusal and the sidebar's one-line status. `gate()` runs before any
data is read, on every page, so nobody outside the allowlist ever gets a byte of the sheet.
"""

from __future__ import annotations

import streamlit as st

from lib.access import AccessPolicy, can_reveal, is_allowed, policy_from_secrets, signed_in_email
from lib.errors import SettingsError
from ui.app_settings import app_secrets

OPEN_LINK_NOTE = "Open to anyone with the link: no login is set up (see the README's Security section)."
NO_LOGIN_MASKED = (
    "Codes stay masked: no login is set up, so anyone with the link could see them. Set up a login "
    "(see the README's Security section), or, on a computer nobody else uses, set "
    "reveal_without_login = true under [access] in Sparkwatch's settings."
)
OPEN_REVEAL_WARNING = (
    "Anyone who opens this app can see whole codes: no login is set up and reveal_without_login is on. "
    "Keep it on a computer nobody else uses, or set up a login before sharing the link."
)
UNVERIFIED = "your login provider has not verified that address"


def policy() -> AccessPolicy:
    """The access rules in force; an unreadable settings file locks everything (fail closed)."""
    try:
        return policy_from_secrets(app_secrets())
    except SettingsError:
        return AccessPolicy(login_required=True)


def _email() -> str | None:
    """The verified address of whoever is signed in (see `lib.access.signed_in_email`)."""
    return signed_in_email(st.user)


def _claimed_email() -> str | None:
    """The address the login claims, verified or not: only for telling someone who they are."""
    email = st.user.get("email") if st.user.get("is_logged_in") else None
    return str(email) if email else None


def gate() -> AccessPolicy:
    """Stop the run unless the viewer may see the dashboard; returns the policy in force."""
    try:
        rules = policy_from_secrets(app_secrets())
    except SettingsError as error:
        st.title("Sparkwatch", anchor=False)
        st.error(str(error))
        st.stop()
    if not rules.login_required:
        return rules
    if not st.user.get("is_logged_in"):
        st.title("Sparkwatch", anchor=False)
        st.write("This dashboard is private to your team. Log in with your work account to see it.")
        settings = app_secrets().get("access")
        provider = settings.get("provider") if isinstance(settings, dict) else None
        st.button("Log in", type="primary", on_click=st.login, args=(provider,) if provider else ())
        st.stop()
    email = _email()
    if not is_allowed(rules, email):
        claimed = _claimed_email()
        who = claimed or "an account without an email address"
        if claimed and not email:
            who = f"{claimed}, but {UNVERIFIED}"
        st.title("Sparkwatch", anchor=False)
        st.error("Sorry, this dashboard is only open to the team that runs it.")
        st.text(f"You are signed in as {who}. Ask the dashboard's admin to add you, or log in with another account.")
        st.button("Log out", on_click=st.logout)
        st.stop()
    return rules


def may_reveal_codes() -> bool:
    """May the viewer of this run reveal whole codes?"""
    return can_reveal(policy(), _email())


def who() -> str:
    """Who acts, for the action log: the signed-in (verified) address, or "dashboard" without a login."""
    return _email() or "dashboard"


def codes_open_to_anyone() -> bool:
    """Are whole codes shown to whoever opens the link (no login, and the admin opted in)?"""
    rules = policy()
    return not rules.login_required and can_reveal(rules, None)


def masked_reason(with_login: str) -> str:
    """Why codes are masked for this viewer: no login at all, or (`with_login`) not on the reveal list."""
    return NO_LOGIN_MASKED if not policy().login_required else with_login


def warn_if_codes_open() -> None:
    """On a page that reveals codes, say plainly when that page is open to anyone with the link."""
    if codes_open_to_anyone():
        st.warning(OPEN_REVEAL_WARNING, icon=":material/warning:")


def sidebar_status(rules: AccessPolicy) -> None:
    """Who is signed in (with a Log out button), or that the link is open to anyone."""
    if not rules.login_required:
        st.caption(OPEN_LINK_NOTE)
        return
    st.text(f"Signed in as {_email()}")  # text, not markdown: an address may hold _ or *
    st.button("Log out", on_click=st.logout, key="sidebar_logout")
