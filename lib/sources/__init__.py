"""Where the sheet comes from: the demo, a file, a published link or the Google Sheet itself.

Every source returns the same raw table of strings, so the rest of the product never knows
which one it was. `read_table` picks the source from the text the user gave.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lib.errors import SourceError
from lib.normalize import RawTable

DEMO = "demo"
ALL_TABS = "*"
SHEETS_ENDPOINT_ENV = "SPARKWATCH_SHEETS_ENDPOINT"
"""Test-only: the Sheets API root (scheme://host:port) to use instead of Google's."""
"""As a tab name: read every tab of a Google Sheet, merged with a `tab` column."""
_PUBLISHED_RE = re.compile(r"^https?://.*(/pub\?|/pub$|/pubhtml|output=csv|format=csv|/export\?)", re.I)
_SHEET_URL_RE = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,})")
_SHEET_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{30,}$")


def kind_of(source: str) -> str:
    """'demo', 'file', 'published' or 'google_sheet', from the text alone."""
    text = source.strip()
    if text.lower() == DEMO:
        return "demo"
    if _PUBLISHED_RE.match(text):
        return "published"
    if _SHEET_URL_RE.search(text) or _SHEET_KEY_RE.match(text):
        return "google_sheet"
    return "file"


def sheet_key(source: str) -> str:
    """The spreadsheet key from a Sheets URL, or the text itself when it already is a key."""
    match = _SHEET_URL_RE.search(source)
    return match.group(1) if match else source.strip()


def read_table(source: str, *, today: dt.date | None = None, tab: str | None = None) -> RawTable:
    """The raw table behind `source`; raises `SourceError` with a plain message when it can't."""
    kind = kind_of(source)
    if kind == "demo":
        from lib.demo import demo_table

        return demo_table(today)
    if kind == "file":
        from lib.sources.files import read_path

        return read_path(Path(source), sheet=tab)
    if kind == "published":
        from lib.sources.published import read_published

        return read_published(source)
    from lib.sources.gsheet import read_sheet_from_env

    return read_sheet_from_env(sheet_key(source), tab=tab)


__all__ = ["ALL_TABS", "DEMO", "SourceError", "kind_of", "read_table", "sheet_key"]
