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
from typing import Any, cast

import numpy as np
import pandas as pd

from lib.codes import looks_like_code
from lib.diagnose import diagnose
from lib.normalize import RawTable, normalize
from lib.tiktok.read import TikTokRead, posts_frame
from lib.tiktok.statuses import AuthStatus, PostStatus
from lib.vocab import HealthId, Status

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
_TIDYING = "Creator is tidying up their profile"


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
        if i == 2:
            cells["Notes"] = _TIDYING  # TikTok's side of the demo has this post deleted

        add(creator, campaign, **cells)
        if i % 9 == 4:
            rows.append([""] * len(HEADER))  # the blank rows every real sheet has
    return [HEADER, *rows]


# --------------------------------------------------------------------------- TikTok's side

DEMO_ADVERTISERS = {"LUMEN-US-01": "7000000000000000101", "STRIDE-EU-02": "7000000000000000202"}
"""The demo's ad accounts (the sheet's names) and the ids TikTok knows them by."""
_NOON = pd.Timedelta(hours=12)
"""Demo end times are at noon UTC, so the day is the same in every team's time zone from −11 to +11."""


def demo_tiktok_read(today: dt.date | None = None, seed: int = 7) -> TikTokRead:
    """What the demo's two ad accounts would answer, so the demo shows what checking against TikTok adds.

    TikTok agrees with the sheet on most rows. Where it does not, it is on purpose, one row per
    thing only TikTok can tell: the row whose dates the sheet lacks gets TikTok's; a typed
    expiry that is a week off is corrected (`sheet_end_differs`); an everyday post turns out
    deleted (`post_deleted`); the codes the sheet marks received, and the row whose dates can't
    be read, are in no ad account (`not_in_ads_manager`); and two posts in Ads Manager are
    missing from the sheet. A withdrawn code and a damaged one are unknown to TikTok.
    """
    today = today or dt.date.today()
    normalized = normalize(demo_table(today, seed))
    rows = diagnose(normalized.frame, today)
    rows = rows.loc[rows["code"].notna() & looks_like_code(rows["code"])].sort_values("row", kind="stable")
    day = pd.Timestamp(today)
    ends = rows["expires"] + _NOON
    handle = rows["creator"].astype("string").str.lstrip("@")
    no_dates = rows["expires"].isna()
    tiktok_knows_dates = no_dates & handle.eq("sunnyskin")
    ends = ends.mask(tiktok_knows_dates, day + pd.Timedelta(days=40) + _NOON)
    typed_wrong = rows["expires_on"].notna()  # the one row with an expiry typed in
    ends = ends.mask(typed_wrong, rows["expires"] + pd.Timedelta(days=7) + _NOON)
    received = rows["status"].eq(Status.PENDING).fillna(False)
    held = ~received & ~rows["health"].eq(HealthId.REVOKED) & ~(no_dates & ~tiktok_knows_dates)
    post_status = pd.Series(PostStatus.PUBLIC.value, index=rows.index, dtype=object)
    post_status = post_status.mask(rows["post_visibility"].eq("private"), PostStatus.PRIVATE.value)
    post_status = post_status.mask(rows["notes"].eq(_TIDYING).fillna(False), PostStatus.USER_DELETE.value)
    auth = np.where(ends.dt.normalize() < day, AuthStatus.EXPIRED.value, AuthStatus.AUTHORIZED.value)
    listed = pd.DataFrame(
        {
            "advertiser_id": rows["ad_account"].map(DEMO_ADVERTISERS).astype(object),
            "auth_code": rows["code"].astype(object),
            "item_id": rows["post_key"].astype(object),
            "item_type": "VIDEO",
            "post_status": post_status,
            "auth_status": auth,
            "auth_start": (ends - pd.Timedelta(days=60)).dt.tz_localize("UTC"),
            "auth_end": ends.dt.tz_localize("UTC"),
            "invite_start": pd.NaT,
            "tiktok_name": handle.astype(object),
            "identity_id": None,
            "identity_type": "AUTH_CODE",
            "held": held,
            "message": None,
        }
    )
    # Codes received but not applied: TikTok knows them when asked (`/tt_video/info/`).
    listed.loc[received, "advertiser_id"] = DEMO_ADVERTISERS["LUMEN-US-01"]
    listed = listed.loc[held | received]
    rng = random.Random(seed + 1)
    extra = [
        {
            "advertiser_id": DEMO_ADVERTISERS[account],
            "auth_code": "#" + "".join(rng.choice(_CODE_ALPHABET) for _ in range(63)) + "=",
            "item_id": str(7_302_000_000_000_000_001 + n),
            "item_type": "VIDEO",
            "post_status": PostStatus.PUBLIC.value,
            "auth_status": AuthStatus.AUTHORIZED.value,
            "auth_end": pd.Timestamp(day + pd.Timedelta(days=offset) + _NOON, tz="UTC"),
            "tiktok_name": creator,
            "identity_type": "AUTH_CODE",
            "held": True,
        }
        for n, (creator, account, offset) in enumerate(
            (("nova.eats", "LUMEN-US-01", 33), ("pace.with.pia", "STRIDE-EU-02", 5))
        )
    ]
    posts = pd.concat([posts_frame([]), listed, posts_frame(extra)], ignore_index=True)
    read_at = dt.datetime.combine(today, dt.time(8, 0), tzinfo=dt.UTC)
    records = cast("list[dict[str, Any]]", posts.to_dict(orient="records"))  # column names are text
    return TikTokRead(posts_frame(records), read_at, tuple(DEMO_ADVERTISERS.values()))
