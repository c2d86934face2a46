"""lib.dates: every date form real sheets hold is read, and none is read silently wrong."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import dates
from lib.dates import (
    BAD_DATE,
    DMY,
    MDY,
    MONTH_LOOKUP,
    MONTH_NAMES,
    NO_SUCH_DAY,
    OUT_OF_RANGE,
    WEEKDAY_LOOKUP,
    WEEKDAY_NAMES,
    WRONG_WEEKDAY,
    evidence,
    has_ambiguous,
    is_ambiguous,
    order_for,
    parse_dates,
)

D = dt.date


@pytest.fixture(params=["pyarrow", "python"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both engines: pyarrow's RE2 (the usual one) and Python's re (when pyarrow is missing)."""
    monkeypatch.setattr(dates, "_STORAGE", request.param)
    return request.param


def read(values: list[object], order: dates.DateOrder = DMY) -> pd.DataFrame:
    return parse_dates(pd.Series(values, dtype=object), order)


def one(text: object, order: dates.DateOrder = DMY) -> tuple[object, object]:
    """(date or None, problem or None) for a single cell."""
    row = read([text], order).iloc[0]
    value = None if pd.isna(row["value"]) else row["value"].date()
    problem = None if pd.isna(row["problem"]) else row["problem"]
    return value, problem


# ---------------------------------------------------------------------------
# Every form, with where it is seen. Read day-first unless the row says otherwise; only the
# numeric a/b forms depend on the order.

FORMS: list[tuple[str, dt.date]] = [
    # ISO: Sheets in ISO-formatted columns, CSV exports, the domain's own examples.
    ("2026-11-22", D(2026, 11, 22)),
    ("2026-1-5", D(2026, 1, 5)),
    # TikTok API auth_start_time / auth_end_time, both forms it writes (UTC).
    ("2026-12-19 08:15:00", D(2026, 12, 19)),
    ("2026-12-19T08:15:00Z", D(2026, 12, 19)),
    # ISO 8601 with offsets and fractions: JavaScript toISOString, Python isoformat, BigQuery exports.
    ("2026-12-19T08:15:00+00:00", D(2026, 12, 19)),
    ("2026-12-19T08:15:00+00", D(2026, 12, 19)),
    ("2026-12-19T08:15:00.123Z", D(2026, 12, 19)),
    ("2026-12-19T08:15:00.123456-05:00", D(2026, 12, 19)),
    ("2026-12-19 08:15:00 +0000", D(2026, 12, 19)),
    ("2026-12-19 08:15:00 UTC", D(2026, 12, 19)),
    ("2026-12-19t08:15:00z", D(2026, 12, 19)),
    # East Asian order with other separators: ja_JP / zh_CN / ko_KR / hu_HU sheets.
    ("2026/11/22", D(2026, 11, 22)),
    ("2026.11.22", D(2026, 11, 22)),
    ("2026. 11. 22.", D(2026, 11, 22)),
    ("2026年11月22日", D(2026, 11, 22)),
    # Google Forms "Timestamp" column and Sheets' date-time format, en_US (month first).
    ("11/20/2026 14:03:27", D(2026, 11, 20)),
    ("11/20/2026 8:15", D(2026, 11, 20)),
    ("11/20/2026 2:03 PM", D(2026, 11, 20)),
    ("11/20/2026, 2:03:27 pm", D(2026, 11, 20)),
    # The same in en_GB / fr_FR / es_ES / id_ID spreadsheets (day first).
    ("20/11/2026 14:03:27", D(2026, 11, 20)),
    ("22/11/2026", D(2026, 11, 22)),
    # de_DE, ru_RU (dd.mm.yyyy); nl_NL, en_IN (dd-mm-yyyy).
    ("22.11.2026", D(2026, 11, 22)),
    ("22.11.2026 14:03", D(2026, 11, 22)),
    ("22-11-2026", D(2026, 11, 22)),
    # Two-digit years: Sheets' short date formats (dd/mm/yy, m/d/yy).
    ("22/11/26", D(2026, 11, 22)),
    ("22.11.26", D(2026, 11, 22)),
    # English month names: en_GB "22 Nov 2026", en_US "Nov 22, 2026", Excel "22-Nov-2026".
    ("22 Nov 2026", D(2026, 11, 22)),
    ("22 November 2026", D(2026, 11, 22)),
    ("Nov 22, 2026", D(2026, 11, 22)),
    ("November 22, 2026", D(2026, 11, 22)),
    ("Nov 22 2026", D(2026, 11, 22)),
    ("Nov. 22, 2026", D(2026, 11, 22)),
    ("22-Nov-2026", D(2026, 11, 22)),
    ("22-Nov-26", D(2026, 11, 22)),
    ("22nov2026", D(2026, 11, 22)),
    ("2026-Nov-22", D(2026, 11, 22)),
    ("2026 November 22", D(2026, 11, 22)),
    ("Sept 3, 2026", D(2026, 9, 3)),
    # Ordinals, typed by hand in tracker notes and templates.
    ("November 22nd 2026", D(2026, 11, 22)),
    ("Nov 25th, 2026", D(2026, 11, 25)),
    ("Dec 1st, 2026", D(2026, 12, 1)),
    ("Dec 2nd 2026", D(2026, 12, 2)),
    ("3rd Dec 2026", D(2026, 12, 3)),
    ("22nd of November 2026", D(2026, 11, 22)),
    # Weekday prefixes: RFC 2822 (email, HTTP), Sheets' "Sunday, November 22, 2026" format, en_GB long.
    ("Sun, 22 Nov 2026", D(2026, 11, 22)),
    ("Sun, 22 Nov 2026 08:15:00 +0000", D(2026, 11, 22)),
    ("Sunday 22 November 2026", D(2026, 11, 22)),
    ("Sunday, November 22, 2026", D(2026, 11, 22)),
    ("SUNDAY, NOVEMBER 22, 2026 AT 2:03 PM", D(2026, 11, 22)),
    # JavaScript Date.toString(), pasted from web tools.
    ("Sun Nov 22 2026 14:03:27 GMT+0700 (Western Indonesia Time)", D(2026, 11, 22)),
    # "mar" is March and Tuesday (es/fr): read as whichever makes a date.
    ("Mar 3, 2026", D(2026, 3, 3)),
    ("mar. 3 mars 2026", D(2026, 3, 3)),
    # Spanish (es_ES, es_MX long dates and abbreviations).
    ("22 de noviembre de 2026", D(2026, 11, 22)),
    ("22 de noviembre del 2026", D(2026, 11, 22)),
    ("22 nov. 2026", D(2026, 11, 22)),
    ("5 ene 2026", D(2026, 1, 5)),
    ("1 ago 2026", D(2026, 8, 1)),
    ("1.º de diciembre de 2026", D(2026, 12, 1)),
    ("domingo, 22 de noviembre de 2026", D(2026, 11, 22)),
    ("miércoles 25 nov 2026", D(2026, 11, 25)),
    # French (fr_FR long dates, abbreviations with and without accents).
    ("22 novembre 2026", D(2026, 11, 22)),
    ("1er décembre 2026", D(2026, 12, 1)),
    ("1er decembre 2026", D(2026, 12, 1)),
    ("22 déc. 2026", D(2026, 12, 22)),
    ("15 août 2026", D(2026, 8, 15)),
    ("15 aout 2026", D(2026, 8, 15)),
    ("3 févr. 2026", D(2026, 2, 3)),
    ("3 janv. 2026", D(2026, 1, 3)),
    ("14 juil. 2026", D(2026, 7, 14)),
    ("dimanche 22 novembre 2026", D(2026, 11, 22)),
    # German (de_DE long dates, dd. MMM yyyy, Austrian Jänner).
    ("22. November 2026", D(2026, 11, 22)),
    ("3 März 2026", D(2026, 3, 3)),
    ("3. Maerz 2026", D(2026, 3, 3)),
    ("22. Dez. 2026", D(2026, 12, 22)),
    ("22 dez 2026", D(2026, 12, 22)),
    ("5. Okt. 2026", D(2026, 10, 5)),
    ("5 Jänner 2026", D(2026, 1, 5)),
    ("So., 22.11.2026", D(2026, 11, 22)),
    ("Sonntag, 22. November 2026", D(2026, 11, 22)),
    # Portuguese (pt_BR, pt_PT long dates).
    ("22 de novembro de 2026", D(2026, 11, 22)),
    ("1º de dezembro de 2026", D(2026, 12, 1)),
    ("22 dez 2026", D(2026, 12, 22)),
    ("5 de outubro de 2026", D(2026, 10, 5)),
    ("5 out 2026", D(2026, 10, 5)),
    ("3 de março de 2026", D(2026, 3, 3)),
    ("domingo, 22 de novembro de 2026", D(2026, 11, 22)),
    ("segunda-feira, 23 de novembro de 2026", D(2026, 11, 23)),
    # Indonesian (id_ID long dates and the abbreviations teams use: Mei, Agu/Agt, Okt, Des).
    ("22 Desember 2026", D(2026, 12, 22)),
    ("22 Des 2026", D(2026, 12, 22)),
    ("5 Mei 2026", D(2026, 5, 5)),
    ("17 Agustus 2026", D(2026, 8, 17)),
    ("17 Agu 2026", D(2026, 8, 17)),
    ("17 Agt 2026", D(2026, 8, 17)),
    ("5 Okt 2026", D(2026, 10, 5)),
    ("Minggu, 22 November 2026", D(2026, 11, 22)),
    ("Jum'at, 27 November 2026", D(2026, 11, 27)),
    ("22 November 2026 pukul 14.03", None),  # a dotted time is not read: see the problems below
    # Google Sheets serial day numbers (UNFORMATTED_VALUE, dateTimeRenderOption=SERIAL_NUMBER).
    ("46348", D(2026, 11, 22)),
    ("46348.5", D(2026, 11, 22)),
    ("46348,75", D(2026, 11, 22)),
    # Compact ISO (yyyymmdd), from database and analytics exports.
    ("20261122", D(2026, 11, 22)),
    # Case, spaces and invisible characters from copy and paste.
    ("  2026-11-22  ", D(2026, 11, 22)),
    ("22 NOV 2026", D(2026, 11, 22)),
    ("22\u00a0nov.\u200b 2026", D(2026, 11, 22)),
    ("\ufeff22/11/2026", D(2026, 11, 22)),
    ("22\n nov\t2026", D(2026, 11, 22)),
    # Full-width digits (East Asian input methods).
    ("２０２６－１１－２２", D(2026, 11, 22)),
]


@pytest.mark.parametrize(("text", "expected"), [f for f in FORMS if f[1] is not None])
def test_every_form_reads(engine: str, text: str, expected: dt.date) -> None:
    assert one(text) == (expected, None)


def test_all_forms_at_once_both_engines_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [t for t, _ in FORMS]
    fast = read(texts)
    monkeypatch.setattr(dates, "_STORAGE", "python")
    slow = read(texts)
    pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize(
    ("text", "dmy", "mdy"),
    [
        ("02/12/2026", D(2026, 12, 2), D(2026, 2, 12)),
        ("02/12/26", D(2026, 12, 2), D(2026, 2, 12)),
        ("2.12.2026", D(2026, 12, 2), D(2026, 2, 12)),
        ("02-12-2026 08:15:00", D(2026, 12, 2), D(2026, 2, 12)),
    ],
)
def test_ambiguous_values_follow_the_order(engine: str, text: str, dmy: dt.date, mdy: dt.date) -> None:
    assert one(text, DMY)[0] == dmy
    assert one(text, MDY)[0] == mdy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19/11/2026", D(2026, 11, 19)),
        ("11/19/2026", D(2026, 11, 19)),
        ("31.12.2026", D(2026, 12, 31)),
        ("12/31/26 14:03", D(2026, 12, 31)),
        ("05/05/2026", D(2026, 5, 5)),
    ],
)
@pytest.mark.parametrize("order", [DMY, MDY])
def test_unambiguous_values_are_read_their_only_way_whatever_the_order(
    text: str, expected: dt.date, order: dates.DateOrder
) -> None:
    assert one(text, order) == (expected, None)


def test_a_mixed_column_reads_its_unambiguous_values_and_decides_the_rest_by_order() -> None:
    column = ["19/11/2026", "11/19/2026", "02/12/2026", "22 Nov 2026"]
    assert evidence(pd.Series(column)) == "mixed"
    got = read(column, MDY)["value"].dt.date.tolist()
    assert got == [D(2026, 11, 19), D(2026, 11, 19), D(2026, 2, 12), D(2026, 11, 22)]
    got = read(column, DMY)["value"].dt.date.tolist()
    assert got == [D(2026, 11, 19), D(2026, 11, 19), D(2026, 12, 2), D(2026, 11, 22)]


# ---------------------------------------------------------------------------
# Evidence and ambiguity.


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ([], None),
        (["", None], None),
        (["19/11/2026"], "DMY"),
        (["02/12/2026", "19/11/2026"], "DMY"),
        (["19.11.2026 14:03"], "DMY"),
        (["19/11/26"], "DMY"),
        (["11/19/2026"], "MDY"),
        (["11/20/2026 14:03:27", "02/12/2026"], "MDY"),  # a Google Forms Timestamp column
        (["19/11/2026", "11/19/2026"], "mixed"),
        (["02/12/2026", "05/05/2026"], None),  # ambiguous or same both ways: proves nothing
        (["2026-11-22", "22 Nov 2026", "Nov 22, 2026", "46348"], None),  # never ambiguous: no evidence
        (["31/11/2026"], None),  # 31 November does not exist either way: proves nothing
        (["32/11/2026", "hello"], None),
    ],
)
def test_evidence(engine: str, column: list[object], expected: str | None) -> None:
    assert evidence(pd.Series(column, dtype=object)) == expected


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (["02/12/2026"], True),
        (["02/12/2026 08:15:00"], True),
        (["1.2.26"], True),
        (["05/05/2026"], False),  # both readings are the same day
        (["19/11/2026", "11/19/2026"], False),
        (["2026-02-12", "12 Feb 2026", "46348"], False),
        (["02/30/2026"], False),  # neither reading exists (30 February, month 30)
        ([], False),
        (["", None, "hello"], False),
    ],
)
def test_has_ambiguous(column: list[object], expected: bool) -> None:
    assert has_ambiguous(pd.Series(column, dtype=object)) is expected


def test_is_ambiguous_points_at_the_cells_and_keeps_the_index() -> None:
    column = pd.Series(["02/12/2026", "19/11/2026", "", "05/05/2026", "03/04/26"], index=[10, 11, 12, 13, 14])
    got = is_ambiguous(column)
    assert got.index.tolist() == [10, 11, 12, 13, 14]
    assert got.tolist() == [True, False, False, False, True]


@pytest.mark.parametrize(
    ("column", "fallback", "expected"),
    [
        (["19/11/2026", "02/12/2026"], MDY, DMY),
        (["11/19/2026", "02/12/2026"], DMY, MDY),
        (["02/12/2026"], MDY, MDY),
        (["19/11/2026", "11/19/2026"], DMY, DMY),
        (["19/11/2026", "11/19/2026"], MDY, MDY),
    ],
)
def test_order_for_uses_the_evidence_else_the_fallback(
    column: list[str], fallback: dates.DateOrder, expected: str
) -> None:
    assert order_for(pd.Series(column), fallback) == expected


# ---------------------------------------------------------------------------
# Problems: what is not read is said, in a sentence that says what to write.

SERIAL_1990 = (D(1990, 1, 1) - D(1899, 12, 30)).days


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hello", BAD_DATE),
        ("2026-11", BAD_DATE),
        ("22 Nov", BAD_DATE),  # no year: we will not guess one
        ("Nov 2026", BAD_DATE),
        ("8:15", BAD_DATE),  # a time alone
        ("2:03 PM", BAD_DATE),
        ("22 Foo 2026", BAD_DATE),
        ("22/11/2026/1", BAD_DATE),
        ("26. 11. 22.", BAD_DATE),  # ko_KR short form is year first (2026-11-22): refused, not read as 26 Nov 2022
        ("tomorrow", BAD_DATE),
        ("22 November 2026 pukul 14.03", BAD_DATE),
        ("٢٢/١١/٢٠٢٦", BAD_DATE),  # Arabic-Indic digits are not read
        ("9" * 40, BAD_DATE),
        ("12", BAD_DATE),  # a small number is not a serial day
        (str(dates.SERIAL_MIN - 1), BAD_DATE),
        (str(dates.SERIAL_MAX + 1), BAD_DATE),
        ("-46348", BAD_DATE),
        ("31/02/2026", NO_SUCH_DAY),
        ("2026-02-30", NO_SUCH_DAY),
        ("29 Feb 2027", NO_SUCH_DAY),
        ("13/13/2026", NO_SUCH_DAY),
        ("31 Nov 2026", NO_SUCH_DAY),
        ("2026-13-01", NO_SUCH_DAY),
        ("20261340", NO_SUCH_DAY),
        ("00/11/2026", NO_SUCH_DAY),
        ("02/12/1989", OUT_OF_RANGE),
        ("02/12/89", OUT_OF_RANGE),  # 89 → 1989 (see TWO_DIGIT_PIVOT), not 2089
        ("1899-12-30", OUT_OF_RANGE),
        ("2101-01-01", OUT_OF_RANGE),
        ("0026-11-22", OUT_OF_RANGE),
        (str(dates.SERIAL_MIN), OUT_OF_RANGE),  # 1960-01-01: a serial day, but not a plausible year
        ("Mon, 22 Nov 2026", WRONG_WEEKDAY),  # 22 Nov 2026 is a Sunday
        ("Freitag, 22. November 2026", WRONG_WEEKDAY),
    ],
)
def test_problems(engine: str, text: str, problem: str) -> None:
    assert one(text) == (None, problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2028", D(2028, 2, 29)),
        ("1990-01-01", D(1990, 1, 1)),
        ("2100-12-31", D(2100, 12, 31)),
        (str(SERIAL_1990), D(1990, 1, 1)),
        (str(dates.SERIAL_MAX), D(2100, 12, 31)),
        ("01/01/69", D(2069, 1, 1)),  # the pivot: 00–69 are 20xx
        ("01/01/90", D(1990, 1, 1)),  # and 70–99 are 19xx
        ("22 nov 26", D(2026, 11, 22)),  # a time-like tail is never taken out of the year
    ],
)
def test_edges_that_read(text: str, expected: dt.date) -> None:
    assert one(text) == (expected, None)


def test_problem_sentences_say_what_to_write() -> None:
    for message in (BAD_DATE, OUT_OF_RANGE, NO_SUCH_DAY, WRONG_WEEKDAY):
        assert message.endswith("2026-11-22.")
        assert message[0].isupper()
    assert "1990–2100" in OUT_OF_RANGE


def test_empty_cells_are_never_a_problem_and_the_frame_keeps_its_shape() -> None:
    # A cell holding only invisible characters (a zero-width space left by a paste) is empty too.
    column = pd.Series(["", None, pd.NA, np.nan, "   ", "\u200b", "2026-11-22"], index=list("abcdefg"), dtype=object)
    got = parse_dates(column, DMY)
    assert got.index.tolist() == list("abcdefg")
    assert list(got.columns) == ["value", "problem"]
    assert got["value"].dtype == "datetime64[s]"
    assert got["problem"].dtype == object
    assert got["value"].isna().tolist() == [True] * 6 + [False]
    assert got["problem"].isna().all()


def test_an_empty_column() -> None:
    got = parse_dates(pd.Series([], dtype="string"), MDY)
    assert len(got) == 0
    assert got["value"].dtype == "datetime64[s]"
    assert got["problem"].dtype == object


def test_values_are_at_midnight_and_non_text_cells_are_read_as_their_text() -> None:
    got = read([46348.75, 46348, pd.Timestamp("2026-11-22 14:03"), "2026-11-22T23:59:59-12:00"])
    assert got["value"].tolist() == [pd.Timestamp("2026-11-22")] * 4
    assert got["problem"].isna().all()


def test_a_strange_order_is_a_callers_bug() -> None:
    with pytest.raises(ValueError, match="order"):
        parse_dates(pd.Series(["02/12/2026"]), "dmy")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "\ud800",  # a lone surrogate (half an emoji)
        "22 Nov 2026\udcff",
        "x" * 200_000,
        "(" * 5000,
        "1" * 10_000,
        "\x00",
        "🗓️ 22/11/2026",
        "22/11/2026 " + "9" * 400,
        "\u0301\u0301",
    ],
)
def test_hostile_cells_never_raise(engine: str, text: str) -> None:
    value, problem = one(text)
    assert value is None and problem == BAD_DATE


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.text(alphabet="0123456789/.-: ,tzTZ+")),
        max_size=20,
    )
)
def test_any_input_gives_one_row_per_value_and_never_raises(values: list[object]) -> None:
    got = parse_dates(pd.Series(values, dtype=object), DMY)
    assert len(got) == len(values)
    read_ok = got["value"].notna()
    assert (got["problem"].isna() | ~read_ok).all()  # a value that has a problem is not read
    assert got.loc[read_ok, "value"].dt.year.between(1990, 2100).all()
    assert (got.loc[read_ok, "value"] == got.loc[read_ok, "value"].dt.normalize()).all()
    evidence(pd.Series(values, dtype=object))
    has_ambiguous(pd.Series(values, dtype=object))


# ---------------------------------------------------------------------------
# The tables.


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


@pytest.mark.parametrize(("table", "lookup"), [(MONTH_NAMES, MONTH_LOOKUP), (WEEKDAY_NAMES, WEEKDAY_LOOKUP)])
def test_name_tables_mean_one_thing_in_every_language(table: dict, lookup: dict[str, int]) -> None:
    first = 1 if table is MONTH_NAMES else 0
    for language, names in table.items():
        assert len(names) == (12 if table is MONTH_NAMES else 7), language
        for number, spellings in enumerate(names, start=first):
            for spelling in spellings:
                # No name means one month (or day) in one language and another elsewhere.
                assert lookup[_fold(spelling)] == number, (language, spelling)
                # Plain enough to sit in a pattern without escaping.
                assert re.fullmatch(r"[a-z' -]+", _fold(spelling)), spelling


def test_no_weekday_name_is_also_a_month_except_mar() -> None:
    # `mar` (Tuesday in es/fr, March everywhere) is the one clash; the patterns settle it by
    # what makes a date (see FORMS). Any new clash needs the same thought.
    assert set(WEEKDAY_LOOKUP) & set(MONTH_LOOKUP) == {"mar"}


# ---------------------------------------------------------------------------
# Property: any date written in any supported form reads back as that date.

LANGUAGES = sorted(MONTH_NAMES)
TIMES = [
    "",
    " 14:03:27",  # Google Forms Timestamp
    " 08:15:00",  # TikTok API auth_end_time
    "T08:15:00Z",  # TikTok API auth_end_time, ISO form
    "T08:15:00.123+00:00",
    "T08:15:00+07",
    " 2:03 PM",
    " 8:15",
    ", 2:03:27 pm",
    " 08:15:00 UTC",
    " 08:15:00 +0000",
]


def _ordinal(day: int, language: str) -> str:
    if language == "en":
        return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    if language == "fr" and day == 1:
        return "er"
    if language in ("es", "pt") and day == 1:
        return "º"
    return ""


@st.composite
def written_dates(draw: st.DrawFn, order: dates.DateOrder) -> tuple[dt.date, str]:
    """A date 1990–2100 written the way a person, a locale or a tool would write it."""
    date = draw(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
    y, m, d = date.year, date.month, date.day
    two_digit_ok = y <= 2069  # 2-digit years read back as 1970–2069 (TWO_DIGIT_PIVOT)
    year = f"{y % 100:02d}" if two_digit_ok and draw(st.booleans()) else str(y)
    pad = draw(st.booleans())
    dd, mm = (f"{d:02d}", f"{m:02d}") if pad else (str(d), str(m))
    language = draw(st.sampled_from(LANGUAGES))
    month = draw(st.sampled_from(MONTH_NAMES[language][m - 1]))
    if draw(st.booleans()):
        month = _fold(month)  # typed without accents
    month_dot = "." if len(month) <= 4 and draw(st.booleans()) else ""
    ordinal = _ordinal(d, language) if draw(st.booleans()) else ""
    connector = " de " if language in ("es", "pt") and draw(st.booleans()) else " "

    form = draw(st.sampled_from(["ymd", "numeric", "day_month", "month_day", "year_month", "compact", "serial"]))
    if form == "ymd":
        sep = draw(st.sampled_from("-/."))
        text = f"{y}{sep}{mm}{sep}{dd}"
    elif form == "numeric":
        sep = draw(st.sampled_from("/.-"))
        first, second = (dd, mm) if order == DMY else (mm, dd)
        text = f"{first}{sep}{second}{sep}{year}"
    elif form == "day_month":
        sep = draw(st.sampled_from([connector, "-", ". ", " "]))
        text = f"{d}{ordinal}{sep}{month}{month_dot}{connector if sep == connector else sep}{year}"
    elif form == "month_day":
        text = draw(
            st.sampled_from(
                [
                    f"{month}{month_dot} {d}{ordinal}, {year}",
                    f"{month}{month_dot} {d}{ordinal} {year}",
                    f"{month}-{d}-{year}",
                ]
            )
        )
    elif form == "year_month":
        text = f"{y} {month}{month_dot} {d}"
    elif form == "compact":
        text = f"{y}{m:02d}{d:02d}"
    else:
        serial = (date - D(1899, 12, 30)).days
        text = str(serial) + draw(st.sampled_from(["", ".5", ".999"]))

    if form not in ("compact", "serial"):
        if draw(st.booleans()):
            weekday_language = draw(st.sampled_from(LANGUAGES))
            weekday = draw(st.sampled_from(WEEKDAY_NAMES[weekday_language][date.weekday()]))
            text = f"{weekday}{draw(st.sampled_from([', ', ' ', '. ', '., ']))}{text}"
        text += draw(st.sampled_from(TIMES))
        text = draw(st.sampled_from([text, text.upper(), text.title(), f"  {text} "]))
    return date, text


@given(written_dates(DMY))
def test_any_date_in_any_form_reads_back_in_a_day_first_column(written: tuple[dt.date, str]) -> None:
    date, text = written
    column = pd.Series([text, "19/11/2026"])  # the column holds day-first evidence
    assert evidence(column) == DMY
    got = parse_dates(column, order_for(column, MDY))
    assert got["problem"].isna().all(), (text, got["problem"][0])
    assert got["value"][0] == pd.Timestamp(date), text


@given(written_dates(MDY))
def test_any_date_in_any_form_reads_back_in_a_month_first_column(written: tuple[dt.date, str]) -> None:
    date, text = written
    column = pd.Series([text, "11/19/2026"])  # the column holds month-first evidence
    assert evidence(column) == MDY
    got = parse_dates(column, order_for(column, DMY))
    assert got["problem"].isna().all(), (text, got["problem"][0])
    assert got["value"][0] == pd.Timestamp(date), text


@given(st.lists(written_dates(DMY) | written_dates(MDY), min_size=1, max_size=8))
def test_both_engines_read_every_form_the_same(written: list[tuple[dt.date, str]]) -> None:
    column = pd.Series([text for _, text in written])
    fast = (parse_dates(column, DMY), evidence(column), is_ambiguous(column))
    original = dates._STORAGE
    try:
        dates._STORAGE = "python"
        slow = (parse_dates(column, DMY), evidence(column), is_ambiguous(column))
    finally:
        dates._STORAGE = original
    pd.testing.assert_frame_equal(fast[0], slow[0])
    assert fast[1] == slow[1]
    pd.testing.assert_series_equal(fast[2], slow[2])


# ---------------------------------------------------------------------------
# Size: a 100,000-row sheet of distinct date-times (a Google Forms Timestamp column).


def test_a_hundred_thousand_distinct_datetimes() -> None:
    rng = np.random.default_rng(7)
    seconds = rng.choice(2_000_000_000, size=100_000, replace=False)
    stamps = pd.Timestamp("2020-01-01") + pd.to_timedelta(seconds, unit="s")
    text = pd.Series(stamps.strftime("%m/%d/%Y %H:%M:%S"))
    assert text.nunique() == 100_000
    got = parse_dates(text, order_for(text, DMY))
    assert got["problem"].isna().all()
    sample = rng.choice(len(text), size=2_000, replace=False)
    assert (got["value"].to_numpy()[sample] == stamps.normalize().to_numpy()[sample]).all()
    assert (got["value"].to_numpy() == stamps.normalize().to_numpy()).all()
