"""JSON text the command line prints: safe on a terminal, and written from columns, not per record.

`json_text` is `json.dumps(ensure_ascii=False)` with every character a terminal acts on written
as a \\uXXXX escape. For a table (100,000 records) the same text is assembled from columns: each
column is encoded once, vectorised with pyarrow (a string that needs no escape is just quoted; the
few that do go through `json.dumps`), and each record is joined from its columns' pieces by
pyarrow's kernels. The result is byte for byte what `json_text` gives for the same plain data
(`tests/test_cli_json.py` holds it to that).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.columnar import concatenated, joined, large_text

_JSON_UNSAFE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_JSON_UNSAFE_RE = re.compile(f"[{_JSON_UNSAFE}]")
"""What `json.dumps(ensure_ascii=False)` leaves raw although a terminal acts on it: DEL, the C1
controls (U+009B is CSI, like ESC [), the line separators and the bidi controls."""
_NEEDS_ESCAPE_RE2 = r'[\x00-\x1f"\\\x7f-\x9f\x{061c}\x{200e}\x{200f}\x{2028}\x{2029}\x{202a}-\x{202e}\x{2066}-\x{2069}]'
"""A string holding any of these is not just its text between quotes (pyarrow's RE2 syntax)."""
NULL = "null"


def json_text(data: object) -> str:
    """`data` as JSON that is safe to print on a terminal and decodes to exactly the same values.

    json escapes C0 controls itself; everything in `_JSON_UNSAFE_RE` is written as a \\uXXXX
    escape too (such characters only ever occur inside JSON strings, so this is still JSON).
    """
    text = json.dumps(data, ensure_ascii=False)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


Utf8 = bytes | memoryview
"""UTF-8 text, or a view of it in place (a pyarrow buffer's values, never copied to be written)."""


@dataclass(frozen=True)
class Raw:
    """JSON already written as UTF-8 (by `json_records_parts`), placed as is inside a `json_object`."""

    parts: tuple[Utf8, ...]


def json_object(items: Mapping[str, object]) -> bytes:
    """`json_text(dict(items))` as UTF-8, where a `Raw` value is placed as the JSON it already is.

    Bytes, not text: a 100,000-record list stays as pyarrow wrote it, never decoded and encoded again.
    """
    return b"".join(json_object_parts(items))


def json_object_parts(items: Mapping[str, object]) -> list[Utf8]:
    """`json_object` in the pieces it is made of: written one after the other, 26 MB of records are
    never copied into one `bytes`."""
    parts: list[Utf8] = []
    for key, v in items.items():
        parts += [b", " if parts else b"{", f"{json_text(key)}: ".encode()]
        parts += v.parts if isinstance(v, Raw) else [json_text(v).encode()]
    return [*(parts or [b"{"]), b"}"]


# --------------------------------------------------------------------------- columns


def strings(values: pd.Series) -> pa.Array:
    """Each text as a JSON string (missing: null). Any other value is taken as `str(value)`."""
    try:
        arr = _flat(pa.array(values.astype("string"), type=pa.large_string(), from_pandas=True))
    except (pa.ArrowException, UnicodeError):  # a lone surrogate cannot be UTF-8: the slow, exact way
        return _each(values, lambda v: json_text(str(v)))
    quoted = joined('"', arr, '"')
    escape = pc.fill_null(pc.match_substring_regex(arr, _NEEDS_ESCAPE_RE2), False)
    if pc.any(escape).as_py():
        where = pc.indices_nonzero(escape).to_pylist()
        fixed = pa.array([json_text(arr[i].as_py()) for i in where], type=pa.large_string())
        quoted = pc.replace_with_mask(quoted, escape, fixed)
    return pc.fill_null(quoted, large_text(NULL))


def integers(values: pd.Series) -> pa.Array:
    """Whole numbers as JSON numbers (missing: null)."""
    arr = _flat(pa.array(values.astype("Int64"), type=pa.int64(), from_pandas=True))
    return pc.fill_null(pc.cast(arr, pa.large_string()), large_text(NULL))


def by_value(values: pd.Series, encode: Callable[[pd.Series], pa.Array] | None = None) -> pa.Array:
    """Columns of few distinct values (states, dates, lists of issue ids): each distinct value encoded once.

    `encode` turns the distinct values into their JSON pieces (default: `strings`); missing is null.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype=values.dtype if not isinstance(uniques, np.ndarray) else object)
    encoded = (encode or strings)(distinct) if len(distinct) else pa.array([], pa.large_string())
    pieces = pa.concat_arrays([encoded.cast(pa.large_string()), pa.array([NULL], pa.large_string())])
    return pieces.take(pa.array(np.where(codes < 0, len(distinct), codes), type=pa.int64()))


def each(values: pd.Series) -> pa.Array:
    """Any values, one `json_text` each (for short or mixed columns)."""
    return _each(values, json_text)


def _each(values: pd.Series, encode: Callable[[Any], str]) -> pa.Array:
    return pa.array([NULL if v is None or v is pd.NA or _isnan(v) else encode(v) for v in values], pa.large_string())


def _isnan(value: object) -> bool:
    return isinstance(value, float) and value != value


def json_records(columns: Mapping[str, pa.Array], length: int) -> bytes:
    """A JSON list of objects from encoded columns (each a JSON piece per record), in the given key order.

    Exactly `json.dumps([{key: value, ...}, ...])` as UTF-8: `", "` between items, `": "` after keys.
    """
    return b"".join(json_records_parts(columns, length))


def json_records_parts(columns: Mapping[str, pa.Array], length: int) -> tuple[Utf8, ...]:
    """`json_records` in pieces: the records are a view of pyarrow's buffer, not a copy of it."""
    if not length:
        return (b"[]",)
    pieces: list[Any] = []
    for n, (key, column) in enumerate(columns.items()):
        pieces += [("{" if n == 0 else ", ") + json_text(key) + ": ", column.cast(pa.large_string())]
    pieces.append("}, ")
    records = _flat(joined(*pieces))
    # The records one after the other are the array's values buffer (every piece is filled, `NULL`
    # where there is no value), read in place.
    return (b"[", concatenated(records)[:-2], b"]")


def _flat(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def write_utf8(out: TextIO, *parts: Utf8) -> None:
    """Write UTF-8 `parts` one after the other to a text stream: straight to its bytes when it is
    UTF-8 itself (standard output, usually), else decoded and written as text (a test's StringIO,
    another encoding)."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        out.flush()
        for data in parts:
            buffer.write(data)
        buffer.flush()
    else:
        out.write("".join(str(data, "utf-8") for data in parts))
