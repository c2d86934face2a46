"""Command line: what a person or a cron job runs.

    python -m lib.cli check SOURCE [--json] [--fail-on STATES]     summary and rows needing action
    python -m lib.cli calendar SOURCE -o FILE.ics [--days N] [--remind-days N] [--reminder-events]
    python -m lib.cli alert SOURCE --webhook URL [--warn-days N] [--dry-run]
    python -m lib.cli apply SOURCE --advertiser ID [--ad-account NAME] [--dry-run] [--log FILE]
    python -m lib.cli tiktok-token --app-id ID --auth-code CODE [--token-file FILE]

Every command but tiktok-token also takes --today, --tz, --warn-days and --tab.

TikTok: when TIKTOK_ACCESS_TOKEN and TIKTOK_ADVERTISER_IDS are set (SPARKWATCH_TIKTOK_API for
another API root), `check` also reads the ad accounts and judges each row by what TikTok says
(`lib.reconcile`); its JSON then has, per record, `"tiktok"` ({status, ends_on, post_status,
advertiser_id}, or null when TikTok has nothing on the row), and at the top `"ads_manager_only"`
(posts the ad accounts hold that the sheet lacks, codes masked), `"tiktok_read_at"` and
`"tiktok_error"`. When TikTok cannot be read the sheet's own result still prints, with
`"tiktok_error"` set and one plain line on stderr, within 30 seconds (`lib.tiktok.api.DEFAULT_BUDGET`).
`apply` applies the codes waiting to be applied to one ad account (see `lib.tiktok.actions`),
exits 1 when TikTok refused any, and logs every attempt (`lib.actionlog`). `tiktok-token` is the
one command that prints a secret: the new token, once, on the last line of standard output
(never on stderr, never in a log), or only into --token-file when given.

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
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

import pandas as pd
import pyarrow as pa

from lib import jsonout
from lib.alerts import (
    ALERT_STATES,
    TIMEOUT_SECONDS,
    WEBHOOK_ENV,
    action_utf8,
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
from lib.errors import ErrorKind, SparkwatchError, TikTokError, UsageError
from lib.exports import one_line, printable
from lib.normalize import Normalized, normalize
from lib.reminders import DEFAULT_DAYS, DEFAULT_REMIND_DAYS
from lib.report import summary_json_parts
from lib.settings import DATE_ORDER_ENV, for_command_line
from lib.sources import open_source, read_for_normalize, source_label
from lib.tiktok.settings import ADVERTISERS_ENV, API_ENV, TIKTOK_API, TOKEN_ENV, TikTokConfig, tiktok_settings
from lib.vocab import DEFAULT_WARN_DAYS, HEALTH, HEALTH_ORDER
from lib.words import days, iso_date, plural, redact

if TYPE_CHECKING:
    # What only TikTok, `apply` and `calendar` use is imported where they run: `check` on a sheet
    # alone never pays for an HTTP client (requests), the TikTok modules or the calendar library.
    from lib.reconcile import Reconciled
    from lib.tiktok.actions import ActionRun

APP_SECRET_ENV = "TIKTOK_APP_SECRET"
USER_ENV = "SPARKWATCH_USER"

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

    apply = commands.add_parser("apply", help="apply the codes waiting in the sheet to a TikTok ad account")
    _add_source_options(apply)
    apply.add_argument("--advertiser", required=True, help="the TikTok ad account's id (a number)")
    apply.add_argument("--ad-account", help="only the sheet's rows whose ad account column says this")
    apply.add_argument("--dry-run", action="store_true", help="show what would be applied; send nothing")
    apply.add_argument(
        "--log", help="the action log to append to (default: $SPARKWATCH_ACTION_LOG or ./sparkwatch-actions.jsonl)"
    )
    apply.set_defaults(run=run_apply)

    token = commands.add_parser(
        "tiktok-token", help="trade a TikTok auth code for a long-term access token, and list its ad accounts"
    )
    token.add_argument("--app-id", required=True, help="your app's id (TikTok for Business → My apps)")
    token.add_argument("--auth-code", required=True, help="the auth_code TikTok's authorization page sent back")
    token.add_argument("--api", help=f"TikTok's API root (default ${API_ENV}, else TikTok's own)")
    token.add_argument(
        "--token-file", help="write the token to this file (readable by you only) instead of printing it"
    )
    token.set_defaults(run=run_tiktok_token)
    return parser


def load(args: argparse.Namespace) -> tuple[dt.date, pd.DataFrame, Normalized]:
    """Read, normalise and diagnose the source the arguments name."""
    today, normalized = _read(args)
    return today, diagnose(normalized.frame, today, args.warn_days), normalized


def _read(args: argparse.Namespace) -> tuple[dt.date, Normalized]:
    today = args.today or team_today(args.tz)
    table = read_for_normalize(open_source(for_command_line(args.source, args.tab, os.environ)), today)
    normalized = normalize(table, date_order=args.date_order or parse_date_order(os.environ.get(DATE_ORDER_ENV)))
    return today, normalized


@dataclass
class TikTokCheck:
    """The command line's TikTok part: the reconciled read, or why there is none (`error`)."""

    config: TikTokConfig
    reconciled: Reconciled | None = None
    error: str | None = None
    frame: pd.DataFrame | None = field(default=None, repr=False)


def load_with_tiktok(
    args: argparse.Namespace, err: TextIO
) -> tuple[dt.date, pd.DataFrame, Normalized, TikTokCheck | None]:
    """`load`, reconciled with TikTok when the environment configures it; None when it does not.

    A TikTok that cannot be read never hides the sheet's result: the error is kept for the
    output and said in one plain line on `err`.
    """
    today, normalized = _read(args)
    config = tiktok_settings({}, os.environ)
    if config is None:
        return today, diagnose(normalized.frame, today, args.warn_days), normalized, None
    from lib.reconcile import reconcile
    from lib.tiktok.read import read_tiktok

    check = TikTokCheck(config)
    frame = normalized.frame
    try:
        if config.problem:
            raise TikTokError(config.problem)
        read = read_tiktok(config, frame["code"].tolist())
        check.reconciled = reconcile(frame, read, team_timezone(args.tz))
        frame = check.reconciled.frame
    except TikTokError as error:
        check.error = one_line(redact(str(error)))
        err.write(f"sparkwatch: TikTok could not be read, so this is the sheet's word alone: {check.error}\n")
    return today, diagnose(frame, today, args.warn_days), normalized, check


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    today, diagnosed, normalized, tiktok = load_with_tiktok(args, _err(args))
    problems = normalized.problems
    if args.json:
        more, per_record = _tiktok_json(diagnosed, tiktok) if tiktok is not None else (None, None)
        label = source_label(args.source)
        parts = summary_json_parts(
            label, today, args.warn_days, diagnosed, problems, normalized.columns, more=more, record_columns=per_record
        )
        jsonout.write_utf8(out, *parts, b"\n")  # written piece by piece: no copy of the 26 MB at 100,000 rows
    else:
        # 12 MB of action lines at 100,000 rows, written as pyarrow joined them.
        jsonout.write_utf8(
            out, *_text_report(args.source, today, args.warn_days, diagnosed, problems, normalized.columns_note)
        )
        if tiktok is not None:
            out.write(render_tiktok(tiktok))
    counts = health_counts(diagnosed)
    return EXIT_FAIL_ON if any(counts[s] for s in args.fail_on) else EXIT_OK


def _err(args: argparse.Namespace) -> TextIO:
    """Where this run's one-line warnings go (`main` puts its own stream on the arguments)."""
    return cast(TextIO, getattr(args, "err", None) or sys.stderr)


def _tiktok_json(diagnosed: pd.DataFrame, tiktok: TikTokCheck) -> tuple[dict[str, object], dict[str, pa.Array]]:
    """The TikTok keys of `check --json`: per record `"tiktok"`, and at the top the posts only Ads Manager has."""
    from lib.reconcile import ads_manager_only_records, tiktok_facts_json

    reconciled = tiktok.reconciled
    facts = tiktok_facts_json(diagnosed) if reconciled else jsonout.by_value(pd.Series([None] * len(diagnosed)))
    more: dict[str, object] = {
        "ads_manager_only": ads_manager_only_records(reconciled.ads_manager_only) if reconciled else [],
        "tiktok_read_at": reconciled.read.read_at.isoformat().replace("+00:00", "Z") if reconciled else None,
        "tiktok_advertisers": list(tiktok.config.advertiser_ids),
        "tiktok_errors": list(reconciled.read.errors) if reconciled else [],
        "tiktok_error": tiktok.error,
    }
    return more, {"tiktok": facts}


def render_tiktok(tiktok: TikTokCheck) -> str:
    """The text report's TikTok part: what was read, and the posts the sheet lacks (codes masked)."""
    from lib.reconcile import ads_manager_only_records

    if tiktok.reconciled is None:
        return f"\nTikTok: not read ({tiktok.error}).\n"
    read = tiktok.reconciled.read
    only = tiktok.reconciled.ads_manager_only
    lines = [
        "",
        f"TikTok: {plural(len(read.advertiser_ids), 'ad account')} read at {read.read_at:%Y-%m-%d %H:%M} UTC, "
        f"{plural(int(read.posts['held'].sum()), 'post')} in Ads Manager.",
    ]
    lines += [f"  {_cell(e)}" for e in read.errors]
    if len(only):
        lines.append(f"In Ads Manager, not in your sheet ({len(only)}):")
        for row in ads_manager_only_records(only):
            ends = row["ends_on"] or "no end date"
            lines.append(
                f"  {_cell(row['creator'])}  {_cell(row['post'])}  ends {ends}  "
                f"ad account {row['advertiser_id']}  {row['code'] or ''}"
            )
    return redact(printable("\n".join(lines) + "\n"))


def _cell(value: object) -> str:
    """Sheet text in a line of the report: one line, no controls, isolated if it could reorder the line."""
    return isolate(one_line(value)) if isinstance(value, str) else ""


def _text_report(
    source: str,
    today: dt.date,
    warn_days: int,
    diagnosed: pd.DataFrame,
    problems: pd.DataFrame,
    columns_note: str = "",
) -> list[bytes | memoryview]:
    """A short readable summary and the rows that need action, as UTF-8 pieces (the action lines as
    pyarrow joined them); codes and published links never appear.

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
    # Only what an action line says is taken along (the frame has some 30 columns).
    action = needs_action(diagnosed[["row", "creator", "health", "days_left", "issues"]])
    lines.append("")
    lines.append(f"Needs action ({len(action)}):" if len(action) else "Nothing needs action.")
    # The action lines are safe as made (each creator's cell is on one line and redacted, the rest is the
    # product's words): at 100,000 rows the final pass below over them alone would take seconds.
    listed = action_utf8(action, indent="  ", redacted=True)
    rest = []
    if len(problems):
        rest.append("")
        rest.append(f"Fix these in the sheet ({len(problems)}):")
        for p in problems.itertuples(index=False):
            value = f" '{_cell(p.value)}'" if p.value else ""
            # A merged sheet numbers rows within each tab: the tab says which row 7 it is.
            tab_name = getattr(p, TAB, None)
            tab = f"(tab {_cell(tab_name)})  " if isinstance(tab_name, str) and tab_name else ""
            rest.append(f"  row {p.row:>5}  {tab}{_cell(p.column)}{value}: {one_line(cast(str, p.problem))}")
    if columns_note:
        # Which header was read as what: a team checks this once, so it is said once.
        rest += ["", _cell(columns_note)]
    # Problem cells are echoed as typed: a code pasted into the wrong column must not leak.
    head = redact(printable("\n".join(lines) + "\n")).encode("utf-8")
    return [head, listed, redact(printable("\n".join(rest) + "\n")).encode("utf-8") if rest else b""]


def run_calendar(args: argparse.Namespace, out: TextIO) -> int:
    from lib.reminders import reminders_ics

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


def _who() -> str:
    """Who acts, for the action log: $SPARKWATCH_USER, else the login name."""
    try:
        return os.environ.get(USER_ENV) or getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without one)
        return "(not known)"


def run_apply(args: argparse.Namespace, out: TextIO) -> int:
    from lib.actionlog import log_path
    from lib.reconcile import reconcile
    from lib.tiktok.actions import ACTION_BUDGET, apply_codes, apply_plan
    from lib.tiktok.api import TikTokApi
    from lib.tiktok.read import read_tiktok

    advertiser = args.advertiser.strip()
    if not advertiser.isdigit():
        raise UsageError(f"'{args.advertiser}' is not an ad account id: use the number Ads Manager shows.")
    config = tiktok_settings({}, os.environ)
    ready = config is not None and config.ready
    if config is None or not ready:
        if not args.dry_run:
            why = config.problem if config is not None and config.problem else f"set {TOKEN_ENV} (see `tiktok-token`)"
            raise UsageError(f"To apply codes Sparkwatch needs TikTok's access token: {why}")
        config = None  # a dry run without TikTok: the sheet's own word on what waits
    else:
        config = TikTokConfig(config.access_token, (advertiser,), config.api_base, config.origin)
    today, normalized = _read(args)
    frame = normalized.frame
    if config is not None:
        frame = reconcile(frame, read_tiktok(config, frame["code"].tolist()), team_timezone(args.tz)).frame
    diagnosed = diagnose(frame, today, args.warn_days)
    if args.ad_account:
        wanted = args.ad_account.strip().casefold()
        diagnosed = diagnosed.loc[diagnosed["ad_account"].astype("string").str.strip().str.casefold().eq(wanted)]
    # All of one `apply` with TikTok is bounded by `lib.tiktok.actions.ACTION_BUDGET` seconds.
    api = TikTokApi(config.access_token, config.api_base, budget=ACTION_BUDGET) if config is not None else None
    log = None if args.dry_run else log_path(args.log)
    run = apply_codes(api, advertiser, apply_plan(diagnosed), who=_who(), log=log, dry_run=args.dry_run)
    out.write(render_apply(advertiser, run, dry_run=args.dry_run))
    if run.stopped:
        raise TikTokError(run.stopped)
    return EXIT_ATTENTION if run.refused else EXIT_OK


def render_apply(advertiser: str, run: ActionRun, *, dry_run: bool) -> str:
    """One line per code (masked), TikTok's refusal decoded where the decoder knows it, then a summary."""
    from lib.tiktok.actions import APPLIED, NOT_TRIED, REFUSED, WOULD

    outcome_words = {APPLIED: "applied", REFUSED: "refused", NOT_TRIED: "skipped", WOULD: "would apply"}
    lines = []
    for r in run.results:
        what = outcome_words.get(r.outcome, r.outcome)
        line = f"  row {r.row:>5}  {_cell(r.creator)}  {r.shown}  {what}"
        if r.error is not None:
            line += f": {r.error.title}. {r.error.fix}"
        elif r.detail:
            line += f": {_cell(r.detail)}"
        lines.append(line)
    ready = sum(r.outcome != NOT_TRIED or bool(run.stopped) for r in run.results)
    if dry_run:
        head = f"Would apply {plural(sum(r.outcome == WOULD for r in run.results), 'code')} to ad account {advertiser}"
    else:
        head = f"Applied {run.done} of {plural(ready, 'code')} to ad account {advertiser}"
        if run.refused:
            head += f"; TikTok refused {run.refused}"
    skipped = sum(r.outcome == NOT_TRIED and not run.stopped for r in run.results)
    if skipped:
        head += f"; {skipped} skipped"
    lines.insert(0, head + ("." if lines else ": nothing is waiting to be applied."))
    return redact(printable("\n".join(lines) + "\n"))


def run_tiktok_token(args: argparse.Namespace, out: TextIO) -> int:
    from lib.tiktok.api import TikTokApi
    from lib.tiktok.token import exchange_auth_code

    secret = os.environ.get(APP_SECRET_ENV) or getpass.getpass("TikTok app secret (not shown): ")
    if not secret.strip():
        raise UsageError(f"The app secret is needed: type it when asked, or set {APP_SECRET_ENV}.")
    base = (args.api or os.environ.get(API_ENV) or TIKTOK_API).strip()
    checked = tiktok_settings({"tiktok": {"access_token": "x", "advertiser_ids": "1", "api_base": base}}, {})
    if checked is None or checked.problem:
        raise UsageError(checked.problem if checked and checked.problem else "The API address is not usable.")
    api = TikTokApi("", checked.api_base, hidden=(secret.strip(), args.auth_code.strip()))
    grant = exchange_auth_code(api, args.app_id.strip(), secret.strip(), args.auth_code.strip())
    lines = [f"TikTok gave a long-term access token that reaches {plural(len(grant.advertisers), 'ad account')}:"]
    lines += [f"  {a}  {_cell(name)}" for a, name in grant.advertisers]
    ids = ",".join(a for a, _ in grant.advertisers)
    lines.append(f"Put the ids you want checked in the settings: [tiktok] advertiser_ids, or {ADVERTISERS_ENV}={ids}")
    if args.token_file:
        _write_secret(Path(args.token_file), grant.access_token)
        lines.append(f"The token is in {args.token_file} (readable by you only): put it in the settings.")
        out.write(printable("\n".join(lines)) + "\n")
        return EXIT_OK
    lines.append(
        "Your access token follows, on the last line, shown this once. Keep it like a password: put it in the "
        f"settings as [tiktok] access_token (or {TOKEN_ENV}) and nowhere else."
    )
    out.write(printable("\n".join(lines)) + "\n")
    out.write(grant.access_token + "\n")
    return EXIT_OK


def _write_secret(path: Path, text: str) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as error:
        raise UsageError(
            f"Could not write {path}: {error.strerror or 'the folder is missing or not writable'}.",
            kind=ErrorKind.CANNOT_WRITE,
        ) from None


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
    args.err = err
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
