"""The template CSV the Data page offers: the README's columns, two example rows, read back clean."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lib import template
from lib.diagnose import diagnose
from lib.headers import meaning
from lib.normalize import normalize
from lib.sources.files import read_bytes


def readme_columns() -> list[str]:
    """The column names of the README's sheet table ("| column | what it holds | …"), in its order;
    its 'post_url / post_id' row stands for the post's link."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = text.split("| column | what it holds |", 1)[1].split("\n\n", 1)[0]
    cells = [line.split("|")[1].strip() for line in table.splitlines()[2:] if line.startswith("|")]
    return [name.strip() for cell in cells for name in cell.split(" / ")[0].split(",")]


README_COLUMNS = readme_columns()


def test_the_template_has_the_readme_columns_each_read_back_as_itself(today):
    assert list(template.TEMPLATE_COLUMNS) == README_COLUMNS
    headers = list(template.template_frame(today).columns)
    assert headers[:4] == ["Creator", "Post URL", "Spark code", "Access"]
    assert [meaning(h) for h in headers] == README_COLUMNS


def test_normalising_the_template_gives_two_clean_rows_with_no_problems(today):
    table = read_bytes(template.template_csv(today), template.FILE_NAME)
    normalized = normalize(table)
    assert normalized.problems.empty
    assert normalized.frame["creator"].tolist() == ["@amy.cooks", "@ben.runs"]
    assert normalized.frame["access_method"].tolist() == ["code", "business_center"]
    assert normalized.frame["code"].iloc[0] == template.EXAMPLE_CODE
    diagnosed = diagnose(normalized.frame, today)
    assert diagnosed["health"].tolist() == ["ok", "ok"]
    assert [list(ids) for ids in diagnosed["issues"]] == [[], []]


def test_the_template_csv_opens_in_a_spreadsheet_as_it_is(today):
    data = template.template_csv(today)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents and emoji a team adds
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3 and all(len(row) == len(README_COLUMNS) for row in rows)
    assert rows[1][0] == "@amy.cooks"  # a handle stays a handle: no apostrophe before it
    assert not any(cell.startswith(("=", "+", "-", "'")) for row in rows for cell in row)
