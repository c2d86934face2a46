"""A sheet published to the web as CSV, read with no credentials from the local fake server."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pandas as pd
import pytest

from lib.demo import demo_table
from lib.errors import SourceError
from lib.normalize import normalize
from lib.sources import kind_of, published, read_table
from tests.conftest import TODAY
from tests.fakes import FakeSheets
from tests.fakes.webhook import DrippingServer, clear_proxies

PUB = "/spreadsheets/d/e/2PACX-1vSparkwatchTestPublication/pub?gid=0&single=true&output=csv"


def as_csv(table: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    clear_proxies(monkeypatch)


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    with FakeSheets() as server:
        yield server


def failure(url: str, **kwargs) -> SourceError:
    with pytest.raises(SourceError) as caught:
        published.read_published(url, **kwargs)
    return caught.value


def test_a_published_csv_link_reads_the_whole_tracker_in_one_request(fake):
    url = fake.publish(PUB, as_csv(demo_table(TODAY)))

    assert kind_of(url) == "published"
    table = read_table(url)

    assert fake.counts["csv"] == 1
    assert fake.counts["token"] == 0
    pd.testing.assert_frame_equal(normalize(table).frame, normalize(demo_table(TODAY)).frame)


def test_an_export_link_works_too_and_keeps_non_ascii_text(fake):
    url = fake.publish(
        "/spreadsheets/d/1SparkwatchTestSheet_abcdefghijklmnopqrstuvwx/export?format=csv&gid=0",
        "\ufeffCreator,Expires\r\n@zoë_bakes,2026-12-01\r\n".encode(),
    )
    assert read_table(url) == [["Creator", "Expires"], ["@zoë_bakes", "2026-12-01"]]


def test_a_web_page_publication_link_is_read_as_csv(fake):
    fake.publish("/spreadsheets/d/e/2PACX-1vX/pub?gid=0&single=true&output=csv", "Creator\r\n@nia\r\n")
    url = f"{fake.url}/spreadsheets/d/e/2PACX-1vX/pubhtml?gid=0&single=true"

    assert kind_of(url) == "published"
    assert read_table(url) == [["Creator"], ["@nia"]]


def test_redirects_are_followed_as_google_does_for_published_links(fake):
    target = fake.publish("/files/tracker.csv", "Creator\r\n@raf\r\n")
    url = fake.redirect(PUB, target)
    assert published.read_published(url) == [["Creator"], ["@raf"]]
    assert fake.counts["redirect"] == 1


def test_a_link_that_opens_a_web_page_says_how_to_publish_as_csv(fake):
    url = fake.publish(PUB, "<html><body>Sign in</body></html>", content_type="text/html; charset=utf-8")
    error = failure(url)
    assert error.kind == "not_published"
    assert "Publish to web" in str(error) and "Comma-separated values" in str(error)


def test_nothing_published_at_the_link(fake):
    error = failure(f"{fake.url}/spreadsheets/d/e/2PACX-gone/pub?output=csv")
    assert error.kind == "not_found"
    assert "publish the sheet again" in str(error)


@pytest.mark.parametrize(
    ("fault", "kind", "says"),
    [
        ("forbidden", "not_published", "not published or not public"),
        ("quota", "quota", "Wait a minute"),
        ("server_error", "server_error", "error 500"),
    ],
)
def test_server_faults_give_plain_messages(fake, fault, kind, says):
    url = fake.publish(PUB, "Creator\r\n@nia\r\n")
    fake.fail(fault, on=["csv"])
    error = failure(url)
    assert error.kind == kind
    assert says in str(error)


@pytest.mark.timeout(30)
def test_a_hang_fails_within_the_timeout(fake):
    url = fake.publish(PUB, "Creator\r\n@nia\r\n")
    fake.fail("hang", on=["csv"])
    error = failure(url, timeout=0.5)
    assert error.kind == "timeout"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("drip_head", [False, True], ids=["body", "headers"])
def test_a_link_that_answers_one_byte_at_a_time_fails_at_the_deadline(drip_head):
    """The timeout used to bound each read: a byte every half second kept the read going for ever."""
    with DrippingServer(drip_head=drip_head) as slow:
        error = failure(slow.url, timeout=1.5)
    assert error.kind == "timeout"
    assert "did not answer within 1.5 seconds" in str(error)


def test_network_down():
    with FakeSheets() as gone:
        closed = gone.url
    error = failure(f"{closed}{PUB}")
    assert error.kind == "network"
    assert "internet connection" in str(error)


def test_a_publication_larger_than_the_upload_limit_is_refused(fake, monkeypatch):
    monkeypatch.setattr(published, "MAX_UPLOAD_BYTES", 1000)
    url = fake.publish(PUB, "Creator\r\n" + "@someone\r\n" * 500)
    error = failure(url)
    assert error.kind == "too_large"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pubhtml",
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pub?output=csv",
        ),
        (
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pubhtml?gid=7&single=true&output=html",
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pub?gid=7&single=true&output=csv",
        ),
        (
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pub?output=csv",
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pub?output=csv",
        ),
    ],
)
def test_csv_link(given, expected):
    assert published.csv_link(given) == expected
