"""Column names the product adds to the team's own: reserved, so no team header can take them.

A team's sheet may well have a column called "Tab", "Row", "Health" or "Issues". Those are
kept as the team's columns under another name (`tab_3`), never mistaken for the product's
own: the tab a merged row came from, its row number in that tab, or the diagnosis.
"""

from __future__ import annotations

ROW = "row"
"""The row's number in its sheet (or in its own tab, for merged tabs), as people see it."""
TAB = "tab"
"""The tab a row came from, when every tab of a Google Sheet is read as one table."""

TAB_HEADER = "__sparkwatch_tab__"
"""Header of the merged table's tab column; no team writes a header like this."""
SHEET_ROW_HEADER = "__sparkwatch_sheet_row__"
"""Header of the column a merged table carries with each row's number in its own tab.

Reserved, so a sheet's own 'Sheet row' column, or one of Sparkwatch's CSV exports uploaded
again, is never mistaken for it."""
RESERVED_HEADER_KEYS = frozenset({"sparkwatch_tab", "sparkwatch_sheet_row"})
"""The reserved headers as `lib.headers.fold` writes them (this module cannot import it)."""

STATUS_UNREAD = "status_unread"
"""True where the status cell holds a word the product does not know (the status is then missing)."""

DERIVED: frozenset[str] = frozenset(
    {ROW, TAB, STATUS_UNREAD, "post", "post_key", "no_end", "expires", "days_left", "health", "issues"}
)
"""Columns the product works out itself (normalize and diagnose); a team column of the same
name is kept under another."""
