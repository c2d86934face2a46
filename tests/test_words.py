"""The product's words: counts, days, dates, escaping and redaction, each written one way."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pandas as pd
import pytest

from lib import words
from lib.words import (
    HUMAN_DATE_D3,
    days,
    days_left,
    days_left_all,
    escape_html,
    escape_html_all,
    human_date,
    human_dates,
    iso_date,
    iso_dates,
    noun,
    plural,
    redact,
    redact_all,
    relative_day,
)

CODE = "#FQeE8Jr2pI+Vw6yBhxgS7cK2BrE6cJuaD/xHqnjKcHPAlOYR/6d7B0KZlTD0F5k="
MASKED = "#FQe••••F5k="

# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("count", "said"),
    [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (-1, "-1 rows"), (1.0, "1 row"), (5.0, "5 rows"), (2.5, "2.5 rows")],
)
def test_plural_reads_as_plain_english(count, said):
    assert plural(count, "row") == said


def test_plural_and_noun_take_an_irregular_form():
    assert plural(1, "authorization needs", "authorizations need") == "1 authorization needs"
    assert plural(3, "authorization needs", "authorizations need") == "3 authorizations need"
    assert noun(1, "sheet row") == "sheet row"
    assert noun(4, "sheet row") == "sheet rows"
    assert noun(0, "has", "have") == "have"
    assert (noun(1, "this post", "these posts"), noun(2, "this post", "these posts")) == ("this post", "these posts")


def test_plural_lives_only_in_words():
    import lib.vocab

    assert not hasattr(lib.vocab, "plural")


# --------------------------------------------------------------------------- days


def test_days_is_a_length_of_time():
    assert [days(n) for n in (0, 1, 2, 30)] == ["0 days", "1 day", "2 days", "30 days"]


@pytest.mark.parametrize(
    ("offset", "said"),
    [
        (-400, "400 days ago"),
        (-2, "2 days ago"),
        (-1, "yesterday"),
        (0, "today"),
        (1, "tomorrow"),
        (2, "in 2 days"),
        (365, "in 365 days"),
    ],
)
def test_relative_day(offset, said):
    assert relative_day(offset) == said


@pytest.mark.parametrize(
    ("offset", "said"),
    [
        (-8, "ended 8 days ago"),
        (-2, "ended 2 days ago"),
        (-1, "ended yesterday"),
        (0, "ends today"),
        (1, "ends tomorrow"),
        (2, "2 days left"),
        (12, "12 days left"),
    ],
)
def test_days_left(offset, said):
    assert days_left(offset) == said


def test_days_left_for_a_column_keeps_its_index_and_leaves_unknown_blank():
    offsets = pd.Series([-8, -1, 0, 1, 12, None], index=[10, 11, 12, 13, 14, 15], dtype="Int64")
    text = days_left_all(offsets)
    assert text.tolist() == ["ended 8 days ago", "ended yesterday", "ends today", "ends tomorrow", "12 days left", ""]
    assert list(text.index) == [10, 11, 12, 13, 14, 15]


def test_the_column_and_the_single_day_never_disagree():
    offsets = pd.Series(range(-400, 401), dtype="Int64")
    assert days_left_all(offsets).tolist() == [days_left(n) for n in range(-400, 401)]


# --------------------------------------------------------------------------- dates


def test_people_see_one_date_form_and_machines_iso():
    day = dt.date(2026, 12, 2)
    assert human_date(day) == "2 Dec 2026"
    assert human_date(dt.date(2026, 11, 19)) == "19 Nov 2026"
    assert human_date(day, year=False) == "2 Dec"
    assert human_date(day, weekday=True) == "Wednesday 2 Dec 2026"
    assert human_date(pd.Timestamp("2027-03-01 15:30")) == "1 Mar 2027"
    assert iso_date(day) == "2026-12-02"
    assert iso_date(pd.Timestamp("2026-12-02 15:30")) == "2026-12-02"
    assert iso_date(dt.datetime(2026, 1, 5, 23, 59)) == "2026-01-05"


def test_date_columns():
    stamps = pd.Series([pd.Timestamp("2026-12-02"), pd.NaT, pd.Timestamp("2027-01-31")], index=[5, 6, 7])
    assert human_dates(stamps).tolist() == ["2 Dec 2026", "", "31 Jan 2027"]
    assert list(human_dates(stamps).index) == [5, 6, 7]
    assert human_dates(pd.date_range("2026-12-01", periods=2), year=False).tolist() == ["1 Dec", "2 Dec"]
    iso = iso_dates(stamps)
    assert iso.iloc[0] == "2026-12-02" and pd.isna(iso.iloc[1]) and iso.iloc[2] == "2027-01-31"


def test_plotly_is_told_the_same_human_form():
    # d3's "%-d" is the day without a leading zero, as human_date writes it.
    assert HUMAN_DATE_D3 == "%-d %b %Y"


# --------------------------------------------------------------------------- escaping


def test_markup_in_sheet_text_shows_as_itself():
    assert escape_html("<script>alert('x')</script>") == "&lt;script&gt;alert('x')&lt;/script&gt;"
    assert escape_html("<!channel> & <@123>") == "&lt;!channel&gt; &amp; &lt;@123&gt;"
    # Already-escaped text is escaped again, so it shows as typed.
    assert escape_html("&lt;b&gt;") == "&amp;lt;b&amp;gt;"


def test_quotes_are_left_as_typed():
    assert escape_html('O\'Neil said "hi"') == 'O\'Neil said "hi"'


def test_escaping_a_column_matches_one_cell_and_keeps_missing_missing():
    texts = pd.Series(["<b>x</b>", None, "a & b", "O'Neil"], dtype="string")
    out = escape_html_all(texts)
    assert out.iloc[0] == "&lt;b&gt;x&lt;/b&gt;" and pd.isna(out.iloc[1])
    assert out.iloc[2] == "a &amp; b" and out.iloc[3] == "O'Neil"


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    "spelling",
    [
        CODE,
        CODE[1:],
        "# " + CODE[1:],
        urllib.parse.quote(CODE, safe=""),
        CODE[:30] + "\n" + CODE[30:],
        CODE.replace("+", " "),
        "\u200b".join([CODE[:7], CODE[7:25], CODE[25:50], CODE[50:]]),
    ],
    ids=["as sent", "without #", "# and a space", "percent-encoded", "over two lines", "+ as space", "zero-width"],
)
def test_a_code_is_masked_in_any_spelling(spelling):
    text = f"Amy sent {spelling} on Monday"
    shown = redact(text)
    assert shown.startswith("Amy sent ") and shown.endswith(" on Monday")
    assert "••••" in shown
    for start in range(1, len(CODE) - 12):
        assert CODE[start : start + 12] not in shown


def test_redaction_keeps_the_words_and_works_on_a_column():
    assert redact(f"Applied {CODE} on Monday") == f"Applied {MASKED} on Monday"
    assert redact("https://www.tiktok.com/@amy/video/7300000000000000000") == (
        "https://www.tiktok.com/@amy/video/7300000000000000000"
    )
    notes = pd.Series([f"code {CODE}", None, "no code here"], dtype="string")
    out = redact_all(notes)
    assert out.iloc[0] == f"code {MASKED}" and pd.isna(out.iloc[1]) and out.iloc[2] == "no code here"
    assert words.mask_code(CODE) == MASKED
