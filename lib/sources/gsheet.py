"""The team's Google Sheet, read through gspread with a read-only service account.

This is the only module that knows gspread and google-auth. It keeps the Sheets API bill
small — one values request per read — and turns every way a read can fail into a
`SourceError` whose message says, in plain words, what happened and what to do. Nothing
here ever puts key material or tokens into a message.

Requests per read:
- a named tab: one `values.get` on that tab;
- no tab named: the spreadsheet's tab list (metadata, no cell values) + one `values.get` on
  the first tab. (A bare `A1:ZZ` range without a tab name would save the metadata call, but
  Google rejects ranges larger than the tab's grid with "exceeds grid limits", so it would
  break on small tabs);
- all tabs: the tab list + one `values:batchGet` for every tab at once.

The client is made by `make_client` and can be kept for the life of the app (Streamlit's
`st.cache_resource`); `read_values` does the reads with it. The app keeps a `SheetReader`
instead: the client plus the first tab's title once it is known, so that reading the first
tab costs one values request too; the tab list is asked for again only if Google answers
that the remembered tab no longer exists (it was renamed or deleted).
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gspread
import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2.service_account import Credentials
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL
from gspread.utils import absolute_range_name

from lib.errors import SourceError
from lib.normalize import SHEET_ROW_HEADER, RawTable, canonical_column, find_header_row, header_key
from lib.sources import ALL_TABS, SHEETS_ENDPOINT_ENV  # ALL_TABS: `--tab '*'`, every tab merged
from lib.sources.files import _cell_text

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_API_ROOT = "https://sheets.googleapis.com"
ENDPOINT_ENV = SHEETS_ENDPOINT_ENV
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
TAB_COLUMN = "tab"

DEFAULT_TIMEOUT = 20.0
"""Seconds to wait for Google to answer one request (token or values) before giving up."""
QUOTA_BACKOFF = (0.5, 1.0, 1.5)
"""Waits before each retry after 'quota exceeded' (429): three retries, three seconds at most in total."""
REQUIRED_KEY_FIELDS = ("client_email", "private_key")
_VALUE_PARAMS = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}
_METADATA_PARAMS = {
    "includeGridData": "false",
    "fields": "properties.title,sheets.properties(sheetId,title,index,sheetType,hidden)",
}


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


class _OffGoogleCredentials(Credentials):
    """Credentials used when the API root is not Google's (the tests' local fake).

    After signing in, google-auth 2.6x looks up the account's "regional access boundary" in a
    background thread, straight at Google's IAM service; with a local fake that lookup has
    nothing to ask and would reach outside this machine, so it is switched off here only.
    """

    def _is_regional_access_boundary_lookup_required(self) -> bool:
        return False


def credentials_from_info(info: Mapping[str, Any], *, off_google: bool = False) -> Credentials:
    """Read-only service-account credentials from the JSON key's fields (a dict or secrets table).

    Raises `SourceError(kind="bad_key")` naming what is wrong, never the key itself.
    `off_google` is for a local stand-in of the API (tests): see `_OffGoogleCredentials`.
    """
    if not isinstance(info, Mapping):
        raise SourceError(_bad_key("it is not a table of the JSON key's fields"), kind="bad_key")
    fields = dict(info)
    missing = [name for name in REQUIRED_KEY_FIELDS if not str(fields.get(name) or "").strip()]
    if missing:
        what = "is not a service account key" if len(missing) == len(REQUIRED_KEY_FIELDS) else "is incomplete"
        raise SourceError(_bad_key(f"it {what}: {' and '.join(missing)} missing"), kind="bad_key")
    key = fields["private_key"]
    if not isinstance(key, str) or "-----BEGIN" not in key or "PRIVATE KEY-----" not in key:
        raise SourceError(
            _bad_key("private_key does not look like a key; copy the whole value, from -----BEGIN to END-----"),
            kind="bad_key",
        )
    fields["private_key"] = fix_private_key(key)
    fields.setdefault("token_uri", GOOGLE_TOKEN_URI)
    try:
        kind = _OffGoogleCredentials if off_google else Credentials
        return kind.from_service_account_info(fields, scopes=list(SCOPES))
    except (ValueError, TypeError, auth_exceptions.GoogleAuthError):
        # The library's own text may quote parts of the key: never pass it on.
        raise SourceError(
            _bad_key("its private_key could not be read (damaged or cut short)"), kind="bad_key"
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
            kind="bad_key",
        ) from None
    except (OSError, UnicodeDecodeError):
        raise SourceError(
            f"The key file {path} could not be read: check its permissions, or download the JSON key again.",
            kind="bad_key",
        ) from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError:
        raise SourceError(_bad_key(f"{path.name} is not a JSON file"), kind="bad_key") from None
    if not isinstance(info, dict):
        raise SourceError(_bad_key(f"{path.name} does not hold the key's fields"), kind="bad_key")
    return info


# --- the HTTP client -----------------------------------------------------------------------


class _SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, plus a bounded retry on 'quota exceeded' and a movable API root.

    gspread builds every URL from `gspread.urls` (Google's host). Tests point the real client
    at a local fake Sheets API by setting `api_root`; production leaves it at Google's.
    gspread's own BackOffHTTPClient is not used: it can retry without end.
    """

    api_root: str = GOOGLE_API_ROOT
    backoff: Sequence[float] = QUOTA_BACKOFF

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        if self.api_root != GOOGLE_API_ROOT and endpoint.startswith(SPREADSHEETS_API_V4_BASE_URL):
            endpoint = self.api_root + endpoint[len(GOOGLE_API_ROOT) :]
        for wait in (*self.backoff, None):
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as error:
                if error.code != 429 or wait is None:
                    raise
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def sign_in(self) -> None:
        """Get an access token now (when there is none or it ran out), within the same timeout.

        Done as its own step, before any read, so that a broken answer from the sign-in
        service is told apart from one from Sheets. (gspread's `login()` has no timeout.)
        """
        if self.auth.valid:
            return
        request = functools.partial(AuthRequest(), timeout=self.timeout)
        try:
            self.auth.refresh(request)
        except (TypeError, KeyError, ValueError):
            # google-auth could not make sense of the token answer (not JSON, fields missing).
            raise _not_json() from None


def make_client(
    info: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
) -> gspread.Client:
    """A gspread client for the service account, safe to cache for the app's lifetime.

    Makes no request: the token is fetched on the first read. `endpoint` (or the
    SPARKWATCH_SHEETS_ENDPOINT variable) replaces Google's Sheets API root; only tests use it.
    """
    root = (endpoint or os.environ.get(ENDPOINT_ENV) or GOOGLE_API_ROOT).rstrip("/")
    credentials = credentials_from_info(info, off_google=root != GOOGLE_API_ROOT)
    client = gspread.Client(credentials, http_client=_SheetsHTTPClient)
    http = client.http_client
    assert isinstance(http, _SheetsHTTPClient)
    http.api_root = root
    http.set_timeout(timeout)
    return client


def client_email(client: gspread.Client) -> str:
    """The service account's address behind a client made by `make_client`."""
    return str(getattr(client.http_client.auth, "service_account_email", "") or "")


# --- reading -------------------------------------------------------------------------------


def read_sheet(
    info: Mapping[str, Any],
    key: str,
    tab: str | None = None,
    *,
    all_tabs: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
) -> RawTable:
    """The raw table of one tab (the first when `tab` is None), or every tab merged with a `tab` column."""
    client = make_client(info, timeout=timeout, endpoint=endpoint)
    return read_values(client, key, tab, all_tabs=all_tabs)


def read_sheet_from_env(key: str, tab: str | None = None) -> RawTable:
    """The command line's read: the key file named by GOOGLE_APPLICATION_CREDENTIALS (Google's convention)."""
    path = os.environ.get(CREDENTIALS_ENV, "").strip()
    if not path:
        raise SourceError(
            f"To read a Google Sheet, set {CREDENTIALS_ENV} to the path of the service account's JSON key "
            "file — or publish the sheet to the web as CSV and give that link instead.",
            kind="no_credentials",
        )
    all_tabs = tab == ALL_TABS
    return read_sheet(info_from_file(path), key, None if all_tabs else tab, all_tabs=all_tabs)


def read_values(client: gspread.Client, key: str, tab: str | None = None, *, all_tabs: bool = False) -> RawTable:
    """Read with an existing client: one values request (plus the tab list when it is needed)."""
    http = client.http_client
    assert isinstance(http, _SheetsHTTPClient), "make the client with make_client()"
    with _plain_errors(client, key, tab):
        http.sign_in()
        if tab and not all_tabs:
            try:
                response = http.values_get(key, absolute_range_name(tab), params=dict(_VALUE_PARAMS))
            except APIError as error:
                if _is_bad_range(error):
                    raise _no_tab(client, key, tab) from None
                raise
            return _table(response)
        titles = tab_titles(client, key)
        if not titles:
            raise SourceError("The spreadsheet has no tabs with cells to read.", kind="empty")
        if not all_tabs:
            return _table(http.values_get(key, absolute_range_name(titles[0]), params=dict(_VALUE_PARAMS)))
        ranges = [absolute_range_name(title) for title in titles]
        response = http.values_batch_get(key, ranges, params=dict(_VALUE_PARAMS))
        value_ranges = response.get("valueRanges", []) if isinstance(response, dict) else []
        return merge_tabs([(title, _table(part)) for title, part in zip(titles, value_ranges, strict=False)])


def tab_titles(client: gspread.Client, key: str) -> list[str]:
    """The spreadsheet's tabs that hold cells, visible ones first, in the order people see them."""
    return sheet_titles(client, key)[1]


def sheet_titles(client: gspread.Client, key: str) -> tuple[str, list[str]]:
    """The spreadsheet's own title and its tabs' titles (as `tab_titles`), from one metadata request."""
    meta = client.http_client.fetch_sheet_metadata(key, params=dict(_METADATA_PARAMS))
    if not isinstance(meta, dict):
        return "", []
    props = [s.get("properties", {}) for s in meta.get("sheets", [])]
    grids = [p for p in props if p.get("sheetType", "GRID") == "GRID" and "title" in p]
    grids.sort(key=lambda p: (bool(p.get("hidden")), p.get("index", 0)))
    title = meta.get("properties", {}).get("title", "")
    return str(title or ""), [str(p["title"]) for p in grids]


def read_first_tab(client: gspread.Client, key: str, known: str | None = None) -> tuple[RawTable, str, str]:
    """The first tab's rows, its title, and the spreadsheet's title ('' when it was not asked for).

    With `known` (the first tab's title from an earlier read) this is one values request; the
    tab list is fetched only when there is no such title or Google says that tab is gone.
    """
    http = client.http_client
    assert isinstance(http, _SheetsHTTPClient), "make the client with make_client()"
    with _plain_errors(client, key, None):
        http.sign_in()
        if known:
            try:
                return _table(http.values_get(key, absolute_range_name(known), params=dict(_VALUE_PARAMS))), known, ""
            except APIError as error:
                if not _is_bad_range(error):
                    raise
        title, titles = sheet_titles(client, key)
        if not titles:
            raise SourceError("The spreadsheet has no tabs with cells to read.", kind="empty")
        response = http.values_get(key, absolute_range_name(titles[0]), params=dict(_VALUE_PARAMS))
        return _table(response), titles[0], title


def sheet_reader(
    info: Mapping[str, Any], *, timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None
) -> SheetReader:
    """A new `SheetReader` for a service account's key (the app caches it; the CLI uses it once)."""
    return SheetReader(make_client(info, timeout=timeout, endpoint=endpoint))


class SheetReader:
    """A client to keep for the app's lifetime, and what it learnt about each spreadsheet.

    It remembers each spreadsheet's first tab, so a read without a tab name costs one values
    request like a read of a named tab, and the spreadsheet's title, for the app to show.
    Shared between sessions: its only state is those two lookups, each a single assignment.
    """

    def __init__(self, client: gspread.Client) -> None:
        self.client = client
        self._first_tab: dict[str, str] = {}
        self._title: dict[str, str] = {}

    @property
    def email(self) -> str:
        """The service account's address: who the sheet must be shared with."""
        return client_email(self.client)

    def title(self, key: str) -> str:
        """The spreadsheet's title, once a read has learnt it ('' before)."""
        return self._title.get(key, "")

    def read(self, key: str, tab: str | None = None) -> RawTable:
        """One tab (`tab`, else the first), or every tab merged when `tab` is `ALL_TABS`."""
        if tab == ALL_TABS:
            return read_values(self.client, key, all_tabs=True)
        if tab:
            return read_values(self.client, key, tab)
        table, first, title = read_first_tab(self.client, key, self._first_tab.get(key))
        self._first_tab[key] = first
        if title:
            self._title[key] = title
        return table


def _table(response: Any) -> RawTable:
    """Google's values (strings, numbers, booleans; trailing blanks left out) as rows of strings."""
    if not isinstance(response, dict):
        raise _not_json()
    return [[_cell_text(cell) for cell in row] for row in response.get("values", [])]


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
            merged.append([TAB_COLUMN, *header, SHEET_ROW_HEADER])
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
        base = canonical_column(text) or header_key(text) or f"column_{position}"
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
                kind="server_error",
            ) from None
        raise SourceError(
            f"Google refused the service account key for {client_email(client) or 'the service account'} "
            "(it may have been deleted or disabled). Create a new JSON key for it in Google Cloud and put it "
            "in the settings.",
            kind="key_rejected",
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
            kind="api_disabled",
        )
    if code == 403:
        who = email or "the service account's email address"
        return SourceError(
            f"The sheet is not shared with the service account. In Google Sheets click Share, add {who} "
            "(Viewer is enough), then try again.",
            kind="not_shared",
        )
    if code == 404:
        return SourceError(
            "No spreadsheet was found for this link or key. Copy the link again from the browser's address bar "
            "while the sheet is open.",
            kind="not_found",
        )
    if code == 401:
        return SourceError(
            "Google did not accept the service account's sign-in. Create a new JSON key for it in Google Cloud "
            "and put it in the settings.",
            kind="key_rejected",
        )
    if code == 429:
        return SourceError(
            "Google's limit on how often the sheet can be read was reached, even after waiting a few seconds. "
            "Wait a minute, then refresh.",
            kind="quota",
        )
    if code == -1 or status.startswith("invalid JSON"):
        return _not_json()
    if code >= 500:
        return SourceError(
            f"Google Sheets had a problem on its side (error {code}). Wait a minute, then refresh.",
            kind="server_error",
        )
    return SourceError(
        f"Google Sheets refused the request (error {code}). Check the sheet's link and tab name, then try again.",
        kind="api_error",
    )


def _is_bad_range(error: APIError) -> bool:
    message = str(error.error.get("message", "")) if isinstance(error.error, Mapping) else ""
    return error.code == 400 and "Unable to parse range" in message


def _no_tab(client: gspread.Client, key: str, tab: str) -> SourceError:
    """'No such tab', naming the tabs that exist when Google will tell us."""
    try:
        titles = tab_titles(client, key)
    except (APIError, auth_exceptions.GoogleAuthError, requests.exceptions.RequestException, ValueError):
        titles = []
    known = f" Tabs in this sheet: {', '.join(titles)}." if titles else ""
    return SourceError(
        f"There is no tab called '{tab}' in the sheet.{known} Check the tab name in the settings "
        "(spelling, spaces and capitals count).",
        kind="no_tab",
    )


def _network_error(cause: BaseException | None) -> SourceError:
    if isinstance(cause, requests.exceptions.Timeout):
        return SourceError(
            "Google Sheets did not answer in time. Check the internet connection, then refresh.", kind="timeout"
        )
    return SourceError(
        "Could not reach Google Sheets: the network seems to be down or blocked. Check the internet connection "
        "(and any proxy or firewall), then refresh.",
        kind="network",
    )


def _not_json() -> SourceError:
    return SourceError(
        "Google Sheets sent back something that is not sheet data (often a proxy or a Wi-Fi sign-in page in "
        "between). Check the network, then refresh.",
        kind="bad_response",
    )
