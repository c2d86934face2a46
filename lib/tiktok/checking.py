"""When the app reads TikTok again, and what a failure shows: TikTok's reading policy, beside the sheet's.

Pure apart from the read it is given: the clock is a callable and the store of reads is an
object passed in, so tests drive every decision without a network. The app keeps one store
for the life of the server (`ui.tiktok`), shared by every viewer. The rules, like the sheet's
(`lib.reading`):

- one read of TikTok per read of the sheet (its codes are what TikTok is asked about), per
  TikTok set-up (`TikTokConfig.fingerprint`: token, API root and ad accounts);
- but never more than one every `min_seconds` for a set-up, whoever asks: a sheet read again
  sooner (the demo's Refresh costs nothing) is checked against the read just made;
- a failed read is reused for at most `FAILURE_RETRY_SECONDS`, then tried again;
- a read on demand (`force`: the Data page's Test TikTok) reads at once; the caller throttles it;
- when a read fails, the last good read of the same set-up is kept, marked stale, with why the
  new one failed and when TikTok was last read;
- while one viewer reads TikTok, the others with a read to show get it at once instead of waiting.

Nothing here holds the token in a message: the errors are `TikTokError`s, which never do.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from lib.errors import TikTokError
from lib.reading import FAILURE_RETRY_SECONDS, REFRESH_SECONDS, Clock, InFlight
from lib.tiktok.read import TikTokRead, read_tiktok
from lib.tiktok.settings import TikTokConfig

MAX_SETUPS = 8
"""TikTok set-ups whose reads the store keeps (a server has one; a changed token makes another)."""

_V = TypeVar("_V")
Reader = Callable[[TikTokConfig, list[str | None]], TikTokRead]
"""Reads TikTok for these sheet codes (`read_tiktok` by default); raises `TikTokError`."""


@dataclass(frozen=True)
class TikTokAttempt:
    """One read of TikTok, good or not, and the read of the sheet it was made for."""

    at: dt.datetime
    sheet: str
    """The sheet read it was for (the source and when it was read)."""
    read: TikTokRead | None = None
    error: str = ""


@dataclass(frozen=True)
class TikTokOutcome:
    """What the app shows this run: TikTok's read to reconcile with (fresh or the last good one), and any failure."""

    read: TikTokRead | None
    """None: TikTok has not been read successfully yet (the sheet's word alone is shown)."""
    error: str | None = None
    """Why the latest read failed (plain words, no token), or why TikTok can't be read at all."""
    refreshing: bool = False

    @property
    def stale(self) -> bool:
        """A read is shown, but the latest read failed."""
        return self.read is not None and self.error is not None

    @property
    def read_at(self) -> dt.datetime | None:
        """When TikTok was last read successfully."""
        return self.read.read_at if self.read is not None else None


class TikTokReads:
    """The latest attempt and the last good read per TikTok set-up: bounded, thread-safe, shared."""

    def __init__(self, max_entries: int = MAX_SETUPS) -> None:
        self._latest: OrderedDict[str, TikTokAttempt] = OrderedDict()
        self._good: OrderedDict[str, TikTokRead] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()
        self.in_flight = InFlight()

    def latest(self, setup: str) -> TikTokAttempt | None:
        with self._lock:
            return self._latest.get(setup)

    def good(self, setup: str) -> TikTokRead | None:
        with self._lock:
            return self._good.get(setup)

    def put(self, setup: str, attempt: TikTokAttempt) -> None:
        with self._lock:
            _bounded_put(self._latest, setup, attempt, self._max)
            if attempt.read is not None:
                _bounded_put(self._good, setup, attempt.read, self._max)

    def forget(self, setup: str) -> None:
        """Read again on the next run (after the dashboard changed an ad account); the last good read stays."""
        with self._lock:
            self._latest.pop(setup, None)


def _bounded_put(store: OrderedDict[str, _V], key: str, value: _V, most: int) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > most:
        store.popitem(last=False)


def reusable(attempt: TikTokAttempt, sheet: str, now: dt.datetime, min_seconds: float) -> bool:
    """Whether the latest attempt answers for this sheet read (see the module's rules)."""
    age = (now - attempt.at).total_seconds()
    if attempt.read is None and age >= FAILURE_RETRY_SECONDS:
        return False
    return attempt.sheet == sheet or age < min_seconds


def tiktok_outcome(
    config: TikTokConfig,
    sheet: str,
    codes: Iterable[str | None],
    *,
    store: TikTokReads,
    clock: Clock,
    reader: Reader | None = None,
    force: bool = False,
    min_seconds: float = REFRESH_SECONDS,
) -> TikTokOutcome:
    """TikTok's word for this read of the sheet: the kept attempt when it still answers, else a new read."""
    if not config.ready:
        return TikTokOutcome(None, config.problem or "TikTok is not set up.")
    setup = config.fingerprint
    latest = store.latest(setup)
    if not force and latest is not None:
        if reusable(latest, sheet, clock(), min_seconds):
            return _outcome(latest, store.good(setup))
        if store.in_flight.busy(setup):
            return _outcome(latest, store.good(setup), refreshing=True)
    wanted = list(codes)
    read = reader or (lambda c, w: read_tiktok(c, w))
    with store.in_flight.reading(setup):
        try:
            attempt = TikTokAttempt(clock(), sheet, read=read(config, wanted))
        except TikTokError as error:
            attempt = TikTokAttempt(clock(), sheet, error=str(error) or "TikTok could not be read.")
    store.put(setup, attempt)
    return _outcome(attempt, store.good(setup))


def _outcome(attempt: TikTokAttempt, good: TikTokRead | None, *, refreshing: bool = False) -> TikTokOutcome:
    if attempt.read is not None:
        return TikTokOutcome(attempt.read, refreshing=refreshing)
    return TikTokOutcome(good, attempt.error, refreshing=refreshing)
