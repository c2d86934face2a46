"""A template sheet to start from: the columns Sparkwatch reads, with two example rows.

The columns are the product's own (`lib.vocab.COLUMN_ALIASES`, in the README's order), each
headed the way a person would write it; `lib.headers.meaning` reads every header back as its
column, which `tests/test_template.py` checks, so the template can't drift from what is read.
The example rows are dated around `today`, like the demo, so a template uploaded as it is
shows healthy rows rather than expired ones. The CSV is written by `lib.exports.csv_bytes`
(a byte order mark for Excel, and no cell a spreadsheet would run as a formula).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.exports import csv_bytes
from lib.vocab import COLUMN_ALIASES

TEMPLATE_COLUMNS: tuple[str, ...] = (
    "creator",
    "post_url",
    "code",
    "access_method",
    "authorized_on",
    "duration_days",
    "expires_on",
    "status",
    "campaign",
    "brand",
    "owner",
    "campaign_start",
    "campaign_end",
    "creator_region",
    "ad_account_region",
    "post_visibility",
    "identity",
    "ad_delivery_permission",
)
"""The columns the README lists, in its order (a post's link stands for 'post_url / post_id')."""

_HEADINGS = {
    "post_url": "Post URL",
    "code": "Spark code",
    "access_method": "Access",
    "duration_days": "Duration (days)",
}
"""Headings that read better than the column's own name written out."""

FILE_NAME = "sparkwatch-template.csv"
EXAMPLE_CODE = "#" + "SparkwatchExampleCodeNotARealOne" + "0" * 31 + "="
"""Shaped like a real code (`#`, 63 letters or digits, `=`) so the template reads clean; it authorizes nothing."""


def heading(column: str) -> str:
    """The header the template writes for one of the product's columns: 'Campaign end', 'Post URL'."""
    if column not in COLUMN_ALIASES:
        raise KeyError(column)
    return _HEADINGS.get(column) or column.replace("_", " ").capitalize()


def template_frame(today: dt.date) -> pd.DataFrame:
    """The template's two example rows under its headers: a code, and Business Center access."""
    start, days = today - dt.timedelta(days=10), 60
    end = start + dt.timedelta(days=days)

    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    rows = [
        {
            "creator": "@amy.cooks",
            "post_url": "https://www.tiktok.com/@amy.cooks/video/7301000000000000001",
            "code": EXAMPLE_CODE,
            "access_method": "code",
            "authorized_on": start.isoformat(),
            "duration_days": str(days),
            "expires_on": end.isoformat(),
            "status": "active",
            "campaign": "Spring launch",
            "brand": "Your brand",
            "owner": "Maya",
            "campaign_start": day(-10),
            "campaign_end": day(30),
            "creator_region": "US",
            "ad_account_region": "US",
            "post_visibility": "public",
            "identity": "creator",
            "ad_delivery_permission": "",
        },
        {
            "creator": "@ben.runs",
            "post_url": "https://www.tiktok.com/@ben.runs/video/7301000000000000002",
            "code": "",
            "access_method": "business center",
            "authorized_on": "",
            "duration_days": "",
            "expires_on": "",
            "status": "active",
            "campaign": "Spring launch",
            "brand": "Your brand",
            "owner": "Jonas",
            "campaign_start": day(-10),
            "campaign_end": day(30),
            "creator_region": "US",
            "ad_account_region": "US",
            "post_visibility": "public",
            "identity": "creator",
            "ad_delivery_permission": "yes",
        },
    ]
    frame = pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS), dtype="string")
    return frame.rename(columns={column: heading(column) for column in TEMPLATE_COLUMNS})


def template_csv(today: dt.date) -> bytes:
    """The template as a CSV file Excel and Google Sheets open as it is."""
    return csv_bytes(template_frame(today))


__all__ = ["FILE_NAME", "TEMPLATE_COLUMNS", "heading", "template_csv", "template_frame"]
