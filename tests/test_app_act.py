"""The Act now page in the real app (AppTest): calendar file, creator messages, Ads Manager batches."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from app_helpers import (
    ACT,
    APP,
    DEMO_BATCH_ACCOUNT,
    DEMO_BATCH_CODES,
    DEMO_BATCH_MASKED,
    TIMEOUT,
    assert_clean,
    assert_shown_literally,
    clear_read_cache,
    expected,
    hostile_table,
    no_settings,
    open_app,
    page_notes,
    sidebar_filter,
)
from icalendar import Calendar
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from lib.batches import batches, to_apply
from lib.clock import team_today
from lib.demo import demo_table
from lib.filters import Filters, apply_filters
from lib.messages import creator_messages
from lib.reminders import DEFAULT_DAYS, DEFAULT_REMIND_DAYS, due
from lib.vocab import ADS_MANAGER_BATCH_LIMIT
from ui import access, act

SECTIONS = ["Calendar reminders", "Messages to creators", "Codes to add in Ads Manager"]

LOGIN = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}}
ACCESS = {"allowed": ["@agency.com"], "reveal_codes": ["lead@agency.com"]}


@pytest.fixture
def served(monkeypatch) -> dict[str, tuple[bytes, str, str]]:
    """What each download button serves: file id (as in the button's URL) → bytes, file name, type."""
    files: dict[str, tuple[bytes, str, str]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (path_or_data, filename, mimetype)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


@pytest.fixture
def no_secrets_file(tmp_path):
    """No secrets.toml anywhere Streamlit looks, whatever the machine running the tests has."""
    with patch_config_options({"secrets.files": [no_settings(tmp_path)]}):
        yield


def download(at, served: dict[str, tuple[bytes, str, str]]) -> bytes:
    """The bytes behind the page's one download button, checked for name and type."""
    (button,) = at.download_button
    assert not button.proto.disabled
    file_id = re.search(r"([0-9a-f]{20,})\.", button.proto.url).group(1)
    data, name, mime = served[file_id]
    assert (name, mime) == (f"sparkwatch-reminders-{team_today().isoformat()}.ics", "text/calendar")
    return data


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def section_texts(at) -> list[str]:
    return [t.value for t in at.main.text]


def codes_shown(at) -> list[str]:
    return [c.value for c in at.main.code]


def test_the_page_has_its_three_sections_on_the_demo(demo_page):
    at = demo_page(ACT)
    assert [t.value for t in at.title] == ["Act now"]
    assert [s.value for s in at.main.header] == SECTIONS
    diagnosed = expected()
    ending = len(due(diagnosed, DEFAULT_DAYS))
    assert f"{ending} authorizations of the rows shown end in the next {DEFAULT_DAYS} days." in section_texts(at)
    assert at.download_button[0].label == "Download calendar file (.ics)"


def triggers(parsed: list, remind_days: int, made_after: dt.datetime) -> None:
    """Each alarm: the usual 'N days before, 9:00' when that still lies ahead, else never before the file was made."""
    zone = made_after.astimezone().tzinfo
    for event in parsed:
        ends = event.decoded("dtstart")
        trigger = event.walk("VALARM")[0].decoded("trigger")
        usual = dt.datetime.combine(ends - dt.timedelta(days=remind_days), dt.time(9), tzinfo=zone)
        if usual >= dt.datetime.now(zone):
            assert trigger == -dt.timedelta(days=remind_days) + dt.timedelta(hours=9)
        else:
            at = trigger if isinstance(trigger, dt.datetime) else dt.datetime.combine(ends, dt.time(), zone) + trigger
            assert at >= made_after, (ends, trigger)


def test_calendar_file_holds_the_rows_shown_and_follows_the_inputs(served, no_secrets_file):
    made_after = dt.datetime.now().astimezone().replace(microsecond=0)
    at = open_app(ACT)
    diagnosed = expected()
    parsed = events(download(at, served))
    assert len(parsed) == len(due(diagnosed, DEFAULT_DAYS)) > 2
    triggers(parsed, DEFAULT_REMIND_DAYS, made_after)

    at.number_input(key=act.KEY_DAYS).set_value(7).run()
    at.number_input(key=act.KEY_REMIND).set_value(2).run()
    assert_clean(at)
    parsed = events(download(at, served))
    assert len(parsed) == len(due(diagnosed, 7)) < len(due(diagnosed, DEFAULT_DAYS))
    triggers(parsed, 2, made_after)

    # For Google Calendar: each reminder also as an event of its own.
    at.checkbox(key=act.KEY_EVENTS).check().run()
    assert_clean(at)
    both = events(download(at, served))
    assert len(both) == 2 * len(parsed)
    assert sum(str(e["uid"]).endswith("-reminder@sparkwatch") for e in both) == len(parsed)
    at.checkbox(key=act.KEY_EVENTS).uncheck().run()

    # Filtered as on screen: one campaign's events only, and the same UIDs as before for those rows.
    at.number_input(key=act.KEY_DAYS).set_value(DEFAULT_DAYS).run()
    campaign = due(diagnosed, DEFAULT_DAYS)["campaign"].dropna().iloc[0]
    sidebar_filter(at, "campaign").select(campaign).run()
    assert_clean(at)
    filtered = apply_filters(diagnosed, Filters(campaign=(campaign,)))
    parsed = events(download(at, served))
    assert len(parsed) == len(due(filtered, DEFAULT_DAYS)) >= 1
    assert all(campaign in str(e["summary"]) for e in parsed)
    every_code = set(diagnosed["code"].dropna())
    text = download(at, served).decode()
    assert not any(code in text for code in every_code)


def test_nothing_due_says_so_and_offers_no_file(no_secrets_file):
    at = open_app(ACT)
    sidebar_filter(at, "health").select("expired").run()
    assert_clean(at)
    assert any("nothing to remind" in i.value for i in at.main.info)
    assert at.download_button[0].proto.disabled


def test_one_message_per_creator_with_a_picker_and_a_signature(no_secrets_file):
    at = open_app(ACT)
    today = team_today()
    wanted = creator_messages(expected(), today)
    shown = codes_shown(at)
    messages = shown[: len(wanted)]
    assert messages == wanted["message"].tolist()
    assert {c.language for c in at.main.code} == {"plaintext"}  # language=None: plain text, not highlighted

    creator = wanted["creator"].iloc[1]
    at.selectbox(key=act.KEY_CREATOR).select(creator).run()
    assert_clean(at)
    messages = [m for m in codes_shown(at) if m.startswith("Hi ")]
    assert messages == wanted.loc[wanted["creator"] == creator, "message"].tolist()

    at.text_input(key=act.KEY_SENDER).input("Maya, Stride Athletics").run()
    (message,) = [m for m in codes_shown(at) if m.startswith("Hi ")]
    assert (
        message
        == creator_messages(expected(), today, "Maya, Stride Athletics").set_index("creator").loc[creator, "message"]
    )
    assert message.endswith("\nMaya, Stride Athletics")


def test_messages_follow_the_sidebar_filters(no_secrets_file):
    at = open_app(ACT)
    campaign = "Run Club"
    sidebar_filter(at, "campaign").select(campaign).run()
    assert_clean(at)
    wanted = creator_messages(apply_filters(expected(), Filters(campaign=(campaign,))), team_today())
    assert [m for m in codes_shown(at) if m.startswith("Hi ")] == wanted["message"].tolist()
    assert len(wanted) < len(creator_messages(expected(), team_today()))


def test_batches_show_masked_codes_when_no_login_is_configured(demo_page):
    """Secure default: an open link never shows whole codes (see test_app_access for the opt-in)."""
    at = demo_page(ACT)
    assert codes_shown(at)[-1] == "\n".join(DEMO_BATCH_MASKED)
    assert set(to_apply(expected())["code"]) == set(DEMO_BATCH_CODES)
    page = "\n".join(codes_shown(at) + section_texts(at))
    assert not [code for code in DEMO_BATCH_CODES if code in page]
    assert page_notes(at) == [access.NO_LOGIN_MASKED]
    heading = [t for t in section_texts(at) if t.startswith(DEMO_BATCH_ACCOUNT)]
    assert heading == ["STRIDE-EU-02 · 3 codes (sheet rows 18, 19, 20) from @kai.cooks, @hana.home, @felix.films"]


@pytest.mark.parametrize(
    ("email", "whole"),
    [("lead@agency.com", True), ("maya@agency.com", False), ("LEAD@Agency.com", True)],
)
def test_with_a_login_only_the_reveal_list_sees_whole_codes(email, whole):
    at = open_app_as(email)
    page = "\n".join(codes_shown(at) + section_texts(at))
    assert all((code in page) == whole for code in DEMO_BATCH_CODES)
    assert codes_shown(at)[-1] == "\n".join(DEMO_BATCH_CODES if whole else DEMO_BATCH_MASKED)
    assert any(act.WHO_SEES_CODES in i.value for i in at.main.info) == (not whole)


def open_app_as(email: str):
    """The app with a login configured and this person signed in (AppTest seeds st.user)."""
    clear_read_cache()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets = {**LOGIN, "access": ACCESS}
    at.user = {"email": email, "is_logged_in": True}
    at.run()
    assert_clean(at)
    at.switch_page(ACT).run()
    assert_clean(at)
    return at


def big_sheet(today=None) -> list[list[str]]:
    """The demo sheet plus 45 received codes for one ad account and 3 for another."""
    header, *rows = demo_table(today)
    template = next(r for r in rows if r[header.index("Status")] == "received")
    post, code, account = (header.index(h) for h in ("Post URL", "Spark code", "Ad account"))
    extra = []
    for n in range(48):
        row = list(template)
        row[post] = f"https://www.tiktok.com/@kai.cooks/video/79{n:017d}"
        row[code] = f"#Batch{n:02d}" + ("Abcdefghijklmnopqrstuvwxyz0123456789" * 2)[:56] + "="
        row[account] = "BIG-ACCOUNT" if n < 45 else "SMALL-ACCOUNT"
        extra.append(row)
    return [header, *rows, *extra]


def test_batches_never_hold_more_than_the_ads_manager_limit(monkeypatch, no_secrets_file):
    """Whole codes (opted in without login), so the check below sees that no code is in two batches."""
    demo = sorted(len(c.splitlines()) for c in batches(expected(), reveal_codes=True)["codes"])
    monkeypatch.setattr("lib.demo.demo_table", big_sheet)
    clear_read_cache()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["access"] = {"reveal_without_login": True}
    at.run()
    at.switch_page(ACT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.main.warning] == [access.OPEN_REVEAL_WARNING]
    blocks = [c.splitlines() for c in codes_shown(at) if c.startswith("#")]
    sizes = sorted(len(b) for b in blocks)
    assert max(sizes) == ADS_MANAGER_BATCH_LIMIT
    assert sizes == sorted([20, 20, 5, 3, *demo])  # BIG: 20+20+5, SMALL: 3, and the demo's own
    big = [t for t in section_texts(at) if t.startswith("BIG-ACCOUNT")]
    assert [t.split(" · ")[1] for t in big] == ["batch 1 of 3", "batch 2 of 3", "batch 3 of 3"]
    assert sum(len(b) for b in blocks) == len({c for b in blocks for c in b})


def test_html_in_a_creator_cell_shows_literally(monkeypatch, no_secrets_file):
    monkeypatch.setattr("lib.demo.demo_table", hostile_table)
    at = open_app(ACT)
    assert_shown_literally(at, section_texts(at) + codes_shown(at))
