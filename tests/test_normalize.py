import csv
import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lib.columnar import ColumnTable
from lib.columns import RESERVED_HEADER_KEYS, SHEET_ROW_HEADER, TAB, TAB_HEADER
from lib.diagnose import diagnose
from lib.errors import SourceError
from lib.normalize import SHEET_ROW, _without_spaces, header_key, normalize
from lib.sources.files import read_csv, read_csv_columns
from lib.vocab import COLUMN_ALIASES
from tests.fakes.tracking_sheet import TODAY

CODE = "#Z3zLIbet6+UzH+7/3eLO6m4H5x29iI/Vmy0s5bla5kzFpfITtaO+rC8qLk1urN0="


def one_row(header: list[str], row: list[str]):
    return normalize([header, row])


# --- headers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Duration (days)", "duration_days"),
        ("  TikTok   Handle ", "tiktok_handle"),
        ("Expiry-Date", "expiry_date"),
        ("AD DELIVERY?", "ad_delivery"),
    ],
)
def test_header_key_folds_case_spaces_and_punctuation(text, key):
    assert header_key(text) == key


@pytest.mark.parametrize(
    ("canonical", "alias"),
    [(canonical, alias) for canonical, aliases in COLUMN_ALIASES.items() for alias in (canonical, *aliases)],
)
def test_every_alias_maps_to_its_column(canonical, alias):
    # Write the alias as a person would: words capitalised, spaces instead of underscores.
    header = alias.replace("_", " ").title()
    creator_header = "Creator" if canonical != "creator" else header
    columns = [creator_header] if canonical == "creator" else [creator_header, header]
    norm = normalize([columns, ["@someone"] + ([""] if canonical != "creator" else [])])
    assert norm.headers[canonical] == header


def test_issue_alias_list_is_covered():
    required = {
        "creator": {"handle", "tiktok_handle", "creator_handle", "username"},
        "post_url": {"post", "video", "video_url", "post_link", "link"},
        "post_id": {"video_id"},
        "code": {"spark_code", "auth_code", "authorization_code", "ad_code", "boost_code", "video_code"},
        "access_method": {"access", "method"},
        "authorized_on": {"authorized", "authorization_date", "date_authorized", "generated_on", "applied_on"},
        "duration_days": {"duration", "days", "auth_duration"},
        "expires_on": {"expires", "expiry", "expiry_date", "expiration", "expiration_date"},
        "campaign_end": {"campaign_end_date"},
        "campaign_start": {"campaign_start_date"},
        "ad_account_region": {"advertiser_region", "account_region"},
        "post_visibility": {"visibility", "privacy"},
        "ad_delivery_permission": {"ad_delivery", "bc_shared"},
        "brand": {"client"},
    }
    for canonical, aliases in required.items():
        assert aliases <= set(COLUMN_ALIASES[canonical]), canonical


def test_unknown_columns_are_kept_and_duplicates_not_lost():
    norm = normalize(
        [
            ["Creator", "Notes", "Notes", "Shoe size", "Post", "Video URL"],
            ["amy", "first", "second", "42", "https://a/video/1", "https://b/video/2"],
        ]
    )
    frame = norm.frame
    assert frame.loc[0, "notes"] == "first"
    assert frame.loc[0, "notes_3"] == "second"
    assert frame.loc[0, "shoe_size"] == "42"
    assert frame.loc[0, "post_url"] == "https://a/video/1"
    assert frame.loc[0, "video_url"] == "https://b/video/2"
    assert norm.headers["notes_3"] == "Notes"
    assert norm.problems.empty


def test_header_below_title_rows_keeps_true_sheet_row_numbers():
    norm = normalize([["Spark tracker Q4"], ["", ""], ["Handle", "Code"], ["amy", CODE], ["", ""], ["bob", ""]])
    assert norm.frame["row"].tolist() == [4, 6]
    assert norm.frame["creator"].tolist() == ["@amy", "@bob"]


def test_no_creator_column_and_empty_sheet_are_source_errors():
    with pytest.raises(SourceError, match="creator column"):
        normalize([["Post", "Code"], ["x", "y"]])
    with pytest.raises(SourceError, match="empty"):
        normalize([])
    with pytest.raises(SourceError, match="empty"):
        normalize([["", ""], [" ", ""]])


def test_header_only_gives_an_empty_frame_with_every_column():
    norm = normalize([["Creator", "Code"]])
    assert norm.frame.empty
    assert {"creator", "code", "expires_on", "health"} - set(norm.frame.columns) == {"health"}


# --- cells -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22",
        "11/22/2026",
        "22 Nov 2026",
        "Nov 22, 2026",
        "46348",
        "46348.0",
        "22 November 2026",
        "November 22, 2026",
        "2026-11-22 00:00:00",
        "2026-11-22T09:30:00Z",
        " 2026-11-22 ",
    ],
)
def test_date_forms(text):
    norm = one_row(["Creator", "Expires"], ["amy", text])
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-11-22")
    assert norm.problems.empty


@pytest.mark.parametrize(
    ("text", "message"),
    [("31/31/2026", "no such day"), ("soon", "Not a date"), ("1850-01-01", "outside"), ("99999999", "Not a date")],
)
def test_bad_dates_become_problems(text, message):
    norm = one_row(["Creator", "Expiry date"], ["amy", text])
    assert pd.isna(norm.frame.loc[0, "expires_on"])
    assert norm.problems.to_dict("records") == [
        {"row": 2, "column": "Expiry date", "value": text, "problem": norm.problems.loc[0, "problem"]}
    ]
    assert message in norm.problems.loc[0, "problem"]


def test_huge_number_beside_a_serial_date_is_a_problem_not_a_crash():
    # A decimal serial makes the column's numbers nullable floats; the huge one must not overflow.
    norm = normalize([["Creator", "Expires"], ["amy", "46348.9"], ["bob", "99999999999"]])
    assert norm.frame["expires_on"].iloc[0] == pd.Timestamp("2026-11-22")
    assert pd.isna(norm.frame["expires_on"].iloc[1])
    assert norm.problems[["row", "column", "value"]].to_dict("records") == [
        {"row": 3, "column": "Expires", "value": "99999999999"}
    ]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("30", 30),
        ("30 days", 30),
        ("30 Days", 30),
        ("7d", 7),
        ("2 weeks", 14),
        ("1 year", 365),
        ("12 months", 365),
        ("2 months", 60),
        ("60.0", 60),
        ("365 days", 365),
    ],
)
def test_duration_forms(text, days):
    norm = one_row(["Creator", "Duration (days)"], ["amy", text])
    assert norm.frame.loc[0, "duration_days"] == days
    assert norm.problems.empty


@pytest.mark.parametrize("text", ["thirty", "0", "-5", "soon"])
def test_bad_durations_become_problems(text):
    norm = one_row(["Creator", "Duration"], ["amy", text])
    assert pd.isna(norm.frame.loc[0, "duration_days"])
    assert norm.problems[["row", "column", "value"]].values.tolist() == [[2, "Duration", text]]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("✓", True),
        ("no", False),
        ("n", False),
        ("False", False),
        ("0", False),
    ],
)
def test_booleans(text, value):
    norm = one_row(["Creator", "Access", "BC shared"], ["amy", "business center", text])
    assert norm.frame.loc[0, "ad_delivery_permission"] == value
    assert norm.problems.empty


def test_vocabulary_cells_are_case_and_space_insensitive():
    norm = one_row(
        ["Creator", "Status", "Privacy", "Identity", "Method"],
        ["amy", "  REVOKED ", "Friends Only", "CUSTOM", "Business_Center"],
    )
    row = norm.frame.loc[0]
    assert (row["status"], row["post_visibility"], row["identity"], row["access_method"]) == (
        "revoked",
        "friends",
        "custom",
        "business_center",
    )


def test_unknown_vocabulary_and_boolean_become_problems_naming_the_sheet_column():
    norm = one_row(["Creator", "Status", "Visibility", "Ad delivery"], ["amy", "on hold", "secret", "maybe"])
    assert norm.problems[["row", "column", "value"]].values.tolist() == [
        [2, "Status", "on hold"],
        [2, "Visibility", "secret"],
        [2, "Ad delivery", "maybe"],
    ]


def test_handles_with_or_without_at_and_stray_spaces_are_one_creator():
    norm = normalize([["TikTok handle"], ["@Amy.Cooks"], [" amy.cooks "], ["@ amy.cooks"], ["AMY.COOKS"]])
    assert set(norm.frame["creator"]) == {"@amy.cooks"}


def test_missing_creator_is_a_problem_but_the_row_still_counts():
    norm = normalize(
        [
            ["Creator", "Post URL", "Expires"],
            ["amy", "https://x/video/1", "2026-12-01"],
            ["", "https://x/video/2", "2026-12-02"],
            ["", "", ""],
            ["bob", "", "2026-12-03"],
        ]
    )
    assert norm.frame["row"].tolist() == [2, 3, 5]
    assert norm.frame.loc[1, "expires_on"] == pd.Timestamp("2026-12-02")
    assert norm.problems[["row", "column"]].values.tolist() == [[3, "Creator"], [5, "Post URL"]]


def test_post_key_prefers_id_then_video_number_in_url():
    norm = normalize(
        [
            ["Creator", "Post URL", "Video ID"],
            ["a", "https://www.tiktok.com/@a/video/7301?lang=en", ""],
            ["b", "", "999"],
            ["c", "https://vm.tiktok.com/ZM123/", ""],
        ]
    )
    assert norm.frame["post_key"].tolist() == ["7301", "999", "https://vm.tiktok.com/zm123"]
    assert norm.frame["post"].tolist() == [
        "https://www.tiktok.com/@a/video/7301?lang=en",
        "999",
        "https://vm.tiktok.com/ZM123/",
    ]


def test_short_rows_are_padded_and_long_rows_kept():
    norm = normalize([["Creator", "Code"], ["amy"], ["bob", CODE, "extra"]])
    assert norm.frame["code"].isna().tolist() == [True, False]
    assert norm.frame.loc[1, "column_3"] == "extra"


def test_types_are_fixed_whatever_the_sheet():
    frame = normalize([["Creator"], ["amy"]]).frame
    assert str(frame["expires_on"].dtype).startswith("datetime64")
    assert str(frame["duration_days"].dtype) == "Int64"
    assert str(frame["ad_delivery_permission"].dtype) == "boolean"
    assert frame.loc[0, "access_method"] == "code"
    assert isinstance(dt.date.today(), dt.date)


def test_merged_tabs_keep_each_tabs_own_row_numbers_and_name_the_tab():
    norm = normalize(
        [
            [TAB_HEADER, SHEET_ROW_HEADER, "Creator", "Expires"],
            ["Lumen", "2", "amy", "2026-12-01"],
            ["Lumen", "3", "bob", "soon"],
            ["Stride", "2", "cat", "never"],
        ]
    )
    assert norm.frame["row"].tolist() == [2, 3, 2]
    assert SHEET_ROW not in norm.frame.columns
    assert norm.frame["tab"].tolist() == ["Lumen", "Lumen", "Stride"]
    assert norm.problems[["tab", "row", "column", "value"]].values.tolist() == [
        ["Lumen", 3, "Expires", "soon"],
        ["Stride", 2, "Expires", "never"],
    ]


@pytest.mark.parametrize("header", ["Tab", "Row", "Health", "Issues", "Days left"])
def test_a_team_column_named_like_a_product_column_stays_the_teams(header):
    """A 'Tab' column once switched on the merged-tabs logic; 'Row' and 'Health' were silently lost."""
    norm = normalize([["Creator", "Expires", header], ["amy", "2026-12-01", "Week 1"], ["bob", "soon", "Week 2"]])
    frame = norm.frame
    assert frame["row"].tolist() == [2, 3]  # numbered by the sheet, not by the team's column
    assert "tab" not in frame.columns and "tab" not in norm.problems.columns
    kept = [c for c in frame.columns if c.startswith(header_key(header) + "_")]
    assert len(kept) == 1 and frame[kept[0]].tolist() == ["Week 1", "Week 2"]
    assert norm.headers[kept[0]] == header
    assert norm.problems[["row", "column", "value"]].values.tolist() == [[3, "Expires", "soon"]]
    judged = diagnose(frame, TODAY)
    assert sorted(judged[kept[0]]) == ["Week 1", "Week 2"]


def test_the_reserved_headers_fold_to_the_reserved_keys():
    assert {header_key(TAB_HEADER), header_key(SHEET_ROW_HEADER)} == RESERVED_HEADER_KEYS


def test_a_sheets_own_sheet_row_column_is_just_a_column():
    """Only Sparkwatch's reserved column renumbers rows; a team's 'Sheet row' (or our own CSV export) does not."""
    norm = normalize([["Creator", "Sheet row"], ["amy", "1"], ["bob", "40"]])
    assert norm.frame["row"].tolist() == [2, 3]
    assert norm.frame["sheet_row"].tolist() == ["1", "40"]


# --- words real teams and TikTok use (issue 10) -------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # TikTok's own ad_auth_status values, as an API export writes them.
        ("AUTHORIZED", "active"),
        ("authorized", "active"),
        ("EXPIRED", "expired"),
        # /business/post/authorize/status/ answers.
        ("IN_USE", "active"),
        ("NOT_USED", "pending"),
        ("DELETED", "revoked"),
        # Words seen in agency trackers and KOL lists.
        ("bound", "active"),
        ("used", "active"),
        ("in use", "active"),
        ("paid", "active"),
        ("Spark Code Received", "pending"),
        ("Identified", "pending"),
        ("READY", "pending"),
        ("posted", "pending"),
        ("failed", "rejected"),
        ("INVALID", "rejected"),
        ("Rejected", "rejected"),
    ],
)
def test_status_words_teams_and_tiktok_use(text, status):
    norm = one_row(["Creator", "Status"], ["amy", text])
    assert norm.frame.loc[0, "status"] == status
    assert norm.problems.empty


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("60-day", 60),
        ("30_days", 30),
        ("1 year (365 days)", 365),
        ("30 days paid usage", 30),
        ("Organic (30 days)", 30),
        ("1,095", 1095),
        ("30 días", 30),
        ("30 dias", 30),
        ("30 jours", 30),
        ("30 Tage", 30),
        ("30 hari", 30),
        ("1 año", 365),
        ("2 semanas", 14),
        ("6 bulan", 180),
    ],
)
def test_duration_words_teams_use(text, days):
    norm = one_row(["Creator", "Duration (days)"], ["amy", text])
    assert norm.frame.loc[0, "duration_days"] == days
    assert norm.problems.empty


@pytest.mark.parametrize("text", ["unlimited", "Lifetime", "forever", "no expiry", "ilimitado", "unbegrenzt"])
def test_unlimited_durations_mean_no_end_date(text):
    norm = one_row(["Creator", "Duration"], ["amy", text])
    row = norm.frame.loc[0]
    assert pd.isna(row["duration_days"])
    assert bool(row["no_end"]) is True
    assert norm.problems.empty


def test_a_number_inside_other_words_is_not_a_duration():
    norm = one_row(["Creator", "Duration"], ["amy", "post 2 of 3"])
    assert pd.isna(norm.frame.loc[0, "duration_days"])
    assert norm.problems["column"].tolist() == ["Duration"]


def test_an_unknown_word_is_one_problem_naming_every_row_it_is_on():
    norm = normalize([["Creator", "Status"], *[["amy", "paused"]] * 8, ["bob", "on hold"]])
    assert norm.problems[["row", "value"]].values.tolist() == [[2, "paused"], [10, "on hold"]]
    assert norm.problems.loc[0, "problem"].endswith("(also on rows 3, 4, 5, 6, 7 and 2 more rows)")
    assert "also" not in norm.problems.loc[1, "problem"]


@pytest.mark.timeout(30)
def test_a_wide_sheet_costs_time_linear_in_its_columns():
    """8,000 columns took minutes when columns were added one by one; the limit is the server's, not speed."""
    width = 8000
    header = ["Creator", *(f"Extra {i}" for i in range(width))]
    rows = [[f"amy{r}", *(f"v{r}-{i}" for i in range(width))] for r in range(20)]
    frame = normalize([header, *rows]).frame
    assert frame.shape[0] == 20
    assert frame.loc[19, "extra_7999"] == "v19-7999"


# --- real teams' sheets (issue 10) ----------------------------------------------

SPARK = "#" + "Ab3+" * 15 + "xyz="  # the real shape: '#', 63 characters, '='


def test_a_day_first_sheet_reads_day_first_from_its_own_evidence():
    norm = normalize([["Creator", "Expiry"], ["amy", "02/12/2026"], ["bob", "19/11/2026"]])
    assert norm.frame["expires_on"].tolist() == [pd.Timestamp("2026-12-02"), pd.Timestamp("2026-11-19")]
    assert norm.problems.empty


def test_a_month_first_sheet_reads_month_first_from_its_own_evidence():
    norm = normalize([["Creator", "Expiry"], ["amy", "02/12/2026"], ["bob", "11/19/2026"]])
    assert norm.frame["expires_on"].tolist() == [pd.Timestamp("2026-02-12"), pd.Timestamp("2026-11-19")]
    assert norm.problems.empty


def test_another_date_column_is_evidence_for_the_sheet():
    norm = normalize([["Creator", "Authorized on", "Expiry"], ["amy", "19/10/2026", "02/12/2026"]])
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-12-02")
    assert norm.problems.empty


def test_an_ambiguous_column_is_read_month_first_and_listed_once():
    norm = normalize([["Creator", "Expiry"], ["amy", "02/12/2026"], ["bob", "03/12/2026"], ["cat", "04/12/2026"]])
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-02-12")
    assert norm.problems[["row", "column", "value"]].values.tolist() == [[2, "Expiry", "02/12/2026"]]
    problem = norm.problems.loc[0, "problem"]
    assert "month first" in problem and "was read as 12 Feb 2026" in problem and "date_order" in problem


def test_the_teams_date_order_decides_an_ambiguous_column_without_a_problem():
    norm = normalize([["Creator", "Expiry"], ["amy", "02/12/2026"]], date_order="DMY")
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-12-02")
    assert norm.problems.empty


def test_the_spreadsheets_locale_is_a_hint_that_is_said_out_loud():
    norm = normalize([["Creator", "Expiry"], ["amy", "02/12/2026"]], sheet_locale="fr_FR")
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-12-02")
    assert "fr_FR" in norm.problems.loc[0, "problem"] and "day first" in norm.problems.loc[0, "problem"]


def test_evidence_beats_the_teams_setting():
    norm = normalize([["Creator", "Expiry"], ["amy", "02/12/2026"], ["bob", "11/19/2026"]], date_order="DMY")
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-02-12")


@pytest.mark.parametrize(
    "text",
    ["11/20/2026 14:03:27", "2026-11-20T08:15:00Z", "2026-11-20 08:15:00", "Nov 20th, 2026", "Fri, 20 Nov 2026",
     "20 de noviembre de 2026", "20 novembre 2026", "20. November 2026", "20.11.2026", "20 Nov 26"],
)  # fmt: skip
def test_date_forms_from_forms_tiktok_and_other_languages(text):
    norm = normalize([["Creator", "Expiry"], ["amy", text], ["bob", "19/11/2026"]] if "/" not in text else
                     [["Creator", "Expiry"], ["amy", text]])  # fmt: skip
    assert norm.frame.loc[0, "expires_on"] == pd.Timestamp("2026-11-20")


def test_a_kol_list_whose_data_rows_say_tiktok_keeps_its_header():
    """Before: the first data row became the header, every creator '@tiktok', codes lost, no problem."""
    table = [
        ["Name", "Platform", "Followers", "Spark Ads Code"],
        ["amy.lee", "TikTok", "12k", SPARK],
        ["bob_makes", "TikTok", "3,400", SPARK.replace("Ab3", "Cd4")],
    ]
    norm = normalize(table)
    assert norm.frame["creator"].tolist() == ["@amy.lee", "@bob_makes"]
    assert norm.frame["code"].notna().all()
    assert "creator ← 'Name'" in norm.columns_note and "'Platform'" in norm.columns_note


def test_a_kol_list_of_peoples_names_says_there_is_no_creator_column():
    table = [["Name", "Platform", "Spark Ads Code"], ["Amy Lee", "TikTok", SPARK]]
    with pytest.raises(SourceError, match="no creator column"):
        normalize(table)


def test_a_title_saying_tiktok_above_a_good_header_is_skipped():
    norm = normalize([["TikTok"], ["Creator", "Spark code"], ["amy", SPARK]])
    assert norm.frame["creator"].tolist() == ["@amy"]
    assert norm.frame["row"].tolist() == [3]


@pytest.mark.parametrize(
    ("header", "canonical"),
    [("creator_username", "creator"), ("TT Handle", "creator"), ("Username TikTok", "creator"),
     ("TikTok Link", "post_url"), ("Link Video TikTok", "post_url"), ("item_id", "post_id"),
     ("auth_end_time", "expires_on"), ("auth_start_time", "authorized_on"), ("valid_until", "expires_on"),
     ("Spark authorization code", "code"), ("usage_rights_days", "duration_days"), ("Código", "code")],
)  # fmt: skip
def test_real_header_names_are_understood(header, canonical):
    columns = [header] if canonical == "creator" else ["Creator", header]
    norm = normalize([columns, ["amy", ""][: len(columns)]])
    assert norm.headers[canonical] == header


def test_accented_and_non_latin_headers_keep_their_letters():
    norm = normalize([["Creator", "Catégorie", "分类"], ["amy", "x", "y"]])
    assert {"categorie", "分类"} <= set(norm.frame.columns)


@pytest.mark.parametrize(
    "written",
    [SPARK + "\u200b", "\ufeff" + SPARK, "＃" + SPARK[1:], SPARK[:30] + "\n" + SPARK[30:], "Ad code: " + SPARK],
)
def test_a_good_code_as_it_arrives_is_read_as_that_code(written):
    norm = normalize([["Creator", "Spark code"], ["amy", written]])
    assert norm.frame.loc[0, "code"] == SPARK
    assert norm.problems.empty


@pytest.mark.parametrize(
    ("written", "words"),
    [(SPARK[:40], "cut"), ("#TikTokMadeMeBuyIt", "hashtag"), ("#7670315704591174943", "post"),
     ("#" + "A" * 63 + "=", ""), (SPARK + " " + SPARK.replace("Ab3", "Zz9"), "more than one")],
)  # fmt: skip
def test_a_damaged_code_is_a_problem_saying_how_without_showing_it(written, words):
    norm = normalize([["Creator", "Spark code"], ["amy", written]])
    (problem,) = norm.problems.to_dict("records")
    assert problem["column"] == "Spark code" and words in problem["problem"].lower()
    assert written not in problem["value"] or len(written) < 20


def test_codes_in_other_spellings_are_masked_in_free_text():
    spellings = [SPARK[1:], SPARK.replace("#", "%23").replace("+", "%2B"), "＃" + SPARK[1:]]
    norm = normalize([["Creator", "Notes"], *[["amy", f"code {s} sent"] for s in spellings]])
    for note in norm.frame["notes"]:
        assert SPARK[1:20] not in note


def test_a_profile_link_in_the_creator_column_is_the_handle():
    norm = normalize([["Creator"], ["https://www.tiktok.com/@Amy.Cooks?lang=en"]])
    assert norm.frame.loc[0, "creator"] == "@amy.cooks"


@pytest.mark.parametrize("rows", [[["Handle"]], [["Handle"], ["0"]], [["Handle"], ["@amy"]]])
def test_a_row_under_the_header_that_reads_like_a_header_is_still_a_row(rows):
    """Found by the property test: 'Handle' under 'Creator' was taken for the header, and its row lost."""
    norm = normalize([["Creator"], *rows])
    assert [2, "@handle"] in norm.frame[["row", "creator"]].values.tolist()
    assert set(norm.frame["row"]) | set(norm.problems["row"]) == set(range(2, 2 + len(rows)))


# --- a sheet held as columns ------------------------------------------------------------------
#
# A CSV read in bulk reaches `normalize` as columns (`lib.columnar.ColumnTable`) instead of rows.
# Whatever the sheet, the result must be the one the same table as rows gives.

SHEET_HEADERS = ["Creator", "TikTok handle", "Post URL", "Spark code", "Authorized on", "Duration", "Expiry", "Status"]
SHEET_HEADERS += ["Campaign end", "Visibility", "Ad delivery", "Notes", "Sheet row", "Tab", "", "  ", "Owner"]
SHEET_CELLS = ["", " ", "  ", "@amy", " AMY ", "bob", "https://www.tiktok.com/@amy/video/12", CODE, CODE[1:], "#abc"]
SHEET_CELLS += ["2026-11-22", "02/12/2026", "19/11/2026", "11/19/2026", "46000", "30", "30 days", "1 year", "soon"]
SHEET_CELLS += ["active", "Active ", "REVOKED", "paused", "public", "yes", "maybe", "7", "Tracker", "note\nwith lines"]


@st.composite
def sheets_as_csv(draw) -> bytes:
    """A sheet with a title row or two, a header, then rows of cells teams write (blank ones included)."""
    header = draw(st.lists(st.sampled_from(SHEET_HEADERS), min_size=1, max_size=8))
    titles = draw(st.lists(st.lists(st.sampled_from(["Tracker", "", "ask Maya"]), max_size=3), max_size=2))
    body = draw(st.lists(st.lists(st.sampled_from(SHEET_CELLS), max_size=len(header) + 2), max_size=25))
    rows = [*titles, header, *body]
    width = max(map(len, rows))
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows(
        r + [""] * (width - len(r)) for r in rows
    )
    return out.getvalue().encode("utf-8")


def normalized_or_error(table):
    try:
        return normalize(table)
    except SourceError as error:
        return str(error)


@given(sheets_as_csv())
def test_a_sheet_held_as_columns_normalizes_as_the_same_sheet_held_as_rows(data):
    table = read_csv_columns(data)
    assume(isinstance(table, ColumnTable))
    rows = table.rows()
    assert rows == read_csv(data)
    width = max(map(len, rows), default=0)
    for column in range(width + 1):  # past the widest row too: all empty
        padded = pd.Series([r[column] if column < len(r) else "" for r in rows[1:]], dtype=object)
        codes, uniques = table.distinct(column, 1)
        expected_codes, expected = pd.factorize(padded)
        assert codes.tolist() == expected_codes.tolist() and uniques.to_pylist() == list(expected)
    by_columns, by_rows = normalized_or_error(table), normalized_or_error(rows)
    if isinstance(by_rows, str):
        assert by_columns == by_rows
        return
    assert not isinstance(by_columns, str), by_columns
    pd.testing.assert_frame_equal(by_columns.frame, by_rows.frame)
    pd.testing.assert_frame_equal(by_columns.problems, by_rows.problems)
    assert (by_columns.headers, by_columns.columns) == (by_rows.headers, by_rows.columns)


def test_a_sheet_held_as_columns_keeps_its_sheet_row_numbers_and_drops_trailing_blanks():
    data = b"Tracker,,\r\n,,\r\nCreator,Code,\r\n@amy,A1,  \r\n,,\r\n@bob,B2,\r\n,,\r\n"
    table = read_csv_columns(data)
    assert isinstance(table, ColumnTable)
    assert table.rows() == [["Tracker"], [], ["Creator", "Code"], ["@amy", "A1"], [], ["@bob", "B2"]]
    assert normalize(table).frame["row"].tolist() == [4, 6]
    with pytest.raises(SourceError, match="The sheet is empty"):
        normalize(read_csv_columns(b",,\r\n  ,\r\n"))


# --- problems found once per distinct text, reported at every row -----------------------------

PROBLEM_POOLS = {
    "Creator": ["@amy", "", " ", "bob"],
    "Post URL": ["https://www.tiktok.com/@amy/video/1", "", "https://tiktok.com/@bob/video/2"],
    "Spark code": [CODE, "", CODE[:40], "#hashtag", CODE[1:]],
    "Status": ["active", "paused", "", "on hold", "REVOKED"],
    "Duration": ["30", "soon", "", "9999", "30 days"],
    TAB_HEADER: ["Q1", "Q2"],  # a merged sheet's tab: a word is said once per value and tab
}


@given(st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in PROBLEM_POOLS.items()}), max_size=12))
def test_every_row_with_a_bad_cell_is_reported_as_a_sheet_of_that_row_alone_reports_it(rows):
    """Cells are judged once per distinct text: the problems must still be each row's own."""
    header = list(PROBLEM_POOLS)
    table = [header, *([r[h] for h in header] for r in rows)]
    problems = normalize(table).problems
    for number, row in enumerate(rows, start=2):
        if not any(str(v).strip() for k, v in row.items() if k != TAB_HEADER):
            continue  # a blank row (its tab aside) is no row
        alone = normalize([header, [row[h] for h in header]]).problems
        for _, expected in alone.iterrows():
            found = problems[(problems["column"] == expected["column"]) & (problems["value"] == expected["value"])]
            if expected["problem"].startswith(("Unknown", "Write yes")):  # said once per value and tab
                same_tab = found[found[TAB] == row[TAB_HEADER]]
                assert len(same_tab) == 1
                assert (
                    same_tab["row"].iloc[0] == number
                    or f" {number}" in same_tab["problem"].iloc[0]
                    or "more row" in same_tab["problem"].iloc[0]
                )
            else:
                assert number in found["row"].tolist(), (number, expected.to_dict())
    assert len(problems) == len(problems.drop_duplicates(["row", "column", "problem"]))


def test_the_pyarrow_whitespace_pattern_is_pythons():
    """Handles lose their spaces on pyarrow's regex engine, with Python's idea of a space (str.isspace)."""
    every_space = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    not_spaces = "".join(chr(c) for c in range(0x3100) if not chr(c).isspace() and not 0xD800 <= c <= 0xDFFF)
    assert _without_spaces(pd.Series([every_space, not_spaces], dtype="string")).tolist() == ["", not_spaces]


@given(
    st.lists(
        st.none() | st.text(st.sampled_from(["a", "@", "é", " ", "\t", "\x0b", "\x1c", "\xa0", "\u2028", "\u3000"]))
    )
)
def test_without_spaces_is_what_a_python_regex_gives(values):
    text = pd.Series(values, dtype="string")
    pd.testing.assert_series_equal(_without_spaces(text), text.str.replace(r"\s+", "", regex=True))
