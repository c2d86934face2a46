"""A raw table held as columns: how the CSV reader hands over a file it could read in bulk.

A `RawTable` (`lib.normalize`) is a list of rows of strings. For a 100,000-row export,
making those 1.4 million Python strings and lists, and then taking them apart into columns
again in `normalize`, cost most of a second. A `ColumnTable` is the same table — the same
rows in the same places (an empty row kept as a row, so sheet row numbers hold), trailing
empty cells and rows dropped — held as one pyarrow string array per column, so `normalize`
takes each column's distinct texts straight from it. `rows()` gives the `RawTable` back,
equal to what the row-by-row reader gives (tests/test_sources_files.py holds them to that).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class ColumnTable:
    """Columns of text of one length (the table's rows), and each row's width once trimmed."""

    columns: tuple[pa.Array, ...]
    """One string array per column, no nulls. A cell at or past its row's width is "" (a trailing
    blank cell, "  " included, is dropped as the row-by-row reader drops it)."""
    widths: np.ndarray
    """Per row, how many cells it has once trailing blank cells are dropped (0: an empty row)."""

    def __len__(self) -> int:
        return len(self.widths)

    def has_text(self) -> bool:
        return bool(self.widths.any())

    def width_from(self, start: int) -> int:
        """The widest row from row index `start` on (0 when there is none)."""
        rest = self.widths[start:]
        return int(rest.max()) if len(rest) else 0

    def rows(self, start: int = 0, stop: int | None = None) -> list[list[str]]:
        """Rows `start` to `stop` as lists of strings, each as long as its width (the `RawTable` form)."""
        widths = self.widths[start:stop]
        if not len(widths):
            return []
        stop = start + len(widths)
        if not self.columns:
            return [[] for _ in range(len(widths))]
        cells = np.column_stack(
            [column.slice(start, stop - start).to_numpy(zero_copy_only=False) for column in self.columns]
        )
        rows: list[list[str]] = cells.tolist()
        full = len(self.columns)
        for index in np.flatnonzero(widths < full).tolist():
            del rows[index][widths[index] :]
        return rows

    def distinct(self, column: int, start: int) -> tuple[np.ndarray, pa.Array]:
        """The column's cells from row index `start` on, as each row's index into the column's
        distinct texts, and those texts in order of first appearance (what `pd.factorize` gives),
        kept in pyarrow (large_string, as pandas keeps text): no Python string is made for them.

        A column past the last one is all "" (rows are padded to the widest, as `normalize` pads them).
        """
        length = max(len(self.widths) - start, 0)
        if column >= len(self.columns):
            return np.zeros(length, dtype=np.int64), pa.array([""] if length else [], pa.large_string())
        encoded = self.columns[column].slice(start).dictionary_encode()
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        return codes, encoded.dictionary.cast(pa.large_string())


def trimmed(columns: list[pa.Array]) -> ColumnTable:
    """The table of `columns` (strings, no nulls, one length) as the row-by-row reader keeps it:
    each row's trailing blank cells dropped (blank: empty, or only whitespace as `str.isspace`
    sees it), then the trailing empty rows, then the columns no row reaches."""
    length = len(columns[0]) if columns else 0
    widths = np.zeros(length, dtype=np.int64)
    spaces: list[np.ndarray] = []
    for number, column in enumerate(columns, start=1):
        empty = pc.equal(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
        # Only whitespace: the same characters as str.isspace (checked for every code point); never "".
        spaces.append(pc.utf8_is_space(column).to_numpy(zero_copy_only=False))
        widths[~(empty | spaces[-1])] = number
    filled = np.flatnonzero(widths)
    rows = int(filled[-1]) + 1 if len(filled) else 0
    widths = widths[:rows]
    width = int(widths.max()) if rows else 0
    kept = []
    for index, column in enumerate(columns[:width]):
        column = column.slice(0, rows)
        past = spaces[index][:rows] & (widths <= index)  # whitespace after the row's last text: not a cell
        if past.any():
            column = pc.if_else(pa.array(past), pa.scalar("", column.type), column)
        kept.append(column)
    return ColumnTable(tuple(kept), widths)


def concatenated(array: pa.Array) -> memoryview:
    """All values of a string array without nulls, one after the other: its values buffer, read in
    place (no copy, and no Python str of them all: 12 MB of text is 24 MB as a str with one '—')."""
    if array.null_count:
        raise ValueError("a value is missing")
    offsets = array.buffers()[1]
    width = np.int64 if pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type) else np.int32
    ends = np.frombuffer(offsets, dtype=width)[array.offset : array.offset + len(array) + 1]
    data = array.buffers()[2]
    return memoryview(data if data is not None else b"")[int(ends[0]) : int(ends[-1])]


def rows_of(table: list[list[str]] | ColumnTable) -> list[list[str]]:
    """The table as rows, whichever way it is held."""
    return table.rows() if isinstance(table, ColumnTable) else table


# --------------------------------------------------------------------------- text in pyarrow
# The few ways the product moves text between pandas and pyarrow's kernels, defined once: pandas
# keeps text in pyarrow already, and many of its string methods fall back to Python's `re` per value.


def arrow_text(values: pd.Series) -> pa.Array:
    """A text column as the pyarrow array pandas keeps it in (missing: null)."""
    return pa.array(values.astype("string").array)


def text_series(array: pa.Array, index: pd.Index | None = None) -> pd.Series:
    """A pyarrow string array as a pandas text column ("string" dtype), without a Python string per value."""
    return pd.Series(pd.arrays.ArrowStringArray(array), index=index)


def large_text(value: str) -> pa.Scalar:
    """One text as a pyarrow scalar, for kernels that mix it with columns of text."""
    return pa.scalar(value, pa.large_string())


def joined(*pieces: str | pa.Array | pa.Scalar) -> pa.Array:
    """Per row, the pieces one after the other (a `str` is the same text on every row)."""
    return pc.binary_join_element_wise(*(large_text(p) if isinstance(p, str) else p for p in pieces), large_text(""))
