"""Shared test set-up: a fixed 'today' so every date in the tests is exact, and how hard Hypothesis tries.

Property tests run a few examples on a developer's machine, so the suite stays quick to rerun,
and many more in CI (any `CI` variable set), derandomised so a failure there replays exactly.
The profile is the one knob: tests don't set their own `max_examples`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 22)

QUICK_EXAMPLES, THOROUGH_EXAMPLES = 20, 150
settings.register_profile("quick", max_examples=QUICK_EXAMPLES, deadline=None)
settings.register_profile("ci", max_examples=THOROUGH_EXAMPLES, deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "quick")


@pytest.fixture(scope="session", autouse=True)
def _component_packages_scanned_once():
    """Streamlit's AppTest looks through every installed package's metadata for custom components
    on each new app (about a third of a second, more than most pages take to run). The installed
    packages don't change during a test run: look once, and hand each app the same answer."""
    from streamlit.components.v2 import manifest_scanner

    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda *args, **kwargs: list(found))
        yield


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture(scope="session")
def _demo_read():
    """The demo sheet read and diagnosed for TODAY, once per session (tests get copies)."""
    from lib.demo import demo_table
    from lib.diagnose import diagnose
    from lib.normalize import normalize

    normalized = normalize(demo_table(TODAY))
    return normalized, diagnose(normalized.frame, TODAY)


@pytest.fixture(scope="session")
def _demo_with_tiktok(_demo_read):
    """The demo sheet reconciled with the demo's TikTok answer and diagnosed for TODAY, once per session."""
    from lib.demo import demo_tiktok_read
    from lib.diagnose import diagnose
    from lib.reconcile import reconcile

    return diagnose(reconcile(_demo_read[0].frame, demo_tiktok_read(TODAY), dt.UTC).frame, TODAY)


@pytest.fixture
def demo_with_tiktok(_demo_with_tiktok) -> pd.DataFrame:
    """The demo as a team that checks against TikTok sees it (every issue, TikTok's included): a copy."""
    return _demo_with_tiktok.copy()


@pytest.fixture
def demo_diagnosed(_demo_read) -> pd.DataFrame:
    """The demo sheet diagnosed for TODAY (warning window 7 days): a copy a test may change."""
    return _demo_read[1].copy()


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory):
    """The real app on the demo sheet, opened once per page for a module's tests that only read it.

    A test that clicks, types or replaces the sheet opens its own (`app_helpers.open_app`).
    """
    from app_helpers import no_settings, open_app
    from streamlit.testing.v1.util import patch_config_options

    no_secrets = {"secrets.files": [no_settings(tmp_path_factory.mktemp("no-secrets"))]}
    opened = {}

    def page(path: str):
        if path not in opened:
            with patch_config_options(no_secrets):
                opened[path] = open_app(path)
        return opened[path]

    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After each test body, before its fixtures undo anything: let the app helpers see what it replaced."""
    try:
        return (yield)
    finally:
        helpers = sys.modules.get("app_helpers")
        if helpers is not None:
            helpers.after_test()
