"""A local fake of the Google Sheets API v4 and Google's OAuth token endpoint, on 127.0.0.1.

The real gspread client, with a real service-account credential, talks to it exactly as it
would to Google: the credential signs a JWT with its RSA key and trades it at `/token` for an
access token (the fake checks the signature against the public keys it trusts), then reads
`spreadsheets.get` (metadata, or grid data with `includeGridData` / a `fields` mask),
`values.get` and `values:batchGet` — answered in the JSON shapes Google returns, error bodies
included. It also serves plain files (published-to-web CSV links).

Cells are typed the way Google keeps them: text, numbers, booleans, and dates, which are day
numbers since 1899-12-30 carrying a DATE or DATE_TIME number format (`Cell`, `date_cell`,
`datetime_cell`; a `datetime.date` or `datetime.datetime` in a row becomes one). Every
spreadsheet has a locale, and whatever Google renders is rendered for it: `formattedValue` and
`valueRenderOption=FORMATTED_VALUE` show 2 December 2026 as `02/12/2026` in fr_FR and en_GB,
`12/2/2026` in en_US and `2.12.2026` in de_DE, which is why a reader must not parse that text;
`UNFORMATTED_VALUE` gives the day number (or, with `dateTimeRenderOption=FORMATTED_STRING`, the
rendered text). Merged ranges keep their value in the top-left cell only, as in Google; the
ranges are listed in `sheets[].merges`. A `fields` mask is applied to `spreadsheets.get`
answers (Google's partial-response syntax: `a,b/c,d(e,f)`; `.` works like `/`; a part the
mask leaves empty is left out).

Requests are counted by what they read, so a test's budget holds whichever API a reader uses:
'metadata' (a spreadsheets.get that returns no cells), 'values' (the cells of one range:
values.get, or spreadsheets.get with grid data for one range), 'batch_get' (cells of several
ranges, or of every tab, in one request: values:batchGet, or spreadsheets.get with grid data
for several or no ranges), and 'token', 'csv', 'redirect'. `calls` logs which API method each
Sheets request used, with its query, for tests that care.

It is also the tests' way out to the rest of the world: `outside_environ()` names it as the
HTTP(S) proxy for every host but this machine, and it refuses each such request (listed in
`outside`). So the real libraries run unchanged — google-auth, for one, looks up the service
account's "regional access boundary" at Google's IAM service after signing in — and still
nothing leaves 127.0.0.1.

Faults can be switched on for chosen endpoints: 'forbidden' (403), 'api_disabled' (403),
'not_found' (404), 'quota' (429), 'server_error' (500), 'hang' (no answer until the client
gives up or the server stops) and 'not_json' (an HTML page with status 200); `answer_with`
replaces the next answers with any JSON (or a function of the real answer), for answers in
a shape no reader expects. A tab that does not exist gets Google's 400 "Unable to parse
range"; a range beyond a tab's grid, Google's 400 "exceeds grid limits"; a sheet not shared
with the caller, 403.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fakes.local_server import LocalServer

GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
"""google-auth always addresses the JWT to Google's token endpoint, whatever the key's token_uri."""
SHEETS_ENDPOINTS = ("metadata", "values", "batch_get")
HANG_SECONDS = 60.0
DRIP_SECONDS = 0.2
"""A dripping answer's pause between bytes: far below any read timeout, so only a whole-answer deadline stops it."""
"""How long a 'hang' holds the reply at most; stopping the server releases it at once."""
SERIAL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Google's (and Lotus's) serial dates."""
DATE_TYPES = ("DATE", "DATE_TIME")

_ERRORS: dict[str, tuple[int, str, str]] = {
    "forbidden": (403, "The caller does not have permission", "PERMISSION_DENIED"),
    "api_disabled": (
        403,
        "Google Sheets API has not been used in project 123456789012 before or it is disabled. Enable it by "
        "visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project="
        "123456789012 then retry.",
        "PERMISSION_DENIED",
    ),
    "not_found": (404, "Requested entity was not found.", "NOT_FOUND"),
    "quota": (
        429,
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service "
        "'sheets.googleapis.com' for consumer 'project_number:123456789012'.",
        "RESOURCE_EXHAUSTED",
    ),
    "server_error": (500, "Internal error encountered.", "INTERNAL"),
    "unauthenticated": (
        401,
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or "
        "other valid authentication credential.",
        "UNAUTHENTICATED",
    ),
}
FAULTS = (*_ERRORS, "hang", "drip", "not_json")
_A1_RE = re.compile(r"^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$")
_DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial", "fontSize": 10, "bold": False, "italic": False},
}
"""What Google puts in every cell's effectiveFormat: the bulk a `fields` mask is there to leave out."""


# --- cells and locales ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell as Google keeps it: a value and, for numbers, a number format type.

    Dates are numbers (serial days) whose `number_format` is DATE or DATE_TIME; `shown`
    overrides the rendered text, as a custom pattern would (e.g. '46,348.00').
    """

    value: str | int | float | bool | None
    number_format: str | None = None
    shown: str | None = None


def serial_of(moment: dt.date | dt.datetime) -> int | float:
    """Google's serial number for a day (an int) or a moment (days plus the fraction of the day)."""
    if isinstance(moment, dt.datetime):
        days = (moment.date() - SERIAL_EPOCH).days
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        return days + seconds / 86400
    return (moment - SERIAL_EPOCH).days


def date_cell(day: dt.date) -> Cell:
    """A date cell: what Sheets makes of a date typed in the locale's form."""
    return Cell(serial_of(day), "DATE")


def datetime_cell(moment: dt.datetime) -> Cell:
    """A date-time cell, like the Timestamp column Google Forms writes."""
    return Cell(serial_of(moment), "DATE_TIME")


def as_cell(value: Any) -> Cell:
    """Any value a test puts in a row, as a typed cell (dates become serials with a date format)."""
    if isinstance(value, Cell):
        return value
    if isinstance(value, dt.datetime):
        return datetime_cell(value)
    if isinstance(value, dt.date):
        return date_cell(value)
    if value is None or value == "":
        return Cell(None)
    if isinstance(value, bool | int | float | str):
        return Cell(value)
    raise TypeError(f"a cell cannot hold {type(value).__name__}")


@dataclass(frozen=True)
class LocaleStyle:
    """How Google renders values for one locale (only what the fake needs)."""

    date: str
    """Date pattern: {d}/{m} unpadded, {dd}/{mm} two digits, {y} four digits."""
    decimal: str
    true: str
    false: str


LOCALE_STYLES: dict[str, LocaleStyle] = {
    "en_US": LocaleStyle("{m}/{d}/{y}", ".", "TRUE", "FALSE"),
    "en_GB": LocaleStyle("{dd}/{mm}/{y}", ".", "TRUE", "FALSE"),
    "fr_FR": LocaleStyle("{dd}/{mm}/{y}", ",", "VRAI", "FAUX"),
    "de_DE": LocaleStyle("{d}.{m}.{y}", ",", "WAHR", "FALSCH"),
    "ja_JP": LocaleStyle("{y}/{mm}/{dd}", ".", "TRUE", "FALSE"),
}
"""Any other locale renders like en_US."""


def style_of(locale: str) -> LocaleStyle:
    return LOCALE_STYLES.get(locale, LOCALE_STYLES["en_US"])


def formatted(cell: Cell, locale: str) -> str:
    """What the cell shows in a spreadsheet of this locale (Google's formattedValue)."""
    if cell.shown is not None:
        return cell.shown
    value, style = cell.value, style_of(locale)
    if value is None:
        return ""
    if isinstance(value, bool):
        return style.true if value else style.false
    if isinstance(value, str):
        return value
    if cell.number_format in DATE_TYPES:
        days = math.floor(value)
        day = SERIAL_EPOCH + dt.timedelta(days=days)
        text = style.date.format(d=day.day, m=day.month, dd=f"{day.day:02d}", mm=f"{day.month:02d}", y=day.year)
        if cell.number_format == "DATE_TIME":
            seconds = round((value - days) * 86400)
            text += f" {seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return text
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15:
        return f"{value:.5E}"  # Sheets' automatic format turns long numbers into 7.30123E+18
    return f"{value:.10g}".replace(".", style.decimal)


def unformatted(cell: Cell, date_option: str, locale: str) -> Any:
    """The value for `valueRenderOption=UNFORMATTED_VALUE` (dates per `dateTimeRenderOption`)."""
    if cell.value is None:
        return ""
    if cell.number_format in DATE_TYPES and date_option == "FORMATTED_STRING":
        return formatted(cell, locale)
    return cell.value


def cell_data(cell: Cell, locale: str) -> dict[str, Any]:
    """Google's CellData for a cell (an empty cell is `{}`)."""
    value = cell.value
    if value is None:
        return {}
    kind = "boolValue" if isinstance(value, bool) else "stringValue" if isinstance(value, str) else "numberValue"
    effective_format: dict[str, Any] = dict(_DEFAULT_FORMAT)
    if cell.number_format:
        pattern = {"DATE": "d/m/yyyy", "DATE_TIME": "d/m/yyyy h:mm:ss"}.get(cell.number_format, "#,##0.00")
        # Sheets puts a date it recognised while typing in the effective format only.
        effective_format["numberFormat"] = {"type": cell.number_format, "pattern": pattern}
    return {
        "userEnteredValue": {kind: value},
        "effectiveValue": {kind: value},
        "formattedValue": formatted(cell, locale),
        "effectiveFormat": effective_format,
    }


# --- the fake -----------------------------------------------------------------------------------

Box = tuple[int, int | None, int, int | None]
"""A range on a tab: first row, end row, first column, end column (0-based, end excluded; None = to the end)."""


@dataclass
class Fault:
    kind: str
    endpoints: frozenset[str]
    times: int | None
    """How many more requests it hits; None = until cleared."""
    body: Any = None
    """For 'answer': the JSON to send, or a function of the real answer."""


@dataclass(frozen=True)
class Call:
    """One Sheets request: the API method, how it was counted, and its query."""

    api: str
    endpoint: str
    query: dict[str, list[str]]


@dataclass
class Spreadsheet:
    title: str
    tabs: dict[str, list[list[Cell]]]
    shared_with: frozenset[str] | None = None
    """Service-account emails that may read it; None = anyone with a token."""
    hidden: frozenset[str] = field(default_factory=frozenset)
    locale: str = "en_US"
    time_zone: str = "Europe/Berlin"
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    grids: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Each tab's grid size (rows, columns) when not the default: at least 1000 × 26, and the data."""

    def grid_size(self, tab: str) -> tuple[int, int]:
        if tab in self.grids:
            return self.grids[tab]
        rows = self.tabs[tab]
        return max(1000, len(rows)), max(26, max((len(r) for r in rows), default=0))


class FakeSheets(LocalServer):
    """The fake server; use as a context manager, or call `start()` and `stop()`."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: dict[str, Spreadsheet] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.redirects: dict[str, str] = {}
        self.counts: Counter[str] = Counter()
        self.calls: list[Call] = []
        self.scopes: list[str] = []
        self.outside: list[str] = []
        """Requests for other hosts that reached this fake as their proxy, and were refused."""
        self.quota_retry_after: str | None = None
        """The Retry-After header sent with a 'quota' fault (None: none, as Google mostly sends)."""
        self._faults: list[Fault] = []
        self._trusted: dict[str, rsa.RSAPublicKey] = {}
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    # --- lifecycle ---

    def handler(self) -> Any:
        return functools.partial(_Handler, self)

    @property
    def url(self) -> str:
        """The API root to give the client instead of https://sheets.googleapis.com."""
        return self.origin

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def outside_environ(self) -> dict[str, str]:
        """Proxy variables sending every request not for this machine to this fake, which refuses it."""
        local = "127.0.0.1,localhost,::1"
        return {
            "HTTPS_PROXY": self.url,
            "https_proxy": self.url,
            "HTTP_PROXY": self.url,
            "http_proxy": self.url,
            "NO_PROXY": local,
            "no_proxy": local,
        }

    def refuse_outside(self, monkeypatch: Any) -> None:
        """In this process, every request not for this machine goes to this fake and is refused."""
        for name in ("ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        for name, value in self.outside_environ().items():
            monkeypatch.setenv(name, value)

    # --- what it serves ---

    def add_spreadsheet(
        self,
        key: str,
        tabs: Mapping[str, Sequence[Sequence[Any]]],
        *,
        title: str = "Spark Ads tracker",
        shared_with: Iterable[str] | None = None,
        hidden: Iterable[str] = (),
        locale: str = "en_US",
        time_zone: str = "Europe/Berlin",
        merges: Mapping[str, Iterable[str]] | None = None,
        grid: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        """Serve a spreadsheet. Rows hold plain values, `datetime.date`/`datetime.datetime` or `Cell`s.

        `merges` names each tab's merged ranges in A1 form ('A2:A4'); as in Google, only the
        top-left cell of a merge keeps its value. `grid` sets a tab's size (rows, columns).
        """
        sheet = Spreadsheet(
            title,
            {name: [[as_cell(value) for value in row] for row in rows] for name, rows in tabs.items()},
            None if shared_with is None else frozenset(shared_with),
            frozenset(hidden),
            locale,
            time_zone,
            grids=dict(grid or {}),
        )
        for tab, ranges in (merges or {}).items():
            rows_n, cols_n = sheet.grid_size(tab)
            for text in ranges:
                r0, r1, c0, c1 = _bounds(text) or (0, None, 0, None)
                if r1 is None or c1 is None or r1 > rows_n or c1 > cols_n:
                    raise ValueError(f"merge {text!r} must be a bounded range inside the {rows_n}x{cols_n} grid")
                sheet.merges.setdefault(tab, []).append((r0, r1, c0, c1))
                rows = sheet.tabs[tab]
                for r in range(r0, min(r1, len(rows))):
                    for c in range(c0, min(c1, len(rows[r]))):
                        if (r, c) != (r0, c0):
                            rows[r][c] = Cell(None)
        self.sheets[key] = sheet

    def publish(self, path: str, body: str | bytes, content_type: str = "text/csv; charset=utf-8") -> str:
        """Serve `body` at `path` (with its query string, if any); returns the full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.files[path] = (data, content_type)
        return self.url + path

    def redirect(self, path: str, target: str) -> str:
        """Answer `path` with a 307 to `target` (published links bounce to another host at Google)."""
        self.redirects[path] = target
        return self.url + path

    def trust(self, email: str, public_key: rsa.RSAPublicKey) -> None:
        """Accept JWTs from `email` signed by the matching private key (like Google's key registry)."""
        self._trusted[email] = public_key

    def fail(self, kind: str, *, times: int | None = None, on: Iterable[str] = SHEETS_ENDPOINTS) -> None:
        """Answer the next `times` requests to the endpoints `on` with fault `kind` (None: until cleared)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; use one of {FAULTS}")
        with self._lock:
            self._faults.append(Fault(kind, frozenset(on), times))

    def answer_with(
        self,
        body: Any | Callable[[dict[str, Any]], Any],
        *,
        times: int | None = None,
        on: Iterable[str] = SHEETS_ENDPOINTS,
    ) -> None:
        """Answer the next Sheets requests with status 200 and `body` (or `body(real answer)`) as JSON."""
        with self._lock:
            self._faults.append(Fault("answer", frozenset(on), times, body))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.calls.clear()

    @property
    def value_requests(self) -> int:
        """Requests that read cell values, by any API ('values' and 'batch_get')."""
        return self.counts["values"] + self.counts["batch_get"]

    def api_calls(self, api: str) -> list[Call]:
        """The Sheets requests made with one API method ('spreadsheets.get', 'values.get', 'values.batchGet')."""
        return [call for call in self.calls if call.api == api]

    # --- used by the handler ---

    def _take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            self.counts[endpoint] += 1
            for fault in self._faults:
                if endpoint in fault.endpoints and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _log(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _issue_token(self, assertion: str) -> str | None:
        """A new access token for a correctly signed JWT from a trusted key, else None."""
        try:
            head, body, signature = assertion.split(".")
            claims = json.loads(_unb64(body))
            public_key = self._trusted[claims["iss"]]
            public_key.verify(_unb64(signature), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, KeyError, InvalidSignature):
            return None
        if claims.get("aud") not in (GOOGLE_TOKEN_AUDIENCE, self.token_uri):
            return None
        with self._lock:
            token = f"ya29.fake-{len(self._tokens) + 1}"
            self._tokens[token] = claims["iss"]
            self.scopes.append(str(claims.get("scope", "")))
        return token

    def _caller(self, authorization: str | None) -> str | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        return self._tokens.get(authorization[len("Bearer ") :])


class _RangeError(Exception):
    """A range Google would refuse with 400 INVALID_ARGUMENT; the message is Google's."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, fake: FakeSheets, *args: Any, **kwargs: Any) -> None:
        self.fake = fake
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    # --- routing ---

    def do_CONNECT(self) -> None:  # noqa: N802 - http.server's naming
        self._refuse_outside()

    def _refuse_outside(self) -> None:
        """A request for another host, sent here as to a proxy: noted and refused."""
        with self.fake._lock:
            self.fake.outside.append(self.path)
        self.close_connection = True
        self._send(403, b"Tests reach nothing beyond 127.0.0.1.", "text/plain")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        if not self.path.startswith("/"):
            return self._refuse_outside()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        if urlsplit(self.path).path != "/token":
            return self._json(404, _error_body(404, "Not found.", "NOT_FOUND"))
        if self._fault("token"):
            return None
        form = parse_qs(body)
        token = self.fake._issue_token(form.get("assertion", [""])[0])
        if token is None:
            return self._json(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        return self._json(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self.path.startswith("/"):
            return self._refuse_outside()
        split = urlsplit(self.path)
        parts = split.path.split("/")
        if split.path.startswith("/v4/spreadsheets/") and len(parts) >= 4:
            return self._sheets(parts[3:], parse_qs(split.query))
        target = split.path + (f"?{split.query}" if split.query else "")
        if target in self.fake.redirects:
            self.fake.counts["redirect"] += 1
            location = self.fake.redirects[target]
            try:
                self.send_response(307)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            return None
        if target in self.fake.files:
            if self._fault("csv"):
                return None
            data, content_type = self.fake.files[target]
            return self._send(200, data, content_type)
        return self._send(404, b"<html><body>Not Found</body></html>", "text/html")

    def _sheets(self, parts: list[str], query: dict[str, list[str]]) -> None:
        key = unquote(parts[0])
        mask: dict[str, Any] | None = None
        try:
            if query.get("fields"):
                mask = parse_fields(query["fields"][0])
        except ValueError as error:
            return self._json(400, _error_body(400, str(error), "INVALID_ARGUMENT"))
        if len(parts) == 1:
            api = "spreadsheets.get"
            wants_grid = _selects(mask, ("sheets", "data")) if mask is not None else _flag(query, "includeGridData")
            one_range = len(query.get("ranges", [])) == 1
            endpoint = ("values" if one_range else "batch_get") if wants_grid else "metadata"
        elif parts[1] == "values:batchGet":
            api, endpoint, wants_grid = "values.batchGet", "batch_get", False
        elif parts[1] == "values" and len(parts) == 3:
            api, endpoint, wants_grid = "values.get", "values", False
        else:
            return self._json(404, _error_body(404, "Not found.", "NOT_FOUND"))
        self.fake._log(Call(api, endpoint, query))
        fault = self.fake._take_fault(endpoint)
        if fault is not None and fault.kind != "answer":
            return self._apply(fault)
        caller = self.fake._caller(self.headers.get("Authorization"))
        if caller is None:
            return self._json(401, _error_body(*_ERRORS["unauthenticated"]))
        sheet = self.fake.sheets.get(key)
        if sheet is None:
            return self._json(404, _error_body(*_ERRORS["not_found"]))
        if sheet.shared_with is not None and caller not in sheet.shared_with:
            return self._json(403, _error_body(*_ERRORS["forbidden"]))
        try:
            if api == "spreadsheets.get":
                answer = _spreadsheet(key, sheet, query.get("ranges", []), wants_grid)
                if mask is not None:
                    answer = _masked(answer, mask)
            else:
                texts = [unquote(parts[2])] if api == "values.get" else query.get("ranges", [])
                options = {name: values[0] for name, values in query.items() if values}
                found = [_value_range(sheet, *_resolve(sheet, text), options) for text in texts]
                answer = found[0] if api == "values.get" else {"spreadsheetId": key, "valueRanges": found}
        except _RangeError as error:
            return self._json(400, _error_body(400, str(error), "INVALID_ARGUMENT"))
        if fault is not None:  # 'answer': what a test wants Google to have said instead
            body = fault.body(answer) if callable(fault.body) else fault.body
            return self._send(200, json.dumps(body).encode("utf-8"), "application/json; charset=UTF-8")
        return self._json(200, answer)

    # --- replies ---

    def _fault(self, endpoint: str) -> bool:
        """Apply a switched-on fault for this endpoint; True when it answered (or hung)."""
        fault = self.fake._take_fault(endpoint)
        if fault is None or fault.kind == "answer":
            return False
        self._apply(fault)
        return True

    def _apply(self, fault: Fault) -> None:
        if fault.kind == "drip":
            self._drip()
            return
        if fault.kind == "hang":
            self.fake._release.wait(HANG_SECONDS)
            self.close_connection = True
            return
        if fault.kind == "not_json":
            self._send(200, b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi to continue</body></html>", "text/html")
            return
        headers = {}
        if fault.kind == "quota" and self.fake.quota_retry_after is not None:
            headers["Retry-After"] = self.fake.quota_retry_after
        self._json(_ERRORS[fault.kind][0], _error_body(*_ERRORS[fault.kind]), headers)

    def _drip(self) -> None:
        """Headers at once, then a long JSON body a byte every DRIP_SECONDS: each read quick, the whole endless."""
        body = b'{"padding": "' + b"x" * 100_000 + b'"}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                if self.fake._release.wait(DRIP_SECONDS):
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _json(self, status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode("utf-8"), "application/json; charset=UTF-8", headers)

    def _send(self, status: int, data: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


# --- Google's shapes ---------------------------------------------------------------------


def _error_body(code: int, message: str, status: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def _flag(query: Mapping[str, list[str]], name: str) -> bool:
    return (query.get(name) or ["false"])[0].lower() == "true"


def _spreadsheet(key: str, sheet: Spreadsheet, ranges: Sequence[str], grid: bool) -> dict[str, Any]:
    """Google's Spreadsheet resource: every tab, or only the tabs the ranges touch, with grid data if asked."""
    wanted: dict[str, list[Box]] = {}
    for text in ranges:
        tab, box = _resolve(sheet, text)
        wanted.setdefault(tab, []).append(box)
    tabs = []
    for index, (title, rows) in enumerate(sheet.tabs.items()):
        if ranges and title not in wanted:
            continue
        rows_n, cols_n = sheet.grid_size(title)
        entry: dict[str, Any] = {
            "properties": {
                "sheetId": index * 1000,
                "title": title,
                "index": index,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": rows_n, "columnCount": cols_n},
                **({"hidden": True} if title in sheet.hidden else {}),
            }
        }
        if sheet.merges.get(title):
            entry["merges"] = [_grid_range(index * 1000, *box) for box in sheet.merges[title]]
        if grid:
            boxes = wanted.get(title) or [(0, None, 0, None)]
            entry["data"] = [_grid_data(rows, box, sheet.locale) for box in boxes]
        tabs.append(entry)
    return {
        "spreadsheetId": key,
        "properties": {
            "title": sheet.title,
            "locale": sheet.locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": sheet.time_zone,
            "defaultFormat": dict(_DEFAULT_FORMAT),
        },
        "sheets": tabs,
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{key}/edit",
    }


def _grid_range(sheet_id: int, r0: int, r1: int, c0: int, c1: int) -> dict[str, int]:
    """A GridRange as Google writes it: fields that are 0 are left out (proto3 JSON)."""
    out = {"sheetId": sheet_id, "startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    return {name: value for name, value in out.items() if value}


def _grid_data(rows: list[list[Cell]], box: Box, locale: str) -> dict[str, Any]:
    """Google's GridData for a range: rows from its first row to the last one with cells, offsets if not A1."""
    r0, r1, c0, c1 = box
    out: dict[str, Any] = {}
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    row_data = [{"values": [cell_data(c, locale) for c in row[c0:c1]]} if row[c0:c1] else {} for row in rows[r0:r1]]
    while row_data and not row_data[-1]:
        row_data.pop()
    if row_data:
        out["rowData"] = row_data
    return out


def _resolve(sheet: Spreadsheet, range_text: str) -> tuple[str, Box]:
    """The tab and box an A1 range names ('Tab'!A1:B2, Tab, or a bare A1:B2 meaning the first visible tab).

    Raises `_RangeError` with Google's words for an unknown tab or a range beyond the tab's grid.
    """
    box: Box | None = (0, None, 0, None)
    if "!" in range_text:
        name, a1 = range_text.rsplit("!", 1)
        box = _bounds(a1)
    elif _A1_RE.match(range_text) and range_text not in sheet.tabs:
        visible = [t for t in sheet.tabs if t not in sheet.hidden]
        name, box = (visible[0] if visible else ""), _bounds(range_text)
    else:
        name = range_text
    if len(name) >= 2 and name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    if name not in sheet.tabs or box is None:
        raise _RangeError(f"Unable to parse range: {range_text}")
    rows_n, cols_n = sheet.grid_size(name)
    r0, r1, c0, c1 = box
    if r0 >= rows_n or c0 >= cols_n or (r1 or 0) > rows_n or (c1 or 0) > cols_n:
        raise _RangeError(
            f"Range ({_quoted(name)}!{range_text.rsplit('!', 1)[-1]}) exceeds grid limits. "
            f"Max rows: {rows_n}, max columns: {cols_n}"
        )
    return name, box


def _bounds(a1: str) -> Box | None:
    """'A1:C10', 'A2:C', 'A:C', '2:5' or 'B3' as a box; None when it is not A1 notation."""
    match = _A1_RE.match(a1)
    if not a1 or match is None:
        return None
    col0, row0, col1, row1 = match.groups()
    if row0 == "0" or row1 == "0" or (not col0 and not row0):
        return None
    r0 = int(row0) - 1 if row0 else 0
    c0 = _column_index(col0) if col0 else 0
    if ":" not in a1:
        return r0, (r0 + 1 if row0 else None), c0, (c0 + 1 if col0 else None)
    if not col1 and not row1:
        return None
    return r0, (int(row1) if row1 else None), c0, (_column_index(col1) + 1 if col1 else None)


def _value_range(sheet: Spreadsheet, tab: str, box: Box, options: Mapping[str, str]) -> dict[str, Any]:
    """Google's ValueRange, rendered as asked; trailing empty cells and rows are left out."""
    render = options.get("valueRenderOption", "FORMATTED_VALUE")
    dates = options.get("dateTimeRenderOption", "SERIAL_NUMBER")
    r0, r1, c0, c1 = box
    rows = []
    for row in sheet.tabs[tab][r0:r1]:
        cells = row[c0:c1]
        if render == "FORMATTED_VALUE":
            rows.append(_trim([formatted(cell, sheet.locale) for cell in cells]))
        else:
            rows.append(_trim([unformatted(cell, dates, sheet.locale) for cell in cells]))
    while rows and not rows[-1]:
        rows.pop()
    if options.get("majorDimension") == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [_trim([r[c] if c < len(r) else "" for r in rows]) for c in range(width)]
    width = max((len(r) for r in rows), default=1)
    end = f"{_column_letters(c0 + width)}{r0 + max(len(rows), 1)}"
    out: dict[str, Any] = {
        "range": f"{_quoted(tab)}!{_column_letters(c0 + 1)}{r0 + 1}:{end}",
        "majorDimension": options.get("majorDimension", "ROWS"),
    }
    if rows:
        out["values"] = rows
    return out


def _quoted(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def _trim(row: list[Any]) -> list[Any]:
    row = list(row)
    while row and row[-1] in ("", None):
        row.pop()
    return row


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    n = 0
    for letter in letters.upper():
        n = n * 26 + ord(letter) - 64
    return n - 1


# --- field masks (Google's partial-response syntax) ---------------------------------------

_FIELD_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\*|[(),/.])")


def parse_fields(mask: str) -> dict[str, Any]:
    """A `fields` mask as a tree: {name: subtree}; a subtree of None takes everything below.

    'properties(title,locale),sheets/data' → {'properties': {'title': None, 'locale': None},
    'sheets': {'data': None}}. Raises ValueError (Google: 400 "Invalid field selection").
    """
    tokens: list[str] = []
    pos = 0
    while pos < len(mask):
        match = _FIELD_TOKEN.match(mask, pos)
        if match is None:
            raise ValueError(f"Invalid field selection {mask[pos:]}")
        tokens.append(match.group(1))
        pos = match.end()
    at = 0

    def peek() -> str:
        return tokens[at] if at < len(tokens) else ""

    def selection() -> dict[str, Any]:
        nonlocal at
        tree: dict[str, Any] = {}
        while True:
            path = []
            while True:
                name = peek()
                if not name or name in "(),/.":
                    raise ValueError(f"Invalid field selection {mask}")
                path.append(name)
                at += 1
                if peek() in ("/", "."):
                    at += 1
                    continue
                break
            below = None
            if peek() == "(":
                at += 1
                below = selection()
                if peek() != ")":
                    raise ValueError(f"Invalid field selection {mask}")
                at += 1
            _insert(tree, path, below)
            if peek() != ",":
                return tree
            at += 1

    tree = selection()
    if at != len(tokens):
        raise ValueError(f"Invalid field selection {mask}")
    return tree


def _insert(tree: dict[str, Any], path: list[str], below: dict[str, Any] | None) -> None:
    node = tree
    for name in path[:-1]:
        if name in node and node[name] is None:
            return  # already everything
        node = node.setdefault(name, {})
    last = path[-1]
    if below is None or node.get(last, {}) is None:
        node[last] = None
    else:
        merged = node.setdefault(last, {})
        for name, sub in below.items():
            _insert(merged, [name], sub)


def _masked(value: Any, tree: dict[str, Any] | None) -> Any:
    """`value` with only what the mask selects (lists are masked item by item)."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [_masked(item, tree) for item in value]
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name in tree or "*" in tree:
                below = tree.get(name, tree.get("*"))
                kept = _masked(item, below)
                if kept != {} or below is None:  # a part the mask leaves empty is left out
                    out[name] = kept
        return out
    return value


def _selects(tree: dict[str, Any] | None, path: Sequence[str]) -> bool:
    """Whether the mask reaches `path` (e.g. ('sheets', 'data')): then Google sends grid data."""
    node = tree
    for name in path:
        if node is None:
            return True
        if name in node:
            node = node[name]
        elif "*" in node:
            node = node["*"]
        else:
            return False
    return True


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- throwaway service-account keys -------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _private_key(slot: int) -> rsa.RSAPrivateKey:
    """A throwaway RSA key, made once per test run per slot (generation is the slow part)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def service_account_info(
    fake: FakeSheets,
    email: str = "sparkwatch-reader@sparkwatch-test.iam.gserviceaccount.com",
    *,
    trusted: bool = True,
) -> dict[str, str]:
    """A service-account JSON key, shaped like Google's download, whose token_uri is the fake's.

    With `trusted=False` the fake does not know the key, as when it was deleted in Google Cloud.
    """
    key = _private_key(0 if trusted else 1)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    if trusted:
        fake.trust(email, key.public_key())
    return {
        "type": "service_account",
        "project_id": "sparkwatch-test",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": pem,
        "client_email": email,
        "client_id": "123456789012345678901",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": fake.token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + email.replace("@", "%40"),
        "universe_domain": "googleapis.com",
    }
