"""The table, the action list, the CSV download and the fix list, on real frames and real CSV bytes."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from lib import exports
from lib.columns import SHEET_ROW_HEADER, TAB_HEADER
from lib.diagnose import diagnose, needs_action
from lib.normalize import normalize
from lib.rules import RULES
from lib.vocab import HEALTH
from tests.fakes.tracking_sheet import TODAY, day, judged

CODE = "#" + ("A1b2C3d4E5f6G7h8" * 4)[:63] + "="


@pytest.fixture
def demo(_demo_read, demo_diagnosed):
    return _demo_read[0], demo_diagnosed


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"))))


def test_table_is_in_plain_words_with_codes_masked(demo):
    _, diagnosed = demo
    table = exports.table(diagnosed)
    assert len(table) == len(diagnosed)
    assert table["Sheet row"].tolist() == diagnosed["row"].tolist()  # most urgent first, kept
    full_codes = set(diagnosed["code"].dropna())
    assert not full_codes & set(table.astype(str).stack())
    assert table["Code"].dropna().str.contains("••••").all()
    assert {label for labels in table["Health"] for label in labels} <= {h.label for h in HEALTH.values()}
    labels = {label for labels in table["Problems"] for label in labels}
    assert labels <= {i.label for i in RULES.values()}
    assert not labels & set(RULES)  # never a raw issue id
    assert pd.api.types.is_datetime64_any_dtype(table["Expires"])
    assert str(table["Days left"].dtype) == "Int64"


def test_next_actions_start_with_the_first_issue_and_name_everyone_involved(demo):
    _, diagnosed = demo
    table = exports.table(diagnosed).set_index("Sheet row")

    def row_with(issue_id: str) -> int:
        return diagnosed.loc[diagnosed["issues"].map(lambda ids: issue_id in ids), "row"].iloc[0]

    expired = table.loc[row_with("code_expired")]
    assert expired["What to do"] == RULES["code_expired"].steps[0]
    assert expired["Who"] == "Creator, Advertiser"
    assert table.loc[row_with("custom_identity"), "Who"].endswith("Media buyer")
    assert table.loc[row_with("bc_not_shared"), "Who"] == "Org admin"
    unknown = diagnosed.loc[diagnosed["health"] == "unknown", "row"].iloc[0]
    assert table.loc[unknown, "Who"] == "Your team"  # expiry unknown: the team fixes the sheet
    assert table.loc[unknown, "What to do"].startswith("Write the expiry date")
    ok = diagnosed.loc[(diagnosed["health"] == "ok") & (diagnosed["issues"].str.len() == 0), "row"].iloc[0]
    assert table.loc[ok, "What to do"] == "Nothing to do."


@pytest.mark.parametrize(
    ("cells", "unblocks"),
    [
        ({"Identity": "custom"}, "Open the ad in Ads Manager and go to the Identity section."),
        ({"Visibility": "friends only"}, "Ask the creator to set the post's privacy to Everyone in the TikTok app."),
        ({"Code": "#Xk29fQ 7pL"}, "Ask the creator to copy the code again from the post's Ad settings"),
    ],
)
def test_a_blocked_row_leads_with_the_fix_that_unblocks_the_ad(cells, unblocks):
    """Ending before the campaign does can wait; what stops the ad today cannot (demo rows 9, 10, 12)."""
    rows = judged({"Expires": day(20), "Campaign end": day(45), **cells}, today=TODAY)
    assert rows["health"].tolist() == ["blocked"]
    assert len(rows["issues"].iloc[0]) == 2  # the blocking issue and the early end
    first = exports.table(rows).iloc[0]
    assert first["What to do"].startswith(unblocks)
    assert first["Problems"][-1] == "Ends before the campaign does"


def test_who_lists_each_role_once_in_the_vocabularys_order(today):
    table = [
        ["Creator", "Spark code", "Expires", "Campaign end", "Identity", "Visibility"],
        ["a", CODE, "2026-11-20", "2026-12-30", "custom", "private"],
    ]
    (who,) = exports.table(diagnose(normalize(table).frame, today))["Who"]
    # expired (creator, advertiser) + ends before campaign (creator) + private (creator) + custom (media buyer)
    assert who == "Creator, Advertiser, Media buyer"


def test_action_list_is_the_rows_needing_action_with_what_and_who(demo):
    _, diagnosed = demo
    actions = exports.action_list(needs_action(diagnosed))
    assert list(actions.columns) == list(exports.ACTION_COLUMNS)
    assert len(actions) == len(needs_action(diagnosed))
    assert actions["What to do"].ne("").all()


def test_link_is_only_for_web_addresses(today):
    table = [
        ["Creator", "Post URL"],
        ["a", "https://www.tiktok.com/@a/video/1"],
        ["b", "javascript:alert(1)"],
        ["c", "7301000000000000001"],
    ]
    frame = diagnose(normalize(table).frame, today).sort_values("row")
    links = exports.table(frame)["Link"].tolist()
    assert links[0] == "https://www.tiktok.com/@a/video/1"
    assert pd.isna(links[1]) and pd.isna(links[2])


def test_csv_neutralises_formulas_but_not_numbers_dates_or_codes(today):
    table = [
        ["Creator", "Post URL", "Spark code", "Campaign", "Brand", "Owner", "Notes", "Expires"],
        ["=cmd", "https://x.test/v/1", CODE, "+SUM(A1)", "-2+3", "@boss", '=HYPERLINK("http://x.test")', "2026-11-19"],
        ["plain", "https://x.test/v/2", "", "Run Club", "Brand", "Maya", "Code was " + CODE, "2026-12-30"],
    ]
    frame = diagnose(normalize(table).frame, today).sort_values("row")
    rows = read_csv(exports.csv_bytes(exports.table(frame)))
    first, second = rows
    assert first["Creator"] == "'@=cmd"
    assert first["Campaign"] == "'+SUM(A1)"
    assert first["Brand"] == "'-2+3"
    assert first["Owner"] == "@boss"  # a handle, not a formula: left as the sheet has it
    assert first["Notes"] == '\'=HYPERLINK("http://x.test")'
    assert first["Days left"] == "-3"  # a number, not text
    assert first["Expires"] == "2026-11-19"
    assert first["Code"] == CODE[:4] + "••••" + CODE[-4:]
    assert first["Health"] == "Expired"
    assert first["Problems"] == "Code expired"
    assert second["Campaign"] == "Run Club"
    assert CODE not in second["Notes"] and "••••" in second["Notes"]
    assert all(value is not None for row in rows for value in row.values())


def test_csv_of_no_rows_is_just_the_header(demo):
    _, diagnosed = demo
    rows = exports.csv_bytes(exports.table(diagnosed.iloc[:0]))
    assert list(csv.reader(io.StringIO(rows.decode("utf-8-sig")))) == [list(exports.table(diagnosed.iloc[:0]).columns)]


def test_neutralise_leaves_safe_text_and_non_text_alone():
    frame = pd.DataFrame({"text": ["ok", "=1+1", None, "\tx", "\rx", "a=b"], "n": [-1, 2, 3, 4, 5, 6]})
    out = exports.neutralise(frame)
    assert out["text"].tolist()[:2] == ["ok", "'=1+1"]
    assert pd.isna(out["text"].iloc[2])
    assert out["text"].tolist()[3:] == ["'\tx", "'\rx", "a=b"]
    assert out["n"].tolist() == [-1, 2, 3, 4, 5, 6]


def test_fix_list_names_sheet_row_column_value_and_problem(demo):
    normalized, _ = demo
    fixes = exports.fix_list(normalized.problems)
    assert list(fixes.columns) == ["Sheet row", "Column", "Value", "What is wrong"]
    assert fixes["Sheet row"].tolist() == normalized.problems["row"].tolist()
    bad_date = fixes.loc[fixes["Column"] == "Authorized on"].iloc[0]
    assert bad_date["Value"] == "31/31/2026"
    assert bad_date["What is wrong"].startswith("There is no such day")


def test_fix_list_of_a_merged_sheet_says_which_tab_each_row_is_in():
    # Row numbers repeat across tabs: without the tab, 'row 2' could be in any of them.
    table = [
        [TAB_HEADER, "Creator", "Expires", SHEET_ROW_HEADER],
        ["Lumen", "a", "soon", "2"],
        ["Stride", "b", "later", "2"],
    ]
    fixes = exports.fix_list(normalize(table).problems)
    assert list(fixes.columns) == ["Tab", "Sheet row", "Column", "Value", "What is wrong"]
    assert fixes[["Tab", "Sheet row", "Value"]].values.tolist() == [["Lumen", 2, "soon"], ["Stride", 2, "later"]]


def test_fix_list_masks_a_code_pasted_into_a_bad_cell(today):
    table = [["Creator", "Expires"], ["a", CODE]]
    fixes = exports.fix_list(normalize(table).problems)
    assert CODE not in fixes["Value"].iloc[0]
    assert fixes["Value"].iloc[0] == CODE[:4] + "••••" + CODE[-4:]


# --------------------------------------------------------------------------- CSV against hostile cells

DDE = "=cmd|' /C calc'!A0"
# What a spreadsheet runs: a formula start at the beginning of anything it reads as a cell, after
# spaces and invisible characters too; `@` followed by anything but a handle's letters.
LIVE = re.compile(r"^[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff]*(?:[=+\-＝＋－＠]|@(?![A-Za-z0-9._]+$))")


def hostile_csv(today) -> tuple[pd.DataFrame, bytes]:
    table = [
        ["Creator", "Campaign", "Brand", "Owner", "Notes", "Post URL", "Expires"],
        [
            "amy.cooks",
            "Run\r" + DDE,
            "a;" + DDE,
            "x\t" + DDE,
            "ok\n" + DDE,
            "＝1+1",
            "2026-12-30",
        ],
        ["bob_2", "\x07 =1+1", "\u200b+SUM(A1)", "＋cmd", "－1", "＠SUM(A1)", "2026-12-30"],
        ["cy", "@SUM(A1:A9)", "@cmd|' /C calc'!A0", "@A1", 'a,b;c"d"', "\x00=1", "2026-12-30"],
    ]
    frame = diagnose(normalize(table).frame, today).sort_values("row")
    return frame, exports.csv_bytes(exports.table(frame))


def test_csv_cell_line_breaks_tabs_and_semicolons_stay_inside_their_cell(today):
    """A lone CR used to be written unquoted: spreadsheets started a new row with a live formula."""
    frame, data = hostile_csv(today)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(frame)  # the header, then exactly one row per authorization
    header, *body = rows
    assert all(len(row) == len(header) for row in body)
    cells = [dict(zip(header, row, strict=True)) for row in body]
    amy, bob, cy = cells
    assert amy["Campaign"] == "Run\n'" + DDE  # the break stays in the cell; what follows it is inert
    assert amy["Brand"] == "a;'" + DDE
    assert amy["Owner"] == "x\t'" + DDE
    assert amy["Notes"] == "ok\n'" + DDE
    assert cy["Notes"] == 'a,b;c"d"'
    # Every text field is quoted, so no reader splits it at `;`, `,`, a tab or a line break.
    for line in text.split("\r\n")[1:]:
        if line:
            assert re.match(r'^\d+,"', line), line


def test_csv_opened_with_a_semicolon_separator_shows_no_live_formula(today):
    """Excel in many European locales splits on `;`, not `,`: every piece it could show as a cell is inert."""
    _, data = hostile_csv(today)
    text = data[3:].decode("utf-8")
    for dialect in ({"delimiter": ";"}, {"delimiter": "\t"}, {"delimiter": ","}):
        pieces = [cell for row in csv.reader(io.StringIO(text, newline=""), **dialect) for cell in row]
        assert pieces
        live = [p for p in pieces if LIVE.match(p)]
        assert not live, (dialect, live)


def test_formula_guard_covers_full_width_and_hidden_starts_but_keeps_handles(today):
    frame, data = hostile_csv(today)
    amy, bob, cy = read_csv(data)
    assert amy["Creator"] == "@amy.cooks" and bob["Creator"] == "@bob_2"  # handles are not defaced
    assert amy["Post"] == "'＝1+1"
    assert bob["Campaign"] == "'\x07 =1+1"
    assert bob["Brand"] == "'\u200b+SUM(A1)"
    assert bob["Owner"] == "'＋cmd"
    assert bob["Notes"] == "'－1"
    assert bob["Post"] == "'＠SUM(A1)"
    assert cy["Campaign"] == "'@SUM(A1:A9)"
    assert cy["Brand"] == "'@cmd|' /C calc'!A0"
    assert cy["Owner"] == "'@A1"  # a cell reference, not a handle
    assert exports.neutralise(pd.DataFrame({"t": ["a\n=1;+2\t-3"]}))["t"].iloc[0] == "a\n'=1;'+2\t'-3"
    assert cy["Post"] == "'\x00=1"
    assert cy["Days left"] == str(frame["days_left"].iloc[2])  # numbers stay numbers


@pytest.mark.parametrize(
    ("cell", "guarded"),
    [
        ("@amy.cooks", False),
        ("@amy_2", False),
        ("@x", False),
        ("@", True),
        ("@A1", True),
        ("@ab12", True),
        ("@SUM(A1)", True),
        ("@cmd|' /C calc'!A0", True),
        ("@amy cooks", True),
        ("=1", True),
        ("+1", True),
        ("-1", True),
        (" -1", True),
        ("\t1", True),
        ("\r1", True),
        ("\n1", True),
        ("＝1", True),
        ("＠a", True),
        ("plain", False),
        ("a=b", False),
        ("#pOn••••000=", False),
    ],
)
def test_neutralise_decides_per_cell(cell, guarded):
    (out,) = exports.neutralise(pd.DataFrame({"text": [cell]}))["text"]
    assert out == ("'" + cell if guarded else cell)
