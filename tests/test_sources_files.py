import contextlib
import csv
import io
import json
import re
import signal
import struct
import subprocess
import sys
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from openpyxl import Workbook

from lib.columnar import ColumnTable
from lib.errors import SourceError
from lib.normalize import normalize
from lib.sources import files, kind_of, read_table, sheet_key
from lib.sources.files import MAX_UPLOAD_BYTES, read_bytes

ROWS = [["Creator", "Notes", "Expires"], ["zoë", "Café crème", "22 Nov 2026"], ["bob", "naïve", "2026-11-23"]]


def csv_text(delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(r) for r in ROWS) + "\r\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.csv", csv_text().encode("utf-8")),
        ("bom.csv", b"\xef\xbb\xbf" + csv_text().encode("utf-8")),
        ("latin.csv", csv_text().encode("cp1252")),
        ("utf16.csv", csv_text("\t").encode("utf-16")),
        ("utf16le-nobom.csv", csv_text().encode("utf-16-le")),
        ("european.csv", csv_text(";").encode("utf-8")),
        ("tabs.tsv", csv_text("\t").encode("utf-8")),
    ],
)
def test_csv_exports_in_every_encoding_and_separator(name, data):
    table = read_bytes(data, name)
    assert table == ROWS
    assert normalize(table).frame["notes"].tolist() == ["Café crème", "naïve"]


def test_xlsx_first_sheet_or_named_sheet_and_typed_cells(tmp_path):
    import datetime as dt

    book = Workbook()
    first = book.active
    first.title = "Lumen"
    first.append(["Creator", "Expires", "Duration", "Ad delivery"])
    first.append(["amy", dt.datetime(2026, 11, 22), 30, True])
    second = book.create_sheet("Stride")
    second.append(["Creator"])
    second.append(["bob"])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    assert read_table(str(path)) == [
        ["Creator", "Expires", "Duration", "Ad delivery"],
        ["amy", "2026-11-22", "30", "yes"],
    ]
    assert read_table(str(path), tab="Stride") == [["Creator"], ["bob"]]
    with pytest.raises(SourceError, match="no tab called 'Nope'.*Lumen, Stride"):
        read_table(str(path), tab="Nope")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.xlsx", b"not a zip", "not a readable Excel workbook"),
        ("photo.png", b"\x89PNG", "export the sheet as CSV or XLSX"),
        ("binary.csv", b"\x00\x01\x02\x03" * 10, "not a CSV text file"),
    ],
)
def test_unreadable_files_say_what_to_do(name, data, message):
    with pytest.raises(SourceError, match=message):
        read_bytes(data, name)


def test_upload_size_is_capped_with_a_clear_message():
    with pytest.raises(SourceError, match="limit is 20 MB") as error:
        read_bytes(b"a" * (MAX_UPLOAD_BYTES + 1), "huge.csv")
    assert error.value.kind == "too_large"


def test_missing_path_and_folder(tmp_path):
    with pytest.raises(SourceError, match="No file at"):
        read_table(str(tmp_path / "nope.csv"))
    with pytest.raises(SourceError, match="folder"):
        read_table(str(tmp_path))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("demo", "demo"),
        ("DEMO", "demo"),
        ("tracker.csv", "file"),
        ("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit#gid=0", "google_sheet"),
        ("1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd", "google_sheet"),
        ("https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pub?output=csv", "published"),
        ("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/export?format=csv", "published"),
    ],
)
def test_source_kind_from_text(text, kind):
    assert kind_of(text) == kind


def test_sheet_key_from_url():
    url = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit#gid=0"
    assert sheet_key(url) == "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    assert sheet_key(" abc ") == "abc"


def test_csv_file_on_disk_round_trip(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(io.BytesIO(csv_text().encode()).getvalue())
    assert read_table(str(path)) == ROWS


def _xlsx_with_formulas(tmp_path, cached: dict[str, str] | None):
    """An .xlsx whose formula cells carry the results Excel saves (or none, as scripts write)."""
    import re
    import zipfile

    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Creator", "Expires"])
    sheet.append(["amy", "=DATE(2026,11,22)"])
    sheet.append(['="bo"&"b"', "2026-11-23"])
    book.create_sheet("Archive").append(["Creator"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    if cached is None:
        return plain
    out = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                for ref, value in cached.items():
                    kind = "" if value.isdigit() else ' t="str"'
                    xml = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>', rf'<c r="{ref}"{kind}><f>\2</f><v>{value}</v>', xml
                    )
                data = xml.encode()
            dst.writestr(item, data)
    return out


def test_xlsx_formulas_give_their_saved_results(tmp_path):
    path = _xlsx_with_formulas(tmp_path, {"B2": "46348", "A3": "bob"})
    table = read_table(str(path))
    assert table == [["Creator", "Expires"], ["amy", "46348"], ["bob", "2026-11-23"]]
    frame = normalize(table).frame
    assert frame["expires_on"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-22", "2026-11-23"]


def test_xlsx_formulas_without_saved_results_say_what_to_do(tmp_path):
    with pytest.raises(SourceError, match="results were not saved: open it in Excel"):
        read_table(str(_xlsx_with_formulas(tmp_path, None)))


# --- hostile uploads -------------------------------------------------------------------------
#
# Every file below once took the whole server down (or kept it busy for seconds) for every
# user. Each is read in a child process that may use at most HOSTILE_MEMORY of address space
# and HOSTILE_CPU_SECONDS of CPU after its imports: the limits a shared server can afford per
# upload, enforced by the OS, so a reader that expands the file dies instead of passing slowly.

HOSTILE_MEMORY = 1536 * 1024 * 1024
HOSTILE_CPU_SECONDS = 5
HOSTILE_WALL_SECONDS = 120
"""Only a safety net for a child that stalls without using CPU; the CPU limit is the real bound."""
ROOT = Path(__file__).resolve().parents[1]
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet1.xml"
MIB = 1 << 20

_CHILD = """
import json, resource, sys, time
from lib.errors import SourceError
from lib.normalize import normalize
from lib.sources.files import read_bytes

path, name, memory, cpu = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(path, "rb").read()
usage = resource.getrusage(resource.RUSAGE_SELF)
limit = int(usage.ru_utime + usage.ru_stime) + cpu
resource.setrlimit(resource.RLIMIT_CPU, (limit, limit))
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
started = time.perf_counter()
try:
    table = read_bytes(data, name)
    result = {"rows": len(table), "width": max(map(len, table), default=0)}
    result["table"] = table if sum(map(len, table)) <= 100 else None
    try:
        result["frame_rows"] = len(normalize(table).frame)
    except SourceError as error:
        result["normalize_error"] = str(error)
except SourceError as error:
    result = {"error": str(error), "kind": error.kind}
result["seconds"] = round(time.perf_counter() - started, 3)
status = open("/proc/self/status").read()
result["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) // 1024
print(json.dumps(result))
"""


def read_hostile(tmp_path: Path, name: str, data: bytes) -> dict:
    """`read_bytes` (then `normalize`) on `data` in a child bounded in memory and CPU; what it returned."""
    path = tmp_path / name
    path.write_bytes(data)
    argv = [sys.executable, "-c", _CHILD, str(path), name, str(HOSTILE_MEMORY), str(HOSTILE_CPU_SECONDS)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=HOSTILE_WALL_SECONDS)
    if done.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
        pytest.fail(f"reading {name} used more than {HOSTILE_CPU_SECONDS} s of CPU (or all its memory) and was killed")
    assert done.returncode == 0, f"reading {name} died (exit {done.returncode}): {done.stderr[-3000:]}"
    return json.loads(done.stdout)


def assert_plain(result: dict, kind: str, *phrases: str) -> None:
    """A one-line message of the given kind that says what to do, with no library or Python jargon."""
    message = result.get("error")
    assert message, f"expected a message, got {result}"
    assert result["kind"] == kind, result
    assert "\n" not in message and len(message) < 400, message
    for word in ("Traceback", "Error", "xml", "zipfile", "openpyxl", "expat", "codec", "0x"):
        assert word not in message, message
    for phrase in phrases:
        assert phrase in message, message


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    book.active.title = "Tracker"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The zip with some parts replaced or added (bytes) or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename not in parts:
                dst.writestr(item, src.read(item.filename))
        for name, body in parts.items():
            if body is not None:
                dst.writestr(name, body)
    return out.getvalue()


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read(name).decode()


def sheet_xml(rows: str) -> bytes:
    """A sheet part holding `rows`, with no <dimension> (a reader that trusts it would stop at the declared range)."""
    return f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def with_sheet(rows: str, base: bytes | None = None) -> bytes:
    """A workbook (by default a fresh one) whose first sheet holds exactly `rows` (sheetData XML)."""
    return rezip(base or xlsx_bytes([["x"]]), {SHEET_PART: sheet_xml(rows)})


def with_shared_strings(cells: str, strings: list[str]) -> bytes:
    """A workbook whose sheet refers to a shared-string table, the way Excel and Sheets write text cells."""
    base = xlsx_bytes([["x"]])
    rels = part(base, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>",
        '<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    types = part(base, "[Content_Types].xml").replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    table = f'<sst xmlns="{MAIN_NS}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"
    return rezip(
        base,
        {
            SHEET_PART: sheet_xml(cells),
            "xl/sharedStrings.xml": table.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
    )


def patch_member(
    data: bytes, member: str, *, size: int | None = None, crc: int | None = None, deflated: bool = False, flags: int = 0
) -> bytes:
    """The zip with one member's headers rewritten: what a crafted file can claim about itself."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = book.getinfo(member)
    central = out.find(b"PK\x01\x02" + bytes(out[info.header_offset + 4 : info.header_offset + 6]))
    while out[central + 46 : central + 46 + len(member)] != member.encode():
        central = out.find(b"PK\x01\x02", central + 4)
    for header, (flag_at, method_at, crc_at, size_at) in (
        (info.header_offset, (6, 8, 14, 22)),
        (central, (8, 10, 16, 24)),
    ):
        struct.pack_into("<H", out, header + flag_at, struct.unpack_from("<H", out, header + flag_at)[0] | flags)
        if deflated:
            struct.pack_into("<H", out, header + method_at, zipfile.ZIP_DEFLATED)
        if size is not None:
            struct.pack_into("<I", out, header + size_at, size)
        if crc is not None:
            struct.pack_into("<I", out, header + crc_at, crc)
    return bytes(out)


def spaces_bomb(size: int) -> bytes:
    """A workbook whose sheet inflates to `size` bytes (mostly spaces) from about size/1000 on disk.

    The deflate stream is built by repeating one flushed block, so the test does not spend
    seconds compressing a gigabyte.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">{text_cell("A1", "Creator")}</row>'.encode()
    tail = b"</sheetData></worksheet>"
    stream = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    spaces = b" " * MIB
    block = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    stream += block * (size // MIB) + packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(size // MIB):
        crc = zlib.crc32(spaces, crc)
    out = io.BytesIO()
    base = xlsx_bytes([["x"]])
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != SHEET_PART:
                dst.writestr(item, src.read(item.filename), zipfile.ZIP_DEFLATED)
        dst.writestr(SHEET_PART, stream)  # stored as is, then relabelled as deflated below
    size = len(head) + size // MIB * MIB + len(tail)
    return patch_member(out.getvalue(), SHEET_PART, size=size, crc=zlib.crc32(tail, crc), deflated=True)


def dimension_bomb() -> bytes:
    """Two cells far apart, in a sheet that declares the largest range Excel allows (A1:XFD1048576)."""
    book = Workbook()
    book.active["A1"] = "Creator"
    book.active["A150000"] = "@amy"
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    xml, count = re.subn(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', part(data, SHEET_PART))
    assert count == 1
    return rezip(data, {SHEET_PART: xml.encode()})


def unused_shared_strings(count: int, *, used_last: bool = False) -> bytes:
    """Two text cells and `count` shared strings no cell uses (before or after the two used ones)."""
    unused = [f"{i % 1000:x}" for i in range(count)]  # repeats within deflate's window: ~90:1, like real XML
    first = count if used_last else 0
    cells = (
        f'<row r="1"><c r="A1" t="s"><v>{first}</v></c></row><row r="2"><c r="A2" t="s"><v>{first + 1}</v></c></row>'
    )
    used = ["Creator", "amy"]
    return with_shared_strings(cells, unused + used if used_last else used + unused)


def workbook_without_sheets() -> bytes:
    data = xlsx_bytes([["Creator"]])
    xml = re.sub(r"<sheet [^>]*/>", "", part(data, "xl/workbook.xml"))
    return rezip(data, {"xl/workbook.xml": xml.encode()})


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "creator list")
    return out.getvalue()


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
"""The start of a Compound File: what Excel writes for a password-protected .xlsx (and for an old .xls)."""
XXE = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY leak SYSTEM "file:///etc/passwd">'
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">{text_cell("A1", "&leak;&b;")}</row></sheetData></worksheet>'
)


def test_hostile_files_are_small_enough_to_upload():
    """Each hostile file fits under the upload limit: the limit on bytes uploaded protects nothing by itself."""
    for data in (dimension_bomb(), unused_shared_strings(3_000_000), spaces_bomb(1024 * MIB)):
        assert len(data) < 2 * MIB


def test_a_workbook_declaring_every_cell_excel_allows_reads_only_its_two_cells(tmp_path):
    """openpyxl padded every row to the declared 16,384 columns: out of memory (4 GB allowed) within 30 s."""
    result = read_hostile(tmp_path, "dimension.xlsx", dimension_bomb())
    table = result["table"]
    assert (len(table), table[0], table[-1], result["width"]) == (150_000, ["Creator"], ["@amy"], 1), result
    assert not any(table[1:-1])
    assert result["frame_rows"] == 1


def test_shared_strings_no_cell_uses_are_never_kept(tmp_path):
    """3,000,000 unused strings in 0.6 MB: loading them all cost 570 MB and 25 s."""
    result = read_hostile(tmp_path, "strings.xlsx", unused_shared_strings(3_000_000))
    assert result["table"] == [["Creator"], ["amy"]], result


def test_unused_shared_strings_before_the_used_ones_are_skipped_not_kept(tmp_path):
    result = read_hostile(tmp_path, "strings_first.xlsx", unused_shared_strings(300_000, used_last=True))
    assert result["table"] == [["Creator"], ["amy"]], result


def test_a_cell_using_a_shared_string_past_the_limit_is_refused(tmp_path):
    result = read_hostile(tmp_path, "strings_last.xlsx", unused_shared_strings(3_000_000, used_last=True))
    assert_plain(result, "too_large", "1,000,000 different texts", "Export only the tracking tab")


def test_a_sheet_that_inflates_to_gigabytes_is_refused_before_inflating(tmp_path):
    result = read_hostile(tmp_path, "bomb.xlsx", spaces_bomb(1024 * MIB))
    assert_plain(result, "too_large", "100 MB", "Export only the tracking tab")


def test_a_sheet_that_lies_about_its_inflated_size_cannot_beat_the_limit(tmp_path):
    result = read_hostile(tmp_path, "liar.xlsx", patch_member(spaces_bomb(1024 * MIB), SHEET_PART, size=4096))
    assert_plain(result, "not_a_table", "save it again")


def test_a_sheet_compressed_far_beyond_any_spreadsheet_is_refused(tmp_path):
    result = read_hostile(tmp_path, "dense.xlsx", spaces_bomb(90 * MIB))
    assert_plain(result, "too_large", "times its size")


def test_a_csv_header_of_4000_commas_then_a_million_empty_lines_reads_as_its_header(tmp_path):
    """Every row was padded to the widest (4,001 cells): 9 GB in 40 s (out of 4 GB allowed within 15 s)."""
    result = read_hostile(tmp_path, "commas.csv", b"Creator" + b"," * 4000 + b"\n" * 1_000_000)
    assert result["table"] == [["Creator"]], result
    assert result["frame_rows"] == 0
    result = read_hostile(tmp_path, "only_commas.csv", b"," * 4000 + b"\n" * 1_000_000)
    assert result["table"] == [], result
    assert "The sheet is empty" in result["normalize_error"]


def test_a_csv_whose_data_starts_past_the_row_limit_is_refused_by_its_rows(tmp_path):
    data = b"Creator,Code" + b"," * 4000 + b"\r\n" + b"\r\n" * 1_000_000 + b"@amy,X\r\n"
    result = read_hostile(tmp_path, "far.csv", data)
    assert_plain(result, "too_large", "200,000 rows", "Export only the tracking tab")


def test_a_csv_with_trailing_commas_and_empty_lines_keeps_its_table(tmp_path):
    data = b"Creator,Code" + b"," * 4000 + b"\r\n@amy,X" + b"," * 4000 + b"\r\n" + b"\r\n" * 1_000_000
    result = read_hostile(tmp_path, "wide.csv", data)
    assert result["table"] == [["Creator", "Code"], ["@amy", "X"]], result
    assert result["frame_rows"] == 1


def test_a_csv_built_to_make_delimiter_guessing_backtrack_reads_quickly(tmp_path):
    """csv.Sniffer's quote regexes backtrack on lines of quotes: 20 KB of `""` lines kept it busy ~11 s."""
    result = read_hostile(tmp_path, "quotes.csv", b'""\n' * 6667)
    assert result["table"] == [], result


@pytest.mark.parametrize(
    ("name", "make", "kind", "phrases"),
    [
        (
            "broken_sheet.xlsx",
            lambda: rezip(xlsx_bytes([["Creator"]]), {SHEET_PART: b"<worksheet><sheetData><row"}),
            "not_a_table",
            ["is damaged", "save it again"],
        ),
        (
            "broken_book.xlsx",
            lambda: rezip(xlsx_bytes([["Creator"]]), {"xl/workbook.xml": b"<workbook><sheets"}),
            "not_a_table",
            ["is damaged", "save it again"],
        ),
        ("entities.xlsx", lambda: rezip(xlsx_bytes([["x"]]), {SHEET_PART: XXE.encode()}), "not_a_table", ["damaged"]),
        ("no_sheets.xlsx", workbook_without_sheets, "empty", ["has no sheets"]),
        ("archive.xlsx", plain_zip, "not_a_table", ["zip archive, not an Excel workbook"]),
        (
            "locked.xlsx",
            lambda: OLE_HEADER + "EncryptionInfo EncryptedPackage".encode("utf-16-le") + bytes(512),
            "encrypted",
            ["password", "save", "without"],
        ),
        ("old.xlsx", lambda: OLE_HEADER + bytes(1024), "not_a_table", ["Excel 97", ".xlsx"]),
        (
            "zip_password.xlsx",
            lambda: patch_member(xlsx_bytes([["Creator"]]), SHEET_PART, flags=1),
            "encrypted",
            ["password"],
        ),
    ],
)
def test_malformed_workbooks_get_a_plain_message(tmp_path, name, make, kind, phrases):
    assert_plain(read_hostile(tmp_path, name, make()), kind, *phrases)


def test_broken_utf16_reads_with_replacement_characters(tmp_path):
    data = b"\xff\xfe" + "Creator,Code\r\n@amy,X\r\n".encode("utf-16-le") + b"\x00\xd8" + b"!"
    result = read_hostile(tmp_path, "broken16.csv", data)
    assert result["table"][:2] == [["Creator", "Code"], ["@amy", "X"]], result
    assert set("".join(result["table"][2])) <= {"\ufffd"}


# --- budgets ------------------------------------------------------------------------------------


def test_a_value_past_the_column_limit_is_refused_naming_the_limit():
    with pytest.raises(SourceError, match=r"column 1,001.*limit is 1,000 columns") as error:
        read_bytes(b"Creator" + b"," * 1000 + b"x\r\n", "wide.csv")
    assert error.value.kind == "too_large"
    with pytest.raises(SourceError, match=r"column 1,001.*limit is 1,000 columns"):
        read_bytes(with_sheet(f'<row r="1">{text_cell("A1", "Creator")}{text_cell("ALM1", "x")}</row>'), "wide.xlsx")


def test_rows_times_the_widest_row_is_bounded_because_rows_are_padded_to_it():
    data = b"Creator" + b"," * 999 + b"x\r\n" + b"@a\r\n" * 2000
    with pytest.raises(SourceError, match=r"2,001 rows by 1,000 columns.*2,000,000") as error:
        read_bytes(data, "rectangle.csv")
    assert error.value.kind == "too_large"


def test_a_row_past_the_row_limit_in_a_workbook_is_refused():
    rows = f'<row r="1">{text_cell("A1", "Creator")}</row><row r="1048576">{text_cell("A1048576", "x")}</row>'
    with pytest.raises(SourceError, match="more than 200,000 rows"):
        read_bytes(with_sheet(rows), "tall.xlsx")


def test_formatted_empty_cells_anywhere_are_not_cells():
    rows = f'<row r="1">{text_cell("A1", "Creator")}<c r="XFD1" s="0"/></row><row r="900000"><c r="B900000"/></row>'
    assert read_bytes(with_sheet(rows), "styled.xlsx") == [["Creator"]]


def test_a_cell_referring_to_a_missing_shared_string_is_a_damaged_file():
    data = with_shared_strings('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', ["Creator"])
    with pytest.raises(SourceError, match="is damaged"):
        read_bytes(data, "refs.xlsx")


def test_a_csv_line_of_more_separators_than_any_spreadsheet_has_columns_is_refused():
    with pytest.raises(SourceError, match="separators") as error:
        read_bytes(b"Creator\r\n" + b"a," * 30_000 + b"\r\n", "separators.csv")
    assert error.value.kind == "too_large"


@pytest.mark.parametrize(
    ("budget", "value", "message"),
    [
        ("MAX_XML_ELEMENTS", 20, "more than 20 entries in one part"),
        ("MAX_ZIP_MEMBERS", 3, "more than 3 files"),
        ("MAX_PART_BYTES", 500, "unpacks to more than the limit"),
        ("MAX_UNPACKED_BYTES", 2_000, "unpacks to more than the limit"),
    ],
)
def test_every_workbook_budget_stops_the_read_with_a_plain_message(monkeypatch, budget, value, message):
    """Budgets too costly to reach in a test (10 million elements, 10,000 files) checked at a small value."""
    monkeypatch.setattr(files, budget, value)
    data = with_sheet("".join(f'<row r="{i}">{text_cell(f"A{i}", "x")}</row>' for i in range(1, 30)))
    with pytest.raises(SourceError, match=message) as error:
        read_bytes(data, "book.xlsx")
    assert error.value.kind == "too_large"
    assert "Export only the tracking tab" in str(error.value)


def test_a_chart_tab_is_passed_over_by_default_and_refused_by_name():
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    data_sheet = book.active
    data_sheet.title = "Data"
    data_sheet.append(["Creator"])
    data_sheet.append(["@amy"])
    chart = BarChart()
    chart.add_data(Reference(data_sheet, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    out = io.BytesIO()
    book.save(out)
    assert read_bytes(out.getvalue(), "charts.xlsx") == [["Creator"], ["@amy"]]
    with pytest.raises(SourceError, match="'Chart' in charts.xlsx is a chart or a macro sheet, not a table"):
        read_bytes(out.getvalue(), "charts.xlsx", sheet="Chart")


# --- what must not change -----------------------------------------------------------------------


def test_blank_lines_and_trailing_empty_cells_keep_sheet_row_numbers():
    """normalize numbers rows as header index + 2, so blank rows must stay in the table as rows."""
    text = "Spark tracker,,\r\n,,\r\nCreator,Code,\r\n@amy,A1,\r\n\r\n@bob,B2,,,\r\n,,\r\n\r\n"
    table = read_bytes(text.encode(), "gaps.csv")
    assert table == [["Spark tracker"], [], ["Creator", "Code"], ["@amy", "A1"], [], ["@bob", "B2"]]
    assert normalize(table).frame["row"].tolist() == [4, 6]
    rows = (
        f'<row r="1">{text_cell("A1", "Spark tracker")}</row>'
        f'<row r="3">{text_cell("A3", "Creator")}{text_cell("B3", "Code")}</row>'
        f'<row r="4">{text_cell("A4", "@amy")}{text_cell("B4", "A1")}<c r="C4" s="0"/></row>'
        f'<row r="5"><c r="A5" t="inlineStr"><is><t></t></is></c></row>'
        f'<row r="6">{text_cell("A6", "@bob")}{text_cell("B6", "B2")}</row>'
    )
    table = read_bytes(with_sheet(rows), "gaps.xlsx")
    assert table == [["Spark tracker"], [], ["Creator", "Code"], ["@amy", "A1"], [], ["@bob", "B2"]]
    assert normalize(table).frame["row"].tolist() == [4, 6]


def _openpyxl_table(data: bytes, sheet: str | None = None) -> list[list[str]]:
    """What the reader gave before it streamed the sheet itself (openpyxl, read-only), trailing blanks trimmed."""
    from openpyxl import load_workbook

    from lib.sources.files import _cell_text

    with warnings.catch_warnings():  # openpyxl warns of a date serial outside the calendar (one cell tests it)
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [
            [_cell_text(v) for v in row]
            for row in (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        ]
    book.close()
    for row in rows:
        while row and not row[-1].strip():
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


@pytest.mark.parametrize("epoch", ["1900", "1904"])
def test_xlsx_cells_read_exactly_as_openpyxl_read_them(epoch):
    import datetime as dt

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    if epoch == "1904":
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Creator", "Expires", "Posted", "Spend", "Ratio", "Live", "Time", "Notes", "Length", "Share"])
    sheet.append(
        [
            "@zoë",
            dt.datetime(2026, 11, 22),
            dt.datetime(2026, 11, 1, 9, 30),
            1200,
            3.0,
            True,
            dt.time(14, 5),
            "Café crème, naïve",
            dt.timedelta(hours=30),
            0.25,
        ]
    )
    sheet.append(["@bob", dt.date(2026, 1, 2), None, -7.5, 1e-7, False, None, "  padded  ", None, None])
    sheet.append([])
    sheet.append([None, "1999-12-31", 12345678901234, 0.1 + 0.2, None, None, None, "=not a formula?"])
    sheet["H5"].data_type = "s"
    sheet["A7"] = CellRichText(["@ri", TextBlock(InlineFont(b=True), "ch")])
    sheet["Z7"] = "far right"
    for row in sheet.iter_rows(min_row=2, max_row=5):
        row[1].number_format = "dd/mm/yyyy"
        row[2].number_format = "yyyy-mm-dd hh:mm"
        row[8].number_format = "[h]:mm:ss"
        row[9].number_format = "0%"
    sheet["D2"].number_format = '#,##0.00 "USD"'
    book.create_sheet("Archive").append(["Creator", dt.datetime(2020, 2, 29)])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    table = read_bytes(data, "typed.xlsx")
    assert table == _openpyxl_table(data)
    assert table[1][:3] == ["@zoë", "2026-11-22", "2026-11-01 09:30:00"]
    assert (
        read_bytes(data, "typed.xlsx", sheet="Archive")
        == _openpyxl_table(data, "Archive")
        == [["Creator", "2020-02-29"]]
    )


def test_shared_strings_rich_text_and_phonetic_runs_read_as_excel_shows_them():
    strings = [
        "Creator",
        '<r><t>@a</t></r><r><rPr><sz val="11"/></rPr><t xml:space="preserve">m y</t></r>'
        '<rPh sb="0" eb="1"><t>ア</t></rPh>',
    ]
    data = with_shared_strings(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>', []
    )
    xml = f'<sst xmlns="{MAIN_NS}"><si><t>{strings[0]}</t></si><si>{strings[1]}</si></sst>'
    data = rezip(data, {"xl/sharedStrings.xml": xml.encode()})
    assert read_bytes(data, "rich.xlsx") == [["Creator"], ["@am y"]] == _openpyxl_table(data)


def test_a_formula_whose_saved_result_is_empty_text_is_a_saved_result(tmp_path):
    """Excel saves `=IF(…, "", …)` as t="str" with an empty value: that is a result, not a missing one."""
    rows = (
        f'<row r="1">{text_cell("A1", "Creator")}{text_cell("B1", "Note")}</row>'
        '<row r="2"><c r="A2" t="str"><f>"@a"&amp;"my"</f><v>@amy</v></c><c r="B2" t="str"><f>""</f><v></v></c></row>'
    )
    assert read_bytes(with_sheet(rows), "saved.xlsx") == [["Creator", "Note"], ["@amy"]]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Creator;Spend;Notes\r\n@amy;1,5;ok\r\n@bob;2,25;fine\r\n", ";"),
        ('Creator,Notes\r\n@amy,"a; b; c"\r\n@bob,"d; e"\r\n', ","),
        ("Creator|Code\r\n@amy|X\r\n", "|"),
        ('Creator\tNotes\r\n@amy\t"one, two\r\nthree, four"\r\n', "\t"),
    ],
)
def test_delimiter_is_the_one_used_consistently_outside_quotes(text, delimiter):
    assert read_bytes(text.encode(), "d.csv") == list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# --- the bulk CSV reader ------------------------------------------------------------------------
#
# `read_csv` reads a file in bulk with pyarrow (`files._read_in_bulk`) when it can be sure of giving
# exactly what the exact reader (`files._read_rows`, Python's csv module row by row) gives, and hands
# every other file to the exact reader. These hold the two to the same table, or the same error.


def exact_outcome(data: bytes, name: str = "t.csv") -> tuple:
    """What the exact reader alone makes of `data`: ("table", rows) or ("error", message, kind)."""
    try:
        text = files.decode(data)
        if "\x00" in text:
            return ("error", "not a CSV text file", "not_a_table")
        return ("table", files._read_rows(text, files.sniff_delimiter(text), name))
    except SourceError as error:
        return ("error", str(error), error.kind)


def outcome(data: bytes, name: str = "t.csv") -> tuple:
    """What `read_csv` makes of `data`, in the form of `exact_outcome`."""
    try:
        return ("table", files.read_csv(data, name))
    except SourceError as error:
        return ("error", "not a CSV text file" if "not a CSV text file" in str(error) else str(error), error.kind)


CELL_PIECES = ["a", "Zoë", "@amy", "2026-11-22", "1,5", " ", "  ", "\t", ",", ";", "|", '"', '""', "\r", "\n", "\r\n"]
CELL_PIECES += ["\u2028", "\x0c", "\xa0", "\u3000", "\ufeff", "é", "=x", "#AbC"]
cell_text = st.lists(st.sampled_from(CELL_PIECES), max_size=4).map("".join)
tables = st.lists(st.lists(cell_text, max_size=6), max_size=8)


@st.composite
def csv_files(draw) -> bytes:
    """CSV exports as tools write them (quoted where needed, or every cell) and as people damage them
    (quotes in odd places, rows of different lengths, blank lines, whitespace, a byte-order mark)."""
    rows = draw(tables)
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    if draw(st.booleans()):
        out = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows(rows)
        text = out.getvalue()
    else:
        text = ending.join(delimiter.join(row) for row in rows) + draw(st.sampled_from(["", ending, ending * 2]))
    if draw(st.booleans()):  # rectangular: every row as wide as the widest, as spreadsheets export
        width = max(map(len, rows), default=0)
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator=ending).writerows(r + [""] * (width - len(r)) for r in rows)
        text = out.getvalue()
    text = draw(st.sampled_from(["", "", "", "\ufeff"])) + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


@contextlib.contextmanager
def small_limits():
    """The CSV limits made small enough for generated files to reach every one of them."""
    saved = {name: getattr(files, name) for name in ("MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "MAX_LINE_SEPARATORS")}
    field_limit = csv.field_size_limit()
    files.MAX_ROWS, files.MAX_COLUMNS, files.MAX_CELLS, files.MAX_LINE_SEPARATORS = 6, 5, 20, 8
    csv.field_size_limit(12)
    try:
        yield
    finally:
        csv.field_size_limit(field_limit)
        for name, value in saved.items():
            setattr(files, name, value)


@given(csv_files())
def test_the_bulk_reader_gives_what_the_exact_reader_gives(data):
    found = outcome(data)
    event(f"in bulk: {found[0] == 'table' and isinstance(files.read_csv_columns(data), ColumnTable)}")
    assert found == exact_outcome(data)


@given(csv_files())
def test_the_bulk_reader_stops_at_every_limit_where_the_exact_reader_does(data):
    with small_limits():
        found = outcome(data)
        bulk = found[0] == "table" and isinstance(files.read_csv_columns(data), ColumnTable)
        event(f"in bulk: {bulk}" if found[0] == "table" else f"error: {found[1][7:40]}")
        assert found == exact_outcome(data)


def spreadsheet_export(rows: list[list[str]], delimiter: str = ",", ending: str = "\r\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=ending).writerows(rows)
    return out.getvalue().encode("utf-8")


EXPORT = [
    ["Tracker (ask Maya)", "", "", ""],
    ["", "", "", ""],
    ["Creator", "Code", "Notes", ""],
    ["@amy", "#A1", 'said "yes", twice\r\nthen left', ""],
    ["", "", "", ""],
    ["@bob", "  ", "", "   "],
    ["", "", "", ""],
]


@pytest.mark.parametrize(("delimiter", "ending"), [(",", "\r\n"), (";", "\n"), ("\t", "\r")])
def test_an_export_as_spreadsheets_write_them_is_read_in_bulk_row_for_row(delimiter, ending):
    """Blank rows keep their places, quoted line breaks stay in their cell, trailing blanks go."""
    data = spreadsheet_export(EXPORT, delimiter, ending)
    table = files.read_csv_columns(data)
    assert isinstance(table, ColumnTable)
    expected = [
        ["Tracker (ask Maya)"],
        [],
        ["Creator", "Code", "Notes"],
        ["@amy", "#A1", 'said "yes", twice\r\nthen left'],
    ]
    assert table.rows() == expected + [[], ["@bob"]] == exact_outcome(data)[1]
    assert normalize(table.rows()).frame["row"].tolist() == [4, 6]


def test_a_long_line_without_quotes_is_read_in_bulk_as_the_exact_reader_reads_it():
    """Without quotes a line is a record, so the first record's cells bound every line's separators."""
    data = b"Creator,Notes\r\n@amy," + b"x" * 30_000 + b"\r\n@bob,\r\n"
    assert isinstance(files.read_csv_columns(data), ColumnTable)
    assert outcome(data) == exact_outcome(data)


FALLBACKS = {
    "ragged rows": b"Creator,Code\r\n@amy\r\n@bob,B2,extra\r\n",
    "a quote inside an unquoted cell": b"Creator,Height\r\n@amy,5'10\"\r\n",
    "text after a closing quote": b'Creator,Notes\r\n@amy,"said" yes\r\n',
    "a quote never closed": b'Creator,Notes\r\n@amy,"open\r\n@bob,x\r\n',
    "a space before an opening quote": b'Creator,Notes\r\n@amy, "x, y"\r\n',
    "a byte-order mark inside the text": "\ufeff\ufeffCreator,Code\r\n@amy,A1\r\n".encode(),
    "a blank first line": b"\r\nCreator,Code\r\n@amy,A1\r\n",
    "one line, no line break": b"Creator,Code",
    "a quoted line longer than the separator limit": b'Creator,Notes\r\n@amy,"' + b"x," * 15_000 + b'"\r\n',
    "a cell longer than the csv field limit": b'Creator,Notes\r\n@amy,"' + b"x\n" * 70_000 + b'"\r\n',
    "more cells than the limit in the first row": b"Creator" + b"," * 1_000 + b"\r\n@amy\r\n",
    "more rows than the limit": b"Creator\r\n" + b"@amy\r\n" * 200_000,
}


@pytest.mark.parametrize("name", FALLBACKS)
def test_a_file_the_bulk_reader_cannot_be_sure_of_is_read_by_the_exact_reader(name):
    data = FALLBACKS[name]
    text = files.decode(data)
    assert files._read_in_bulk(text.encode(), files.sniff_delimiter(text)) is None
    assert outcome(data) == exact_outcome(data)
