"""Which sheet the app reads, and how: from the app's settings (Streamlit secrets) and the environment.

An admin configures the source once, in `.streamlit/secrets.toml` (see
`.streamlit/secrets.toml.example`):

    [sheet]
    url = "<Google Sheets link or key, or a published-to-web CSV link>"
    tab = "Tracker"          # optional; "*" reads every tab, merged; none: the first tab
    cache_minutes = 5        # optional; how long a read is reused
    api_root = "https://…"   # optional; the Sheets API's address when not Google's own
    [gcp_service_account]    # the service account's JSON key, field by field
    ...

or in the environment: SPARKWATCH_SHEET, SPARKWATCH_TAB, GOOGLE_APPLICATION_CREDENTIALS (the
path of the JSON key file), SPARKWATCH_CACHE_TTL (seconds), SPARKWATCH_SHEETS_API_ROOT.
SPARKWATCH_SOURCE takes anything the command line reads, a CSV or XLSX file on the server
too. Nothing configured: the demo. The command line makes its config from its arguments and
the same variables (`for_command_line`).

This module is pure: it turns those mappings into a `SourceConfig` and never raises for a
mistake in them — a mistake becomes the config's `problem`, a plain sentence the app shows
instead of reading. `lib.sources.open_source` then gives the source a config names.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lib.addresses import api_root
from lib.dates import DateOrder, parse_date_order
from lib.errors import ErrorKind, SourceError
from lib.sources import ALL_TABS, DEMO, kind_of, sheet_key

SHEET_TABLE = "sheet"
ACCOUNT_TABLE = "gcp_service_account"
SHEET_ENV = "SPARKWATCH_SHEET"
TAB_ENV = "SPARKWATCH_TAB"
SOURCE_ENV = "SPARKWATCH_SOURCE"
CACHE_TTL_ENV = "SPARKWATCH_CACHE_TTL"
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
API_ROOT_ENV = "SPARKWATCH_SHEETS_API_ROOT"
APP_TABLE = "app"
DATE_ORDER_ENV = "SPARKWATCH_DATE_ORDER"

DEFAULT_CACHE_TTL = 300
"""Seconds a read is reused before the sheet is read again (5 minutes)."""
MIN_CACHE_TTL, MAX_CACHE_TTL = 1, 24 * 3600
DEFAULT_TIMEOUT = 20.0
"""Seconds to wait for Google (or the published link) to answer one request."""
MIN_TIMEOUT, MAX_TIMEOUT = 0.5, 120.0
DEFAULT_REFRESH_SECONDS = 30.0
"""Refresh and Test connection read the sheet at most this often (per person, and per sheet for everyone)."""
MAX_REFRESH_SECONDS = 3600.0

ORIGIN_SETTINGS, ORIGIN_ENVIRONMENT, ORIGIN_DEFAULT = "settings", "environment", "default"
ORIGIN_COMMAND_LINE = "command line"
_SOURCE_KINDS = ("google_sheet", "published")


@dataclass(frozen=True)
class SourceConfig:
    """The configured source. `account` (the key's fields) never shows in its repr or comparisons."""

    kind: str
    """'demo', 'google_sheet', 'published' or 'file' (a file only through SPARKWATCH_SOURCE or the command line)."""
    location: str
    """What the admin gave: the Sheets link or key, the published link, 'demo' or a path."""
    tab: str | None = None
    """A tab's name, `ALL_TABS`, or None for the first tab."""
    cache_ttl: int = DEFAULT_CACHE_TTL
    timeout: float = DEFAULT_TIMEOUT
    refresh_seconds: float = DEFAULT_REFRESH_SECONDS
    origin: str = ORIGIN_DEFAULT
    """Where the source came from: the settings file, the environment, the command line, or nothing (the demo)."""
    account: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    key_file: str | None = None
    """The JSON key file named by GOOGLE_APPLICATION_CREDENTIALS, when the settings hold no key."""
    problem: str | None = None
    """A mistake in the settings, in plain words with what to do; set means: do not read."""
    notes: tuple[str, ...] = ()
    """Smaller mistakes that were worked around (a default was used instead)."""
    date_order: DateOrder | None = None
    """'DMY' or 'MDY': how to read dates like 02/12/2026 when the sheet itself does not tell; None: not set."""
    api_root: str = ""
    """The Sheets API's root (scheme://host[:port][/path]) when not Google's own; '' for Google's."""

    @property
    def key(self) -> str:
        """The spreadsheet key ('' unless this is a Google Sheet)."""
        return sheet_key(self.location) if self.kind == "google_sheet" else ""

    @property
    def has_account(self) -> bool:
        return self.account is not None or bool(self.key_file)

    def account_info(self) -> Mapping[str, Any]:
        """The service account key's fields, from the settings or the key file; SourceError if there is none."""
        if self.account is not None:
            return self.account
        if self.key_file:
            from lib.sources.gsheet import info_from_file

            return info_from_file(self.key_file)
        raise SourceError(NO_ACCOUNT, kind=ErrorKind.NO_CREDENTIALS)

    def account_email(self) -> str:
        """The address to share the sheet with ('' when there is no readable key)."""
        try:
            info = self.account_info()
        except SourceError:
            return ""
        email = info.get("client_email") if isinstance(info, Mapping) else None
        return email.strip() if isinstance(email, str) else ""

    def source_id(self) -> str:
        """A stable name for this source and the key that reads it, for caches; holds no key material.

        Two configs with the same id read the same data the same way. The key is represented by
        a digest, so a new key (or a key for another token service) is a new source.
        """
        parts = [self.kind, self.location.strip(), self.tab or "", self.date_order or ""]
        if self.kind == "google_sheet":
            parts.extend([self.api_root, account_fingerprint(self._info_or_none())])
        return "|".join(parts)

    def _info_or_none(self) -> Mapping[str, Any] | None:
        try:
            return self.account_info()
        except SourceError:
            return None


NO_ACCOUNT = (
    "To read the Google Sheet, the app needs a service account key: paste its fields into the settings under "
    "[gcp_service_account] (see the setup steps on the Data page) — or publish the sheet to the web as CSV and "
    "put that link in the settings instead."
)


def account_fingerprint(info: Mapping[str, Any] | None) -> str:
    """A short digest naming one key (email, key id, key, token service) without revealing any of it."""
    if not isinstance(info, Mapping):
        return "no-key"
    names = ("client_email", "private_key_id", "private_key", "token_uri")
    text = "\x00".join(str(info.get(name) or "") for name in names)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> SourceConfig:
    """The source config from the app's settings (secrets) and the environment; never raises."""
    sheet = secrets.get(SHEET_TABLE)
    notes: list[str] = []
    if sheet is not None and not isinstance(sheet, Mapping):
        return _demo_with_problem("The settings' [sheet] part is not a table: write it as a [sheet] section.")
    sheet = sheet or {}
    account, account_problem = _account(secrets.get(ACCOUNT_TABLE))
    key_file = (environ.get(CREDENTIALS_ENV) or "").strip() or None
    cache_ttl = _cache_ttl(sheet, environ, notes)
    timeout = _timeout(sheet, notes)
    refresh_seconds = _refresh_seconds(sheet, notes)
    date_order = _date_order(secrets.get(APP_TABLE), environ, notes)
    api_root, api_root_problem = _api_root(sheet.get("api_root"), environ, "api_root in the settings")

    location, origin, strict = _location(sheet, environ)
    if location is None:
        if account is not None:
            notes.append(
                "The settings hold a service account key but no sheet: add the sheet's link as url under [sheet]."
            )
        return SourceConfig(
            "demo",
            DEMO,
            cache_ttl=cache_ttl,
            timeout=timeout,
            refresh_seconds=refresh_seconds,
            account=account,
            notes=tuple(notes),
            date_order=date_order,
        )

    kind = kind_of(location)
    tab = _tab(sheet, environ)
    problem = None
    if strict and kind not in _SOURCE_KINDS and kind != "demo":
        problem = (
            "The sheet link in the settings is not a Google Sheets link, a spreadsheet key or a published CSV link. "
            "Open the sheet in the browser and copy the whole address from the address bar."
        )
    elif kind == "google_sheet" and account_problem:
        problem = account_problem
    elif kind == "google_sheet" and api_root_problem:
        problem = api_root_problem
    elif kind == "google_sheet" and account is None and not key_file:
        problem = NO_ACCOUNT
    if kind == "published" and tab:
        notes.append("A published link holds one tab already, so the tab setting is not used for it.")
        tab = None
    return SourceConfig(
        kind,
        location,
        tab=tab,
        cache_ttl=cache_ttl,
        timeout=timeout,
        refresh_seconds=refresh_seconds,
        origin=origin,
        account=account,
        key_file=None if account is not None else key_file,
        problem=problem,
        notes=tuple(notes),
        date_order=date_order,
        api_root=api_root,
    )


def for_command_line(source: str, tab: str | None, environ: Mapping[str, str]) -> SourceConfig:
    """The config for what the command line names: the source's text, its tab, and the environment.

    The key comes from the file GOOGLE_APPLICATION_CREDENTIALS names (Google's convention)
    and the API root from SPARKWATCH_SHEETS_API_ROOT, as for the app.
    """
    kind = kind_of(source)
    key_file = (environ.get(CREDENTIALS_ENV) or "").strip() or None
    api_root, problem = _api_root(None, environ, API_ROOT_ENV)
    return SourceConfig(
        kind,
        source,
        tab=tab,
        origin=ORIGIN_COMMAND_LINE,
        key_file=key_file,
        problem=problem if kind == "google_sheet" else None,
        api_root=api_root,
    )


# --- the parts ------------------------------------------------------------------------------


def _demo_with_problem(problem: str) -> SourceConfig:
    return SourceConfig("demo", DEMO, origin=ORIGIN_SETTINGS, problem=problem)


def _location(sheet: Mapping[str, Any], environ: Mapping[str, str]) -> tuple[str | None, str, bool]:
    """(what to read, where it was configured, whether it must be a sheet link) — settings first."""
    for name in ("url", "key"):
        value = sheet.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip(), ORIGIN_SETTINGS, True
    value = (environ.get(SHEET_ENV) or "").strip()
    if value:
        return value, ORIGIN_ENVIRONMENT, True
    value = (environ.get(SOURCE_ENV) or "").strip()
    if value and value.lower() != DEMO:
        return value, ORIGIN_ENVIRONMENT, False
    return None, ORIGIN_DEFAULT, False


def _api_root(written: Any, environ: Mapping[str, str], origin: str) -> tuple[str, str | None]:
    """(the API root, or '' for Google's; what is wrong with it) — `[sheet] api_root`, else the variable.

    An admin sets it for a proxy or another endpoint that speaks the Sheets API. The access
    token goes with every request, so only https is taken — plain http only to this machine.
    """
    if written is None:
        written, origin = environ.get(API_ROOT_ENV), API_ROOT_ENV
    if written is None or (isinstance(written, str) and not written.strip()):
        return "", None
    problem = (
        f"{origin} should be the address of the Sheets API, like https://sheets.googleapis.com "
        "(https, and no ? or # part; plain http only for this machine). Fix it, or remove it to use Google's own."
    )
    root = api_root(written) if isinstance(written, str) else None
    return (root, None) if root else ("", problem)


def _tab(sheet: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    value = sheet.get("tab")
    text = value.strip() if isinstance(value, str) else ""
    return text or (environ.get(TAB_ENV) or "").strip() or None


def _account(table: Any) -> tuple[Mapping[str, Any] | None, str | None]:
    """The key's fields from the settings, or a problem when the section is there but is not a table."""
    if table is None:
        return None, None
    if not isinstance(table, Mapping):
        return None, (
            "The settings' [gcp_service_account] part is not a table: write each field of the JSON key on its own "
            "line under a [gcp_service_account] heading."
        )
    return dict(table), None


def _cache_ttl(sheet: Mapping[str, Any], environ: Mapping[str, str], notes: list[str]) -> int:
    minutes = sheet.get("cache_minutes")
    if minutes is not None:
        seconds = _number(minutes, 60)
        if seconds is not None and MIN_CACHE_TTL <= seconds <= MAX_CACHE_TTL:
            return int(seconds)
        notes.append(
            "cache_minutes in the settings should be a number of minutes between 1 and 1440; "
            f"{DEFAULT_CACHE_TTL // 60} minutes are used instead."
        )
        return DEFAULT_CACHE_TTL
    seconds = _number(environ.get(CACHE_TTL_ENV), 1)
    if seconds is not None and MIN_CACHE_TTL <= seconds <= MAX_CACHE_TTL:
        return int(seconds)
    return DEFAULT_CACHE_TTL


def _timeout(sheet: Mapping[str, Any], notes: list[str]) -> float:
    value = sheet.get("timeout_seconds")
    if value is None:
        return DEFAULT_TIMEOUT
    seconds = _number(value, 1)
    if seconds is not None and MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        return seconds
    notes.append(
        f"timeout_seconds in the settings should be a number between {MIN_TIMEOUT:g} and {MAX_TIMEOUT:g}; "
        f"{DEFAULT_TIMEOUT:g} seconds are used instead."
    )
    return DEFAULT_TIMEOUT


def _refresh_seconds(sheet: Mapping[str, Any], notes: list[str]) -> float:
    value = sheet.get("refresh_seconds")
    if value is None:
        return DEFAULT_REFRESH_SECONDS
    seconds = _number(value, 1)
    if seconds is not None and 0 <= seconds <= MAX_REFRESH_SECONDS:
        return seconds
    notes.append(
        f"refresh_seconds in the settings should be a number of seconds between 0 and {MAX_REFRESH_SECONDS:g}; "
        f"{DEFAULT_REFRESH_SECONDS:g} seconds are used instead."
    )
    return DEFAULT_REFRESH_SECONDS


def _date_order(app: Any, environ: Mapping[str, str], notes: list[str]) -> DateOrder | None:
    """The team's date order: `[app] date_order`, else $SPARKWATCH_DATE_ORDER; a value that means nothing is a note."""
    written = app.get("date_order") if isinstance(app, Mapping) else None
    origin = "date_order in the settings"
    if written is None:
        written, origin = environ.get(DATE_ORDER_ENV), DATE_ORDER_ENV
    if written is None or (isinstance(written, str) and not written.strip()):
        return None
    order = parse_date_order(written)
    if order is None:
        notes.append(
            f"{origin} should be DMY (day first, like 19/11/2026) or MDY (month first, like 11/19/2026); "
            "it is not used, so dates that could be read both ways are listed under the problems."
        )
    return order


def _number(value: Any, scale: float) -> float | None:
    """`value` (a number, or a number written as text) times `scale`; None when it is not a number."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip()) * scale
    except ValueError:
        return None
    return number if math.isfinite(number) else None


__all__ = ["ALL_TABS", "DEFAULT_CACHE_TTL", "SourceConfig", "account_fingerprint", "for_command_line", "parse"]
