"""Shared test helpers: a fixed 'today' so every date in the tests is exact."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def today() -> dt.date:
    return TODAY
