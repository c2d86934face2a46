"""The same work done the naive way, as a yardstick: a Python loop per row, one trace per row.

This is how a quick script over `get_all_records()` usually looks. It is not used by the
product; the benchmark runs it beside the real code to report a ratio.
"""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go

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
        if status == "revoked":
            issues.append("code_revoked")
        if days_left is not None and days_left < 0:
            issues.append("code_expired")
        if days_left is not None and 0 <= days_left <= warn_days:
            issues.append("expiring_soon")
        if uses_code and not code:
            issues.append("missing_code")
        if code and len(code_posts.get(code, ())) > 1:
            issues.append("duplicate_code")
        if str(r.get("Visibility", "")).strip().lower() not in ("", "public"):
            issues.append("post_not_public")
        if "code_revoked" in issues:
            health = "revoked"
        elif "code_expired" in issues:
            health = "expired"
        elif "post_not_public" in issues or "duplicate_code" in issues:
            health = "blocked"
        elif "missing_code" in issues:
            health = "pending"
        elif "expiring_soon" in issues:
            health = "expiring"
        elif uses_code and expires is None:
            health = "unknown"
        else:
            health = "ok"
        out.append({"creator": creator, "authorized": authorized, "expires": expires, "health": health})
    return out


def naive_timeline(rows: list[dict]) -> go.Figure:
    """One trace per authorization: the obvious way to draw a timeline, and the slow one."""
    fig = go.Figure()
    for r in rows:
        if r["authorized"] and r["expires"]:
            fig.add_trace(go.Scatter(x=[r["authorized"], r["expires"]], y=[r["creator"], r["creator"]], mode="lines"))
    return fig
