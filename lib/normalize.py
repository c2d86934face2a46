"""From a raw table of strings to one typed frame, plus a list of what could not be read.

Real tracking sheets are typed by hand: headers vary, dates come in four shapes, durations
are written as words. This module turns all of that into one frame with fixed columns and
types, so nothing downstream has to guess. Every cell it cannot understand becomes a
problem that names the sheet row and the sheet's own column header, and the rest of that
row still counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib import dates, headers
from lib.codes import clean_codes, code_damage, mask_codes, redact_codes_in
from lib.columnar import ColumnTable, arrow_text, text_series
from lib.columns import SHEET_ROW_HEADER, STATUS_UNREAD, TAB, TAB_HEADER
from lib.errors import ErrorKind, SourceError
from lib.headers import Assignment
from lib.vocab import (
    ACCESS_VALUES,
    BOOLEAN_VALUES,
    COLUMN_ALIASES,
    DATE_COLUMNS,
    IDENTITY_VALUES,
    STATUS_VALUES,
    VISIBILITY_VALUES,
)
from lib.words import human_date, noun, plural

RawTable = list[list[str]]
"""A header row followed by data rows, every cell a string (as a sheet or CSV gives them)."""

TEXT_COLUMNS = ("campaign", "brand", "owner", "ad_account", "notes")
REGION_COLUMNS = ("creator_region", "ad_account_region")
CANONICAL_COLUMNS: tuple[str, ...] = tuple(COLUMN_ALIASES)

PROBLEM_COLUMNS = ["row", "column", "value", "problem"]

# Durations: a number, then a unit in any of the languages teams write in (English, Spanish,
# French, German, Portuguese, Indonesian). The unit's first letter after folding decides.
_DURATION_UNITS = {
    "d": r"d|days?|dias?|días?|jours?|j|tage?n?|t|hari",
    "w": r"w|wks?|weeks?|semanas?|semaines?|wochen?|minggu",
    "m": r"m|mos?|mths?|months?|mes|meses|mois|monate?|bulan",
    "y": r"y|yrs?|years?|años?|anos?|ans?|jahre?|tahun",
}
_NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
_UNIT = "(?:" + "|".join(f"(?P<{letter}>{words})" for letter, words in _DURATION_UNITS.items()) + ")"
# A bare number ('30', '60.0'), or a number with a unit anywhere in the text ('Organic (30 days)').
_BARE_DURATION_RE = rf"^{_NUMBER}$"
_DURATION_RE = rf"(?<![\w.]){_NUMBER}\s*[-_ ]?\s*{_UNIT}(?![^\W\d_])"
_THOUSANDS_RE = r"(?<=\d),(?=\d{3}(?!\d))"
_UNLIMITED_RE = (
    r"^(unlimited|lifetime|life time|forever|perpetual|permanent|indefinite|no end|no end date|no expiry|"
    r"never expires|ilimitado|ilimitada|illimité|illimitée|unbegrenzt|unbefristet|vitalício|selamanya|"
    r"tanpa batas|seumur hidup)$"
)
_VIDEO_ID_RE = r"/video/(?P<id>\d+)"


@dataclass(frozen=True)
class Normalized:
    """The typed frame, the problems found on the way, and the sheet's own header names."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    """Canonical column name → the header text as written in the sheet."""
    columns: Assignment | None = None
    """Which of the sheet's columns were read as what, and which were not used (shown with the problems)."""

    @property
    def columns_note(self) -> str:
        """One plain line for the problems list: "Columns used: creator ← 'TT Handle', …; not used: …"."""
        return headers.describe(self.columns) if self.columns else ""


header_key = headers.fold
"""Fold a header to lower_snake_case words: `"Duration (days)"` → `duration_days` (one definition, in lib.headers)."""


def normalize(
    table: RawTable | ColumnTable, *, date_order: dates.DateOrder | None = None, sheet_locale: str = ""
) -> Normalized:
    """Turn a raw table into the typed frame every other part of the product reads.

    `table` may be held as rows or as columns (`lib.columnar`, a big CSV): the result is the same.
    `date_order` ('DMY' or 'MDY') is the team's setting for dates that could be read both
    ways; `sheet_locale` (e.g. 'fr_FR') is the spreadsheet's own, a weaker hint. Evidence in
    the column itself beats both.
    """
    if isinstance(table, ColumnTable):
        header_index, assignment, factorized = _columns_of_column_table(table)
    else:
        header_index, assignment, factorized = _columns_of_rows(table)
    body_rows = np.arange(len(table) - header_index - 1, dtype="int64")
    cells = _Cells(_distinct_columns(factorized, assignment.names), rows=body_rows + header_index + 2)
    cells = cells.without_blank_rows()
    if SHEET_ROW in cells:
        cells = cells.numbered_by(SHEET_ROW)

    reading = _DateReading(date_order=date_order, locale=sheet_locale)
    frame, problems = _typed(cells, assignment.headers, reading)
    return Normalized(frame=frame, problems=problems, headers=assignment.headers, columns=assignment)


SHEET_ROW = header_key(SHEET_ROW_HEADER)
_TAB_KEY = header_key(TAB_HEADER)
_EMPTY = "The sheet is empty: there is no header row and no data."

Factorized = list[tuple[np.ndarray, np.ndarray | pa.Array]]
"""Per column below the header: each row's index into the column's distinct texts (-1: no value),
and those texts in order of first appearance, as `pd.factorize` gives them (a pyarrow array when
the sheet is held as columns)."""


def _columns_of_rows(table: RawTable) -> tuple[int, Assignment, Factorized]:
    """The header row, its columns, and the body's columns factorized, from a table of rows."""
    if not table or not any(any(str(c).strip() for c in row if c is not None) for row in table):
        raise SourceError(_EMPTY, kind=ErrorKind.EMPTY)
    header_index, assignment = headers.locate(table)
    body = table[header_index + 1 :]
    width = len(assignment.names)
    padded = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in body]
    grid = np.empty((len(padded), width), dtype=object)
    grid[:] = padded if padded else grid
    factorized = []
    for i in range(width):
        codes, uniques = pd.factorize(grid[:, i], use_na_sentinel=True)
        factorized.append((codes, np.asarray(uniques, dtype=object)))
    return header_index, assignment, factorized


def _columns_of_column_table(table: ColumnTable) -> tuple[int, Assignment, Factorized]:
    """`_columns_of_rows` for a table held as columns: only the rows the header search reads are made
    into lists; each column's distinct texts come from pyarrow's dictionary encoding, which keeps the
    order of first appearance as `pd.factorize` does, without a Python string per cell."""
    if not table.has_text():
        raise SourceError(_EMPTY, kind=ErrorKind.EMPTY)
    head = table.rows(0, headers.HEAD_ROWS + headers.SAMPLE_ROWS)
    header_index, assignment = headers.locate(head, widest_from=table.width_from)
    return header_index, assignment, [table.distinct(i, header_index + 1) for i in range(len(assignment.names))]


def _distinct_columns(factorized: Factorized, names: list[str]) -> dict[str, tuple[np.ndarray, pd.Series]]:
    """Every column as (per-row index, cleaned distinct texts).

    Sheets repeat themselves (the same dates, durations and statuses on thousands of rows),
    so each distinct text is cleaned and parsed once and results are spread back by index:
    that is what keeps a 100,000-row sheet fast. The distinct texts of all columns are
    cleaned together, in one pass, so a sheet with thousands of columns costs no more per
    cell than a narrow one.
    """
    # Each column's distinct texts, then "" for its empty cells (pointed at by the -1 sentinel).
    uniques = [_and_empty(u) for _, u in factorized]
    is_code = np.array([name == "code" for name in names], dtype=bool)
    cleaned: list[pd.Series | None] = [None] * len(names)
    for clean, chosen in ((_clean_code, is_code), (_clean_other, ~is_code)):
        picked = np.flatnonzero(chosen)
        if not len(picked):
            continue
        texts = clean(_one_series([uniques[i] for i in picked]))
        bounds = np.cumsum([0, *(len(uniques[i]) for i in picked)])
        for i, start, end in zip(picked, bounds[:-1], bounds[1:], strict=True):
            cleaned[i] = texts.iloc[start:end].reset_index(drop=True)
    out: dict[str, tuple[np.ndarray, pd.Series]] = {}
    for name, (codes, unique), column_texts in zip(names, factorized, cleaned, strict=True):
        assert column_texts is not None
        out[name] = (np.where(codes < 0, len(unique), codes), column_texts)
    return out


def _and_empty(texts: np.ndarray | pa.Array) -> np.ndarray | pa.Array:
    """Distinct texts with "" after them."""
    if isinstance(texts, pa.Array):
        return pa.concat_arrays([texts, pa.array([""], texts.type)])
    return np.append(texts, "")


def _one_series(parts: list[np.ndarray | pa.Array]) -> pd.Series:
    """Several columns' distinct texts as one Series, to be cleaned in one pass."""
    if all(isinstance(part, pa.Array) for part in parts):
        return text_series(pa.concat_arrays(parts))
    return pd.Series(np.concatenate(parts), dtype=object)


class _Cells:
    """The sheet's cells, column by column, each kept as distinct texts plus a per-row index."""

    def __init__(self, columns: dict[str, tuple[np.ndarray, pd.Series]], rows: np.ndarray) -> None:
        self.columns = columns
        self.rows = rows
        self._text: dict[str, pd.Series] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def __len__(self) -> int:
        return len(self.rows)

    def without_blank_rows(self) -> _Cells:
        blank = np.ones(len(self.rows), dtype=bool)
        for codes, texts in self.columns.values():
            blank &= (texts == "").to_numpy()[codes]
        return self._subset(~blank)

    def numbered_by(self, name: str) -> _Cells:
        """Rows numbered by a column of their own (a merged tab's rows), where it holds a number."""
        given = pd.to_numeric(self.text(name), errors="coerce")
        rows = given.where(given.notna() & (given > 0), pd.Series(self.rows)).astype("int64").to_numpy()
        return _Cells(self.columns, rows)

    def _subset(self, keep: np.ndarray) -> _Cells:
        return _Cells({n: (codes[keep], texts) for n, (codes, texts) in self.columns.items()}, self.rows[keep])

    def text(self, name: str) -> pd.Series:
        """The column's cleaned text per row ('' for a column the sheet does not have)."""
        if name not in self._text:
            if name in self.columns:
                codes, texts = self.columns[name]
                self._text[name] = pd.Series(texts.array.take(codes), dtype="string")
            else:
                self._text[name] = pd.Series("", index=range(len(self.rows)), dtype="string")
        return self._text[name]

    def text_at(self, name: str, positions: np.ndarray) -> np.ndarray:
        """The column's cleaned text at some row positions, as an object array of str."""
        if name not in self.columns:
            return np.full(len(positions), "", dtype=object)
        codes, texts = self.columns[name]
        return texts.array.take(codes[positions]).to_numpy(dtype=object)

    def filled(self, name: str) -> np.ndarray:
        """Per row, whether the column's cell holds text (False for a column the sheet does not have)."""
        if name not in self.columns:
            return np.zeros(len(self.rows), dtype=bool)
        codes, texts = self.columns[name]
        return (texts != "").to_numpy(dtype=bool)[codes]

    def text_or_na(self, name: str) -> pd.Series:
        """The column's cleaned text per row, missing where empty (`_blank_to_na`, once per distinct text)."""
        return self.each(name, _blank_to_na)

    def each(self, name: str, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
        """`convert` run once on the column's distinct texts, spread back over the rows."""
        codes, texts = self._distinct(name)
        return _spread(convert(texts.astype("string")), codes)

    def values(self, name: str) -> np.ndarray:
        """The column's cleaned text per row as an object array, None for an empty cell."""
        codes, texts = self.columns[name]
        # pandas takes any na_value (None is its documented example); the stubs leave None out.
        distinct = texts.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
        distinct[distinct == ""] = None
        return distinct[codes]

    def parsed(self, name: str, parse: Callable[[pd.Series], pd.DataFrame]) -> tuple[np.ndarray, pd.DataFrame]:
        """`parse` run once per distinct text of the column: each row's index into the result, and the result.

        Results stay per distinct text until a row needs them (`_spread`): a problem column is
        almost all missing, and spreading it over 100,000 rows to find the few set was most of the cost.
        """
        codes, texts = self._distinct(name)
        return codes, parse(texts.astype("string"))

    def _distinct(self, name: str) -> tuple[np.ndarray, pd.Series]:
        """The column's (per-row index, distinct texts); one empty text for a column the sheet does not have."""
        if name in self.columns:
            return self.columns[name]
        return np.zeros(len(self.rows), dtype="int64"), pd.Series([""])


def _spread(values: pd.Series, codes: np.ndarray) -> pd.Series:
    """Per-distinct-text `values` spread over the rows (`codes`: each row's index into them)."""
    return pd.Series(values.array.take(codes))


@dataclass(frozen=True)
class _DateReading:
    """How to read dates like 02/12/2026, which are 2 December in Paris and 12 February in New York.

    Per column, in this order: what the column proves (19/11/2026 can only be day-first),
    what the sheet's other date columns prove, the team's `date_order`, the spreadsheet's
    locale, else month-first. Whenever a guess (locale or default) or a contradiction decides
    some dates, the column is listed once in the problems, saying how they were read: never
    a silent flip.
    """

    date_order: dates.DateOrder | None = None
    locale: str = ""

    def orders(self, columns: dict[str, pd.Series]) -> dict[str, tuple[dates.DateOrder, str | None]]:
        """Column → (the order to read it with, a note for the problems list or None)."""
        proofs = {name: dates.evidence(texts) for name, texts in columns.items()}
        proven = {proof for proof in proofs.values() if proof in (dates.DMY, dates.MDY)}
        sheet = proven.pop() if len(proven) == 1 else None
        locale = dates.date_order_for_locale(self.locale)
        out: dict[str, tuple[dates.DateOrder, str | None]] = {}
        for name, texts in columns.items():
            proof = proofs[name]
            if proof in (dates.DMY, dates.MDY):
                out[name] = (proof, None)
                continue
            order = self.date_order or sheet or locale or dates.MDY
            if not dates.has_ambiguous(texts):
                out[name] = (order, None)
            elif proof == dates.MIXED:
                out[name] = (order, _mixed_dates(texts, order))
            elif self.date_order or sheet:
                out[name] = (order, None)
            else:
                out[name] = (order, _guessed_dates(texts, order, self.locale if locale else ""))
        return out


def _read_as(texts: pd.Series, order: dates.DateOrder) -> str:
    """'02/12/2026 was read as 12 Feb 2026': the first ambiguous value that reads, shown as read."""
    ambiguous = texts[dates.is_ambiguous(texts).to_numpy(dtype=bool)].astype("string")
    read = dates.parse_dates(ambiguous, order)["value"].dropna()
    if read.empty:
        return f"for example {ambiguous.iloc[0]}"
    day = read.iloc[0]
    return f"{ambiguous.loc[read.index[0]]} was read as {human_date(day)}"


_ORDER_NAMES = {dates.DMY: "day first", dates.MDY: "month first"}


def _guessed_dates(texts: pd.Series, order: dates.DateOrder, locale: str) -> str:
    why = f"as the spreadsheet's locale ({locale}) writes them" if locale else "nothing in the sheet says which"
    return (
        f"Dates in this column could be day first or month first; they were read {_ORDER_NAMES[order]} ({why}): "
        f"{_read_as(texts, order)}. Set date_order in the settings (or --date-order) to be sure."
    )


def _mixed_dates(texts: pd.Series, order: dates.DateOrder) -> str:
    return (
        "This column holds both day-first dates (like 19/11/2026) and month-first ones (like 11/19/2026); "
        f"those that could be either were read {_ORDER_NAMES[order]}: {_read_as(texts, order)}. "
        "Write dates like 2026-11-22 to be sure."
    )


def _clean_text(values: pd.Series) -> pd.Series:
    """Cells as trimmed text; empty cells (and None) become ''."""
    return values.astype("string").fillna("").str.strip()


def _clean_code(values: pd.Series) -> pd.Series:
    """Codes as they were meant: a label, invisible characters, a chat app's line break taken off."""
    return clean_codes(_clean_text(values)).fillna("")


def _clean_other(values: pd.Series) -> pd.Series:
    """Trimmed text with any code pasted outside the code column masked.

    A code in the notes (or in a second code column) is still a credential, however it was
    written (without '#', percent-encoded, full-width); after this, the code column is the
    only place a whole code can be found.
    """
    return redact_codes_in(_clean_text(values))


def _typed(cells: _Cells, header_texts: dict[str, str], reading: _DateReading) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pd.Series(cells.rows, dtype="int64")
    problems: list[pd.DataFrame] = []

    def report_at(
        name: str,
        positions: np.ndarray,
        messages: np.ndarray,
        *,
        once_per_value: bool = False,
        shown: np.ndarray | None = None,
    ) -> None:
        """Add a problem at each row position in `positions` (`messages`, one sentence each), quoting the cell.

        `shown` replaces the cells' text in the problems (a code is quoted masked).
        With `once_per_value`, a word the product does not know ('paused' on 300 rows) is one
        problem at its first row that names the other rows, instead of 300 lines saying the same.
        """
        if not len(positions):
            return
        found = pd.DataFrame(
            {
                "__pos": positions,
                "row": rows.to_numpy()[positions],
                "column": header_texts.get(name, name),
                "value": cells.text_at(name, positions) if shown is None else shown,
                "problem": messages,
            }
        )
        if _TAB_KEY in cells:
            found[TAB] = cells.text_at(_TAB_KEY, positions)
        if once_per_value:
            found = _once_per_value(found)
        problems.append(found)

    def report(
        name: str,
        codes: np.ndarray,
        problem: pd.Series,
        *,
        once_per_value: bool = False,
        shown: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        """`report_at` every row whose distinct text has a `problem` (per distinct text; `codes` per row)."""
        bad = problem.notna().to_numpy(dtype=bool)
        if not bad.any():
            return
        positions = np.flatnonzero(bad[codes])
        messages = problem.to_numpy(dtype=object)[codes[positions]]
        report_at(
            name, positions, messages, once_per_value=once_per_value, shown=None if shown is None else shown(positions)
        )

    def parsed(name: str, parse: Callable[[pd.Series], pd.DataFrame], *, once_per_value: bool = False) -> pd.Series:
        codes, result = cells.parsed(name, parse)
        report(name, codes, result["problem"], once_per_value=once_per_value)
        return _spread(result["value"], codes)

    def word(name: str, parse: Callable[[pd.Series], pd.DataFrame]) -> pd.Series:
        """A column of words from a fixed vocabulary: an unknown word is reported once."""
        return parsed(name, parse, once_per_value=True)

    out = pd.DataFrame({"row": rows})

    # Who and what.
    out["creator"] = parsed("creator", _creators)
    post_url = cells.text_or_na("post_url")
    post_id = cells.text_or_na("post_id")
    out["post_url"] = post_url
    out["post_id"] = post_id
    out["post"] = post_url.fillna(post_id)
    out["post_key"] = post_id.fillna(cells.each("post_url", lambda text: _post_keys(_blank_to_na(text))))
    if "post_url" in cells or "post_id" in cells:
        missing = np.flatnonzero(out["post"].isna().to_numpy(dtype=bool))
        report_at("post_url" if "post_url" in cells else "post_id", missing, np.full(len(missing), _NO_POST, object))

    # The code, its access method and what the team recorded.
    out["code"] = cells.text_or_na("code")
    codes, damage = cells.parsed("code", lambda text: pd.DataFrame({"value": code_damage(text)}))

    def masked(positions: np.ndarray) -> np.ndarray:
        return mask_codes(pd.Series(cells.text_at("code", positions), dtype="string")).to_numpy(dtype=object)

    report("code", codes, damage["value"], shown=masked)
    out["access_method"] = word("access_method", _vocabulary(ACCESS_VALUES, _BAD_ACCESS)).fillna("code")
    out["status"] = word("status", _vocabulary(STATUS_VALUES, _BAD_STATUS))
    # A word the product does not know ('paused') is not a blank: nobody may read it as "not applied".
    out[STATUS_UNREAD] = cells.filled("status") & out["status"].isna().to_numpy(dtype=bool)

    # Dates and durations.
    orders = reading.orders({name: cells.columns[name][1] for name in DATE_COLUMNS if name in cells})
    for name in DATE_COLUMNS:
        order, note = orders.get(name, (dates.MDY, None))
        out[name] = parsed(name, partial(dates.parse_dates, order=order)).astype("datetime64[s]")
        if note:
            codes, ambiguous = cells.parsed(name, lambda text: pd.DataFrame({"value": dates.is_ambiguous(text)}))
            first = ambiguous["value"].to_numpy(dtype=bool)[codes].argmax()  # the first row it applies to
            report_at(name, np.array([first]), np.array([note], dtype=object))
    codes, durations = cells.parsed("duration_days", _durations)
    report("duration_days", codes, durations["problem"])
    out["duration_days"] = _spread(durations["value"], codes).astype("Int64")
    out["no_end"] = _spread(durations["no_end"], codes).astype(bool)

    # The checks' inputs.
    for name in REGION_COLUMNS:
        out[name] = cells.each(name, lambda text: _blank_to_na(text).str.upper())
    out["post_visibility"] = word("post_visibility", _vocabulary(VISIBILITY_VALUES, _BAD_VISIBILITY))
    out["identity"] = word("identity", _vocabulary(IDENTITY_VALUES, _BAD_IDENTITY))
    out["ad_delivery_permission"] = word("ad_delivery_permission", _booleans).astype("boolean")
    for name in TEXT_COLUMNS:
        out[name] = cells.text_or_na(name)

    # Columns the product does not know are kept, as the team wrote them (added in one go:
    # one at a time costs a copy of the frame's index per column).
    if _TAB_KEY in cells:
        out[TAB] = cells.text_or_na(_TAB_KEY).astype("string")
    reserved = {SHEET_ROW, _TAB_KEY, *out.columns, *CANONICAL_COLUMNS}
    others = [n for n in cells.columns if n not in reserved]
    if others:
        kept = pd.DataFrame({name: cells.values(name) for name in others}, dtype="string")
        out = pd.concat([out, kept], axis=1)

    if problems:
        problem_frame = pd.concat(problems, ignore_index=True).sort_values("__pos", kind="stable")
        problem_frame = problem_frame.drop(columns="__pos").astype({"row": "int64"}).reset_index(drop=True)
    else:
        problem_frame = pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object") for c in PROBLEM_COLUMNS})
    return out.reset_index(drop=True), problem_frame


# Each parser below takes distinct cell texts and returns, per text, its typed `value` and a
# `problem` sentence (missing when the text is fine). Empty cells are never a problem.

_NO_CREATOR = "No creator handle: write the creator's TikTok handle in this row."
_NO_POST = "No post link or post id: add the link to the authorized TikTok post."
_BAD_ACCESS = "Unknown access method: write 'code' or 'business center'."
_BAD_STATUS = "Unknown status: write active, pending, revoked or expired."
_BAD_VISIBILITY = "Unknown visibility: write public, private or friends."
_BAD_IDENTITY = "Unknown identity: write 'creator' (the creator's handle) or 'custom'."
_BAD_BOOLEAN = "Write yes or no."
_BAD_DURATION = "Not a duration we can read: write a number of days, like 30."
_BIG_DURATION = "The duration must be between 1 and 3650 days."


def _once_per_value(found: pd.DataFrame) -> pd.DataFrame:
    """One problem per distinct value (per tab), at its first row, naming the rows it also appears on."""
    keys = [TAB, "value"] if TAB in found else ["value"]
    groups = found.groupby(keys, sort=False, dropna=False)["row"]
    also = groups.transform(lambda r: _also_rows(r.iloc[1:].tolist()))
    first = ~found.duplicated(keys)
    out = found.loc[first].copy()
    out["problem"] = out["problem"] + also.loc[first]
    return out


def _also_rows(rows: list[int], shown: int = 5) -> str:
    if not rows:
        return ""
    listed = ", ".join(str(r) for r in rows[:shown])
    more = f" and {plural(len(rows) - shown, 'more row')}" if len(rows) > shown else ""
    return f" (also on {noun(len(rows), 'row')} {listed}{more})"


def _result(value: pd.Series, problems: list[tuple[pd.Series, str]]) -> pd.DataFrame:
    problem = pd.Series(pd.NA, index=value.index, dtype=object)
    for bad, message in reversed(problems):
        problem = problem.mask(bad.fillna(False).astype(bool), message)
    return pd.DataFrame({"value": value, "problem": problem})


def _creators(text: pd.Series) -> pd.DataFrame:
    """'@Amy ', 'amy', '@ amy' → '@amy': one creator however the handle was typed."""
    text = text.astype("string")
    # A link to the profile (https://www.tiktok.com/@amy?lang=en) names the handle too.
    linked = text.str.contains("tiktok.com/@", case=False, regex=False).fillna(False)
    if linked.any():
        text = text.where(~linked, text[linked].str.extract(r"(?i)tiktok\.com/@([\w.]+)", expand=False))
    handle = _without_spaces(text).str.lstrip("@").str.lower()
    value = ("@" + handle).where(handle != "")
    return _result(value, [(handle == "", _NO_CREATOR)])


_SPACES_RE2 = (
    "[\\x{9}-\\x{d}\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}"
    "\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]+"
)
"""Python's `\\s+` in pyarrow's RE2 syntax: every character `str.isspace` calls whitespace (RE2's own `\\s`
is ASCII's, and misses even \\x0b), so pandas runs `\\s` in Python, value by value."""


def _without_spaces(text: pd.Series) -> pd.Series:
    """`text.str.replace(r"\\s+", "", regex=True)`, on pyarrow's regex engine."""
    return text_series(pc.replace_substring_regex(arrow_text(text), _SPACES_RE2, ""), text.index)


def _post_keys(post_url: pd.Series) -> pd.Series:
    """What identifies a post: the video number in its link, else the link without its query."""
    # pyarrow's regex engine over the whole column: pandas' `str.extract` runs Python's per value.
    found = pc.extract_regex(arrow_text(post_url), _VIDEO_ID_RE)
    video = text_series(pc.struct_field(found, [0]), post_url.index)
    other = video.isna() & post_url.notna()
    if other.any():
        video[other] = post_url[other].str.lower().str.split("?").str[0].str.rstrip("/")
    return video


def _blank_to_na(values: pd.Series) -> pd.Series:
    """Text, missing where empty."""
    text = arrow_text(values)
    return text_series(pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text), values.index)


def _vocabulary(mapping: Mapping[str, str], message: str) -> Callable[[pd.Series], pd.DataFrame]:
    """A parser mapping free text onto a fixed vocabulary, case- and spacing-insensitively."""

    def parse(text: pd.Series) -> pd.DataFrame:
        folded = text.astype("string").str.lower().str.replace(r"[_\-\s]+", " ", regex=True).str.strip()
        value = folded.map(mapping).astype("string")
        return _result(value, [((folded != "") & value.isna(), message)])

    return parse


def _booleans(text: pd.Series) -> pd.DataFrame:
    folded = text.astype("string").str.lower().str.strip()
    value = folded.map(BOOLEAN_VALUES).astype("boolean")
    return _result(value, [((folded != "") & value.isna(), _BAD_BOOLEAN)])


def _durations(text: pd.Series) -> pd.DataFrame:
    """'30', '30 days', '60-day', '1 year (365 days)', '30 días', '1,095' → whole days.

    'unlimited' (and its synonyms) is read as "no end date" (`no_end`), never as a number.
    A number among other words counts only with a unit beside it, so 'post 2 of 3' stays a
    problem instead of quietly becoming two days.
    """
    folded = text.astype("string").str.lower().str.strip().str.replace(_THOUSANDS_RE, "", regex=True)
    bare = folded.str.extract(_BARE_DURATION_RE)["n"]
    parts = folded.str.extract(_DURATION_RE)
    n = pd.to_numeric(bare.fillna(parts["n"]), errors="coerce").astype("float64")
    unit = pd.Series("d", index=text.index, dtype=object)
    for letter in _DURATION_UNITS:
        unit = unit.mask(parts[letter].notna() & bare.isna(), letter)
    months = unit == "m"
    per_unit = unit.map({"d": 1, "w": 7, "y": 365}).astype("float64")
    days = n * per_unit
    whole_years = months & (n % 12 == 0)
    days = days.where(~months, pd.Series(np.where(whole_years, n / 12 * 365, n * 30), index=days.index)).round()
    unlimited = folded.str.replace(r"[_\-\s]+", " ", regex=True).str.fullmatch(_UNLIMITED_RE).fillna(False)
    bad_text = (text != "") & days.isna() & ~unlimited
    bad_size = days.notna() & ~days.between(1, 3650)
    out = _result(days.where(~bad_size), [(bad_text, _BAD_DURATION), (bad_size, _BIG_DURATION)])
    out["no_end"] = unlimited.astype(bool)
    return out
