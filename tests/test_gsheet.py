"""The Google Sheet source, end to end: the real gspread client with a real service-account key
(a throwaway RSA key) against the local fake Sheets API, through lib.sources.gsheet."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from lib.demo import demo_table
from lib.errors import SourceError
from lib.normalize import SHEET_ROW_HEADER, normalize
from lib.sources import gsheet, read_table
from tests.conftest import TODAY
from tests.fakes import FakeSheets, service_account_info

KEY = "1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx"
EMAIL = "sparkwatch-reader@sparkwatch-test.iam.gserviceaccount.com"


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    with FakeSheets() as server:
        server.add_spreadsheet(KEY, {"Tracker": demo_table(TODAY), "Notes": [["Read me first"], ["nothing here"]]})
        yield server


@pytest.fixture
def info(fake: FakeSheets) -> dict[str, str]:
    return service_account_info(fake, EMAIL)


def read(fake: FakeSheets, info: dict[str, Any], tab: str | None = None, **kwargs: Any) -> list[list[str]]:
    return gsheet.read_sheet(info, KEY, tab, endpoint=fake.url, **kwargs)


def failure(fake: FakeSheets, info: dict[str, Any], tab: str | None = "Tracker", **kwargs: Any) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read(fake, info, tab, **kwargs)
    return caught.value


def assert_no_secrets(text: str, info: dict[str, Any]) -> None:
    """No key material and no access token, whatever happened."""
    body = info["private_key"].splitlines()[1]
    assert "PRIVATE KEY" not in text
    assert body[:24] not in text
    assert "ya29." not in text


# --- reading ------------------------------------------------------------------------------------


def test_named_tab_costs_one_values_request_and_nothing_else(fake, info):
    table = read(fake, info, "Tracker")

    assert table[0][:3] == ["TikTok handle", "Post URL", "Spark code"]
    assert fake.counts["values"] == 1
    assert fake.counts["metadata"] == 0 and fake.counts["batch_get"] == 0
    expected = normalize(demo_table(TODAY)).frame
    pd.testing.assert_frame_equal(normalize(table).frame, expected)


def test_the_token_is_asked_for_read_only_sheets_access(fake, info):
    read(fake, info, "Tracker")
    assert fake.scopes == ["https://www.googleapis.com/auth/spreadsheets.readonly"]


def test_without_a_tab_the_first_visible_tab_is_read_with_one_values_request(fake, info):
    fake.add_spreadsheet(
        KEY,
        {"Archive": [["Creator"], ["@old"]], "Live": [["Creator", "Expires"], ["@new", "2026-12-01"]]},
        hidden=["Archive"],
    )
    table = read(fake, info)

    assert table == [["Creator", "Expires"], ["@new", "2026-12-01"]]
    assert fake.value_requests == 1
    assert fake.counts["metadata"] == 1


def test_a_cached_client_signs_in_once_and_reads_once_per_refresh(fake, info):
    client = gsheet.make_client(info, endpoint=fake.url)
    first = gsheet.read_values(client, KEY, "Tracker")
    second = gsheet.read_values(client, KEY, "Tracker")

    assert first == second
    assert fake.counts["token"] == 1
    assert fake.counts["values"] == 2
    assert gsheet.client_email(client) == EMAIL


def test_a_reader_learns_the_first_tab_once_then_reads_it_with_one_request(fake, info):
    reader = gsheet.SheetReader(gsheet.make_client(info, endpoint=fake.url))
    assert reader.title(KEY) == ""
    first = reader.read(KEY)
    assert (fake.counts["metadata"], fake.counts["values"]) == (1, 1)
    assert reader.title(KEY) == "Spark Ads tracker"
    assert reader.email == EMAIL

    assert reader.read(KEY) == first
    assert (fake.counts["metadata"], fake.counts["values"]) == (1, 2)


def test_a_reader_finds_a_renamed_first_tab_again(fake, info):
    reader = gsheet.SheetReader(gsheet.make_client(info, endpoint=fake.url))
    reader.read(KEY)
    fake.add_spreadsheet(KEY, {"Tracker 2027": [["Creator"], ["@new"]], "Notes": [["x"]]})
    fake.reset_counts()

    assert reader.read(KEY) == [["Creator"], ["@new"]]
    assert (fake.counts["values"], fake.counts["metadata"]) == (2, 1)  # the old name, the tab list, the new name
    fake.reset_counts()
    reader.read(KEY)
    assert (fake.counts["values"], fake.counts["metadata"]) == (1, 0)


def test_a_reader_reads_a_named_tab_or_all_tabs_like_read_values(fake, info):
    reader = gsheet.SheetReader(gsheet.make_client(info, endpoint=fake.url))
    assert reader.read(KEY, "Tracker") == read(fake, info, "Tracker")
    assert reader.read(KEY, gsheet.ALL_TABS)[0][0] == "tab"
    with pytest.raises(SourceError) as caught:
        reader.read(KEY, "Nope")
    assert caught.value.kind == "no_tab"


def test_all_tabs_merge_by_column_meaning_with_a_tab_column_in_one_batch_request(fake, info):
    fake.add_spreadsheet(
        KEY,
        {
            "Lumen": [["Tracker for Lumen"], ["Creator", "Spark code", "Expires"], ["@nia", "", "2026-12-01"], []],
            "Notes": [["Just notes"], ["call the agency"]],
            "Stride": [["Expiry", "TikTok handle", "Owner"], ["2026-12-24", "@raf", "Jonas"], ["", "", ""]],
        },
    )
    table = read(fake, info, all_tabs=True)

    assert table == [
        ["tab", "Creator", "Spark code", "Expires", SHEET_ROW_HEADER],
        ["Lumen", "@nia", "", "2026-12-01", "3"],
        ["Stride", "@raf", "", "2026-12-24", "2"],
    ]
    assert fake.counts["batch_get"] == 1 and fake.counts["values"] == 0
    frame = normalize(table).frame
    assert list(frame["tab"]) == ["Lumen", "Stride"]
    assert list(frame["row"]) == [3, 2]  # each row's number in its own tab
    assert list(frame["creator"]) == ["@nia", "@raf"]
    assert list(frame["expires_on"].dt.strftime("%Y-%m-%d")) == ["2026-12-01", "2026-12-24"]


def test_all_tabs_without_any_tracker_tab_says_which_column_is_missing(fake, info):
    fake.add_spreadsheet(KEY, {"Notes": [["Just notes"]], "Empty": []})
    error = failure(fake, info, None, all_tabs=True)
    assert error.kind == "no_creator_column"
    assert "Creator" in str(error)


def test_an_empty_tab_reads_as_an_empty_table_and_normalise_says_so(fake, info):
    fake.add_spreadsheet(KEY, {"Tracker": []})
    table = read(fake, info, "Tracker")
    assert table == []
    with pytest.raises(SourceError) as caught:
        normalize(table)
    assert caught.value.kind == "empty"


def test_dates_sent_as_serial_numbers_read_like_formatted_dates(fake, info):
    formatted = [["Creator", "Authorized on", "Duration", "Expires"], ["@nia", "2026-10-15", "30", "2026-11-14"]]
    serials = [["Creator", "Authorized on", "Duration", "Expires"], ["@nia", 46310, 30, 46340.0]]
    fake.add_spreadsheet(KEY, {"Formatted": formatted, "Serial": serials})

    as_text = normalize(read(fake, info, "Formatted")).frame
    as_serial = normalize(read(fake, info, "Serial")).frame

    pd.testing.assert_frame_equal(as_serial, as_text)
    assert as_serial["authorized_on"].iloc[0] == pd.Timestamp("2026-10-15")


def test_numbers_and_booleans_come_back_as_sheet_text(fake, info):
    fake.add_spreadsheet(KEY, {"Tracker": [["Creator", "Duration", "Ad delivery"], ["@nia", 60, True]]})
    assert read(fake, info, "Tracker")[1] == ["@nia", "60", "yes"]


# --- keys ---------------------------------------------------------------------------------------


def test_a_private_key_pasted_with_literal_backslash_n_works(fake, info):
    pasted = {**info, "private_key": info["private_key"].strip().replace("\n", "\\n")}
    assert "\n" not in pasted["private_key"]
    assert read(fake, pasted, "Tracker")[0][0] == "TikTok handle"


def test_a_key_pasted_into_toml_secrets_as_a_literal_string_works(fake, info, tmp_path):
    escaped = info["private_key"].strip().replace("\n", "\\n")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[gcp_service_account]\n"
        + "".join(f'{name} = "{value}"\n' for name, value in info.items() if name != "private_key")
        + f"private_key = '{escaped}'\n",
        encoding="utf-8",
    )
    table_info = tomllib.loads(secrets.read_text(encoding="utf-8"))["gcp_service_account"]
    assert "\\n" in table_info["private_key"]

    assert read(fake, table_info, "Tracker")[0][0] == "TikTok handle"
    assert gsheet.service_account_email(table_info) == EMAIL


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"private_key": None}, "private_key missing"),
        ({"client_email": ""}, "client_email missing"),
        ({"client_email": None, "private_key": None}, "not a service account key"),
        ({"private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ"}, "does not look like a key"),
        ("truncate", "could not be read"),
        ("garble", "could not be read"),
    ],
)
def test_a_broken_key_says_what_is_wrong_without_quoting_it(fake, info, change, says):
    broken = dict(info)
    if change == "truncate":
        broken["private_key"] = info["private_key"][: len(info["private_key"]) // 2] + "\n-----END PRIVATE KEY-----\n"
    elif change == "garble":
        lines = info["private_key"].splitlines()
        broken["private_key"] = "\n".join([lines[0], *[line[::-1] for line in lines[1:-1]], lines[-1]])
    else:
        for name, value in change.items():
            if value is None:
                broken.pop(name)
            else:
                broken[name] = value

    with pytest.raises(SourceError) as caught:
        gsheet.make_client(broken, endpoint=fake.url)

    assert caught.value.kind == "bad_key"
    assert says in str(caught.value)
    assert "JSON" in str(caught.value)
    assert_no_secrets(str(caught.value), info)
    assert fake.counts.total() == 0


def test_a_key_google_no_longer_knows_is_rejected_plainly(fake):
    deleted = service_account_info(fake, EMAIL, trusted=False)
    error = failure(fake, deleted)
    assert error.kind == "key_rejected"
    assert EMAIL in str(error) and "new JSON key" in str(error)
    assert_no_secrets(str(error), deleted)


# --- faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "kind", "says"),
    [
        ("forbidden", "not_shared", f"add {EMAIL} (Viewer is enough)"),
        ("api_disabled", "api_disabled", "Google Sheets API → Enable"),
        ("not_found", "not_found", "Copy the link again"),
        ("quota", "quota", "Wait a minute"),
        ("server_error", "server_error", "error 500"),
        ("not_json", "bad_response", "not sheet data"),
    ],
)
def test_each_fault_gives_its_plain_message(fake, info, fault, kind, says, monkeypatch):
    monkeypatch.setattr(gsheet._SheetsHTTPClient, "backoff", (0.01,))
    fake.fail(fault)
    error = failure(fake, info)
    assert error.kind == kind
    assert says in str(error)
    assert "Traceback" not in str(error) and "APIError" not in str(error)
    assert_no_secrets(str(error), info)


def test_a_sign_in_answer_that_is_not_json_is_told_apart(fake, info):
    fake.fail("not_json", on=["token"])
    error = failure(fake, info)
    assert error.kind == "bad_response"
    assert fake.counts["values"] == 0


def test_a_failing_sign_in_service_is_not_blamed_on_the_key(fake, info):
    # google-auth retries a 5xx from the token endpoint itself (three tries, about three seconds).
    fake.fail("server_error", on=["token"])
    error = failure(fake, info)
    assert error.kind == "server_error"
    assert "sign-in" in str(error)
    assert fake.counts["token"] == 3


def test_a_sheet_not_shared_with_the_service_account_names_the_address_to_share_with(fake, info):
    fake.add_spreadsheet(KEY, {"Tracker": demo_table(TODAY)}, shared_with=["someone-else@example.com"])
    error = failure(fake, info)
    assert error.kind == "not_shared"
    assert EMAIL in str(error)


def test_an_unknown_spreadsheet_key_is_not_found(fake, info):
    with pytest.raises(SourceError) as caught:
        gsheet.read_sheet(info, "1NoSuchSheet_abcdefghijklmnopqrstuvwxyz01", endpoint=fake.url)
    assert caught.value.kind == "not_found"


def test_a_tab_that_does_not_exist_names_the_tabs_that_do(fake, info):
    error = failure(fake, info, "Trackr")
    assert error.kind == "no_tab"
    assert "'Trackr'" in str(error)
    assert "Tabs in this sheet: Tracker, Notes." in str(error)
    assert fake.counts["values"] == 1


def test_quota_exceeded_is_retried_and_then_succeeds(fake, info):
    fake.fail("quota", times=2, on=["values"])
    table = read(fake, info, "Tracker")
    assert len(table) == len(demo_table(TODAY))
    assert fake.counts["values"] == 3


def test_quota_retries_are_bounded(fake, info):
    assert sum(gsheet.QUOTA_BACKOFF) <= 3.0
    fake.fail("quota", on=["values"])
    assert failure(fake, info).kind == "quota"
    assert fake.counts["values"] == len(gsheet.QUOTA_BACKOFF) + 1


def test_other_errors_are_not_retried(fake, info):
    fake.fail("server_error", on=["values"])
    failure(fake, info)
    assert fake.counts["values"] == 1


@pytest.mark.parametrize("endpoint", ["values", "token"])
@pytest.mark.timeout(30)
def test_a_hang_fails_within_the_timeout(fake, info, endpoint):
    fake.fail("hang", on=[endpoint])
    error = failure(fake, info, timeout=0.5)
    assert error.kind == "timeout"
    assert "did not answer in time" in str(error)


def test_network_down_before_sign_in(info):
    with FakeSheets() as gone:
        closed = gone.url
    down = {**info, "token_uri": f"{closed}/token"}
    with pytest.raises(SourceError) as caught:
        gsheet.read_sheet(down, KEY, "Tracker", endpoint=closed)
    assert caught.value.kind == "network"
    assert "network" in str(caught.value)


def test_network_down_after_sign_in(fake, info):
    with FakeSheets() as gone:
        closed = gone.url
    with pytest.raises(SourceError) as caught:
        gsheet.read_sheet(info, KEY, "Tracker", endpoint=closed)
    assert caught.value.kind == "network"
    assert fake.counts["token"] == 1


def test_debug_logs_hold_no_key_and_no_token(fake, info, caplog):
    caplog.set_level(logging.DEBUG)
    read(fake, info, "Tracker")
    fake.fail("forbidden")
    failure(fake, info)
    assert_no_secrets(caplog.text, info)


# --- the command line's way in ------------------------------------------------------------------


@pytest.fixture
def key_file(info, tmp_path, monkeypatch, fake):
    path = tmp_path / "service-account.json"
    import json

    path.write_text(json.dumps(info), encoding="utf-8")
    monkeypatch.setenv(gsheet.CREDENTIALS_ENV, str(path))
    monkeypatch.setenv(gsheet.ENDPOINT_ENV, fake.url)
    return path


def test_read_table_reads_a_sheet_url_with_the_key_file_from_the_environment(fake, key_file):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    table = read_table(url, tab="Tracker")
    assert table[0][0] == "TikTok handle"
    assert fake.value_requests == 1


def test_tab_star_reads_every_tab(fake, key_file):
    table = read_table(KEY, tab=gsheet.ALL_TABS)
    assert table[0][0] == "tab"
    assert {row[0] for row in table[1:]} == {"Tracker"}
    assert fake.counts["batch_get"] == 1


def test_without_credentials_the_message_says_how_to_give_them(monkeypatch):
    monkeypatch.delenv(gsheet.CREDENTIALS_ENV, raising=False)
    with pytest.raises(SourceError) as caught:
        read_table(KEY)
    assert caught.value.kind == "no_credentials"
    assert gsheet.CREDENTIALS_ENV in str(caught.value) and "publish" in str(caught.value)


def test_a_missing_or_damaged_key_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(gsheet.CREDENTIALS_ENV, str(tmp_path / "nope.json"))
    with pytest.raises(SourceError) as caught:
        read_table(KEY)
    assert caught.value.kind == "bad_key" and "nope.json" in str(caught.value)

    damaged = tmp_path / "key.json"
    damaged.write_text('{"private_key": "-----BEGIN', encoding="utf-8")
    monkeypatch.setenv(gsheet.CREDENTIALS_ENV, str(damaged))
    with pytest.raises(SourceError) as caught:
        read_table(KEY)
    assert caught.value.kind == "bad_key" and "not a JSON file" in str(caught.value)


# --- pure helpers -------------------------------------------------------------------------------


def test_fix_private_key_turns_escapes_into_line_breaks():
    assert gsheet.fix_private_key("-----BEGIN X-----\\nAB\\r\\nCD\\n-----END X-----\\n") == (
        "-----BEGIN X-----\nAB\nCD\n-----END X-----\n"
    )


def test_service_account_email_is_empty_when_missing():
    assert gsheet.service_account_email({}) == ""
    assert gsheet.service_account_email({"client_email": f" {EMAIL} "}) == EMAIL


def test_merge_keeps_every_column_of_the_first_tab_even_repeated_or_unnamed_ones():
    merged = gsheet.merge_tabs(
        [
            ("A", [["Creator", "TikTok handle", "", "Notes"], ["@a", "@dup", "x", "n"]]),
            ("B", [["Notes", "Creator", "Extra"], ["m", "@b", "dropped"]]),
        ]
    )
    assert merged == [
        ["tab", "Creator", "TikTok handle", "", "Notes", SHEET_ROW_HEADER],
        ["A", "@a", "@dup", "x", "n", "2"],
        ["B", "@b", "", "", "m", "2"],
    ]


def test_merged_tabs_keep_each_rows_own_sheet_row_number():
    # Blank rows and a title above the header must not shift the row numbers people look up.
    merged = gsheet.merge_tabs(
        [
            ("A", [["Creator", "Expires"], ["@a", "2026-12-01"], ["", ""], ["@b", "soon"]]),
            ("B", [["Tracker 2026"], ["Creator", "Expires"], ["@c", "later"]]),
        ]
    )
    norm = normalize(merged)
    assert norm.frame[["tab", "creator", "row"]].values.tolist() == [["A", "@a", 2], ["A", "@b", 4], ["B", "@c", 3]]
    assert norm.problems[["tab", "row", "column", "value"]].values.tolist() == [
        ["A", 4, "Expires", "soon"],
        ["B", 3, "Expires", "later"],
    ]
    assert "sheet_row" not in norm.frame.columns


def test_against_a_local_endpoint_google_auth_makes_no_call_to_google(fake, info):
    # google-auth's background "regional access boundary" lookup would go to Google's IAM service.
    client = gsheet.make_client(info, endpoint=fake.url)
    assert client.http_client.auth._is_regional_access_boundary_lookup_required() is False
    assert gsheet.credentials_from_info(info)._is_regional_access_boundary_lookup_required() is True
