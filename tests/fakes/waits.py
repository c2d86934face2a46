"""Retries in libraries we do not own, without the waiting."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def skip_google_auth_waits(monkeypatch: Any) -> list[float]:
    """google-auth's retry of a failing sign-in (three tries, about three seconds), with no time spent.

    Our own retries take a `sleep` to inject; google-auth's take none, so its backoff module's
    `time` is swapped for a recorder. Returns the waits it asked for.
    """
    from google.auth import _exponential_backoff

    waits: list[float] = []
    monkeypatch.setattr(_exponential_backoff, "time", SimpleNamespace(sleep=waits.append))
    return waits
