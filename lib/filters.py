"""Narrow a diagnosed frame to what the person is looking at: sidebar filters, search, one issue.

The dashboard's sidebar holds four filters (campaign, brand, owner, health state) that
every page applies the same way, so the narrowing lives here, once, and pages and tests
call it. Everything is a boolean mask over whole columns: fast on thousands of rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from lib.columns import TAB
from lib.rules import RULES
from lib.vocab import HEALTH, HEALTH_ORDER

FILTER_COLUMNS: tuple[str, ...] = ("campaign", "brand", "owner")
"""Sheet columns the sidebar filters on (besides health)."""

SEARCH_COLUMNS: tuple[str, ...] = ("creator", "post", "campaign", "brand", "owner", "ad_account", "notes")
"""Columns the search box looks in. The code is left out on purpose: it is a credential."""

NOT_SET = "(not set)"
"""How a blank campaign, brand or owner is offered in a filter, so those rows can be picked too."""


@dataclass(frozen=True)
class Filters:
    """What the sidebar asks for; an empty tuple means 'everything'."""

    campaign: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    health: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.campaign or self.brand or self.owner or self.health)


FILTER_LABELS: dict[str, str] = {"campaign": "Campaign", "brand": "Brand", "owner": "Owner", "health": "Health"}
"""Each filter's name in the product's words (sidebar, chips)."""


@dataclass(frozen=True)
class Chip:
    """One active filter value, shown at the top of a page and removable there."""

    name: str
    value: str
    label: str
    """'Campaign: Run Club', 'State: Blocked'. Holds sheet text: show it as text, never markup."""


def chips(filters: Filters) -> list[Chip]:
    """The filters in use, one chip per chosen value, in the sidebar's order."""
    health_words = {k: h.label for k, h in HEALTH.items()}
    return [
        Chip(name, value, f"{FILTER_LABELS[name]}: {health_words.get(value, value) if name == 'health' else value}")
        for name in FILTER_LABELS
        for value in getattr(filters, name)
    ]


def filters_of(active: Sequence[Chip]) -> Filters:
    """The filters these chips stand for (the inverse of `chips`)."""
    return Filters(**{name: tuple(c.value for c in active if c.name == name) for name in FILTER_LABELS})


def filter_options(diagnosed: pd.DataFrame) -> dict[str, list[str]]:
    """The values each filter can offer: the sheet's own values, sorted, plus NOT_SET if blanks occur.

    Health is offered in the vocabulary's order (worst first), every state, so the choice
    does not jump around as the data changes.
    """
    options: dict[str, list[str]] = {}
    for column in FILTER_COLUMNS:
        values = diagnosed[column] if column in diagnosed.columns else pd.Series(dtype="string")
        present = sorted(values.dropna().astype(str).unique().tolist(), key=str.casefold)
        if values.isna().any():
            present.append(NOT_SET)
        options[column] = present
    options["health"] = list(HEALTH_ORDER)
    return options


def apply_filters(diagnosed: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows matching every non-empty filter; order (most urgent first) is kept."""
    if filters.is_empty():
        return diagnosed
    keep = pd.Series(True, index=diagnosed.index)
    for column in FILTER_COLUMNS:
        wanted = getattr(filters, column)
        if wanted:
            values = diagnosed[column].astype("string")
            match = values.isin([w for w in wanted if w != NOT_SET]).fillna(False)
            if NOT_SET in wanted:
                match = match | values.isna()
            keep &= match.astype(bool)
    if filters.health:
        keep &= diagnosed["health"].isin(filters.health)
    return diagnosed.loc[keep]


def search(diagnosed: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any word-ish column, the health label or a problem label contains `text`.

    Case-insensitive and literal (no patterns), so whatever a person types is safe.
    """
    needle = (text or "").strip().casefold()
    if not needle:
        return diagnosed
    columns = [c for c in SEARCH_COLUMNS if c in diagnosed.columns]
    haystack = diagnosed["health"].map({k: h.label for k, h in HEALTH.items()}).astype("string")
    for column in columns:
        haystack = haystack + " " + diagnosed[column].astype("string").fillna("")
    labels = diagnosed["issues"].explode().map({k: i.label for k, i in RULES.items()})
    haystack = haystack + " " + labels.fillna("").groupby(level=0).agg(" ".join).reindex(diagnosed.index, fill_value="")
    return diagnosed.loc[haystack.str.casefold().str.contains(needle, regex=False)]


def with_issue(diagnosed: pd.DataFrame, issue_id: str | None) -> pd.DataFrame:
    """Rows that have this issue; all rows when `issue_id` is None."""
    if not issue_id:
        return diagnosed
    has = diagnosed["issues"].explode().eq(issue_id).groupby(level=0).any()
    return diagnosed.loc[has.reindex(diagnosed.index, fill_value=False)]


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """What tells one row from another in a picker: its sheet row, or tab and row when tabs are merged.

    Row numbers repeat across tabs, so a merged sheet keys its rows by 'tab · row N'.
    """
    if TAB in frame.columns:
        return frame[TAB].astype("string").fillna("") + " · row " + frame["row"].astype(str)
    return frame["row"].astype(int)


def row_places(frame: pd.DataFrame) -> pd.Series:
    """Where a row is, in words: 'sheet row 12', or 'tab Lumen, row 12' when tabs are merged."""
    if TAB in frame.columns:
        return "tab " + frame[TAB].astype("string").fillna("") + ", row " + frame["row"].astype(str)
    return "sheet row " + frame["row"].astype(str)


def row_by_key(frame: pd.DataFrame, key: object) -> pd.Series | None:
    """The row a picker's key names, or None when the frame no longer holds it."""
    found = frame.loc[(row_keys(frame) == key).to_numpy()]
    return None if found.empty else found.iloc[0]


# ---------------------------------------------------------------------------
# The view in the page's address, so a link opens what its sender saw.

QUERY_KEYS: dict[str, str] = {"campaign": "campaign", "brand": "brand", "owner": "owner", "health": "state"}
"""Filter → its name in the address (`?campaign=Run+Club&state=expired`)."""
WARN_QUERY = "warn"
SEARCH_QUERY = "q"
MAX_QUERY_VALUES = 50
"""Values read per filter from an address; a link is typed or pasted by people, not generated."""
MAX_QUERY_CHARS = 200
"""Characters read per value (a campaign name, a search)."""


@dataclass(frozen=True)
class View:
    """What an address asks for: filters, warning window and search, as far as this sheet offers them."""

    filters: Filters = Filters()
    warn_days: int | None = None
    search: str = ""
    unknown: tuple[str, ...] = field(default=())
    """Values the address asked for that this sheet does not have (shown to the person, as text)."""


def to_query(filters: Filters, warn_days: int, search_text: str = "", *, default_warn: int) -> dict[str, list[str]]:
    """The address parameters for this view; settings at their default are left out."""
    query = {QUERY_KEYS[name]: [str(v) for v in getattr(filters, name)] for name in QUERY_KEYS}
    query = {k: v for k, v in query.items() if v}
    if warn_days != default_warn:
        query[WARN_QUERY] = [str(warn_days)]
    if search_text.strip():
        query[SEARCH_QUERY] = [search_text.strip()[:MAX_QUERY_CHARS]]
    return query


def from_query(params: Mapping[str, Sequence[str]], options: Mapping[str, Sequence[str]], max_warn: int) -> View:
    """The view an address asks for, keeping only values this sheet offers (others are listed, not used).

    An address is untrusted text: values are cut to a sane length and count, matched exactly
    against the sheet's own values, and never used as anything but a filter value.
    """
    chosen: dict[str, tuple[str, ...]] = {}
    unknown: list[str] = []
    for name, key in QUERY_KEYS.items():
        asked = [str(v)[:MAX_QUERY_CHARS] for v in list(params.get(key, ()))[:MAX_QUERY_VALUES]]
        offered = {str(o): o for o in options.get(name, ())}
        chosen[name] = tuple(dict.fromkeys(offered[v] for v in asked if v in offered))
        unknown += [v for v in asked if v not in offered]
    warn = _whole_number(params.get(WARN_QUERY, ()), 1, max_warn)
    search_text = next(iter(params.get(SEARCH_QUERY, ())), "")[:MAX_QUERY_CHARS]
    return View(Filters(**chosen), warn, search_text, tuple(dict.fromkeys(unknown)))


def _whole_number(values: Sequence[str], low: int, high: int) -> int | None:
    text = next(iter(values), "").strip()
    return int(text) if text.isascii() and text.isdigit() and low <= int(text) <= high else None
