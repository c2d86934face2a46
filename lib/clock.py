"""What day it is for the team.

A code that ends today must read `expiring` on every page and in every alert, so "today"
is worked out once, in the team's time zone, and passed down to the diagnosis.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lib.errors import ErrorKind, SettingsError

TZ_ENV = "SPARKWATCH_TZ"


def team_timezone(name: str | None = None) -> dt.tzinfo | None:
    """The named zone, else $SPARKWATCH_TZ, else None (the machine's own local time).

    A name that is no zone raises `SettingsError`: it came from a person, who needs the sentence.
    """
    name = name or os.environ.get(TZ_ENV) or None
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SettingsError(
            f"Unknown time zone '{name}': use a name like Europe/Berlin.", kind=ErrorKind.UNKNOWN_TIME_ZONE
        ) from None


def today_in(tz: dt.tzinfo | None, now: dt.datetime | None = None) -> dt.date:
    """Today's date in a time zone (None: the machine's)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()


def team_today(tz_name: str | None = None, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the team works."""
    return today_in(team_timezone(tz_name), now)


def team_now(tz: dt.tzinfo | None, day: dt.date | None = None, now: dt.datetime | None = None) -> dt.datetime:
    """The present moment in the team's zone, aware (None: the machine's zone).

    Given a `day` (a command judged "as of" that day), the start of that day instead, so
    whatever is planned from that morning on still lies ahead.
    """
    if day is not None:
        return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(tz)
    return (now or dt.datetime.now(dt.UTC)).astimezone(tz)
