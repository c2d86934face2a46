"""Alerts: one chat message when something is about to stop, and silence when all is well.

A cron job runs `python -m lib.cli alert SOURCE --webhook URL` every morning; when any
authorization is expiring, expired, withdrawn or blocked, this module builds one short,
Slack-compatible message (`{"text": ...}`, which Slack, Mattermost, Rocket.Chat and others
accept on an incoming webhook) and posts it. The message lists the rows to act on with the
fix's owner; codes appear masked only. Sheet text cannot mention anyone: `<…>` is escaped and
a channel-wide `@here`/`@channel`/`@everyone` gets an invisible break, so Slack, Mattermost and
Discord show the words and notify no one. The webhook address is a secret (whoever has it can
post to the channel), so errors name the host, never the full address.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.bidi import BIDI_SENSITIVE, isolate
from lib.codes import CODE_VIEW_CHANGES
from lib.columnar import concatenated, joined
from lib.diagnose import health_counts
from lib.errors import WebhookError
from lib.exports import one_line, printable
from lib.report import records
from lib.rules import RULES, issue_labels
from lib.sources import source_label
from lib.vocab import HEALTH, HealthId, role_labels
from lib.words import days, days_left, escape_html, iso_date, plural, redact

if TYPE_CHECKING:  # the HTTP machinery is imported where an alert is posted: `check` never needs it
    import urllib.error

ALERT_STATES: tuple[HealthId, ...] = (HealthId.REVOKED, HealthId.EXPIRED, HealthId.BLOCKED, HealthId.EXPIRING)
"""The states worth waking a channel for: each means an ad stops, or is about to."""
MAX_LINES = 25
"""Rows listed in one message; the rest are counted, so a huge sheet still gives a readable alert."""
TIMEOUT_SECONDS = 10.0
"""Seconds the whole delivery of an alert may take."""
WEBHOOK_ENV = "SPARKWATCH_WEBHOOK"
"""Where the webhook address can come from, so it stays off command lines and crontabs."""


def action_line(record: dict[str, Any], *, with_code: bool = False) -> str:
    """One row to act on, in words: sheet row, creator, state, days, what is wrong, who fixes it.

    `record` is one of `lib.report.records()`, so its code is already masked. The creator is
    sheet text: one line, no control characters, isolated when it could reorder the words after it.
    """
    code = f" · code {record['code']}" if with_code and record["code"] else ""
    creator = _creator_cell(record["creator"])
    words = _action_words(record["health"], record["days_left"], tuple(record["issues"]))
    return f"row {record['row']:>5}  {creator} {words}" + code


def _creator_cell(creator: str | None) -> str:
    return f"{isolate(one_line(creator)) or '(no creator)':<24}"


def _action_words(health: Any, days: int | None, issues: tuple[Any, ...]) -> str:
    """State, days, what is wrong and who fixes it: all an action line says but the row and the creator."""
    return _state_words(health, days) + _issue_words(health, issues)


def _state_words(health: Any, days: int | None) -> str:
    """'Expired · ended 3 days ago': the state, and the days unless the code was withdrawn."""
    # A withdrawn code has no days left, whatever date the sheet still shows.
    when = f" · {days_left(days)}" if days is not None and health != HealthId.REVOKED else ""
    return f"{HEALTH[health].label}{when}"


def _issue_words(health: Any, issues: tuple[Any, ...]) -> str:
    """' — Code expired → Creator': what is wrong (the state's meaning when no issue says) and who fixes it."""
    who = role_labels(tuple(dict.fromkeys(r for i in issues for r in RULES[i].roles)))
    what = issue_labels(issues) or HEALTH[health].meaning
    return f" — {what}" + (f" → {who}" if who else "")


def action_lines(diagnosed: pd.DataFrame, *, redacted: bool = False) -> pd.Series:
    """`action_line` (without codes) of every row, from columns (see `action_text`)."""
    if diagnosed.empty:
        return pd.Series([], dtype="str")
    return pd.Series(_action_lines(diagnosed, "", "", redacted).to_pylist(), index=diagnosed.index, dtype="str")


def action_text(diagnosed: pd.DataFrame, *, indent: str = "", redacted: bool = False) -> str:
    """`action_line` (without codes) of every row, each after `indent` and ending in a newline, as one text.

    Built from columns, never a Python string per row: each distinct creator, and each distinct
    state, days left and issues, is worded once, and pyarrow joins the pieces of all the lines.
    `redacted`: each creator's cell also goes through `redact`, as the whole text would (the rest of
    a line is the product's own words, which hold no code), so the lines need no pass of their own.
    """
    return str(action_utf8(diagnosed, indent=indent, redacted=redacted), "utf-8")


def action_utf8(diagnosed: pd.DataFrame, *, indent: str = "", redacted: bool = False) -> memoryview:
    """`action_text` as UTF-8, read in place from pyarrow's buffer: the command line writes it as it is."""
    if diagnosed.empty:
        return memoryview(b"")
    return concatenated(_action_lines(diagnosed, indent, "\n", redacted))


def _action_lines(diagnosed: pd.DataFrame, before: str, after: str, redacted: bool) -> pa.Array:
    """Each row's action line between `before` and `after`, as one pyarrow array."""
    creators = pa.array(diagnosed["creator"].astype("string"), type=pa.large_string(), from_pandas=True)
    encoded = creators.dictionary_encode()
    cells = pa.concat_arrays([_creator_cells(encoded.dictionary, redacted), _large([_no_creator_cell(redacted)])])
    creator_index = pc.fill_null(encoded.indices.cast(pa.int64()), len(encoded.dictionary))
    rows = pc.utf8_lpad(pc.cast(pa.array(diagnosed["row"].astype("int64").to_numpy()), pa.large_string()), width=5)
    return joined(f"{before}row ", rows, "  ", cells.take(creator_index), " ", _action_words_of(diagnosed), after)


def _creator_cells(creators: pa.Array, redacted: bool) -> pa.Array:
    """`_creator_cell` (then `redact`, if `redacted`) of each distinct creator, none missing.

    Almost every handle is plain: no control character or line break, no space at either end, no
    right-to-left text, and nothing a code reader looks at twice (`%`, `#`, a run of 20 code
    characters, an invisible or full-width character). For those the cell is the handle padded to
    24 characters, made by pyarrow; the few others are worded one by one, exactly as before.
    """
    needs_work = pc.or_(
        pc.match_substring_regex(creators, _NOT_PLAIN_RE2),
        pc.not_equal(pc.utf8_trim_whitespace(creators), creators),
    )
    needs_work = pc.or_(needs_work, pc.equal(pc.binary_length(creators), 0))
    if redacted:
        needs_work = pc.or_(needs_work, pc.match_substring_regex(creators, _CODE_READER_RE2))
    cells = pc.utf8_rpad(creators, width=24)
    where = np.flatnonzero(needs_work.to_numpy(zero_copy_only=False))
    if len(where):
        worded = [_creator_cell(creators[int(i)].as_py()) for i in where]
        fixed = _large([redact(c) for c in worded] if redacted else worded)
        cells = pc.replace_with_mask(cells, needs_work, fixed)
    return cells


def _no_creator_cell(redacted: bool) -> str:
    cell = _creator_cell(None)
    return redact(cell) if redacted else cell


def _action_words_of(diagnosed: pd.DataFrame) -> pa.Array:
    """`_action_words` of every row: each distinct (state, days left, issues) once, from parts each worded once."""
    issues = diagnosed["issues"].to_numpy(dtype=object)
    # Rows are told apart by state, days left and issues, each as an integer: the state's and the
    # days' own codes, and for issues the tuple's identity (diagnose shares one tuple among the rows
    # with the same issues; equal tuples that are not the same object are only worded twice).
    key = np.zeros(len(diagnosed), dtype=np.int64)
    for part in (diagnosed["health"], diagnosed["days_left"], np.fromiter(map(id, issues), np.int64, len(issues))):
        codes_, uniques = pd.factorize(part, use_na_sentinel=True)
        key = key * (len(uniques) + 1) + codes_ + 1  # a missing value (-1) is a value of its own
    combo, _ = pd.factorize(key)  # numbered in order of first appearance
    first = np.flatnonzero(np.diff(np.maximum.accumulate(combo), prepend=-1) > 0)  # each combination's first row
    picked = diagnosed.iloc[first]
    health = cast(Any, picked["health"].astype("string")).to_numpy(dtype=object, na_value=None)
    days_ = cast(Any, picked["days_left"].astype("Int64")).to_numpy(dtype=object, na_value=None)
    issues = issues[first]
    states: dict[tuple[Any, Any], str] = {}
    said: dict[tuple[Any, Any], str] = {}
    words = []
    for i in range(len(first)):
        state, problems = (health[i], days_[i]), (health[i], issues[i])
        if state not in states:
            states[state] = _state_words(health[i], None if days_[i] is None else int(days_[i]))
        if problems not in said:
            said[problems] = _issue_words(health[i], issues[i])
        words.append(states[state] + said[problems])
    return _large(words).take(pa.array(combo, pa.int64()))


_NOT_PLAIN_RE2 = "[\\x{0}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}]|" + BIDI_SENSITIVE
"""What `one_line` or `isolate` would change: controls, line breaks (a leading or trailing space is
checked apart), and what `isolate` wraps (pyarrow's RE2 syntax)."""
_CODE_READER_RE2 = "%|#|[A-Za-z0-9+/_-]{20,}|[" + "".join(f"\\x{{{c:x}}}" for c in sorted(CODE_VIEW_CHANGES)) + "]"
"""What makes `redact` read a text closely: `%`, `#`, 20 code characters together, or a character
its view of text changes (`lib.codes`); a text with none of these comes back as it was."""


def _large(values: list[str]) -> pa.Array:
    return pa.array(values, pa.large_string())


def alert_rows(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """Rows in an alerting state, most urgent first (the order the diagnosis gives)."""
    return diagnosed.loc[diagnosed["health"].isin(ALERT_STATES)]


_MASS_MENTION_RE = re.compile(
    r"@(?=(?:everyone|here|someone)|(?:channel|all)[._:\-]*(?![\w.:\-@]))",
    re.IGNORECASE,
)
"""An `@` that would notify a whole channel: Discord pings `@everyone`/`@here` wherever they
appear; Mattermost pings `@channel`, `@all` and `@here` as a word, even with `.`, `-`, `_` or `:`
after it (so `@all_stars` is a handle, `@all_` is not)."""
NO_MENTION = "\u200b"
"""A zero-width space, put after such an `@`: the word reads the same, and no service sees a mention."""


def _defuse_mentions(text: str) -> str:
    """Sheet text must not ping a channel: `@here` becomes `@\u200bhere` (Slack needs `<!here>`,
    escaped already; Mattermost and Discord read the plain word)."""
    return _MASS_MENTION_RE.sub("@" + NO_MENTION, text)


def alert_text(
    source: str,
    today: dt.date,
    warn_days: int,
    diagnosed: pd.DataFrame,
    problems: pd.DataFrame | None = None,
    *,
    max_lines: int = MAX_LINES,
) -> str | None:
    """The message, or None when nothing is expiring, expired, revoked or blocked.

    `source` is named as `source_label` does: a published link (a secret) by its host only.
    """
    rows = alert_rows(diagnosed)
    if rows.empty:
        return None
    counts = health_counts(rows)
    tally = ", ".join(f"{HEALTH[s].label.lower()}: {counts[s]}" for s in ALERT_STATES if counts[s])
    need = plural(len(rows), "Spark Ads authorization needs", "Spark Ads authorizations need")
    lines = [
        f"Sparkwatch · {need} action ({tally})",
        f"{one_line(source_label(source))} · {iso_date(today)} · warning window {days(warn_days)}",
        "",
        *(f"• {action_line(r, with_code=True)}" for r in records(rows.head(max_lines))),
    ]
    if len(rows) > max_lines:
        lines.append(f"… and {len(rows) - max_lines} more: run `python -m lib.cli check` on the sheet to see all.")
    if problems is not None and len(problems):
        cells = plural(len(problems), "cell")
        lines += ["", f"Also: {cells} in the sheet could not be read; fix them so nothing is missed."]
    # Slack reads `<…>` as links and mentions (`<!channel>`); escaped, Discord's `<@123>` and
    # Mattermost's `<!channel>` are words too: neither decodes `&lt;` back into a mention.
    return _defuse_mentions(escape_html(redact(printable("\n".join(lines)))))


def alert_payload(
    source: str, today: dt.date, warn_days: int, diagnosed: pd.DataFrame, problems: pd.DataFrame | None = None
) -> dict[str, str] | None:
    """The JSON body for a Slack-compatible incoming webhook, or None when there is nothing to say."""
    text = alert_text(source, today, warn_days, diagnosed, problems)
    return None if text is None else {"text": text}


def webhook_host(url: str) -> str:
    """The part of a webhook address that is safe to print: scheme, host and port."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or '?'}{port}"


_DISCORD_HOSTS = ("discord.com", "discordapp.com")


def webhook_body(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON to post to `url`: the Slack-compatible payload, plus Discord's own 'mention nobody'.

    The text is inert on its own; a Discord webhook is also told, with `allowed_mentions`, to
    ping no one whatever the text says, so a mention form nobody thought of still pings nobody.
    """
    host = (urlsplit(url.strip()).hostname or "").lower()
    if any(host == d or host.endswith("." + d) for d in _DISCORD_HOSTS):
        return {**payload, "allowed_mentions": {"parse": []}}
    return dict(payload)


def _no_redirect() -> type:
    """A handler refusing redirects: a webhook that redirects is misconfigured, never resend the alert elsewhere."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None

    return NoRedirect


def post_webhook(url: str, payload: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> None:
    """POST the payload as JSON; raise `WebhookError` with a plain reason when it is not accepted.

    `timeout` bounds the whole delivery (connect, send, the answer), not each read: a service
    answering a byte at a time cannot hold the morning's cron job past it.
    """
    import http.client
    import urllib.error
    import urllib.request

    from lib.sources.published import Deadline, is_timeout, open_within

    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookError("The webhook address must be a full link starting with https://.")
    where = webhook_host(url.strip())
    request = urllib.request.Request(
        url.strip(),
        data=json.dumps(webhook_body(url, payload), ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Sparkwatch"},
        method="POST",
    )
    deadline = Deadline(timeout)
    try:
        with open_within(deadline, request, _no_redirect()):
            pass  # A 2xx status is the service saying 'accepted'; its reply's body adds nothing to wait for.
    except urllib.error.HTTPError as error:
        said = _short_reason(error)
        raise WebhookError(
            f"The webhook at {where} refused the alert (HTTP {error.code}{said}). "
            "Check that the webhook address is right and still active."
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        if is_timeout(error):
            raise WebhookError(f"The webhook at {where} did not answer within {timeout:g} seconds.") from None
        reason = getattr(error, "reason", error)
        raise WebhookError(
            f"Could not reach the webhook at {where} ({_plain(reason)}). Check the address and the network."
        ) from None


def _short_reason(error: urllib.error.HTTPError) -> str:
    """Slack answers errors with one word (`no_service`, `invalid_token`): worth showing, nothing longer."""
    import http.client

    try:  # the reply is still read within the delivery's deadline
        body = error.read(200).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):
        body = ""
    return f": {body}" if re.fullmatch(r"[a-z_]{2,40}", body) else ""


def _plain(reason: object) -> str:
    import socket

    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = getattr(reason, "strerror", None) or str(reason)
    return redact(str(text))[:120]
