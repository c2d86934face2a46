"""The app's own settings file (`.streamlit/secrets.toml`), read in one place.

Access rules, the sheet to read and the team's time zone all come from it. A missing file
means "nothing configured"; a file that exists but cannot be fully understood (`lib.settings_file`)
raises `lib.errors.SettingsError`, so no caller can mistake a typo for "no login required".
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st

from lib import settings
from lib.clock import team_timezone, team_today, today_in
from lib.errors import ErrorKind, SettingsError
from lib.settings import SourceConfig
from lib.settings_file import read_settings


def app_secrets() -> dict[str, Any]:
    """The app's secrets as a plain dict ({} when there is no settings file).

    Every file Streamlit would read (`secrets.files`) is read strictly first: anything in it the
    app would misread, or a path Streamlit would silently skip, raises `SettingsError` naming
    the line, and the app stays locked. A file saved with a byte order mark (Windows Notepad)
    is read here although Streamlit refuses it; only its login, which Streamlit reads itself,
    cannot work from such a file, so then the app stays locked and says how to save it.
    """
    paths = [str(path) for path in st.config.get_option("secrets.files")]
    read = read_settings(paths, optional=_streamlit_default_places())
    if read.problem:
        raise SettingsError(read.problem, kind=ErrorKind.BROKEN_SETTINGS)
    if read.marked and "auth" in read.values:
        raise SettingsError(BOM_LOGIN, kind=ErrorKind.BROKEN_SETTINGS)
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError:  # Streamlit's "no secrets" and "cannot parse" errors both are
        secrets = {}
    return {**secrets, **read.values}


BOM_LOGIN = (
    "The app's settings file starts with an invisible byte order mark (Windows Notepad adds one), "
    "and Streamlit's login cannot read such a file. Save it as UTF-8 without the mark (in Notepad: "
    "Save as → Encoding: UTF-8), then reload. Until it is fixed, the app stays locked."
)


def _streamlit_default_places() -> set[str]:
    """Where Streamlit looks for secrets when nobody says otherwise; a missing file there is normal."""
    return {str(Path.home() / ".streamlit" / "secrets.toml"), str(Path.cwd() / ".streamlit" / "secrets.toml")}


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
