"""When to read the source again, and what to show when a read fails: the app's reading policy.

Pure apart from the source it is given: the clock is a callable, the cache of attempts and
the store of good reads are objects passed in. The app wraps them in Streamlit's caches
(`ui.source`); tests pass a fake clock and a fake source and watch every decision.

The rules:
- a good read is reused for the cache time (`SourceConfig.cache_ttl`);
- a failed read is reused too, for at most `FAILURE_RETRY_SECONDS` of it, so a sheet that
  hangs does not hang every click, yet is tried again soon;
- a forced read (Refresh, the connection test) reads at once, but at most once per
  `REFRESH_SECONDS` for a source, whoever asks, and once per `REFRESH_SECONDS` per person
  (`Throttle`): ten clicks are one read, and nobody's click empties anyone's screen;
- when a read fails, the last good read of the same source is shown, marked stale;
- while a source is being read, everyone who has its last good read sees that at once,
  marked as being refreshed, instead of waiting behind the read (`InFlight`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from lib.dates import DateOrder
from lib.errors import SourceError
from lib.normalize import Normalized, normalize
from lib.sources.base import Source

FAILURE_RETRY_SECONDS = 60
"""A failed read is tried again after this long at most (or on Refresh), not on every click."""
MAX_GOOD_READS = 16
MAX_ATTEMPTS = 16
REFRESH_SECONDS = 30.0
"""A source is read on demand (Refresh, Test connection) at most this often, by anyone."""
MAX_THROTTLED = 1_024
"""Keys a `Throttle` remembers (sources and sessions); the oldest are forgotten first."""

Clock = Callable[[], dt.datetime]
"""Now, as an aware datetime."""


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Loaded:
    """One good read: the normalised sheet and when it was read."""

    normalized: Normalized
    loaded_at: dt.datetime


@dataclass(frozen=True)
class Attempt:
    """One read of the configured source, good or not (failures are cached too, briefly)."""

    at: dt.datetime
    loaded: Loaded | None = None
    error: str = ""
    kind: str = ""
    title: str = ""
    """The spreadsheet's own title, when the read learnt it."""


@dataclass(frozen=True)
class Outcome:
    """What the app shows this run: the data (fresh or stale), the failure if any, and a label."""

    label: str
    """Which source is live, in plain words; may hold sheet text: show it as text only."""
    kind: str
    source_id: str
    loaded: Loaded | None
    error: str | None = None
    error_kind: str | None = None
    refreshing: bool = False
    """The data shown is the last good read: a new read of the source is under way."""

    @property
    def stale(self) -> bool:
        """Data is shown, but the latest read failed."""
        return self.loaded is not None and self.error is not None


class AttemptCache(Protocol):
    """Where attempts are kept between runs, per source and day (the app: `st.cache_data`)."""

    def get(self, source_id: str, today: dt.date, read: Callable[[], Attempt]) -> Attempt:
        """The kept attempt, or `read()`'s — kept — when there is none."""
        ...

    def forget(self, source_id: str, today: dt.date) -> None: ...


class MemoryAttempts:
    """An `AttemptCache` in a dict: bounded, safe to share between threads."""

    def __init__(self, max_entries: int = MAX_ATTEMPTS) -> None:
        self._attempts: OrderedDict[tuple[str, dt.date], Attempt] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, source_id: str, today: dt.date, read: Callable[[], Attempt]) -> Attempt:
        key = (source_id, today)
        with self._lock:
            kept = self._attempts.get(key)
        if kept is not None:
            return kept
        attempt = read()
        with self._lock:
            self._attempts[key] = attempt
            self._attempts.move_to_end(key)
            while len(self._attempts) > self._max:
                self._attempts.popitem(last=False)
        return attempt

    def forget(self, source_id: str, today: dt.date) -> None:
        with self._lock:
            self._attempts.pop((source_id, today), None)


class GoodReads:
    """The last good read of each source, shared by every session (bounded, thread-safe)."""

    def __init__(self, max_entries: int = MAX_GOOD_READS) -> None:
        self._reads: OrderedDict[str, tuple[Loaded, str]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def put(self, source_id: str, loaded: Loaded, title: str) -> None:
        with self._lock:
            self._reads[source_id] = (loaded, title)
            self._reads.move_to_end(source_id)
            while len(self._reads) > self._max:
                self._reads.popitem(last=False)

    def get(self, source_id: str) -> tuple[Loaded, str] | None:
        with self._lock:
            return self._reads.get(source_id)


class InFlight:
    """The sources being read right now, so that a viewer with data to show never waits for a read."""

    def __init__(self) -> None:
        self._reading: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def reading(self, source_id: str) -> Iterator[None]:
        with self._lock:
            self._reading[source_id] += 1
        try:
            yield
        finally:
            with self._lock:
                self._reading[source_id] -= 1
                if self._reading[source_id] <= 0:
                    del self._reading[source_id]

    def busy(self, source_id: str) -> bool:
        with self._lock:
            return self._reading[source_id] > 0


class Throttle:
    """At most one go per key every `seconds` (a source's on-demand reads, a person's clicks)."""

    def __init__(self, seconds: float = REFRESH_SECONDS, max_entries: int = MAX_THROTTLED) -> None:
        self.seconds = seconds
        self._last: OrderedDict[str, dt.datetime] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def take(self, key: str, now: dt.datetime, seconds: float | None = None) -> float:
        """0 when this go is allowed (and counted); else the seconds until the next is.

        `seconds` overrides the interval for this call (the admin's `refresh_seconds`)."""
        interval = self.seconds if seconds is None else seconds
        with self._lock:
            last = self._last.get(key)
            wait = 0.0 if last is None else interval - (now - last).total_seconds()
            if wait > 0:
                return wait
            self._last[key] = now
            self._last.move_to_end(key)
            while len(self._last) > self._max:
                self._last.popitem(last=False)
            return 0.0


def out_of_date(attempt: Attempt, cache_ttl: float, now: dt.datetime) -> bool:
    """A good read lasts the cache time; a failure at most FAILURE_RETRY_SECONDS of it."""
    limit = cache_ttl if attempt.loaded is not None else min(cache_ttl, FAILURE_RETRY_SECONDS)
    return (now - attempt.at).total_seconds() >= limit


def attempt(source: Source, today: dt.date, clock: Clock, date_order: DateOrder | None = None) -> Attempt:
    """Read and normalise the source once; a failure comes back as an Attempt, not raised."""
    try:
        table = source.read(today)
        normalized = normalize(table, date_order=date_order, sheet_locale=source.locale())
    except SourceError as error:
        return Attempt(clock(), error=str(error), kind=error.kind, title=source.title())
    now = clock()
    return Attempt(now, loaded=Loaded(normalized, now), title=source.title())


def read_outcome(
    source: Source,
    source_id: str,
    today: dt.date,
    *,
    cache_ttl: float,
    clock: Clock,
    attempts: AttemptCache,
    good_reads: GoodReads,
    in_flight: InFlight | None = None,
    date_order: DateOrder | None = None,
    force: bool = False,
) -> Outcome:
    """The source's data this run: the kept attempt while it is fresh, else a new read.

    A failed read falls back to the last good read of the same source (stale), if there is one.
    While someone else reads the source, its last good read is returned at once (refreshing).
    A setup problem is reported without reading.
    """
    problem = source.setup_problem()
    if problem:
        return Outcome(source.label(), source.kind, source_id, None, problem, "settings")
    in_flight = in_flight or InFlight()
    last = good_reads.get(source_id)
    if last is not None and in_flight.busy(source_id):
        loaded, title = last
        return Outcome(source.label(title), source.kind, source_id, loaded, refreshing=True)

    def read() -> Attempt:
        with in_flight.reading(source_id):
            return attempt(source, today, clock, date_order)

    if force:
        attempts.forget(source_id, today)
    current = attempts.get(source_id, today, read)
    if not force and out_of_date(current, cache_ttl, clock()):
        attempts.forget(source_id, today)
        current = attempts.get(source_id, today, read)
    if current.loaded is not None:
        good_reads.put(source_id, current.loaded, current.title)
        return Outcome(source.label(current.title), source.kind, source_id, current.loaded)
    last = good_reads.get(source_id)
    kept, title = last if last is not None else (None, current.title)
    return Outcome(source.label(title), source.kind, source_id, kept, current.error, current.kind)
