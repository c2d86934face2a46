"""Reading the source's configuration from the app's settings (secrets) and the environment, and
reading what a configuration names — the Google Sheet through the real gspread client against the
local fake Sheets API, the published link against the same server."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from lib import settings
from lib.demo import demo_table
from lib.errors import SourceError
from lib.normalize import normalize
from lib.settings import SourceConfig, for_command_line, parse
from lib.sources import gsheet, open_source
from tests.conftest import ROOT, TODAY
from tests.fakes import FakeSheets, service_account_info
from tests.fakes.webhook import clear_proxies

KEY = "1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
PUBLISHED = "https://docs.google.com/spreadsheets/d/e/2PACX-1vTestPublishedSheet/pub?output=csv"
ACCOUNT = {
    "type": "service_account",
    "client_email": "reader@project.iam.gserviceaccount.com",
    "private_key_id": "abc123",
    "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEfakefakefake\\n-----END PRIVATE KEY-----\\n",
    "token_uri": "https://oauth2.googleapis.com/token",
}


def test_nothing_configured_is_the_demo_with_default_cache_time():
    config = parse({}, {})
    assert (config.kind, config.location, config.origin) == ("demo", "demo", settings.ORIGIN_DEFAULT)
    assert config.cache_ttl == settings.DEFAULT_CACHE_TTL == 300
    assert config.problem is None and config.notes == ()


def test_settings_name_the_sheet_tab_cache_time_and_key():
    config = parse({"sheet": {"url": URL, "tab": " Tracker ", "cache_minutes": 2}, "gcp_service_account": ACCOUNT}, {})
    assert config.kind == "google_sheet"
    assert config.key == KEY
    assert config.tab == "Tracker"
    assert config.cache_ttl == 120
    assert config.origin == settings.ORIGIN_SETTINGS
    assert config.account_email() == ACCOUNT["client_email"]
    assert config.problem is None


def test_a_bare_key_and_all_tabs():
    config = parse({"sheet": {"url": KEY, "tab": "*"}, "gcp_service_account": ACCOUNT}, {})
    assert (config.kind, config.key, config.tab) == ("google_sheet", KEY, settings.ALL_TABS)


def test_the_environment_is_the_alternative_and_the_settings_win():
    environ = {"SPARKWATCH_SHEET": URL, "SPARKWATCH_TAB": "Leads", "SPARKWATCH_CACHE_TTL": "90"}
    from_env = parse({}, environ)
    assert (from_env.kind, from_env.tab, from_env.cache_ttl) == ("google_sheet", "Leads", 90)
    assert from_env.origin == settings.ORIGIN_ENVIRONMENT
    assert from_env.problem == settings.NO_ACCOUNT

    both = parse({"sheet": {"url": PUBLISHED}}, environ)
    assert (both.kind, both.location, both.origin) == ("published", PUBLISHED, settings.ORIGIN_SETTINGS)


def test_a_key_file_from_google_application_credentials(tmp_path: Path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(ACCOUNT), encoding="utf-8")
    config = parse({}, {"SPARKWATCH_SHEET": KEY, "GOOGLE_APPLICATION_CREDENTIALS": str(path)})
    assert config.problem is None
    assert config.key_file == str(path)
    assert config.account_email() == ACCOUNT["client_email"]
    assert config.account_info()["private_key_id"] == "abc123"


def test_a_published_link_needs_no_key_and_ignores_a_tab():
    config = parse({"sheet": {"url": PUBLISHED, "tab": "Tracker"}}, {})
    assert (config.kind, config.tab, config.problem) == ("published", None, None)
    assert any("published link holds one tab" in note for note in config.notes)


@pytest.mark.parametrize(
    ("secrets", "says"),
    [
        ({"sheet": {"url": URL}}, "needs a service account key"),
        ({"sheet": {"url": "my tracker"}}, "not a Google Sheets link"),
        ({"sheet": {"url": URL}, "gcp_service_account": "paste here"}, "[gcp_service_account] part is not a table"),
        ({"sheet": "https://example.com"}, "[sheet] part is not a table"),
    ],
)
def test_setting_mistakes_become_a_plain_problem_not_an_exception(secrets, says):
    config = parse(secrets, {})
    assert config.problem is not None and says in config.problem
    with pytest.raises(SourceError) as caught:
        open_source(config).read(TODAY)
    assert caught.value.kind == "settings"


@pytest.mark.parametrize("minutes", ["soon", 0, -5, 100_000, True, float("nan")])
def test_a_bad_cache_time_falls_back_to_five_minutes_with_a_note(minutes):
    config = parse({"sheet": {"url": PUBLISHED, "cache_minutes": minutes}}, {})
    assert config.cache_ttl == 300
    assert any("cache_minutes" in note for note in config.notes)


def test_a_cache_time_written_as_text_or_a_fraction_counts():
    assert parse({"sheet": {"url": PUBLISHED, "cache_minutes": "10"}}, {}).cache_ttl == 600
    assert parse({"sheet": {"url": PUBLISHED, "cache_minutes": 0.5}}, {}).cache_ttl == 30


def test_a_key_without_a_sheet_is_noted_and_the_demo_is_shown():
    config = parse({"gcp_service_account": ACCOUNT}, {})
    assert config.kind == "demo"
    assert any("no sheet" in note for note in config.notes)


def test_sparkwatch_source_takes_any_source_even_a_file(tmp_path: Path):
    path = tmp_path / "sheet.csv"
    path.write_text("Creator,Expires\n@nia,2026-12-01\n", encoding="utf-8")
    config = parse({}, {"SPARKWATCH_SOURCE": str(path)})
    assert (config.kind, config.problem) == ("file", None)
    assert open_source(config).read(TODAY) == [["Creator", "Expires"], ["@nia", "2026-12-01"]]
    assert parse({}, {"SPARKWATCH_SOURCE": "demo"}).kind == "demo"


def test_the_key_never_shows_in_the_config_or_its_cache_name():
    config = parse({"sheet": {"url": URL}, "gcp_service_account": ACCOUNT}, {})
    for text in (repr(config), str(config), config.source_id()):
        assert "PRIVATE KEY" not in text and "MIIEfake" not in text
    other_key = parse({"sheet": {"url": URL}, "gcp_service_account": {**ACCOUNT, "private_key_id": "new"}}, {})
    assert other_key.source_id() != config.source_id()
    assert parse({"sheet": {"url": URL}, "gcp_service_account": dict(ACCOUNT)}, {}).source_id() == config.source_id()


def test_the_committed_example_settings_parse_to_a_google_sheet_with_a_key():
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    config = parse(example, {})
    assert (config.kind, config.tab, config.cache_ttl, config.problem) == ("google_sheet", "Tracker", 300, None)
    assert config.account_email().endswith(".iam.gserviceaccount.com")
    assert "\n" in config.account_info()["private_key"]


# --- reading what a config names, against the local fake ------------------------------------------


@pytest.fixture
def fake(monkeypatch) -> Iterator[FakeSheets]:
    clear_proxies(monkeypatch)
    with FakeSheets() as server:
        server.add_spreadsheet(KEY, {"Tracker": demo_table(TODAY), "Notes": [["Read me first"]]})
        server.refuse_outside(monkeypatch)
        yield server


def test_the_configured_google_sheet_is_read_at_the_configured_api_root(fake):
    sheet = {"url": URL, "tab": "Tracker", "api_root": fake.url}
    config = parse({"sheet": sheet, "gcp_service_account": service_account_info(fake)}, {})
    table = open_source(config).read(TODAY)
    pd.testing.assert_frame_equal(normalize(table).frame, normalize(demo_table(TODAY)).frame)
    assert fake.value_requests == 1 and fake.counts["metadata"] == 0


def test_a_published_link_is_read_with_no_key(fake):
    csv_text = "Creator,Expires\n@nia,2026-12-01\n"
    url = fake.publish("/spreadsheets/d/e/2PACX-1vTest/pub?output=csv", csv_text)
    config = parse({"sheet": {"url": url}}, {})
    assert open_source(config).read(TODAY) == [["Creator", "Expires"], ["@nia", "2026-12-01"]]
    assert fake.counts["csv"] == 1 and fake.counts["token"] == 0


def test_a_google_sheet_uses_the_given_reader_and_its_timeout(fake):
    secrets = {"sheet": {"url": URL, "timeout_seconds": 0.5}, "gcp_service_account": service_account_info(fake)}
    config = parse(secrets, {})
    assert config.timeout == 0.5
    reader = gsheet.SheetReader(gsheet.make_client(config.account_info(), timeout=config.timeout, endpoint=fake.url))
    fake.fail("hang", times=1)
    with pytest.raises(SourceError) as caught:
        open_source(config, reader=lambda _config: reader).read(TODAY)
    assert caught.value.kind == "timeout"


def test_config_is_comparable_without_the_key():
    a = SourceConfig("published", PUBLISHED, account={"private_key": "x"})
    b = SourceConfig("published", PUBLISHED, account={"private_key": "y"})
    assert a == b


# --- the team's date order (issue 10) -------------------------------------------


@pytest.mark.parametrize(
    ("written", "order"),
    [("DMY", "DMY"), ("dmy", "DMY"), ("MDY", "MDY"), ("day-first", "DMY"), ("month first", "MDY"),
     ("dd/mm/yyyy", "DMY"), ("MM/DD/YYYY", "MDY")],
)  # fmt: skip
def test_date_order_from_the_settings(written, order):
    config = parse({"app": {"date_order": written}}, {})
    assert config.date_order == order
    assert not config.notes


def test_date_order_from_the_environment_when_the_settings_are_silent():
    assert parse({}, {"SPARKWATCH_DATE_ORDER": "DMY"}).date_order == "DMY"
    assert parse({"app": {"date_order": "MDY"}}, {"SPARKWATCH_DATE_ORDER": "DMY"}).date_order == "MDY"
    assert parse({}, {}).date_order is None


def test_a_date_order_that_means_nothing_is_a_note_not_a_guess():
    config = parse({"app": {"date_order": "sometimes"}}, {})
    assert config.date_order is None
    assert any("date_order" in note for note in config.notes)


def test_the_date_order_is_part_of_the_source_id():
    """The same sheet read day-first and month-first are different results for the caches."""
    assert parse({"app": {"date_order": "DMY"}}, {}).source_id() != parse({}, {}).source_id()


# --- the Sheets API's address (api_root) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "root"),
    [
        ("https://sheets.googleapis.com", "https://sheets.googleapis.com"),
        ("https://sheets-proxy.example.com:8443/google/", "https://sheets-proxy.example.com:8443/google"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:8765", "http://localhost:8765"),
        ("http://[::1]:8765", "http://[::1]:8765"),
        ("  ", ""),
    ],
)
def test_an_api_root_in_the_settings_is_taken(written, root):
    config = parse({"sheet": {"url": URL, "api_root": written}, "gcp_service_account": ACCOUNT}, {})
    assert (config.api_root, config.problem) == (root, None)


@pytest.mark.parametrize(
    "written",
    [
        "http://sheets.example.com",  # the token would travel in clear
        "http://10.0.0.5:8080",
        "ftp://sheets.example.com",
        "https://sheets.example.com/?key=x",
        "https://user:pw@sheets.example.com",
        "https://sheets.example.com:port",
        "sheets.googleapis.com",
        42,
    ],
)
def test_an_api_root_that_is_not_a_safe_address_stops_the_google_sheet(written):
    config = parse({"sheet": {"url": URL, "api_root": written}, "gcp_service_account": ACCOUNT}, {})
    assert config.api_root == ""
    assert config.problem is not None and "api_root in the settings" in config.problem
    assert open_source(config).setup_problem() == config.problem


def test_the_api_root_from_the_environment_when_the_settings_are_silent():
    environ = {settings.API_ROOT_ENV: "https://proxy.example.com"}
    config = parse({"sheet": {"url": URL}, "gcp_service_account": ACCOUNT}, environ)
    assert config.api_root == "https://proxy.example.com"
    written = {"sheet": {"url": URL, "api_root": "https://other.example.com"}, "gcp_service_account": ACCOUNT}
    assert parse(written, environ).api_root == "https://other.example.com"
    wrong = parse({"sheet": {"url": URL}, "gcp_service_account": ACCOUNT}, {settings.API_ROOT_ENV: "http://x.example"})
    assert wrong.problem is not None and settings.API_ROOT_ENV in wrong.problem


def test_the_api_root_is_part_of_the_source_id():
    a = parse({"sheet": {"url": URL}, "gcp_service_account": ACCOUNT}, {})
    b = parse({"sheet": {"url": URL, "api_root": "https://proxy.example.com"}, "gcp_service_account": ACCOUNT}, {})
    assert a.source_id() != b.source_id()


# --- the command line's config -------------------------------------------------------------------


def test_the_command_line_config_takes_the_key_file_and_api_root_from_the_environment(tmp_path: Path):
    environ = {settings.CREDENTIALS_ENV: str(tmp_path / "key.json"), settings.API_ROOT_ENV: "https://p.example.com"}
    config = for_command_line(URL, "Tracker", environ)
    assert (config.kind, config.key, config.tab, config.origin) == ("google_sheet", KEY, "Tracker", "command line")
    assert (config.key_file, config.api_root, config.problem) == (
        str(tmp_path / "key.json"),
        "https://p.example.com",
        None,
    )


def test_the_command_line_without_a_key_file_says_which_variable_to_set():
    source = open_source(for_command_line(KEY, None, {}))
    assert settings.CREDENTIALS_ENV in (source.setup_problem() or "")
    with pytest.raises(SourceError) as caught:
        source.read(TODAY)
    assert caught.value.kind == "no_credentials" and "publish" in str(caught.value)


def test_the_command_line_ignores_the_api_root_for_other_kinds():
    config = for_command_line("demo", None, {settings.API_ROOT_ENV: "nonsense"})
    assert (config.kind, config.problem) == ("demo", None)
