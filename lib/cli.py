"""Command line: what a person or a cron job runs.

    python -m lib.cli check SOURCE [--json] [--fail-on STATES]     summary and rows needing action
    python -m lib.cli calendar SOURCE -o FILE.ics [--days N] [--remind-days N] [--reminder-events]
    python -m lib.cli alert SOURCE --webhook URL [--warn-days N] [--dry-run]

Every command also takes --today, --tz, --warn-days and --tab.

Exit codes, the same scheme for all three:
  0  the source was read and nothing calls for attention (check: no `--fail-on` state present;
     calendar: the file was written; alert: nothing expiring, expired, revoked or blocked, so
     nothing was sent);
  1  something calls for attention (check: a `--fail-on` state is present; alert: such rows
     exist and the alert was sent, or printed with --dry-run) — `alert` exits like
     `check --fail-on revoked,expired,blocked,expiring`;
  2  nothing could be done: the source cannot be read, the file cannot be written, the webhook
     address is missing, or the webhook did not accept the alert (one plain line on stderr,
     never a traceback); also a command line argparse refuses;
  3  a bug in Sparkwatch, not a problem with your sheet: one plain line on stderr naming the
     error's type only, and where to report it (see the README's "Reporting a problem").

A morning alert from cron (the webhook address from the environment keeps it out of `ps` and
of the crontab's command line):

    0 9 * * 1-5  cd /srv/sparkwatch && SPARKWATCH_WEBHOOK="$(cat ~/.sparkwatch-webhook)" \
        python -m lib.cli alert "$SHEET_URL" --tz Europe/Berlin --warn-days 7 >> ~/sparkwatch.log 2>&1
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, cast

import pandas as pd

from lib.alerts import (
    ALERT_STATES,
    TIMEOUT_SECONDS,
    WEBHOOK_ENV,
    action_line,
    alert_payload,
    alert_rows,
    post_webhook,
    webhook_host,
)
from lib.bidi import isolate
from lib.clock import team_now, team_timezone, team_today
from lib.columns import TAB
from lib.dates import parse_date_order
from lib.diagnose import diagnose, health_counts, needs_action
from lib.errors import ErrorKind, SparkwatchError, UsageError
from lib.exports import one_line, printable
from lib.normalize import Normalized, normalize
from lib.reminders import DEFAULT_DAYS, DEFAULT_REMIND_DAYS, reminders_ics
from lib.report import records, summary
from lib.settings import DATE_ORDER_ENV, for_command_line
from lib.sources import open_source
from lib.sources.published import source_label
from lib.vocab import DEFAULT_WARN_DAYS, HEALTH, HEALTH_ORDER
from lib.words import days, iso_date, plural, redact

EXIT_OK, EXIT_FAIL_ON, EXIT_UNREADABLE, EXIT_BUG = 0, 1, 2, 3
EXIT_ATTENTION = EXIT_FAIL_ON
"""1 means 'look at this' for every command: a --fail-on state, or an alert that went out."""
REPORT_AT = "the README's 'Reporting a problem' section"
BUG_LINE = (
    "sparkwatch: Sparkwatch hit an unexpected problem (a bug, not your sheet): {name}. "
    f"Please report it: see {REPORT_AT}."
)
"""What a bug prints: the exception's type only, since its message could quote a cell or a secret."""
EPILOG = (
    "exit codes: 0 all well; 1 something needs attention (a --fail-on state, or an alert sent); "
    "2 nothing could be done (the source, the file or the webhook; one plain line on stderr); "
    f"{EXIT_BUG} a bug in Sparkwatch, not your sheet (please report it: see {REPORT_AT})."
)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-22") from None


def _days(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days, {minimum} or more")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0")
    return value


def _date_order(text: str) -> str:
    order = parse_date_order(text)
    if order is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date order: use DMY (day first) or MDY (month first)")
    return order


def _states(text: str) -> list[str]:
    states = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in states if s not in HEALTH]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown state {', '.join(unknown)}; use any of {', '.join(HEALTH_ORDER)}")
    return states


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="'demo', a .csv/.xlsx file, a published CSV link, or a Google Sheet URL/key")
    parser.add_argument("--today", type=_date, help="judge as of this day (YYYY-MM-DD); default: today")
    parser.add_argument("--tz", help="the team's time zone for 'today', e.g. Europe/Berlin")
    parser.add_argument("--warn-days", type=_days(0), default=DEFAULT_WARN_DAYS, help="warning window in days")
    parser.add_argument("--tab", help="read only this tab of a workbook or Google Sheet")
    parser.add_argument(
        "--date-order",
        type=_date_order,
        default=None,
        help=f"read dates like 02/12/2026 as DMY (day first) or MDY (month first); default: ${DATE_ORDER_ENV}",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli", description="Sparkwatch: Spark Ads authorization health.", epilog=EPILOG
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="summarise the sheet's health and what needs action")
    _add_source_options(check)
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.add_argument(
        "--fail-on", type=_states, default=[], help="exit 1 if any row is in these states, e.g. expired,revoked"
    )
    check.set_defaults(run=run_check)

    calendar = commands.add_parser("calendar", help="write an .ics file of expiry reminders for your calendar")
    _add_source_options(calendar)
    calendar.add_argument("-o", "--output", required=True, help="the .ics file to write ('-' for standard output)")
    calendar.add_argument(
        "--days", type=_days(1), default=DEFAULT_DAYS, help=f"authorizations ending in the next N days ({DEFAULT_DAYS})"
    )
    calendar.add_argument(
        "--remind-days",
        type=_days(0),
        default=DEFAULT_REMIND_DAYS,
        help=f"reminder this many days before the end ({DEFAULT_REMIND_DAYS})",
    )
    calendar.add_argument(
        "--reminder-events",
        action="store_true",
        help="also one short event per reminder, for calendars that drop alarms on import (Google Calendar)",
    )
    calendar.set_defaults(run=run_calendar)

    alert = commands.add_parser("alert", help="post one chat message when something is expiring, expired or blocked")
    _add_source_options(alert)
    alert.add_argument("--webhook", help=f"Slack-compatible incoming webhook URL (default: ${WEBHOOK_ENV})")
    alert.add_argument(
        "--timeout",
        type=_seconds,
        default=TIMEOUT_SECONDS,
        help=f"seconds the whole delivery to the webhook may take ({TIMEOUT_SECONDS:g})",
    )
    alert.add_argument("--dry-run", action="store_true", help="print the message instead of sending it")
    alert.set_defaults(run=run_alert)
    return parser


def load(args: argparse.Namespace) -> tuple[dt.date, pd.DataFrame, Normalized]:
    """Read, normalise and diagnose the source the arguments name."""
    today = args.today or team_today(args.tz)
    table = open_source(for_command_line(args.source, args.tab, os.environ)).read(today)
    normalized = normalize(table, date_order=args.date_order or parse_date_order(os.environ.get(DATE_ORDER_ENV)))
    return today, diagnose(normalized.frame, today, args.warn_days), normalized


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    today, diagnosed, normalized = load(args)
    problems = normalized.problems
    if args.json:
        data = summary(source_label(args.source), today, args.warn_days, diagnosed, problems, normalized.columns)
        out.write(json_text(data) + "\n")
    else:
        out.write(render_text(args.source, today, args.warn_days, diagnosed, problems, normalized.columns_note))
    counts = health_counts(diagnosed)
    return EXIT_FAIL_ON if any(counts[s] for s in args.fail_on) else EXIT_OK


_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What `json.dumps(ensure_ascii=False)` leaves raw although a terminal acts on it: DEL, the C1
controls (U+009B is CSI, like ESC [), the line separators and the bidi controls."""


def json_text(data: object) -> str:
    """`data` as JSON that is safe to print on a terminal and decodes to exactly the same values.

    json escapes C0 controls itself; everything in `_JSON_UNSAFE_RE` is written as a \\uXXXX
    escape too (such characters only ever occur inside JSON strings, so this is still JSON).
    """
    text = json.dumps(data, ensure_ascii=False)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _cell(value: object) -> str:
    """Sheet text in a line of the report: one line, no controls, isolated if it could reorder the line."""
    return isolate(one_line(value)) if isinstance(value, str) else ""


def render_text(
    source: str,
    today: dt.date,
    warn_days: int,
    diagnosed: pd.DataFrame,
    problems: pd.DataFrame,
    columns_note: str = "",
) -> str:
    """A short readable summary and the rows that need action; codes and published links never appear.

    Cells are printed as text, never as terminal commands: no escape sequence from the sheet
    reaches the terminal (see `_cell`, and the final `printable` pass).
    """
    counts = health_counts(diagnosed)
    named = one_line(source_label(source))
    lines = [
        f"Sparkwatch · {named} · {plural(len(diagnosed), 'authorization')} · {iso_date(today)}"
        f" · warning window {days(warn_days)}",
        "  ".join(f"{HEALTH[s].label}: {n}" for s, n in counts.items()),
    ]
    action = needs_action(diagnosed)
    lines.append("")
    lines.append(f"Needs action ({len(action)}):" if len(action) else "Nothing needs action.")
    lines += [f"  {action_line(record)}" for record in records(action)]
    if len(problems):
        lines.append("")
        lines.append(f"Fix these in the sheet ({len(problems)}):")
        for p in problems.itertuples(index=False):
            value = f" '{_cell(p.value)}'" if p.value else ""
            # A merged sheet numbers rows within each tab: the tab says which row 7 it is.
            tab_name = getattr(p, TAB, None)
            tab = f"(tab {_cell(tab_name)})  " if isinstance(tab_name, str) and tab_name else ""
            lines.append(f"  row {p.row:>5}  {tab}{_cell(p.column)}{value}: {one_line(cast(str, p.problem))}")
    if columns_note:
        # Which header was read as what: a team checks this once, so it is said once.
        lines += ["", _cell(columns_note)]
    # Problem cells are echoed as typed: a code pasted into the wrong column must not leak.
    return redact(printable("\n".join(lines) + "\n"))


def run_calendar(args: argparse.Namespace, out: TextIO) -> int:
    today, diagnosed, _ = load(args)
    now = team_now(team_timezone(args.tz), args.today)
    data = reminders_ics(
        diagnosed, today, days=args.days, remind_days=args.remind_days, now=now, reminder_events=args.reminder_events
    )
    count = data.count(b"BEGIN:VALARM")  # one alarm per authorization, with or without reminder events
    if args.output == "-":
        out.write(data.decode("utf-8"))
        return EXIT_OK
    path = Path(args.output)
    try:
        path.write_bytes(data)
    except OSError as error:
        raise UsageError(
            f"Could not write {path}: {error.strerror or 'the folder is missing or not writable'}.",
            kind=ErrorKind.CANNOT_WRITE,
        ) from None
    until = today + dt.timedelta(days=args.days)
    if count:
        out.write(f"Wrote {plural(count, 'reminder')} (authorizations ending by {iso_date(until)}) to {path}.\n")
    else:
        out.write(f"No authorization ends by {iso_date(until)}: wrote an empty calendar to {path}.\n")
    return EXIT_OK


def run_alert(args: argparse.Namespace, out: TextIO) -> int:
    url = (args.webhook or os.environ.get(WEBHOOK_ENV) or "").strip()
    if not url and not args.dry_run:
        raise UsageError(f"Give the webhook address with --webhook URL, or set {WEBHOOK_ENV}.")
    today, diagnosed, normalized = load(args)
    payload = alert_payload(args.source, today, args.warn_days, diagnosed, normalized.problems)
    if payload is None:
        states = ", ".join(HEALTH[s].label.lower() for s in ALERT_STATES)
        out.write(f"All well: nothing is {states}. No alert sent.\n")
        return EXIT_OK
    if args.dry_run:
        out.write(payload["text"] + "\n")
        return EXIT_ATTENTION
    post_webhook(url, payload, timeout=args.timeout)
    need = plural(len(alert_rows(diagnosed)), "authorization needs", "authorizations need")
    out.write(f"Alert sent to {webhook_host(url)}: {need} action.\n")
    return EXIT_ATTENTION


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        # argparse prints usage and help itself: send it where this call's output goes.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_UNREADABLE if exit_.code else EXIT_OK
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        return run(args, out)
    except SparkwatchError as error:
        err.write(f"sparkwatch: {one_line(redact(str(error)))}\n")
        return EXIT_UNREADABLE
    except Exception as error:  # noqa: BLE001 - a bug: say so plainly, never a traceback
        # Only the type's name: the message of an unexpected error may quote a cell or a secret.
        err.write(BUG_LINE.format(name=type(error).__name__) + "\n")
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
