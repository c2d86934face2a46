"""The Google Sheet source, end to end: the real gspread client with a real service-account key
(a throwaway RSA key) against the local fake Sheets API, through lib.sources.gsheet."""

from __future__ import annotations

import datetime as dt
import logging
import time
import tomllib
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from gspread.exceptions import APIError

from lib import dates, settings
from lib.columns import SHEET_ROW_HEADER, TAB_HEADER
from lib.demo import demo_table
from lib.errors import SourceError
from lib.normalize import normalize
from lib.sources import gsheet, read_table
from tests.conftest import TODAY
from tests.fakes import FakeSheets, service_account_info
from tests.fakes.fake_sheets import Cell, serial_of
from tests.fakes.waits import skip_google_auth_waits

KEY = "1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx"
EMAIL = "sparkwatch-reader@sparkwatch-test.iam.gserviceaccount.com"


@pytest.fixture
def fake(monkeypatch) -> Iterator[FakeSheets]:
    with FakeSheets() as server:
        server.refuse_outside(monkeypatch)
        server.add_spreadsheet(KEY, {"Tracker": demo_table(TODAY), "Notes": [["Read me first"], ["nothing here"]]})
        yield server


@pytest.fixture
def info(fake: FakeSheets) -> dict[str, str]:
    return service_account_info(fake, EMAIL)


def no_wait(seconds: float) -> None:
    """A retry's wait, skipped: the waits asked for are checked where they matter."""


def read(fake: FakeSheets, info: dict[str, Any], tab: str | None = None, **kwargs: Any) -> list[list[str]]:
    kwargs.setdefault("sleep", no_wait)
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


def test_named_tab_costs_one_request_and_nothing_else(fake, info):
    table = read(fake, info, "Tracker")

    assert table[0][:3] == ["TikTok handle", "Post URL", "Spark code"]
    assert fake.counts["values"] == 1
    assert fake.counts["metadata"] == 0 and fake.counts["batch_get"] == 0
    assert [call.api for call in fake.calls] == ["spreadsheets.get"]  # grid data, not the locale-bound values API
    expected = normalize(demo_table(TODAY)).frame
    pd.testing.assert_frame_equal(normalize(table).frame, expected)


def test_the_token_is_asked_for_read_only_sheets_access(fake, info):
    read(fake, info, "Tracker")
    assert fake.scopes == ["https://www.googleapis.com/auth/spreadsheets.readonly"]


def test_without_a_tab_the_first_visible_tab_is_read_after_the_tab_list(fake, info):
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
    assert reader.read(KEY, gsheet.ALL_TABS)[0][0] == TAB_HEADER
    with pytest.raises(SourceError) as caught:
        reader.read(KEY, "Nope")
    assert caught.value.kind == "no_tab"


def test_all_tabs_merge_by_column_meaning_with_a_tab_column_in_one_request(fake, info):
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
        [TAB_HEADER, "Creator", "Spark code", "Expires", SHEET_ROW_HEADER],
        ["Lumen", "@nia", "", "2026-12-01", "3"],
        ["Stride", "@raf", "", "2026-12-24", "2"],
    ]
    assert fake.counts["batch_get"] == 1 and fake.counts["values"] == 0 and fake.counts["metadata"] == 0
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


def test_date_cells_come_back_as_iso_dates_whatever_the_sheet_shows(fake, info):
    rows = [["Creator", "Authorized on", "Duration", "Expires"], ["@nia", dt.date(2026, 10, 15), 30, "2026-11-14"]]
    fake.add_spreadsheet(KEY, {"Tracker": rows})
    as_text = [["Creator", "Authorized on", "Duration", "Expires"], ["@nia", "2026-10-15", "30", "2026-11-14"]]
    assert read(fake, info, "Tracker") == as_text
    assert normalize(read(fake, info, "Tracker")).frame["authorized_on"].iloc[0] == pd.Timestamp("2026-10-15")


def test_numbers_and_checkboxes_come_back_as_sheet_text(fake, info):
    fake.add_spreadsheet(
        KEY, {"Tracker": [["Creator", "Duration", "Ad delivery"], ["@nia", 60, True], ["@raf", 7, False]]}
    )
    table = read(fake, info, "Tracker")
    assert table[1:] == [["@nia", "60", "TRUE"], ["@raf", "7", "FALSE"]]
    assert normalize(table).frame["ad_delivery_permission"].tolist() == [True, False]


# --- locale-free reading ------------------------------------------------------------------------

DEC_2 = dt.date(2026, 12, 2)


def test_a_french_sheets_dates_come_back_as_the_days_they_are(fake, info):
    # In a fr_FR sheet Google shows 2 December 2026 as 02/12/2026, which US-first parsing reads as 12 February.
    fake.add_spreadsheet(
        KEY,
        {"Suivi": [["Creator", "Authorized on", "Expires"], ["@nia", dt.date(2026, 11, 2), DEC_2]]},
        locale="fr_FR",
    )
    table = read(fake, info, "Suivi")

    assert table == [["Creator", "Authorized on", "Expires"], ["@nia", "2026-11-02", "2026-12-02"]]
    frame = normalize(table).frame
    assert frame["expires_on"].iloc[0] == pd.Timestamp("2026-12-02")
    assert frame["authorized_on"].iloc[0] == pd.Timestamp("2026-11-02")


@pytest.mark.parametrize(
    ("locale", "shown"),
    [("fr_FR", "02/12/2026"), ("en_GB", "02/12/2026"), ("en_US", "12/2/2026"), ("de_DE", "2.12.2026")],
)
def test_the_values_api_renders_dates_in_the_sheets_locale_and_the_reader_does_not_care(fake, info, locale, shown):
    fake.add_spreadsheet(KEY, {"Tracker": [["Creator", "Expires"], ["@nia", DEC_2]]}, locale=locale)
    http = gsheet.make_client(info, endpoint=fake.url).http_client

    # The old way: FORMATTED_VALUE is the locale's text; only the serial number is the same everywhere.
    formatted = http.values_get(KEY, "'Tracker'", params={"valueRenderOption": "FORMATTED_VALUE"})
    assert formatted["values"][1] == ["@nia", shown]
    serial = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
    assert http.values_get(KEY, "'Tracker'", params=serial)["values"][1] == ["@nia", serial_of(DEC_2)]
    as_string = {**serial, "dateTimeRenderOption": "FORMATTED_STRING"}
    assert http.values_get(KEY, "'Tracker'", params=as_string)["values"][1] == ["@nia", shown]

    assert read(fake, info, "Tracker")[1] == ["@nia", "2026-12-02"]
    if locale in ("fr_FR", "en_GB"):  # what reading the shown text got wrong
        assert normalize([["Creator", "Expires"], ["@nia", shown]]).frame["expires_on"].iloc[0].month == 2


def test_a_forms_timestamp_keeps_its_day(fake, info):
    stamp = dt.datetime(2026, 11, 20, 23, 59, 59)
    fake.add_spreadsheet(KEY, {"Form responses 1": [["Timestamp", "Creator"], [stamp, "@nia"]]}, locale="en_GB")
    http = gsheet.make_client(info, endpoint=fake.url).http_client
    assert http.values_get(KEY, "'Form responses 1'")["values"][1] == ["20/11/2026 23:59:59", "@nia"]

    assert read(fake, info, "Form responses 1")[1] == ["2026-11-20", "@nia"]


def test_numbers_stay_numbers_and_text_stays_as_typed(fake, info):
    fake.add_spreadsheet(
        KEY,
        {
            "Tracker": [
                ["Creator", "Duration", "Budget", "Serial-looking", "Post id", "Post id as number", "Expires"],
                [
                    "@nia",
                    30,
                    Cell(46348, "NUMBER", shown="46,348.00"),
                    46348,
                    "7301234567890123456",
                    7301234567890123456,
                    "02/12/2026",
                ],
            ]
        },
        locale="fr_FR",
    )
    assert read(fake, info, "Tracker")[1] == [
        "@nia",
        "30",  # a duration, not 30 December 1899
        "46,348.00",  # number-formatted: what the cell shows
        "46348",  # a plain number is not a date either
        "7301234567890123456",  # typed as text: every digit kept
        "7.30123E+18",  # typed as a number: Sheets itself shows (and keeps) only this much
        "02/12/2026",  # a date typed as text stays text; normalise reads it with the locale's hint
    ]


def test_a_creator_merged_down_over_three_posts_is_on_every_row(fake, info):
    rows = [
        ["Creator", "Post URL", "Expires"],
        ["@nia", "https://www.tiktok.com/@nia/video/7301234567890123451", DEC_2],
        ["", "https://www.tiktok.com/@nia/video/7301234567890123452", DEC_2],
        ["", "https://www.tiktok.com/@nia/video/7301234567890123453", ""],
        ["@raf", "https://www.tiktok.com/@raf/video/7301234567890123454", ""],
    ]
    fake.add_spreadsheet(KEY, {"Tracker": rows}, merges={"Tracker": ["A2:A4"]}, locale="fr_FR")
    http = gsheet.make_client(info, endpoint=fake.url).http_client
    assert [r[0] for r in http.values_get(KEY, "'Tracker'")["values"][1:]] == ["@nia", "", "", "@raf"]

    table = read(fake, info, "Tracker")
    assert [row[0] for row in table] == ["Creator", "@nia", "@nia", "@nia", "@raf"]
    assert table[3] == ["@nia", "https://www.tiktok.com/@nia/video/7301234567890123453"]
    norm = normalize(table)
    assert norm.frame["creator"].tolist() == ["@nia", "@nia", "@nia", "@raf"]
    assert not norm.problems["problem"].str.contains("No creator handle").any()


def test_a_merge_reaching_into_blank_rows_makes_no_new_rows(fake, info):
    rows = [["Creator", "Post URL"], ["@nia", "https://www.tiktok.com/@nia/video/1"], ["", ""], ["@raf", "https://x/3"]]
    fake.add_spreadsheet(KEY, {"Tracker": rows}, merges={"Tracker": ["A2:A3"]})
    table = read(fake, info, "Tracker")
    assert normalize(table).frame["creator"].tolist() == ["@nia", "@raf"]


def test_merges_fill_across_columns_and_in_every_tab(fake, info):
    fake.add_spreadsheet(
        KEY,
        {
            "Lumen": [["Creator", "Campaign", "Brand"], ["@nia", "Glow", ""], ["@kai", "", ""]],
            "Stride": [["Creator", "Campaign"], ["@raf", "Run"], ["@meg", ""]],
        },
        merges={"Lumen": ["B2:C3"], "Stride": ["B2:B3"]},
    )
    assert read(fake, info, "Lumen")[1:] == [["@nia", "Glow", "Glow"], ["@kai", "Glow", "Glow"]]
    table = read(fake, info, all_tabs=True)
    assert [row[:3] for row in table[1:]] == [
        ["Lumen", "@nia", "Glow"],
        ["Lumen", "@kai", "Glow"],
        ["Stride", "@raf", "Run"],
        ["Stride", "@meg", "Run"],
    ]
    assert fake.counts["batch_get"] == 1 and fake.counts["metadata"] == 0


@pytest.mark.timeout(30)
def test_a_merge_reaching_far_beyond_the_data_fills_only_the_rows_there_are(fake, info):
    rows = [["Creator", "Post URL"], ["@nia", "https://www.tiktok.com/@nia/video/1"], ["", "https://x/2"]]
    fake.add_spreadsheet(
        KEY,
        {"Tracker": rows},
        grid={"Tracker": (1_000_000, 26)},
        merges={"Tracker": ["A2:A1000000", "C1:Z1000000"]},
    )
    assert read(fake, info, "Tracker") == [
        ["Creator", "Post URL"],
        ["@nia", "https://www.tiktok.com/@nia/video/1"],
        ["@nia", "https://x/2"],
    ]


def test_the_reader_asks_for_a_masked_grid_and_the_answer_holds_only_that(fake, info):
    fake.add_spreadsheet(KEY, {"Tracker": [["Creator", "Expires"], ["@nia", DEC_2]]}, locale="fr_FR")
    read(fake, info, "Tracker")
    (call,) = fake.calls
    assert call.api == "spreadsheets.get"
    assert call.query["ranges"] == ["'Tracker'"] and call.query["fields"] == [gsheet.GRID_FIELDS]

    http = gsheet.make_client(info, endpoint=fake.url).http_client
    answer = http.fetch_sheet_metadata(KEY, params={"ranges": "'Tracker'", "fields": gsheet.GRID_FIELDS})
    assert answer["properties"] == {"title": "Spark Ads tracker", "locale": "fr_FR"}
    cell = answer["sheets"][0]["data"][0]["rowData"][1]["values"][1]
    assert cell == {
        "formattedValue": "02/12/2026",
        "effectiveValue": {"numberValue": serial_of(DEC_2)},
        "effectiveFormat": {"numberFormat": {"type": "DATE"}},
    }
    full = http.fetch_sheet_metadata(KEY, params={"ranges": "'Tracker'", "includeGridData": "true"})
    assert "userEnteredValue" in full["sheets"][0]["data"][0]["rowData"][1]["values"][1]
    assert "data" not in http.fetch_sheet_metadata(KEY)["sheets"][0]


def test_a_reader_learns_the_locale_from_any_read(fake, info):
    fake.add_spreadsheet(KEY, {"Suivi": [["Creator"], ["@nia"]]}, locale="fr_FR")
    reader = gsheet.SheetReader(gsheet.make_client(info, endpoint=fake.url))
    assert reader.locale(KEY) == ""
    reader.read(KEY, "Suivi")
    assert reader.locale(KEY) == "fr_FR"
    assert reader.title(KEY) == ""  # a named tab's read does not set the title, as before

    fake.add_spreadsheet(KEY, {"Tracker": [["Creator"], ["@nia"]]}, locale="en_US")
    reader.read(KEY, gsheet.ALL_TABS)
    assert reader.locale(KEY) == "en_US"
    reader.read(KEY)
    assert (reader.locale(KEY), reader.title(KEY)) == ("en_US", "Spark Ads tracker")


@pytest.mark.parametrize(
    ("locale", "order"),
    [
        ("en_US", "MDY"),
        ("en_PH", "MDY"),
        ("fil", "MDY"),
        ("fil_PH", "MDY"),
        ("en", "MDY"),
        ("fr_FR", "DMY"),
        ("en_GB", "DMY"),
        ("de_DE", "DMY"),
        ("es_ES", "DMY"),
        ("pt_BR", "DMY"),
        ("id_ID", "DMY"),
        ("it_IT", "DMY"),
        ("nl_NL", "DMY"),
        ("en_AU", "DMY"),
        ("en_IN", "DMY"),
        ("en-GB", "DMY"),
        ("es_419", "DMY"),
        ("zh_HK", "DMY"),
        ("ja_JP", None),
        ("zh_CN", None),
        ("ko_KR", None),
        ("hu_HU", None),
        ("sv_SE", None),
        ("en_CA", None),
        ("xx_YY", None),
        ("", None),
    ],
)
def test_date_order_for_locale(locale, order):
    assert dates.date_order_for_locale(locale) == order


# --- requests per read ----------------------------------------------------------------------------


def test_request_counts_per_read(fake, info):
    reader = gsheet.SheetReader(gsheet.make_client(info, endpoint=fake.url))

    def sheets_requests() -> int:
        count = sum(n for endpoint, n in fake.counts.items() if endpoint != "token")
        fake.reset_counts()
        return count

    reader.read(KEY)
    assert sheets_requests() == 2  # the tab list, then the first tab
    reader.read(KEY)
    assert sheets_requests() == 1  # the first tab is known: one request per refresh
    reader.read(KEY, "Tracker")
    assert sheets_requests() == 1
    reader.read(KEY, gsheet.ALL_TABS)
    assert sheets_requests() == 1
    read(fake, info)  # a fresh client, as the command line makes
    assert sheets_requests() == 2
    assert {call.api for call in fake.calls} <= {"spreadsheets.get"}


def test_a_range_without_a_tab_name_is_the_first_visible_tab_but_must_fit_its_grid(fake, info):
    # Why the first read of an unknown first tab asks for the tab list: a bare range cannot be sized.
    http = gsheet.make_client(info, endpoint=fake.url).http_client
    answer = http.fetch_sheet_metadata(KEY, params={"ranges": "A1:B2", "includeGridData": "true"})
    assert [sheet["properties"]["title"] for sheet in answer["sheets"]] == ["Tracker"]
    assert len(answer["sheets"][0]["data"][0]["rowData"]) == 2
    with pytest.raises(APIError) as caught:
        http.fetch_sheet_metadata(KEY, params={"ranges": "A1:ZZ", "includeGridData": "true"})
    assert "exceeds grid limits" in str(caught.value)


# --- answers in an unexpected shape ---------------------------------------------------------------


def _first_cell(answer: dict[str, Any]) -> dict[str, Any]:
    return answer["sheets"][0]["data"][0]["rowData"][0]["values"][0]


def _set(path: str, value: Any) -> Any:
    """A change to the real answer: `path` is dotted keys and list positions."""

    def change(answer: dict[str, Any]) -> dict[str, Any]:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node: Any = answer
        for step in parents:
            node = node[step]
        node[last] = value
        return answer

    return change


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(["not", "an", "object"], id="answer-a-list"),
        pytest.param(_set("sheets", {"0": {}}), id="sheets-not-a-list"),
        pytest.param(_set("sheets.0", "Tracker"), id="sheet-not-an-object"),
        pytest.param(_set("sheets.0.data", {"rowData": []}), id="data-not-a-list"),
        pytest.param(_set("sheets.0.data.0.rowData", "rows"), id="rowData-not-a-list"),
        pytest.param(_set("sheets.0.data.0.rowData.0", ["TikTok handle"]), id="row-not-an-object"),
        pytest.param(_set("sheets.0.data.0.rowData.0.values", {"0": {}}), id="values-not-a-list"),
        pytest.param(_set("sheets.0.data.0.rowData.0.values.0", "TikTok handle"), id="cell-not-an-object"),
        pytest.param(_set("sheets.0.data.0.rowData.0.values.0.formattedValue", 7), id="shown-not-text"),
        pytest.param(_set("sheets.0.data.0.rowData.0.values.0.effectiveValue", 7), id="value-not-an-object"),
        pytest.param(
            _set("sheets.0.data.0.rowData.0.values.0.effectiveValue", {"numberValue": "7"}), id="number-a-string"
        ),
        pytest.param(_set("sheets.0.data.0.startRow", -1), id="negative-start"),
        pytest.param(_set("sheets.0.data.0.startRow", 10**12), id="start-beyond-any-sheet"),
        pytest.param(_set("sheets.0.merges", [{"startRowIndex": "1"}]), id="merge-index-a-string"),
        pytest.param(_set("sheets.0.merges", ["A2:A4"]), id="merge-not-an-object"),
        pytest.param(_set("properties", "Spark Ads tracker"), id="properties-not-an-object"),
        pytest.param(_set("sheets.0.properties.title", ["Tracker"]), id="title-not-text"),
    ],
)
def test_an_answer_in_an_unexpected_shape_is_a_plain_error(fake, info, change):
    fake.answer_with(change)
    error = failure(fake, info, "Tracker")
    assert error.kind == "unexpected_answer"
    assert "not in the shape Sparkwatch expects" in str(error) and "Refresh" in str(error)
    for word in ("KeyError", "TypeError", "Traceback", "NoneType"):
        assert word not in str(error)


def test_missing_parts_are_how_google_sends_empty_tabs_rows_and_cells(fake, info):
    fake.answer_with(lambda answer: {**answer, "sheets": [{"properties": {"title": "Tracker"}, "data": [{}]}]})
    assert read(fake, info, "Tracker") == []
    fake.clear_faults()
    fake.answer_with(_set("sheets.0.data.0.rowData.1", {}))
    assert read(fake, info, "Tracker")[1] == []  # a blank row keeps its place
    fake.clear_faults()
    fake.answer_with(lambda answer: {**answer, "sheets": []})
    assert failure(fake, info, "Tracker").kind == "unexpected_answer"


def test_an_unexpected_tab_list_is_plain_too(fake, info):
    fake.answer_with({"sheets": "Tracker"}, on=["metadata"])
    assert failure(fake, info, None).kind == "unexpected_answer"
    fake.clear_faults()
    fake.answer_with({"sheets": "Tracker"}, on=["metadata"])
    error = failure(fake, info, "Nope")  # the tab list only decorates the "no tab" message
    assert error.kind == "no_tab" and "Tabs in this sheet" not in str(error)


# --- the grid, without the network ----------------------------------------------------------------


def test_sheet_table_places_blocks_at_their_offsets_and_reads_proto3_defaults():
    stamp = {
        "formattedValue": "12/2/2026 9:30:00",
        "effectiveValue": {"numberValue": 46358.396},
        "effectiveFormat": {"numberFormat": {"type": "DATE_TIME"}},
    }
    sheet = {
        "properties": {"title": "Tracker", "gridProperties": {"rowCount": 100, "columnCount": 10}},
        # Zero fields are left out: A1:B1, and B4 down to the end of the tab.
        "merges": [
            {"endRowIndex": 1, "endColumnIndex": 2},
            {"startRowIndex": 3, "startColumnIndex": 1, "endColumnIndex": 2},
        ],
        "data": [
            {"rowData": [{"values": [{"formattedValue": "Title"}]}]},
            {
                "startRow": 2,
                "startColumn": 1,
                "rowData": [
                    {"values": [{"formattedValue": "Creator"}, {"formattedValue": "Expires"}]},
                    {"values": [{"formattedValue": "@nia"}, stamp]},
                    {"values": [{}, {"formattedValue": "2026-12-24"}]},
                ],
            },
        ],
    }
    assert gsheet.sheet_table(sheet) == [
        ["Title", "Title"],
        [],
        ["", "Creator", "Expires"],
        ["", "@nia", "2026-12-02"],
        ["", "@nia", "2026-12-24"],
    ]


def test_overlapping_merges_in_a_broken_answer_cost_at_most_one_fill_per_cell():
    rows = [{"values": [{"formattedValue": str(n)} for n in range(20)]} for _ in range(50)]
    sheet = {"data": [{"rowData": rows}], "merges": [{"endRowIndex": 50, "endColumnIndex": 20}] * 100_000}
    table = gsheet.sheet_table(sheet)
    assert table == [["0"] * 20] * 50


def test_serial_dates_outside_the_calendar_are_not_days():
    assert gsheet.serial_date(46358) == DEC_2
    assert gsheet.serial_date(46358.99) == DEC_2
    assert gsheet.serial_date(0) == dt.date(1899, 12, 30)
    assert gsheet.serial_date(float("nan")) is None
    assert gsheet.serial_date(1e12) is None


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
def test_each_fault_gives_its_plain_message(fake, info, fault, kind, says):
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


def test_a_failing_sign_in_service_is_not_blamed_on_the_key(fake, info, monkeypatch):
    # google-auth retries a 5xx from the token endpoint itself (three tries, about three seconds).
    waits = skip_google_auth_waits(monkeypatch)
    fake.fail("server_error", on=["token"])
    error = failure(fake, info)
    assert error.kind == "server_error"
    assert "sign-in" in str(error)
    assert fake.counts["token"] == 3
    assert len(waits) == 2 and sum(waits) < 5


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
    waits: list[float] = []
    fake.fail("quota", times=2, on=["values"])
    table = read(fake, info, "Tracker", sleep=waits.append)
    assert len(table) == len(demo_table(TODAY))
    assert fake.counts["values"] == 3
    assert waits == list(gsheet.QUOTA_BACKOFF[:2])


def test_quota_retries_are_bounded(fake, info):
    waits: list[float] = []
    fake.fail("quota", on=["values"])
    assert failure(fake, info, sleep=waits.append).kind == "quota"
    assert fake.counts["values"] == len(gsheet.QUOTA_BACKOFF) + 1
    assert waits == list(gsheet.QUOTA_BACKOFF)
    assert sum(waits) <= 3.0


@pytest.mark.parametrize(("retry_after", "waits"), [("0", [0.0, 0.0, 0.0]), ("0.75", [0.5, 0.75, 0.75])])
def test_a_shorter_retry_after_from_google_is_honoured(fake, info, retry_after, waits):
    asked: list[float] = []
    fake.quota_retry_after = retry_after
    fake.fail("quota", on=["values"])
    assert failure(fake, info, sleep=asked.append).kind == "quota"
    assert asked == waits


@pytest.mark.parametrize(
    ("step", "header", "wait"),
    [(1.0, None, 1.0), (1.0, "0", 0.0), (1.0, "0.25", 0.25), (1.0, "120", 1.0), (1.0, "soon", 1.0), (1.0, "-3", 1.0)],
)
def test_retry_wait_is_never_longer_than_our_own_step(step, header, wait):
    assert gsheet.retry_wait(step, header) == wait


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


@pytest.mark.parametrize("endpoint", ["values", "token"])
@pytest.mark.timeout(30)
def test_an_answer_dripping_a_byte_at_a_time_fails_at_the_deadline(fake, info, endpoint):
    """Each read comes well within the timeout; only a deadline on the whole answer stops it."""
    fake.fail("drip", on=[endpoint])
    error = failure(fake, info, timeout=1.0)
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
    monkeypatch.setenv(settings.API_ROOT_ENV, fake.url)
    return path


def test_read_table_reads_a_sheet_url_with_the_key_file_from_the_environment(fake, key_file):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    table = read_table(url, tab="Tracker")
    assert table[0][0] == "TikTok handle"
    assert fake.value_requests == 1


def test_tab_star_reads_every_tab(fake, key_file):
    table = read_table(KEY, tab=gsheet.ALL_TABS)
    assert table[0][0] == TAB_HEADER
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
        [TAB_HEADER, "Creator", "TikTok handle", "", "Notes", SHEET_ROW_HEADER],
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


def test_whatever_google_auth_asks_of_google_itself_never_leaves_this_machine(fake, info):
    # After signing in, google-auth looks up the account's "regional access boundary" at Google's
    # IAM service in a background thread; the fake, as the proxy for every other host, refuses it.
    read(fake, info, "Tracker")
    deadline = time.monotonic() + 10
    while not fake.outside and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake.outside and all(target.startswith("iamcredentials.googleapis.com:") for target in fake.outside)


def test_a_tab_wider_than_an_upload_may_be_is_refused_before_it_is_read(fake, info):
    """Uploads were bounded in rows, columns and cells; a configured sheet was not."""
    from lib.sources.files import MAX_COLUMNS

    wide = [["Creator", *[f"c{n}" for n in range(MAX_COLUMNS)]], ["@amy", *["x"] * MAX_COLUMNS]]
    fake.add_spreadsheet(KEY, {"Wide": wide})
    error = failure(fake, info, "Wide")
    assert error.kind == "too_large"
    assert "The tab 'Wide' has cells in column 1,001, past 1,000 columns" in str(error)
