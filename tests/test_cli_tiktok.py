"""The command line with TikTok: `check` reconciled, `apply`, `tiktok-token`, against the local fake API."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest

from lib.actionlog import read_actions
from lib.cli import EXIT_ATTENTION, EXIT_OK, EXIT_UNREADABLE, main
from lib.codes import mask_code
from lib.rules import IssueId
from tests.fakes.fake_tiktok import (
    ADVERTISER,
    APP_ID,
    APP_SECRET,
    AUTH_CODE,
    TOKEN,
    FakeTikTok,
    item,
)
from tests.fakes.tracking_sheet import TODAY, code, tracking_sheet
from tests.fakes.webhook import clear_proxies

VIDEO = 7300000000000000000


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    clear_proxies(monkeypatch)
    for name in ("TIKTOK_ACCESS_TOKEN", "TIKTOK_ADVERTISER_IDS", "SPARKWATCH_TIKTOK_API", "TIKTOK_APP_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPARKWATCH_USER", "maya@agency.example")


@pytest.fixture
def sheet(tmp_path):
    """Row 2: held by TikTok, its typed date a week off; row 3: received, in no ad account; row 4: applied, gone."""
    rows = tracking_sheet(
        {"Expires": "2026-12-13"},
        {"Status": "received", "Expires": "2027-03-01"},
        {"Expires": "2027-01-10"},
    )
    path = tmp_path / "tracker.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def posts():
    return {
        ADVERTISER: [
            item(code(0), str(VIDEO), "amy", _at("2026-12-20")),
            item(code(2), str(VIDEO + 2), "amy", _at("2027-01-10"), post_status="USER_DELETE", form="iso"),
            item(code(7), "42", "zed", _at("2026-12-24"), form="epoch"),
        ]
    }


def _at(day: str):
    import datetime as dt

    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)


def use(monkeypatch, fake: FakeTikTok, token: str = TOKEN) -> None:
    monkeypatch.setenv("TIKTOK_ACCESS_TOKEN", token)
    monkeypatch.setenv("TIKTOK_ADVERTISER_IDS", ADVERTISER)
    monkeypatch.setenv("SPARKWATCH_TIKTOK_API", fake.base)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def no_secrets(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text
        for n in range(10):
            assert code(n) not in text and code(n)[1:] not in text


def test_check_json_says_what_tiktok_says_per_row_and_lists_what_the_sheet_lacks(monkeypatch, sheet, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeTikTok(posts=posts()) as fake:
        use(monkeypatch, fake)
        status, out, err = run("check", str(sheet), "--today", TODAY.isoformat(), "--tz", "UTC", "--json")
    assert status == EXIT_OK and err == ""
    data = json.loads(out)
    by_row = {r["row"]: r for r in data["records"]}
    assert by_row[2]["tiktok"] == {
        "status": "AUTHORIZED",
        "ends_on": "2026-12-20",
        "post_status": "HESITATE_RECOMMEND",
        "advertiser_id": ADVERTISER,
    }
    assert by_row[2]["expires_on"] == "2026-12-20" and by_row[2]["issues"] == [IssueId.SHEET_END_DIFFERS]
    assert by_row[3]["tiktok"] is None and by_row[3]["issues"] == [IssueId.NOT_IN_ADS_MANAGER]
    assert by_row[4]["issues"] == [IssueId.POST_DELETED] and by_row[4]["health"] == "blocked"
    assert data["ads_manager_only"] == [
        {
            "creator": "@zed",
            "post": "https://www.tiktok.com/@zed/video/42",
            "ends_on": "2026-12-24",
            "status": "AUTHORIZED",
            "post_status": "HESITATE_RECOMMEND",
            "advertiser_id": ADVERTISER,
            "code": mask_code(code(7)),
        }
    ]
    assert data["tiktok_error"] is None and data["tiktok_read_at"].endswith("Z")
    no_secrets(out, err, caplog.text)


def test_check_text_names_the_posts_only_ads_manager_has(monkeypatch, sheet):
    with FakeTikTok(posts=posts()) as fake:
        use(monkeypatch, fake)
        status, out, err = run("check", str(sheet), "--today", TODAY.isoformat(), "--tz", "UTC")
    assert status == EXIT_OK
    assert "TikTok: 1 ad account read" in out and "In Ads Manager, not in your sheet (1):" in out
    assert "@zed" in out and mask_code(code(7)) in out
    no_secrets(out, err)


def test_without_tiktok_settings_the_json_is_as_before(sheet):
    status, out, _ = run("check", str(sheet), "--today", TODAY.isoformat(), "--json")
    data = json.loads(out)
    assert "ads_manager_only" not in data and "tiktok" not in data["records"][0]


@pytest.mark.parametrize("fault", ["server_error", "hang", "rate_limited"])
def test_when_tiktok_cannot_be_read_the_sheets_result_still_prints(monkeypatch, sheet, fault):
    from lib.tiktok import api as api_module

    monkeypatch.setattr(api_module, "DEFAULT_TIMEOUT", 0.5)  # the hang: within half a second, not 15
    monkeypatch.setattr(api_module, "RATE_BACKOFF", (0.0, 0.0))  # no real waiting between retries
    with FakeTikTok(posts=posts(), always={fault}) as fake:
        use(monkeypatch, fake)
        status, out, err = run("check", str(sheet), "--today", TODAY.isoformat(), "--json")
    assert status == EXIT_OK
    data = json.loads(out)
    assert data["tiktok_error"] and data["ads_manager_only"] == []
    assert all(r["tiktok"] is None for r in data["records"])
    assert data["records"] and data["rows"] == 3
    assert err.count("\n") == 1 and err.startswith("sparkwatch: TikTok could not be read")
    no_secrets(out, err)


def test_a_refused_token_is_one_plain_line_without_the_token(monkeypatch, sheet, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "act.WrongTokenValue123456"
    with FakeTikTok(posts=posts()) as fake:
        use(monkeypatch, fake, token=wrong)
        status, out, err = run("check", str(sheet), "--today", TODAY.isoformat(), "--json")
    assert status == EXIT_OK and "did not accept the access token" in err
    assert wrong not in out + err + caplog.text
    assert "did not accept" in json.loads(out)["tiktok_error"]


def test_apply_sends_one_request_per_ready_code_and_logs_each_masked(monkeypatch, sheet, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    log = tmp_path / "actions.jsonl"
    with FakeTikTok(posts=posts()) as fake:
        use(monkeypatch, fake)
        status, out, err = run(
            "apply", str(sheet), "--advertiser", ADVERTISER, "--log", str(log), "--today", TODAY.isoformat()
        )
        assert fake.authorized == [(ADVERTISER, code(1))]
    assert status == EXIT_OK and err == ""
    assert out.startswith(f"Applied 1 of 1 code to ad account {ADVERTISER}")
    assert mask_code(code(1)) in out
    entries = list(read_actions(log))
    assert [(e.who, e.action, e.outcome, e.code, e.row) for e in entries] == [
        ("maya@agency.example", "apply", "applied", mask_code(code(1)), 3)
    ]
    no_secrets(out, err, caplog.text, log.read_text(encoding="utf-8"))


def test_apply_shows_tiktoks_refusal_decoded_and_exits_1(monkeypatch, sheet, tmp_path):
    with FakeTikTok(posts=posts(), authorize_errors={code(1): (4025, "auth_code_expired")}) as fake:
        use(monkeypatch, fake)
        status, out, err = run(
            "apply",
            str(sheet),
            "--advertiser",
            ADVERTISER,
            "--log",
            str(tmp_path / "a.jsonl"),
            "--today",
            TODAY.isoformat(),
        )
    assert status == EXIT_ATTENTION
    assert "refused: Authorization expired (4025 · auth_code_expired)" in out
    assert [e.outcome for e in read_actions(tmp_path / "a.jsonl")] == ["refused"]
    no_secrets(out, err)


def test_apply_dry_run_sends_nothing_and_logs_nothing(monkeypatch, sheet, tmp_path):
    with FakeTikTok(posts=posts()) as fake:
        use(monkeypatch, fake)
        status, out, _ = run("apply", str(sheet), "--advertiser", ADVERTISER, "--dry-run", "--today", TODAY.isoformat())
        assert fake.count("authorize") == 0
    assert status == EXIT_OK and out.startswith("Would apply 1 code")
    assert not (tmp_path / "sparkwatch-actions.jsonl").exists()


def test_apply_without_a_token_says_how_to_get_one(sheet):
    status, _, err = run("apply", str(sheet), "--advertiser", ADVERTISER)
    assert status == EXIT_UNREADABLE and "TIKTOK_ACCESS_TOKEN" in err


def test_tiktok_token_prints_the_token_once_on_its_last_line(monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TIKTOK_APP_SECRET", APP_SECRET)
    with FakeTikTok(posts=posts()) as fake:
        status, out, err = run("tiktok-token", "--app-id", APP_ID, "--auth-code", AUTH_CODE, "--api", fake.base)
    assert status == EXIT_OK and err == ""
    assert out.count(TOKEN) == 1 and out.splitlines()[-1] == TOKEN
    assert ADVERTISER in out and APP_SECRET not in out + caplog.text and TOKEN not in caplog.text


def test_tiktok_token_into_a_file_never_prints_it(monkeypatch, tmp_path):
    monkeypatch.setenv("TIKTOK_APP_SECRET", APP_SECRET)
    target = tmp_path / "token.txt"
    with FakeTikTok(posts=posts()) as fake:
        status, out, _ = run(
            "tiktok-token",
            "--app-id",
            APP_ID,
            "--auth-code",
            AUTH_CODE,
            "--api",
            fake.base,
            "--token-file",
            str(target),
        )
    assert status == EXIT_OK and TOKEN not in out
    assert target.read_text(encoding="utf-8").strip() == TOKEN and (target.stat().st_mode & 0o077) == 0


@pytest.mark.parametrize(
    ("secret", "auth_code", "says"),
    [("wrong", AUTH_CODE, "app id or the app secret"), (APP_SECRET, "used", "auth code")],
)
def test_tiktok_token_refusals_are_plain_and_hold_no_secret(monkeypatch, secret, auth_code, says):
    monkeypatch.setenv("TIKTOK_APP_SECRET", secret)
    with FakeTikTok(posts=posts()) as fake:
        status, out, err = run("tiktok-token", "--app-id", APP_ID, "--auth-code", auth_code, "--api", fake.base)
    assert status == EXIT_UNREADABLE and says in err and out == ""
    assert secret not in err and os.linesep not in err.rstrip("\n")
