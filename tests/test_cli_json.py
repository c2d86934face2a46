"""`check --json` is byte for byte what the first encoder wrote: scripts read it.

The reference below is that encoder, kept here on purpose (the command line now writes its JSON
from columns): the summary as plain dicts (`lib.report.summary`, records through
`DataFrame.to_dict`, TikTok facts row by row), then `json.dumps(ensure_ascii=False)` and every
character a terminal acts on written as a \\uXXXX escape. The sheet is awkward on purpose:
missing cells, four date forms, unicode, hostile text, several issues per row, duplicate codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest

from lib.alerts import action_line, action_lines
from lib.cli import main
from lib.diagnose import diagnose, needs_action
from lib.exports import printable
from lib.normalize import normalize
from lib.reconcile import ads_manager_only_records, reconcile, tiktok_fact
from lib.report import records, summary
from lib.sources.files import read_path
from lib.tiktok.read import read_tiktok
from lib.tiktok.settings import tiktok_settings
from lib.words import redact
from tests.fakes.fake_tiktok import ADVERTISER, TOKEN, FakeTikTok, item
from tests.fakes.tracking_sheet import code
from tests.fakes.webhook import clear_proxies

TODAY = "2026-11-22"
HEADER = ["Creator", "Post URL", "Code", "Access", "Authorized on", "Duration", "Expires", "Status", "Campaign end"]
HOSTILE = [
    "\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",  # clear screen, a fake link
    "\x9b31m csi \x7f del \x85 nel",  # C1 controls and DEL
    "line\u2028separator\u2029paragraph",
    "\u202eevil\u202c \u2066iso\u2069 \u200f\u061c",  # bidi overrides, isolates, marks
    'quote " backslash \\ slash / tab\tcr\rnl',
    "</script><script>alert(1)</script>",
    "emoji 🎉 ñandú 中文 עברית العربية e\u0301",
    "\ud7ff\ue000\uffff",
]


def awkward_rows() -> list[list[str]]:
    rows = [HEADER]
    dates = ["2026-11-01", "11/20/2026", "15 Dec 2026", "46000", "31/31/2026", "", "Nov 02, 2026", "soon"]
    for n in range(40):
        hostile = HOSTILE[n % len(HOSTILE)]
        rows.append(
            [
                "" if n % 9 == 4 else (f"@amy{n}" if n % 3 else f"{hostile} {n}"),
                f"https://www.tiktok.com/@amy/video/{7300000000000000000 + n}" if n % 11 else hostile,
                "" if n % 7 == 3 else code(n % 30 if n % 13 else n % 5),  # a few duplicate codes
                "Business Center" if n % 17 == 5 else "code",
                dates[n % len(dates)],
                ["30 days", "7", "", "1 year", hostile][n % 5],
                "" if n % 4 else dates[(n + 3) % len(dates)],
                ["active", " REVOKED ", "pending", "", "Active", hostile][n % 6],
                "" if n % 5 else "2026-12-31",
            ]
        )
    rows.append([""] * len(HEADER))  # a blank row keeps its place
    rows.append(["zed", "https://www.tiktok.com/@zed/video/1", code(35), "code", "2026-11-20", "30", "", "active", ""])
    return rows


@pytest.fixture
def sheet(tmp_path) -> Path:
    path = tmp_path / "awkward.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(awkward_rows())
    return path


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    clear_proxies(monkeypatch)
    for name in ("TIKTOK_ACCESS_TOKEN", "TIKTOK_ADVERTISER_IDS", "SPARKWATCH_TIKTOK_API", "SPARKWATCH_DATE_ORDER"):
        monkeypatch.delenv(name, raising=False)


_UNSAFE_RE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def reference_text(data: object) -> str:
    """The first encoder: `json.dumps`, then what a terminal acts on escaped."""
    text = json.dumps(data, ensure_ascii=False)
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def reference(path: Path, *, tiktok: bool = False) -> str:
    today = dt.date.fromisoformat(TODAY)
    normalized = normalize(read_path(path))
    frame = normalized.frame
    reconciled = None
    if tiktok:
        config = tiktok_settings({}, os.environ)
        assert config is not None
        reconciled = reconcile(frame, read_tiktok(config, frame["code"].tolist()), dt.UTC)
        frame = reconciled.frame
    diagnosed = diagnose(frame, today, 7)
    data = summary(str(path), today, 7, diagnosed, normalized.problems, normalized.columns)
    if reconciled is not None:
        for record, (_, row) in zip(data["records"], diagnosed.iterrows(), strict=True):
            record["tiktok"] = tiktok_fact(row)
        data["ads_manager_only"] = ads_manager_only_records(reconciled.ads_manager_only)
        data["tiktok_read_at"] = reconciled.read.read_at.isoformat().replace("+00:00", "Z")
        data["tiktok_advertisers"] = [ADVERTISER]
        data["tiktok_errors"] = list(reconciled.read.errors)
        data["tiktok_error"] = None
    return reference_text(data) + "\n"


def check_json(path: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(path), "--today", TODAY, "--json"], out, err) == 0, err.getvalue()
    return out.getvalue()


def test_the_json_is_the_first_encoders_byte_for_byte(sheet):
    text = check_json(sheet)
    assert text == reference(sheet)
    data = json.loads(text)
    assert len(data["records"]) == 41 and data["problems"]
    assert any(r["creator"] is None for r in data["records"])
    assert any(r["days_left"] is None for r in data["records"]) and any(r["days_left"] for r in data["records"])
    assert any(len(r["issues"]) > 1 for r in data["records"])
    assert any(r["code"] is None for r in data["records"])


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for v in value for s in strings(v)] if isinstance(value, list) else []


def test_the_json_is_inert_on_a_terminal_and_decodes_to_the_cells(sheet):
    text = check_json(sheet)
    assert text.count("\n") == 1
    assert not re.search("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text[:-1])
    values = "\n".join(strings(json.loads(text)))
    assert "🎉" in text and "中文" in text  # unicode stays readable, not escaped
    assert "\\u001b[2J" in text and "\\u202e" in text  # escaped in the text...
    assert "\x1b[2J" in values and "\u202e" in values  # ...and exactly the cell once decoded


def test_with_tiktok_the_json_is_the_first_encoders_byte_for_byte(monkeypatch, sheet):
    at = dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC)
    posts = {
        ADVERTISER: [
            item(code(1), "7300000000000000001", "amy1", at),
            item(code(2), "7300000000000000002", "amy2", at, post_status="USER_DELETE", form="iso"),
            item(code(38), "42", "zed\u202e\x1b[2J", at, form="epoch"),
        ]
    }
    with FakeTikTok(posts=posts) as fake:
        monkeypatch.setenv("TIKTOK_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("TIKTOK_ADVERTISER_IDS", ADVERTISER)
        monkeypatch.setenv("SPARKWATCH_TIKTOK_API", fake.base)
        text = check_json(sheet)
        expected = reference(sheet, tiktok=True)
    read_at = json.loads(expected)["tiktok_read_at"]
    text = re.sub(r'"tiktok_read_at": "[^"]*"', f'"tiktok_read_at": "{read_at}"', text)
    assert text == expected
    data = json.loads(text)
    assert any(r["tiktok"] for r in data["records"]) and any(r["tiktok"] is None for r in data["records"])
    assert data["ads_manager_only"]


def test_action_lines_from_columns_say_what_action_line_says_per_record(sheet):
    diagnosed = diagnose(normalize(read_path(sheet)).frame, dt.date.fromisoformat(TODAY), 7)
    assert action_lines(diagnosed).tolist() == [action_line(r) for r in records(diagnosed)]
    assert action_lines(diagnosed.iloc[:0]).tolist() == []


def test_the_text_report_is_what_one_pass_over_the_whole_text_gave(tmp_path, sheet):
    rows = awkward_rows()
    rows[3][0] = code(3)  # a code pasted into the creator column
    rows[4][0] = "amy " + code(4)[:30] + "\n" + code(4)[30:]
    path = tmp_path / "leaky.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    for source in (sheet, path):
        out, err = io.StringIO(), io.StringIO()
        main(["check", str(source), "--today", TODAY], out, err)
        diagnosed = diagnose(normalize(read_path(source)).frame, dt.date.fromisoformat(TODAY), 7)
        action = needs_action(diagnosed)
        block = redact(printable("\n".join(f"  {action_line(r)}" for r in records(action))))
        assert block and block in out.getvalue()
        assert code(3) not in out.getvalue() and code(4)[:20] not in out.getvalue()
