"""The top of every page: its title, what data it shows and from when, and the filters in use.

With TikTok set up it also says when TikTok was read, and, when it could not be, why and what
is shown instead.

A lead on a phone never sees the sidebar, so everything that changes what a page means is
said here, in the main area: demo or upload data, the time of the read, and each active
filter as a chip that removes it.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from lib.filters import Chip, chips, filters_of
from lib.words import as_of
from ui import app_settings, state, tiktok
from ui.state import Context

BANNERS: dict[str, str] = {
    "demo": (
        "You are looking at the demo sheet: sample data, not your team's. "
        "To see your own authorizations, connect your sheet or upload it on the Data page."
    ),
    "upload": (
        "You are looking at the file you uploaded. Only you see it, and reloading the page returns to {returns_to}."
    ),
}
"""Said in the main area (not only the sidebar), so sample or private data never passes for the team's sheet."""


def draw(title: str, ctx: Context | None) -> None:
    """Title, then the source banner, the time of the data and the filter chips."""
    st.title(title, anchor=False)
    if ctx is None:
        return
    st.caption(f"Data {as_of(ctx.loaded_at, app_settings.zone())}.{tiktok.read_at_words(ctx.tiktok)}")
    tiktok.note(ctx.tiktok)
    if banner := BANNERS.get(ctx.kind):
        st.info(banner.format(returns_to=_returns_to()), icon=":material/info:")
    _link_values_not_found()
    _chips(ctx)


def _returns_to() -> str:
    return "the demo sheet" if app_settings.source_config().kind == "demo" else "your team's sheet"


def _link_values_not_found() -> None:
    """Values a shared link asked for that this sheet does not have: said, never silently dropped."""
    unknown = state.unknown_in_link()
    if unknown:
        st.warning("The link asked to show only values this sheet does not have, so they are not applied:")
        st.text(", ".join(unknown))


def _chips(ctx: Context) -> None:
    """One removable chip per filter value in use (the chip list is the multiselect's own tags)."""
    active = chips(ctx.filters)
    if not active:
        return
    labels = [c.label for c in active]
    key = "chips_" + hashlib.sha256("\x1f".join(labels).encode()).hexdigest()[:16]
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    left.multiselect(
        "Showing only (remove a filter with its ×)",
        labels,
        default=labels,
        key=key,
        on_change=_chip_removed,
        args=(key, tuple(active)),
        help="These filters apply on every page. Change them in the sidebar, or remove one here.",
    )
    right.button("Show everything", on_click=state.clear_filters, key="chips_clear", icon=":material/filter_alt_off:")


def _chip_removed(key: str, active: tuple[Chip, ...]) -> None:
    kept = set(st.session_state[key])
    state.set_filters(filters_of([c for c in active if c.label in kept]))
