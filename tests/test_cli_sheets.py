"""`python -m lib.cli check` on a Google Sheet and a published link, as a person or cron job runs it:
the key file named by GOOGLE_APPLICATION_CREDENTIALS, the real gspread client, the local fake Sheets
API. `main` runs in-process with the environment the test sets (the one real subprocess run is in
test_cli.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lib import settings
from lib.cli import main
from lib.demo import demo_table
from lib.sources import gsheet
from tests.conftest import TODAY
from tests.fakes import FakeSheets, service_account_info
from tests.fakes.webhook import clear_proxies

KEY = "1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx"
EMAIL = "sparkwatch-cli@sparkwatch-test.iam.gserviceaccount.com"


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    with FakeSheets() as server:
        server.add_spreadsheet(KEY, {"Tracker": demo_table(TODAY)})
        yield server


@pytest.fixture
def key_file(fake: FakeSheets, tmp_path: Path) -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(service_account_info(fake, EMAIL)), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Done:
    """What a finished run left: its exit code and both streams (as `subprocess.CompletedProcess` names them)."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch, fake):
    """Run `check` as a cron job would, with only the environment the arguments give it.

    The fake is the (refusing) proxy for every host but 127.0.0.1, so nothing leaves the machine.
    """

    def run(*args: str, credentials: Path | None = None, endpoint: str | None = None) -> Done:
        clear_proxies(monkeypatch)
        fake.refuse_outside(monkeypatch)
        for name, value in ((gsheet.CREDENTIALS_ENV, credentials), (settings.API_ROOT_ENV, endpoint)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, str(value))
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", *args, "--today", TODAY.isoformat()], out, err)
        return Done(code, out.getvalue(), err.getvalue())

    return run


def expected_summary(cli) -> dict:
    demo = cli("demo", "--json")
    assert demo.returncode == 0, demo.stderr
    return json.loads(demo.stdout)


def without_source(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "source"}


def test_check_a_sheet_url_prints_the_same_json_as_for_the_same_rows_in_a_file(cli, fake, key_file):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    done = cli(url, "--json", credentials=key_file, endpoint=fake.url)

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["source"] == url
    assert without_source(result) == without_source(expected_summary(cli))
    assert fake.value_requests == 1
    assert fake.scopes == ["https://www.googleapis.com/auth/spreadsheets.readonly"]


def test_check_a_key_with_a_named_tab_in_text_form(cli, fake, key_file):
    done = cli(KEY, "--tab", "Tracker", credentials=key_file, endpoint=fake.url)
    assert done.returncode == 0, done.stderr
    assert f"{expected_summary(cli)['rows']} authorizations" in done.stdout
    assert fake.counts["values"] == 1 and fake.counts["metadata"] == 0


def test_check_every_tab(cli, fake, key_file):
    fake.add_spreadsheet(
        KEY, {"Lumen": demo_table(TODAY)[:10], "Stride": demo_table(TODAY)[:1] + demo_table(TODAY)[10:]}
    )
    done = cli(KEY, "--tab", "*", "--json", credentials=key_file, endpoint=fake.url)
    assert done.returncode == 0, done.stderr
    result, expected = json.loads(done.stdout), expected_summary(cli)
    assert (result["rows"], result["health"], result["issues"]) == (
        expected["rows"],
        expected["health"],
        expected["issues"],
    )
    assert fake.counts["batch_get"] == 1


def test_a_sheet_not_shared_exits_2_with_one_plain_line_naming_the_address(cli, fake, key_file):
    fake.fail("forbidden")
    done = cli(KEY, "--json", credentials=key_file, endpoint=fake.url)

    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert EMAIL in lines[0] and "Viewer" in lines[0]
    assert "Traceback" not in done.stderr and "PRIVATE KEY" not in done.stderr


def test_a_missing_tab_exits_2_and_lists_the_tabs(cli, fake, key_file):
    done = cli(KEY, "--tab", "Nope", credentials=key_file, endpoint=fake.url)
    assert done.returncode == 2
    assert "no tab called 'Nope'" in done.stderr and "Tracker" in done.stderr


def test_without_credentials_the_cli_says_what_to_set(cli, fake):
    done = cli(KEY, endpoint=fake.url)
    assert done.returncode == 2
    assert gsheet.CREDENTIALS_ENV in done.stderr
    assert "Traceback" not in done.stderr
    assert fake.counts.total() == 0


def test_check_a_published_link_needs_no_credentials(cli, fake):
    out = io.StringIO()
    csv.writer(out).writerows(demo_table(TODAY))
    url = fake.publish("/spreadsheets/d/e/2PACX-1vSparkwatch/pub?output=csv", out.getvalue())

    done = cli(url, "--json")

    assert done.returncode == 0, done.stderr
    assert without_source(json.loads(done.stdout)) == without_source(expected_summary(cli))
    assert fake.counts["csv"] == 1


def test_a_malformed_key_file_exits_2_without_quoting_the_key(cli, fake, tmp_path):
    info = service_account_info(fake, EMAIL)
    lines = info["private_key"].splitlines()
    info["private_key"] = "\n".join([lines[0], *lines[1:4], lines[-1]])  # cut short, as a bad paste would
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    done = cli(KEY, credentials=path, endpoint=fake.url)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    for line in lines[1:4]:
        assert line[:24] not in done.stdout + done.stderr
    assert "PRIVATE KEY" not in done.stdout + done.stderr and info["private_key_id"] not in done.stderr


def test_an_api_root_that_would_send_the_key_in_clear_exits_2_naming_the_variable(fake, key_file, monkeypatch):
    monkeypatch.setenv(gsheet.CREDENTIALS_ENV, str(key_file))
    monkeypatch.setenv(settings.API_ROOT_ENV, "http://sheets.example.com")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", KEY, "--today", TODAY.isoformat()], out, err) == 2
    assert settings.API_ROOT_ENV in err.getvalue() and out.getvalue() == ""
    assert fake.counts.total() == 0
