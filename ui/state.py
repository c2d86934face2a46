"""Streamlit glue every page shares: the cached loaders, the session keys and the sidebar.

Data is read in exactly one place (`ui.source.current`, cached there), so every page and every
rerun sees the same sheet until the cache expires or someone presses Refresh. The sidebar
is drawn by `streamlit_app.py` on every run, before the page, so its filters keep their
values while moving between pages; the page then reads the result with `context()`.

Streamlit runs a page file on its own (without streamlit_app.py) when it falls back to its
`pages/`-folder mode: in AppTest after the first run, and on a fresh server whose first
request is a page's own address. `context()` notices (the shell leaves a marker for the
page, once per run) and draws the same sidebar itself; widget keys are the same, so the
choices carry over either way.

Which source is read (the configured Google Sheet or published link, this session's upload,
or the demo) is `ui.source`'s business (SPARKWATCH_SOURCE, a file on the server, is read there too).

With TikTok set up, each read of the sheet is checked against TikTok (`ui.tiktok`, read once per
refresh for everyone) and reconciled (`lib.reconcile`) before it is diagnosed, so every page sees
TikTok's end dates and statuses; `Context.tiktok` says when TikTok was read and why a read failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.diagnose import diagnose
from lib.filters import (
    FILTER_COLUMNS,
    FILTER_LABELS,
    Filters,
    View,
    apply_filters,
    filter_options,
    from_query,
    to_query,
)
from lib.normalize import Normalized
from lib.reading import Loaded
from lib.reconcile import reconcile
from lib.sources import DEMO_LABEL
from lib.tiktok.checking import TikTokOutcome
from lib.tiktok.read import TikTokRead
from lib.vocab import DEFAULT_WARN_DAYS, HEALTH
from ui import access, app_settings, nav, source, tiktok

# Session keys: one place, so pages and tests agree on them. Settings live under these
# keys; their widgets use `widget_key(key)`.
KEY_WARN_DAYS = "warn_days"
KEY_FILTERS: dict[str, str] = {name: f"filter_{name}" for name in (*FILTER_COLUMNS, "health")}
KEY_SEARCH = "search"
_KEY_CONTEXT = "_context"
_KEY_ERROR = "_source_error"
_KEY_DRAWN = "_sidebar_drawn_this_run"
_KEY_ADDRESS_READ = "_address_read"
_KEY_UNKNOWN = "_address_unknown"
_KEY_WARN_NOTE = "_warn_days_note"

MIN_WARN_DAYS, MAX_WARN_DAYS = 1, 90


@dataclass(frozen=True)
class Context:
    """What a page needs: the diagnosed sheet, the filtered rows, and the settings behind them."""

    source: str
    read_id: str
    """Which read of which source this is: the key under which every viewer shares what is worked out from it."""
    kind: str
    """Where the rows come from: "demo", "upload", "google_sheet", "published" or "file"."""
    today: dt.date
    warn_days: int
    loaded_at: dt.datetime
    normalized: Normalized
    diagnosed: pd.DataFrame
    filtered: pd.DataFrame
    filters: Filters
    tiktok: TikTokOutcome | None = None
    """TikTok's word (its read, when, and why the latest read failed); None when TikTok is not set up."""
    ads_manager_only: pd.DataFrame | None = None
    """Posts the ad accounts hold that no row names (`lib.reconcile`, codes masked); None without a TikTok read."""

    @property
    def problems(self) -> pd.DataFrame:
        return self.normalized.problems

    @property
    def view_key(self) -> tuple[object, ...]:
        """What the filtered rows depend on: the read, the day, the warning window, the filters."""
        return (
            self.read_id,
            self.today,
            self.warn_days,
            self.filters.campaign,
            self.filters.brand,
            self.filters.owner,
            self.filters.health,
        )


@st.cache_resource(show_spinner=False, max_entries=16, ttl=dt.timedelta(minutes=15))
def diagnosed(
    _loaded: Loaded,
    source: str,
    loaded_at: dt.datetime,
    today: dt.date,
    warn_days: int,
    _frame: pd.DataFrame | None = None,
    tiktok_read: str = "",
) -> pd.DataFrame:
    """The diagnosis of one read, for one day and warning window (the read is keyed by its time).

    `_frame` is the read reconciled with TikTok (`reconciled`), named by `tiktok_read`; without
    it the sheet's own frame is diagnosed. One frame shared by every viewer (not a copy per
    run: that cost each viewer's every click a copy of the whole sheet), so nothing may modify
    it: pages derive new frames from it. Bounded in entries and in time, so the memory of an
    upload is let go soon after its tab closes, whoever else keeps the app open.
    """
    return diagnose(_loaded.normalized.frame if _frame is None else _frame, today, warn_days)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=dt.timedelta(minutes=15))
def reconciled(
    _loaded: Loaded, _read: TikTokRead, source: str, loaded_at: dt.datetime, tiktok_read: str, zone: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One read of the sheet beside one read of TikTok (named by `tiktok_read`), and the posts the sheet lacks.

    The "In Ads Manager, not in your sheet" list always has its codes masked: it is shown to everyone.
    """
    both = reconcile(_loaded.normalized.frame, _read, app_settings.zone())
    return both.frame, both.ads_manager_only


def _tiktok_read_name(result: TikTokOutcome) -> str:
    """Names one TikTok read for the caches: its set-up and when it was read (never the token)."""
    read = result.read
    return "" if read is None else f"{','.join(read.advertiser_ids)}|{read.read_at.isoformat()}"


def refresh() -> None:
    """Read the sheet again on this run (a new read gets its own diagnosis: nothing else is forgotten)."""
    source.refresh()


def setup() -> Context | None:
    """Read the data and draw the shared sidebar; called by streamlit_app.py on every run.

    Returns None (and remembers the error for `context()`) when the source can't be read,
    so pages that don't need data still work.
    """
    rules = access.gate()  # before any data is read: nobody outside the allowlist gets a byte
    today = app_settings.today()
    st.session_state.pop(_KEY_ERROR, None)
    st.session_state[_KEY_DRAWN] = True
    with st.sidebar:
        nav.sidebar_links()
        access.sidebar_status(rules)
        outcome = source.current(today)
        source.sidebar_block(outcome, refresh)
        loaded = outcome.loaded
        if loaded is None:
            st.session_state[_KEY_ERROR] = outcome.error or ""
            st.session_state.pop(_KEY_CONTEXT, None)
            return None
        params = _unread_address()
        if params is not None:
            _seed_warn_days(from_query(params, {}, MAX_WARN_DAYS))
        warn_days = warn_days_input()
        checked = tiktok.current(outcome)
        ads_only: pd.DataFrame | None = None
        name = ""
        if checked is not None and checked.read is not None:
            name = _tiktok_read_name(checked)
            zone = app_settings.zone_name() or ""
            both, ads_only = reconciled(loaded, checked.read, outcome.source_id, loaded.loaded_at, name, zone)
            frame = diagnosed(loaded, outcome.source_id, loaded.loaded_at, today, warn_days, both, name)
        else:
            frame = diagnosed(loaded, outcome.source_id, loaded.loaded_at, today, warn_days)
        options = filter_options(frame)
        if params is not None:
            _seed_view(from_query(params, options, MAX_WARN_DAYS))
        filters = filter_block(options)
    _write_address(filters, warn_days)
    source.stale_note(outcome)
    ctx = Context(
        source=outcome.label,
        read_id=f"{outcome.source_id}@{loaded.loaded_at.isoformat()}|tiktok {name}",
        kind=outcome.kind,
        today=today,
        warn_days=warn_days,
        loaded_at=loaded.loaded_at,
        normalized=loaded.normalized,
        diagnosed=frame,
        filtered=apply_filters(frame, filters),
        filters=filters,
        tiktok=checked,
        ads_manager_only=ads_only,
    )
    st.session_state[_KEY_CONTEXT] = ctx
    return ctx


def shared() -> Context | None:
    """This run's context (None if the source can't be read), drawing the sidebar if the shell didn't.

    Pages that work without data (none yet) call this; pages that need data call `context()`.
    """
    if not st.session_state.pop(_KEY_DRAWN, False):
        setup()
        st.session_state.pop(_KEY_DRAWN, None)
    return st.session_state.get(_KEY_CONTEXT)


def context() -> Context:
    """This run's context for a page; shows the read error and stops the page if there is none."""
    ctx = shared()
    if ctx is None:
        st.error("The sheet could not be read, so there is nothing to show yet.")
        st.text(st.session_state.get(_KEY_ERROR, ""))
        st.stop()
    return ctx


# ---------------------------------------------------------------------------
# The sidebar's blocks: small functions so later sources and settings can slot in.


def warn_days_input() -> int:
    """The warning window: how many days ahead an end date counts as 'expiring soon'.

    The box takes any whole number and a number outside 1–90 is set to the nearest end of
    that range, in the box itself, with a note saying so: a browser's own range check would
    keep the old value behind a small red mark that few people notice.
    """
    value = int(
        st.number_input(
            "Warning window (days)",
            step=1,
            key=_persistent(KEY_WARN_DAYS, DEFAULT_WARN_DAYS),
            on_change=_remember_warn_days,
            help=f"An authorization ending within this many days counts as expiring soon ({MIN_WARN_DAYS} to "
            f"{MAX_WARN_DAYS}).",
        )
    )
    if note := st.session_state.get(_KEY_WARN_NOTE):
        st.caption(note)
    return value


def _remember_warn_days() -> None:
    asked = st.session_state[widget_key(KEY_WARN_DAYS)]
    kept = min(max(int(asked), MIN_WARN_DAYS), MAX_WARN_DAYS)
    st.session_state[widget_key(KEY_WARN_DAYS)] = st.session_state[KEY_WARN_DAYS] = kept
    st.session_state[_KEY_WARN_NOTE] = (
        None if kept == asked else f"Set to {kept}: the warning window is {MIN_WARN_DAYS} to {MAX_WARN_DAYS} days."
    )


def filter_block(options: dict[str, list[str]]) -> Filters:
    """Campaign, brand, owner and health filters; an empty choice means all."""
    st.header("Filters", anchor=False)
    chosen: dict[str, tuple[str, ...]] = {}
    for name, key in KEY_FILTERS.items():
        # Drop remembered choices the data no longer offers (after a refresh), keep the rest.
        kept = [v for v in st.session_state.get(key, []) if v in options[name]]
        st.session_state[key] = kept
        fmt = (lambda state: HEALTH[state].label) if name == "health" else (lambda value: value)
        picked = st.multiselect(
            FILTER_LABELS[name],
            options[name],
            key=_persistent(key, []),
            on_change=_remember,
            args=(key,),
            format_func=fmt,
            placeholder="All",
        )
        chosen[name] = tuple(picked)
    filters = Filters(**chosen)
    st.button("Clear filters", on_click=clear_filters, disabled=filters.is_empty())
    return filters


def clear_filters() -> None:
    for key in KEY_FILTERS.values():
        st.session_state[key] = []
        st.session_state[widget_key(key)] = []


def widget_key(key: str) -> str:
    """The widget's own key for a setting kept under `key` (see `_persistent`)."""
    return f"_widget_{key}"


def _persistent(key: str, default: object) -> str:
    """Seed a widget from a setting that outlives page changes; returns the widget's key.

    Streamlit forgets a widget's value when a run does not draw it (a page change in some
    modes); the setting itself lives under a plain session key, copied back on change.
    """
    st.session_state.setdefault(key, default)
    st.session_state[widget_key(key)] = st.session_state[key]
    return widget_key(key)


def _remember(key: str) -> None:
    st.session_state[key] = st.session_state[widget_key(key)]


# ---------------------------------------------------------------------------
# The view in the page's address (`lib.filters.to_query`), so a link opens what its sender saw.


def _unread_address() -> dict[str, list[str]] | None:
    """The address's parameters on a session's first run (a link opened, a page reloaded); else None.

    After that the sidebar is the view's one source of truth and the address only follows it.
    """
    if st.session_state.get(_KEY_ADDRESS_READ):
        return None
    st.session_state[_KEY_ADDRESS_READ] = True
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _seed_warn_days(view: View) -> None:
    if view.warn_days is not None:
        st.session_state[KEY_WARN_DAYS] = view.warn_days


def _seed_view(view: View) -> None:
    """The sidebar's choices from a link; values this sheet does not have are kept aside to be said."""
    for name, key in KEY_FILTERS.items():
        st.session_state[key] = list(getattr(view.filters, name))
    if view.search:
        st.session_state[KEY_SEARCH] = view.search
    st.session_state[_KEY_UNKNOWN] = view.unknown


def unknown_in_link() -> tuple[str, ...]:
    """Values a link asked to filter on that this sheet does not have (said once, on the page)."""
    return tuple(st.session_state.pop(_KEY_UNKNOWN, ()))


def _write_address(filters: Filters, warn_days: int) -> None:
    """Put this view in the address bar (only when it changed: each write is a message to the browser)."""
    wanted = to_query(filters, warn_days, str(st.session_state.get(KEY_SEARCH, "")), default_warn=DEFAULT_WARN_DAYS)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def search_input(placeholder: str) -> str:
    """The search box (Authorizations); its text outlives page changes and travels in the address."""
    return str(
        st.text_input(
            "Search", key=_persistent(KEY_SEARCH, ""), on_change=_remember, args=(KEY_SEARCH,), placeholder=placeholder
        )
    )


def set_filter(name: str, values: list[str]) -> None:
    """Button callback: filter on exactly these values (a headline number, a campaign row)."""
    st.session_state[KEY_FILTERS[name]] = values
    st.session_state[widget_key(KEY_FILTERS[name])] = values


def set_filters(filters: Filters) -> None:
    """Callback: replace every filter (a chip removed)."""
    for name in KEY_FILTERS:
        set_filter(name, list(getattr(filters, name)))


__all__ = ["DEMO_LABEL", "Context", "Loaded", "context", "refresh", "setup", "shared", "widget_key"]
