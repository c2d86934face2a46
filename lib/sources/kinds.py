"""One `Source` per kind — the demo, a file, a published link, the Google Sheet — and the one
factory that picks the kind from a `SourceConfig`.

Both ways in use this factory: the app with the config from its settings (and its cached
Google client), the CLI with the config from its arguments. A setup mistake found before
reading (`setup_problem`) is raised by `read` as a `SourceError`, so a caller that only
reads still gets the plain message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lib.columnar import ColumnTable
from lib.errors import ErrorKind, SourceError
from lib.normalize import RawTable
from lib.settings import CREDENTIALS_ENV, NO_ACCOUNT, ORIGIN_COMMAND_LINE, SourceConfig
from lib.sources.base import ALL_TABS, DEMO_LABEL, Source, short_key

if TYPE_CHECKING:  # gspread is imported only when a Google Sheet is read
    from lib.sources.gsheet import SheetReader

NO_KEY_FILE = (
    f"To read a Google Sheet, set {CREDENTIALS_ENV} to the path of the service account's JSON key "
    "file — or publish the sheet to the web as CSV and give that link instead."
)
"""The command line's words for a missing key (the app's settings have their own, `NO_ACCOUNT`)."""

ReaderFor = Callable[[SourceConfig], "SheetReader"]


class _Configured:
    """What every kind shares: the config, and a settings mistake that stops any read."""

    kind = ""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config

    def setup_problem(self) -> str | None:
        return self.config.problem

    def _check(self) -> None:
        if self.config.problem:
            raise SourceError(self.config.problem, kind=ErrorKind.SETTINGS)

    def title(self) -> str:
        return ""

    def locale(self) -> str:
        return ""


class DemoSource(_Configured):
    kind = "demo"

    def read(self, today: dt.date | None = None) -> RawTable:
        self._check()
        from lib.demo import demo_table

        return demo_table(today)

    def label(self, title: str = "") -> str:
        return DEMO_LABEL

    def describe(self) -> str:
        return "The demo sheet (sample data). No sheet is set up yet: see the steps below."


class FileSource(_Configured):
    kind = "file"

    def read(self, today: dt.date | None = None) -> RawTable:
        self._check()
        from lib.sources.files import read_path

        return read_path(Path(self.config.location), sheet=self.config.tab)

    def read_columns(self, today: dt.date | None = None) -> RawTable | ColumnTable:
        """`read`, a CSV held as columns when it could be read in bulk (`lib.columnar`)."""
        self._check()
        from lib.sources.files import read_path_columns

        return read_path_columns(Path(self.config.location), sheet=self.config.tab)

    def label(self, title: str = "") -> str:
        return f"File: {Path(self.config.location).name}"

    def describe(self) -> str:
        return "A file on the server."


class PublishedSource(_Configured):
    kind = "published"

    def read(self, today: dt.date | None = None) -> RawTable:
        self._check()
        from lib.sources.published import read_published

        return read_published(self.config.location, timeout=self.config.timeout)

    def read_columns(self, today: dt.date | None = None) -> RawTable | ColumnTable:
        """`read`, the CSV held as columns when it could be read in bulk (`lib.columnar`)."""
        self._check()
        from lib.sources.published import read_published_columns

        return read_published_columns(self.config.location, timeout=self.config.timeout)

    def label(self, title: str = "") -> str:
        return "Published sheet"  # never the link: anyone who has it can read the sheet

    def describe(self) -> str:
        return "A sheet published to the web as CSV (no key needed)."


class GoogleSheetSource(_Configured):
    """The team's Google Sheet, read with the service account through a (possibly shared) `SheetReader`."""

    kind = "google_sheet"

    def __init__(self, config: SourceConfig, reader: ReaderFor | None = None) -> None:
        super().__init__(config)
        self._reader_for = reader or _new_reader
        self._reader: SheetReader | None = None

    def setup_problem(self) -> str | None:
        if self.config.problem:
            return self.config.problem
        if not self.config.has_account:
            return NO_KEY_FILE if self.config.origin == ORIGIN_COMMAND_LINE else NO_ACCOUNT
        return None

    def read(self, today: dt.date | None = None) -> RawTable:
        self._check()
        if not self.config.has_account:
            raise SourceError(self.setup_problem() or NO_ACCOUNT, kind=ErrorKind.NO_CREDENTIALS)
        return self._sheets().read(self.config.key, self.config.tab)

    def label(self, title: str = "") -> str:
        name = title or short_key(self.config.key)
        if self.config.tab == ALL_TABS:
            return f"Google Sheet: {name} (all tabs)"
        return f"Google Sheet: {name}" + (f" (tab {self.config.tab})" if self.config.tab else "")

    def describe(self) -> str:
        return "A Google Sheet, read with the service account (read-only)."

    def title(self) -> str:
        return self._learnt(lambda sheets: sheets.title(self.config.key))

    def locale(self) -> str:
        return self._learnt(lambda sheets: sheets.locale(self.config.key))

    def _learnt(self, ask: Callable[[SheetReader], str]) -> str:
        """What the spreadsheet says of itself, or "" when it can't be asked (a read reports why)."""
        if self.setup_problem():
            return ""
        try:
            return ask(self._sheets())
        except SourceError:
            return ""

    def _sheets(self) -> SheetReader:
        if self._reader is None:
            self._reader = self._reader_for(self.config)
        return self._reader


def _new_reader(config: SourceConfig) -> SheetReader:
    """A client for this one source (the CLI's way; the app passes its cached one instead)."""
    from lib.sources.gsheet import sheet_reader

    return sheet_reader(config.account_info(), timeout=config.timeout, endpoint=config.api_root or None)


_KINDS: dict[str, Callable[[SourceConfig], Source]] = {
    "demo": DemoSource,
    "file": FileSource,
    "published": PublishedSource,
}


def open_source(config: SourceConfig, *, reader: ReaderFor | None = None) -> Source:
    """The source a config names. Makes no request; `reader` gives a Google Sheet its (cached) client."""
    if config.kind == "google_sheet":
        return GoogleSheetSource(config, reader)
    kind = _KINDS.get(config.kind)
    if kind is None:
        raise ValueError(f"unknown source kind {config.kind!r}")
    return kind(config)


__all__ = ["NO_KEY_FILE", "DemoSource", "FileSource", "GoogleSheetSource", "PublishedSource", "open_source"]
