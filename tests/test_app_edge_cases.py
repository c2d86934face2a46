"""Edge cases of the real app (AppTest): a sheet with no rows, filters that leave nothing, a sheet
with only the two columns people always have, and counts of one.

Every page must render without an error and say in plain words why it is empty, rather than
show a row of zeros that looks like good news.
"""

from __future__ import annotations

import datetime as dt

import pytest
from app_helpers import (
    ACT,
    AUTHORIZATIONS,
    DATA,
    OVERVIEW,
    PAGES,
    SHEET_PAGES,
    assert_clean,
    expected,
    no_settings,
    open_app,
    sidebar_filter,
)
from streamlit.testing.v1.util import patch_config_options

from lib import demo
from lib.words import plural
from ui import views

CODE = "#Ab3dEf7hIj1lMn0pQr5tUv9xYz2BcDeFgHiJkLmN+/Op4Qr8St2Uv6Wx0Yz3Ab7="

HEADER_ONLY = [["Creator", "Post URL", "Spark code", "Expires", "Campaign"]]
TWO_COLUMNS = [["TikTok handle", "Spark code"], ["@only.code", CODE], ["@no.code.yet", ""]]


@pytest.fixture(autouse=True)
def _no_secrets_file(tmp_path):
    """No developer's own secrets.toml: the app is open and reads the (replaced) demo sheet."""
    with patch_config_options({"secrets.files": [no_settings(tmp_path)]}):
        yield


def use_sheet(monkeypatch, table: list[list[str]]) -> None:
    monkeypatch.setattr(demo, "demo_table", lambda today=None: table)


def infos(at) -> list[str]:
    return [i.value for i in at.info]


@pytest.mark.parametrize("page", SHEET_PAGES)
def test_a_sheet_with_only_its_header_says_it_has_no_rows_yet(monkeypatch, page):
    use_sheet(monkeypatch, HEADER_ONLY)
    at = open_app(page)
    assert views.EMPTY_SHEET in infos(at)
    assert views.NOTHING_MATCHES.format(total=0) not in infos(at)


def test_an_empty_overview_says_the_sheet_is_empty_and_draws_nothing(monkeypatch):
    use_sheet(monkeypatch, HEADER_ONLY)
    at = open_app(OVERVIEW)
    assert not at.success  # not a green "nothing needs action": there is nothing at all
    assert not at.get("plotly_chart") and not at.metric
    assert "Showing the 0 most urgent of 0" not in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("page", SHEET_PAGES)
def test_filters_that_leave_nothing_say_so_and_how_to_undo_it(page):
    at = open_app(page)
    diagnosed = expected()
    campaign = diagnosed["campaign"].dropna().iloc[0]
    absent = next(
        h
        for h in ("revoked", "expired", "blocked", "pending")
        if h not in set(diagnosed.loc[diagnosed["campaign"] == campaign, "health"].astype(str))
    )
    sidebar_filter(at, "campaign").select(campaign).run()
    sidebar_filter(at, "health").select(absent).run()
    assert_clean(at)
    assert views.NOTHING_MATCHES.format(total=len(diagnosed)) in infos(at)
    assert views.EMPTY_SHEET not in infos(at)


def test_the_fix_list_says_the_filters_do_not_apply_to_it():
    at = open_app(AUTHORIZATIONS)
    sidebar_filter(at, "campaign").select(expected()["campaign"].dropna().iloc[0]).run()
    captions = " ".join(c.value for c in at.caption)
    assert "the sidebar filters and the search don't apply" in captions


@pytest.mark.parametrize("page", PAGES)
def test_a_sheet_with_only_creator_and_code_columns_works_on_every_page(monkeypatch, page):
    use_sheet(monkeypatch, TWO_COLUMNS)
    at = open_app(page)
    assert not infos(at) or views.EMPTY_SHEET not in infos(at)


def test_counts_of_one_read_in_the_singular(monkeypatch):
    use_sheet(monkeypatch, TWO_COLUMNS[:2])
    at = open_app(OVERVIEW)
    captions = [c.value for c in at.caption]
    assert "1 authorization, most urgent first." in captions
    assert any("1 has no end date" in c and "is not drawn" in c for c in captions), captions
    at.switch_page(ACT).run()
    headings = [t.value for t in at.text]
    assert any("1 code (sheet row 2) from @only.code" in t for t in headings), headings


def test_plural_words():
    assert plural(1, "row") == "1 row"
    assert plural(0, "row") == "0 rows"
    assert plural(2, "authorization") == "2 authorizations"


def test_an_upload_of_one_row_reads_in_the_singular():
    at = open_app(DATA)
    (box,) = at.get("file_uploader")
    box.upload("one.csv", b"Creator,Spark code\n@solo,\n", "text/csv")
    at.run()
    assert_clean(at)
    assert "Using one.csv (1 row) for this session." in [t.value for t in at.text]


def test_one_authorization_ending_tomorrow_reads_as_english_on_the_act_page(monkeypatch):
    """It once read '1 authorization of the rows shown end in the next 1 day'."""
    from lib.clock import team_today
    from lib.words import iso_date
    from ui import act

    tomorrow = iso_date(team_today() + dt.timedelta(days=1))
    use_sheet(monkeypatch, [["Creator", "Spark code", "Expires"], ["@soon", CODE, tomorrow], ["@later", CODE, ""]])
    at = open_app(ACT)
    at.number_input(key=act.KEY_DAYS).set_value(1).run()
    assert_clean(at)
    texts = [t.value for t in at.main.text]
    assert "1 authorization of the rows shown ends today or tomorrow." in texts
    at.number_input(key=act.KEY_DAYS).set_value(7).run()
    assert "1 authorization of the rows shown ends in the next 7 days." in [t.value for t in at.main.text]
    at.switch_page(AUTHORIZATIONS).run()
    assert "2 of 2 authorizations. Codes are masked." in [c.value for c in at.caption]


def test_the_authorizations_count_agrees_with_one_row():
    use_one = [["Creator", "Spark code"], ["@solo", CODE]]
    with pytest.MonkeyPatch.context() as patch:
        use_sheet(patch, use_one)
        at = open_app(AUTHORIZATIONS)
        assert "1 of 1 authorization. Codes are masked." in [c.value for c in at.caption]


def test_coming_days_in_words():
    from lib.words import coming_days

    words = ["today", "today or tomorrow", "in the next 2 days", "in the next 7 days"]
    assert [coming_days(n) for n in (0, 1, 2, 7)] == words
