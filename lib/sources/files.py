"""CSV and XLSX exports of the tracking sheet, read into a raw table of strings.

People export from Excel and Sheets in every encoding and separator there is; this module
takes the bytes as they come and either returns the table or says, in one line, what to
change.

An upload is read inside the one server process every user shares, so a file must never be
able to make that process expand it without bound: a 2 KB workbook can declare a million-row
range, a 1 MB zip member can inflate to gigabytes, and a CSV of commas asks for billions of
cells once the rows are padded to the widest. So every read has a budget (the MAX_* constants
below), checked before anything is expanded, and stops with a `SourceError` (kind
"too_large") that names the limit and what to do. The table holds only cells that exist:
trailing empty cells and rows are dropped, while empty rows between real ones stay (as empty
lists), because `normalize` numbers sheet rows by their position in the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from lib.columnar import ColumnTable, rows_of, trimmed
from lib.errors import ErrorKind, SourceError
from lib.normalize import RawTable

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest file read at all. For a workbook this is its compressed size, which bounds nothing once it is
unpacked: the limits below do that."""
MAX_ROWS = 200_000
"""Rows, up to the last one with any text. A busy team's tracker has a few thousand."""
MAX_COLUMNS = 1_000
"""Columns, up to the last cell with any text in any row. No real tracker has more than a few dozen; Excel
allows 16,384 (column XFD) and an export whose used range reaches that far carries only empty cells out there,
which are dropped before this is checked."""
MAX_CELLS = 2_000_000
"""Rows times the widest row. The rest of the product pads every row to the widest, so this rectangle, not
the number of cells with text, is what memory is spent on."""
MAX_PART_BYTES = 100_000_000
"""Largest unpacked size of any one part of a workbook that is read (a sheet, its shared texts, its styles).
Checked against the size the zip declares before unpacking, and counted again while unpacking."""
MAX_UNPACKED_BYTES = 200_000_000
"""All parts read from one workbook together, unpacked."""
MAX_COMPRESSION_RATIO = 200
"""Unpacked size over packed size of a part larger than RATIO_CHECKED_FROM. Spreadsheet XML packs about 10 to
1 (90 to 1 at most for very repetitive sheets); a zip bomb packs about 1,000 to 1."""
RATIO_CHECKED_FROM = 1_000_000
"""Parts smaller than this are not ratio-checked: tiny parts (styles, an empty sheet) can pack very well."""
MAX_SHARED_STRINGS = 1_000_000
"""Highest entry of a workbook's shared-text table a cell may use. Only the entries cells use are kept, and
reading stops after the last one, so unused entries cost neither memory nor time beyond this count."""
MAX_XML_ELEMENTS = 10_000_000
"""XML elements read from one part: bounds the time spent on a part full of formatted empty cells or rows
(each costs about a microsecond even when it holds nothing)."""
MAX_STYLES = 65_536
"""Cell styles and number formats kept from a workbook's styles (Excel allows 64,000); later ones are ignored,
so a cell using one reads as a number rather than a date."""
MAX_ZIP_MEMBERS = 10_000
"""Files inside a workbook's zip. A real one has tens (a few per sheet, chart or picture)."""
MAX_LINE_SEPARATORS = 20_000
"""Separators on one CSV line: more than Excel's 16,384 or Sheets' 18,278 columns. The CSV reader makes a
list of every field on a line before trailing empty ones can be dropped, so this bounds that list."""
SNIFF_CHARS = 64 * 1024
"""Text looked at to choose the CSV separator."""
SNIFF_LINES = 100
"""Lines looked at to choose the CSV separator."""

_DELIMITERS = ",;\t|"
_EXPORT_ADVICE = "Export only the tracking tab"
_RESAVE = "Open it in Excel or Google Sheets, save it again as .xlsx, and upload that copy (or export it as CSV)."
_CHUNK = 64 * 1024
_QUOTED_RE = re.compile(r'"[^"]*"')
"""A quoted CSV field (a doubled quote inside one splits it in two matches, which is just as good): linear, unlike
csv.Sniffer's quote regexes, which backtrack and took ~11 s on 20 KB of `""` lines."""


def read_path(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a .csv or .xlsx file from disk."""
    return rows_of(read_path_columns(path, sheet))


def read_path_columns(path: str | Path, sheet: str | None = None) -> RawTable | ColumnTable:
    """`read_path`, a CSV read in bulk kept as columns (`lib.columnar`): the fastest way into `normalize`."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"No file at {path}: check the path.", kind=ErrorKind.NOT_FOUND)
    if not path.is_file():
        raise SourceError(f"{path} is a folder, not a file: give the path to a .csv or .xlsx file.")
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise _upload_too_large(path.name, size)
    return read_bytes_columns(path.read_bytes(), path.name, sheet=sheet)


def read_bytes(data: bytes, name: str, sheet: str | None = None) -> RawTable:
    """Read an export from memory (an upload, or a file's bytes), chosen by its extension."""
    return rows_of(read_bytes_columns(data, name, sheet))


def read_bytes_columns(data: bytes, name: str, sheet: str | None = None) -> RawTable | ColumnTable:
    """`read_bytes`, a CSV read in bulk kept as columns (`lib.columnar`)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _upload_too_large(name, len(data))
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, name, sheet=sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_csv_columns(data, name)
    raise SourceError(
        f"{name} is not a table Sparkwatch can read: export the sheet as CSV or XLSX.",
        kind=ErrorKind.NOT_A_TABLE,
    )


def _upload_too_large(name: str, size: int) -> SourceError:
    return SourceError(
        f"{name} is {size / 1e6:.0f} MB; the limit is {MAX_UPLOAD_BYTES // 1_000_000} MB. "
        f"{_EXPORT_ADVICE}, or remove unused columns.",
        kind=ErrorKind.TOO_LARGE,
    )


def _too_large(message: str, advice: str = ", or delete unused rows and columns") -> SourceError:
    """A "too_large" error: what is over which limit, then `advice` after "Export only the tracking tab"."""
    return SourceError(f"{message} {_EXPORT_ADVICE}{advice}.", kind=ErrorKind.TOO_LARGE)


class _Bounds:
    """The table being built, row by row, with MAX_ROWS, MAX_COLUMNS and MAX_CELLS checked as it grows.

    Rows arrive with trailing empty cells already dropped; a row with no text is never stored on its
    own, only as an empty list once a later row with text needs its place kept.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[list[Any]] = []
        self.width = 0

    def column(self, number: int) -> None:
        """Refuse text in a column past MAX_COLUMNS (before the row holding it grows that wide)."""
        if number > MAX_COLUMNS:
            raise _too_large(
                f"{self.name} has text in column {number:,}; the limit is {MAX_COLUMNS:,} columns.",
                ", or delete the unused columns on the right",
            )

    def put(self, number: int, cells: list[Any]) -> None:
        """Store the cells of sheet row `number` (1-based); `cells` is non-empty and trimmed."""
        if number > MAX_ROWS:
            raise _too_large(
                f"{self.name} has text in row {number:,}: more than {MAX_ROWS:,} rows, the limit.",
                ", or move old rows to another file",
            )
        self.column(len(cells))
        rows = self.rows
        if number > len(rows):
            rows.extend([] for _ in range(number - 1 - len(rows)))
            rows.append(cells)
        else:  # a row listed twice, or out of order: its cells join the ones already read
            row = rows[number - 1]
            for index, value in enumerate(cells):
                if not _blank(value):
                    if index >= len(row):
                        row.extend([""] * (index + 1 - len(row)))
                    row[index] = value
            cells = row
        self.width = max(self.width, len(cells))
        if len(rows) * self.width > MAX_CELLS:
            raise _too_large(
                f"{self.name} is {len(rows):,} rows by {self.width:,} columns: "
                f"more than {MAX_CELLS:,} cells, the limit."
            )


def _blank(value: Any) -> bool:
    return isinstance(value, str) and (not value or value.isspace())


def _trim(cells: list[Any]) -> list[Any]:
    """The row without its trailing empty (or blank) cells, trimmed in place."""
    end = len(cells)
    while end and _blank(cells[end - 1]):
        end -= 1
    del cells[end:]
    return cells


# --- CSV -----------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text from bytes in whichever encoding Excel or Sheets used; bytes that are not text become '�'."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0] != 0:
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The separator used the same number of times on the most lines, quoted fields left out.

    Replaces csv.Sniffer, whose quote regexes backtrack (quadratic in the sample and worse): this
    looks at SNIFF_CHARS and SNIFF_LINES at most and is linear in them. Ties go to the more
    frequent separator, then to the order of `_DELIMITERS` (comma first).
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # the last line may be cut short
    lines = [line for line in _QUOTED_RE.sub("", sample).splitlines() if line.strip()][:SNIFF_LINES]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        used = Counter(count for count in counts if count)
        if not used:
            continue
        mode = used.most_common(1)[0][0]
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes, name: str = "The CSV file") -> RawTable:
    """Rows of a CSV export, bounded while read: never padded, trailing empty cells and rows dropped."""
    return rows_of(read_csv_columns(data, name))


def read_csv_columns(data: bytes, name: str = "The CSV file") -> RawTable | ColumnTable:
    """`read_csv`: the same table, as columns when the file could be read in bulk (`_read_in_bulk`),
    else as rows from the exact reader, `_read_rows`."""
    if data.isascii() and b"\x00" not in data:
        # Plain ASCII, as most exports are: its text is its bytes (whatever the encoding), so the bulk
        # reader starts from them, and the whole text is made only if the exact reader must read it.
        delimiter = sniff_delimiter(data[: SNIFF_CHARS + 1].decode("ascii"))
        bulk = _read_in_bulk(data, delimiter)
        return bulk if bulk is not None else _read_rows(data.decode("ascii"), delimiter, name)
    text = decode(data)
    if "\x00" in text:
        raise SourceError(
            "This file is not a CSV text file: export the sheet as CSV (comma-separated).",
            kind=ErrorKind.NOT_A_TABLE,
        )
    delimiter = sniff_delimiter(text)
    try:
        bulk = _read_in_bulk(text.encode("utf-8"), delimiter)
    except UnicodeEncodeError:  # a lone surrogate: not text pyarrow can hold
        bulk = None
    return bulk if bulk is not None else _read_rows(text, delimiter, name)


def _read_rows(text: str, delimiter: str, name: str) -> RawTable:
    """The exact reader: Python's csv module, row by row, every limit checked as the table grows.

    What it gives is what reading a CSV means here; `_read_in_bulk` only ever gives the same, faster.
    """
    table = _Bounds(name)
    number = 0
    try:
        for row in csv.reader(_csv_lines(text, delimiter, name), delimiter=delimiter):
            number += 1
            if len(row) > MAX_LINE_SEPARATORS:  # a quoted field's lines joined: still bounded per record
                raise _too_many_separators(name)
            if _trim(row):
                table.put(number, row)
    except csv.Error as error:
        problem = (
            f'a cell is longer than {csv.field_size_limit():,} characters, often because a quote mark (") opens '
            "a cell and never closes"
            if "field limit" in str(error)
            else "it is damaged"
        )
        raise SourceError(
            f"{name} could not be read as CSV: {problem}. Export it again from the sheet.", kind=ErrorKind.NOT_A_TABLE
        ) from None
    return table.rows


_BREAKS = (ord("\n"), ord("\r"))
_QUOTE = ord('"')


def _read_in_bulk(raw: bytes, delimiter: str) -> ColumnTable | None:
    """The table in `raw` (the text as UTF-8) read by pyarrow's CSV reader into columns (~10 times
    faster than row by row), or None where only the exact reader's answer is sure to be right, or
    its error the right one.

    pyarrow splits a file exactly as Python's csv module does when quotes are used as spreadsheets
    write them, so the bulk read is taken only when, checked on the raw bytes before anything is
    parsed (byte counts for a file without quotes; vectorised, a few milliseconds for 20 MB, with):
    - every quote belongs to a quoted cell that starts where a cell starts and ends where one ends
      (none left open, no text after the closing quote, no quote inside an unquoted cell);
    - no line holds more than MAX_LINE_SEPARATORS separators (without quotes a line is a record,
      and every record has the first one's cells; with them, no line is longer than that);
    - the first record has at most MAX_COLUMNS cells and, times the records there can be, at most
      MAX_CELLS: the parsed table is bounded before it is made;
    - the text does not start with a byte-order mark (pyarrow would drop it; csv keeps it);
    and after it, only when every record had the first one's cells (pyarrow refuses a ragged file),
    no cell is longer than the csv module's field limit, and the rows fit MAX_ROWS and MAX_CELLS.
    Then each record is one row, in order, blank lines included, as the exact reader numbers them.
    """
    if not raw or raw.startswith("\ufeff".encode()):
        return None
    bounds = _quoted_records(raw, delimiter) if b'"' in raw else _plain_records(raw, delimiter)
    if bounds is None:
        return None
    width, records = bounds
    if width > MAX_COLUMNS or width - 1 > MAX_LINE_SEPARATORS or width * records > MAX_CELLS:
        return None
    try:
        parsed = pa_csv.read_csv(
            pa.BufferReader(raw),
            read_options=pa_csv.ReadOptions(use_threads=False, autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, double_quote=True, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a ragged file, mostly
        return None
    if parsed.num_rows != records or parsed.num_columns != width:
        return None
    columns = [column.combine_chunks() for column in parsed.columns]
    limit = csv.field_size_limit()
    if any(len(column) and pc.max(pc.binary_length(column)).as_py() > limit for column in columns):
        return None  # bytes, not characters: a cell this long in bytes may still fit; the exact reader decides
    table = trimmed(columns)
    widest = table.width_from(0)
    if len(table) > MAX_ROWS or len(table) * widest > MAX_CELLS:
        return None
    return table


def _plain_records(raw: bytes, delimiter: str) -> tuple[int, int]:
    """(cells in the first record, records) of a text without quotes: every line break ends a record."""
    ends = [p for p in (raw.find(b"\n"), raw.find(b"\r")) if p >= 0]
    width = raw.count(delimiter.encode(), 0, min(ends, default=len(raw))) + 1
    breaks = raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n")  # "\r\n" is one break
    return width, breaks + (0 if raw.endswith((b"\n", b"\r")) else 1)


def _quoted_records(raw: bytes, delimiter: str) -> tuple[int, int] | None:
    """(cells in the first record, records) of a text with quotes, or None when its quotes are not
    as spreadsheets write them or a line is longer than MAX_LINE_SEPARATORS (it could hold more)."""
    data = np.frombuffer(raw, dtype=np.uint8)
    scratch = np.empty(len(data), dtype=bool)  # one 20 MB mask reused, not one per byte looked for

    def where(byte: int) -> np.ndarray:
        return np.flatnonzero(np.equal(data, byte, out=scratch))

    breaks = np.union1d(where(_BREAKS[0]), where(_BREAKS[1]))
    if np.diff(breaks, prepend=-1, append=len(data)).max() - 1 > MAX_LINE_SEPARATORS:
        return None
    separator = ord(delimiter)
    quotes = where(_QUOTE)
    if not _quoted_as_spreadsheets_write(data, quotes, separator):
        return None
    breaks = breaks[np.searchsorted(quotes, breaks) % 2 == 0]  # line breaks inside quoted cells are text
    # A record ends at a line break outside quotes; "\r\n" is one break.
    crlf = (data[breaks] == _BREAKS[0]) & (breaks > 0) & (data[breaks - 1] == _BREAKS[1])
    ends = breaks[~crlf]
    records = len(ends) + (0 if data[-1] in _BREAKS else 1)
    first_end = int(ends[0]) if len(ends) else len(data)
    separators = np.flatnonzero(data[:first_end] == separator)
    separators = separators[np.searchsorted(quotes, separators) % 2 == 0]
    return len(separators) + 1, records


def _quoted_as_spreadsheets_write(data: np.ndarray, quotes: np.ndarray, separator: int) -> bool:
    """Whether every quote in `data` (at positions `quotes`) is used as Excel and Sheets use them.

    A run of quotes flips "inside a quoted cell" exactly when it is odd ('""' inside a cell is one
    quote; '""' as a cell is an empty one), so the quotes before a position say where it is. A run
    that starts outside must open a cell (at the start, or after a separator or line break); a run
    that leaves the text outside must close one (before a separator, a line break or the end).
    """
    if len(quotes) % 2:
        return False  # a quoted cell never closed
    first = np.flatnonzero(np.diff(quotes, prepend=-2) > 1)  # each run's first quote, as an index into `quotes`
    starts = quotes[first]
    lengths = np.diff(first, append=len(quotes))
    bounds = np.array([separator, *_BREAKS], dtype=np.uint8)
    opens = first % 2 == 0
    before = starts[opens] - 1
    if not np.isin(data[before[before >= 0]], bounds).all():
        return False
    after = (starts + lengths)[(first + lengths) % 2 == 0]
    return bool(np.isin(data[after[after < len(data)]], bounds).all())


def _csv_lines(text: str, delimiter: str, name: str) -> Iterator[str]:
    """The lines of `text`, refusing one with more separators than any spreadsheet has columns."""
    for line in io.StringIO(text, newline=""):
        if line.count(delimiter) > MAX_LINE_SEPARATORS:
            raise _too_many_separators(name)
        yield line


def _too_many_separators(name: str) -> SourceError:
    return _too_large(
        f"{name} has a line with more than {MAX_LINE_SEPARATORS:,} separators; the limit is {MAX_COLUMNS:,} columns.",
        ", or delete the unused columns on the right",
    )


# --- XLSX ----------------------------------------------------------------------------------------
#
# A workbook is a zip of XML parts. The reader unpacks only the parts it needs (workbook, its
# relationships, styles, the one sheet, the shared texts the sheet uses), each checked against
# MAX_PART_BYTES / MAX_UNPACKED_BYTES / MAX_COMPRESSION_RATIO before unpacking and counted while
# unpacking, and parses each as a stream with expat, keeping only what the table needs. The sheet's
# declared <dimension> is never read: openpyxl's read-only mode pads every row to it, which is how a
# 2 KB file asked for 17 billion cells.

_MAIN_NS = frozenset(
    {"", "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"}
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?\d*$")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> RawTable:
    """Every cell as text; formulas give the value Excel last calculated and saved."""
    with _Workbook(data, name) as book:
        return book.table(sheet)


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


class _Finished(Exception):
    """Raised from a parse handler once the part has given everything needed: stops unpacking it."""


class _Workbook:
    """One .xlsx upload: its zip, opened with its member count checked, read part by part."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.unpacked = 0
        if data.startswith(_OLE_MAGIC):
            raise _compound_file(data, name)
        if data.count(b"PK\x01\x02") > MAX_ZIP_MEMBERS:  # central-directory entries, counted before zipfile lists them
            raise _too_large(
                f"{name} holds more than {MAX_ZIP_MEMBERS:,} files, the limit; a workbook holds tens.", " as CSV"
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (*_ZIP_ERRORS, ValueError):
            raise SourceError(
                f"{name} is not a readable Excel workbook: save it again as .xlsx, or export as CSV.",
                kind=ErrorKind.NOT_A_TABLE,
            ) from None
        self.parts = {info.filename: info for info in self.zip.infolist()}

    def __enter__(self) -> _Workbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.zip.close()

    def damaged(self) -> SourceError:
        return SourceError(f"{self.name} is damaged: part of it cannot be read. {_RESAVE}", kind=ErrorKind.NOT_A_TABLE)

    def table(self, sheet: str | None) -> RawTable:
        """The rows of the tab called `sheet` (the first worksheet when None or empty)."""
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

        book_path = self.office_document()
        book = _BookPart()
        self.parse(book_path, book)
        links = self.relationships(book_path)
        if not book.sheets:
            raise SourceError(
                f"{self.name} has no sheets: open it in Excel or Google Sheets, check the tracking tab is there, "
                "save it again as .xlsx and upload that copy.",
                kind=ErrorKind.EMPTY,
            )
        if any(link not in links for _, link in book.sheets):
            raise self.damaged()
        names = [title for title, _ in book.sheets]
        if sheet and sheet not in names:
            shown = ", ".join(names[:20]) + (", …" if len(names) > 20 else "")
            raise SourceError(f"There is no tab called '{sheet}' in {self.name}. Tabs: {shown}.", kind=ErrorKind.NO_TAB)
        tables = [title for title, link in book.sheets if links[link][0].endswith("/worksheet")]
        title = sheet or (tables[0] if tables else names[0])
        if title not in tables:
            raise SourceError(
                f"'{title}' in {self.name} is a chart or a macro sheet, not a table: "
                "pick the tab that holds the tracking table.",
                kind=ErrorKind.NO_TAB,
            )
        link = next(link for name, link in book.sheets if name == title)
        styles = _StylesPart()
        styles_path = self.linked(links, "/styles")
        if styles_path in self.parts:
            self.parse(styles_path, styles)
        epoch = MAC_EPOCH if book.date1904 else WINDOWS_EPOCH
        cells = _SheetPart(self, styles.date_styles(), epoch)
        sheet_path = links[link][1]
        if sheet_path not in self.parts:
            raise self.damaged()
        self.parse(sheet_path, cells)
        if cells.refs:
            self.use_shared_strings(cells, self.linked(links, "/sharedStrings"))
        rows = cells.table.rows
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def office_document(self) -> str:
        """The workbook part's path, from the package's relationships (xl/workbook.xml in every file seen)."""
        for kind, target in self.relationships("").values():
            if kind.endswith("/officeDocument") and target in self.parts:
                return target
        if "xl/workbook.xml" in self.parts:
            return "xl/workbook.xml"
        raise SourceError(
            f"{self.name} is a zip archive, not an Excel workbook: upload the .xlsx file itself, "
            "or export the sheet as CSV.",
            kind=ErrorKind.NOT_A_TABLE,
        )

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part path) for `part` ('' for the package itself)."""
        folder, _, file = part.rpartition("/")
        path = posixpath.join(folder, "_rels", f"{file}.rels")
        if path not in self.parts:
            return {}
        links = _RelationshipsPart(folder)
        self.parse(path, links)
        return links.found

    @staticmethod
    def linked(links: dict[str, tuple[str, str]], kind: str) -> str:
        return next((path for type_, path in links.values() if type_.endswith(kind)), "")

    def use_shared_strings(self, cells: _SheetPart, path: str) -> None:
        """Put in the texts the sheet's cells use from the shared-text table, reading no further than needed."""
        if path not in self.parts:
            raise self.damaged()
        strings = _SharedStringsPart(cells.refs)
        self.parse(path, strings)
        if len(strings.found) < len(cells.refs):
            raise self.damaged()
        found = strings.found
        rows = cells.table.rows
        for row in rows:
            for index, value in enumerate(row):
                if type(value) is int:
                    row[index] = found[value]
            _trim(row)

    def parse(self, path: str, handler: _Part) -> None:
        """Stream the part at `path` through `handler`, within the size, ratio and element budgets."""
        info = self.parts[path]
        if info.flag_bits & 0x1:
            raise _encrypted(self.name)
        if info.file_size > MAX_PART_BYTES or self.unpacked + info.file_size > MAX_UNPACKED_BYTES:
            raise self.part_too_large()
        if info.file_size > RATIO_CHECKED_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise SourceError(
                f"{self.name} unpacks to over {MAX_COMPRESSION_RATIO} times its size, which no spreadsheet does. "
                f"{_RESAVE}",
                kind=ErrorKind.TOO_LARGE,
            )
        parser = self.parser(handler)
        read = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    read += len(chunk)
                    self.unpacked += len(chunk)
                    if read > info.file_size:  # more than the zip said: it lied about the size
                        raise self.damaged()
                    if read > MAX_PART_BYTES or self.unpacked > MAX_UNPACKED_BYTES:
                        raise self.part_too_large()
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Finished:
            return
        except (expat.ExpatError, *_ZIP_ERRORS):
            raise self.damaged() from None

    def part_too_large(self) -> SourceError:
        return _too_large(
            f"{self.name} unpacks to more than the limit of {MAX_PART_BYTES // 1_000_000} MB for one part "
            f"({MAX_UNPACKED_BYTES // 1_000_000} MB in all).",
            " as CSV, or delete unused sheets and save it again",
        )

    def parser(self, handler: _Part) -> expat.XMLParserType:
        """An expat parser feeding `handler`, which refuses any DTD, so no entity is ever declared or expanded."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        elements = 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal elements
            elements += 1
            if elements > MAX_XML_ELEMENTS:
                raise _too_large(
                    f"{self.name} lists more than {MAX_XML_ELEMENTS:,} entries in one part, the limit (often "
                    "formatted empty cells).",
                    " as CSV, or clear the formatting of unused rows and columns",
                )
            handler.start(tag, attrs)

        def refuse(*_: object) -> NoReturn:
            raise self.damaged()

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.ExternalEntityRefHandler = refuse
        parser.StartElementHandler = start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        return parser


def _compound_file(data: bytes, name: str) -> SourceError:
    """A password-protected .xlsx is not a zip but a Compound File holding the encrypted zip; so is an old .xls."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _encrypted(name)
    return SourceError(
        f"{name} is an old Excel 97–2003 workbook (.xls) renamed: open it in Excel and save it as .xlsx, "
        "or export the sheet as CSV.",
        kind=ErrorKind.NOT_A_TABLE,
    )


def _encrypted(name: str) -> SourceError:
    return SourceError(
        f"{name} is protected with a password, so it cannot be read. Open it in Excel, save a copy without the "
        "password (File → Info → Protect Workbook), and upload that copy, or export the sheet as CSV.",
        kind=ErrorKind.ENCRYPTED,
    )


class _Part:
    """Receives one part's XML events; elements outside SpreadsheetML (extensions) are skipped whole."""

    def __init__(self) -> None:
        self.skip = 0
        self.capture: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.skip:
            self.skip += 1
            return
        space, _, local = tag.rpartition(" ")
        if space not in self.spaces:
            self.skip = 1
            return
        self.element(local, attrs)

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        self.closed(tag.rpartition(" ")[2])

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)

    spaces: frozenset[str] = _MAIN_NS

    def element(self, local: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def closed(self, local: str) -> None:
        """An element ended (nothing to do for most)."""


class _RelationshipsPart(_Part):
    """Relationship id → (type, path of the target part), paths resolved from `folder`."""

    spaces = frozenset({"", "http://schemas.openxmlformats.org/package/2006/relationships"})

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder
        self.found: dict[str, tuple[str, str]] = {}

    def element(self, local: str, attrs: dict[str, str]) -> None:
        if local == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(self.folder, target)
            self.found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path) if path else "")


class _BookPart(_Part):
    """The tabs (name, relationship id) in order, and whether dates count from 1904 (old Mac Excel)."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def element(self, local: str, attrs: dict[str, str]) -> None:
        if local == "workbookPr":
            self.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")
        elif local == "sheet":
            link = next((value for key, value in attrs.items() if key.endswith(" id")), "")
            self.sheets.append((attrs.get("name", ""), link))

    def closed(self, local: str) -> None:
        if local == "sheets":
            raise _Finished


class _StylesPart(_Part):
    """Which cell styles show a number as a date or a duration: those numbers are dates, as Excel shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.formats: dict[int, str] = {}
        self.styles: list[int] = []
        self.in_cell_styles = False

    def element(self, local: str, attrs: dict[str, str]) -> None:
        if local == "numFmt" and len(self.formats) < MAX_STYLES:
            self.formats[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            self.in_cell_styles = True
        elif local == "xf" and self.in_cell_styles and len(self.styles) < MAX_STYLES:
            self.styles.append(_int(attrs.get("numFmtId")))

    def closed(self, local: str) -> None:
        if local == "cellXfs":
            raise _Finished

    def date_styles(self) -> dict[int, bool]:
        """Style index → True for a duration format, False for a date format (openpyxl's own tests)."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        kinds: dict[int, bool | None] = {}
        found: dict[int, bool] = {}
        for index, format_id in enumerate(self.styles):
            if format_id not in kinds:
                code = self.formats[format_id] if format_id in self.formats else BUILTIN_FORMATS.get(format_id)
                if code is None or len(code) > 255:  # Excel's limit; longer is not a format Excel wrote
                    kinds[format_id] = None
                else:
                    kinds[format_id] = is_timedelta_format(code) if is_date_format(code) else None
            kind = kinds[format_id]
            if kind is not None:
                found[index] = kind
        return found


class _SheetPart(_Part):
    """The cells of <sheetData>, as text, into a bounded table; shared-text cells hold their index for now."""

    def __init__(self, book: _Workbook, date_styles: dict[int, bool], epoch: dt.datetime) -> None:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        super().__init__()
        self.from_excel = from_excel
        self.from_iso = from_ISO8601
        self.book = book
        self.date_styles = date_styles
        self.epoch = epoch
        self.table = _Bounds(book.name)
        self.refs: set[int] = set()
        self.in_data = False
        self.in_row = False
        self.row = 0
        self.cells: list[Any] = []
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.value: list[str] | None = None
        self.formula = False
        self.inline: list[str] | None = None
        self.phonetic = 0

    def element(self, local: str, attrs: dict[str, str]) -> None:
        if not self.in_data:
            self.in_data = local == "sheetData"
        elif local == "c":
            ref = attrs.get("r")
            self.column = self.column_of(ref) if ref else self.column + 1
            self.kind = attrs.get("t", "n")
            self.style = _int(attrs.get("s"))
            self.value = self.inline = None
            self.formula = False
        elif local == "v":
            self.capture = self.value = []
        elif local == "f":
            self.formula = True
        elif local == "row":
            number = attrs.get("r")
            self.row = self.row_of(number) if number else self.row + 1
            self.in_row = True
            self.cells = []
            self.column = 0
        elif local == "is":
            self.inline = []
        elif local == "t" and self.inline is not None and not self.phonetic:
            self.capture = self.inline
        elif local == "rPh":
            self.phonetic += 1

    def closed(self, local: str) -> None:
        if not self.in_data:
            return
        if local == "c":
            self.end_cell()
        elif local in ("v", "t"):
            self.capture = None
        elif local == "row":
            self.in_row = False
            if _trim(self.cells):
                self.table.put(self.row, self.cells)
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "sheetData":
            raise _Finished

    def end_cell(self) -> None:
        if not self.in_row:
            return
        value = self.cell_value()
        if value == "":
            return  # empty (often just formatted): nothing to keep, wherever it is
        if self.column > MAX_COLUMNS:
            if _blank(value):
                return
            self.table.column(self.column)
        cells = self.cells
        if self.column > len(cells):
            cells.extend([""] * (self.column - 1 - len(cells)))
            cells.append(value)
        else:
            cells[self.column - 1] = value

    def cell_value(self) -> str | int:
        """The cell as openpyxl's data_only reading gave it, through `_cell_text`; an int is a shared-text index."""
        kind = self.kind
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline is not None else ""
        raw = "".join(self.value) if self.value else ""
        if not raw:
            if self.formula and kind != "str":  # t="str" with no text is a formula that gave "" (=IF(…,"",…))
                raise SourceError(
                    f"{self.book.name} has formulas whose results were not saved: open it in Excel or Google Sheets, "
                    "save it again, and upload that copy (or export it as CSV).",
                    kind=ErrorKind.UNSAVED_FORMULAS,
                )
            return ""
        if kind == "n":
            try:
                number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            except ValueError:
                return raw
            duration = self.date_styles.get(self.style)
            if duration is None:
                return _cell_text(number)
            try:
                return _cell_text(self.from_excel(number, self.epoch, timedelta=duration))
            except (OverflowError, ValueError):
                return "#VALUE!"  # what openpyxl gave for a date serial outside the calendar
        if kind == "s":
            index = _int(raw, -1)
            if index < 0:
                raise self.book.damaged()
            if index >= MAX_SHARED_STRINGS:
                raise _too_large(
                    f"{self.book.name} uses more than {MAX_SHARED_STRINGS:,} different texts, the limit.",
                    " as CSV",
                )
            self.refs.add(index)
            return index
        if kind == "b":
            return _cell_text(bool(int(raw))) if raw.strip() in ("0", "1") else raw
        if kind == "d" and len(raw) <= 64:
            try:
                return _cell_text(self.from_iso(raw))
            except (ValueError, TypeError, OverflowError):
                return raw
        return raw  # "str" (a formula's text), "e" (an error such as #N/A), or a type Excel does not write

    def column_of(self, ref: str) -> int:
        match = _REF_RE.match(ref)
        if not match:
            raise self.book.damaged()
        number = 0
        for letter in match.group(1).upper():
            number = number * 26 + ord(letter) - 64
        return number

    def row_of(self, text: str) -> int:
        number = _int(text, 0)
        if number < 1 and len(text) <= 18:  # "12.0" was read as 12 too
            try:
                value = float(text)
            except ValueError:
                value = 0.0
            number = int(value) if value.is_integer() else 0
        if number < 1:
            raise self.book.damaged()
        return number


class _SharedStringsPart(_Part):
    """The entries of the shared-text table that cells use, as Excel shows them; stops after the last one used."""

    def __init__(self, wanted: set[int]) -> None:
        super().__init__()
        self.wanted = wanted
        self.last = max(wanted)
        self.index = -1
        self.found: dict[int, str] = {}
        self.parts: list[str] | None = None
        self.phonetic = 0

    def element(self, local: str, attrs: dict[str, str]) -> None:
        if local == "si":
            self.index += 1
            if self.index > self.last:
                raise _Finished
            self.parts = [] if self.index in self.wanted else None
        elif local == "t" and self.parts is not None and not self.phonetic:
            self.capture = self.parts
        elif local == "rPh":
            self.phonetic += 1

    def closed(self, local: str) -> None:
        if local == "t":
            self.capture = None
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si" and self.parts is not None:
            self.found[self.index] = "".join(self.parts).replace("x005F_", "")  # as openpyxl read them
            self.parts = None


def _int(text: str | None, default: int = 0) -> int:
    """An integer attribute; `default` when absent or not a plain integer (never a long digit string's cost)."""
    if not text or len(text) > 18:
        return default
    try:
        return int(text)
    except ValueError:
        return default
