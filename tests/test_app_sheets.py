"""The real app (AppTest) reading the team's Google Sheet as configured in its settings: secrets
injected, the real gspread client with a real throwaway service-account key, the local fake Sheets
API counting every request. Caching, Refresh, every fault's message, stale data, published links,
and no key material on screen or in the logs."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st
from app_helpers import APP, AUTHORIZATIONS, DATA, OVERVIEW, SHEET_PAGES, TIMEOUT, expected, no_settings, rendered
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from lib import settings
from lib.clock import team_today
from lib.demo import demo_table
from lib.sources import gsheet
from tests.fakes import FakeSheets, service_account_info
from tests.fakes.waits import skip_google_auth_waits
from tests.fakes.webhook import clear_proxies

KEY = "1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
EMAIL = "sparkwatch-app@sparkwatch-test.iam.gserviceaccount.com"
PUBLISHED_PATH = "/spreadsheets/d/e/2PACX-1vSparkwatchTest/pub?output=csv"
NOT_READ = "The sheet could not be read, so there is nothing to show yet."
_ENVIRONMENT = (
    settings.API_ROOT_ENV,
    settings.SHEET_ENV,
    settings.TAB_ENV,
    settings.SOURCE_ENV,
    settings.CACHE_TTL_ENV,
    settings.CREDENTIALS_ENV,
)


# --- set-up shared with test_app_data.py ----------------------------------------------------------


@pytest.fixture(name="fake")
def fake_fixture(monkeypatch, tmp_path) -> Iterator[FakeSheets]:
    """The local fake Sheets API holding the demo sheet as 'Tracker', the app pointed at it, caches empty.

    Only the settings a test injects count: no secrets file of the machine, no variables but
    the API root (the app's own setting, as an admin behind a proxy would set it) and the
    proxy variables that keep every other request on this machine.
    """
    clear_proxies(monkeypatch)
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    no_file = {"secrets.files": [no_settings(tmp_path)]}
    with FakeSheets() as server, patch_config_options(no_file):
        server.add_spreadsheet(KEY, {"Tracker": demo_table(team_today()), "Notes": [["Read me first"]]})
        server.refuse_outside(monkeypatch)
        server.quota_retry_after = "0"  # Google may say "now": the app's retries then cost no time
        monkeypatch.setenv(settings.API_ROOT_ENV, server.url)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield server
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(name="info")
def info_fixture(fake: FakeSheets) -> dict[str, str]:
    return service_account_info(fake, EMAIL)


def sheet_secrets(info: dict[str, Any] | None, **sheet: Any) -> dict[str, Any]:
    """App settings naming the fake's spreadsheet (a short timeout, so a hang ends quickly).

    Refresh is not held back (`refresh_seconds = 0`) unless a test asks for it: tests click
    it many times a second; `test_refresh_is_held_back_*` checks the default.
    """
    secrets: dict[str, Any] = {"sheet": {"url": URL, "timeout_seconds": 1, "refresh_seconds": 0, **sheet}}
    if info is not None:
        secrets["gcp_service_account"] = info
    return secrets


def open_with(secrets: dict[str, Any], page: str | None = AUTHORIZATIONS) -> AppTest:
    """The real app with these settings, run once through streamlit_app.py, then opened on `page`.

    (Opening a page explicitly gets past AppTest's first-widget-change quirk; see app_helpers.)
    """
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for name, value in secrets.items():
        at.secrets[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def refresh(at: AppTest) -> AppTest:
    at.sidebar.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_rows(at: AppTest) -> list[int]:
    """The sheet rows the Authorizations table shows."""
    return at.dataframe[0].value["Sheet row"].tolist()


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def assert_no_key_material(text: str, info: dict[str, Any]) -> None:
    pem_lines = info["private_key"].strip().splitlines()[1:-1]
    assert "PRIVATE KEY" not in text
    for line in pem_lines:
        assert line[:32] not in text
    assert "ya29." not in text


# --- reading and caching ---------------------------------------------------------------------------


def test_the_configured_tab_is_shown_with_one_values_request_per_refresh_and_none_on_a_rerun(fake, info):
    at = open_with(sheet_secrets(info, tab="Tracker"))

    assert shown_rows(at) == expected()["row"].tolist()
    assert [t.value for t in at.sidebar.text] == ["Google Sheet: 1Spark…uvwx (tab Tracker)"]
    assert any(c.value.startswith("Last synced ") for c in at.sidebar.caption)
    assert (fake.counts["values"], fake.counts["metadata"], fake.counts["batch_get"]) == (1, 0, 0)

    at.run()
    at.switch_page(OVERVIEW).run()
    assert not at.exception
    assert fake.value_requests == 1

    at.switch_page(AUTHORIZATIONS).run()
    refresh(at)
    assert fake.counts["values"] == 2 and fake.counts["metadata"] == 0
    assert shown_rows(at) == expected()["row"].tolist()
    assert fake.counts["token"] == 1  # the cached client keeps its sign-in


def test_without_a_tab_the_first_tab_is_learnt_once_then_each_refresh_is_one_request(fake, info):
    at = open_with(sheet_secrets(info))
    assert shown_rows(at) == expected()["row"].tolist()
    assert (fake.counts["metadata"], fake.counts["values"]) == (1, 1)
    assert [t.value for t in at.sidebar.text] == ["Google Sheet: Spark Ads tracker"]

    refresh(at)
    refresh(at)
    assert (fake.counts["metadata"], fake.counts["values"]) == (1, 3)


def test_refresh_is_held_back_per_person_and_per_sheet_without_emptying_anyones_page(fake, info):
    """Ten clicks used to be ten reads (four each under 'too many requests'), clearing everyone's cache."""
    settings = sheet_secrets(info, tab="Tracker", refresh_seconds=30)
    at = open_with(settings)
    other = open_with(settings)
    assert fake.value_requests == 1
    refresh(at)
    assert fake.value_requests == 2  # the first click reads
    for _ in range(5):
        refresh(at)
    refresh(other)  # another person, same sheet, within the 30 s
    assert fake.value_requests == 2
    for page in (at, other):
        assert shown_rows(page) == expected()["row"].tolist()
        assert any("Refresh works again in" in c.value for c in page.sidebar.caption)
        assert not page.error and not page.warning


def test_a_renamed_first_tab_is_found_again_on_refresh(fake, info):
    at = open_with(sheet_secrets(info))
    rows = demo_table(team_today())
    fake.add_spreadsheet(KEY, {"Tracker 2027": rows[:4], "Notes": [["x"]]})
    refresh(at)
    assert len(shown_rows(at)) == len(expected().query("row <= 4"))
    assert not at.error and not at.warning


def test_a_second_viewer_within_the_cache_time_costs_no_request(fake, info):
    open_with(sheet_secrets(info, tab="Tracker"))
    other = open_with(sheet_secrets(info, tab="Tracker"))
    assert shown_rows(other) == expected()["row"].tolist()
    assert fake.value_requests == 1


def test_the_api_root_in_the_settings_points_the_app_at_another_sheets_api(fake, info, monkeypatch):
    monkeypatch.delenv(settings.API_ROOT_ENV)
    at = open_with(sheet_secrets(info, tab="Tracker", api_root=fake.url))
    assert shown_rows(at) == expected()["row"].tolist()
    assert fake.value_requests == 1


def test_an_api_root_that_would_send_the_token_in_clear_is_refused(fake, info, monkeypatch):
    monkeypatch.delenv(settings.API_ROOT_ENV)
    at = open_with(sheet_secrets(info, tab="Tracker", api_root="http://sheets.example.com"))
    assert any("api_root in the settings should be the address of the Sheets API" in t for t in texts(at))
    assert fake.counts.total() == 0


def test_all_tabs_are_merged_with_a_tab_column(fake, info):
    today = team_today()
    rows = demo_table(today)
    fake.add_spreadsheet(KEY, {"Lumen": rows[:3], "Stride": [rows[0], *rows[3:5]], "Notes": [["x"]]})
    at = open_with(sheet_secrets(info, tab="*"))
    table = at.dataframe[0].value
    assert len(table) == 4
    assert fake.counts["batch_get"] == 1 and fake.counts["values"] == 0
    assert [t.value for t in at.sidebar.text] == ["Google Sheet: 1Spark…uvwx (all tabs)"]


# --- faults -----------------------------------------------------------------------------------------


FAULTS = [
    ("forbidden", None, ["not shared with the service account", EMAIL, "Viewer is enough"]),
    ("not_found", None, ["No spreadsheet was found for this link or key"]),
    ("server_error", None, ["Google Sheets had a problem on its side (error 500)", "refresh"]),
    ("hang", None, ["did not answer in time", "internet connection"]),
    ("not_json", None, ["not sheet data", "Check the network"]),
    ("missing_tab", "Nope", ["There is no tab called 'Nope'", "Tabs in this sheet: Tracker, Notes"]),
]


@pytest.mark.parametrize(("fault", "tab", "says"), FAULTS, ids=[f[0] for f in FAULTS])
def test_each_fault_shows_its_plain_message_and_the_app_still_renders(fake, info, fault, tab, says):
    if fault != "missing_tab":
        fake.fail(fault)
    at = open_with(sheet_secrets(info, tab=tab or "Tracker"))

    assert [e.value for e in at.error] == [NOT_READ]
    message = next(t for t in texts(at) if says[0] in t)
    for words in says:
        assert words in message
    assert "Traceback" not in rendered(at)
    assert at.sidebar.button[0].label == "Refresh"


def test_quota_then_success_retries_and_shows_the_sheet(fake, info):
    fake.fail("quota", times=1)
    at = open_with(sheet_secrets(info, tab="Tracker"))
    assert shown_rows(at) == expected()["row"].tolist()
    assert not at.error and not at.warning
    assert fake.counts["values"] == 2


def test_quota_exceeded_for_good_says_wait_after_a_bounded_retry(fake, info):
    fake.fail("quota")
    at = open_with(sheet_secrets(info, tab="Tracker"))
    assert any("limit on how often the sheet can be read" in t for t in texts(at))
    assert fake.counts["values"] == 1 + len(gsheet.QUOTA_BACKOFF)


def test_a_failed_read_is_not_retried_on_every_click(fake, info):
    fake.fail("server_error")
    at = open_with(sheet_secrets(info, tab="Tracker"))
    at.run()
    at.switch_page(OVERVIEW).run()
    assert fake.counts["values"] == 1
    fake.clear_faults()
    refresh(at)
    assert not at.error
    assert fake.counts["values"] == 2


@pytest.mark.parametrize(
    ("fault", "says"),
    [("server_error", "error 500"), ("hang", "did not answer in time"), ("forbidden", EMAIL)],
)
def test_after_a_good_read_a_failing_refresh_keeps_the_data_marked_stale(fake, info, fault, says):
    at = open_with(sheet_secrets(info, tab="Tracker"))
    good_rows = shown_rows(at)
    synced = next(c.value for c in at.sidebar.caption if c.value.startswith("Last synced "))

    fake.fail(fault)
    refresh(at)
    assert shown_rows(at) == good_rows
    (warning,) = at.warning
    assert warning.value.startswith(f"Stale since {synced.removeprefix('Last synced ')} — ")
    assert any(says in t for t in texts(at))
    assert not at.error
    assert any(c.value.endswith(" — stale") for c in at.sidebar.caption)

    # Another viewer of the same sheet gets the same stale data, without a new request.
    count = fake.value_requests
    other = open_with(sheet_secrets(info, tab="Tracker"))
    assert shown_rows(other) == good_rows and other.warning
    assert fake.value_requests == count

    fake.clear_faults()
    refresh(at)
    assert not at.warning and shown_rows(at) == good_rows


def test_stale_data_is_only_ever_the_same_sources(fake, info):
    open_with(sheet_secrets(info, tab="Tracker"))
    at = open_with(sheet_secrets(info, tab="Nope"))
    assert [e.value for e in at.error] == [NOT_READ]
    assert not at.warning and not at.dataframe


def test_a_broken_sign_in_service_gets_its_own_message(fake, info, monkeypatch):
    skip_google_auth_waits(monkeypatch)
    fake.fail("server_error", on=["token"])
    at = open_with(sheet_secrets(info, tab="Tracker"))
    assert any("sign-in service had a problem" in t for t in texts(at))
    assert fake.value_requests == 0


# --- settings mistakes ------------------------------------------------------------------------------


def test_a_broken_key_in_the_settings_says_so_without_quoting_it(fake, info):
    lines = info["private_key"].splitlines()
    broken = {**info, "private_key": "\n".join([lines[0], *[line[::-1] for line in lines[1:-1]], lines[-1]])}
    at = open_with(sheet_secrets(broken, tab="Tracker"))
    assert any("service account key in the settings is broken" in t for t in texts(at))
    assert_no_key_material(rendered(at), broken)
    assert fake.counts.total() == 0


def test_a_google_sheet_without_a_key_says_how_to_add_one(fake):
    at = open_with(sheet_secrets(None, tab="Tracker"))
    assert any("needs a service account key" in t for t in texts(at))
    assert fake.counts.total() == 0


def test_a_key_pasted_with_literal_backslash_n_in_the_settings_works(fake, info):
    pasted = {**info, "private_key": info["private_key"].strip().replace("\n", "\\n")}
    at = open_with(sheet_secrets(pasted, tab="Tracker"))
    assert shown_rows(at) == expected()["row"].tolist()


# --- published link ---------------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_a_published_link_in_the_settings_needs_no_key_and_is_cached_too(fake):
    url = fake.publish(PUBLISHED_PATH, _csv(demo_table(team_today())))
    at = open_with({"sheet": {"url": url}})
    assert shown_rows(at) == expected()["row"].tolist()
    assert [t.value for t in at.sidebar.text] == ["Published sheet"]
    at.run()
    assert fake.counts["csv"] == 1 and fake.counts["token"] == 0
    refresh(at)
    assert fake.counts["csv"] == 2


def test_a_published_link_that_stopped_being_published_keeps_the_last_data_stale(fake):
    url = fake.publish(PUBLISHED_PATH, _csv(demo_table(team_today())))
    at = open_with({"sheet": {"url": url}})
    del fake.files[PUBLISHED_PATH]
    refresh(at)
    assert shown_rows(at) == expected()["row"].tolist()
    assert at.warning[0].value.startswith("Stale since ")
    assert any("Nothing is published at this link" in t for t in texts(at))


# --- no secrets anywhere ----------------------------------------------------------------------------


def test_no_key_material_or_token_on_any_page_or_in_any_log(fake, info, caplog):
    caplog.set_level(logging.DEBUG)
    at = open_with(sheet_secrets(info, tab="Tracker"))
    seen = [rendered(at)]
    fake.fail("forbidden")
    refresh(at)
    seen.append(rendered(at))
    fake.clear_faults()
    for page in (OVERVIEW, DATA):
        at.switch_page(page).run()
        seen.append(rendered(at))
    at.button(key="data_test_connection").click().run()
    seen.append(rendered(at))
    assert fake.counts["token"] >= 1 and fake.value_requests == 3

    for text in [*seen, caplog.text]:
        assert_no_key_material(text, info)


def test_a_malformed_key_never_reaches_a_page_or_a_log(fake, info, caplog):
    caplog.set_level(logging.DEBUG)
    lines = info["private_key"].splitlines()
    broken = {**info, "private_key": "\n".join([lines[0], *lines[1:4], lines[-1]])}  # cut short
    at = open_with(sheet_secrets(broken, tab="Tracker"), page=None)
    seen = [rendered(at)]
    for page in (*SHEET_PAGES, DATA):  # every page, ending on Data for its connection test
        at.switch_page(page).run()
        assert not at.exception
        seen.append(rendered(at))
    at.button(key="data_test_connection").click().run()
    seen.append(rendered(at))
    for text in [*seen, caplog.text]:
        assert_no_key_material(text, broken)
        assert info["private_key_id"] not in text


# --- a day-first sheet, read the way the team meant it (issue 10) ---------------------------


def test_a_french_sheet_is_read_day_first_in_the_app(fake, info):
    """Date cells come as serial numbers; a date typed as text follows the spreadsheet's locale, said once."""
    fake.add_spreadsheet(
        KEY,
        {"Suivi": [["Créateur", "Expiration", "Fin de campagne"], ["@nia", dt.date(2026, 12, 2), "02/12/2026"]]},
        locale="fr_FR",
    )
    at = open_with(sheet_secrets(info))
    assert not at.exception
    assert str(at.dataframe[0].value["Expires"].iloc[0]).startswith("2026-12-02")
    fixes = at.dataframe[1].value
    (why,) = fixes["What is wrong"].tolist()
    assert "fr_FR" in why and "2 Dec 2026" in why
    assert any(t.startswith("Columns used: creator ← 'Créateur'") for t in texts(at))


def test_the_teams_date_order_setting_reads_typed_dates_without_a_note(fake, info):
    fake.add_spreadsheet(KEY, {"Suivi": [["Creator", "Campaign end"], ["@nia", "02/12/2026"]]}, locale="en_US")
    secrets = {**sheet_secrets(info), "app": {"date_order": "DMY"}}
    at = open_with(secrets)
    assert not at.exception
    assert any(s.value.startswith("Nothing to fix") for s in at.success)
