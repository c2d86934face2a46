"""The team's Google Sheet, read through gspread with a read-only service account.

This is the only module that knows gspread and google-auth. It keeps the Sheets API bill
small — one request per read, two at most — and turns every way a read can fail into a
`SourceError` whose message says, in plain words, what happened and what to do. Nothing
here ever puts key material or tokens into a message.

Cells are read locale-free. Google's values API renders cells in the spreadsheet's locale
(`FORMATTED_VALUE`): in a French or British sheet 2 December shows as `02/12/2026`, which
reads as 12 February anywhere else. So a read is one `spreadsheets.get` with grid data and a
`fields` mask (`GRID_FIELDS`): for each cell the text it shows (`formattedValue`), its value
(`effectiveValue`) and its number format type. A cell formatted as DATE or DATE_TIME that
holds a number is a serial day and becomes an ISO date (`2026-12-02`); every other cell is
the text it shows, so text stays as typed (long post ids typed as text included) and a
duration `30` stays `30`; a checkbox is TRUE or FALSE whatever the locale. Merged cells
(`sheets[].merges`; Google sends a merge's value once, in its top-left cell) are filled into
every cell of the merge, within the rows and columns the answer has. The same answer carries
the spreadsheet's title and locale (`lib.dates.date_order_for_locale` turns the locale into a day/month
order hint for dates typed as text).

Requests per read:
- a named tab: one grid request on that tab (`ranges=<tab>`);
- no tab named: the spreadsheet's tab list (metadata, no cell values) + one grid request on
  the first tab. A `SheetReader` remembers the first tab's title, so its later reads are one
  request; the tab list is asked for again only if Google answers that the remembered tab no
  longer exists (renamed or deleted). The first read cannot be one request: a range without
  a tab name (`A1:ZZ`) refers to the first visible tab, but Google rejects a range larger
  than the tab's grid ("exceeds grid limits") and a smaller one cuts rows off, and grid data
  without ranges drags in every tab's cells;
- all tabs: one grid request without ranges (every tab's cells and properties at once).

The client is made by `make_client` and can be kept for the life of the app (Streamlit's
`st.cache_resource`); `read_values` / `read_spreadsheet` do the reads with it. The app keeps
a `SheetReader` instead: the client plus what it learnt about each spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import gspread
import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2.service_account import Credentials
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL
from gspread.utils import absolute_range_name

from lib.columns import SHEET_ROW_HEADER, TAB_HEADER
from lib.deadline import WholeAnswerDeadline, bound
from lib.errors import ErrorKind, SourceError
from lib.headers import find_header_row, fold, meaning
from lib.normalize import RawTable
from lib.sources import ALL_TABS  # ALL_TABS: `--tab '*'`, every tab merged
from lib.sources.files import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, _cell_text

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_API_ROOT = "https://sheets.googleapis.com"
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"

DEFAULT_TIMEOUT = 20.0
"""Seconds to wait for Google to answer one request (token or values) before giving up."""
QUOTA_BACKOFF = (0.5, 1.0, 1.5)
"""Waits before each retry after 'quota exceeded' (429): three retries, three seconds at most in total."""
REQUIRED_KEY_FIELDS = ("client_email", "private_key")
GRID_FIELDS = (
    "properties(title,locale),"
    "sheets(properties(sheetId,title,index,hidden,sheetType,gridProperties(rowCount,columnCount)),merges,"
    "data(startRow,startColumn,rowData(values("
    "formattedValue,effectiveValue(numberValue,boolValue),effectiveFormat/numberFormat/type))))"
)
"""What a read asks Google for: per cell only the text it shows, a number or checkbox value and the
number format type — not a text cell's value again (its shown text), nor the rest of its format,
which would be most of the answer — plus the tabs' properties and merges."""
_GRID_PARAMS = {"includeGridData": "true", "fields": GRID_FIELDS}
_METADATA_PARAMS = {
    "includeGridData": "false",
    "fields": "properties(title,locale),sheets.properties(sheetId,title,index,sheetType,hidden)",
}
SERIAL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Google's serial dates."""
_DATE_FORMATS = frozenset({"DATE", "DATE_TIME"})
_MAX_ROWS = 10_000_000
_MAX_COLUMNS = 18_278
"""Google's own limits (10 million cells, columns A..ZZZ): offsets beyond them are not from Google."""


# --- credentials ---------------------------------------------------------------------------


def service_account_email(info: Mapping[str, Any]) -> str:
    """The address the sheet must be shared with (the key's `client_email`), or '' if missing."""
    email = info.get("client_email") if isinstance(info, Mapping) else None
    return email.strip() if isinstance(email, str) else ""


def fix_private_key(text: str) -> str:
    """The PEM key with real line breaks.

    Keys pasted into TOML or an environment variable often keep the JSON escapes as the two
    characters backslash + n; the PEM parser needs real newlines.
    """
    return text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\r\n", "\n").strip() + "\n"


def credentials_from_info(info: Mapping[str, Any]) -> Credentials:
    """Read-only service-account credentials from the JSON key's fields (a dict or secrets table).

    Raises `SourceError(kind=ErrorKind.BAD_KEY)` naming what is wrong, never the key itself. The
    key's own `token_uri` is where the sign-in goes (Google's when the key does not say).
    """
    if not isinstance(info, Mapping):
        raise SourceError(_bad_key("it is not a table of the JSON key's fields"), kind=ErrorKind.BAD_KEY)
    fields = dict(info)
    missing = [name for name in REQUIRED_KEY_FIELDS if not str(fields.get(name) or "").strip()]
    if missing:
        what = "is not a service account key" if len(missing) == len(REQUIRED_KEY_FIELDS) else "is incomplete"
        raise SourceError(_bad_key(f"it {what}: {' and '.join(missing)} missing"), kind=ErrorKind.BAD_KEY)
    key = fields["private_key"]
    if not isinstance(key, str) or "-----BEGIN" not in key or "PRIVATE KEY-----" not in key:
        raise SourceError(
            _bad_key("private_key does not look like a key; copy the whole value, from -----BEGIN to END-----"),
            kind=ErrorKind.BAD_KEY,
        )
    fields["private_key"] = fix_private_key(key)
    fields.setdefault("token_uri", GOOGLE_TOKEN_URI)
    try:
        return Credentials.from_service_account_info(fields, scopes=list(SCOPES))
    except (ValueError, TypeError, auth_exceptions.GoogleAuthError):
        # The library's own text may quote parts of the key: never pass it on.
        raise SourceError(
            _bad_key("its private_key could not be read (damaged or cut short)"), kind=ErrorKind.BAD_KEY
        ) from None


def _bad_key(why: str) -> str:
    return (
        f"The service account key in the settings is broken: {why}. In Google Cloud, open IAM → Service accounts "
        "→ your account → Keys → Add key → JSON, and paste every field of the downloaded file into the settings."
    )


def info_from_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The key's fields from a downloaded JSON key file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(
            f"No key file at {path}: set {CREDENTIALS_ENV} to the path of the service account's JSON key file.",
            kind=ErrorKind.BAD_KEY,
        ) from None
    except (OSError, UnicodeDecodeError):
        raise SourceError(
            f"The key file {path} could not be read: check its permissions, or download the JSON key again.",
            kind=ErrorKind.BAD_KEY,
        ) from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError:
        raise SourceError(_bad_key(f"{path.name} is not a JSON file"), kind=ErrorKind.BAD_KEY) from None
    if not isinstance(info, dict):
        raise SourceError(_bad_key(f"{path.name} does not hold the key's fields"), kind=ErrorKind.BAD_KEY)
    return info


# --- the HTTP client -----------------------------------------------------------------------


class _SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, plus a bounded retry on 'quota exceeded' and a movable API root.

    gspread builds every URL from `gspread.urls` (Google's host); `api_root` moves them to the
    root the admin configured (a proxy or another endpoint that speaks the Sheets API).
    gspread's own BackOffHTTPClient is not used: it can retry without end. `sleep` is how a
    retry waits, so a caller that must not block (a test) passes its own.
    """

    def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
        super().__init__(auth, session)
        self.api_root = GOOGLE_API_ROOT
        self.backoff: Sequence[float] = QUOTA_BACKOFF
        self.sleep: Callable[[float], object] = time.sleep

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        if self.api_root != GOOGLE_API_ROOT and endpoint.startswith(SPREADSHEETS_API_V4_BASE_URL):
            endpoint = self.api_root + endpoint[len(GOOGLE_API_ROOT) :]
        for step in (*self.backoff, None):
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as error:
                if error.code != 429 or step is None:
                    raise
                wait = retry_wait(step, error.response.headers.get("Retry-After"))
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def sign_in(self) -> None:
        """Get an access token now (when there is none or it ran out), within the same timeout.

        Done as its own step, before any read, so that a broken answer from the sign-in
        service is told apart from one from Sheets. (gspread's `login()` has no timeout.)
        """
        if self.auth.valid:
            return
        session = requests.Session()
        _bound(session, cast(float, self.timeout))  # make_client always sets one number of seconds
        request = functools.partial(AuthRequest(session), timeout=self.timeout)
        try:
            self.auth.refresh(request)
        except (TypeError, KeyError, ValueError):
            # google-auth could not make sense of the token answer (not JSON, fields missing).
            raise _not_json() from None


MAX_ANSWER_BYTES = 512 * 1024 * 1024
"""The largest answer taken from Google (a sheet at Google's 10-million-cell limit, with formats)."""


def _WholeAnswerDeadline(seconds: float) -> WholeAnswerDeadline:  # noqa: N802 - was a class here; now lib.deadline's
    """Every exchange with Google over within `seconds` (`lib.deadline`), answers up to `MAX_ANSWER_BYTES`."""
    return WholeAnswerDeadline(seconds, MAX_ANSWER_BYTES, "the answer is larger than any sheet")


def _bound(session: requests.Session, seconds: float) -> None:
    """Put the whole-answer deadline on every request this session makes."""
    bound(session, _WholeAnswerDeadline(seconds))


def retry_wait(step: float, retry_after: str | None) -> float:
    """How long to wait before retrying after a 429: our own step, or less when Google asks for less.

    Google may say when to come back (`Retry-After`, in seconds); a longer wait than our step
    would outlast the page's patience, so the step stays the upper bound.
    """
    try:
        asked = float(retry_after) if retry_after is not None else math.inf
    except ValueError:
        asked = math.inf
    return step if not math.isfinite(asked) or asked < 0 else min(step, asked)


def make_client(
    info: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> gspread.Client:
    """A gspread client for the service account, safe to cache for the app's lifetime.

    Makes no request: the token is fetched on the first read. `endpoint` is the Sheets API
    root when it is not Google's (the `[sheet] api_root` setting); `sleep` waits between
    retries after 'quota exceeded'.
    """
    root = (endpoint or GOOGLE_API_ROOT).rstrip("/")
    credentials = credentials_from_info(info)
    client = gspread.Client(credentials, http_client=_SheetsHTTPClient)
    http = client.http_client
    assert isinstance(http, _SheetsHTTPClient)
    http.api_root = root
    http.sleep = sleep
    http.set_timeout(timeout)
    _bound(http.session, timeout)
    auth_request = getattr(http.session, "_auth_request", None)  # token refreshes the session makes itself
    auth_session = getattr(auth_request, "session", None)
    if isinstance(auth_session, requests.Session):
        _bound(auth_session, timeout)
    return client


def client_email(client: gspread.Client) -> str:
    """The service account's address behind a client made by `make_client`."""
    return str(getattr(client.http_client.auth, "service_account_email", "") or "")


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRead:
    """One read: the rows, and what the same answer said about the spreadsheet."""

    table: RawTable
    tab: str
    """The tab that was read, as Google spells it ('' when every tab was read)."""
    title: str
    """The spreadsheet's title ('' when the answer did not say)."""
    locale: str
    """The spreadsheet's locale, e.g. 'fr_FR' ('' when the answer did not say)."""


def read_sheet(
    info: Mapping[str, Any],
    key: str,
    tab: str | None = None,
    *,
    all_tabs: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> RawTable:
    """The raw table of one tab (the first when `tab` is None), or every tab merged with a `tab` column."""
    client = make_client(info, timeout=timeout, endpoint=endpoint, sleep=sleep)
    return read_values(client, key, tab, all_tabs=all_tabs)


def read_values(client: gspread.Client, key: str, tab: str | None = None, *, all_tabs: bool = False) -> RawTable:
    """Read with an existing client: one request (plus the tab list when no tab is named)."""
    return read_spreadsheet(client, key, tab, all_tabs=all_tabs).table


def read_spreadsheet(
    client: gspread.Client,
    key: str,
    tab: str | None = None,
    *,
    all_tabs: bool = False,
    first_tab: str | None = None,
) -> SheetRead:
    """One tab (`tab`, else the first), or every tab merged, with the spreadsheet's title and locale.

    `first_tab` is the first tab's title from an earlier read: with it, reading the first tab
    is one request like reading a named tab; without it (or when Google says that tab is gone)
    the tab list is fetched first.
    """
    http = _http(client)
    with _plain_errors(client, key, tab):
        http.sign_in()
        if all_tabs:
            return _every_tab(http, key)
        if tab:
            try:
                return _one_tab(http, key, tab)
            except APIError as error:
                if _is_bad_range(error):
                    raise _no_tab(client, key, tab) from None
                raise
        if first_tab:
            try:
                return _one_tab(http, key, first_tab)
            except APIError as error:
                if not _is_bad_range(error):
                    raise
        titles = tab_titles(client, key)
        if not titles:
            raise SourceError("The spreadsheet has no tabs with cells to read.", kind=ErrorKind.EMPTY)
        return _one_tab(http, key, titles[0])


def read_first_tab(client: gspread.Client, key: str, known: str | None = None) -> tuple[RawTable, str, str]:
    """The first tab's rows, its title, and the spreadsheet's title (see `read_spreadsheet`)."""
    read = read_spreadsheet(client, key, first_tab=known)
    return read.table, read.tab, read.title


def tab_titles(client: gspread.Client, key: str) -> list[str]:
    """The spreadsheet's tabs that hold cells, visible ones first, in the order people see them."""
    return sheet_titles(client, key)[1]


def sheet_titles(client: gspread.Client, key: str) -> tuple[str, list[str]]:
    """The spreadsheet's own title and its tabs' titles (as `tab_titles`), from one metadata request."""
    title, _locale, sheets = _spreadsheet_parts(
        client.http_client.fetch_sheet_metadata(key, params=dict(_METADATA_PARAMS))
    )
    return title, [name for name, _sheet in _grid_tabs(sheets)]


def sheet_reader(
    info: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> SheetReader:
    """A new `SheetReader` for a service account's key (the app caches it; the CLI uses it once)."""
    return SheetReader(make_client(info, timeout=timeout, endpoint=endpoint, sleep=sleep))


class SheetReader:
    """A client to keep for the app's lifetime, and what it learnt about each spreadsheet.

    It remembers each spreadsheet's first tab, so a read without a tab name costs one request
    like a read of a named tab; the spreadsheet's title (learnt when the first tab is read),
    for the app to show; and its locale (learnt by every read), the hint for dates typed as
    text. Shared between sessions: its only state is those lookups, each a single assignment.
    """

    def __init__(self, client: gspread.Client) -> None:
        self.client = client
        self._first_tab: dict[str, str] = {}
        self._title: dict[str, str] = {}
        self._locale: dict[str, str] = {}

    @property
    def email(self) -> str:
        """The service account's address: who the sheet must be shared with."""
        return client_email(self.client)

    def title(self, key: str) -> str:
        """The spreadsheet's title, once a read of its first tab has learnt it ('' before)."""
        return self._title.get(key, "")

    def locale(self, key: str) -> str:
        """The spreadsheet's locale (e.g. 'fr_FR'), once any read has learnt it ('' before)."""
        return self._locale.get(key, "")

    def read(self, key: str, tab: str | None = None) -> RawTable:
        """One tab (`tab`, else the first), or every tab merged when `tab` is `ALL_TABS`."""
        if tab == ALL_TABS:
            read = read_spreadsheet(self.client, key, all_tabs=True)
        elif tab:
            read = read_spreadsheet(self.client, key, tab)
        else:
            read = read_spreadsheet(self.client, key, first_tab=self._first_tab.get(key))
            self._first_tab[key] = read.tab
            if read.title:
                self._title[key] = read.title
        if read.locale:
            self._locale[key] = read.locale
        return read.table


# --- Google's answer, read strictly ----------------------------------------------------------


def _http(client: gspread.Client) -> _SheetsHTTPClient:
    http = client.http_client
    assert isinstance(http, _SheetsHTTPClient), "make the client with make_client()"
    return http


def _one_tab(http: _SheetsHTTPClient, key: str, tab: str) -> SheetRead:
    """One grid request on one tab (APIError 400 'Unable to parse range' when there is no such tab)."""
    answer = http.fetch_sheet_metadata(key, params={**_GRID_PARAMS, "ranges": absolute_range_name(tab)})
    title, locale, sheets = _spreadsheet_parts(answer)
    sheet = _the_sheet(sheets, tab)
    name = _get(_get(sheet, "properties", Mapping) or {}, "title", str) or tab
    return SheetRead(sheet_table(sheet), name, title, locale)


def _every_tab(http: _SheetsHTTPClient, key: str) -> SheetRead:
    """One grid request without ranges: every tab's cells, merged by `merge_tabs`."""
    title, locale, sheets = _spreadsheet_parts(http.fetch_sheet_metadata(key, params=dict(_GRID_PARAMS)))
    tabs = _grid_tabs(sheets)
    if not tabs:
        raise SourceError("The spreadsheet has no tabs with cells to read.", kind=ErrorKind.EMPTY)
    return SheetRead(merge_tabs([(name, sheet_table(sheet)) for name, sheet in tabs]), "", title, locale)


def _spreadsheet_parts(answer: Any) -> tuple[str, str, list[Mapping[str, Any]]]:
    """The title, the locale and the sheets of a Spreadsheet answer; SourceError when it has another shape."""
    if not isinstance(answer, Mapping):
        raise _unexpected("the answer is not an object")
    properties = _get(answer, "properties", Mapping) or {}
    sheets = _get(answer, "sheets", list) or []
    for sheet in sheets:
        if not isinstance(sheet, Mapping):
            raise _unexpected("a tab is not an object")
    return _get(properties, "title", str) or "", _get(properties, "locale", str) or "", sheets


def _grid_tabs(sheets: Sequence[Mapping[str, Any]]) -> list[tuple[str, Mapping[str, Any]]]:
    """The tabs that hold cells (not chart sheets), visible ones first, each in the order people see them."""
    tabs = []
    for sheet in sheets:
        properties = _get(sheet, "properties", Mapping) or {}
        title = _get(properties, "title", str)
        if title is None or (_get(properties, "sheetType", str) or "GRID") != "GRID":
            continue
        order = (bool(_get(properties, "hidden", bool)), _index(properties, "index", limit=_MAX_ROWS))
        tabs.append((order, title, sheet))
    tabs.sort(key=lambda tab: tab[0])
    return [(title, sheet) for _order, title, sheet in tabs]


def _the_sheet(sheets: Sequence[Mapping[str, Any]], tab: str) -> Mapping[str, Any]:
    """The tab asked for, among the ones the answer holds (Google sends only the tabs the ranges touch)."""
    if len(sheets) == 1:
        return sheets[0]
    wanted = tab.casefold()  # Google matches tab names in ranges regardless of case
    named = [s for s in sheets if (_get(_get(s, "properties", Mapping) or {}, "title", str) or "").casefold() == wanted]
    if len(named) != 1:
        raise _unexpected("the tab asked for is not in the answer")
    return named[0]


def sheet_table(sheet: Mapping[str, Any]) -> RawTable:
    """One tab of a grid-data answer as rows of strings, merged cells filled, trailing blanks left out.

    Rows and columns keep their places in the tab (a GridData block starting at row 5 fills
    row 5), so row numbers stay those people see. Missing `data`, `rowData` or `values` is how
    Google sends an empty tab, row or cell; anything of another type is an unexpected answer.
    """
    properties = _get(sheet, "properties", Mapping) or {}
    grid = _get(properties, "gridProperties", Mapping) or {}
    max_rows = min(_index(grid, "rowCount", _MAX_ROWS, limit=_MAX_ROWS), _MAX_ROWS)
    max_columns = min(_index(grid, "columnCount", _MAX_COLUMNS, limit=_MAX_COLUMNS), _MAX_COLUMNS)
    rows: list[list[str]] = []
    name = f"The tab '{_get(properties, 'title', str) or 'first'}'"
    cells_read = 0
    for block in _get(sheet, "data", list) or []:
        if not isinstance(block, Mapping):
            raise _unexpected("a block of cells is not an object")
        top = _index(block, "startRow", limit=max_rows)
        left = _index(block, "startColumn", limit=max_columns)
        row_data = _get(block, "rowData", list) or []
        if len(rows) < top + len(row_data):
            rows.extend([] for _ in range(top + len(row_data) - len(rows)))
        for offset, entry in enumerate(row_data):
            if not isinstance(entry, Mapping):
                raise _unexpected("a row is not an object")
            cells = _get(entry, "values", list)
            if not cells:
                continue
            cells_read += len(cells)
            _within_limits(name, top + offset + 1, left + len(cells), cells_read)
            texts = [_cell_text_of(cell) for cell in cells]
            row = rows[top + offset]
            if not left and not row:
                rows[top + offset] = texts
                continue
            if len(row) < left + len(texts):
                row.extend([""] * (left + len(texts) - len(row)))
            row[left : left + len(texts)] = texts
    _fill_merges(rows, _get(sheet, "merges", list) or [])
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _within_limits(name: str, row: int, width: int, cells: int) -> None:
    """The same limits as an upload's, checked before a row is turned into text."""
    over = (
        f"more than {MAX_ROWS:,} rows" if row > MAX_ROWS
        else f"cells in column {width:,}, past {MAX_COLUMNS:,} columns" if width > MAX_COLUMNS
        else f"more than {MAX_CELLS:,} cells" if cells > MAX_CELLS
        else ""
    )  # fmt: skip
    if over:
        raise SourceError(
            f"{name} has {over}, more than Sparkwatch reads. Point the settings at a tab that holds only "
            "the tracker, or delete unused rows and columns in it.",
            kind=ErrorKind.TOO_LARGE,
        )


def _cell_text_of(cell: Any) -> str:
    """A cell as text: a date cell as its ISO date, a checkbox as TRUE/FALSE, anything else as it is shown."""
    if type(cell) is not dict and not isinstance(cell, Mapping):
        raise _unexpected("a cell is not an object")
    shown = cell.get("formattedValue")
    if shown is not None and type(shown) is not str:
        raise _unexpected("a cell's shown text is not text")
    value = cell.get("effectiveValue")
    if value is None:  # the common case: text (its value is not asked for) or an empty cell
        return shown or ""
    if not isinstance(value, Mapping):
        raise _unexpected("a cell's value is not an object")
    number = value.get("numberValue")
    if number is not None:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _unexpected("a cell's number is not a number")
        if _number_format_type(cell) in _DATE_FORMATS:
            day = serial_date(number)
            if day is not None:
                return day.isoformat()
    elif isinstance(value.get("boolValue"), bool):
        # The shown text is the locale's word (VRAI, WAHR…); TRUE/FALSE reads the same everywhere.
        return "TRUE" if value["boolValue"] else "FALSE"
    if shown is not None:
        return shown
    # Google sends the shown text with every value; this is for a thinner answer.
    return _cell_text(number) if number is not None else str(value.get("stringValue") or "")


def _number_format_type(cell: Mapping[str, Any]) -> str | None:
    effective = _get(cell, "effectiveFormat", Mapping) or {}
    number_format = _get(effective, "numberFormat", Mapping) or {}
    return _get(number_format, "type", str)


def serial_date(serial: float) -> dt.date | None:
    """The day of a Sheets serial number (days since 1899-12-30; a time of day is dropped), None if no day.

    A serial is a count of days, so the spreadsheet's time zone plays no part.
    """
    if not math.isfinite(serial):
        return None
    ordinal = SERIAL_EPOCH.toordinal() + math.floor(serial)
    if not 1 <= ordinal <= dt.date.max.toordinal():
        return None
    return dt.date.fromordinal(ordinal)


def _fill_merges(rows: list[list[str]], merges: Sequence[Any]) -> None:
    """Give every cell of each merge the top-left cell's value, within the rows and columns there are.

    GridRanges are 0-based and half-open, counted from the tab's A1; a missing start is 0 and
    a missing end is open. A merge reaching past the data (a whole column merged down a
    million-row tab) fills only rows and columns the answer has, and the work stops at one
    fill per cell of the data even if a broken answer lists overlapping merges. A row with
    nothing else in it is left blank, so a merge reaching into empty rows makes no new rows.
    """
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    budget = 2 * height * width  # each cell looked at once and filled once, however many merges overlap
    for merge in merges:
        if not isinstance(merge, Mapping):
            raise _unexpected("a merged range is not an object")
        top = _index(merge, "startRowIndex", limit=_MAX_ROWS)
        left = _index(merge, "startColumnIndex", limit=_MAX_COLUMNS)
        bottom = min(_index(merge, "endRowIndex", height, limit=_MAX_ROWS), height)
        right = min(_index(merge, "endColumnIndex", width, limit=_MAX_COLUMNS), width)
        if top >= bottom or left >= right or left >= len(rows[top]) or rows[top][left] == "":
            continue
        value = rows[top][left]
        for number in range(top, bottom):
            if budget <= 0:
                return
            row = rows[number]
            budget -= len(row)
            if number != top and not any(row):
                continue  # a blank row under a merge stays blank: it is not a post of that creator
            if len(row) < right:
                row.extend([""] * (right - len(row)))
            row[left:right] = [value] * (right - left)
            budget -= right - left


def _get(obj: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    """`obj[name]` when it is of `kind`, None when missing; SourceError when it is something else."""
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _unexpected(f"'{name}' is not what Google sends")
    return value


def _index(obj: Mapping[str, Any], name: str, default: int = 0, *, limit: int) -> int:
    """A 0-based index or count from the answer (missing: `default`); SourceError when not a sane one."""
    value = obj.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise _unexpected(f"'{name}' is not a row or column number")
    return value


def merge_tabs(tabs: Sequence[tuple[str, RawTable]]) -> RawTable:
    """Every tracker tab in one table, with a leading `tab` column naming where each row came from.

    The header comes from the first tab that has a creator column; other tabs' columns are
    matched to it by meaning (the same aliases the normaliser uses), so column order and
    spelling may differ between tabs. Tabs without a creator column (notes, lookups) are
    left out, and blank rows are dropped. A trailing SHEET_ROW_HEADER column keeps each row's
    number in its own tab, so the problems list points at the row people will look for.
    """
    merged: RawTable = []
    slots: dict[str, int] = {}
    for title, table in tabs:
        try:
            start = find_header_row(table)
        except SourceError:
            continue
        header = [str(cell) for cell in table[start]]
        ids = _column_ids(header)
        if not merged:
            merged.append([TAB_HEADER, *header, SHEET_ROW_HEADER])
            slots = {column: position for position, column in enumerate(ids)}
        source_of = [-1] * (len(merged[0]) - 2)  # the first tab's columns, between 'tab' and the row numbers
        for position, column in enumerate(ids):
            if column in slots:
                source_of[slots[column]] = position
        for number, row in enumerate(table[start + 1 :], start=start + 2):
            cells = [row[i] if 0 <= i < len(row) else "" for i in source_of]
            if any(cell.strip() for cell in cells):
                merged.append([title, *cells, str(number)])
    if not merged:
        find_header_row([])  # raises the plain "no creator column" message
    return merged


def _column_ids(header: Sequence[str]) -> list[str]:
    """What each header means: canonical name, else its folded text, else its position; repeats get a count."""
    seen: Counter[str] = Counter()
    ids = []
    for position, text in enumerate(header, start=1):
        base = meaning(text) or fold(text) or f"column_{position}"
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return ids


# --- failures in plain words ---------------------------------------------------------------


@contextmanager
def _plain_errors(client: gspread.Client, key: str, tab: str | None) -> Iterator[None]:
    """Turn what gspread, google-auth and requests raise into one plain `SourceError`."""
    try:
        yield
    except APIError as error:
        raise _api_error(error, client_email(client)) from None
    except auth_exceptions.RefreshError as error:
        if getattr(error, "retryable", False):
            raise SourceError(
                "Google's sign-in service had a problem and did not let the service account in. Wait a minute, "
                "then refresh.",
                kind=ErrorKind.SERVER_ERROR,
            ) from None
        raise SourceError(
            f"Google refused the service account key for {client_email(client) or 'the service account'} "
            "(it may have been deleted or disabled). Create a new JSON key for it in Google Cloud and put it "
            "in the settings.",
            kind=ErrorKind.KEY_REJECTED,
        ) from None
    except auth_exceptions.TransportError as error:
        raise _network_error(error.__cause__) from None
    except requests.exceptions.JSONDecodeError:
        raise _not_json() from None
    except requests.exceptions.RequestException as error:
        raise _network_error(error) from None


def _api_error(error: APIError, email: str) -> SourceError:
    code = error.code
    detail = error.error if isinstance(error.error, Mapping) else {}
    message = str(detail.get("message") or "")
    status = str(detail.get("status") or "")
    if code == 403 and ("has not been used" in message or "is disabled" in message or "SERVICE_DISABLED" in message):
        return SourceError(
            "The Google Sheets API is turned off for the service account's Google Cloud project. Open APIs & "
            "Services → Library → Google Sheets API → Enable, wait a minute, then try again.",
            kind=ErrorKind.API_DISABLED,
        )
    if code == 403:
        who = email or "the service account's email address"
        return SourceError(
            f"The sheet is not shared with the service account. In Google Sheets click Share, add {who} "
            "(Viewer is enough), then try again.",
            kind=ErrorKind.NOT_SHARED,
        )
    if code == 404:
        return SourceError(
            "No spreadsheet was found for this link or key. Copy the link again from the browser's address bar "
            "while the sheet is open.",
            kind=ErrorKind.NOT_FOUND,
        )
    if code == 401:
        return SourceError(
            "Google did not accept the service account's sign-in. Create a new JSON key for it in Google Cloud "
            "and put it in the settings.",
            kind=ErrorKind.KEY_REJECTED,
        )
    if code == 429:
        return SourceError(
            "Google's limit on how often the sheet can be read was reached, even after waiting a few seconds. "
            "Wait a minute, then refresh.",
            kind=ErrorKind.QUOTA,
        )
    if code == -1 or status.startswith("invalid JSON"):
        return _not_json()
    if code >= 500:
        return SourceError(
            f"Google Sheets had a problem on its side (error {code}). Wait a minute, then refresh.",
            kind=ErrorKind.SERVER_ERROR,
        )
    return SourceError(
        f"Google Sheets refused the request (error {code}). Check the sheet's link and tab name, then try again.",
        kind=ErrorKind.API_ERROR,
    )


def _is_bad_range(error: APIError) -> bool:
    message = str(error.error.get("message", "")) if isinstance(error.error, Mapping) else ""
    return error.code == 400 and "Unable to parse range" in message


def _no_tab(client: gspread.Client, key: str, tab: str) -> SourceError:
    """'No such tab', naming the tabs that exist when Google will tell us."""
    try:
        titles = tab_titles(client, key)
    except (APIError, auth_exceptions.GoogleAuthError, requests.exceptions.RequestException, ValueError, SourceError):
        titles = []
    known = f" Tabs in this sheet: {', '.join(titles)}." if titles else ""
    return SourceError(
        f"There is no tab called '{tab}' in the sheet.{known} Check the tab name in the settings "
        "(spelling, spaces and capitals count).",
        kind=ErrorKind.NO_TAB,
    )


def _network_error(cause: BaseException | None) -> SourceError:
    if isinstance(cause, requests.exceptions.Timeout):
        return SourceError(
            "Google Sheets did not answer in time. Check the internet connection, then refresh.", kind=ErrorKind.TIMEOUT
        )
    return SourceError(
        "Could not reach Google Sheets: the network seems to be down or blocked. Check the internet connection "
        "(and any proxy or firewall), then refresh.",
        kind=ErrorKind.NETWORK,
    )


def _not_json() -> SourceError:
    return SourceError(
        "Google Sheets sent back something that is not sheet data (often a proxy or a Wi-Fi sign-in page in "
        "between). Check the network, then refresh.",
        kind=ErrorKind.BAD_RESPONSE,
    )


def _unexpected(what: str) -> SourceError:
    """An answer from Google in a shape this reader does not know: said plainly, never a KeyError."""
    return SourceError(
        f"Google Sheets answered, but not in the shape Sparkwatch expects ({what}), so the sheet was not read. "
        "Refresh in a minute; if it keeps happening, something between here and Google (a proxy or firewall) "
        "may be changing the answers.",
        kind=ErrorKind.UNEXPECTED_ANSWER,
    )
