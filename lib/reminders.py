"""Expiry reminders as a calendar file (.ics) the team imports into the calendar it already uses.

No tool the team has warns ahead of an expiry; their calendar can. Each authorization that
ends in the next N days becomes one all-day event on its expiry date, with an alarm some days
before, so there is time to ask the creator for a new code. Events carry a UID derived from
what identifies the authorization in the sheet (creator, post, ad account), not from its row
number, which moves as people sort the sheet: importing a newer file moves an event instead
of adding a second one. The code itself never appears: not in the text, not in the UID.
(Named `reminders`, not `calendar`, so it never shadows the standard library's module.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd
from icalendar import Alarm, Calendar, Event

from lib.codes import mask_codes
from lib.exports import one_line
from lib.messages import recommended_duration
from lib.rules import RULES, IssueId, issue_labels
from lib.vocab import DEFAULT_WARN_DAYS, ENDED, role_labels
from lib.words import days, human_date, relative_day

DEFAULT_DAYS = 30
"""How far ahead the calendar looks by default: a month of expiries."""
DEFAULT_REMIND_DAYS = DEFAULT_WARN_DAYS
"""Remind when the code enters the warning window: the day it would turn 'Expiring soon'."""
REMIND_AT = dt.timedelta(hours=9)
"""Alarms ring at 9:00 on the reminder day rather than at midnight."""

CALENDAR_NAME = "Sparkwatch: Spark Ads expiry reminders"
PRODID = "-//Sparkwatch//Spark Ads expiry reminders//EN"
UID_DOMAIN = "sparkwatch"
_SEQUENCE_EPOCH = dt.date(2024, 1, 1)

# Health states whose expiry still lies ahead and still matters: a withdrawn code is over already.
# A link that can be a URL property as it is: http(s), no space, no control, no line break.
_PLAIN_LINK_RE = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def due(diagnosed: pd.DataFrame, days: int = DEFAULT_DAYS) -> pd.DataFrame:
    """Rows whose authorization ends between today (days_left 0) and `days` days from now."""
    days_left = diagnosed["days_left"]
    ahead = days_left.ge(0) & days_left.le(days) & ~diagnosed["health"].isin(ENDED)
    return diagnosed.loc[ahead.fillna(False).astype(bool)]


def authorization_uids(frame: pd.DataFrame) -> pd.Series:
    """A stable, opaque UID per authorization: a hash of creator, post and ad account.

    The post identifies the authorization (a code is for one post), so a renewed code for the
    same post keeps its UID and the event moves to the new date. Where the post is unknown the
    code stands in, hashed: the UID must never reveal it.
    """
    post = frame["post_key"].astype("string")
    fallback = "code:" + frame["code"].astype("string")
    key = (
        "creator:"
        + frame["creator"].astype("string").fillna("")
        + "|post:"
        + post.fillna(fallback).fillna("")
        + "|account:"
        + frame["ad_account"].astype("string").fillna("").str.lower()
    )
    digests = key.map(lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    return digests + f"@{UID_DOMAIN}"


def _text(value: object) -> str | None:
    """A cell as calendar text: one line, no control characters (RFC 5545 allows none in TEXT).

    icalendar escapes commas, semicolons and backslashes and folds long lines, but it passes
    control characters through, and a line break in a cell would read as the product's own.
    """
    return one_line(value) or None if isinstance(value, str) else None


def _url(post: object) -> str | None:
    """The post link as the event's URL property, or None when it cannot be one.

    A URI value may not contain a line break (icalendar raises, which used to fail the whole
    download); a link with spaces or controls inside is not one link either. Such a cell still
    reaches the reader, in the description, as one line. A break pasted at the end is trimmed.
    """
    if not isinstance(post, str):
        return None
    link = post.strip()
    return link if _PLAIN_LINK_RE.fullmatch(link) else None


def _who(rec) -> tuple[str, str]:
    creator = _text(rec.creator) or "(no creator)"
    campaign = _text(rec.campaign) or "no campaign named"
    return creator, campaign


def _title(rec) -> str:
    creator, campaign = _who(rec)
    return f"Spark Ads code ends: {creator} · {campaign}"


def _description(rec, today: dt.date) -> str:
    """What ends, and the fix: the vocabulary's steps for an expiring code, and the duration to ask for."""
    fix = RULES[IssueId.EXPIRING_SOON]
    ends = rec.expires.date()
    post = _text(rec.post) or "a post with no link in the sheet"
    duration = recommended_duration(rec.campaign_end, today)
    lines = [
        f"The authorization for {post} ends on {human_date(ends, weekday=True)} (its last day); "
        "ads using the post stop after that unless the creator sends a new code.",
        "",
        f"What to do ({role_labels(fix.roles)}):",
        *(f"{n}. {step}" for n, step in enumerate(fix.steps, 1)),
        f"Ask for {days(duration)}: the smallest duration that covers the campaign end plus two weeks.",
    ]
    others = [i for i in rec.issues if i != fix.id]
    if others:
        lines += ["", f"Also to fix on this row: {issue_labels(others)}."]
    details = [
        f"Code: {_text(rec.masked)}" if _text(rec.masked) else "",
        f"Ad account: {_text(rec.ad_account)}" if _text(rec.ad_account) else "",
        f"Owner: {_text(rec.owner)}" if _text(rec.owner) else "",
        f"Sheet row {rec.row}",
    ]
    return "\n".join([*lines, "", " · ".join(d for d in details if d)])


def reminders_ics(
    diagnosed: pd.DataFrame,
    today: dt.date,
    days: int = DEFAULT_DAYS,
    remind_days: int = DEFAULT_REMIND_DAYS,
    *,
    stamp: dt.datetime | None = None,
) -> bytes:
    """The .ics file: one all-day event per authorization ending within `days` days.

    `diagnosed` is the frame as the person sees it (already filtered); `stamp` is when the
    file was made (now, unless a test fixes it). SEQUENCE grows with `today`, so calendars
    that honour it let a newer file's event replace an older one's.
    """
    rows = due(diagnosed, days).sort_values(["days_left", "row"], kind="stable")
    rows = rows.assign(uid=authorization_uids(rows), masked=mask_codes(rows["code"]))
    # The same authorization listed twice: one event, on the earlier date.
    rows = rows.drop_duplicates("uid", keep="first")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = stamp or dt.datetime.now(dt.UTC)
    sequence = max((today - _SEQUENCE_EPOCH).days, 0)
    for rec in rows.itertuples(index=False):
        calendar.add_component(_event(rec, today, remind_days, stamp, sequence))
    return calendar.to_ical()


def _event(rec, today: dt.date, remind_days: int, stamp: dt.datetime, sequence: int) -> Event:
    ends = rec.expires.date()
    event = Event()
    event.add("uid", rec.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", ends)
    event.add("dtend", ends + dt.timedelta(days=1))
    event.add("summary", _title(rec))
    event.add("description", _description(rec, today))
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Sparkwatch"])
    url = _url(rec.post)
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", dt.timedelta(days=-remind_days) + REMIND_AT)
    when = relative_day(remind_days)
    creator, campaign = _who(rec)
    alarm.add("description", f"The Spark Ads code of {creator} ({campaign}) ends {when}: ask for a new code now.")
    event.add_component(alarm)
    return event
