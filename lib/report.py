"""The diagnosis as plain data: the JSON the command line prints and alerts are built from."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd

from lib.codes import mask_codes
from lib.diagnose import health_counts, issue_counts
from lib.headers import Assignment
from lib.words import iso_date, iso_dates


def records(diagnosed: pd.DataFrame, *, reveal_codes: bool = False) -> list[dict[str, Any]]:
    """One plain dict per authorization, codes masked unless the caller asks otherwise."""
    frame = pd.DataFrame(
        {
            "row": diagnosed["row"].astype("int64"),
            "creator": diagnosed["creator"],
            "post": diagnosed["post"],
            "expires_on": iso_dates(diagnosed["expires"]),
            "days_left": diagnosed["days_left"],
            "health": diagnosed["health"].astype("string"),
            "issues": diagnosed["issues"].map(list),
            "code": diagnosed["code"] if reveal_codes else mask_codes(diagnosed["code"]),
        }
    )
    plain = frame.astype(object).where(frame.notna(), None)
    out = cast("list[dict[str, Any]]", plain.to_dict(orient="records"))  # column names are text
    for record in out:
        if record["days_left"] is not None:
            record["days_left"] = int(record["days_left"])
        record["row"] = int(record["row"])
    return out


def problem_records(problems: pd.DataFrame) -> list[dict[str, Any]]:
    plain = problems.astype(object).where(problems.notna(), None)
    out = cast("list[dict[str, Any]]", plain.to_dict(orient="records"))  # column names are text
    for record in out:
        record["row"] = int(record["row"])
    return out


def summary(
    source: str,
    today: dt.date,
    warn_days: int,
    diagnosed: pd.DataFrame,
    problems: pd.DataFrame,
    columns: Assignment | None = None,
) -> dict[str, Any]:
    """The command line's `--json` object: counts for every state and issue, rows, problems.

    `columns` adds which sheet header was read as which column, and which were not used.
    """
    return {
        "source": source,
        "today": iso_date(today),
        "warn_days": warn_days,
        "rows": len(diagnosed),
        "health": health_counts(diagnosed),
        "issues": issue_counts(diagnosed),
        "records": records(diagnosed),
        "problems": problem_records(problems),
        "columns": {"used": dict(columns.used), "ignored": list(columns.ignored)} if columns else None,
    }
