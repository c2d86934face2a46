"""The diagnosis as plain data: the JSON the command line prints and alerts are built from."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd
import pyarrow as pa

from lib import jsonout
from lib.codes import mask_codes
from lib.diagnose import health_counts, issue_counts
from lib.headers import Assignment
from lib.jsonout import Raw
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


# --------------------------------------------------------------------------- the same, as JSON text


def records_json_columns(diagnosed: pd.DataFrame) -> dict[str, pa.Array]:
    """`records` as encoded columns (`lib.jsonout`): the same keys, values and order, codes masked."""
    return {
        "row": jsonout.integers(diagnosed["row"]),
        "creator": jsonout.strings(diagnosed["creator"]),
        "post": jsonout.strings(diagnosed["post"]),
        "expires_on": jsonout.by_value(diagnosed["expires"], lambda days_: jsonout.strings(iso_dates(days_))),
        "days_left": jsonout.integers(diagnosed["days_left"]),
        "health": jsonout.by_value(diagnosed["health"].astype("string")),
        "issues": jsonout.by_value(diagnosed["issues"], _issue_lists),
        "code": jsonout.strings(mask_codes(diagnosed["code"])),
    }


def _issue_lists(distinct: pd.Series) -> pa.Array:
    return pa.array([jsonout.json_text(list(issues)) for issues in distinct], pa.large_string())


def problems_json(problems: pd.DataFrame) -> bytes:
    """`problem_records` as JSON text, written from columns."""
    columns = {}
    for name in problems.columns:
        values = problems[name]
        if name == "row" or pd.api.types.is_integer_dtype(values):
            columns[str(name)] = jsonout.integers(values)
        elif pd.api.types.is_string_dtype(values) and values.map(_text_or_missing, na_action="ignore").all():
            columns[str(name)] = jsonout.strings(values)
        else:
            columns[str(name)] = jsonout.each(values)
    return jsonout.json_records(columns, len(problems))


def _text_or_missing(value: object) -> bool:
    return isinstance(value, str)


def summary_json_parts(
    source: str,
    today: dt.date,
    warn_days: int,
    diagnosed: pd.DataFrame,
    problems: pd.DataFrame,
    columns: Assignment | None = None,
    *,
    more: dict[str, object] | None = None,
    record_columns: dict[str, pa.Array] | None = None,
) -> list[jsonout.Utf8]:
    """`jsonout.json_text(summary(...))` as UTF-8 pieces, written from columns: the command line's
    `--json` at any size. `record_columns` adds keys to every record (after the documented ones),
    `more` adds keys at the top (after the documented ones); both are for TikTok. The pieces are
    written one after the other (the records
    stay in pyarrow's buffer: 26 MB at 100,000 rows is never copied into one `bytes`)."""
    encoded = {**records_json_columns(diagnosed), **(record_columns or {})}
    return jsonout.json_object_parts(
        {
            "source": source,
            "today": iso_date(today),
            "warn_days": warn_days,
            "rows": len(diagnosed),
            "health": health_counts(diagnosed),
            "issues": issue_counts(diagnosed),
            "records": Raw(jsonout.json_records_parts(encoded, len(diagnosed))),
            "problems": Raw((problems_json(problems),)),
            "columns": {"used": dict(columns.used), "ignored": list(columns.ignored)} if columns else None,
            **(more or {}),
        }
    )
