"""TikTok in the real app (AppTest): the demo sheet checked against the local fake of TikTok's API.

The fake holds what the demo's two ad accounts would answer (`lib.demo.demo_tiktok_read`), so the
pages show TikTok's end dates and where each came from, the posts only Ads Manager has, the Data
page's TikTok block and its test, a note when TikTok can't be read (the sheet still shown), and
the Act now page's Apply and Unbind, for the reveal list only, each request recorded by the fake.
The token never reaches a page; whole codes never reach someone who may not see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from app_helpers import ACT, APP, AUTHORIZATIONS, DATA, OVERVIEW, PAGES, TIMEOUT, TROUBLESHOOTER, no_settings, rendered
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from lib import settings
from lib.actionlog import LOG_ENV, read_actions
from lib.clock import team_today
from lib.codes import mask_code
from lib.demo import DEMO_ADVERTISERS, demo_table, demo_tiktok_read
from lib.diagnose import diagnose
from lib.exports import END_DATE_FROM
from lib.normalize import normalize
from lib.overview import this_week
from lib.reconcile import reconcile
from lib.tiktok.actions import apply_plan, unbind_plan
from lib.tiktok.settings import ADVERTISERS_ENV, API_ENV, TOKEN_ENV
from tests.fakes.fake_tiktok import TOKEN, FakeTikTok, item
from tests.fakes.webhook import clear_proxies
from ui import act, tiktok, troubleshooter

ACCOUNTS = list(DEMO_ADVERTISERS.values())
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "test-client",
    "client_secret": "test-client-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ACCESS = {"allowed": ["maya@agency.com", "@brand.com"], "reveal_codes": ["maya@agency.com"]}
MAYA = {"is_logged_in": True, "email": "maya@agency.com", "name": "Maya"}
SAM = {"is_logged_in": True, "email": "sam@brand.com", "name": "Sam"}
OPT_IN = {"reveal_without_login": True}


def _today() -> dt.date:
    return team_today()


def fake_answer(today: dt.date) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """The demo's TikTok answer as the fake serves it: posts per ad account, and codes only a lookup finds."""
    posts: dict[str, list[dict[str, Any]]] = {a: [] for a in ACCOUNTS}
    known: dict[str, dict[str, Any]] = {}
    for row in demo_tiktok_read(today).posts.to_dict(orient="records"):
        end = row["auth_end"]
        one = item(
            row["auth_code"],
            row["item_id"],
            row["tiktok_name"],
            None if pd.isna(end) else end.to_pydatetime(),
            status=row["auth_status"],
            post_status=row["post_status"],
        )
        if pd.isna(end):
            one["auth_info"].update(auth_start_time="", auth_end_time="", invite_start_time="")
        if row["held"]:
            posts[row["advertiser_id"]].append(one)
        else:
            known[row["auth_code"]] = one
    return posts, known


def every_code(fake: FakeTikTok) -> list[str]:
    codes = [p["item_info"]["auth_code"] for items in fake.posts.values() for p in items]
    codes += list(fake.known)
    codes += demo_tiktok_read(_today()).posts["auth_code"].dropna().tolist()
    return codes


def expected_with_tiktok() -> pd.DataFrame:
    today = _today()
    frame = normalize(demo_table(today)).frame
    return diagnose(reconcile(frame, demo_tiktok_read(today), None).frame, today)


@pytest.fixture(name="fake")
def fake_fixture(monkeypatch, tmp_path) -> Iterator[FakeTikTok]:
    """The fake TikTok with the demo's answer; only injected settings count; caches empty; the log in tmp."""
    clear_proxies(monkeypatch)
    for name in (TOKEN_ENV, ADVERTISERS_ENV, API_ENV, settings.SHEET_ENV, settings.SOURCE_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "actions.jsonl"))
    posts, known = fake_answer(_today())
    with (
        FakeTikTok(posts=posts, known=known) as server,
        patch_config_options({"secrets.files": [no_settings(tmp_path)]}),
    ):
        st.cache_data.clear()
        st.cache_resource.clear()
        yield server
    st.cache_data.clear()
    st.cache_resource.clear()


def tiktok_secrets(fake: FakeTikTok, token: str = TOKEN, **more: Any) -> dict[str, Any]:
    return {"tiktok": {"access_token": token, "advertiser_ids": ACCOUNTS, "api_base": fake.base, **more}}


def open_with(secrets: dict[str, Any], page: str | None, user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for name, value in secrets.items():
        at.secrets[name] = value
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- reading, reconciling, provenance ----------------------------------------------------------------


def test_the_table_shows_tiktoks_end_dates_and_says_where_each_came_from(fake):
    at = open_with(tiktok_secrets(fake), AUTHORIZATIONS)
    assert not at.warning and not at.error
    table = at.dataframe[0].value
    assert END_DATE_FROM in table.columns
    want = expected_with_tiktok().set_index("row")
    shown = table.set_index("Sheet row")
    for row, line in shown.iterrows():
        assert pd.Timestamp(line["Expires"]) == pd.Timestamp(want.loc[row, "expires"]) or (
            pd.isna(line["Expires"]) and pd.isna(want.loc[row, "expires"])
        )
        source = want.loc[row, "expires_from"]
        said = line[END_DATE_FROM]
        if pd.isna(source):
            assert pd.isna(said)
        else:
            assert said == {"tiktok": "TikTok", "sheet": "the sheet"}[source]
    # The row whose typed date is a week off shows TikTok's, and says so.
    differs = want.loc[want["sheet_expires"].notna() & (want["sheet_expires"] != want["expires"])]
    assert len(differs) >= 1
    assert set(shown.loc[differs.index, END_DATE_FROM]) == {"TikTok"}
    # One read of TikTok: every list page of each account once, then the lookups.
    assert fake.count("list") == len(ACCOUNTS)
    caption = at.main.caption[0].value
    assert "TikTok read at " in caption


def test_one_read_of_tiktok_serves_every_page_and_every_viewer(fake):
    at = open_with(tiktok_secrets(fake), OVERVIEW)
    before = len(fake.calls)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
    other = open_with(tiktok_secrets(fake), AUTHORIZATIONS)
    assert END_DATE_FROM in other.dataframe[0].value.columns
    assert len(fake.calls) == before


def test_this_week_on_the_overview_uses_tiktoks_word(fake):
    today = _today()
    with_tiktok = this_week(expected_with_tiktok(), today)
    sheet_alone = this_week(diagnose(normalize(demo_table(today)).frame, today), today)
    assert sorted(with_tiktok["Sheet row"]) != sorted(sheet_alone["Sheet row"])  # the demo's TikTok changes it
    at = open_with(tiktok_secrets(fake), OVERVIEW)
    (week,) = [d.value for d in at.dataframe if "Act with" in d.value.columns]
    assert sorted(week["Sheet row"]) == sorted(with_tiktok["Sheet row"])


def test_posts_only_ads_manager_has_are_listed_with_codes_masked(fake):
    at = open_with(tiktok_secrets(fake), AUTHORIZATIONS)
    assert "In Ads Manager, not in your sheet" in [h.value for h in at.header]
    (only,) = [d.value for d in at.dataframe if "Ad account" in d.value.columns]
    assert sorted(only["Creator"]) == ["@nova.eats", "@pace.with.pia"]
    extra = demo_tiktok_read(_today()).posts
    extra_codes = extra.loc[extra["tiktok_name"].isin(["nova.eats", "pace.with.pia"]), "auth_code"].tolist()
    assert sorted(only["Code"]) == sorted(mask_code(c) for c in extra_codes)
    page = rendered(at)
    for code in extra_codes:
        assert code not in page


def test_without_tiktok_nothing_changes(fake):
    at = open_with({}, AUTHORIZATIONS)
    assert END_DATE_FROM not in at.dataframe[0].value.columns
    assert "TikTok read at" not in at.main.caption[0].value
    at.switch_page(ACT).run()
    assert "Apply codes and unbind posts in TikTok" not in [h.value for h in at.header]
    assert not fake.calls


def test_the_symptom_picker_says_tiktok_confirms(fake):
    want = expected_with_tiktok()
    row = want.loc[want["tiktok_status"].eq("EXPIRED").fillna(False)].iloc[0]
    at = open_with(tiktok_secrets(fake), TROUBLESHOOTER)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).select("preview_gone").run()
    at.selectbox(key=troubleshooter.KEY_ROW).select(int(row["row"])).run()
    assert not at.exception
    assert "TikTok confirms: the authorization on this post has expired." in texts(at)


# --- TikTok down -------------------------------------------------------------------------------------


def test_tiktok_down_still_shows_the_sheet_with_a_plain_note(fake):
    fake.always.add("server_error")
    at = open_with(tiktok_secrets(fake), AUTHORIZATIONS)
    assert at.dataframe[0].value["Sheet row"].tolist()  # the sheet is there
    assert END_DATE_FROM not in at.dataframe[0].value.columns
    (warning,) = at.warning
    assert warning.value.startswith("TikTok could not be read, so this is what the sheet says alone")
    assert "TikTok's API had a problem on its side (error 500)" in " ".join(texts(at))


def test_with_tiktok_down_nothing_can_be_applied(fake):
    fake.always.add("server_error")
    at = act_as(fake, None, OPT_IN)
    assert act.NOT_READ in [i.value for i in at.info]
    assert "Apply these codes" not in buttons(at) and "Unbind ended posts" not in buttons(at)
    assert not fake.count("authorize") and not fake.count("unbind")


def test_a_failed_read_keeps_tiktoks_last_word_and_says_when_it_was(fake):
    at = open_with(tiktok_secrets(fake), DATA)
    fake.always.add("server_error")
    click(at, "Test TikTok")
    assert at.error[0].value == "TikTok could not be read:"
    at.switch_page(AUTHORIZATIONS).run()
    (warning,) = at.warning
    assert warning.value.startswith("TikTok could not be read just now, so this shows what TikTok said at ")
    assert END_DATE_FROM in at.dataframe[0].value.columns


def test_a_refused_token_is_said_plainly_and_never_shown(fake):
    wrong = "act.WrongT0kenNobodyShouldSee987654"
    at = open_with(tiktok_secrets(fake, token=wrong), DATA)
    assert "TikTok did not accept the access token" in " ".join(texts(at))
    for page in PAGES:
        at.switch_page(page).run()
        assert wrong not in rendered(at)


# --- the Data page -----------------------------------------------------------------------------------


def test_the_data_page_says_how_to_set_tiktok_up_when_it_is_not(fake):
    at = open_with({}, DATA)
    assert "Check against TikTok" in [h.value for h in at.header]
    assert tiktok.NOT_SET_UP in texts(at)
    assert "Test TikTok" not in buttons(at)


def test_the_data_page_tests_tiktok_and_names_the_accounts_and_posts(fake):
    at = open_with(tiktok_secrets(fake), DATA)
    shown = texts(at)
    assert any(t.startswith("Set up: Sparkwatch checks the sheet against 2 TikTok ad accounts: ") for t in shown)
    assert any(t.startswith("Last read at ") for t in shown)
    click(at, "Test TikTok")
    held = {a: len(items) for a, items in fake.posts.items()}
    assert at.success[0].value == (f"TikTok answered: 2 ad accounts, {sum(held.values())} posts in Ads Manager.")
    for account, count in held.items():
        assert f"Ad account {account}: {count} posts" in texts(at)
    # Like Test connection, a second test straight after is held back.
    calls = len(fake.calls)
    click(at, "Test TikTok")
    assert at.error[0].value == "TikTok could not be read:"
    assert any(t.startswith("TikTok was read moments ago; test again in ") for t in texts(at))
    assert len(fake.calls) == calls
    assert TOKEN not in rendered(at)


def test_the_data_page_names_a_tiktok_setting_to_fix(fake):
    at = open_with({"tiktok": {"access_token": TOKEN, "api_base": fake.base}}, DATA)
    assert "The TikTok settings need fixing:" in [e.value for e in at.error]
    assert any(t.startswith("No TikTok ad account is named") for t in texts(at))
    assert not fake.calls


# --- acting from the dashboard -------------------------------------------------------------------------


def act_as(fake: FakeTikTok, user: dict[str, Any] | None, access: dict[str, Any]) -> AppTest:
    secrets = {**tiktok_secrets(fake), "access": access}
    if user is not None:
        secrets["auth"] = AUTH
    return open_with(secrets, ACT, user)


def test_applying_codes_sends_one_request_per_code_and_shows_each_result(fake, tmp_path):
    want = expected_with_tiktok()
    plan = apply_plan(want)
    ready = plan.loc[plan["ready"]]
    assert len(ready) >= 2
    refused = ready["code"].iloc[0]
    fake.authorize_errors[refused] = (4025, "auth_code_expired")
    account = ACCOUNTS[1]

    at = act_as(fake, MAYA, ACCESS)
    assert "Apply these codes" in buttons(at)
    apply_button = next(b for b in at.button if b.label == "Apply these codes")
    assert apply_button.disabled
    at.selectbox(key=act.KEY_ACCOUNT).select(account).run()
    (box,) = [c for c in at.checkbox if c.label.startswith("I want to apply these")]
    assert box.label == f"I want to apply these {len(ready)} codes to ad account {account}"
    box.check().run()
    click(at, "Apply these codes")

    assert sorted(fake.authorized) == sorted((account, c) for c in ready["code"] if c != refused)
    assert fake.count("authorize") == len(ready)
    assert at.warning[0].value == (
        f"Applied {len(ready) - 1} of {len(ready)} codes to ad account {account}; TikTok refused 1."
    )
    lines = texts(at)
    assert any(line.strip().startswith("Authorization expired (4025") for line in lines)
    results = [line for line in lines if line.startswith("Sheet row ")]
    assert len(results) == len(plan)
    for code in plan["code"]:
        assert not any(code in line for line in lines)
    logged = list(read_actions(tmp_path / "actions.jsonl"))
    assert len(logged) == len(ready)
    assert {e.who for e in logged} == {"maya@agency.com"}
    assert {e.code for e in logged} == {mask_code(c) for c in ready["code"]}
    # The confirmation is asked again before another run.
    assert not [c for c in at.checkbox if c.label.startswith("I want to apply these") and c.value]


def test_unbinding_ended_posts_without_login_logs_the_dashboard(fake, tmp_path):
    plan = unbind_plan(expected_with_tiktok())
    assert len(plan)
    at = act_as(fake, None, OPT_IN)
    (box,) = [c for c in at.checkbox if c.label.startswith("I want to unbind these")]
    assert box.label == f"I want to unbind these {len(plan)} posts from their ad accounts"
    assert next(b for b in at.button if b.label == "Unbind ended posts").disabled
    box.check().run()
    click(at, "Unbind ended posts")
    assert sorted(fake.unbound) == sorted(zip(plan["advertiser_id"], plan["item_id"], strict=True))
    assert at.success[0].value.startswith(f"Unbound {len(plan)} of {len(plan)} posts")
    assert {e.who for e in read_actions(tmp_path / "actions.jsonl")} == {"dashboard"}


@pytest.mark.parametrize(
    ("user", "access", "why"),
    [(SAM, ACCESS, act.NOT_ALLOWED), (None, {}, act.NOT_ALLOWED_NO_LOGIN)],
    ids=["not on the reveal list", "no login"],
)
def test_people_off_the_reveal_list_get_no_action_buttons_and_are_told_why(fake, user, access, why):
    at = act_as(fake, user, access)
    assert why in [i.value for i in at.info]
    assert "Apply these codes" not in buttons(at) and "Unbind ended posts" not in buttons(at)
    assert not [c for c in at.checkbox if c.label.startswith("I want to")]
    assert not fake.count("authorize") and not fake.count("unbind")


# --- secrets on every page ---------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "access"), [(MAYA, ACCESS), (SAM, ACCESS)], ids=["reveal list", "not allowed"])
def test_the_token_is_on_no_page_and_whole_codes_only_for_the_reveal_list(fake, user, access):
    at = act_as(fake, user, access)
    codes = every_code(fake)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
        if page == DATA:
            click(at, "Test TikTok")
        page_text = rendered(at)
        assert TOKEN not in page_text
        if user is SAM:
            assert not [c for c in codes if c in page_text or c[1:] in page_text], page
