"""The authorizations as people read them: the table on screen, the CSV download, the fix list.

One function (`table`) turns a diagnosed frame into plain columns with plain words: masked
codes, health and problem labels, what to do next and who does it. The page shows it, the
"needs action" list is a slice of it, and the CSV is it again, made safe for spreadsheets:
every text field is quoted (a line break, `;`, `,` or tab inside a cell stays inside it), and
text a spreadsheet would run as a formula (`=`, `+`, `-`, `@SUM(`…, their full-width forms)
gets a leading apostrophe, at the cell's start and wherever a reader could start a cell.
"""

from __future__ import annotations

import csv
import re
from typing import overload

import pandas as pd

from lib.codes import mask_codes, redact_codes_in
from lib.columns import EXPIRES_FROM, FROM_SHEET, FROM_TIKTOK, TAB, TIKTOK_MATCHED_BY
from lib.rules import RULES
from lib.vocab import HEALTH, ROLES, HealthId
from lib.words import iso_dates

ACCESS_LABELS = {"code": "Code", "business_center": "Business Center"}

NO_ISSUE_ACTIONS: dict[HealthId, tuple[str, str]] = {
    HealthId.UNKNOWN: (
        "Write the expiry date (or the date authorized and the duration) in the sheet.",
        "Your team",
    ),
    HealthId.OK: ("Nothing to do.", ""),
}
"""What to do, and who, for a row whose health is not explained by an issue."""

ACTION_COLUMNS: tuple[str, ...] = (
    "Creator", "Health", "What to do", "Who", "Campaign", "Owner", "Days left", "Problems", "Link", "Sheet row",
)  # fmt: skip
"""The 'needs action now' list: a slice of `table`, key columns first (who, what stops, what to do)."""

_HIDDEN = r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff]*"
"""What can stand before a formula without stopping it: spaces, controls, invisible characters."""
_TRIGGERS = "=+\\-@\uff1d\uff0b\uff0d\uff20"
"""`=`, `+`, `-`, `@` and their full-width forms (＝＋－＠), which East Asian Excel reads the same."""
HANDLE = r"@(?!\$?[A-Za-z]{1,3}\$?[0-9]+\Z)[A-Za-z0-9._]+\Z"
"""A whole cell that is one TikTok handle (letters, digits, `.`, `_`), and not a cell name like `@A1`.

A spreadsheet has nothing to run in `@amy.cooks`; `@SUM(`, `@cmd|` and `@A1` are formulas (Lotus
syntax, which Excel still accepts), so only the handle keeps its `@` unguarded.
"""
FORMULA_START = rf"^(?:[\t\r\n]|{_HIDDEN}(?!{HANDLE})[{_TRIGGERS}])"
"""Cells starting like this are run as formulas by spreadsheet programs (tab and CR starts included)."""
_CELL_BREAKS = "\n\r;\t\x0b\x0c\x85\u2028\u2029"
"""Where some reader starts a new cell inside ours: a line break, or `;`/tab in locales that split on them."""
_FORMULA_START_RE = re.compile(FORMULA_START)
_INLINE_HIDDEN = r"[ \u00a0\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u2060\ufeff]*"
"""`_HIDDEN` without the line breaks and tabs, which start a piece of their own."""
_FORMULA_AFTER_BREAK_RE = re.compile(rf"(?<=[{_CELL_BREAKS}])(?={_INLINE_HIDDEN}[{_TRIGGERS}])")

END_DATE_FROM = "End date from"
"""The column that says whose end date `Expires` is, shown when the sheet was checked against TikTok."""
FROM_WORDS = {FROM_TIKTOK: "TikTok", FROM_SHEET: "the sheet"}

_HEALTH_LABELS = {k: h.label for k, h in HEALTH.items()}
_ISSUE_LABELS = {k: i.label for k, i in RULES.items()}
_FIRST_STEPS = {k: i.steps[0] for k, i in RULES.items()}
_ROLE_RANK = {r: n for n, r in enumerate(ROLES)}


def table(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """One row per authorization, in plain words; codes masked; order kept (most urgent first).

    `Health` and `Problems` hold lists of labels (the page shows them as coloured chips;
    the CSV joins them). Dates stay dates so the page can show them as dates. The sheet row
    comes first, so every CSV line starts with a number (whatever separator a spreadsheet
    assumes, no line starts with a handle's '@'); then the columns a person reads first. When
    the frame was checked against TikTok (`lib.reconcile`), `End date from` says beside each
    end date whether it is TikTok's or the sheet's.
    """
    issues = diagnosed["issues"]
    what, who = next_actions(diagnosed)
    post_url = diagnosed["post_url"].astype("string")
    out = pd.DataFrame(
        {
            "Sheet row": diagnosed["row"].astype("int64"),
            "Creator": diagnosed["creator"].astype("string"),
            "Health": diagnosed["health"].map(_HEALTH_LABELS).astype(object).map(lambda label: [label]),
            "What to do": what,
            "Who": who,
            "Campaign": diagnosed["campaign"].astype("string"),
            # A withdrawn code has stopped whatever its end date says: no days are left.
            "Days left": diagnosed["days_left"].astype("Int64").where(diagnosed["health"] != HealthId.REVOKED),
            "Expires": diagnosed["expires"],
            "Owner": diagnosed["owner"].astype("string"),
            "Problems": issues.map(lambda ids: [_ISSUE_LABELS[i] for i in ids]),
            "Brand": diagnosed["brand"].astype("string"),
            "Campaign end": diagnosed["campaign_end"],
            "Authorized on": diagnosed["authorized_on"],
            "Access": diagnosed["access_method"].map(ACCESS_LABELS).astype("string"),
            "Code": mask_codes(diagnosed["code"]),
            "Link": post_url.where(post_url.str.match(r"^https?://", case=False).fillna(False).astype(bool)),
            "Post": diagnosed["post"].astype("string"),
            "Notes": redact_codes_in(diagnosed["notes"]),
        },
        index=diagnosed.index,
    )
    if TIKTOK_MATCHED_BY in diagnosed and EXPIRES_FROM in diagnosed:
        # Checked against TikTok: say, beside each end date, whether TikTok or the sheet gave it.
        words = diagnosed[EXPIRES_FROM].astype("string").map(FROM_WORDS).astype("string")
        out.insert(list(out.columns).index("Expires") + 1, END_DATE_FROM, words.where(out["Expires"].notna()))
    return out


def action_list(diagnosed_needing_action: pd.DataFrame) -> pd.DataFrame:
    """The 'needs action now' list: who, what is wrong, what to do, for rows already chosen."""
    return table(diagnosed_needing_action).loc[:, list(ACTION_COLUMNS)]


def next_actions(diagnosed: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per row: the first step for its most important issue, and everyone who has a part in the fix.

    A row's issues come highest priority first (`lib.rules`), so the first is the one that
    unblocks the ad. Rows
    without an issue get the advice for their health state (e.g. a missing expiry date).
    """
    issues = diagnosed["issues"]
    first = issues.str[0]
    fallback = diagnosed["health"].astype("string").map({k: v[0] for k, v in NO_ISSUE_ACTIONS.items()})
    what = first.map(_FIRST_STEPS).fillna(fallback).fillna("").astype("string")

    role_at = issues.explode().dropna().map(lambda i: RULES[i].roles).explode()
    roles = role_at.to_frame("role").assign(rank=role_at.map(_ROLE_RANK)).rename_axis("at").reset_index()
    roles = roles.drop_duplicates(["at", "role"]).sort_values(["at", "rank"], kind="stable")
    roles["label"] = roles["role"].map({k: r.label for k, r in ROLES.items()})
    who = roles.groupby("at")["label"].agg(", ".join).reindex(diagnosed.index)
    no_issue_who = diagnosed["health"].astype("string").map({k: v[1] for k, v in NO_ISSUE_ACTIONS.items()})
    who = who.fillna(no_issue_who).fillna("").astype("string")
    return what, who


def fix_list(problems: pd.DataFrame) -> pd.DataFrame:
    """The cells a person has to correct in the sheet: row, column, value, what is wrong.

    A sheet merged from several tabs numbers rows within each tab, so its list starts with the tab.
    """
    tab = {"Tab": problems[TAB].astype("string")} if TAB in problems.columns else {}
    return pd.DataFrame(
        {
            **tab,
            "Sheet row": problems["row"].astype("int64"),
            "Column": problems["column"].astype("string"),
            "Value": redact_codes_in(problems["value"]),
            "What is wrong": problems["problem"].astype("string"),
        }
    ).reset_index(drop=True)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where no text cell holds anything a spreadsheet would run as a formula.

    A cell that starts like a formula (see `FORMULA_START`) gets a leading `'`, which every
    spreadsheet reads as 'this is text' and does not show. So does a formula start right after a
    line break, `;` or tab inside a cell: a spreadsheet that splits there (a `;` locale, a paste
    as tab-separated text, a reader that ends the row at a line break) would otherwise see a
    new cell starting with it. A cell that is just a handle (`@amy.cooks`) is left as it is.
    Numbers and dates are left alone: they are written as values, not as text. A masked
    code starts with `#`, so codes pass through unchanged.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        out[column] = values.astype("string").map(_guard, na_action="ignore").astype("string")
    return out


def _guard(text: str) -> str:
    """One cell with an apostrophe before every formula start a spreadsheet could see in it."""
    if any(c in text for c in _CELL_BREAKS):
        text = _FORMULA_AFTER_BREAK_RE.sub("'", text)
    return "'" + text if _FORMULA_START_RE.match(text) else text


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV that Excel and Sheets open safely and in the right encoding.

    Lists become '; '-joined text, dates become YYYY-MM-DD, risky text is neutralised, and
    the bytes start with a UTF-8 byte-order mark so Excel reads accents and emoji right.
    Every text field is quoted (numbers are not, so they stay numbers): a `;`, `,`, tab, quote
    or line break inside a cell stays in that cell whichever separator the reader expects. A
    line break inside a cell is written as LF (a lone CR, which some readers end a row at even
    inside quotes, becomes LF too); rows end with CRLF as RFC 4180 says.
    """
    flat = frame.copy()
    for column in flat.columns:
        values = flat[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            flat[column] = iso_dates(values)
        elif values.dtype == object and values.map(lambda v: isinstance(v, list)).any():
            flat[column] = values.map(lambda v: "; ".join(v) if isinstance(v, list) else v)
        if not pd.api.types.is_numeric_dtype(flat[column]):
            text = flat[column].astype("string")
            flat[column] = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    safe = neutralise(flat)
    return safe.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n").encode("utf-8-sig")


_LINE_BREAKS_RE = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
"""Tabs and everything `str.splitlines` breaks a line at."""
_OTHER_CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
"""The remaining C0 and C1 controls, and DEL."""


@overload
def one_line(text: str) -> str: ...
@overload
def one_line(text: None) -> None: ...
def one_line(text: str | None) -> str | None:
    """Cell text made safe to place on one line of any output: calendar, chat message, terminal.

    A cell can hold anything a person or a script pasted: line breaks (which would start a new
    line, or a new row, where the product writes one line), and control characters (a terminal
    runs `ESC [2J` as 'clear the screen'; a calendar file must not contain them at all). Line
    breaks and tabs become one space; every other C0/C1 control is dropped. What is left is the
    text as people read it. Anything that is not a string (a missing cell) is returned as is.
    """
    if not isinstance(text, str):
        return text
    return _LINE_BREAKS_RE.sub(" ", _OTHER_CONTROLS_RE.sub("", text)).strip()


_BREAKS_BUT_NEWLINE_RE = re.compile(r"[\t\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def printable(text: str) -> str:
    """Text the product assembled, safe to print: its own newlines kept, no other control at all.

    The last pass over what the command line prints or a chat message says, after each cell
    went through `one_line`: whatever still holds a control character (a file name, an error
    text quoting a cell) cannot clear a screen, fake a link or write the clipboard.
    """
    return _BREAKS_BUT_NEWLINE_RE.sub(" ", _OTHER_CONTROLS_RE.sub("", text))
