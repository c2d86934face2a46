"""The .ics reminders, parsed back with icalendar as a calendar app would read them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from icalendar import Calendar

from lib.codes import mask_code
from lib.demo import demo_table
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.reminders import CALENDAR_NAME, authorization_uids, due, reminders_ics
from lib.rules import RULES
from tests.fakes.tracking_sheet import TODAY, code, day, judged, tracking_sheet

STAMP = dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC)
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 22, 8, 30, tzinfo=BERLIN)
"""When the tests make the file: TODAY (a Sunday), before 9:00 where the team works."""


def events(data: bytes) -> list:
    calendar = Calendar.from_ical(data)
    assert calendar["version"] == "2.0"
    assert str(calendar["x-wr-calname"]) == CALENDAR_NAME
    return list(calendar.walk("VEVENT"))


def by_summary(data: bytes) -> dict[str, object]:
    return {str(e["summary"]): e for e in events(data)}


def test_one_event_per_authorization_ending_within_the_window():
    frame = judged(
        {"Creator": "today", "Expires": day(0)},
        {"Creator": "edge", "Expires": day(10)},
        {"Creator": "beyond", "Expires": day(11)},
        {"Creator": "ended", "Expires": day(-1)},
        {"Creator": "withdrawn", "Expires": day(3), "Status": "revoked"},
        {"Creator": "nodate", "Expires": ""},
        {"Creator": "bc", "Access": "business center", "Code": "", "Expires": "", "Ad delivery": "yes"},
        {"Creator": "private", "Expires": day(4), "Visibility": "private"},  # blocked, but still ends: remind
        today=TODAY,
    )
    found = events(reminders_ics(frame, TODAY, days=10, now=NOW, stamp=STAMP))
    creators = sorted(str(e["summary"]).split(": ")[1].split(" · ")[0] for e in found)
    assert creators == ["@edge", "@private", "@today"]
    assert sorted(due(frame, 10)["creator"]) == creators


def test_event_is_all_day_on_the_expiry_date_with_a_reminder_days_before():
    frame = judged(
        {"Creator": "amy", "Campaign": "Winter Run", "Expires": day(12), "Campaign end": day(30), "Owner": "Maya"},
        today=TODAY,
    )
    (event,) = events(reminders_ics(frame, TODAY, days=30, remind_days=5, now=NOW, stamp=STAMP))
    assert event.decoded("dtstart") == TODAY + dt.timedelta(days=12)
    assert event.decoded("dtend") == TODAY + dt.timedelta(days=13)
    assert not isinstance(event.decoded("dtstart"), dt.datetime)  # a date: all-day
    assert str(event["summary"]) == "Spark Ads code ends: @amy · Winter Run"
    (alarm,) = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == dt.timedelta(days=-5, hours=9)  # 09:00, five days before
    assert "@amy (Winter Run) ends in 5 days" in str(alarm["description"])
    assert event.decoded("dtstamp") == STAMP
    assert str(event["url"]) == frame["post"].iloc[0]


def test_description_holds_the_fix_duration_post_and_masked_code():
    frame = judged(
        {"Creator": "amy", "Expires": day(3), "Campaign end": day(40), "Ad account": "LUMEN-US-01", "Owner": "Maya"},
        today=TODAY,
    )
    data = reminders_ics(frame, TODAY, now=NOW, stamp=STAMP)
    (event,) = events(data)
    text = str(event["description"])
    row = frame.iloc[0]
    assert row["post"] in text
    assert "ends on Wednesday 25 Nov 2026 (its last day)" in text
    assert "What to do (Creator):" in text
    for n, step in enumerate(RULES["expiring_soon"].steps, 1):
        assert f"{n}. {step}" in text
    assert "Ask for 60 days" in text  # 40 days to the campaign end + 14 → 60
    assert "Also to fix on this row: Ends before the campaign does." in text
    assert f"Code: {mask_code(row['code'])}" in text
    assert "Ad account: LUMEN-US-01 · Owner: Maya · Sheet row 2" in text
    assert row["code"].encode() not in data
    assert row["code"][1:12].encode() not in data


def test_uid_is_stable_when_rows_move_and_when_the_code_is_renewed():
    post = "https://www.tiktok.com/@amy/video/7300000000000000042"
    before = judged(
        {"Creator": "amy", "Post URL": post, "Code": code(1), "Expires": day(5), "Ad account": "A1"},
        {"Creator": "bob", "Expires": day(6)},
        today=TODAY,
    )
    # Later: rows added above, the sheet re-sorted, the creator sent a new code with a new date.
    after = judged(
        {"Creator": "zed", "Expires": day(2)},
        {"Creator": "bob", "Expires": day(6)},
        {"Creator": "@AMY", "Post URL": post + "?lang=en", "Code": code(9), "Expires": day(25), "Ad account": "a1"},
        today=TODAY,
    )
    old, new = (
        by_summary(reminders_ics(before, TODAY, now=NOW, stamp=STAMP)),
        by_summary(reminders_ics(after, TODAY, now=NOW)),
    )
    amy = "Spark Ads code ends: @amy · no campaign named"
    assert old[amy]["uid"] == new[amy]["uid"]
    assert old[amy].decoded("dtstart") != new[amy].decoded("dtstart")
    assert len({str(e["uid"]) for e in new.values()}) == 3
    assert str(old[amy]["uid"]).endswith("@sparkwatch")


def test_uids_differ_per_post_creator_and_ad_account_and_never_reveal_the_code():
    frame = normalize(
        tracking_sheet(
            {"Creator": "amy", "Post URL": "https://www.tiktok.com/@amy/video/1"},
            {"Creator": "amy", "Post URL": "https://www.tiktok.com/@amy/video/2"},
            {"Creator": "bob", "Post URL": "https://www.tiktok.com/@amy/video/1"},
            {"Creator": "amy", "Post URL": "https://www.tiktok.com/@amy/video/1", "Ad account": "B"},
            {"Creator": "amy", "Post URL": "", "Code": code(5)},
            {"Creator": "amy", "Post URL": "", "Code": code(6)},
        )
    ).frame
    uids = authorization_uids(frame)
    assert uids.is_unique
    assert uids.str.fullmatch(r"[0-9a-f]{32}@sparkwatch").all()
    # Same facts → same UID, whatever else changed.
    again = frame.assign(row=frame["row"] + 10, notes="moved")
    assert authorization_uids(again).tolist() == uids.tolist()


def test_the_same_authorization_twice_gives_one_event_on_the_earlier_date():
    post = "https://www.tiktok.com/@amy/video/5"
    frame = judged(
        {"Creator": "amy", "Post URL": post, "Expires": day(9)},
        {"Creator": "amy", "Post URL": post, "Expires": day(4)},
        today=TODAY,
    )
    (event,) = events(reminders_ics(frame, TODAY, now=NOW, stamp=STAMP))
    assert event.decoded("dtstart") == TODAY + dt.timedelta(days=4)


def test_sheet_text_survives_commas_semicolons_and_newlines():
    frame = judged({"Creator": "amy", "Campaign": "Run, Walk; Jog\\Rest", "Expires": day(1)}, today=TODAY)
    (event,) = events(reminders_ics(frame, TODAY, now=NOW, stamp=STAMP))
    assert str(event["summary"]) == "Spark Ads code ends: @amy · Run, Walk; Jog\\Rest"


def test_reminder_on_the_day_itself_and_an_empty_calendar():
    frame = judged({"Expires": day(2)}, today=TODAY)
    (event,) = events(reminders_ics(frame, TODAY, remind_days=0, now=NOW, stamp=STAMP))
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(hours=9)
    assert "ends today" in str(alarm["description"])
    assert events(reminders_ics(frame, TODAY, days=1, now=NOW, stamp=STAMP)) == []
    assert events(reminders_ics(frame.iloc[0:0], TODAY, now=NOW, stamp=STAMP)) == []


def test_same_input_same_bytes_and_newer_files_have_a_higher_sequence():
    frame = judged({"Expires": day(5)}, today=TODAY)
    assert reminders_ics(frame, TODAY, now=NOW, stamp=STAMP) == reminders_ics(frame, TODAY, now=NOW, stamp=STAMP)
    later = TODAY + dt.timedelta(days=1)
    (first,) = events(reminders_ics(frame, TODAY, now=NOW, stamp=STAMP))
    (second,) = events(reminders_ics(diagnose(frame, later), later, now=NOW, stamp=STAMP))
    assert int(second["sequence"]) > int(first["sequence"])
    assert first["uid"] == second["uid"]


@pytest.mark.parametrize(
    ("days", "ends"),
    [
        (18, ["2026-12-09", "2026-12-09"]),  # @zoe.reviews and @amarabeauty (blocked, but ending)
        (30, ["2026-12-09", "2026-12-09", "2026-12-12"]),  # and @rosie.runs
        (90, ["2026-12-09", "2026-12-09", "2026-12-12"]),  # the rest end next autumn; one expired already
    ],
)
def test_demo_calendar_matches_the_rows_on_screen(days, ends, demo_diagnosed):
    frame = demo_diagnosed
    shown = frame.loc[frame["campaign"].eq("Summer Glow").fillna(False)]  # as if filtered on screen
    data = reminders_ics(shown, TODAY, days=days, now=NOW, stamp=STAMP)
    found = events(data)
    assert sorted(e.decoded("dtstart").isoformat() for e in found) == ends
    assert all("Summer Glow" in str(e["summary"]) for e in found)
    assert not any(c.encode() in data for c in frame["code"].dropna())
    assert pd.Series([str(e["uid"]) for e in found]).is_unique


# Every control character a cell can carry: C0 (NUL, BEL, ESC, vertical tab, form feed, a lone CR,
# CRLF, LF), DEL, C1 (NEL, CSI) and the Unicode line and paragraph separators.
CONTROLS = "\x00\x07\x1b[2J\x0b\x0c\r\r\n\n\x7f\x85\x9b\u2028\u2029"
BAD_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def ics_values(data: bytes) -> list[str]:
    """Every decoded property value of every component: what a calendar app shows."""
    calendar = Calendar.from_ical(data)
    values = []
    for component in calendar.walk():
        for name, value in component.property_items(recursive=False):
            if name not in ("BEGIN", "END"):
                values.append(value.to_ical().decode("utf-8") if hasattr(value, "to_ical") else str(value))
    for event in calendar.walk("VEVENT"):
        values += [str(event[key]) for key in ("summary", "description") if key in event]
    return values


def test_a_post_link_with_a_line_break_does_not_break_the_calendar():
    """One pasted link with a line break used to raise, failing the whole download for everyone."""
    link = "https://www.tiktok.com/@amy/video/1\nhttps://www.tiktok.com/@amy/video/2"
    frame = judged(
        {"Creator": "amy", "Post URL": link, "Expires": day(3)},
        {"Creator": "bob", "Post URL": "https://www.tiktok.com/@bob/video/3\r", "Expires": day(4)},
        {"Creator": "cy", "Expires": day(5)},
        today=TODAY,
    )
    data = reminders_ics(frame, TODAY, now=NOW, stamp=STAMP)
    found = by_summary(data)
    assert len(found) == 3
    amy = found["Spark Ads code ends: @amy · no campaign named"]
    # The link cannot be one URL property any more: it is in the description, on one line.
    assert "url" not in amy
    assert "https://www.tiktok.com/@amy/video/1 https://www.tiktok.com/@amy/video/2" in str(amy["description"])
    bob = found["Spark Ads code ends: @bob · no campaign named"]
    assert str(bob["url"]) == "https://www.tiktok.com/@bob/video/3"  # a break pasted at the end is trimmed
    cy = found["Spark Ads code ends: @cy · no campaign named"]
    assert str(cy["url"]) == frame.loc[frame["creator"] == "@cy", "post"].iloc[0]  # a clean link keeps its URL


def test_control_characters_in_any_cell_never_reach_the_calendar_file():
    frame = judged(
        {
            "Creator": f"amy{CONTROLS}x",
            "Post URL": f"https://www.tiktok.com/@amy/video/1{CONTROLS}",
            "Campaign": f"Winter{CONTROLS}Run",
            "Owner": f"Maya{CONTROLS}",
            "Ad account": f"LUMEN{CONTROLS}01",
            "Expires": day(3),
        },
        today=TODAY,
    )
    data = reminders_ics(frame, TODAY, now=NOW, stamp=STAMP)
    # On the wire: only CRLF line ends (folded lines start with a space); no other control byte at all.
    assert not re.search(rb"[\x00-\x1f\x7f]", data.replace(b"\r\n", b""))
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n", data)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    (event,) = events(data)
    for value in ics_values(data):
        assert not BAD_CONTROLS.search(value.replace("\n", " ")), repr(value)
    summary = str(event["summary"])
    assert summary.startswith("Spark Ads code ends: @amy") and "Winter[2J Run" in summary and "\n" not in summary
    description = str(event["description"])
    assert "Owner: Maya" in description and "LUMEN" in description
    assert description.count("\n") >= 5  # the product's own line breaks are kept
    assert "Ad account: LUMEN[2J 01" in description  # the escape is inert text; the breaks are one space
    assert "https://www.tiktok.com/@amy/video/1[2J" in description


# --------------------------------------------------------------------------- alarms never in the past


def ring_times(data: bytes, tz: dt.tzinfo) -> list[tuple[dt.date, dt.datetime, str]]:
    """(last day, when the alarm rings in the team's zone, its text) for every alarm, as a calendar reads it.

    A relative trigger counts from the all-day start (midnight of the last day, in the team's
    zone for this check); an absolute one is an exact moment.
    """
    found = []
    for event in events(data):
        ends = event.decoded("dtstart")
        for alarm in event.walk("VALARM"):
            trigger = alarm.decoded("trigger")
            if isinstance(trigger, dt.timedelta):
                assert "VALUE" not in alarm["trigger"].params
                at = dt.datetime.combine(ends, dt.time(), tzinfo=tz) + trigger
            else:
                assert alarm["trigger"].params["VALUE"] == "DATE-TIME"
                assert trigger.tzinfo is not None
                at = trigger.astimezone(tz)
            found.append((ends, at, str(alarm["description"])))
    return found


def days_text(days: int) -> str:
    return "ends today" if days == 0 else "ends tomorrow" if days == 1 else f"ends in {days} days"


MOMENTS = [
    dt.datetime(2026, 11, 23, 7, 0),  # Monday, before 9:00
    dt.datetime(2026, 11, 23, 9, 0),  # Monday, 9:00 exactly
    dt.datetime(2026, 11, 23, 15, 7),  # Monday afternoon
    dt.datetime(2026, 11, 27, 16, 0),  # Friday afternoon: the next working morning is Monday
    dt.datetime(2026, 11, 28, 10, 0),  # Saturday
    dt.datetime(2026, 11, 22, 23, 50),  # Sunday, the last quarter hour of the day
    dt.datetime(2027, 3, 28, 8, 0),  # the morning clocks go forward in Berlin
]


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: f"{m:%a-%H%M}")
@pytest.mark.parametrize("remind_days", [0, 1, 3, 7])
def test_no_alarm_rings_before_the_file_is_made_or_after_the_code_ends(moment, remind_days):
    now = moment.replace(tzinfo=BERLIN)
    today = now.date()
    frame = judged(*({"Creator": f"c{n}", "Expires": day(n, today)} for n in range(12)), today=today)
    data = reminders_ics(frame, today, days=11, remind_days=remind_days, now=now)
    rings = ring_times(data, BERLIN)
    assert len(rings) == 12
    for ends, at, text in rings:
        assert at >= now, (ends, at)
        assert at < dt.datetime.combine(ends + dt.timedelta(days=1), dt.time(), tzinfo=BERLIN), (ends, at)
        assert days_text((ends - at.date()).days) in text, (ends, at, text)
        if ends - dt.timedelta(days=remind_days) > today:  # far enough ahead: the usual alarm, unchanged
            assert at == dt.datetime.combine(ends - dt.timedelta(days=remind_days), dt.time(9), tzinfo=BERLIN)
            assert days_text(remind_days) in text


@pytest.mark.parametrize(
    ("moment", "ends_in", "rings", "text"),
    [
        # Ends today, before 9:00: this morning at 9:00.
        (dt.datetime(2026, 11, 23, 7, 0), 0, dt.datetime(2026, 11, 23, 9, 0), "ends today"),
        # Ends today, in the afternoon: within the quarter hour, not in the past and not tomorrow.
        (dt.datetime(2026, 11, 23, 15, 7), 0, dt.datetime(2026, 11, 23, 15, 15), "ends today"),
        # Ends in two days, already inside the 7-day window: tomorrow morning.
        (dt.datetime(2026, 11, 23, 15, 7), 2, dt.datetime(2026, 11, 24, 9, 0), "ends tomorrow"),
        # Friday afternoon, ends Monday: Monday morning, its last day.
        (dt.datetime(2026, 11, 27, 16, 0), 3, dt.datetime(2026, 11, 30, 9, 0), "ends today"),
        # Saturday, ends Sunday: no working morning before it ends, so now-ish.
        (dt.datetime(2026, 11, 28, 10, 0), 1, dt.datetime(2026, 11, 28, 10, 15), "ends tomorrow"),
        # The last minutes of the last day: at once.
        (dt.datetime(2026, 11, 22, 23, 50), 0, dt.datetime(2026, 11, 22, 23, 50), "ends today"),
    ],
)
def test_an_urgent_code_rings_the_next_working_morning_or_at_once(moment, ends_in, rings, text):
    now = moment.replace(tzinfo=BERLIN)
    frame = judged({"Creator": "amy", "Campaign": "Winter Run", "Expires": day(ends_in, now.date())}, today=now.date())
    ((_, at, description),) = ring_times(reminders_ics(frame, now.date(), remind_days=7, now=now), BERLIN)
    assert at == rings.replace(tzinfo=BERLIN)
    assert description == f"The Spark Ads code of @amy (Winter Run) {text}: ask for a new code now."


def test_the_demo_calendar_has_no_alarm_in_the_past():
    """The demo's two most urgent events used to carry alarms that had rung before the file existed."""
    now = dt.datetime(2026, 11, 23, 14, 0, tzinfo=BERLIN)
    frame = diagnose(normalize(demo_table(now.date())).frame, now.date())
    rings = ring_times(reminders_ics(frame, now.date(), now=now), BERLIN)
    assert len(rings) == len(due(frame)) > 2
    assert all(at >= now for _, at, _ in rings)
    assert any(at.date() == now.date() for _, at, _ in rings)  # the code ending today still rings today


def test_now_must_say_its_time_zone():
    frame = judged({"Expires": day(2)}, today=TODAY)
    with pytest.raises(ValueError, match="time zone"):
        reminders_ics(frame, TODAY, now=dt.datetime(2026, 11, 22, 8, 0))


def test_reminder_events_for_calendars_that_drop_alarms():
    """With the option, each reminder is also a short timed event on the morning it is due."""
    now = dt.datetime(2026, 11, 23, 15, 7, tzinfo=BERLIN)
    frame = judged(
        {"Creator": "amy", "Campaign": "Winter Run", "Expires": day(20, now.date())},
        {"Creator": "bob", "Expires": day(0, now.date())},
        today=now.date(),
    )
    plain = reminders_ics(frame, now.date(), now=now)
    data = reminders_ics(frame, now.date(), now=now, reminder_events=True)
    assert len(events(plain)) == 2
    found = events(data)
    assert len(found) == 4
    alarms = {
        str(e["uid"]): ring
        for e, ring in zip([e for e in found if e.walk("VALARM")], ring_times(data, BERLIN), strict=True)
    }
    reminders = [e for e in found if not e.walk("VALARM")]
    assert len(reminders) == 2
    for event in reminders:
        uid = str(event["uid"])
        assert uid.endswith("-reminder@sparkwatch")
        ends, at, text = alarms[uid.replace("-reminder@", "@")]
        start = event.decoded("dtstart")
        assert isinstance(start, dt.datetime)  # timed, so it shows at its hour in the agenda
        start = start.replace(tzinfo=BERLIN) if start.tzinfo is None else start.astimezone(BERLIN)
        assert start == at >= now
        assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=15)
        assert str(event["description"]) == text
        assert days_text((ends - at.date()).days) in str(event["summary"])
    summaries = sorted(str(e["summary"]) for e in reminders)
    assert summaries == [
        "Ask @amy for a new Spark Ads code (Winter Run): it ends in 7 days",
        "Ask @bob for a new Spark Ads code (no campaign named): it ends today",
    ]
