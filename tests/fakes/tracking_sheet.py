"""Small tracking sheets for tests: write only the cells a test is about.

Every row starts as a healthy, in-date code authorization with its own post and code, so a
test states just what makes its row special and the rest stays realistic.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.diagnose import diagnose
from lib.normalize import normalize

TODAY = dt.date(2026, 11, 22)
"""The tests' fixed day, the same as the `today` fixture in conftest."""
CODE = "#pOnC1+4EakoKm5b+OAYGSTWjRlLK6sNdVU72lZ/o2+YH19dCqgn28s9Dp68GZN9="
HEADER = [
    "Creator", "Post URL", "Code", "Access", "Expires", "Status", "Campaign", "Campaign end", "Ad account",
    "Creator region", "Ad account region", "Visibility", "Identity", "Ad delivery", "Owner", "Notes",
]  # fmt: skip


def day(offset: int, today: dt.date = TODAY) -> str:
    """The date `offset` days from `today`, written as a sheet cell (ISO)."""
    return (today + dt.timedelta(days=offset)).isoformat()


def code(n: int) -> str:
    """A well-formed, unique authorization code (the real shape: `#`, 63 characters, `=`)."""
    return f"{CODE[:-9]}{n:08d}="


def tracking_sheet(*rows: dict[str, str], header: list[str] | None = None) -> list[list[str]]:
    """A raw table (header + rows of strings) from partial rows."""
    header = header or HEADER
    table = [list(header)]
    for n, row in enumerate(rows):
        cells = {
            "Creator": "amy",
            "Post URL": f"https://www.tiktok.com/@amy/video/{7300000000000000000 + n}",
            "Code": code(n),
            "Access": "code",
            "Expires": "2027-06-01",
            **row,
        }
        table.append([cells.get(h, "") for h in header])
    return table


def judged(*rows: dict[str, str], today: dt.date, warn_days: int = 7) -> pd.DataFrame:
    """The diagnosed frame of such a sheet, most urgent first (as every view receives it)."""
    return diagnose(normalize(tracking_sheet(*rows)).frame, today, warn_days)
