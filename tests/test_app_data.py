"""The Data page in the real app (AppTest): the configured source, the address to share the sheet
with, the connection test, an upload for this session, and the setup steps."""

from __future__ import annotations

import csv
import io

import openpyxl
from app_helpers import AUTHORIZATIONS, DATA, assert_clean, expected, markdown_texts, page_notes, rendered
from test_app_sheets import (  # noqa: F401 - the fixtures 'fake' and 'info'
    EMAIL,
    PUBLISHED_PATH,
    URL,
    _csv,
    fake_fixture,
    info_fixture,
    open_with,
    sheet_secrets,
    shown_rows,
    texts,
)

from lib import template
from lib.clock import team_today
from lib.demo import demo_table
from lib.normalize import normalize
from lib.sources.files import MAX_UPLOAD_BYTES, read_bytes
from ui import data, source

UPLOAD_ROWS = [
    ["Creator", "Post URL", "Code", "Expires", "Campaign"],
    ["@upload.one", "https://www.tiktok.com/@upload.one/video/7301000000000000101", "", "2026-12-24", "Upload"],
    ["@upload.two", "https://www.tiktok.com/@upload.two/video/7301000000000000102", "", "2026-12-01", "Upload"],
]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uploader(at):
    (box,) = at.get("file_uploader")
    return box


DEMO_NOW = "Showing now: Demo sheet — sample data, not your team's"
NOTHING_SET_UP = (
    "Set up for the team: nothing yet, so the app shows the demo. The steps below connect the team's sheet."
)
NOTHING_SET_UP_UPLOAD = (
    "Set up for the team: nothing yet, so everyone else sees the demo. The steps below connect the team's sheet."
)
UPLOAD_NOW = "Showing now: Uploaded file: tracker export.csv (2 rows) — only you see it, for this session."
SHEET_NOW = "Showing now: Google Sheet: 1Spark…uvwx (tab Tracker)"
SHEET_SET_UP = "Set up for the team: A Google Sheet, read with the service account (read-only)."
SHEET_REUSED = "Everyone sees the same read of the sheet for up to 5 minutes; Refresh reads it again at once."
NOTHING_TO_TEST = (
    "There is nothing to test yet: no sheet is set up, and the demo is built into the app. "
    "Set up the team's sheet with the steps below, then test it here."
)


def where_it_comes_from(at) -> list[str]:
    """The lines that say what is shown, what is set up and how reads are reused."""
    starts = ("Showing now", "Set up for the team", "Everyone sees the same read", "Set in the", "Sheet link", "Tab:")
    return [t for t in texts(at) if t.startswith(starts) or t.startswith("Published link")]


def test_with_nothing_configured_the_page_explains_the_demo_and_the_setup(fake):
    at = open_with({}, DATA)
    assert_clean(at)
    assert [t.value for t in at.title] == ["Data"]
    assert where_it_comes_from(at) == [DEMO_NOW, NOTHING_SET_UP]
    assert "No service account key is set up yet (see the setup steps below)." in texts(at)
    steps = "\n".join(m.value for m in at.markdown)
    for words in ("Enable", "Create service account", "Add key", "[gcp_service_account]", "Viewer", "Publish to web"):
        assert words in steps
    assert "1. " in steps and "7. " in steps


def test_with_nothing_configured_the_connection_test_says_there_is_nothing_to_test(fake):
    """It once read the built-in demo and said 'Connected: 65 rows found'."""
    at = open_with({}, DATA)
    assert "No sheet is set up yet, so there is nothing to test." in [c.value for c in at.caption]
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert not at.success
    assert page_notes(at) == [NOTHING_TO_TEST]
    assert fake.counts.total() == 0


def test_after_an_upload_with_nothing_configured_the_page_says_so_once(fake):
    """It once said 'Showing now: Uploaded file…' and then 'Nothing is set up, so the app shows the demo',
    and spoke of a 5-minute cache that an upload does not have."""
    at = open_with({}, DATA)
    uploader(at).upload("tracker export.csv", csv_bytes(UPLOAD_ROWS), "text/csv")
    at.run()
    assert_clean(at)
    assert where_it_comes_from(at) == [UPLOAD_NOW, NOTHING_SET_UP_UPLOAD]
    assert not any("minute" in t or "shows the demo" in t for t in texts(at))
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert page_notes(at) == [NOTHING_TO_TEST] and not at.success


def test_a_configured_sheet_shows_where_it_is_and_who_to_share_it_with(fake, info):
    at = open_with(sheet_secrets(info, tab="Tracker", refresh_seconds=30), DATA)
    assert_clean(at)
    assert where_it_comes_from(at) == [
        SHEET_NOW,
        SHEET_SET_UP,
        "Set in the app's settings (.streamlit/secrets.toml).",
        f"Sheet link or key: {URL}",
        "Tab: Tracker",
        "Everyone sees the same read of the sheet for up to 5 minutes; Refresh reads it again at once "
        "(at most once every 30 seconds).",
    ]
    assert [c.value for c in at.code] == [EMAIL]

    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert [s.value for s in at.success] == [f"Connected: {len(expected())} rows found."]
    assert f"Tested: {SHEET_NOW.removeprefix('Showing now: ')}" in texts(at)


def test_an_upload_over_a_configured_sheet_says_which_is_shown_and_the_test_reads_the_sheet(fake, info):
    at = open_with(sheet_secrets(info, tab="Tracker"), DATA)
    uploader(at).upload("tracker export.csv", csv_bytes(UPLOAD_ROWS), "text/csv")
    at.run()
    assert where_it_comes_from(at)[:2] == [UPLOAD_NOW, SHEET_SET_UP]
    assert SHEET_REUSED in texts(at)
    requests = fake.value_requests
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert fake.value_requests == requests + 1
    assert [s.value for s in at.success] == [f"Connected: {len(expected())} rows found."]
    assert "Tested: Google Sheet: 1Spark…uvwx (tab Tracker)" in texts(at)
    assert "You still see your uploaded file; click Stop using the upload to see the team's sheet." in [
        c.value for c in at.caption
    ]
    assert where_it_comes_from(at)[0] == UPLOAD_NOW


def test_a_published_link_is_named_without_showing_the_link(fake):
    url = fake.publish(PUBLISHED_PATH, _csv(demo_table(team_today())))
    at = open_with({"sheet": {"url": url}}, DATA)
    assert_clean(at)
    assert where_it_comes_from(at) == [
        "Showing now: Published sheet",
        "Set up for the team: A sheet published to the web as CSV (no key needed).",
        "Set in the app's settings (.streamlit/secrets.toml).",
        "Published link: in the settings (not shown here: anyone who has it can read the sheet)",
        "Everyone sees the same read of the sheet for up to 5 minutes; Refresh reads it again at once "
        "(at most once every 30 seconds).",
    ]
    assert url not in rendered(at)
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert [s.value for s in at.success] == [f"Connected: {len(expected())} rows found."]
    assert "Tested: Published sheet" in texts(at)
    assert fake.counts["csv"] == 2


def test_a_sheet_that_could_not_be_read_is_not_said_to_be_shown(fake, info):
    fake.fail("not_found")
    at = open_with(sheet_secrets(info, tab="Tracker"), DATA)
    nothing = "Showing now: nothing — the sheet could not be read (see below)."
    assert where_it_comes_from(at)[:2] == [nothing, SHEET_SET_UP]


def test_the_template_to_download_reads_back_as_two_clean_rows(fake):
    at = open_with({}, DATA)
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(data.KEY_TEMPLATE)]
    assert button.proto.label == "Download the template (CSV)"
    table = read_bytes(template.template_csv(team_today()), template.FILE_NAME)
    uploader(at).upload(template.FILE_NAME, template.template_csv(team_today()), "text/csv")
    at.run()
    assert_clean(at)
    assert f"Using {template.FILE_NAME} (2 rows) for this session." in texts(at)
    assert normalize(table).problems.empty


def test_the_connection_test_reads_once_and_says_what_failed_then_what_it_found(fake, info):
    at = open_with(sheet_secrets(info, tab="Tracker"), DATA)
    assert fake.counts["values"] == 1

    fake.fail("forbidden")
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert fake.counts["values"] == 2
    assert "The connection test failed:" in [e.value for e in at.error]
    assert any(EMAIL in t and "Viewer" in t for t in texts(at))

    fake.clear_faults()
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert fake.counts["values"] == 3
    assert [s.value for s in at.success] == [f"Connected: {len(expected())} rows found."]
    assert not at.warning  # the good read replaced the stale one everywhere
    at.run()
    assert not at.success and fake.counts["values"] == 3


def test_a_passing_connection_test_brings_the_data_to_every_page(fake, info):
    fake.fail("not_found")
    at = open_with(sheet_secrets(info, tab="Tracker"), DATA)
    assert "The last read failed:" in [e.value for e in at.error]
    assert any("No spreadsheet was found" in t for t in texts(at))

    fake.clear_faults()
    at.button(key=data.KEY_TEST_BUTTON).click().run()
    assert at.success
    at.switch_page(AUTHORIZATIONS).run()
    assert shown_rows(at) == expected()["row"].tolist()


def test_setting_mistakes_show_on_the_page_with_what_to_do(fake, info):
    at = open_with({"sheet": {"url": "the tracker", "cache_minutes": "often"}}, DATA)
    assert not at.exception
    assert "The data settings need fixing:" in [e.value for e in at.error]
    assert any("not a Google Sheets link" in t for t in texts(at))
    assert "A setting was not used as written:" in [i.value for i in at.info]
    assert any("cache_minutes" in t for t in texts(at))
    assert fake.counts.total() == 0


def test_an_upload_is_used_for_this_session_until_stopped(fake, info):
    at = open_with(sheet_secrets(info, tab="Tracker"), DATA)
    requests = fake.counts.total()
    uploader(at).upload("tracker export.csv", csv_bytes(UPLOAD_ROWS), "text/csv")
    at.run()
    assert not at.error
    assert [t.value for t in at.sidebar.text] == ["Uploaded file: tracker export.csv"]
    assert "Using tracker export.csv (2 rows) for this session." in texts(at)

    at.switch_page(AUTHORIZATIONS).run()
    assert set(at.dataframe[0].value["Creator"]) == {"@upload.one", "@upload.two"}
    assert fake.counts.total() == requests

    other = open_with(sheet_secrets(info, tab="Tracker"))
    assert shown_rows(other) == expected()["row"].tolist()

    at.switch_page(DATA).run()
    at.button(key=data.KEY_STOP_UPLOAD).click().run()
    assert [t.value for t in at.sidebar.text] == ["Google Sheet: 1Spark…uvwx (tab Tracker)"]
    assert uploader(at).value is None
    at.switch_page(AUTHORIZATIONS).run()
    assert shown_rows(at) == expected()["row"].tolist()


def test_uploads_share_one_memory_budget_and_a_let_go_one_is_said_plainly(fake, monkeypatch):
    """Each session once kept its own copy of a large upload, with no cap on sessions."""
    from lib.normalize import normalize
    from lib.uploads import UploadStore, held_bytes
    from ui import upload

    one_upload = held_bytes(normalize(UPLOAD_ROWS))
    store = UploadStore(max_bytes=int(one_upload * 1.5))  # room for one upload, not two
    monkeypatch.setattr(upload, "_store", lambda: store)
    first, second = open_with({}, DATA), open_with({}, DATA)
    uploader(first).upload("first.csv", csv_bytes(UPLOAD_ROWS), "text/csv")
    first.run()
    assert "Using first.csv (2 rows) for this session." in texts(first)
    uploader(second).upload("second.csv", csv_bytes(UPLOAD_ROWS), "text/csv")
    second.run()
    assert "Using second.csv (2 rows) for this session." in texts(second)
    first.switch_page(AUTHORIZATIONS).run()  # the oldest upload went to make room
    assert [w.value for w in first.main.warning] == [upload.LET_GO]
    assert shown_rows(first) == expected()["row"].tolist()  # back on the team's sheet (here the demo)
    assert not first.exception


def test_an_xlsx_export_can_be_uploaded(fake):
    at = open_with({}, DATA)
    uploader(at).upload("tracker.xlsx", xlsx_bytes(UPLOAD_ROWS))
    at.run()
    assert "Using tracker.xlsx (2 rows) for this session." in texts(at)


def test_an_unusable_upload_says_why_and_the_sheet_stays(fake):
    at = open_with({}, DATA)
    uploader(at).upload("notes.csv", csv_bytes([["Name", "Phone"], ["Ana", "123"]]))
    at.run()
    assert "That file can't be used:" in [e.value for e in at.error]
    assert any("no creator column" in t for t in texts(at))
    assert at.sidebar.info[0].value == source.DEMO_LABEL

    uploader(at).upload("huge.csv", b"Creator\n" + b"x" * MAX_UPLOAD_BYTES)
    at.run()
    assert any("the limit is" in t for t in texts(at))


def test_an_uploaded_file_name_is_shown_as_plain_text(fake):
    at = open_with({}, DATA)
    name = "<b>x</b> :red[y].csv"
    uploader(at).upload(name, csv_bytes(UPLOAD_ROWS))
    at.run()
    assert [t.value for t in at.sidebar.text] == [f"Uploaded file: {name}"]
    assert not at.get("html")
    assert not any("<b>" in text or ":red[" in text for text in markdown_texts(at))
