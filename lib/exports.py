"""The authorizations as people read them: the table on screen, the CSV download, the fix list.

One function (`table`) turns a diagnosed frame into plain columns with plain words: masked
codes, health and problem labels, what to do next and who does it. The page shows it, the
"needs action" list is a slice of it, and the CSV is it again, made safe for spreadsheets
(a cell starting with `=`, `+`, `-` or `@` would run as a formula when opened in Excel or
Sheets, so it gets a leading apostrophe).
"""

from __future__ import annotations

import re

import pandas as pd

from lib.codes import CODE_PATTERN, mask_code, mask_codes
from lib.vocab import HEALTH, ISSUES, ROLES

ACCESS_LABELS = {"code": "Code", "business_center": "Business Center"}

NO_ISSUE_ACTIONS: dict[str, tuple[str, str]] = {
    "unknown": (
        "Write the expiry date (or the date authorized and the duration) in the sheet.",
        "Your team",
    ),
    "ok": ("Nothing to do.", ""),
}
"""What to do, and who, for a row whose health is not explained by an issue."""

ACTION_COLUMNS: tuple[str, ...] = (
    "Sheet row",
    "Creator",
    "Health",
    "Days left",
    "Problems",
    "What to do",
    "Who",
    "Campaign",
    "Link",
)
"""The 'needs action now' list: a slice of `table`."""

FORMULA_START = r"^[=+\-@\t\r]"
"""Cells starting like this are run as formulas by spreadsheet programs."""

_HEALTH_LABELS = {k: h.label for k, h in HEALTH.items()}
_ISSUE_LABELS = {k: i.label for k, i in ISSUES.items()}
_FIRST_STEPS = {k: i.steps[0] for k, i in ISSUES.items()}
_ROLE_RANK = {r: n for n, r in enumerate(ROLES)}


def table(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """One row per authorization, in plain words; codes masked; order kept (most urgent first).

    `Health` and `Problems` hold lists of labels (the page shows them as coloured chips;
    the CSV joins them). Dates stay dates so the page can show them as dates.
    """
    issues = diagnosed["issues"]
    what, who = next_actions(diagnosed)
    post_url = diagnosed["post_url"].astype("string")
    return pd.DataFrame(
        {
            "Sheet row": diagnosed["row"].astype("int64"),
            "Creator": diagnosed["creator"].astype("string"),
            "Health": diagnosed["health"].map(_HEALTH_LABELS).astype(object).map(lambda label: [label]),
            "Days left": diagnosed["days_left"].astype("Int64"),
            "Expires": diagnosed["expires"],
            "Problems": issues.map(lambda ids: [_ISSUE_LABELS[i] for i in ids]),
            "What to do": what,
            "Who": who,
            "Campaign": diagnosed["campaign"].astype("string"),
            "Brand": diagnosed["brand"].astype("string"),
            "Owner": diagnosed["owner"].astype("string"),
            "Campaign end": diagnosed["campaign_end"],
            "Authorized on": diagnosed["authorized_on"],
            "Access": diagnosed["access_method"].map(ACCESS_LABELS).astype("string"),
            "Code": mask_codes(diagnosed["code"]),
            "Link": post_url.where(post_url.str.match(r"^https?://", case=False).fillna(False).astype(bool)),
            "Post": diagnosed["post"].astype("string"),
            "Notes": _redact(diagnosed["notes"]),
        },
        index=diagnosed.index,
    )


def action_list(diagnosed_needing_action: pd.DataFrame) -> pd.DataFrame:
    """The 'needs action now' list: who, what is wrong, what to do, for rows already chosen."""
    return table(diagnosed_needing_action).loc[:, list(ACTION_COLUMNS)]


def next_actions(diagnosed: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per row: the first step for its most important issue, and everyone who has a part in the fix.

    Issues come in the vocabulary's order, so the first is the one to start with. Rows
    without an issue get the advice for their health state (e.g. a missing expiry date).
    """
    issues = diagnosed["issues"]
    first = issues.str[0]
    fallback = diagnosed["health"].astype("string").map({k: v[0] for k, v in NO_ISSUE_ACTIONS.items()})
    what = first.map(_FIRST_STEPS).fillna(fallback).fillna("").astype("string")

    roles = issues.explode().dropna().map(lambda i: ISSUES[i].roles).explode()
    roles = roles.to_frame("role").assign(rank=roles.map(_ROLE_RANK)).rename_axis("at").reset_index()
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
    tab = {"Tab": problems["tab"].astype("string")} if "tab" in problems.columns else {}
    return pd.DataFrame(
        {
            **tab,
            "Sheet row": problems["row"].astype("int64"),
            "Column": problems["column"].astype("string"),
            "Value": _redact(problems["value"]),
            "What is wrong": problems["problem"].astype("string"),
        }
    ).reset_index(drop=True)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell that a spreadsheet would run as a formula starts with `'`.

    Numbers and dates are left alone: they are written as values, not as text. A masked
    code starts with `#`, so codes pass through unchanged.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        text = values.astype("string")
        risky = text.str.contains(FORMULA_START, regex=True).fillna(False).astype(bool)
        out[column] = text.where(~risky, "'" + text)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV that Excel and Sheets open safely and in the right encoding.

    Lists become '; '-joined text, dates become YYYY-MM-DD, risky text is neutralised,
    and the bytes start with a UTF-8 byte-order mark so Excel reads accents and emoji right.
    """
    flat = frame.copy()
    for column in flat.columns:
        values = flat[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            flat[column] = values.dt.strftime("%Y-%m-%d")
        elif values.dtype == object and values.map(lambda v: isinstance(v, list)).any():
            flat[column] = values.map(lambda v: "; ".join(v) if isinstance(v, list) else v)
    return neutralise(flat).to_csv(index=False).encode("utf-8-sig")


_LINE_BREAKS_RE = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
"""Tabs and everything `str.splitlines` breaks a line at."""
_OTHER_CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
"""The remaining C0 and C1 controls, and DEL."""


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


def _redact(values: pd.Series) -> pd.Series:
    """Free text with any code-shaped run masked: people paste codes into notes too."""
    return values.astype("string").str.replace(CODE_PATTERN, lambda m: mask_code(m.group(0)) or "", regex=True)
