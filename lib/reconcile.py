"""The sheet and TikTok side by side: what TikTok says about each row, and what the sheet forgot.

Pure and vectorised: a normalised frame and a `TikTokRead` in, no network. Each sheet row
meets TikTok's post by its code (spelt any way `lib.codes` can repair), else by the post's
video id. Priority: a code an ad account holds, then a post an ad account holds under
another code, then a code TikTok only knows from a lookup. TikTok wins where it knows: its
columns (`lib.columns.TIKTOK_COLUMNS`) are added beside the sheet's own, never over them, so a
page can say "TikTok says …" and "the sheet says …" for the same row; `lib.diagnose` then
takes TikTok's end date for `expires` and records which one it used (`expires_from`), and the
rules in `lib.rules` read TikTok's status, the post's status and whether an ad account holds
the code.

`tiktok_in_ads_manager` is True where an ad account holds the row's code or post, False where
the row has a code and every ad account was listed in full without it, and missing where
nobody can tell (no code, a damaged code, or a read cut short) — so "not applied" is never
said on a guess.

The posts the ad accounts hold that no sheet row names become `ads_manager_only`: creator,
post, end date, ad account, codes masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib import jsonout
from lib.codes import clean_codes, looks_like_code, mask_codes
from lib.columnar import joined, large_text
from lib.columns import (
    TIKTOK_ADVERTISER,
    TIKTOK_COLUMNS,
    TIKTOK_ENDS_ON,
    TIKTOK_IN_ADS_MANAGER,
    TIKTOK_ITEM,
    TIKTOK_MATCHED_BY,
    TIKTOK_MESSAGE,
    TIKTOK_POST_STATUS,
    TIKTOK_STATUS,
    TIKTOK_VISIBILITY,
)
from lib.tiktok.read import TikTokRead
from lib.tiktok.statuses import VISIBILITY, AuthStatus
from lib.words import iso_date, iso_dates

MATCHED_BY_CODE, MATCHED_BY_POST = "code", "post"
ADS_ONLY_COLUMNS = ["creator", "post", "ends_on", "status", "post_status", "advertiser_id", "code"]
"""The "In Ads Manager, not in your sheet" list: `ends_on` a date in the team's zone, `code` masked."""
POST_LINK = "https://www.tiktok.com/@{name}/video/{item}"


@dataclass(frozen=True)
class Reconciled:
    """The frame with TikTok's columns, the posts only Ads Manager has, and the read they came from."""

    frame: pd.DataFrame = field(repr=False)
    ads_manager_only: pd.DataFrame = field(repr=False)
    read: TikTokRead


def reconcile(
    frame: pd.DataFrame, read: TikTokRead, tz: dt.tzinfo | None = None, *, reveal_codes: bool = False
) -> Reconciled:
    """`frame` (normalised, or diagnosed) with `TIKTOK_COLUMNS` added, and the posts the sheet lacks.

    `tz` is the team's time zone (None: this machine's), in which TikTok's end moments become days.
    Diagnose the returned frame (`lib.diagnose.diagnose`) to get issues that use TikTok's word.
    """
    posts = _ranked(read.posts, tz)
    row_codes = clean_codes(frame["code"].astype("string"))
    row_codes = row_codes.where(looks_like_code(row_codes))
    by_code = posts.loc[posts["_code"].notna()].drop_duplicates("_code").set_index("_code", drop=False)
    held = posts.loc[posts["held"] & posts["item_id"].notna()]
    by_post = held.drop_duplicates("item_id").set_index("item_id", drop=False)

    code_facts = _looked_up(by_code, row_codes, frame.index)
    post_facts = _looked_up(by_post, frame["post_key"].astype("string"), frame.index)
    code_held = code_facts["held"].eq(True)
    post_held = ~code_held & post_facts["held"].eq(True)
    # A lookup TikTok refused matches nothing: only its message is kept.
    code_known = ~code_held & ~post_held & code_facts["_code"].notna() & code_facts["message"].isna()
    chosen = code_facts.where(code_held | code_known, post_facts.where(post_held))

    out = frame.copy()
    status = chosen["post_status"].astype("string")
    out[TIKTOK_STATUS] = chosen["auth_status"].astype("string")
    out[TIKTOK_ENDS_ON] = chosen["_ends"].astype("datetime64[s]")
    out[TIKTOK_POST_STATUS] = status
    out[TIKTOK_VISIBILITY] = status.map(VISIBILITY).astype("string")
    out[TIKTOK_ADVERTISER] = chosen["advertiser_id"].astype("string").where(code_held | post_held)
    out[TIKTOK_ITEM] = chosen["item_id"].astype("string")
    matched = np.select([code_held | code_known, post_held], [MATCHED_BY_CODE, MATCHED_BY_POST], default="")
    out[TIKTOK_MATCHED_BY] = pd.Series(matched, index=frame.index, dtype="string").replace({"": pd.NA})
    out[TIKTOK_MESSAGE] = code_facts["message"].astype("string").where(~code_held & ~post_held)
    in_ads = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    if read.complete:
        in_ads = in_ads.mask(row_codes.notna(), False)
    out[TIKTOK_IN_ADS_MANAGER] = in_ads.mask(code_held | post_held, True)
    known_codes = set(row_codes.dropna())
    known_posts = set(frame["post_key"].dropna())
    return Reconciled(out, _ads_manager_only(posts, known_codes, known_posts, reveal_codes), read)


def without_tiktok(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with TikTok's columns dropped (a reconciled frame read again as the sheet alone)."""
    return frame.drop(columns=[c for c in TIKTOK_COLUMNS if c in frame])


def _ranked(posts: pd.DataFrame, tz: dt.tzinfo | None) -> pd.DataFrame:
    """The posts with their code cleaned and end day in the team's zone, best first for each key.

    Best: held by an ad account, then authorized, then the latest end — so a post with an old
    ended code and a new live one is judged by the live one.
    """
    zone = tz or dt.datetime.now().astimezone().tzinfo
    out = posts.copy()
    out["_code"] = clean_codes(out["auth_code"].astype("string"))
    out["_ends"] = out["auth_end"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize().astype("datetime64[s]")
    out["_authorized"] = out["auth_status"].eq(AuthStatus.AUTHORIZED).fillna(False)
    return out.sort_values(
        ["held", "_authorized", "_ends"], ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)


def _looked_up(table: pd.DataFrame, keys: pd.Series, index: pd.Index) -> pd.DataFrame:
    """The rows of `table` (indexed by a key) for each key, missing where the key is missing or unknown."""
    # None for a missing key, as `_Cells.values` in lib.normalize does (the stubs leave None out of na_value).
    found = table.reindex(pd.Index(keys.to_numpy(dtype=object, na_value=None)))  # type: ignore[call-overload]
    found.index = index
    return found


def _ads_manager_only(posts: pd.DataFrame, codes: set[str], post_keys: set[Any], reveal_codes: bool) -> pd.DataFrame:
    """The held posts whose code and post no sheet row names, soonest end first, codes masked."""
    held = posts.loc[posts["held"]]
    unknown = ~held["_code"].isin(codes) & ~held["item_id"].isin(post_keys)
    rows = held.loc[unknown].drop_duplicates(["_code", "item_id"])
    name = rows["tiktok_name"].astype("string").str.lstrip("@")
    link = "https://www.tiktok.com/@" + name + "/video/" + rows["item_id"].astype("string")
    out = pd.DataFrame(
        {
            "creator": "@" + name,
            "post": link.fillna(rows["item_id"].astype("string")),
            "ends_on": rows["_ends"],
            "status": rows["auth_status"].astype("string"),
            "post_status": rows["post_status"].astype("string"),
            "advertiser_id": rows["advertiser_id"].astype("string"),
            "code": rows["_code"] if reveal_codes else mask_codes(rows["_code"]),
        },
        columns=ADS_ONLY_COLUMNS,
    )
    return out.sort_values(["ends_on", "creator"], na_position="last", kind="stable").reset_index(drop=True)


def tiktok_fact(row: pd.Series) -> dict[str, Any] | None:
    """What TikTok says about one reconciled row, as plain data (the command line's `"tiktok"`); None: nothing."""
    if row.get(TIKTOK_MATCHED_BY) is None or pd.isna(row.get(TIKTOK_MATCHED_BY)):
        return None

    def text(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or pd.isna(value) else str(value)

    ends = row.get(TIKTOK_ENDS_ON)
    return {
        "status": text(TIKTOK_STATUS),
        "ends_on": None if ends is None or pd.isna(ends) else iso_date(pd.Timestamp(ends).date()),
        "post_status": text(TIKTOK_POST_STATUS),
        "advertiser_id": text(TIKTOK_ADVERTISER),
    }


def tiktok_facts_json(frame: pd.DataFrame) -> pa.Array:
    """`tiktok_fact` of every row as JSON text (`lib.jsonout`), written from columns: the same keys and values."""

    def text(name: str) -> pa.Array:
        return jsonout.strings(frame[name]) if name in frame else jsonout.by_value(pd.Series([None] * len(frame)))

    ends = frame[TIKTOK_ENDS_ON] if TIKTOK_ENDS_ON in frame else pd.Series(pd.NaT, index=frame.index)
    fact = joined(
        '{"status": ',
        text(TIKTOK_STATUS),
        ', "ends_on": ',
        jsonout.by_value(ends, lambda days_: jsonout.strings(iso_dates(days_))),
        ', "post_status": ',
        text(TIKTOK_POST_STATUS),
        ', "advertiser_id": ',
        text(TIKTOK_ADVERTISER),
        "}",
    )
    matched = frame[TIKTOK_MATCHED_BY].notna() if TIKTOK_MATCHED_BY in frame else pd.Series(False, index=frame.index)
    return pc.if_else(pa.array(matched.to_numpy(dtype=bool)), fact, large_text(jsonout.NULL))


def ads_manager_only_records(ads_only: pd.DataFrame) -> list[dict[str, Any]]:
    """The "In Ads Manager, not in your sheet" list as plain data (dates as ISO text, codes as they are in it)."""
    plain = ads_only.assign(ends_on=ads_only["ends_on"].map(lambda d: None if pd.isna(d) else iso_date(d.date())))
    records = cast("list[dict[str, Any]]", plain.astype(object).to_dict(orient="records"))  # names are text
    return [
        {k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v) for k, v in record.items()}
        for record in records
    ]
