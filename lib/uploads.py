"""People's own uploads, held for their sessions within one memory budget for the whole server.

An upload is read and normalised once and kept while its session uses it. Sessions are not
counted or capped by Streamlit, and a tab that closes leaves its session's memory behind for
a while, so the uploads live here rather than in each session: the oldest are let go when the
budget would be passed, and the session whose upload went is told to upload it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd

from lib.normalize import Normalized
from lib.reading import Loaded

MAX_UPLOAD_MEMORY = 512 * 1024 * 1024
"""Bytes of normalised uploads held for all sessions together (about five of the largest allowed)."""


def held_bytes(normalized: Normalized) -> int:
    """What a normalised upload costs in memory: its frame and its problems, text included."""
    frames: tuple[pd.DataFrame, ...] = (normalized.frame, normalized.problems)
    return int(sum(frame.memory_usage(deep=True, index=True).sum() for frame in frames))


class UploadStore:
    """Uploads by key (one per session), the oldest let go first when the budget is reached."""

    def __init__(self, max_bytes: int = MAX_UPLOAD_MEMORY) -> None:
        self.max_bytes = max_bytes
        self._held: OrderedDict[str, tuple[Loaded, int]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, loaded: Loaded) -> bool:
        """Hold this upload (replacing the key's earlier one); False when it alone is over the budget."""
        size = held_bytes(loaded.normalized)
        with self._lock:
            self._held.pop(key, None)
            if size > self.max_bytes:
                return False
            while self._held and self.total() + size > self.max_bytes:
                self._held.popitem(last=False)
            self._held[key] = (loaded, size)
            return True

    def get(self, key: str) -> Loaded | None:
        with self._lock:
            held = self._held.get(key)
            if held is None:
                return None
            self._held.move_to_end(key)
            return held[0]

    def drop(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)

    def total(self) -> int:
        """Bytes held now (call with the lock held, or accept a moment's staleness)."""
        return sum(size for _, size in self._held.values())
