"""The Authorizations page in the real app (AppTest): table, search, masking, download, fix list."""

from __future__ import annotations

import pytest
from app_helpers import (
    APP,
    AUTHORIZATIONS,
    HOSTILE,
    TIMEOUT,
    assert_clean,
    assert_shown_literally,
    clear_read_cache,
    expected,
    hostile_table,
    no_settings,
    open_app,
    sidebar_filter,
)
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from lib.clock import team_today
from lib.demo import demo_table
from lib.diagnose import health_counts
from ui import access, authorizations


def test_table_shows_every_authorization_most_urgent_first_with_codes_masked(demo_page):
    at = demo_page(AUTHORIZATIONS)
    assert [t.value for t in at.title] == ["Authorizations"]
    diagnosed = expected()
    table = at.dataframe[0].value
    assert table["Sheet row"].tolist() == diagnosed["row"].tolist()
    assert any(f"{len(diagnosed)} of {len(diagnosed)} authorizations" in c.value for c in at.main.caption)
    codes = set(diagnosed["code"].dropna())
    assert not codes & set(table.astype(str).stack())
    assert table["Code"].dropna().str.contains("••••").all()
    assert {"Health", "Days left", "Expires", "Problems", "What to do", "Who", "Link"} <= set(table.columns)


def test_search_and_filters_narrow_the_table():
    at = open_app(AUTHORIZATIONS)
    diagnosed = expected()
    at.text_input(key=authorizations.KEY_SEARCH).input("coach.leo").run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert set(table["Creator"]) == {"@coach.leo"}
    assert len(table) == (diagnosed["creator"] == "@coach.leo").sum()

    at.text_input(key=authorizations.KEY_SEARCH).input("").run()
    sidebar_filter(at, "health").select("blocked").run()
    table = at.dataframe[0].value
    assert len(table) == health_counts(diagnosed)["blocked"]
    assert {h for labels in table["Health"] for h in labels} == {"Blocked"}


def test_download_offers_the_shown_rows_as_csv():
    at = open_app(AUTHORIZATIONS)
    (button,) = at.download_button
    assert button.label == "Download these rows (CSV)"
    assert not button.proto.disabled
    at.text_input(key=authorizations.KEY_SEARCH).input("no such creator anywhere").run()
    assert at.dataframe[0].value.empty
    assert at.download_button[0].proto.disabled


def test_fix_list_names_the_cells_to_correct(demo_page):
    at = demo_page(AUTHORIZATIONS)
    assert [s.value for s in at.main.header] == ["Fix these in the sheet", "Reveal a code"]
    fixes = at.dataframe[1].value
    # The demo's four unreadable cells (lib/demo.py), the damaged code quoted masked.
    assert fixes[["Sheet row", "Column", "Value"]].values.tolist() == [
        [12, "Spark code", "#••••"],
        [21, "TikTok handle", ""],
        [22, "Authorized on", "31/31/2026"],
        [22, "Duration", "two months"],
    ]
    assert "There is no such day" in fixes["What is wrong"].iloc[2]


def test_a_clean_sheet_says_there_is_nothing_to_fix(monkeypatch):
    header, *rows = demo_table(team_today())
    unreadable = ("31/31", "two months", "#Xk29fQ")  # a bad date, a bad duration, a damaged code
    readable = [r for r in rows if r[0].strip() and not any(bad in " ".join(r) for bad in unreadable)]
    monkeypatch.setattr("lib.demo.demo_table", lambda today=None: [header, *readable])
    at = open_app(AUTHORIZATIONS)
    assert len(at.dataframe) == 1
    assert at.success[0].value.startswith("Nothing to fix")


@pytest.mark.parametrize("handle", HOSTILE)
def test_html_in_a_creator_cell_shows_literally(monkeypatch, handle):
    monkeypatch.setattr("lib.demo.demo_table", hostile_table)
    at = open_app(AUTHORIZATIONS)
    creators = at.dataframe[0].value["Creator"].tolist()
    assert f"@{handle}" in creators
    assert_shown_literally(at, creators)


def test_without_login_the_reveal_box_is_not_offered_and_says_why(demo_page):
    at = demo_page(AUTHORIZATIONS)
    assert not [s for s in at.selectbox if s.key == authorizations.KEY_REVEAL]
    assert access.NO_LOGIN_MASKED in [c.value for c in at.main.caption]
    assert not at.code


def test_a_code_is_revealed_one_at_a_time_on_request_when_opted_in_without_login(tmp_path):
    """`reveal_without_login = true` (single-user machine): one whole code on request, under a warning."""
    clear_read_cache()
    with patch_config_options({"secrets.files": [no_settings(tmp_path)]}):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.secrets["access"] = {"reveal_without_login": True}
        at.run()
        at.switch_page(AUTHORIZATIONS).run()
        assert not at.exception, [e.value for e in at.exception]
        assert [w.value for w in at.main.warning] == [access.OPEN_REVEAL_WARNING]
        diagnosed = expected()
        row = int(diagnosed.loc[diagnosed["code"].notna(), "row"].iloc[0])
        whole = diagnosed.loc[diagnosed["row"] == row, "code"].iloc[0]
        assert not [c for c in at.code if c.value == whole]
        at.selectbox(key=authorizations.KEY_REVEAL).select(row).run()
        next(b for b in at.main.button if b.label == "Reveal this code").click().run()
        assert [c.value for c in at.code] == [whole]
        at.run()  # any later run hides it again
        assert not at.code
