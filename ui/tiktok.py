"""Streamlit glue for TikTok: its settings, the one store of reads every viewer shares, the Data page's
test, and the note a page shows when TikTok could not be read.

The policy — when TikTok is read again, what a failure shows — is `lib.tiktok.checking`; here it
gets a store kept for the life of the server (`st.cache_resource`), keyed inside by the TikTok
set-up's fingerprint and the read of the sheet, so one refresh is one read of TikTok for everyone.
The token never reaches a page, a message, a cache key or a log: only `TikTokConfig` holds it,
and nothing here prints the config.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass

import streamlit as st

from lib.errors import SettingsError
from lib.reading import Outcome, Throttle, system_clock
from lib.tiktok.checking import TikTokOutcome, TikTokReads, tiktok_outcome
from lib.tiktok.settings import TikTokConfig, tiktok_settings
from lib.words import plural
from ui import app_settings, source

KEY_OUTCOME = "_tiktok_outcome"
KEY_TEST_RESULT = "_tiktok_test"
KEY_LAST_TEST = "_tiktok_last_test"

NOT_SET_UP = (
    "TikTok is not set up, so Sparkwatch shows only what the sheet says. To check the sheet against TikTok "
    "itself, add a TikTok access token and your ad account numbers to the settings: the README's "
    "'Check against TikTok' section says how, step by step."
)


def config() -> TikTokConfig | None:
    """TikTok's settings from `[tiktok]` in the app's settings, else the environment; None when neither names TikTok.

    A settings file that can't be read names nothing we could trust: the environment alone counts
    (the Data page says what to fix in the file).
    """
    try:
        secrets = app_settings.app_secrets()
    except SettingsError:
        secrets = {}
    return tiktok_settings(secrets, os.environ)


@st.cache_resource(show_spinner=False)
def _store() -> TikTokReads:
    """Every viewer's TikTok reads, for the life of the server."""
    return TikTokReads()


@st.cache_resource(show_spinner=False)
def _throttle() -> Throttle:
    """On-demand reads of TikTok (Test TikTok), per set-up, whoever asks."""
    return Throttle()


def min_seconds() -> float:
    """How often TikTok may be read, by anyone: as often as Refresh may read the sheet (`refresh_seconds`)."""
    return app_settings.source_config().refresh_seconds


def sheet_read(outcome: Outcome) -> str:
    """Names one read of the sheet: its source and when it was read."""
    loaded = outcome.loaded
    return f"{outcome.source_id}|{loaded.loaded_at.isoformat() if loaded is not None else ''}"


def _codes(outcome: Outcome | None) -> list[str | None]:
    if outcome is None or outcome.loaded is None:
        return []
    return outcome.loaded.normalized.frame["code"].tolist()


def current(outcome: Outcome) -> TikTokOutcome | None:
    """TikTok's word for this read of the sheet (None: TikTok is not set up); read at most once per refresh."""
    settings = config()
    if settings is None:
        st.session_state.pop(KEY_OUTCOME, None)
        return None
    with st.spinner("Reading TikTok…"):
        result = tiktok_outcome(
            settings,
            sheet_read(outcome),
            _codes(outcome),
            store=_store(),
            clock=system_clock,
            min_seconds=min_seconds(),
        )
    st.session_state[KEY_OUTCOME] = result
    return result


def read_again() -> None:
    """After the dashboard changed an ad account (codes applied, posts unbound): read TikTok on the next run."""
    settings = config()
    if settings is not None:
        _store().forget(settings.fingerprint)


@dataclass(frozen=True)
class TikTokTest:
    """What Test TikTok found: per ad account the posts it holds, or why TikTok could not be read."""

    ok: bool
    message: str = ""
    accounts: tuple[tuple[str, int], ...] = ()
    errors: tuple[str, ...] = ()


def test_tiktok() -> None:
    """Button callback: read TikTok now (for the sheet on screen), throttled like the sheet's Test connection."""
    settings = config()
    if settings is None or not settings.ready:
        message = settings.problem if settings is not None and settings.problem else NOT_SET_UP
        st.session_state[KEY_TEST_RESULT] = TikTokTest(False, message)
        return
    wait = _may_read_now(settings)
    if wait:
        message = f"TikTok was read moments ago; test again in {plural(math.ceil(wait), 'second')}."
        st.session_state[KEY_TEST_RESULT] = TikTokTest(False, message)
        return
    shown = source.last_outcome()
    result = tiktok_outcome(
        settings,
        sheet_read(shown) if shown is not None else "",
        _codes(shown),
        store=_store(),
        clock=system_clock,
        force=True,
        min_seconds=min_seconds(),
    )
    if result.read is None or result.error is not None:
        st.session_state[KEY_TEST_RESULT] = TikTokTest(False, result.error or "")
        return
    held = result.read.held
    counts = held.groupby("advertiser_id").size() if len(held) else None
    accounts = tuple((a, int(counts.get(a, 0)) if counts is not None else 0) for a in result.read.advertiser_ids)
    st.session_state[KEY_TEST_RESULT] = TikTokTest(True, accounts=accounts, errors=result.read.errors)


def _may_read_now(settings: TikTokConfig) -> float:
    """0 when an on-demand read may start now (and counts it); else the seconds to wait (per person and per set-up)."""
    seconds = min_seconds()
    if seconds <= 0:
        return 0.0
    now = system_clock()
    mine = st.session_state.get(KEY_LAST_TEST)
    if isinstance(mine, dt.datetime):
        wait = seconds - (now - mine).total_seconds()
        if wait > 0:
            return wait
    wait = _throttle().take(settings.fingerprint, now, seconds)
    if not wait:
        st.session_state[KEY_LAST_TEST] = now
    return wait


def take_test_result() -> TikTokTest | None:
    """The Test TikTok result, once, after the click."""
    return st.session_state.pop(KEY_TEST_RESULT, None)


# --- what pages say ---------------------------------------------------------------------------------


def read_at_words(result: TikTokOutcome | None) -> str:
    """' TikTok read at 14:05.' for the page top ('' when TikTok is not set up or was never read)."""
    if result is None or result.read_at is None:
        return ""
    return f" TikTok read at {source.clock(result.read_at)}."


def note(result: TikTokOutcome | None) -> None:
    """Above the page: TikTok could not be read (why, and what is shown instead), or read only in part."""
    if result is None:
        return
    if result.error is not None:
        if result.read is not None:
            at = source.clock(result.read.read_at)
            when = (
                f"TikTok could not be read just now, so this shows what TikTok said at {at} beside the sheet. "
                "What went wrong:"
            )
        else:
            when = (
                "TikTok could not be read, so this is what the sheet says alone (TikTok has not been read "
                "successfully since the app started). What went wrong:"
            )
        st.warning(when, icon=":material/cloud_off:")
        st.text(result.error)
    elif result.read is not None and result.read.errors:
        st.info("TikTok was read, but not all of it:", icon=":material/info:")
        for line in result.read.errors:
            st.text(line)


__all__ = ["NOT_SET_UP", "TikTokTest", "config", "current", "note", "read_again", "read_at_words", "test_tiktok"]
