"""Read what the team's ad accounts hold: every Spark Ads post, with TikTok's own status and dates.

One read is, per ad account, every page of `GET /tt_video/list/` (50 posts a page, bounded by
`MAX_PAGES` and `MAX_POSTS`), then `GET /tt_video/info/` for each of the sheet's codes that no
list holds (bounded by `MAX_LOOKUPS`): that tells a code nobody applied yet (TikTok knows it)
from one TikTok does not know at all. The result is a `TikTokRead`: one row per post in
`posts`, when it was read, which ad accounts, and what could not be read.

A failure that leaves nothing to show (the token refused, TikTok down, a hang past the
budget, too many requests even after waiting) raises a `TikTokError`; a refusal that concerns
one ad account or one code is written in `errors` and the rest is still read. `complete`
says whether every ad account was listed in full: only then can "no ad account holds this
code" be concluded (`lib.reconcile`).

TikTok writes times three ways — `2026-06-23 07:09:07` (UTC, its docs' tables),
`2026-06-23T07:09:07Z` (its examples) and epoch seconds — and all three are read
(`parse_times`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lib.codes import clean_codes, looks_like_code
from lib.errors import TikTokError
from lib.tiktok.api import TikTokApi, TikTokRefusal, unexpected
from lib.tiktok.settings import TikTokConfig
from lib.words import plural

PAGE_SIZE = 50
"""TikTok's largest page of `/tt_video/list/`."""
MAX_PAGES = 100
"""Pages read per ad account at most (5,000 posts): beyond that, the read says it stopped."""
MAX_POSTS = 20_000
"""Posts read over all ad accounts at most."""
MAX_LOOKUPS = 100
"""Sheet codes looked up one by one (`/tt_video/info/`) per read at most."""

POST_COLUMNS = [
    "advertiser_id",
    "auth_code",
    "item_id",
    "item_type",
    "post_status",
    "auth_status",
    "auth_start",
    "auth_end",
    "invite_start",
    "tiktok_name",
    "identity_id",
    "identity_type",
    "held",
    "message",
]
"""`posts` columns: codes whole (callers mask them), times as UTC timestamps, `held` True for posts
an ad account holds (from the list) and False for codes only looked up, `message` TikTok's refusal
of a lookup (scrubbed), else missing."""
_TIME_COLUMNS = ("auth_start", "auth_end", "invite_start")
_FIELDS = {
    "item_info": {"auth_code": "auth_code", "item_id": "item_id", "item_type": "item_type", "status": "post_status"},
    "auth_info": {
        "ad_auth_status": "auth_status",
        "auth_start_time": "auth_start",
        "auth_end_time": "auth_end",
        "invite_start_time": "invite_start",
    },
    "user_info": {"tiktok_name": "tiktok_name", "identity_id": "identity_id", "identity_type": "identity_type"},
}


@dataclass(frozen=True)
class TikTokRead:
    """One read of TikTok: the posts, when, which ad accounts, and what could not be read."""

    posts: pd.DataFrame = field(repr=False)
    """One row per post (`POST_COLUMNS`); whole codes, so never shown as they are."""
    read_at: dt.datetime
    """When the read finished (aware, UTC)."""
    advertiser_ids: tuple[str, ...]
    errors: tuple[str, ...] = ()
    """Plain sentences: an ad account TikTok would not list, a read cut short, lookups not done."""
    complete: bool = True
    """Every ad account listed in full: a code none of them holds is really not in Ads Manager."""
    requests: int = 0

    @property
    def held(self) -> pd.DataFrame:
        """The posts ad accounts hold (not the codes only looked up)."""
        return self.posts.loc[self.posts["held"]]


def empty_posts() -> pd.DataFrame:
    """A `posts` frame with no rows and the right columns and types."""
    return posts_frame([])


def parse_times(values: pd.Series) -> pd.Series:
    """TikTok's times as UTC timestamps: `YYYY-MM-DD HH:MM:SS` (UTC), ISO 8601 and epoch seconds.

    A number above 10^11 is taken as milliseconds (no date before 5138 has that many seconds).
    Anything else (empty, 0, garbage) is missing, never an error: one odd post must not stop a read.
    """
    values = pd.Series(values, dtype=object)
    moments = values.map(lambda v: isinstance(v, dt.datetime) and not pd.isna(v))
    if moments.any():  # already moments (a frame built in Python, like the demo's): naive ones are UTC
        given = pd.to_datetime(values.where(moments), utc=True, errors="coerce")
        return given.where(moments, parse_times(values.where(~moments))).astype("datetime64[ns, UTC]")
    number = pd.to_numeric(values, errors="coerce").astype("float64")
    number = number.where(number > 0)
    number = number.where(number < 1e11, number / 1000)
    from_number = pd.to_datetime(number, unit="s", utc=True, errors="coerce")
    text = values.where(number.isna() & values.map(lambda v: isinstance(v, str))).astype("string")
    from_text = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    return from_text.where(from_text.notna(), from_number).astype("datetime64[ns, UTC]")


def posts_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """`POST_COLUMNS` from flat rows (one per post), typed: text as strings, times parsed, `held` boolean."""
    frame = pd.DataFrame(list(rows), columns=POST_COLUMNS)
    for name in POST_COLUMNS:
        if name in _TIME_COLUMNS:
            frame[name] = parse_times(frame[name])
        elif name == "held":
            frame[name] = frame[name].fillna(False).astype(bool)
        else:
            frame[name] = frame[name].map(_text).astype("string").replace({"": pd.NA})
    return frame


def _text(value: Any) -> str | None:
    """Text and whole numbers as text (TikTok sends ids as either); anything else is missing."""
    return str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None


def flat_item(item: Any, advertiser_id: str, held: bool) -> dict[str, Any] | None:
    """One item of TikTok's answer as a flat row; None when it is not an item at all."""
    if not isinstance(item, Mapping):
        return None
    row: dict[str, Any] = {"advertiser_id": advertiser_id, "held": held}
    for part, names in _FIELDS.items():
        section = item.get(part)
        if isinstance(section, Mapping):
            row.update({ours: section.get(theirs) for theirs, ours in names.items()})
    return row if row.get("auth_code") or row.get("item_id") else None


def read_tiktok(
    config: TikTokConfig,
    codes: Iterable[str | None] = (),
    *,
    api: TikTokApi | None = None,
    now: dt.datetime | None = None,
    max_pages: int = MAX_PAGES,
    max_posts: int = MAX_POSTS,
    max_lookups: int = MAX_LOOKUPS,
) -> TikTokRead:
    """Every post the configured ad accounts hold, and TikTok's word on the sheet's other `codes`.

    `codes` are the sheet's codes in any spelling; only those with a code's shape are looked up.
    `api` is made from the config when not given (tests pass one with `sleep` that does not wait).
    Raises `TikTokError` when nothing can be read; see the module's docstring.
    """
    if not config.ready:
        raise TikTokError(config.problem or "TikTok is not set up: add a [tiktok] section to the settings.")
    api = api or TikTokApi(config.access_token, config.api_base)
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    complete = True
    for advertiser in config.advertiser_ids:
        try:
            done = _list_posts(api, advertiser, rows, max_pages, max_posts)
        except TikTokRefusal as refusal:
            errors.append(f"TikTok would not list the posts of ad account {advertiser} ({_said(refusal)}).")
            complete = False
            continue
        if not done:
            errors.append(
                f"Stopped reading ad account {advertiser} after {plural(len(rows), 'post')}: "
                "more than Sparkwatch reads at once."
            )
            complete = False
            break
    held_codes = set(clean_codes(pd.Series([r.get("auth_code") for r in rows], dtype="string")).dropna())
    _look_up(api, config.advertiser_ids[0], _wanted(codes, held_codes), rows, errors, max_lookups)
    return TikTokRead(
        posts=posts_frame(rows),
        read_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        advertiser_ids=config.advertiser_ids,
        errors=tuple(errors),
        complete=complete,
        requests=api.requests,
    )


def _list_posts(api: TikTokApi, advertiser: str, rows: list[dict[str, Any]], max_pages: int, max_posts: int) -> bool:
    """Append every post of one ad account to `rows`; False when a bound stopped the read first."""
    page = 1
    while True:
        if page > max_pages:
            return False
        answer = api.get("/tt_video/list/", {"advertiser_id": advertiser, "page": page, "page_size": PAGE_SIZE})
        data = answer.data if isinstance(answer.data, Mapping) else None
        items = data.get("list") if data is not None else None
        if data is None or not isinstance(items, list | type(None)):
            raise unexpected("a page of posts without its list")
        for item in items or ():
            row = flat_item(item, advertiser, held=True)
            if row is not None:
                if len(rows) >= max_posts:
                    return False
                rows.append(row)
        info = data.get("page_info")
        total = info.get("total_page") if isinstance(info, Mapping) else None
        last = page >= total if isinstance(total, int) and not isinstance(total, bool) else len(items or ()) < PAGE_SIZE
        if last or not items:
            return True
        page += 1


def _wanted(codes: Iterable[str | None], held: set[str]) -> list[str]:
    """The sheet's codes worth looking up: shaped like a code, not held by any ad account, once each."""
    cleaned = clean_codes(pd.Series(list(codes), dtype="string"))
    shaped = cleaned[looks_like_code(cleaned)].dropna()
    return [c for c in dict.fromkeys(shaped) if c not in held]


def _look_up(
    api: TikTokApi, advertiser: str, codes: list[str], rows: list[dict[str, Any]], errors: list[str], limit: int
) -> None:
    """TikTok's word on each code no ad account holds; a refusal is that code's `message`.

    These lookups only add detail, so running out of time or requests stops them and says so;
    it never throws away the lists already read.
    """
    for n, code in enumerate(codes):
        if n >= limit:
            errors.append(f"Looked up {plural(limit, 'code')} no ad account holds; {len(codes) - limit} more were not.")
            return
        try:
            answer = api.get("/tt_video/info/", {"advertiser_id": advertiser, "auth_code": code})
        except TikTokRefusal as refusal:
            rows.append({"advertiser_id": advertiser, "auth_code": code, "held": False, "message": _said(refusal)})
            continue
        except TikTokError as error:
            errors.append(f"Stopped looking up the sheet's other codes: {error}")
            return
        row = flat_item(answer.data, advertiser, held=False)
        if row is None:
            errors.append("TikTok answered a code lookup without the post it belongs to; that code was skipped.")
            continue
        row["auth_code"] = code  # what was asked: TikTok's copy may be spelt another way
        rows.append(row)


def _said(refusal: TikTokRefusal) -> str:
    return f"error {refusal.code}: {refusal.tiktok_message}" if refusal.tiktok_message else f"error {refusal.code}"
