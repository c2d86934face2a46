"""Streamlit glue for where the data comes from: the configured sheet, an upload, caching, stale data.

The source is configured in the app's settings or environment (`lib.settings`); a person may
upload an export for their own session instead. Reads go through three caches, all shared by
every viewer of the app:

- the Google client (`st.cache_resource`), keyed by the key's email and a digest of the key,
  never by the key's text; it also remembers the first tab's title, so one refresh is one
  Sheets API request whether or not a tab is configured;
- each read's result (`st.cache_data`), reused for the configured cache time — failures too,
  for at most a minute, so a sheet that hangs does not hang every click;
- the last good read of each source (`st.cache_resource`), shown as "stale" with the plain
  reason when a later read fails.

Nothing here puts key material into a message, a cache key or the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from lib import settings
from lib.errors import ErrorKind, SettingsError, SourceError
from lib.normalize import Normalized, normalize
from lib.settings import SourceConfig
from lib.sources import SHEETS_ENDPOINT_ENV
from lib.sources.files import read_bytes
from ui import app_settings

if TYPE_CHECKING:  # gspread is imported only when a Google Sheet is read
    from lib.sources.gsheet import SheetReader

DEMO_LABEL = "Demo sheet — sample data, not your team's"
FAILURE_RETRY_SECONDS = 60
"""A failed read is tried again after this long at most (or on Refresh), not on every click."""
MAX_GOOD_READS = 16

KEY_OUTCOME = "_source_outcome"
KEY_UPLOAD = "_upload"
KEY_UPLOAD_ERROR = "_upload_error"
KEY_UPLOADER_ROUND = "_uploader_round"
KEY_TEST_RESULT = "_connection_test"


@dataclass(frozen=True)
class Loaded:
    """One good read: the normalised sheet and when it was read."""

    normalized: Normalized
    loaded_at: dt.datetime


@dataclass(frozen=True)
class Attempt:
    """One read of the configured source, good or not (failures are cached too, briefly)."""

    at: dt.datetime
    loaded: Loaded | None = None
    error: str = ""
    kind: str = ""
    title: str = ""
    """The spreadsheet's own title, when the read learnt it."""


@dataclass(frozen=True)
class Outcome:
    """What the app shows this run: the data (fresh or stale), the failure if any, and a label."""

    label: str
    """Which source is live, in plain words; may hold sheet text: show it with st.text only."""
    kind: str
    source_id: str
    loaded: Loaded | None
    error: str | None = None
    error_kind: str | None = None

    @property
    def stale(self) -> bool:
        """Data is shown, but the latest read failed."""
        return self.loaded is not None and self.error is not None


@dataclass(frozen=True)
class Upload:
    name: str
    digest: str
    loaded: Loaded


# --- configuration ----------------------------------------------------------------------------


def config() -> SourceConfig:
    """The configured source, from the app's settings (secrets) and the environment.

    A settings file that is not valid TOML names no sheet we could trust: the app goes on
    with what the environment says (else the demo, labelled as such), and the Data page
    says what to fix.
    """
    try:
        secrets = app_settings.app_secrets()
    except SettingsError as error:
        return replace(settings.parse({}, os.environ), notes=(str(error),))
    return settings.parse(secrets, os.environ)


# --- reading, with the caches ---------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@st.cache_resource(show_spinner=False, max_entries=8)
def _reader(email: str, fingerprint: str, endpoint: str, timeout: float, _info: Mapping[str, Any]) -> SheetReader:
    """One Google client per key (and API root and timeout), kept for the life of the server."""
    from lib.sources.gsheet import sheet_reader

    return sheet_reader(_info, timeout=timeout, endpoint=endpoint or None)


def reader_for(config: SourceConfig) -> SheetReader:
    """The cached `SheetReader` for a Google Sheet config; SourceError when its key can't be used."""
    info = config.account_info()
    email = str(info.get("client_email") or "") if isinstance(info, Mapping) else ""
    fingerprint = settings.account_fingerprint(info)
    endpoint = os.environ.get(SHEETS_ENDPOINT_ENV, "")  # part of the cache key: tests point it at a fake
    return _reader(email, fingerprint, endpoint, config.timeout, _info=info)


@st.cache_data(show_spinner="Reading the sheet…", max_entries=16)
def _attempt(source_id: str, today: dt.date, _config: SourceConfig) -> Attempt:
    """Read and normalise the configured source once; failures come back as an Attempt, not raised.

    `today` is part of the key because the demo sheet is dated around it, and so that a
    sheet read yesterday is read again today.
    """
    try:
        table = settings.read_source(_config, today, reader=reader_for)
        locale = reader_for(_config).locale(_config.key) if _config.kind == "google_sheet" else ""
        normalized = normalize(table, date_order=_config.date_order, sheet_locale=locale)
    except SourceError as error:
        return Attempt(_now(), error=str(error), kind=error.kind, title=_title(_config))
    now = _now()
    return Attempt(now, loaded=Loaded(normalized, now), title=_title(_config))


def _title(config: SourceConfig) -> str:
    if config.kind != "google_sheet" or config.problem:
        return ""
    try:
        return reader_for(config).title(config.key)
    except SourceError:
        return ""


class _GoodReads:
    """The last good read of each source, for every session of this server (bounded)."""

    def __init__(self) -> None:
        self._reads: OrderedDict[str, tuple[Loaded, str]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, source_id: str, loaded: Loaded, title: str) -> None:
        with self._lock:
            self._reads[source_id] = (loaded, title)
            self._reads.move_to_end(source_id)
            while len(self._reads) > MAX_GOOD_READS:
                self._reads.popitem(last=False)

    def get(self, source_id: str) -> tuple[Loaded, str] | None:
        with self._lock:
            return self._reads.get(source_id)


@st.cache_resource(show_spinner=False)
def _good_reads() -> _GoodReads:
    return _GoodReads()


def read_configured(config: SourceConfig, today: dt.date, *, force: bool = False) -> Outcome:
    """The configured source's data: from the cache while it is fresh, else read again.

    A failed read falls back to the last good read of the same source (stale), if there is one.
    """
    source_id = config.source_id()
    if config.problem:
        return Outcome(label(config), config.kind, source_id, None, config.problem, ErrorKind.SETTINGS)
    args = {"source_id": source_id, "today": today}
    if force:
        _attempt.clear(**args)
    attempt = _attempt(**args, _config=config)
    if not force and _expired(attempt, config.cache_ttl, _now()):
        _attempt.clear(**args)
        attempt = _attempt(**args, _config=config)
    good = _good_reads()
    if attempt.loaded is not None:
        good.put(source_id, attempt.loaded, attempt.title)
        return Outcome(label(config, attempt.title), config.kind, source_id, attempt.loaded)
    last = good.get(source_id)
    loaded, title = last if last is not None else (None, attempt.title)
    return Outcome(label(config, title), config.kind, source_id, loaded, attempt.error, attempt.kind)


def _expired(attempt: Attempt, cache_ttl: int, now: dt.datetime) -> bool:
    """A good read lasts the cache time; a failure at most FAILURE_RETRY_SECONDS of it."""
    limit = cache_ttl if attempt.loaded is not None else min(cache_ttl, FAILURE_RETRY_SECONDS)
    return (now - attempt.at).total_seconds() >= limit


def current(today: dt.date | None = None) -> Outcome:
    """This session's source and data: its upload if it made one, else the configured source."""
    upload = st.session_state.get(KEY_UPLOAD)
    if isinstance(upload, Upload):
        outcome = Outcome(f"Uploaded file: {upload.name}", "upload", f"upload|{upload.digest}", upload.loaded)
    else:
        outcome = read_configured(config(), today or app_settings.today())
    st.session_state[KEY_OUTCOME] = outcome
    return outcome


def last_outcome() -> Outcome | None:
    """The outcome `current` worked out in this run (None before it ran)."""
    return st.session_state.get(KEY_OUTCOME)


def refresh() -> None:
    """Forget cached reads, so the next run reads the sheet again (the client and last good reads stay)."""
    _attempt.clear()


def label(config: SourceConfig, title: str = "") -> str:
    """Which source is live, in plain words: 'Google Sheet: <title or short key>', 'Published sheet', …"""
    if config.kind == "demo":
        return DEMO_LABEL
    if config.kind == "published":
        return "Published sheet"
    if config.kind == "file":
        return f"File: {Path(config.location).name}"
    name = title or short_key(config.key)
    if config.tab == settings.ALL_TABS:
        return f"Google Sheet: {name} (all tabs)"
    return f"Google Sheet: {name}" + (f" (tab {config.tab})" if config.tab else "")


def short_key(key: str) -> str:
    """A spreadsheet key short enough to read: its start and end."""
    return key if len(key) <= 12 else f"{key[:6]}…{key[-4:]}"


def clock(moment: dt.datetime) -> str:
    """HH:MM in the team's time zone."""
    return f"{moment.astimezone(app_settings.zone()):%H:%M}"


# --- the connection test and the upload (session only) -----------------------------------------


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    rows: int = 0
    message: str = ""


def test_connection() -> None:
    """Button callback: read the configured source now (a refresh) and keep the result for the page."""
    outcome = read_configured(config(), app_settings.today(), force=True)
    if outcome.error is not None:
        result = ConnectionCheck(False, message=outcome.error)
    else:
        assert outcome.loaded is not None
        result = ConnectionCheck(True, rows=len(outcome.loaded.normalized.frame))
    st.session_state[KEY_TEST_RESULT] = result


def use_upload(name: str, data: bytes) -> str | None:
    """Use an uploaded export for this session; returns the plain error instead when it can't be read."""
    try:
        normalized = normalize(read_bytes(data, name), date_order=config().date_order)
    except SourceError as error:
        st.session_state[KEY_UPLOAD_ERROR] = str(error)
        return str(error)
    digest = hashlib.sha256(data).hexdigest()[:16]
    st.session_state[KEY_UPLOAD] = Upload(name, digest, Loaded(normalized, _now()))
    st.session_state.pop(KEY_UPLOAD_ERROR, None)
    return None


def stop_upload() -> None:
    """Go back to the configured source, and empty the upload box."""
    st.session_state.pop(KEY_UPLOAD, None)
    st.session_state.pop(KEY_UPLOAD_ERROR, None)
    st.session_state[KEY_UPLOADER_ROUND] = st.session_state.get(KEY_UPLOADER_ROUND, 0) + 1


def uploader_key() -> str:
    """The upload box's key; it changes after 'Stop using the upload', which empties the box."""
    return f"data_upload_{st.session_state.get(KEY_UPLOADER_ROUND, 0)}"


def on_upload_change(key: str) -> None:
    """Upload box callback: read the new file, or stop using the upload when the box was emptied."""
    file = st.session_state.get(key)
    if file is None:
        st.session_state.pop(KEY_UPLOAD, None)
        st.session_state.pop(KEY_UPLOAD_ERROR, None)
        return
    use_upload(file.name, file.getvalue())


# --- what the sidebar and pages show ------------------------------------------------------------


def sidebar_block(outcome: Outcome, on_refresh: Callable[[], None]) -> None:
    """Which source is live, when it was last read, and the Refresh button."""
    st.subheader("Data")
    if outcome.kind == "demo" and outcome.error is None:
        st.info(DEMO_LABEL, icon=":material/science:")
    else:
        st.text(outcome.label)
    if outcome.loaded is not None:
        verb = "Uploaded" if outcome.kind == "upload" else "Last synced"
        st.caption(f"{verb} {clock(outcome.loaded.loaded_at)}" + (" — stale" if outcome.stale else ""))
    elif outcome.error is not None:
        st.caption("Not read — see the message on the page.")
    st.button("Refresh", on_click=on_refresh, icon=":material/refresh:", help="Read the sheet again now.")


def stale_note(outcome: Outcome) -> None:
    """Above the page: the data is from an earlier read, why the new one failed and what to do."""
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
    "config",
    "current",
    "read_configured",
    "refresh",
    "sidebar_block",
    "stale_note",
    "test_connection",
    "use_upload",
]
