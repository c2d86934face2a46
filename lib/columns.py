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

# What TikTok says about a row (`lib.reconcile`), present only when TikTok was read.
TIKTOK_STATUS = "tiktok_status"
"""TikTok's `ad_auth_status` for the row's code or post (`AUTHORIZED`, `EXPIRED`, or as TikTok wrote it)."""
TIKTOK_ENDS_ON = "tiktok_ends_on"
"""The day the authorization ends by TikTok, in the team's time zone."""
TIKTOK_POST_STATUS = "tiktok_post_status"
"""TikTok's status of the post (`lib.tiktok.statuses.PostStatus`)."""
TIKTOK_VISIBILITY = "tiktok_visibility"
"""The post status as the sheet's visibility words (public, friends, private), where it says."""
TIKTOK_ADVERTISER = "tiktok_advertiser_id"
"""The ad account that holds the post; missing when none of the checked accounts does."""
TIKTOK_ITEM = "tiktok_item_id"
"""TikTok's id of the post (what unbinding names)."""
TIKTOK_IN_ADS_MANAGER = "tiktok_in_ads_manager"
"""True: an ad account holds it; False: none does (every account read in full); missing: can't tell."""
TIKTOK_MATCHED_BY = "tiktok_matched_by"
"""How the row met TikTok's post: 'code' or 'post' (its video id)."""
TIKTOK_MESSAGE = "tiktok_message"
"""What TikTok said when the row's code was looked up and refused (codes and token scrubbed)."""
TIKTOK_COLUMNS: tuple[str, ...] = (
    TIKTOK_STATUS,
    TIKTOK_ENDS_ON,
    TIKTOK_POST_STATUS,
    TIKTOK_VISIBILITY,
    TIKTOK_ADVERTISER,
    TIKTOK_ITEM,
    TIKTOK_IN_ADS_MANAGER,
    TIKTOK_MATCHED_BY,
    TIKTOK_MESSAGE,
)

SHEET_EXPIRES = "sheet_expires"
"""The end date by the sheet alone (its expiry, else authorized on + duration), whatever TikTok says."""
EXPIRES_FROM = "expires_from"
"""Where `expires` came from: `FROM_TIKTOK` or `FROM_SHEET` (missing when there is none), so a page can
say "TikTok says" or "the sheet says"."""
FROM_TIKTOK, FROM_SHEET = "tiktok", "sheet"

DERIVED: frozenset[str] = frozenset(
    {
        ROW,
        TAB,
        STATUS_UNREAD,
        "post",
        "post_key",
        "no_end",
        "expires",
        "days_left",
        "health",
        "issues",
        SHEET_EXPIRES,
        EXPIRES_FROM,
        *TIKTOK_COLUMNS,
    }
)
"""Columns the product works out itself (normalize and diagnose); a team column of the same
name is kept under another."""
