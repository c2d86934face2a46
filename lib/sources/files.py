"""CSV and XLSX exports of the tracking sheet, read into a raw table of strings.

People export from Excel and Sheets in every encoding and separator there is; this module
takes the bytes as they come and either returns the table or says, in one line, what to
change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from lib.errors import SourceError
from lib.normalize import RawTable

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_DELIMITERS = ",;\t|"


def read_path(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a .csv or .xlsx file from disk."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"No file at {path}: check the path.", kind="not_found")
    if not path.is_file():
        raise SourceError(f"{path} is a folder, not a file: give the path to a .csv or .xlsx file.")
    return read_bytes(path.read_bytes(), path.name, sheet=sheet)


def read_bytes(data: bytes, name: str, sheet: str | None = None) -> RawTable:
    """Read an export from memory (an upload, or a file's bytes), chosen by its extension."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SourceError(
            f"{name} is {len(data) / 1e6:.0f} MB; the limit is {MAX_UPLOAD_BYTES // 1_000_000} MB. "
            "Export only the tracking tab, or remove unused columns.",
            kind="too_large",
        )
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, name, sheet=sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_csv(data)
    raise SourceError(
        f"{name} is not a table Sparkwatch can read: export the sheet as CSV or XLSX.",
        kind="not_a_table",
    )


def decode(data: bytes) -> str:
    """Text from bytes in whichever encoding Excel or Sheets used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0] != 0:
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes) -> RawTable:
    text = decode(data)
    if "\x00" in text:
        raise SourceError(
            "This file is not a CSV text file: export the sheet as CSV (comma-separated).",
            kind="not_a_table",
        )
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SourceError(
            f"The CSV file is damaged ({error}): export it again from the sheet.", kind="not_a_table"
        ) from None
    return rows


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> RawTable:
    """Every cell as text; formulas give the value Excel last calculated and saved."""
    values = _load_sheet(data, name, sheet, data_only=True)
    if any(cell == "" for row in values for cell in row):
        # Blank cells may be formulas whose results were never saved (a file written by a
        # script, not by Excel or Sheets): reading them as empty would silently lose data.
        formulas = _load_sheet(data, name, sheet, data_only=False)
        unsaved = any(
            value == "" and formula.startswith("=")
            for vrow, frow in zip(values, formulas, strict=False)
            for value, formula in zip(vrow, frow, strict=False)
        )
        if unsaved:
            raise SourceError(
                f"{name} has formulas whose results were not saved: open it in Excel or Google Sheets, "
                "save it again, and upload that copy (or export it as CSV).",
                kind="unsaved_formulas",
            )
    return values


def _load_sheet(data: bytes, name: str, sheet: str | None, *, data_only: bool) -> RawTable:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SourceError(
            f"{name} is not a readable Excel workbook: save it again as .xlsx, or export as CSV.",
            kind="not_a_table",
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise SourceError(f"There is no tab called '{sheet}' in {name}. Tabs: {names}.", kind="no_tab")
        ws = book[sheet] if sheet else book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
