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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.diagnose import diagnose
from lib.filters import FILTER_COLUMNS, Filters, apply_filters, filter_options
from lib.normalize import Normalized
from lib.reading import Loaded
from lib.sources import DEMO_LABEL
from lib.vocab import DEFAULT_WARN_DAYS, HEALTH
from ui import access, app_settings, nav, source

# Session keys: one place, so pages and tests agree on them. Settings live under these
# keys; their widgets use `widget_key(key)`.
KEY_WARN_DAYS = "warn_days"
KEY_FILTERS: dict[str, str] = {name: f"filter_{name}" for name in (*FILTER_COLUMNS, "health")}
_KEY_CONTEXT = "_context"
_KEY_ERROR = "_source_error"
_KEY_DRAWN = "_sidebar_drawn_this_run"

FILTER_LABELS = {"campaign": "Campaign", "brand": "Brand", "owner": "Owner", "health": "Health"}
MAX_WARN_DAYS = 90


@dataclass(frozen=True)
class Context:
    """What a page needs: the diagnosed sheet, the filtered rows, and the settings behind them."""

    source: str
    today: dt.date
    warn_days: int
    loaded_at: dt.datetime
    normalized: Normalized
    diagnosed: pd.DataFrame
    filtered: pd.DataFrame
    filters: Filters

    @property
    def problems(self) -> pd.DataFrame:
        return self.normalized.problems


@st.cache_data(show_spinner=False, max_entries=16, ttl=dt.timedelta(minutes=15))
def diagnosed(_loaded: Loaded, source: str, loaded_at: dt.datetime, today: dt.date, warn_days: int) -> pd.DataFrame:
    """The diagnosis of one read, for one day and warning window (the read is keyed by its time).

    Bounded in entries and in time, so the memory of an upload is let go soon after its tab
    closes, whoever else keeps the app open.
    """
    return diagnose(_loaded.normalized.frame, today, warn_days)


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
        warn_days = warn_days_input()
        frame = diagnosed(loaded, outcome.source_id, loaded.loaded_at, today, warn_days)
        filters = filter_block(filter_options(frame))
    source.stale_note(outcome)
    ctx = Context(
        source=outcome.label,
        today=today,
        warn_days=warn_days,
        loaded_at=loaded.loaded_at,
        normalized=loaded.normalized,
        diagnosed=frame,
        filtered=apply_filters(frame, filters),
        filters=filters,
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
    """The warning window: how many days ahead an end date counts as 'expiring soon'."""
    return int(
        st.number_input(
            "Warning window (days)",
            min_value=1,
            max_value=MAX_WARN_DAYS,
            step=1,
            key=_persistent(KEY_WARN_DAYS, DEFAULT_WARN_DAYS),
            on_change=_remember,
            args=(KEY_WARN_DAYS,),
            help="An authorization that ends within this many days counts as expiring soon.",
        )
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


__all__ = ["DEMO_LABEL", "Context", "Loaded", "context", "refresh", "setup", "shared", "widget_key"]
