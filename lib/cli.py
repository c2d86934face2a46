"""Command line: `python -m lib.cli check SOURCE` — what a person or a cron job runs.

Exit codes: 0 all read; 1 when a `--fail-on` state is present; 2 when the source cannot be
read (one plain line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

import pandas as pd

from lib.clock import team_today
from lib.codes import redact_codes
from lib.diagnose import diagnose, health_counts, needs_action
from lib.errors import SourceError
from lib.normalize import normalize
from lib.report import summary
from lib.sources import read_table
from lib.vocab import DEFAULT_WARN_DAYS, HEALTH, HEALTH_ORDER, ISSUES, issue_labels, role_labels

EXIT_OK, EXIT_FAIL_ON, EXIT_UNREADABLE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-22") from None


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
    parser.add_argument("--warn-days", type=int, default=DEFAULT_WARN_DAYS, help="warning window in days")
    parser.add_argument("--tab", help="read only this tab of a workbook or Google Sheet")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli", description="Sparkwatch: Spark Ads authorization health."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="summarise the sheet's health and what needs action")
    _add_source_options(check)
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.add_argument(
        "--fail-on", type=_states, default=[], help="exit 1 if any row is in these states, e.g. expired,revoked"
    )
    check.set_defaults(run=run_check)
    return parser


def load(args: argparse.Namespace) -> tuple[dt.date, pd.DataFrame, pd.DataFrame]:
    """Read, normalise and diagnose the source the arguments name."""
    today = args.today or team_today(args.tz)
    table = read_table(args.source, today=today, tab=args.tab)
    normalized = normalize(table)
    return today, diagnose(normalized.frame, today, args.warn_days), normalized.problems


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    today, diagnosed, problems = load(args)
    if args.json:
        json.dump(summary(args.source, today, args.warn_days, diagnosed, problems), out, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(render_text(args.source, today, args.warn_days, diagnosed, problems))
    counts = health_counts(diagnosed)
    return EXIT_FAIL_ON if any(counts[s] for s in args.fail_on) else EXIT_OK


def render_text(source: str, today: dt.date, warn_days: int, diagnosed: pd.DataFrame, problems: pd.DataFrame) -> str:
    """A short readable summary and the rows that need action; codes never appear."""
    counts = health_counts(diagnosed)
    lines = [
        f"Sparkwatch · {source} · {len(diagnosed)} authorizations · {today.isoformat()}"
        f" · warning window {warn_days} days",
        "  ".join(f"{HEALTH[s].label}: {n}" for s, n in counts.items()),
    ]
    action = needs_action(diagnosed)
    lines.append("")
    lines.append(f"Needs action ({len(action)}):" if len(action) else "Nothing needs action.")
    for rec in action[["row", "creator", "health", "days_left", "issues"]].itertuples(index=False):
        days = "" if pd.isna(rec.days_left) else f" · {_days_phrase(int(rec.days_left))}"
        who = role_labels(tuple(dict.fromkeys(r for i in rec.issues for r in ISSUES[i].roles)))
        what = issue_labels(rec.issues) or HEALTH[rec.health].meaning
        creator = rec.creator if isinstance(rec.creator, str) else "(no creator)"
        lines.append(
            f"  row {rec.row:>5}  {creator:<24} {HEALTH[rec.health].label}{days} — {what}"
            + (f" → {who}" if who else "")
        )
    if len(problems):
        lines.append("")
        lines.append(f"Fix these in the sheet ({len(problems)}):")
        for p in problems.itertuples(index=False):
            value = f" '{p.value}'" if p.value else ""
            lines.append(f"  row {p.row:>5}  {p.column}{value}: {p.problem}")
    return "\n".join(lines) + "\n"


def _days_phrase(days: int) -> str:
    if days < 0:
        return f"ended {-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "ends today"
    return f"{days} day{'s' if days != 1 else ''} left"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_UNREADABLE if exit_.code else EXIT_OK
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        return run(args, out)
    except (SourceError, ValueError) as error:
        err.write(f"sparkwatch: {redact_codes(str(error))}\n")
    except Exception as error:  # noqa: BLE001 - the promise is: never a traceback
        err.write(f"sparkwatch: could not read the source ({type(error).__name__}).\n")
    return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
