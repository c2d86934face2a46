"""The one door to every source: `open_source` picks the kind from a `SourceConfig`, and each kind
says what it is (label, describe) and what stops it (setup_problem) before anything is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib import settings
from lib.errors import SourceError
from lib.settings import SourceConfig, for_command_line, parse
from lib.sources import DEMO_LABEL, Source, open_source, read_table
from lib.sources.kinds import NO_KEY_FILE
from tests.conftest import TODAY

KEY = "1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
PUBLISHED = "https://docs.google.com/spreadsheets/d/e/2PACX-1vTestPublishedSheet/pub?output=csv"
ACCOUNT = {"client_email": "reader@project.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----"}


@pytest.mark.parametrize(
    ("config", "kind", "label"),
    [
        (SourceConfig("demo", "demo"), "demo", DEMO_LABEL),
        (SourceConfig("file", "/srv/exports/tracker.xlsx"), "file", "File: tracker.xlsx"),
        (SourceConfig("published", PUBLISHED), "published", "Published sheet"),
        (SourceConfig("google_sheet", URL, account=ACCOUNT), "google_sheet", "Google Sheet: 1Spark…uvwx"),
        (
            SourceConfig("google_sheet", KEY, tab="Leads", account=ACCOUNT),
            "google_sheet",
            "Google Sheet: 1Spark…uvwx (tab Leads)",
        ),
        (
            SourceConfig("google_sheet", KEY, tab="*", account=ACCOUNT),
            "google_sheet",
            "Google Sheet: 1Spark…uvwx (all tabs)",
        ),
    ],
)
def test_each_kind_names_itself_in_plain_words_without_reading(config, kind, label):
    source = open_source(config)
    assert isinstance(source, Source)
    assert (source.kind, source.label()) == (kind, label)
    assert source.describe().endswith(".")
    assert source.setup_problem() is None
    assert PUBLISHED not in source.label()  # a published link is a secret: never shown


def test_a_google_sheets_label_uses_its_title_once_known():
    source = open_source(SourceConfig("google_sheet", KEY, tab="Leads", account=ACCOUNT))
    assert source.label("Spark Ads tracker") == "Google Sheet: Spark Ads tracker (tab Leads)"


def test_the_app_and_the_command_line_say_what_key_is_missing_their_own_way():
    app = open_source(parse({"sheet": {"url": URL}}, {}))
    assert app.setup_problem() == settings.NO_ACCOUNT
    cli = open_source(for_command_line(URL, None, {}))
    assert cli.setup_problem() == NO_KEY_FILE
    with pytest.raises(SourceError) as caught:
        cli.read(TODAY)
    assert caught.value.kind == "no_credentials"
    with pytest.raises(SourceError) as caught:
        app.read(TODAY)
    assert caught.value.kind == "settings"


def test_a_settings_mistake_stops_every_kind(tmp_path: Path):
    for kind, location in (("demo", "demo"), ("file", str(tmp_path / "x.csv")), ("published", PUBLISHED)):
        source = open_source(SourceConfig(kind, location, problem="Fix the settings."))
        assert source.setup_problem() == "Fix the settings."
        with pytest.raises(SourceError) as caught:
            source.read(TODAY)
        assert caught.value.kind == "settings"


def test_the_command_lines_text_and_the_apps_file_setting_read_the_same_file(tmp_path: Path):
    path = tmp_path / "sheet.csv"
    path.write_text("Creator,Expires\n@nia,2026-12-01\n", encoding="utf-8")
    from_app = open_source(parse({}, {settings.SOURCE_ENV: str(path)})).read(TODAY)
    assert from_app == read_table(str(path)) == [["Creator", "Expires"], ["@nia", "2026-12-01"]]


def test_the_demo_is_dated_around_the_day_it_is_read_for():
    assert open_source(SourceConfig("demo", "demo")).read(TODAY) == read_table("demo", today=TODAY)


def test_an_unknown_kind_is_a_bug_not_a_source():
    with pytest.raises(ValueError, match="unknown source kind"):
        open_source(SourceConfig("ftp", "ftp://x"))
