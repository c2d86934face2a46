import datetime as dt

import pytest

from lib.clock import TZ_ENV, team_today
from lib.errors import SettingsError

LATE_EVENING_UTC = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Berlin", dt.date(2026, 11, 23)),
        ("America/Los_Angeles", dt.date(2026, 11, 22)),
        ("UTC", dt.date(2026, 11, 22)),
    ],
)
def test_today_is_the_teams_day(zone, day):
    assert team_today(zone, now=LATE_EVENING_UTC) == day


def test_environment_sets_the_zone(monkeypatch):
    monkeypatch.setenv(TZ_ENV, "Asia/Tokyo")
    assert team_today(now=LATE_EVENING_UTC) == dt.date(2026, 11, 23)


def test_unknown_zone_is_a_plain_message():
    with pytest.raises(SettingsError, match="Unknown time zone 'Mars/Base'"):
        team_today("Mars/Base")


def test_a_zone_name_too_long_for_a_file_name_is_the_same_plain_message():
    # The zone database is a folder of files: an absurd name fails as an OS error, not 'not found'.
    with pytest.raises(SettingsError, match="Unknown time zone"):
        team_today("a" * 300)
