"""Expiry reminders as a calendar file (.ics) the team imports into the calendar it already uses.

No tool the team has warns ahead of an expiry; their calendar can. Each authorization that
ends in the next N days becomes one all-day event on its expiry date, with an alarm some days
before, so there is time to ask the creator for a new code. Events carry a UID derived from
what identifies the authorization in the sheet (creator, post, ad account), not from its row
number, which moves as people sort the sheet: importing a newer file moves an event instead
of adding a second one. The code itself never appears: not in the text, not in the UID.
(Named `reminders`, not `calendar`, so it never shadows the standard library's module.)

An alarm is never in the past, whenever the file is made. The usual alarm is relative ("N days
before, at 9:00"), so it rings at 9:00 wherever the reader's calendar is. A code that is
already inside those N days (or ends today) cannot have that alarm: it would have rung before
the file existed, and calendars do not ring a past alarm. Its alarm rings the next working
morning at 9:00 in the team's time zone instead, when that is still before the code ends; when
it is not (the code ends today and it is past 9:00, or the end falls before Monday), it rings
within a quarter of an hour: the person just downloaded the file, and the ad stops soon.
Its text then says the days left on the day it rings, not N.

Some calendars drop alarms from an imported file (Google Calendar does). For them, the file
can also carry one short event per reminder, on the morning it is due, which shows in the
day's agenda whatever the calendar does with alarms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from lib.codes import mask_codes
from lib.exports import one_line
from lib.messages import recommended_duration
from lib.rules import RULES, IssueId, issue_labels
from lib.vocab import DEFAULT_WARN_DAYS, ENDED, role_labels
from lib.words import days, human_date, relative_day

if TYPE_CHECKING:  # icalendar is imported where a file is written: `check` reads this module's defaults only
    from icalendar import Event

DEFAULT_DAYS = 30
"""How far ahead the calendar looks by default: a month of expiries."""
DEFAULT_REMIND_DAYS = DEFAULT_WARN_DAYS
"""Remind when the code enters the warning window: the day it would turn 'Expiring soon'."""
REMIND_AT = dt.timedelta(hours=9)
"""Alarms ring at 9:00 on the reminder day rather than at midnight."""
SOON = dt.timedelta(minutes=15)
"""A reminder too late for any morning rings at the next quarter hour: time to import the file."""
REMINDER_LENGTH = dt.timedelta(minutes=15)
"""How long a reminder's own event lasts in the agenda (it is a nudge, not a meeting)."""
WORKING_DAYS = frozenset(range(5))
"""Monday to Friday: an urgent reminder waits for the next of these mornings, if the code lasts that long."""

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


@dataclass(frozen=True)
class Ring:
    """When one reminder rings, and how many days the code has left that day."""

    at: dt.datetime
    """The moment, in the team's time zone."""
    days_left: int
    morning: bool
    """True when it rings at 9:00 on its day, written as floating time (9:00 wherever the reader's
    calendar is, like every alarm before this change); False for the quarter-hour one, an exact moment."""


def _at(day: dt.date, tz: dt.tzinfo | None, offset: dt.timedelta = dt.timedelta()) -> dt.datetime:
    """Midnight starting `day` in the time zone, plus `offset` (9:00 is `REMIND_AT`)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz) + offset


def ring(ends: dt.date, remind_days: int, now: dt.datetime) -> Ring:
    """When the reminder for a code whose last day is `ends` rings, never before `now`.

    `now` is aware, in the team's time zone. The usual time is 9:00, `remind_days` before the
    end. When that has passed, the next working morning at 9:00 while the code still runs,
    else the next quarter hour (or `now` itself in the code's last quarter hour).
    """
    if now.tzinfo is None:
        raise ValueError("now must carry the team's time zone")
    tz = now.tzinfo
    planned = ends - dt.timedelta(days=remind_days)
    if _at(planned, tz, REMIND_AT) >= now:
        return Ring(_at(planned, tz, REMIND_AT), remind_days, morning=True)
    ended = _at(ends + dt.timedelta(days=1), tz)
    day = now.date()
    while _at(day, tz, REMIND_AT) < now or day.weekday() not in WORKING_DAYS:
        day += dt.timedelta(days=1)
    if _at(day, tz, REMIND_AT) < ended:
        return Ring(_at(day, tz, REMIND_AT), (ends - day).days, morning=True)
    quarter = SOON.total_seconds()
    soon = dt.datetime.fromtimestamp((now.timestamp() // quarter + 1) * quarter, tz)
    at = soon if soon < ended else now
    return Ring(at, (ends - at.date()).days, morning=False)


def reminders_ics(
    diagnosed: pd.DataFrame,
    today: dt.date,
    days: int = DEFAULT_DAYS,
    remind_days: int = DEFAULT_REMIND_DAYS,
    *,
    now: dt.datetime,
    stamp: dt.datetime | None = None,
    reminder_events: bool = False,
) -> bytes:
    """The .ics file: one all-day event per authorization ending within `days` days.

    `diagnosed` is the frame as the person sees it (already filtered); `now` is when the file
    is made, aware, in the team's time zone (no alarm rings before it); `stamp` is the DTSTAMP
    (`now` unless the caller keeps it steady, e.g. the read time). With `reminder_events`, each
    reminder is also an event of its own, for calendars that drop alarms on import. SEQUENCE
    grows with `today`, so calendars that honour it let a newer file's event replace an older one's.
    """
    rows = due(diagnosed, days).sort_values(["days_left", "row"], kind="stable")
    rows = rows.assign(uid=authorization_uids(rows), masked=mask_codes(rows["code"]))
    # The same authorization listed twice: one event, on the earlier date.
    rows = rows.drop_duplicates("uid", keep="first")

    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = (stamp or now).astimezone(dt.UTC)  # DTSTAMP is always UTC (RFC 5545)
    sequence = max((today - _SEQUENCE_EPOCH).days, 0)
    for rec in rows.itertuples(index=False):
        expires = cast(pd.Timestamp, rec.expires)  # a due row always has its end date
        when = ring(expires.date(), remind_days, now)
        calendar.add_component(_event(rec, today, when, stamp, sequence))
        if reminder_events:
            calendar.add_component(_reminder_event(rec, when, stamp, sequence))
    return calendar.to_ical()


def _nudge(rec, when: Ring) -> str:
    creator, campaign = _who(rec)
    return f"The Spark Ads code of {creator} ({campaign}) ends {relative_day(when.days_left)}: ask for a new code now."


def _trigger(when: Ring, ends: dt.date) -> tuple[dt.timedelta | dt.datetime, dict[str, str]]:
    """The alarm's TRIGGER: relative to the all-day start for a 9:00 one, else an exact UTC moment."""
    if when.morning:
        return (when.at.date() - ends) + REMIND_AT, {}
    return when.at.astimezone(dt.UTC), {"VALUE": "DATE-TIME"}


def _reminder_event(rec, when: Ring, stamp: dt.datetime, sequence: int) -> Event:
    """The reminder as a short event of its own, on the morning it is due.

    A morning reminder is written in floating time (9:00 in whatever zone the calendar is in,
    like the alarms); one that rings at a quarter hour is an exact moment. Its UID follows the
    authorization's, so a newer file moves it too.
    """
    from icalendar import Event

    event = Event()
    event.add("uid", rec.uid.replace(f"@{UID_DOMAIN}", f"-reminder@{UID_DOMAIN}"))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    start = when.at.replace(tzinfo=None) if when.morning else when.at.astimezone(dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + REMINDER_LENGTH)
    creator, campaign = _who(rec)
    event.add("summary", f"Ask {creator} for a new Spark Ads code ({campaign}): it ends {relative_day(when.days_left)}")
    event.add("description", _nudge(rec, when))
    _mark_as_ours(event, rec)
    return event


def _mark_as_ours(event: Event, rec: Any) -> None:
    """What every event of ours carries: free time, the Sparkwatch category, the post's link."""
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Sparkwatch"])
    url = _url(rec.post)
    if url:
        event.add("url", url)


def _event(rec, today: dt.date, when: Ring, stamp: dt.datetime, sequence: int) -> Event:
    from icalendar import Alarm, Event

    ends = rec.expires.date()
    event = Event()
    event.add("uid", rec.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", ends)
    event.add("dtend", ends + dt.timedelta(days=1))
    event.add("summary", _title(rec))
    event.add("description", _description(rec, today))
    _mark_as_ours(event, rec)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    trigger, parameters = _trigger(when, ends)
    alarm.add("trigger", trigger, parameters=parameters)
    alarm.add("description", _nudge(rec, when))
    event.add_component(alarm)
    return event
