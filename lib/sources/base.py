"""What every source is to the rest of the product: the `Source` protocol and the words shared by all.

The CLI and the app both get their source from one factory (`lib.sources.kinds.open_source`)
and use it only through this protocol, so adding a kind of source is one class and one line
in the factory — nothing that reads, caches or shows data needs to know which kind it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from lib.normalize import RawTable

DEMO = "demo"
ALL_TABS = "*"
"""As a tab name: read every tab of a Google Sheet, merged with a `tab` column."""
DEMO_LABEL = "Demo sheet — sample data, not your team's"


@runtime_checkable
class Source(Protocol):
    """One place the sheet can be read from.

    `label`, `describe` and `setup_problem` make no request, so a page can show them before
    (or instead of) reading; only `read` touches the file, the link or Google.
    """

    kind: str
    """'demo', 'file', 'published' or 'google_sheet'."""

    def read(self, today: dt.date | None = None) -> RawTable:
        """The raw table; raises `SourceError` with a plain message when it can't be read."""
        ...

    def label(self, title: str = "") -> str:
        """Which source this is, in a few plain words (may hold sheet text: show it as text only)."""
        ...

    def describe(self) -> str:
        """One plain sentence on what kind of source this is and how it is read."""
        ...

    def setup_problem(self) -> str | None:
        """What stops this source being read before anything is tried (None: nothing)."""
        ...

    def title(self) -> str:
        """The spreadsheet's own title, once a read has learnt it ('' when the kind has none)."""
        ...

    def locale(self) -> str:
        """The spreadsheet's locale (e.g. 'fr_FR'), once a read has learnt it ('' when unknown)."""
        ...


def short_key(key: str) -> str:
    """A spreadsheet key short enough to read: its start and end."""
    return key if len(key) <= 12 else f"{key[:6]}…{key[-4:]}"


__all__ = ["ALL_TABS", "DEMO", "DEMO_LABEL", "Source", "short_key"]
