"""The Overview's pictures: headline numbers, the expiry timeline, issues by who fixes them, expiries per week.

Each chart is a pure function from a diagnosed frame to a Plotly figure whose size does not
grow with the sheet: the timeline has one trace per health state (never one per row) and
shows only the most urgent rows; the other two are counts. Sheet text that reaches a figure
(creator handles, post links) is cut to a bounded length (a 10,000-character cell must not
squeeze the bars out of the picture), isolated so right-to-left text cannot reorder the
row number beside it (`lib.bidi`), then HTML-escaped, because Plotly reads a few HTML tags
in labels and hover text; escaped, `<b>x</b>` shows as those characters.

Each chart also has a sentence (`*_summary`) and a table (`*_table`) built from the same rows
it draws, for people who cannot see the picture (WCAG 1.1.1): the page shows both beside it.
Marks are told apart by pattern and legend as well as colour (WCAG 1.4.1), and every colour
reaches 3:1 against the white page (1.4.11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.bidi import isolate_all
from lib.diagnose import health_counts, issue_counts
from lib.rules import RULES, IssueId
from lib.vocab import ENDED, HEALTH, HEALTH_ORDER, ROLES, HealthId, role_labels
from lib.words import (
    HUMAN_DATE_D3,
    WITHDRAWN,
    days_left,
    days_left_all,
    escape_html_all,
    human_dates,
    iso_date,
    iso_dates,
    plural,
)

TIMELINE_LIMIT = 50
"""Rows the timeline shows unless asked for more: enough for the week's work, still readable."""
TIMELINE_CHOICES: tuple[int, ...] = (25, 50, 100, 250, 500)
"""What the 'show more' control offers; 500 is the ceiling, whatever the sheet's size."""
WEEKS_AHEAD = 12
LABEL_CHARS = 40
"""Longest creator handle a timeline row label shows; longer ones end in '…'."""
HOVER_CHARS = 120
"""Longest sheet text (handle, post link) a hover box shows."""

ROLE_COLORS: dict[str, str] = {
    "creator": "#1b3a6b",
    "advertiser": "#0077bb",
    "org_admin": "#00798c",
    "media_buyer": "#4b5d9e",
}
"""Roles in blues, a family no health state uses (lib.vocab.HEALTH), so no colour means two things."""
ROLE_PATTERNS: dict[str, str] = {"creator": "", "advertiser": "/", "org_admin": ".", "media_buyer": "x"}
HEALTH_PATTERNS: dict[HealthId, str] = {
    HealthId.REVOKED: "x",
    HealthId.EXPIRED: "/",
    HealthId.BLOCKED: "|",
    HealthId.PENDING: ".",
    HealthId.EXPIRING: "\\",
    HealthId.UNKNOWN: "+",
    HealthId.OK: "",
}
"""A fill pattern per state, so bars differ without colour vision (WCAG 1.4.1)."""
WEEK_COLOR = "#3f4f63"
"""Outline of the weeks beyond the warning window (drawn hollow: no fill colour to confuse)."""
CAMPAIGN_END_COLOR = "#263238"
CHART_TEXT_COLOR = "#4a4a4a"
"""Axis labels, titles, legends and notes in every chart: 8.9:1 on white. Streamlit's chart theme
draws them in a grey of 3.8:1, short of the 4.5:1 that text of their size needs (WCAG 1.4.3)."""
_MS_PER_DAY = 86_400_000


# ---------------------------------------------------------------------------
# Headline numbers.


@dataclass(frozen=True)
class Headline:
    key: HealthId
    label: str
    help: str


HEADLINES: tuple[Headline, ...] = tuple(
    Headline(
        state,
        HEALTH[state].label,
        "Ends within the {warn_days}-day warning window (set in the sidebar); the ad stops on that day."
        if state == HealthId.EXPIRING
        else HEALTH[state].meaning,
    )
    for state in HEALTH_ORDER
)
"""One number per health state, worst first: every row is in exactly one, so they add up to the total."""


def headline_counts(diagnosed: pd.DataFrame) -> dict[HealthId, int]:
    """The Overview's numbers: rows per health state (a partition of the rows shown)."""
    return health_counts(diagnosed)


# ---------------------------------------------------------------------------
# Expiry timeline.


MONTH_TICKS = {"type": "date", "tickformat": "%-d %b", "dtick": "M1", "tick0": "2000-01-01"}
"""A date on the first of each month, the same above and below the timeline."""
HISTORY_DAYS = 90
"""How far back the timeline looks: a code that ended longer ago is listed under the chart, not drawn."""
CAMPAIGN_CHARS = 24
"""Longest campaign name a row label or a campaign-end label shows."""


def _drawn(diagnosed: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The rows the timeline covers: the most urgent `limit` that have an end date."""
    return diagnosed.loc[diagnosed["expires"].notna()].head(max(0, int(limit)))


def _bar_start(dated: pd.DataFrame, today: dt.date) -> pd.Series[pd.Timestamp]:
    last_day = dated["expires"]
    duration = pd.to_timedelta(dated["duration_days"].astype("float64"), unit="D")
    start = dated["authorized_on"].fillna(last_day - duration).fillna(pd.Timestamp(today))
    return start.where(start <= last_day, last_day)


def _bar_end(dated: pd.DataFrame, today: dt.date) -> pd.Series[pd.Timestamp]:
    """The end of each bar: after the last day the code works; a withdrawn code's bar stops today."""
    end: pd.Series[pd.Timestamp] = dated["expires"] + pd.Timedelta(days=1)
    revoked = dated["health"].eq(HealthId.REVOKED)
    stopped = end.where(end < pd.Timestamp(today), pd.Timestamp(today))
    return end.where(~revoked, stopped)


def _ended_long_ago(dated: pd.DataFrame, today: dt.date) -> pd.Series:
    return dated["expires"].lt(pd.Timestamp(today) - pd.Timedelta(days=HISTORY_DAYS)).astype(bool)


def _when(dated: pd.DataFrame) -> pd.Series:
    """What a bar's hover says about its end: a withdrawn code says so and counts no days."""
    ends = human_dates(dated["expires"])
    words = "Ends " + ends + " (" + days_left_all(dated["days_left"]) + ")"
    words = words.mask(
        dated["health"].eq(HealthId.EXPIRED),
        "Ended " + ends + " (" + days_left_all(dated["days_left"]).str.removeprefix("ended ") + ")",
    )
    return words.mask(
        dated["health"].eq(HealthId.REVOKED),
        "Withdrawn by the creator; the ad has stopped (was due to end " + ends + ")",
    )


def timeline_rows(diagnosed: pd.DataFrame, today: dt.date, limit: int = TIMELINE_LIMIT) -> pd.DataFrame:
    """The most urgent `limit` rows with an end date in the last `HISTORY_DAYS` or later: bar
    start/end and hover text.

    The bar starts on the authorized date; failing that, the end minus the duration;
    failing that, today (what matters is where it ends). A code still works on its expiry
    date, so the bar runs to the end of that day: a code ending today crosses the today
    line. A withdrawn code's bar stops today. Every bar is at least a day long.
    """
    dated = _drawn(diagnosed, limit)
    dated = dated.loc[~_ended_long_ago(dated, today)]
    end = _bar_end(dated, today)
    start = _bar_start(dated, today)
    start = start.where(start < end, end - pd.Timedelta(days=1))
    creator = dated["creator"].astype("string").fillna("(no creator)")
    campaign = dated["campaign"].astype("string").fillna("no campaign")
    return pd.DataFrame(
        {
            "label": sheet_text(creator, LABEL_CHARS)
            + " · "
            + sheet_text(campaign, CAMPAIGN_CHARS)
            + " · row "
            + dated["row"].astype(str),
            "start": start,
            "end": end,
            "length_ms": (end - start) / pd.Timedelta(milliseconds=1),
            "health": dated["health"].astype("string"),
            "campaign": sheet_text(campaign, CAMPAIGN_CHARS),
            "campaign_end": dated["campaign_end"],
            "creator": sheet_text(creator, HOVER_CHARS),
            "post": sheet_text(dated["post"].astype("string").fillna("(no post link)"), HOVER_CHARS),
            "ends": human_dates(dated["expires"]),
            "when": _when(dated),
            "days": dated["days_left"],
            "status": dated["health"].map({k: h.label for k, h in HEALTH.items()}).astype("string"),
            "issues": dated["issues"].map(lambda ids: "; ".join(RULES[i].label for i in ids) or "No problems"),
        },
        index=dated.index,
    )


def ended_before_timeline(diagnosed: pd.DataFrame, today: dt.date, limit: int = TIMELINE_LIMIT) -> pd.DataFrame:
    """Rows the timeline covers whose code ended more than `HISTORY_DAYS` ago: listed, not drawn as
    empty rows far to the left. Sheet text as the sheet has it (shown as text)."""
    dated = _drawn(diagnosed, limit)
    old = dated.loc[_ended_long_ago(dated, today)]
    return pd.DataFrame(
        {
            "Creator": old["creator"].astype("string"),
            "Campaign": old["campaign"].astype("string"),
            "State": old["health"].map({k: h.label for k, h in HEALTH.items()}).astype("string"),
            "Ended": human_dates(old["expires"]),
            "Sheet row": old["row"],
        }
    ).reset_index(drop=True)


def timeline(diagnosed: pd.DataFrame, today: dt.date, limit: int = TIMELINE_LIMIT) -> go.Figure:
    """Bars from authorized to expiry, most urgent at the top, coloured and patterned by health.

    Dates run along the top and the bottom (a long chart scrolls), a 'today' line crosses it,
    a tick marks each row's campaign end (named once per campaign), and a bar that runs past
    the right edge ends in an arrow.
    """
    rows = timeline_rows(diagnosed, today, limit)
    fig = go.Figure()
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>"
        "%{customdata[3]}: %{customdata[4]}<extra></extra>"
    )
    custom = ["creator", "post", "when", "status", "issues"]
    for state in HEALTH_ORDER:
        part = rows.loc[rows["health"] == state]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                name=HEALTH[state].label,
                orientation="h",
                y=part["label"].tolist(),
                base=iso_dates(part["start"]).tolist(),
                x=part["length_ms"].tolist(),
                marker={
                    "color": HEALTH[state].color,
                    "pattern": {"shape": HEALTH_PATTERNS[state], "fillmode": "overlay", "size": 7, "solidity": 0.3},
                },
                customdata=part[custom].to_numpy(dtype=object),
                hovertemplate=hover,
            )
        )
    x_range = _timeline_range(rows, today)
    ends = rows.loc[rows["campaign_end"].notna()]
    if not ends.empty:
        named = ~ends.duplicated(["campaign", "campaign_end"])
        fig.add_trace(
            go.Scatter(
                name="Campaign ends",
                mode="markers+text",
                y=ends["label"].tolist(),
                x=iso_dates(ends["campaign_end"]).tolist(),
                text=(ends["campaign"] + " ends").where(named, "").tolist(),
                textposition="middle right",
                marker={"symbol": "line-ns-open", "size": 14, "line": {"width": 3}, "color": CAMPAIGN_END_COLOR},
                hovertemplate=f"%{{customdata}} ends %{{x|{HUMAN_DATE_D3}}}<extra></extra>",
                customdata=ends["campaign"].tolist(),
            )
        )
    beyond = rows.loc[rows["end"] > pd.Timestamp(x_range[1])]
    if not beyond.empty:
        fig.add_trace(
            go.Scatter(
                name="Ends later (beyond the right edge)",
                mode="markers",
                y=beyond["label"].tolist(),
                x=[x_range[1]] * len(beyond),
                # Each arrow in its bar's colour: it means "this bar goes on", never a new thing.
                marker={
                    "symbol": "triangle-right",
                    "size": 12,
                    "color": beyond["health"].map({k: h.color for k, h in HEALTH.items()}).tolist(),
                },
                customdata=beyond[["creator", "ends", "status"]].to_numpy(dtype=object),
                hovertemplate="%{customdata[0]}: ends %{customdata[1]}, beyond this view<extra></extra>",
                cliponaxis=False,
            )
        )
    # Dates along the top as well: the same axis, drawn again above the bars.
    fig.add_trace(go.Scatter(x=x_range, y=[None, None], xaxis="x2", showlegend=False, hoverinfo="skip", mode="lines"))
    today_iso = iso_date(today)
    fig.add_shape(type="line", x0=today_iso, x1=today_iso, y0=0, y1=1, yref="paper", line={"dash": "dash"})
    fig.add_annotation(x=today_iso, y=0, yref="paper", text="Today", showarrow=False, yanchor="top", yshift=-22)
    fig.update_layout(
        barmode="overlay",
        height=max(320, 26 * len(rows) + 200),
        margin={"l": 10, "r": 30, "t": 90, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": 1.0, "yref": "container", "x": 0},
        xaxis={**MONTH_TICKS, "range": x_range, "showgrid": True},
        xaxis2={**MONTH_TICKS, "range": x_range, "overlaying": "x", "side": "top", "matches": "x"},
        yaxis={"categoryorder": "array", "categoryarray": rows["label"].tolist(), "autorange": "reversed"},
    )
    return _readable(fig)


def _readable(fig: go.Figure) -> go.Figure:
    """Every piece of chart text in `CHART_TEXT_COLOR`, set where Streamlit's theme would set its own."""
    text = {"color": CHART_TEXT_COLOR}
    axis = {"tickfont": text, "title": {"font": text}}
    fig.update_layout(font=text, legend={"font": text, "title": {"font": text}}, xaxis=axis, yaxis=axis)
    if "xaxis2" in fig.layout and fig.layout.xaxis2.side:
        fig.update_layout(xaxis2=axis)
    fig.update_annotations(font=text)
    return fig


def _timeline_range(rows: pd.DataFrame, today: dt.date) -> list[str]:
    """Open on the view a lead needs: up to three months back, two to four months ahead (zoom for more)."""
    now = pd.Timestamp(today)
    if rows.empty:
        return [iso_date(now - pd.Timedelta(days=30)), iso_date(now + pd.Timedelta(days=90))]
    lo = max(rows["start"].min(), now - pd.Timedelta(days=HISTORY_DAYS)) - pd.Timedelta(days=3)
    hi = min(max(rows["end"].max(), now + pd.Timedelta(days=60)), now + pd.Timedelta(days=120)) + pd.Timedelta(days=3)
    return [iso_date(lo), iso_date(hi)]


def timeline_summary(diagnosed: pd.DataFrame, today: dt.date, limit: int = TIMELINE_LIMIT) -> str:
    """The timeline in one sentence: how many bars of each state, and the next end date to come."""
    rows = timeline_rows(diagnosed, today, limit)
    if rows.empty:
        return "The timeline is empty: no authorization shown has an end date."
    counts = rows["health"].value_counts()
    states = _and([f"{counts[s]} {_state_words(s)}" for s in HEALTH_ORDER if counts.get(s, 0)])
    verb = "is" if len(rows) == 1 else "are"
    sentence = f"The {plural(len(rows), 'authorization')} drawn {verb} {states}"
    coming = rows.loc[~rows["health"].isin(ENDED) & (rows["end"] > pd.Timestamp(today))]
    if coming.empty:
        return sentence + "; none is still to end."
    first = coming.sort_values("end", kind="stable").iloc[0]
    return sentence + f"; the next end date is {first['ends']} ({days_left(int(first['days']))})."


def timeline_table(diagnosed: pd.DataFrame, today: dt.date, limit: int = TIMELINE_LIMIT) -> pd.DataFrame:
    """The timeline's bars as rows of a table, in the chart's order; sheet text as the sheet has it."""
    dated = _drawn(diagnosed, limit)
    dated = dated.loc[~_ended_long_ago(dated, today)]
    return pd.DataFrame(
        {
            "Creator": dated["creator"].astype("string").fillna("(no creator)"),
            "Campaign": dated["campaign"].astype("string"),
            "Sheet row": dated["row"],
            "State": dated["health"].map({k: h.label for k, h in HEALTH.items()}).astype("string"),
            "From": human_dates(_bar_start(dated, today)),
            "Ends": human_dates(dated["expires"]),
            "When": days_left_all(dated["days_left"]).mask(dated["health"].eq(HealthId.REVOKED), WITHDRAWN),
            "Campaign ends": human_dates(dated["campaign_end"]).fillna(""),
        }
    ).reset_index(drop=True)


def _state_words(state: str) -> str:
    label = HEALTH[HealthId(state)].label
    return label if label.isupper() else label[0].lower() + label[1:]


def _and(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ---------------------------------------------------------------------------
# Issues, grouped by who fixes them.


def issue_rows(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """Issues that occur, with their count and who starts the fix; grouped by role, biggest first."""
    counts = issue_counts(diagnosed)
    role_rank = {r: n for n, r in enumerate(ROLES)}
    rows = pd.DataFrame(
        {
            "issue": list(counts),
            "count": list(counts.values()),
            "label": [RULES[i].label for i in counts],
            "role": [RULES[i].roles[0] for i in counts],
            "who": [role_labels(RULES[i].roles) for i in counts],
        }
    )
    rows = rows.loc[rows["count"] > 0]
    rows = rows.assign(rank=rows["role"].map(role_rank)).sort_values(["rank", "count"], ascending=[True, False])
    return rows.drop(columns="rank").reset_index(drop=True)


def issue_chart(diagnosed: pd.DataFrame) -> go.Figure:
    """Rows per issue in plain words, one colour per role that starts the fix.

    Each bar carries its issue id in `customdata`, so a click can narrow the action list;
    the id never shows on screen.
    """
    rows = issue_rows(diagnosed)
    fig = go.Figure()
    for role_id, part in rows.groupby("role", sort=False):
        role = str(role_id)
        fig.add_trace(
            go.Bar(
                name=ROLES[role].label,
                orientation="h",
                y=part["label"].tolist(),
                x=part["count"].tolist(),
                customdata=part[["issue", "who"]].to_numpy(dtype=object),
                marker={
                    "color": ROLE_COLORS[role],
                    "pattern": {"shape": ROLE_PATTERNS[role], "fillmode": "overlay", "size": 7, "solidity": 0.3},
                },
                hovertemplate="%{y}: %{x} authorizations<br>Fixed by: %{customdata[1]}<extra></extra>",
            )
        )
    if rows.empty:
        fig.add_annotation(text="No problems found", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(
        barmode="overlay",
        height=max(240, 32 * len(rows) + 120),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": "Who starts the fix"}},
        xaxis={"title": {"text": "Authorizations"}, "rangemode": "tozero"},
        yaxis={"categoryorder": "array", "categoryarray": rows["label"].tolist(), "autorange": "reversed"},
        clickmode="event+select",
    )
    return _readable(fig)


def issue_summary(diagnosed: pd.DataFrame) -> str:
    """The problems chart in one sentence: how many kinds, the most common, whose fixes dominate."""
    rows = issue_rows(diagnosed)
    if rows.empty:
        return "No problems found in the rows shown."
    top = rows.iloc[rows["count"].argmax()]
    per_role = rows["role"].value_counts(sort=False)
    busiest = cast(str, per_role.idxmax())  # a role id
    sentence = (
        f"{plural(len(rows), 'kind')} of problem; the most common is “{top['label']}” "
        f"({plural(int(top['count']), 'authorization')}, fixed by {top['who']})"
    )
    if len(per_role) > 1:
        sentence += f"; the {ROLES[busiest].label.lower()} starts the fix for {per_role[busiest]} of the {len(rows)}"
    return sentence + "."


def issue_table(diagnosed: pd.DataFrame) -> pd.DataFrame:
    """The problems chart's bars as a table, in the chart's order."""
    rows = issue_rows(diagnosed)
    return pd.DataFrame(
        {"Problem": rows["label"], "Authorizations": rows["count"].astype("int64"), "Who fixes it": rows["who"]}
    )


def issue_from_selection(selection: dict | None) -> IssueId | None:
    """The issue id of the first bar picked in `issue_chart` (Streamlit's selection state), or None."""
    for point in (selection or {}).get("points", []):
        custom = point.get("customdata")
        if custom and custom[0] in RULES:
            return IssueId(custom[0])
    return None


# ---------------------------------------------------------------------------
# Expiries per week.


def week_rows(diagnosed: pd.DataFrame, today: dt.date, weeks: int = WEEKS_AHEAD) -> pd.DataFrame:
    """How many authorizations end in each of the coming weeks (week 0 starts today).

    Withdrawn codes are left out: they have stopped already, whatever their end date.
    """
    days = diagnosed["days_left"].where(diagnosed["health"] != HealthId.REVOKED)
    ahead = days[(days >= 0) & (days < 7 * weeks)].astype("int64")
    counts = (ahead // 7).value_counts().reindex(range(weeks), fill_value=0)
    starts = pd.Timestamp(today) + pd.to_timedelta(np.arange(weeks) * 7, unit="D")
    return pd.DataFrame(
        {
            "week": range(weeks),
            "start": starts,
            "label": human_dates(starts, year=False),
            "until": human_dates(starts + pd.Timedelta(days=6), year=False),
            "count": counts.to_numpy(),
        }
    )


def in_warning_window(rows: pd.DataFrame, today: dt.date, warn_days: int) -> pd.Series:
    """Which of `week_rows` start inside the warning window (their bars are marked as such)."""
    return rows["start"] <= pd.Timestamp(today) + pd.Timedelta(days=warn_days)


def expiries_per_week(diagnosed: pd.DataFrame, today: dt.date, warn_days: int, weeks: int = WEEKS_AHEAD) -> go.Figure:
    """Bars per coming week: weeks inside the warning window filled and striped in the 'expiring'
    state's look, later weeks hollow; each kind is its own legend entry, so colour is not the only cue."""
    rows = week_rows(diagnosed, today, weeks)
    soon = in_warning_window(rows, today, warn_days)
    fig = go.Figure()
    looks = (
        (
            soon,
            f"Inside the {warn_days}-day warning window",
            {
                "color": HEALTH[HealthId.EXPIRING].color,
                "pattern": {
                    "shape": HEALTH_PATTERNS[HealthId.EXPIRING],
                    "fillmode": "overlay",
                    "size": 7,
                    "solidity": 0.3,
                },
            },
        ),
        (~soon, "Later", {"color": "rgba(0,0,0,0)", "line": {"color": WEEK_COLOR, "width": 2}}),
    )
    for picked, name, marker in looks:
        part = rows.loc[picked]
        fig.add_trace(
            go.Bar(
                name=name,
                x=part["label"].tolist(),
                y=part["count"].tolist(),
                customdata=part[["label", "until"]].to_numpy(dtype=object),
                marker=marker,
                hovertemplate="%{y} end between %{customdata[0]} and %{customdata[1]}<extra></extra>",
            )
        )
    fig.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        barmode="overlay",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={
            "title": {"text": "Week starting"},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": rows["label"].tolist(),
        },
        yaxis={
            "title": {"text": "Authorizations ending"},
            "rangemode": "tozero",
            "dtick": 1 if rows["count"].max() < 10 else None,
        },
    )
    return _readable(fig)


def week_summary(diagnosed: pd.DataFrame, today: dt.date, warn_days: int, weeks: int = WEEKS_AHEAD) -> str:
    """The expiries-per-week chart in one sentence: how many end, how many soon, the busiest week."""
    rows = week_rows(diagnosed, today, weeks)
    total = int(rows["count"].sum())
    if not total:
        return f"No authorization ends in the next {weeks} weeks."
    soon = int(rows.loc[in_warning_window(rows, today, warn_days), "count"].sum())
    busiest = rows.iloc[rows["count"].argmax()]
    verb = "ends" if total == 1 else "end"
    return (
        f"{plural(total, 'authorization')} {verb} in the next {weeks} weeks, {soon} of them in the weeks "
        f"the {warn_days}-day warning window reaches; most in the week of {busiest['label']} ({busiest['count']})."
    )


def week_table(diagnosed: pd.DataFrame, today: dt.date, warn_days: int, weeks: int = WEEKS_AHEAD) -> pd.DataFrame:
    """The expiries-per-week chart's bars as a table, one row per week."""
    rows = week_rows(diagnosed, today, weeks)
    return pd.DataFrame(
        {
            "Week starting": rows["label"],
            "Until": rows["until"],
            "Authorizations ending": rows["count"].astype("int64"),
            "In the warning window": np.where(in_warning_window(rows, today, warn_days), "Yes", "No"),
        }
    )


def sheet_text(text: pd.Series, limit: int) -> pd.Series:
    """Sheet text ready for a figure: at most `limit` characters, direction isolated, HTML-escaped."""
    text = text.astype("string")
    cut = text.where(text.str.len() <= limit, text.str[: limit - 1] + "…")
    return escape_html_all(isolate_all(cut))
