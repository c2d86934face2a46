"""The same work done the naive way, as a yardstick: a Python loop per row, one trace per row.

This is how a quick script over `get_all_records()` usually looks. It is not used by the
product; the benchmark runs it beside the real code to report a ratio.
"""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go

from lib.rules import IssueId
from lib.vocab import HealthId, Status

_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%b %d, %Y")


def _date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    try:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        return None


def _days(text: str) -> int | None:
    match = re.match(r"^(\d+)\s*(d|days?|y|years?)?$", text.strip().lower())
    if not match:
        return None
    return int(match.group(1)) * (365 if (match.group(2) or "d").startswith("y") else 1)


def naive_check(records: list[dict[str, str]], today: dt.date, warn_days: int = 7) -> list[dict]:
    """Health per row, one row at a time (what the vectorised diagnosis replaces)."""
    code_posts: dict[str, set[str]] = {}
    for r in records:
        if r.get("Spark code"):
            code_posts.setdefault(r["Spark code"], set()).add(r.get("Post URL", ""))
    out = []
    for r in records:
        creator = str(r.get("TikTok handle", "")).strip().lstrip("@").lower()
        if not creator and not any(str(v).strip() for v in r.values()):
            continue
        authorized = _date(str(r.get("Authorized on", "")))
        days = _days(str(r.get("Duration", "")))
        expires = _date(str(r.get("Expires", ""))) or (
            authorized + dt.timedelta(days=days) if authorized and days else None
        )
        code = str(r.get("Spark code", "")).strip()
        status = str(r.get("Status", "")).strip().lower()
        uses_code = str(r.get("Access", "code")).strip().lower() in ("", "code")
        days_left = (expires - today).days if expires and uses_code else None
        issues = []
        if status == Status.REVOKED:
            issues.append(IssueId.CODE_REVOKED)
        if days_left is not None and days_left < 0:
            issues.append(IssueId.CODE_EXPIRED)
        if days_left is not None and 0 <= days_left <= warn_days:
            issues.append(IssueId.EXPIRING_SOON)
        if uses_code and not code:
            issues.append(IssueId.MISSING_CODE)
        if code and len(code_posts.get(code, ())) > 1:
            issues.append(IssueId.DUPLICATE_CODE)
        if str(r.get("Visibility", "")).strip().lower() not in ("", "public"):
            issues.append(IssueId.POST_NOT_PUBLIC)
        if IssueId.CODE_REVOKED in issues:
            health = HealthId.REVOKED
        elif IssueId.CODE_EXPIRED in issues:
            health = HealthId.EXPIRED
        elif IssueId.POST_NOT_PUBLIC in issues or IssueId.DUPLICATE_CODE in issues:
            health = HealthId.BLOCKED
        elif IssueId.MISSING_CODE in issues:
            health = HealthId.PENDING
        elif IssueId.EXPIRING_SOON in issues:
            health = HealthId.EXPIRING
        elif uses_code and expires is None:
            health = HealthId.UNKNOWN
        else:
            health = HealthId.OK
        out.append({"creator": creator, "authorized": authorized, "expires": expires, "health": health})
    return out


def naive_timeline(rows: list[dict]) -> go.Figure:
    """One trace per authorization: the obvious way to draw a timeline, and the slow one."""
    fig = go.Figure()
    for r in rows:
        if r["authorized"] and r["expires"]:
            fig.add_trace(go.Scatter(x=[r["authorized"], r["expires"]], y=[r["creator"], r["creator"]], mode="lines"))
    return fig
