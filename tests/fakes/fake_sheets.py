"""A local fake of the Google Sheets API v4 and Google's OAuth token endpoint, on 127.0.0.1.

The real gspread client, with a real service-account credential, talks to it exactly as it
would to Google: the credential signs a JWT with its RSA key and trades it at `/token` for an
access token (the fake checks the signature against the public keys it trusts), then reads
spreadsheet metadata, `values.get` and `values:batchGet` — answered in the JSON shapes Google
returns, error bodies included. It also serves plain files (published-to-web CSV links).

Every request is counted per endpoint ('token', 'metadata', 'values', 'batch_get', 'csv',
'redirect'), and
faults can be switched on for chosen endpoints: 'forbidden' (403), 'api_disabled' (403),
'not_found' (404), 'quota' (429), 'server_error' (500), 'hang' (no answer until the client
gives up or the server stops) and 'not_json' (an HTML page with status 200). A tab that does
not exist gets Google's 400 "Unable to parse range"; a sheet not shared with the caller, 403.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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
"""How long a 'hang' holds the reply at most; stopping the server releases it at once."""

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
FAULTS = (*_ERRORS, "hang", "not_json")
_A1_RE = re.compile(r"^[A-Za-z]{0,3}\d*(?::[A-Za-z]{0,3}\d*)?$")


@dataclass
class Fault:
    kind: str
    endpoints: frozenset[str]
    times: int | None
    """How many more requests it hits; None = until cleared."""


@dataclass
class Spreadsheet:
    title: str
    tabs: dict[str, list[list[Any]]]
    shared_with: frozenset[str] | None = None
    """Service-account emails that may read it; None = anyone with a token."""
    hidden: frozenset[str] = field(default_factory=frozenset)


class FakeSheets(LocalServer):
    """The fake server; use as a context manager, or call `start()` and `stop()`."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: dict[str, Spreadsheet] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.redirects: dict[str, str] = {}
        self.counts: Counter[str] = Counter()
        self.scopes: list[str] = []
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

    # --- what it serves ---

    def add_spreadsheet(
        self,
        key: str,
        tabs: Mapping[str, Sequence[Sequence[Any]]],
        *,
        title: str = "Spark Ads tracker",
        shared_with: Iterable[str] | None = None,
        hidden: Iterable[str] = (),
    ) -> None:
        self.sheets[key] = Spreadsheet(
            title,
            {name: [list(row) for row in rows] for name, rows in tabs.items()},
            None if shared_with is None else frozenset(shared_with),
            frozenset(hidden),
        )

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

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()

    @property
    def value_requests(self) -> int:
        """Requests that read cell values (values.get and values:batchGet)."""
        return self.counts["values"] + self.counts["batch_get"]

    # --- used by the handler ---

    def _take_fault(self, endpoint: str) -> str | None:
        with self._lock:
            self.counts[endpoint] += 1
            for fault in self._faults:
                if endpoint in fault.endpoints and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault.kind
        return None

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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, fake: FakeSheets, *args: Any, **kwargs: Any) -> None:
        self.fake = fake
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    # --- routing ---

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
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
        if len(parts) == 1:
            endpoint = "metadata"
        elif parts[1] == "values:batchGet":
            endpoint = "batch_get"
        elif parts[1] == "values" and len(parts) == 3:
            endpoint = "values"
        else:
            return self._json(404, _error_body(404, "Not found.", "NOT_FOUND"))
        if self._fault(endpoint):
            return None
        caller = self.fake._caller(self.headers.get("Authorization"))
        if caller is None:
            return self._json(401, _error_body(*_ERRORS["unauthenticated"]))
        sheet = self.fake.sheets.get(key)
        if sheet is None:
            return self._json(404, _error_body(*_ERRORS["not_found"]))
        if sheet.shared_with is not None and caller not in sheet.shared_with:
            return self._json(403, _error_body(*_ERRORS["forbidden"]))
        if endpoint == "metadata":
            return self._json(200, _metadata(key, sheet))
        ranges = [unquote(parts[2])] if endpoint == "values" else query.get("ranges", [])
        found = []
        for text in ranges:
            tab = _tab_of(sheet, text)
            if tab is None:
                return self._json(400, _error_body(400, f"Unable to parse range: {text}", "INVALID_ARGUMENT"))
            found.append(_value_range(tab, sheet.tabs[tab]))
        if endpoint == "values":
            return self._json(200, found[0])
        return self._json(200, {"spreadsheetId": key, "valueRanges": found})

    # --- replies ---

    def _fault(self, endpoint: str) -> bool:
        """Apply a switched-on fault for this endpoint; True when it answered (or hung)."""
        kind = self.fake._take_fault(endpoint)
        if kind is None:
            return False
        if kind == "hang":
            self.fake._release.wait(HANG_SECONDS)
            self.close_connection = True
            return True
        if kind == "not_json":
            self._send(200, b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi to continue</body></html>", "text/html")
            return True
        self._json(_ERRORS[kind][0], _error_body(*_ERRORS[kind]))
        return True

    def _json(self, status: int, body: Mapping[str, Any]) -> None:
        self._send(status, json.dumps(body).encode("utf-8"), "application/json; charset=UTF-8")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


# --- Google's shapes ---------------------------------------------------------------------


def _error_body(code: int, message: str, status: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def _metadata(key: str, sheet: Spreadsheet) -> dict[str, Any]:
    return {
        "spreadsheetId": key,
        "properties": {"title": sheet.title, "locale": "en_US", "timeZone": "Europe/Berlin"},
        "sheets": [
            {
                "properties": {
                    "sheetId": index * 1000,
                    "title": title,
                    "index": index,
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": max(1000, len(rows)), "columnCount": 26},
                    **({"hidden": True} if title in sheet.hidden else {}),
                }
            }
            for index, (title, rows) in enumerate(sheet.tabs.items())
        ],
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{key}/edit",
    }


def _tab_of(sheet: Spreadsheet, range_text: str) -> str | None:
    """The tab an A1 range names ('Tab'!A1:B2, Tab, or a bare A1:B2 meaning the first visible tab)."""
    if "!" in range_text:
        name = range_text.rsplit("!", 1)[0]
    elif _A1_RE.match(range_text) and range_text not in sheet.tabs:
        visible = [t for t in sheet.tabs if t not in sheet.hidden]
        return visible[0] if visible else None
    else:
        name = range_text
    if len(name) >= 2 and name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name if name in sheet.tabs else None


def _value_range(tab: str, rows: list[list[Any]]) -> dict[str, Any]:
    """Google's ValueRange: trailing empty cells and rows are left out; no 'values' when all empty."""
    trimmed = [_trim(row) for row in rows]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    width = max((len(r) for r in trimmed), default=1)
    quoted = "'" + tab.replace("'", "''") + "'"
    out: dict[str, Any] = {
        "range": f"{quoted}!A1:{_column_letters(width)}{max(len(trimmed), 1)}",
        "majorDimension": "ROWS",
    }
    if trimmed:
        out["values"] = trimmed
    return out


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
