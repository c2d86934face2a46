"""Streamlit glue for where the data comes from: the caches the reading policy runs on, and what
the sidebar and the top of each page say about it.

The policy itself — when to read again, what a failure shows — is `lib.reading`; the source
is `lib.sources.open_source` for the configured `SourceConfig` (`app_settings.source_config`).
Here that policy gets Streamlit's caches, all shared by every viewer of the app:

- the Google client (`st.cache_resource`), keyed by the key's email, a digest of the key, the
  API root and the timeout — never by the key's text; it also remembers the first tab's title,
  so one refresh is one Sheets API request whether or not a tab is configured;
- each read's result (`st.cache_resource`: one object for all, never modified), kept as long as `lib.reading` says;
- the last good read of each source (`st.cache_resource`), shown as "stale" when a later read fails.

A person's own upload (`ui.upload`) replaces the configured source for their session.
Nothing here puts key material into a message, a cache key or the page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from lib import reading, settings
from lib.reading import Attempt, Loaded, Outcome
from lib.settings import SourceConfig
from lib.sources import DEMO_LABEL, Source, open_source
from lib.words import plural
from ui import app_settings, upload

if TYPE_CHECKING:  # gspread is imported only when a Google Sheet is read
    from lib.sources.gsheet import SheetReader

KEY_OUTCOME = "_source_outcome"
KEY_TEST_RESULT = "_connection_test"
KEY_FORCE = "_read_again"
KEY_LAST_CLICK = "_last_refresh"
KEY_THROTTLED = "_refresh_throttled"
THROTTLED_KINDS = ("google_sheet", "published")
"""Sources read over the network, whose reads cost the team quota and wait."""


# --- the caches -------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _reader(email: str, fingerprint: str, api_root: str, timeout: float, _info: Mapping[str, Any]) -> SheetReader:
    """One Google client per key (and API root and timeout), kept for the life of the server."""
    from lib.sources.gsheet import sheet_reader

    return sheet_reader(_info, timeout=timeout, endpoint=api_root or None)


def reader_for(config: SourceConfig) -> SheetReader:
    """The cached `SheetReader` for a Google Sheet config; SourceError when its key can't be used."""
    info = config.account_info()
    email = str(info.get("client_email") or "") if isinstance(info, Mapping) else ""
    return _reader(email, settings.account_fingerprint(info), config.api_root, config.timeout, _info=info)


def source_for(config: SourceConfig) -> Source:
    """The configured source, with the app's cached Google client."""
    return open_source(config, reader=reader_for)


@st.cache_resource(show_spinner="Reading the sheet…", max_entries=16)
def _attempt(source_id: str, today: dt.date, _read: Callable[[], Attempt]) -> Attempt:
    """One read, kept per source and day.

    `today` is part of the key because the demo sheet is dated around it, and so that a
    sheet read yesterday is read again today. The one read is handed to every session as it
    is (not a copy per run, which cost each viewer's every click a copy of the whole sheet):
    nothing may modify it, and the diagnosis works on its own copy.
    """
    return _read()


class _CachedAttempts:
    """`lib.reading.AttemptCache` on `st.cache_resource`, so every session shares the reads."""

    def get(self, source_id: str, today: dt.date, read: Callable[[], Attempt]) -> Attempt:
        return _attempt(source_id, today, read)

    def forget(self, source_id: str, today: dt.date) -> None:
        _attempt.clear(source_id=source_id, today=today)


@st.cache_resource(show_spinner=False)
def _good_reads() -> reading.GoodReads:
    return reading.GoodReads()


@st.cache_resource(show_spinner=False)
def _in_flight() -> reading.InFlight:
    return reading.InFlight()


@st.cache_resource(show_spinner=False)
def _source_throttle() -> reading.Throttle:
    """On-demand reads per source, whoever asks: shared by every session."""
    return reading.Throttle()


# --- reading ----------------------------------------------------------------------------------


def read_configured(config: SourceConfig, today: dt.date, *, force: bool = False) -> Outcome:
    """The configured source's data: from the cache while it is fresh, else read again (see `lib.reading`)."""
    return reading.read_outcome(
        source_for(config),
        config.source_id(),
        today,
        cache_ttl=config.cache_ttl,
        clock=reading.system_clock,
        attempts=_CachedAttempts(),
        good_reads=_good_reads(),
        in_flight=_in_flight(),
        date_order=config.date_order,
        force=force,
    )


def current(today: dt.date | None = None) -> Outcome:
    """This session's source and data: its upload if it made one, else the configured source."""
    mine = upload.current()
    if mine is not None:
        outcome = Outcome(f"Uploaded file: {mine.name}", "upload", f"upload|{mine.digest}", mine.loaded)
    else:
        force = bool(st.session_state.pop(KEY_FORCE, False))
        outcome = read_configured(app_settings.source_config(), today or app_settings.today(), force=force)
    st.session_state[KEY_OUTCOME] = outcome
    return outcome


def last_outcome() -> Outcome | None:
    """The outcome `current` worked out in this run (None before it ran)."""
    return st.session_state.get(KEY_OUTCOME)


def refresh() -> None:
    """Refresh button: read the configured source again on this run, unless it was read on demand just now.

    Only this source is read again, and the data on everyone's screen stays until the new
    read is in: nobody's click empties anyone else's page or spends the team's Sheets quota.
    """
    wait = _may_read_now(app_settings.source_config())
    if wait:
        st.session_state[KEY_THROTTLED] = wait
        return
    st.session_state[KEY_FORCE] = True


def _may_read_now(config: SourceConfig) -> float:
    """0 when an on-demand read may start now (and counts it); else the seconds to wait.

    Once per `refresh_seconds` (the settings; 30 by default) per person, and once per
    `refresh_seconds` per source whoever asks; the demo and files on this server cost nothing
    to read again, so they are not held back.
    """
    if config.kind not in THROTTLED_KINDS or config.refresh_seconds <= 0:
        return 0.0
    now = reading.system_clock()
    mine = st.session_state.get(KEY_LAST_CLICK)
    if isinstance(mine, dt.datetime):
        wait = config.refresh_seconds - (now - mine).total_seconds()
        if wait > 0:
            return wait
    wait = _source_throttle().take(config.source_id(), now, config.refresh_seconds)
    if not wait:
        st.session_state[KEY_LAST_CLICK] = now
    return wait


def throttled_note() -> str | None:
    """Once, after a refused click: why nothing was read, and when it can be."""
    wait = st.session_state.pop(KEY_THROTTLED, None)
    if not wait:
        return None
    return (
        "The sheet was read moments ago, so it was not read again (that keeps the team within Google's limits). "
        f"Refresh works again in {plural(math.ceil(wait), 'second')}."
    )


@dataclass(frozen=True)
class ConnectionCheck:
    """What a connection test found: rows, or why it failed, and which source it read."""

    ok: bool
    rows: int = 0
    message: str = ""
    tested: str = ""
    """The source read, in plain words (may hold the sheet's title: show it as text only)."""
    nothing_to_test: bool = False
    """Nothing is set up (the app shows its built-in demo), so nothing was read."""


def test_connection() -> None:
    """Button callback: read the configured source now (a refresh) and keep the result for the page.

    It reads the team's source, never this session's upload; with nothing set up it reads nothing.
    """
    config = app_settings.source_config()
    if config.kind == "demo" and not config.problem:
        st.session_state[KEY_TEST_RESULT] = ConnectionCheck(False, nothing_to_test=True)
        return
    wait = _may_read_now(config)
    if wait:
        message = f"The sheet was read moments ago; test again in {plural(math.ceil(wait), 'second')}."
        st.session_state[KEY_TEST_RESULT] = ConnectionCheck(False, message=message)
        return
    outcome = read_configured(config, app_settings.today(), force=True)
    if outcome.loaded is None or outcome.error is not None:
        result = ConnectionCheck(False, message=outcome.error or "")
    else:
        result = ConnectionCheck(True, rows=len(outcome.loaded.normalized.frame), tested=outcome.label)
    st.session_state[KEY_TEST_RESULT] = result


# --- what the sidebar and pages show ------------------------------------------------------------


def clock(moment: dt.datetime) -> str:
    """HH:MM in the team's time zone."""
    return f"{moment.astimezone(app_settings.zone()):%H:%M}"


def sidebar_block(outcome: Outcome, on_refresh: Callable[[], None]) -> None:
    """Which source is live, when it was last read, and the Refresh button."""
    st.subheader("Data")
    if outcome.kind == "demo" and outcome.error is None:
        st.info(DEMO_LABEL, icon=":material/science:")
    else:
        st.text(outcome.label)
    if outcome.loaded is not None:
        verb = "Uploaded" if outcome.kind == "upload" else "Last synced"
        state = " — stale" if outcome.stale else " — reading the sheet again…" if outcome.refreshing else ""
        st.caption(f"{verb} {clock(outcome.loaded.loaded_at)}{state}")
    elif outcome.error is not None:
        st.caption("Not read — see the message on the page.")
    st.button("Refresh", on_click=on_refresh, icon=":material/refresh:", help="Read the sheet again now.")
    note = throttled_note()
    if note:
        st.caption(note)


def stale_note(outcome: Outcome) -> None:
    """Above the page: the data is from an earlier read, why the new one failed and what to do."""
    if st.session_state.pop(upload.KEY_LET_GO, False):
        st.warning(upload.LET_GO, icon=":material/upload_file:")
    if not outcome.stale or outcome.loaded is None:
        return
    st.warning(
        f"Stale since {clock(outcome.loaded.loaded_at)} — the sheet could not be read again, so this is the data "
        "from then. What went wrong and what to do:",
        icon=":material/history:",
    )
    st.text(outcome.error or "")


__all__ = [
    "DEMO_LABEL",
    "Loaded",
    "Outcome",
    "current",
    "last_outcome",
    "read_configured",
    "refresh",
    "sidebar_block",
    "source_for",
    "stale_note",
    "test_connection",
]
