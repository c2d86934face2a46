import io

import pytest
from openpyxl import Workbook

from lib.errors import SourceError
from lib.normalize import normalize
from lib.sources import kind_of, read_table, sheet_key
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
