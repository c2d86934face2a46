"""The bundled demo sheet: what Sparkwatch shows before a team connects its own.

It is built, not stored, so its dates sit around the day it is loaded and the demo looks
alive on any date. It is written the way real sheets are (mixed date forms, stray spaces,
odd capitals, a couple of broken cells) and every health state and issue id occurs in it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import string

from lib.normalize import RawTable

HEADER = [
    "TikTok handle",
    "Post URL",
    "Spark code",
    "Access",
    "Authorized on",
    "Duration",
    "Expires",
    "Status",
    "Campaign",
    "Brand",
    "Owner",
    "Campaign start",
    "Campaign end",
    "Creator region",
    "Ad account region",
    "Visibility",
    "Identity",
    "Ad delivery",
    "Ad account",
    "Notes",
]

# campaign, brand, ad account, start offset, end offset (days from today)
CAMPAIGNS = (
    ("Summer Glow", "Lumen Skin", "LUMEN-US-01", -40, 20),
    ("Holiday Drop", "Lumen Skin", "LUMEN-US-01", -10, 45),
    ("Run Club", "Stride Athletics", "STRIDE-EU-02", -25, 12),
    ("Back to Basics", "Stride Athletics", "STRIDE-EU-02", 5, 80),
)
OWNERS = ("Maya", "Jonas", "Priya", "Sam")
CREATORS = (
    "glowwithnia",
    "runwithraf",
    "kai.cooks",
    "the_daily_mo",
    "liv.moves",
    "sunnyskin",
    "marathon_meg",
    "dev.does.fit",
    "zoe.reviews",
    "tomtriesit",
    "amarabeauty",
    "coach.leo",
    "hana.home",
    "felix.films",
    "rosie.runs",
    "jadeglow",
)

_CODE_ALPHABET = string.ascii_letters + string.digits + "+/"


def demo_table(today: dt.date | None = None, seed: int = 7) -> RawTable:
    """The demo sheet as a raw table (header + rows of strings), dated around `today`."""
    today = today or dt.date.today()
    rng = random.Random(seed)

    def code() -> str:
        # A real code is 63 characters and a `=`. Still 44 random draws, so the demo's other
        # random choices (dates) stay as they were; the other 19 characters follow from those
        # 44, which keeps every code unique.
        drawn = "".join(rng.choice(_CODE_ALPHABET) for _ in range(44))
        return "#" + drawn + base64.b64encode(hashlib.sha256(drawn.encode()).digest()).decode()[:19] + "="

    def date(offset: int, style: int = 0) -> str:
        day = today + dt.timedelta(days=offset)
        forms = (
            day.isoformat(),
            f"{day.month}/{day.day}/{day.year}",
            day.strftime("%d %b %Y"),
            day.strftime("%b %d, %Y"),
        )
        return forms[style % len(forms)]

    rows: list[list[str]] = []
    video_ids = iter(range(7_301_000_000_000_000_001, 7_301_000_000_000_001_000))

    def add(creator: str, campaign: int, **cells: str) -> dict[str, str]:
        name, brand, account, start, end = CAMPAIGNS[campaign]
        row = {
            "TikTok handle": creator,
            "Post URL": f"https://www.tiktok.com/@{creator.strip().lstrip('@')}/video/{next(video_ids)}",
            "Spark code": code(),
            "Access": "Code",
            "Authorized on": date(start - 3, len(rows)),
            "Duration": "60 days",
            "Expires": "",
            "Status": "active",
            "Campaign": name,
            "Brand": brand,
            "Owner": OWNERS[len(rows) % len(OWNERS)],
            "Campaign start": date(start),
            "Campaign end": date(end),
            "Creator region": "US" if "US" in account else "DE",
            "Ad account region": "US" if "US" in account else "DE",
            "Visibility": "Public",
            "Identity": "creator",
            "Ad delivery": "",
            "Ad account": account,
            "Notes": "",
        }
        row.update(cells)
        rows.append([row[h] for h in HEADER])
        return row

    # One row per situation the product knows, so every state and issue shows up.
    add("@glowwithnia", 0, **{"Authorized on": date(-38), "Duration": "30", "Notes": "Ran out mid-campaign"})
    add("runwithraf ", 2, **{"Status": "REVOKED ", "Notes": "Creator deleted the code"})
    add("kai.cooks", 1, **{"Authorized on": date(-25, 1), "Duration": "30 days"})
    add("@the_daily_mo", 2, **{"Authorized on": date(-30, 2), "Duration": "30"})
    add("liv.moves", 3, **{"Spark code": "", "Status": "Pending", "Authorized on": "", "Duration": ""})
    add("sunnyskin", 1, **{"Authorized on": "", "Duration": "", "Notes": "Ask Maya for the dates"})
    add("marathon_meg", 2, **{"Creator region": "GB"})
    add("dev.does.fit", 3, **{"Visibility": "Private", "Notes": "Creator archived the post"})
    add("zoe.reviews", 0, **{"Identity": "Custom"})
    add(
        "tomtriesit",
        1,
        **{"Access": "Business Center", "Spark code": "", "Ad delivery": "no", "Authorized on": "", "Duration": ""},
    )
    add("amarabeauty", 0, **{"Spark code": "#Xk29fQ 7pL", "Notes": "Pasted from a screenshot"})
    shared = code()
    add("coach.leo", 2, **{"Spark code": shared})
    add("coach.leo", 2, **{"Spark code": shared, "Notes": "Same code as the row above?"})
    add("hana.home", 1, **{"Authorized on": date(-12, 3), "Duration": "30 days"})
    add(
        "felix.films",
        3,
        **{"Access": "business_center", "Spark code": "", "Ad delivery": "yes", "Authorized on": "", "Duration": ""},
    )
    add("rosie.runs", 0, **{"Authorized on": date(-20), "Duration": "1 year", "Expires": date(20, 2)})
    # Codes that arrived but are not in Ads Manager yet: the next batch to apply.
    for creator in ("kai.cooks", "hana.home", "felix.films"):
        add(creator, 3, **{"Status": "received", "Authorized on": date(-1), "Duration": "365 days"})
    # Two rows a person has to fix in the sheet.
    add("", 1, **{"Notes": "Creator handle still to add"})
    add("jadeglow", 3, **{"Authorized on": "31/31/2026", "Duration": "two months"})

    # The everyday rest: mostly healthy, with the mix of durations teams really get.
    durations = ("365", "1 year", "365 days", "12 months")
    for i in range(44):
        campaign = i % len(CAMPAIGNS)
        start = CAMPAIGNS[campaign][3]
        creator = CREATORS[i % len(CREATORS)]
        short = campaign == 2  # Run Club's creators gave 60 days, which covers it
        cells = {
            "Authorized on": date(start - rng.randint(0, 15), i),
            "Duration": "60 days" if short else durations[i % len(durations)],
        }
        if i % 11 == 5:
            cells["TikTok handle"] = f" {creator.upper()} "
        add(creator, campaign, **cells)
        if i % 9 == 4:
            rows.append([""] * len(HEADER))  # the blank rows every real sheet has
    return [HEADER, *rows]
