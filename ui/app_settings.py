"""The app's own settings file (`.streamlit/secrets.toml`), read in one place.

Access rules, the sheet to read and the team's time zone all come from it. A missing file
means "nothing configured"; a file that exists but is not valid TOML raises
`lib.errors.SettingsError`, so no caller can mistake a typo for "no login required".
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from typing import Any

import streamlit as st

from lib import settings
from lib.clock import team_timezone, team_today, today_in
from lib.errors import ErrorKind, SettingsError
from lib.settings import SourceConfig

BROKEN_SETTINGS = (
    "The app's settings file (.streamlit/secrets.toml) could not be read: it is not valid TOML. "
    "Compare it with .streamlit/secrets.toml.example: every text value needs quotes, and each "
    "[section] heading its own line."
)


def app_secrets() -> dict[str, Any]:
    """The app's secrets as a plain dict ({} when there is no secrets file)."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as error:  # Streamlit's "no secrets" error is a FileNotFoundError
        if getattr(error, "error_id", "") == "failed-parsing-secrets-file":
            raise SettingsError(BROKEN_SETTINGS, kind=ErrorKind.BROKEN_SETTINGS) from None
        return {}


def source_config() -> SourceConfig:
    """The configured source, from the app's settings (secrets) and the environment.

    A settings file that is not valid TOML names no sheet we could trust: the app goes on
    with what the environment says (else the demo, labelled as such), and the Data page
    says what to fix.
    """
    try:
        secrets = app_secrets()
    except SettingsError as error:
        return replace(settings.parse({}, os.environ), notes=(str(error),))
    return settings.parse(secrets, os.environ)


def zone_name() -> str | None:
    """The team's time zone from `[app] timezone`, if set (else $SPARKWATCH_TZ, else the machine's)."""
    try:
        app = app_secrets().get("app") or {}
    except SettingsError:
        return None
    name = app.get("timezone") if isinstance(app, dict) else None
    return str(name) if name else None


def zone() -> dt.tzinfo | None:
    """The team's time zone; an unknown name falls back to the machine's (the Data page says so)."""
    try:
        return team_timezone(zone_name())
    except SettingsError:
        return None


def today() -> dt.date:
    """Today where the team works, the same on every page (a code ending today is 'expiring' everywhere)."""
    return today_in(zone())


def zone_problem() -> str | None:
    """A plain sentence when the configured time zone is not a real one."""
    try:
        team_today(zone_name())
    except SettingsError as error:
        return f"{error} Using this computer's time zone instead."
    return None
