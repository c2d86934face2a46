"""Login, allowlist and code reveal in the real app (AppTest with an injected user).

With `[auth]` in the secrets, every page asks for login first; only the allowlist gets in
(with an address the login provider verified); only the reveal list sees whole codes. Without
login nobody sees whole codes unless the admin opts in, and then the page warns. A settings
file that can't be read locks the app.
"""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import (
    ACT,
    APP,
    AUTHORIZATIONS,
    DATA,
    DEMO_BATCH_CODES,
    DEMO_BATCH_MASKED,
    PAGES,
    TIMEOUT,
    clear_read_cache,
    expected,
    no_settings,
    page_notes,
    rendered,
)
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from ui import access, act, app_settings, authorizations

SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret",
        "client_id": "test-client",
        "client_secret": "test-client-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
    "access": {"allowed": ["maya@agency.com", "@brand.com"], "reveal_codes": ["maya@agency.com"]},
}
MAYA = {"is_logged_in": True, "email": "maya@agency.com", "name": "Maya"}
SAM = {"is_logged_in": True, "email": "sam@brand.com", "name": "Sam"}
EVE = {"is_logged_in": True, "email": "eve@elsewhere.com", "name": "Eve"}
NOBODY = {"is_logged_in": False}
OPT_IN = {"access": {"reveal_without_login": True}}


@pytest.fixture(autouse=True)
def _no_secrets_file(tmp_path):
    """Only the secrets a test injects count, never a developer's own secrets.toml."""
    with patch_config_options({"secrets.files": [no_settings(tmp_path)]}):
        yield


def open_as(user: dict[str, Any] | None, secrets: dict[str, Any], page: str | None = None) -> AppTest:
    clear_read_cache()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for name, value in secrets.items():
        at.secrets[name] = value
    if user is not None:
        at.user = user
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_no_data(at: AppTest) -> None:
    """Nothing of the sheet reached the page: no table, number, chart or creator handle."""
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    page = rendered(at)
    for creator in expected()["creator"].dropna().unique():
        assert creator not in page


def test_without_auth_the_sidebar_says_the_link_is_open():
    at = open_as(None, {})
    assert access.OPEN_LINK_NOTE in [c.value for c in at.sidebar.caption]
    assert at.metric  # the data is there


@pytest.mark.parametrize("page", PAGES)
def test_logged_out_viewers_see_only_a_login_button_on_every_page(page):
    at = open_as(NOBODY, SECRETS, page)
    assert [b.label for b in at.button] == ["Log in"]
    assert_no_data(at)


@pytest.mark.parametrize("page", PAGES)
def test_people_outside_the_allowlist_get_a_polite_refusal_and_no_data(page):
    at = open_as(EVE, SECRETS, page)
    assert "only open to the team" in at.error[0].value
    assert any("eve@elsewhere.com" in t.value for t in at.text)
    assert [b.label for b in at.button] == ["Log out"]
    assert_no_data(at)


def test_a_domain_on_the_allowlist_gets_in_but_codes_stay_masked():
    at = open_as(SAM, SECRETS, AUTHORIZATIONS)
    assert at.dataframe
    assert any(t.value == "Signed in as sam@brand.com" for t in at.sidebar.text)
    assert not [s for s in at.selectbox if s.key == authorizations.KEY_REVEAL]
    assert any("Codes stay masked for you" in c.value for c in at.main.caption)
    page = rendered(at)
    assert not [code for code in expected()["code"].dropna() if code in page]


def test_the_reveal_list_may_reveal_one_code():
    at = open_as(MAYA, SECRETS, AUTHORIZATIONS)
    diagnosed = expected()
    row = int(diagnosed.loc[diagnosed["code"].notna(), "row"].iloc[0])
    at.selectbox(key=authorizations.KEY_REVEAL).select(row).run()
    next(b for b in at.main.button if b.label == "Reveal this code").click().run()
    assert [c.value for c in at.code] == [diagnosed.loc[diagnosed["row"] == row, "code"].iloc[0]]


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("secrets.toml", "[auth\nredirect_uri = 'x'", "is not valid TOML (line 1)"),
        ("secrets.toml", "[Auth]\nclient_id = 'x'\n", "has [Auth] on line 1"),
        ("secrets.toml", "[sheet]\nurl = 'x'\n[sheet.auth]\nclient_id = 'x'\n", "puts [auth] inside [sheet]"),
        ("secrets.toml", "[access]\nallowed = ['maya@agency.com']\n", "but there is no [auth] section"),
        ("secrets.toml", "[auth]\nclient_id = 'x'\n[access]\nallowed = 5\n", "sets allowed on line 4"),
        ("sparkwatch", "[auth]\nclient_id = 'x'\n", "does not end in .toml"),
    ],
)
def test_a_settings_file_the_app_would_misread_locks_it_naming_the_line(tmp_path, name, text, says):
    """Each of these once left the dashboard open to anyone with the link."""
    path = tmp_path / "admin" / name
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with patch_config_options({"secrets.files": [str(path)]}):
        for page in (None, AUTHORIZATIONS, ACT):
            at = open_as(None, {}, page)
            (error,) = [e.value for e in at.error]
            assert says in error and error.endswith("Until it is fixed, the app stays locked.")
            assert_no_data(at)


def test_a_settings_file_that_is_a_broken_link_or_missing_locks_the_app(tmp_path):
    link = tmp_path / "admin" / "secrets.toml"
    link.parent.mkdir()
    link.symlink_to(tmp_path / "admin" / "gone.toml")
    for path, says in ((link, "is a link to a file that is not there"), (tmp_path / "x.toml", "is not there")):
        with patch_config_options({"secrets.files": [str(path)]}):
            at = open_as(None, {})
            assert any(says in e.value for e in at.error)
            assert_no_data(at)


def test_a_settings_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    """Windows Notepad adds one; Streamlit alone refused the file as 'not valid TOML'."""
    path = tmp_path / "admin" / "secrets.toml"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf[app]\ntimezone = 'Pacific/Kiritimati'\n")
    with patch_config_options({"secrets.files": [str(path)]}):
        at = open_as(None, {}, DATA)
        assert not at.error
        assert any(t.value == "Time zone for 'today': Pacific/Kiritimati" for t in at.text)
    path.write_bytes(b"\xef\xbb\xbf[auth]\nclient_id = 'x'\n")
    with patch_config_options({"secrets.files": [str(path)]}):
        at = open_as(None, {})
        assert [e.value for e in at.error] == [app_settings.BOM_LOGIN]
        assert_no_data(at)


def test_the_teams_time_zone_setting_decides_today_and_a_bad_one_is_explained():
    at = open_as(None, {"app": {"timezone": "Mars/Olympus"}}, DATA)
    assert any("Unknown time zone 'Mars/Olympus'" in t.value for t in at.text)
    at = open_as(None, {"app": {"timezone": "Pacific/Kiritimati"}}, DATA)
    assert any(t.value == "Time zone for 'today': Pacific/Kiritimati" for t in at.text)
    assert not at.warning


def whole_codes_on(at: AppTest) -> list[str]:
    """The demo's whole codes that appear anywhere on the page."""
    page = rendered(at)
    return [code for code in expected()["code"].dropna().unique() if code in page]


def test_without_login_act_now_batches_show_no_whole_code_and_say_why():
    at = open_as(None, {}, ACT)
    assert [c.value for c in at.main.code][-1] == "\n".join(DEMO_BATCH_MASKED)
    assert not whole_codes_on(at)
    assert page_notes(at) == [access.NO_LOGIN_MASKED]
    assert not at.warning


def test_without_login_the_reveal_box_is_not_offered():
    at = open_as(None, {"access": {"reveal_codes": ["maya@agency.com"]}}, AUTHORIZATIONS)
    assert not [s for s in at.selectbox if s.key == authorizations.KEY_REVEAL]
    assert access.NO_LOGIN_MASKED in [c.value for c in at.main.caption]
    assert not whole_codes_on(at)


@pytest.mark.parametrize("written", ["true", 1, "yes"])
def test_an_opt_in_that_is_not_a_toml_boolean_keeps_codes_masked(written):
    at = open_as(None, {"access": {"reveal_without_login": written}}, ACT)
    assert not whole_codes_on(at)
    assert not at.warning


def test_opted_in_without_login_act_now_shows_whole_codes_under_a_warning():
    at = open_as(None, OPT_IN, ACT)
    assert [c.value for c in at.main.code][-1] == "\n".join(DEMO_BATCH_CODES)
    assert [w.value for w in at.main.warning] == [access.OPEN_REVEAL_WARNING]
    assert access.OPEN_REVEAL_WARNING.startswith("Anyone who opens this app can see whole codes: ")
    assert not any(act.WHO_SEES_CODES in i.value or i.value == access.NO_LOGIN_MASKED for i in at.main.info)


def test_opted_in_without_login_the_reveal_box_shows_a_whole_code_under_a_warning():
    at = open_as(None, OPT_IN, AUTHORIZATIONS)
    assert [w.value for w in at.main.warning] == [access.OPEN_REVEAL_WARNING]
    diagnosed = expected()
    row = int(diagnosed.loc[diagnosed["code"].notna(), "row"].iloc[0])
    at.selectbox(key=authorizations.KEY_REVEAL).select(row).run()
    next(b for b in at.main.button if b.label == "Reveal this code").click().run()
    assert [c.value for c in at.code] == [diagnosed.loc[diagnosed["row"] == row, "code"].iloc[0]]


def test_the_opt_in_does_not_open_codes_once_a_login_is_configured():
    secrets = {**SECRETS, "access": {**SECRETS["access"], "reveal_without_login": True}}
    at = open_as(SAM, secrets, ACT)
    assert not whole_codes_on(at)
    assert not at.warning


@pytest.mark.parametrize("verified", [False, "false", 0])
@pytest.mark.parametrize("page", [AUTHORIZATIONS, ACT])
def test_an_unverified_email_on_both_lists_is_refused_and_sees_no_code(verified, page):
    at = open_as({**MAYA, "email_verified": verified}, SECRETS, page)
    assert "only open to the team" in at.error[0].value
    assert any("maya@agency.com" in t.value and access.UNVERIFIED in t.value for t in at.text)
    assert [b.label for b in at.button] == ["Log out"]
    assert_no_data(at)
    assert not whole_codes_on(at)
    assert not [s for s in at.selectbox if s.key == authorizations.KEY_REVEAL]


@pytest.mark.parametrize("verified", [True, "true"])
def test_a_verified_email_on_the_reveal_list_still_reveals(verified):
    at = open_as({**MAYA, "email_verified": verified}, SECRETS, ACT)
    assert [c.value for c in at.main.code][-1] == "\n".join(DEMO_BATCH_CODES)
    assert not at.warning
