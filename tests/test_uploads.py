"""People's uploads held within one memory budget for the whole server."""

from __future__ import annotations

import datetime as dt

from lib.normalize import normalize
from lib.reading import Loaded
from lib.uploads import UploadStore, held_bytes

AT = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def loaded(rows: int) -> Loaded:
    table = [["Creator", "Expires", "Notes"]] + [[f"@c{n}", "2026-12-01", "x" * 40] for n in range(rows)]
    return Loaded(normalize(table), AT)


def test_what_an_upload_holds_grows_with_its_rows():
    small, large = held_bytes(loaded(10).normalized), held_bytes(loaded(1_000).normalized)
    assert 0 < small < large


def test_the_oldest_uploads_are_let_go_to_stay_within_the_budget():
    one = loaded(500)
    size = held_bytes(one.normalized)
    store = UploadStore(max_bytes=int(size * 2.5))
    assert store.put("a", one) and store.put("b", loaded(500))
    assert store.get("a") is one  # used again: now the newest
    assert store.put("c", loaded(500))
    assert store.get("b") is None and store.get("a") is one and store.get("c") is not None
    assert store.total() <= store.max_bytes


def test_an_upload_larger_than_the_whole_budget_is_refused_and_holds_nothing():
    store = UploadStore(max_bytes=held_bytes(loaded(10).normalized))
    assert store.put("a", loaded(10))
    assert not store.put("a", loaded(1_000))
    assert store.get("a") is None and store.total() == 0


def test_a_session_replacing_or_dropping_its_upload_frees_it():
    store = UploadStore()
    store.put("a", loaded(10))
    store.put("a", loaded(20))
    assert store.total() == held_bytes(loaded(20).normalized)
    store.drop("a")
    assert store.total() == 0 and store.get("a") is None
