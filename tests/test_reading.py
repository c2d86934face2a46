"""The reading policy (lib.reading) with a fake clock and a fake source: when a read is reused,
when the source is read again, and what a failure shows — no Streamlit, no waiting."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from lib import reading, settings
from lib.errors import SourceError
from lib.normalize import RawTable
from lib.reading import FAILURE_RETRY_SECONDS, GoodReads, MemoryAttempts, read_outcome
from lib.sources import open_source

TODAY = dt.date(2026, 11, 22)
START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
ROWS: RawTable = [["Creator", "Expires"], ["@nia", "2026-12-01"], ["@tom", "2026-12-05"]]


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class FakeSource:
    """A source that counts its reads and fails while `failure` is set."""

    kind = "google_sheet"

    def __init__(self, rows: RawTable = ROWS, problem: str | None = None) -> None:
        self.rows = rows
        self.problem = problem
        self.failure: SourceError | None = None
        self.reads = 0

    def read(self, today: dt.date | None = None) -> RawTable:
        self.reads += 1
        if self.failure is not None:
            raise self.failure
        return self.rows

    def label(self, title: str = "") -> str:
        return f"Fake: {title or 'untitled'}"

    def describe(self) -> str:
        return "A fake sheet."

    def setup_problem(self) -> str | None:
        return self.problem

    def title(self) -> str:
        return "Tracker 2026"

    def locale(self) -> str:
        return ""


class Policy:
    """One app's worth of caches around a fake source and clock."""

    def __init__(self, source: FakeSource, cache_ttl: float = 300) -> None:
        self.source = source
        self.clock = FakeClock()
        self.attempts = MemoryAttempts()
        self.good = GoodReads()
        self.in_flight = reading.InFlight()
        self.cache_ttl = cache_ttl

    def outcome(self, *, force: bool = False, source_id: str = "fake|1") -> reading.Outcome:
        return read_outcome(
            self.source,
            source_id,
            TODAY,
            cache_ttl=self.cache_ttl,
            clock=self.clock,
            attempts=self.attempts,
            good_reads=self.good,
            in_flight=self.in_flight,
            force=force,
        )


@pytest.fixture
def policy() -> Policy:
    return Policy(FakeSource())


def test_a_fresh_read_is_normalised_and_stamped_with_the_clocks_time(policy):
    outcome = policy.outcome()
    assert policy.source.reads == 1
    assert outcome.loaded is not None and not outcome.stale and outcome.error is None
    assert outcome.loaded.normalized.frame["creator"].tolist() == ["@nia", "@tom"]
    assert outcome.loaded.loaded_at == START
    assert outcome.label == "Fake: Tracker 2026"


def test_within_the_cache_time_the_read_is_reused(policy):
    first = policy.outcome()
    policy.clock.advance(policy.cache_ttl - 1)
    again = policy.outcome()
    assert policy.source.reads == 1
    assert again.loaded is first.loaded


def test_once_the_cache_time_is_over_the_source_is_read_again(policy):
    policy.outcome()
    policy.clock.advance(policy.cache_ttl)
    outcome = policy.outcome()
    assert policy.source.reads == 2
    assert outcome.loaded is not None and outcome.loaded.loaded_at == START + dt.timedelta(seconds=policy.cache_ttl)


def test_the_cache_minutes_setting_is_the_time_a_read_lasts():
    config = settings.parse({"sheet": {"url": "demo", "cache_minutes": 1}}, {})
    policy = Policy(FakeSource(), cache_ttl=config.cache_ttl)
    policy.outcome()
    policy.clock.advance(30)
    policy.outcome()
    assert policy.source.reads == 1
    policy.clock.advance(31)
    policy.outcome()
    assert policy.source.reads == 2


def test_a_forced_read_reads_at_once(policy):
    policy.outcome()
    policy.outcome(force=True)
    assert policy.source.reads == 2


def test_a_failure_falls_back_to_the_last_good_read_marked_stale(policy):
    good = policy.outcome()
    policy.source.failure = SourceError("Google Sheets had a problem on its side (error 500).", kind="server_error")
    policy.clock.advance(policy.cache_ttl)
    outcome = policy.outcome()
    assert policy.source.reads == 2
    assert outcome.stale
    assert outcome.loaded is good.loaded
    assert (outcome.error, outcome.error_kind) == (
        "Google Sheets had a problem on its side (error 500).",
        "server_error",
    )
    assert outcome.label == "Fake: Tracker 2026"


def test_a_failure_without_an_earlier_good_read_shows_no_data(policy):
    policy.source.failure = SourceError("No spreadsheet was found.", kind="not_found")
    outcome = policy.outcome()
    assert outcome.loaded is None and not outcome.stale
    assert outcome.error_kind == "not_found"


def test_stale_data_is_only_ever_the_same_sources(policy):
    policy.outcome(source_id="fake|1")
    policy.source.failure = SourceError("gone", kind="not_found")
    other = policy.outcome(source_id="fake|2")
    assert other.loaded is None and other.error == "gone"


def test_a_failure_is_kept_at_most_a_minute_then_tried_again(policy):
    policy.source.failure = SourceError("hang", kind="timeout")
    policy.outcome()
    policy.clock.advance(FAILURE_RETRY_SECONDS - 1)
    policy.outcome()
    assert policy.source.reads == 1  # not on every click
    policy.source.failure = None
    policy.clock.advance(1)
    outcome = policy.outcome()
    assert policy.source.reads == 2
    assert outcome.loaded is not None and not outcome.stale


def test_a_failure_lasts_no_longer_than_a_short_cache_time():
    policy = Policy(FakeSource(), cache_ttl=10)
    policy.source.failure = SourceError("hang", kind="timeout")
    policy.outcome()
    policy.clock.advance(10)
    policy.outcome()
    assert policy.source.reads == 2


def test_a_setup_problem_is_reported_without_reading():
    policy = Policy(FakeSource(problem="The settings need a key."))
    outcome = policy.outcome()
    assert policy.source.reads == 0
    assert (outcome.error, outcome.error_kind, outcome.loaded) == ("The settings need a key.", "settings", None)


def test_the_demo_through_the_real_factory():
    source = open_source(settings.parse({}, {}))
    policy = Policy(FakeSource())
    outcome = read_outcome(
        source,
        "demo",
        TODAY,
        cache_ttl=300,
        clock=policy.clock,
        attempts=policy.attempts,
        good_reads=policy.good,
    )
    assert outcome.kind == "demo" and outcome.label == source.label()
    assert outcome.loaded is not None and len(outcome.loaded.normalized.frame) > 0


def test_the_stores_are_bounded():
    good = GoodReads(max_entries=2)
    loaded = reading.Loaded(Policy(FakeSource()).outcome().loaded.normalized, START)
    for name in ("a", "b", "c"):
        good.put(name, loaded, "")
    assert good.get("a") is None and good.get("c") is not None

    attempts = MemoryAttempts(max_entries=2)
    for name in ("a", "b", "c"):
        attempts.get(name, TODAY, lambda: reading.Attempt(START))
    calls = []
    attempts.get("a", TODAY, lambda: calls.append(1) or reading.Attempt(START))
    assert calls == [1]


class SlowSource(FakeSource):
    """A source whose reads wait for `go` after the first read (a slow Google), to watch others meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()

    def read(self, today: dt.date | None = None) -> RawTable:
        if self.reads:
            self.go.wait(30)
        return super().read(today)


def test_while_the_source_is_read_again_everyone_else_sees_the_last_good_read_at_once():
    """One viewer's Refresh must not make every other viewer wait behind it (nor empty their screen)."""
    policy = Policy(SlowSource())
    first = policy.outcome()
    refresher = threading.Thread(target=policy.outcome, kwargs={"force": True})
    refresher.start()
    deadline = time.monotonic() + 10
    while not policy.in_flight.busy("fake|1") and time.monotonic() < deadline:
        time.sleep(0.01)
    other = policy.outcome()
    assert other.refreshing and other.loaded is first.loaded and other.error is None
    assert policy.source.reads == 1  # the refresh is still waiting on Google; the other viewer read nothing
    policy.source.go.set()
    refresher.join(10)
    after = policy.outcome()
    assert not after.refreshing and after.loaded is not None and after.loaded is not first.loaded
    assert policy.source.reads == 2
    assert not policy.in_flight.busy("fake|1")


def test_a_read_that_fails_still_lets_others_read_again_later():
    policy = Policy(FakeSource())
    policy.source.failure = SourceError("Google Sheets did not answer in time.", kind="timeout")
    policy.outcome()
    assert not policy.in_flight.busy("fake|1")


def test_the_throttle_allows_one_go_per_key_per_interval():
    throttle = reading.Throttle(seconds=30)
    assert throttle.take("sheet", START) == 0
    assert throttle.take("sheet", START + dt.timedelta(seconds=10)) == pytest.approx(20)
    assert throttle.take("other sheet", START + dt.timedelta(seconds=10)) == 0
    assert throttle.take("sheet", START + dt.timedelta(seconds=30)) == 0
    assert throttle.take("sheet", START + dt.timedelta(seconds=31)) == pytest.approx(29)


def test_the_throttle_forgets_the_oldest_keys_beyond_its_bound():
    throttle = reading.Throttle(seconds=30, max_entries=2)
    for key in ("a", "b", "c"):
        throttle.take(key, START)
    assert throttle.take("a", START) == 0  # forgotten, so allowed again
    assert throttle.take("c", START) == 30
