"""A sheet published to the web as CSV, read with no credentials from the local fake server."""

from __future__ import annotations

import csv
import io
import socket
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
    assert fake.counts["csv"] == 1  # one request: a 429 or a 500 is not retried in a loop


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


# --------------------------------------------------------------------------- where a link may lead


@pytest.fixture
def lookups(monkeypatch) -> list[str]:
    """Hosts the code tried to look up other than this machine's (each refused): a test expects none."""
    tried: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost"):
            tried.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "the test allows no network beyond 127.0.0.1")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    return tried


@pytest.mark.parametrize(
    "url",
    [
        "http://docs.google.com/spreadsheets/d/e/2PACX-1vX/pub?output=csv",
        "http://sheets.example.com/spreadsheets/d/e/2PACX-1vX/pub?output=csv",
    ],
)
def test_a_plain_http_link_is_refused_before_any_request(lookups, url):
    """The link serves every code in the sheet: it must not cross the network in clear text."""
    error = failure(url)
    assert error.kind == "insecure"
    assert "https://" in str(error)
    assert lookups == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://docs.google.com/pub?output=csv", "docs.google.com/pub"])
def test_anything_but_a_web_link_is_refused_before_any_request(lookups, url):
    error = failure(url)
    assert error.kind == "not_found"
    assert "not a valid web address" in str(error)
    assert lookups == []


def test_a_redirect_to_another_server_is_not_followed(fake):
    with FakeSheets() as elsewhere:
        target = elsewhere.publish("/files/tracker.csv", "Creator\r\n@raf\r\n")
        url = fake.redirect(PUB, target)
        error = failure(url)
        assert elsewhere.counts["csv"] == 0
    assert error.kind == "redirect_refused"
    assert "127.0.0.1" in str(error) and "tracker.csv" not in str(error)
    assert fake.counts["redirect"] == 1


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("https://evil.example/steal.csv", "redirect_refused"),
        ("http://doc-0s-8c-sheets.googleusercontent.com/pub/x?output=csv", "redirect_refused"),  # no downgrade
        ("https://googleusercontent.com.evil.example/x", "redirect_refused"),
        ("https://accounts.google.com/ServiceLogin?continue=https://docs.google.com/x", "not_published"),
    ],
)
def test_redirects_lead_to_google_or_nowhere(fake, lookups, target, kind):
    url = fake.redirect(PUB, target)
    error = failure(url)
    assert error.kind == kind
    assert lookups == []  # refused before even looking the host up
    if kind == "not_published":
        assert "not published or not public" in str(error)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (
            "https://docs.google.com/spreadsheets/d/e/X/pub?output=csv",
            "https://doc-0s-8c-sheets.googleusercontent.com/pub/abc/def?output=csv",
            True,
        ),
        ("https://docs.google.com/spreadsheets/d/e/X/pub?output=csv", "https://docs.google.com/a/x/pub", True),
        ("https://docs.google.com/x", "http://docs.google.com/x", False),
        ("https://docs.google.com/x", "https://drive.google.com/x", False),
        ("https://docs.google.com/x", "https://evil.example/x", False),
        ("https://docs.google.com/x", "https://googleusercontent.com.evil.example/x", False),
        ("https://docs.google.com/x", "https://evilgoogleusercontent.com/x", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b", True),  # the same server
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8001/b", False),
        ("https://sheets.example.com/a", "https://sheets.example.com:443/b", True),
    ],
)
def test_redirect_policy(current, target, allowed):
    assert published.redirect_allowed(current, target) is allowed


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (
            "https://docs.google.com/spreadsheets/d/e/2PACX-1vSecretPublication/pub?gid=0&single=true&output=csv",
            "https://docs.google.com/…",
        ),
        ("https://user:pw@docs.google.com/spreadsheets/d/e/2PACX-1vX/pubhtml", "https://docs.google.com/…"),
        ("http://127.0.0.1:8123/spreadsheets/d/e/2PACX-1vX/pub?output=csv", "http://127.0.0.1:8123/…"),
        ("demo", "demo"),
        ("tracker.csv", "tracker.csv"),
    ],
)
def test_a_published_link_is_named_by_its_host_only(source, label):
    assert published.source_label(source) == label
