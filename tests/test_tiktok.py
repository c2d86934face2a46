"""lib.tiktok: the settings, the HTTP client and the read, against a local fake of TikTok's API."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import pytest

from lib.errors import ErrorKind, TikTokError
from lib.tiktok.api import TikTokApi
from lib.tiktok.read import MAX_LOOKUPS, parse_times, read_tiktok
from lib.tiktok.settings import TIKTOK_API, TikTokConfig, tiktok_settings
from tests.fakes.fake_tiktok import ADVERTISER, OTHER_ADVERTISER, TOKEN, FakeTikTok, item
from tests.fakes.tracking_sheet import code
from tests.fakes.webhook import clear_proxies

END = dt.datetime(2026, 12, 20, 8, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    clear_proxies(monkeypatch)


def api_for(fake: FakeTikTok, *, token: str = TOKEN, **kwargs) -> TikTokApi:
    """The real client pointed at the fake; retries wait for nothing, and record what they would wait."""
    waits: list[float] = kwargs.pop("waits", [])
    return TikTokApi(token, fake.base, sleep=waits.append, **kwargs)


def config_for(fake: FakeTikTok, *advertisers: str, token: str = TOKEN) -> TikTokConfig:
    return TikTokConfig(token, advertisers or (ADVERTISER,), fake.base)


def secrets_never_in(text: str, *codes: str) -> None:
    assert TOKEN not in text
    for c in codes:
        assert c not in text and c[1:] not in text


# --------------------------------------------------------------------------- settings


def test_settings_come_from_the_settings_file_first_then_the_environment():
    environ = {"TIKTOK_ACCESS_TOKEN": "env-token", "TIKTOK_ADVERTISER_IDS": " 1, 2 ,2", "SPARKWATCH_TIKTOK_API": ""}
    from_env = tiktok_settings({}, environ)
    assert from_env == TikTokConfig("x", ("1", "2"), TIKTOK_API, origin="environment")
    assert from_env.access_token == "env-token" and from_env.ready
    written = {"tiktok": {"access_token": "file-token", "advertiser_ids": [7000000000000000001, "7"]}}
    from_file = tiktok_settings(written, environ)
    assert from_file.access_token == "file-token"
    assert from_file.advertiser_ids == ("7000000000000000001", "7")
    assert tiktok_settings({}, {}) is None


def test_the_token_never_shows_in_the_config_repr_or_str():
    config = TikTokConfig(TOKEN, (ADVERTISER,))
    assert TOKEN not in repr(config) and TOKEN not in str(config) and TOKEN not in f"{config}"
    assert TOKEN not in config.fingerprint and len(config.fingerprint) == 16
    assert config.fingerprint != TikTokConfig("other", (ADVERTISER,)).fingerprint


@pytest.mark.parametrize(
    ("secrets", "environ", "says"),
    [
        ({"tiktok": {"advertiser_ids": ["1"]}}, {}, "without an access token"),
        ({"tiktok": {"access_token": "t"}}, {}, "No TikTok ad account"),
        ({"tiktok": {"access_token": "t", "advertiser_ids": ["acct-1"]}}, {}, "not a number"),
        ({"tiktok": {"access_token": "t x", "advertiser_ids": "1"}}, {}, "spaces"),
        ({"tiktok": {"access_token": "t", "advertiser_ids": "1", "api_base": "http://example.com"}}, {}, "https"),
        ({"tiktok": "token"}, {}, "not a table"),
    ],
)
def test_a_mistake_in_the_settings_is_a_plain_problem_not_an_exception(secrets, environ, says):
    config = tiktok_settings(secrets, environ)
    assert config is not None and not config.ready
    assert says in (config.problem or "")


def test_plain_http_is_taken_for_this_machine_only():
    local = tiktok_settings(
        {"tiktok": {"access_token": "t", "advertiser_ids": "1", "api_base": "http://127.0.0.1:9/x/"}}, {}
    )
    assert local.ready and local.api_base == "http://127.0.0.1:9/x"


# --------------------------------------------------------------------------- times


def test_every_time_form_tiktok_writes_is_read_as_utc():
    times = parse_times(
        pd.Series(
            [
                "2026-06-23 07:09:07",
                "2026-06-23T07:09:07Z",
                1782198547,
                "1782198547",
                1782198547000,
                "",
                None,
                "soon",
                0,
            ]
        )
    )
    moment = pd.Timestamp("2026-06-23 07:09:07", tz="UTC")
    assert times.iloc[:5].tolist() == [moment] * 5
    assert times.iloc[5:].isna().all()


# --------------------------------------------------------------------------- reading


def test_every_page_of_every_ad_account_is_read_in_pages_of_50():
    many = [item(code(n), str(7301 + n), f"c{n}", END, form=("plain", "iso", "epoch")[n % 3]) for n in range(120)]
    with FakeTikTok(posts={ADVERTISER: many[:110], OTHER_ADVERTISER: many[110:]}) as fake:
        read = read_tiktok(config_for(fake, ADVERTISER, OTHER_ADVERTISER), api=api_for(fake))
        assert fake.count("list") == 3 + 1
        assert {args["page_size"] for _, _, args in fake.calls} == {"50"}
    assert read.complete and read.errors == ()
    assert len(read.posts) == 120 and read.posts["held"].all()
    assert read.posts["auth_end"].eq(pd.Timestamp(END).tz_convert("UTC").floor("s")).all()
    assert read.posts["advertiser_id"].value_counts().to_dict() == {ADVERTISER: 110, OTHER_ADVERTISER: 10}
    assert set(read.posts["post_status"]) == {"HESITATE_RECOMMEND"}
    assert read.advertiser_ids == (ADVERTISER, OTHER_ADVERTISER)


def test_a_read_is_bounded_and_says_where_it_stopped():
    many = [item(code(n), str(n), "c", END) for n in range(120)]
    with FakeTikTok(posts={ADVERTISER: many}) as fake:
        read = read_tiktok(config_for(fake), api=api_for(fake), max_pages=2)
        assert fake.count("list") == 2
    assert len(read.posts) == 100 and not read.complete
    assert "Stopped reading ad account" in read.errors[0]


def test_the_sheets_other_codes_are_looked_up_one_by_one():
    held, known, unknown, damaged = code(1), code(2), code(3), "#abc"
    with FakeTikTok(
        posts={ADVERTISER: [item(held, "1", end=END)]}, known={known: item(known, "2", "bo", END, form="iso")}
    ) as fake:
        # The sheet spells a code with a space for its + and a trailing zero-width space: still the same code.
        sheet = [held.replace("+", " "), known + "\u200b", unknown, damaged, None, known]
        read = read_tiktok(config_for(fake), sheet, api=api_for(fake))
        assert fake.count("info") == 2
    looked = read.posts.loc[~read.posts["held"]].set_index("auth_code")
    assert looked.loc[known, "item_id"] == "2" and looked.loc[known, "auth_status"] == "AUTHORIZED"
    assert pd.isna(looked.loc[known, "message"])
    assert "40002" in looked.loc[unknown, "message"]
    secrets_never_in(looked.loc[unknown, "message"], unknown)  # TikTok's message quoted the code


def test_lookups_are_bounded():
    codes = [code(n) for n in range(MAX_LOOKUPS + 3)]
    with FakeTikTok(posts={ADVERTISER: []}) as fake:
        read = read_tiktok(config_for(fake), codes, api=api_for(fake), max_lookups=2)
        assert fake.count("info") == 2
    assert "more were not" in read.errors[-1]
    assert read.complete  # the lists were read in full: lookups only add detail


def test_one_ad_account_refused_the_others_still_read():
    with FakeTikTok(posts={ADVERTISER: [item(code(1), "1")]}) as fake:
        read = read_tiktok(config_for(fake, OTHER_ADVERTISER, ADVERTISER), api=api_for(fake))
    assert len(read.posts) == 1 and not read.complete
    assert OTHER_ADVERTISER in read.errors[0] and "40001" in read.errors[0]


def test_too_many_requests_then_success_waits_and_retries():
    waits: list[float] = []
    with FakeTikTok(posts={ADVERTISER: [item(code(1), "1")]}) as fake:
        fake.fault("list", "rate_limited", times=2)
        read = read_tiktok(config_for(fake), api=api_for(fake, waits=waits))
        assert fake.count("list") == 3
    assert len(read.posts) == 1
    assert waits == [1.0, 2.0]


def test_too_many_requests_for_good_gives_up_after_a_bounded_number_of_retries(caplog):
    waits: list[float] = []
    caplog.set_level(logging.DEBUG)
    with FakeTikTok(posts={ADVERTISER: []}, always={"rate_limited"}) as fake:
        with pytest.raises(TikTokError) as raised:
            read_tiktok(config_for(fake), api=api_for(fake, waits=waits))
        assert fake.count("list") == 4
    assert raised.value.kind == ErrorKind.RATE_LIMITED
    assert waits == [1.0, 2.0, 4.0]
    secrets_never_in(str(raised.value) + caplog.text)


def test_retries_stop_when_the_budget_would_run_out():
    waits: list[float] = []
    now = [0.0]
    with FakeTikTok(posts={ADVERTISER: []}, always={"rate_limited"}) as fake:
        api = api_for(fake, waits=waits, budget=2.5, clock=lambda: now[0])
        api.sleep = lambda s: (waits.append(s), now.__setitem__(0, now[0] + s))
        with pytest.raises(TikTokError, match="too many requests"):
            read_tiktok(config_for(fake), api=api)
    assert waits == [1.0]  # 1 s waited; the next 2 s would pass the 2.5 s budget


def test_a_refused_token_is_a_plain_sentence_without_the_token(caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "act.WrongToken999"
    with FakeTikTok(posts={ADVERTISER: []}) as fake, pytest.raises(TikTokError) as raised:
        read_tiktok(config_for(fake, token=wrong), api=api_for(fake, token=wrong))
    assert raised.value.kind == ErrorKind.TOKEN_REJECTED
    assert "did not accept the access token" in str(raised.value)
    assert wrong not in str(raised.value) and wrong not in caplog.text


@pytest.mark.parametrize(
    ("fault", "kind"),
    [("server_error", ErrorKind.SERVER_ERROR), ("not_json", ErrorKind.BAD_RESPONSE), ("hang", ErrorKind.TIMEOUT)],
)
def test_tiktok_down_or_hanging_is_a_plain_error(fault, kind, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeTikTok(posts={ADVERTISER: []}, always={fault}) as fake, pytest.raises(TikTokError) as raised:
        read_tiktok(config_for(fake), [code(1)], api=api_for(fake, timeout=0.5))
    assert raised.value.kind == kind
    secrets_never_in(str(raised.value) + caplog.text, code(1))


def test_a_hang_on_a_lookup_keeps_the_lists_already_read():
    with FakeTikTok(posts={ADVERTISER: [item(code(1), "1")]}) as fake:
        fake.fault("info", "hang")
        read = read_tiktok(config_for(fake), [code(2)], api=api_for(fake, timeout=0.5))
    assert len(read.posts) == 1 and read.complete
    assert "did not answer in time" in read.errors[0]


def test_the_whole_read_shares_one_budget():
    """Each request is quick, but a budget of ~0 leaves no time for even one: a timeout, not a wait."""
    with FakeTikTok(posts={ADVERTISER: []}) as fake, pytest.raises(TikTokError) as raised:
        read_tiktok(config_for(fake), api=api_for(fake, budget=0))
    assert raised.value.kind == ErrorKind.TIMEOUT


def test_an_answer_in_an_unknown_shape_is_said_plainly():
    with FakeTikTok(posts={ADVERTISER: []}) as fake:
        fake.answer = lambda *a: (200, {"code": 0, "data": {"list": "nope"}})  # type: ignore[method-assign]
        with pytest.raises(TikTokError) as raised:
            read_tiktok(config_for(fake), api=api_for(fake))
    assert raised.value.kind == ErrorKind.UNEXPECTED_ANSWER


def test_the_client_repr_and_the_read_repr_hold_no_secret():
    with FakeTikTok(posts={ADVERTISER: [item(code(1), "1")]}) as fake:
        api = api_for(fake)
        read = read_tiktok(config_for(fake), api=api)
    secrets_never_in(repr(api) + repr(read), code(1))


def test_lookups_never_log_a_whole_code_nor_the_token(caplog):
    """urllib3 logs each URL at DEBUG; a lookup's URL holds the code, so its query is dropped."""
    caplog.set_level(logging.DEBUG)
    with FakeTikTok(posts={ADVERTISER: []}, known={code(4): item(code(4), "4")}) as fake:
        read_tiktok(config_for(fake), [code(4), code(5)], api=api_for(fake))
    assert "/tt_video/info/" in caplog.text
    secrets_never_in(caplog.text, code(4), code(5))
