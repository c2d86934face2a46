"""Deterministic synthetic tracking sheets with the mess real teams produce.

Same seed, same sheet: the benchmark compares runs, so its input must not move. The mess is
what the product meets in practice: mixed date forms, stray spaces and capitals, blank
rows, broken cells, Business Center rows, duplicate codes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import string

HEADER = [
    "TikTok handle", "Post URL", "Spark code", "Access", "Authorized on", "Duration", "Expires", "Status",
    "Campaign", "Brand", "Owner", "Campaign end", "Creator region", "Ad account region", "Visibility",
    "Identity", "Ad delivery", "Ad account", "Notes",
]  # fmt: skip

_ALPHABET = string.ascii_letters + string.digits + "+/"


def _code(drawn: str) -> str:
    """A real-shaped code (`#`, 63 characters, `=`) from 44 random characters.

    The generator draws 44 characters, as it always has, so the rest of the sheet does not
    move; the other 19 follow from those 44 and keep each code unique.
    """
    return "#" + drawn + base64.b64encode(hashlib.sha256(drawn.encode()).digest()).decode()[:19] + "="


def synthetic_table(rows: int, today: dt.date, seed: int = 1) -> list[list[str]]:
    """A header and `rows` data rows of strings (about 1% blank, about 1% with a broken cell)."""
    rng = random.Random(seed)
    creators = [f"creator_{i:05d}" for i in range(max(rows // 4, 1))]
    campaigns = [(f"Campaign {i}", f"Brand {i % 7}", f"ACC-{i % 12:02d}", rng.randint(-30, 90)) for i in range(40)]
    owners = ["Maya", "Jonas", "Priya", "Sam", "Lee", "Ana"]
    out = [HEADER]
    for n in range(rows):
        if rng.random() < 0.01:
            out.append([""] * len(HEADER))
            continue
        name, brand, account, end = rng.choice(campaigns)
        authorized = today + dt.timedelta(days=rng.randint(-120, 0))
        duration = rng.choice([7, 30, 30, 60, 60, 365])
        style = rng.random()
        if style < 0.6:
            date_text = authorized.isoformat()
        elif style < 0.8:
            date_text = f"{authorized.month}/{authorized.day}/{authorized.year}"
        elif style < 0.9:
            date_text = authorized.strftime("%d %b %Y")
        else:
            date_text = str((authorized - dt.date(1899, 12, 30)).days)
        access = "Business Center" if rng.random() < 0.05 else "code"
        code = "" if access != "code" or rng.random() < 0.04 else _code("".join(rng.choices(_ALPHABET, k=44)))
        creator = rng.choice(creators)
        row = [
            rng.choice([creator, f"@{creator}", f" {creator.upper()} "]),
            f"https://www.tiktok.com/@{creator}/video/{7_300_000_000_000_000_000 + n}",
            code,
            access,
            date_text,
            rng.choice([f"{duration}", f"{duration} days", "1 year" if duration == 365 else f"{duration}d"]),
            "",
            rng.choices(["active", "Active ", "Pending", "REVOKED", ""], weights=[70, 10, 5, 2, 13])[0],
            name,
            brand,
            rng.choice(owners),
            (today + dt.timedelta(days=end)).isoformat(),
            rng.choice(["US", "US", "GB", "DE"]),
            rng.choice(["US", "US", "US", "GB"]),
            rng.choices(["Public", "public", "private", ""], weights=[80, 10, 2, 8])[0],
            rng.choices(["creator", "", "custom"], weights=[80, 18, 2])[0],
            rng.choice(["yes", "no", ""]) if access != "code" else "",
            account,
            "",
        ]
        if rng.random() < 0.01:
            row[rng.choice([4, 5, 7])] = rng.choice(["soon", "31/31/2026", "two months", "on hold"])
        out.append(row)
    return out
