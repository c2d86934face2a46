"""An append-only record of what Sparkwatch did to the team's ad accounts: who, when, which post.

Applying a code or unbinding a post changes an ad account, so each one is written down as it
happens, one JSON object per line (easy to read, to grep, and to append to from several
processes: each line is one `write` on a file opened for appending). Codes are masked before
they reach the log; the log never holds a whole code or a token, so it can be shared with
whoever asks "who applied this?".
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from lib.codes import mask_code, redact_codes
from lib.errors import ErrorKind, UsageError

LOG_ENV = "SPARKWATCH_ACTION_LOG"
DEFAULT_LOG = "sparkwatch-actions.jsonl"
"""Where actions are logged when nothing says otherwise: in the folder Sparkwatch runs from."""


@dataclass(frozen=True)
class ActionEntry:
    """One line of the log. `code` is masked; `detail` is TikTok's answer in plain words (codes redacted)."""

    at: str
    """When, ISO 8601 in UTC."""
    who: str
    action: str
    """'apply' or 'unbind'."""
    advertiser_id: str
    post: str
    code: str
    outcome: str
    detail: str = ""
    row: int | None = None


def log_path(explicit: str | None = None) -> Path:
    """The log file: the one named, else $SPARKWATCH_ACTION_LOG, else `DEFAULT_LOG` here."""
    return Path(explicit or os.environ.get(LOG_ENV) or DEFAULT_LOG)


def entry(
    *,
    who: str,
    action: str,
    advertiser_id: str,
    post: str | None,
    code: str | None,
    outcome: str,
    detail: str = "",
    row: int | None = None,
    now: dt.datetime | None = None,
) -> ActionEntry:
    """A log line for one action, the code masked and any code in `detail` redacted."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    return ActionEntry(
        at=moment.isoformat().replace("+00:00", "Z"),
        who=who or "(not known)",
        action=action,
        advertiser_id=advertiser_id,
        post=redact_codes(post or ""),
        code=mask_code(code) or "",
        outcome=outcome,
        detail=redact_codes(detail),
        row=row,
    )


def append_action(path: Path, line: ActionEntry) -> None:
    """Append one entry; a log that cannot be written is a `UsageError` (the action is not hidden)."""
    text = json.dumps(asdict(line), ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise UsageError(
            f"Could not write the action log {path}: {error.strerror or 'the folder is not writable'}.",
            kind=ErrorKind.CANNOT_WRITE,
        ) from None


def read_actions(path: Path) -> Iterator[ActionEntry]:
    """Every entry of a log, oldest first (lines that are not entries are skipped)."""
    if not path.exists():
        return
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            fields = json.loads(text)
            yield ActionEntry(**fields)
        except (ValueError, TypeError):
            continue
