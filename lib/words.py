"""How the product writes counts, days, dates and sheet text: each in one place.

Every page, the command line, alerts, messages, calendar files and the troubleshooter say
"3 days left", "2 Dec 2026" or "1 row" the same way because they all call these functions;
a wording change is one edit here. Sheet text that goes into markup is escaped here, and codes
that could leak are redacted by the functions re-exported from `lib.codes` (the matching
machinery lives there; this is only the door to it).

Dates have two forms: `human_date` ("2 Dec 2026", day first and the month as a word, so nobody
in any country misreads it) for people, and `iso_date` ("2026-12-02") for machine outputs
(JSON, CSV, chart axes, file names, log lines).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.codes import mask_code, mask_codes, redact_codes, redact_codes_in

# --------------------------------------------------------------------------- counts


def _number(count: float) -> str:
    """5 and 5.0 both read '5'; 2.5 reads '2.5' (a cache of 2.5 minutes is a real setting)."""
    return f"{count:g}" if isinstance(count, float) else str(count)


def noun(count: float, singular: str, plural_form: str | None = None) -> str:
    """The word that agrees with `count`: 'row' for 1, 'rows' otherwise (also 0 and 1.5).

    `plural_form` is for words English does not pluralise with an s ('authorization needs' →
    'authorizations need').
    """
    if count == 1:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """'1 row', '2 rows', '0 rows': every count the product writes out reads as plain English."""
    return f"{_number(count)} {noun(count, singular, plural_form)}"


# --------------------------------------------------------------------------- days


def days(count: float) -> str:
    """'1 day', '3 days', '0 days': a length of time."""
    return plural(count, "day")


def coming_days(count: int) -> str:
    """From today to `count` days ahead, in words: 'today or tomorrow', 'in the next 7 days'.

    ('in the next 1 day' was what a window of one day once read.)
    """
    if count <= 0:
        return "today"
    if count == 1:
        return "today or tomorrow"
    return f"in the next {days(count)}"


def relative_day(offset: int) -> str:
    """A day seen from today: 'today', 'tomorrow', 'yesterday', 'in 3 days', '3 days ago'."""
    if offset == 0:
        return "today"
    if offset == 1:
        return "tomorrow"
    if offset == -1:
        return "yesterday"
    return f"in {days(offset)}" if offset > 0 else f"{days(-offset)} ago"


WITHDRAWN = "withdrawn by the creator"
"""A withdrawn code in a list, where an end date would otherwise count days it no longer has."""


def days_left(offset: int) -> str:
    """How an end date reads in a list: 'ended 3 days ago', 'ended yesterday', 'ends today',
    'ends tomorrow', '12 days left'."""
    if offset < 0:
        return f"ended {relative_day(offset)}"
    if offset <= 1:
        return f"ends {relative_day(offset)}"
    return f"{days(offset)} left"


def days_left_all(offsets: pd.Series) -> pd.Series:
    """`days_left` for a whole column at once (blank where the end date is unknown), for charts of any size."""
    d = offsets.astype("Float64")
    n = d.abs().astype("Int64").astype("string")
    out = pd.Series("", index=offsets.index, dtype="string")
    out = out.mask((d < -1).fillna(False), "ended " + n + " days ago")
    out = out.mask((d > 1).fillna(False), n + " days left")
    for near in (-1, 0, 1):  # the words, not a count: 'yesterday', 'today', 'tomorrow'
        out = out.mask((d == near).fillna(False), days_left(near))
    return out


# --------------------------------------------------------------------------- dates

HUMAN_DATE_D3 = "%-d %b %Y"
"""`human_date` in Plotly's (d3's) date format language, for hover text Plotly formats itself."""


def human_date(day: dt.date, *, year: bool = True, weekday: bool = False) -> str:
    """'2 Dec 2026' (or '2 Dec', or 'Wednesday 2 Dec 2026'): the one way people see a date."""
    text = f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"
    return f"{day:%A} {text}" if weekday else text


def as_of(moment: dt.datetime, tz: dt.tzinfo | None) -> str:
    """'as of 14:05, Friday 4 Dec 2026, Europe/London time': when data was read, where the team is."""
    local = moment.astimezone(tz)
    zone = getattr(tz, "key", None) or local.tzname() or "local"
    return f"as of {local:%H:%M}, {human_date(local.date(), weekday=True)}, {zone} time"


def human_dates(days_: pd.Series | pd.DatetimeIndex, *, year: bool = True) -> pd.Series:
    """`human_date` for a column of dates (blank where there is none)."""
    stamps = pd.Series(pd.to_datetime(days_))
    text = stamps.dt.day.astype("Int64").astype("string") + stamps.dt.strftime(" %b %Y" if year else " %b")
    return text.fillna("").astype("string")


def iso_date(day: dt.date) -> str:
    """'2026-12-02': the form machine outputs use (JSON, CSV, chart axes, file names, log lines)."""
    return day.isoformat()[:10]


def iso_dates(days_: pd.Series) -> pd.Series:
    """`iso_date` for a column of dates (missing stays missing)."""
    return pd.to_datetime(days_).dt.strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- sheet text in markup


def escape_html(text: str) -> str:
    """Sheet text inside Plotly labels or a Slack message: `& < >` show as themselves, never as markup.

    Quotes are left alone: sheet text only ever goes between tags, never into an attribute, and
    Slack shows `&quot;` literally, so escaping them would garble names like O'Neil.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_html_all(texts: pd.Series) -> pd.Series:
    """`escape_html` for a column (missing stays missing)."""
    return (
        texts.str.replace("&", "&amp;", regex=False)
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )


# --------------------------------------------------------------------------- codes

redact = redact_codes
"""Any code in free text, in any spelling (with or without '#', split over lines, percent-encoded), masked."""
redact_all = redact_codes_in
"""`redact` for a column."""

__all__ = [
    "HUMAN_DATE_D3",
    "coming_days",
    "days",
    "days_left",
    "days_left_all",
    "escape_html",
    "escape_html_all",
    "human_date",
    "human_dates",
    "iso_date",
    "iso_dates",
    "mask_code",
    "mask_codes",
    "noun",
    "plural",
    "redact",
    "redact_all",
    "relative_day",
]
