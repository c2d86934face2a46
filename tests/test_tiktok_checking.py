"""TikTok's reading policy (`lib.tiktok.checking`): a fake clock and a fake read, every decision watched."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.errors import TikTokError
from lib.reading import FAILURE_RETRY_SECONDS
from lib.tiktok.checking import TikTokReads, tiktok_outcome
from lib.tiktok.read import TikTokRead, empty_posts
from lib.tiktok.settings import TikTokConfig

CONFIG = TikTokConfig("tok-en", ("7000000000000000001",))
START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class Reader:
    """Counts reads; fails while `failing` is set."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.calls: list[list[str | None]] = []
        self.failing: str | None = None

    def __call__(self, config: TikTokConfig, codes: list[str | None]) -> TikTokRead:
        self.calls.append(codes)
        if self.failing:
            raise TikTokError(self.failing)
        return TikTokRead(empty_posts(), self.clock(), config.advertiser_ids)


@pytest.fixture
def world():
    clock = Clock()
    return clock, Reader(clock), TikTokReads()


def ask(world, sheet: str, *, force: bool = False, min_seconds: float = 30, config: TikTokConfig = CONFIG):
    clock, reader, store = world
    return tiktok_outcome(
        config, sheet, ["#a"], store=store, clock=clock, reader=reader, force=force, min_seconds=min_seconds
    )


def test_one_read_per_read_of_the_sheet(world):
    clock, reader, _ = world
    first = ask(world, "sheet|1")
    clock.tick(300)
    again = ask(world, "sheet|1")
    assert len(reader.calls) == 1 and again.read is first.read and again.error is None
    ask(world, "sheet|2")
    assert len(reader.calls) == 2


def test_a_new_sheet_read_sooner_than_min_seconds_reuses_the_last_read(world):
    clock, reader, _ = world
    ask(world, "sheet|1")
    clock.tick(10)
    ask(world, "sheet|2")
    assert len(reader.calls) == 1
    clock.tick(30)
    ask(world, "sheet|2")
    assert len(reader.calls) == 2


def test_a_failure_keeps_the_last_good_read_marked_stale_and_is_tried_again_after_a_while(world):
    clock, reader, _ = world
    good = ask(world, "sheet|1").read
    reader.failing = "TikTok's API did not answer in time."
    clock.tick(60)
    failed = ask(world, "sheet|2")
    assert failed.stale and failed.read is good and failed.error == "TikTok's API did not answer in time."
    assert failed.read_at == START
    clock.tick(FAILURE_RETRY_SECONDS - 1)
    ask(world, "sheet|2")
    assert len(reader.calls) == 2  # the failure is reused for a while
    reader.failing = None
    clock.tick(1)
    back = ask(world, "sheet|2")
    assert len(reader.calls) == 3 and not back.stale and back.read is not good


def test_a_forced_read_reads_at_once(world):
    _, reader, _ = world
    ask(world, "sheet|1")
    ask(world, "sheet|1", force=True)
    assert len(reader.calls) == 2


def test_never_read_and_failing_says_why_with_nothing_to_show(world):
    _, reader, _ = world
    reader.failing = "TikTok did not accept the access token."
    result = ask(world, "sheet|1")
    assert result.read is None and result.read_at is None and not result.stale
    assert result.error == "TikTok did not accept the access token."


def test_a_setting_to_fix_is_said_without_reading(world):
    _, reader, _ = world
    result = ask(world, "sheet|1", config=TikTokConfig("tok-en", (), problem="No TikTok ad account is named."))
    assert result.error == "No TikTok ad account is named." and not reader.calls


def test_forget_makes_the_next_run_read_again(world):
    _, reader, store = world
    ask(world, "sheet|1")
    store.forget(CONFIG.fingerprint)
    ask(world, "sheet|1")
    assert len(reader.calls) == 2


def test_the_store_keys_by_the_setup_and_never_holds_the_token_in_a_key(world):
    _, _, store = world
    ask(world, "sheet|1")
    assert store.latest(CONFIG.fingerprint) is not None
    assert "tok-en" not in repr(store._latest)
