"""Where the sheet comes from: the demo, a file, a published link or the Google Sheet itself.

Every source returns the same raw table of strings, so the rest of the product never knows
which one it was. The one way to a source is `lib.settings` (a `SourceConfig`: from the app's
settings, or from the command line's arguments) and then `open_source` (the `Source` for
that config, see `lib.sources.base`); `kind_of` tells the kind from the text alone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lib.columnar import ColumnTable
from lib.errors import SourceError
from lib.normalize import RawTable
from lib.sources.base import ALL_TABS, DEMO, DEMO_LABEL, Source, short_key

if TYPE_CHECKING:
    from lib.settings import SourceConfig
    from lib.sources.kinds import ReaderFor

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


def source_label(source: str) -> str:
    """How output names a source: a published link by its host and '…' (it is a secret), else as given."""
    return link_label(source) if kind_of(source) == "published" else source


def link_label(url: str) -> str:
    """'https://docs.google.com/…': scheme, host and port of a link, never its path or query."""
    parts = urlsplit(url.strip())
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname or '?'}{port}/…"


def sheet_key(source: str) -> str:
    """The spreadsheet key from a Sheets URL, or the text itself when it already is a key."""
    match = _SHEET_URL_RE.search(source)
    return match.group(1) if match else source.strip()


def open_source(config: SourceConfig, *, reader: ReaderFor | None = None) -> Source:
    """The `Source` a config names (see `lib.sources.kinds`, imported late: it needs `lib.settings`)."""
    from lib.sources.kinds import open_source as open_kind

    return open_kind(config, reader=reader)


def read_for_normalize(source: Source, today: dt.date | None = None) -> RawTable | ColumnTable:
    """`source.read(today)` for a caller that only hands the table to `normalize`: a CSV (a file or a
    published link) then comes held as columns (`lib.columnar`), the same table, which `normalize`
    reads without making a Python list and string per cell."""
    from lib.sources.kinds import FileSource, PublishedSource

    if isinstance(source, FileSource | PublishedSource):
        return source.read_columns(today)
    return source.read(today)


def read_table(source: str, *, today: dt.date | None = None, tab: str | None = None) -> RawTable:
    """The raw table behind `source` as the command line names it; raises `SourceError` when it can't."""
    from lib.settings import for_command_line

    return open_source(for_command_line(source, tab, os.environ)).read(today)


__all__ = [
    "ALL_TABS",
    "DEMO",
    "DEMO_LABEL",
    "Source",
    "SourceError",
    "kind_of",
    "link_label",
    "open_source",
    "read_for_normalize",
    "read_table",
    "sheet_key",
    "short_key",
    "source_label",
]
