"""A sheet published to the web as CSV: read with no credentials at all.

Google Sheets → File → Share → Publish to web → "Comma-separated values (.csv)" gives a link
ending in `/pub?output=csv`; a sheet shared with "anyone with the link" also answers
`/export?format=csv`. Either is a plain HTTP GET of CSV text, parsed by the same reader as
an uploaded CSV file. Failures become one plain `SourceError` saying what to do.
"""

from __future__ import annotations

import re

import requests

from lib.errors import SourceError
from lib.normalize import RawTable
from lib.sources.files import MAX_UPLOAD_BYTES, read_csv

DEFAULT_TIMEOUT = 20.0
"""Seconds to wait for the link to answer before giving up."""
_PUBHTML_RE = re.compile(r"/pubhtml(?=$|\?|#)")
_CHUNK = 64 * 1024
_PUBLISH_STEPS = (
    "In Google Sheets use File → Share → Publish to web, pick the tab and 'Comma-separated values (.csv)', "
    "click Publish, and copy the link it shows."
)


def csv_link(url: str) -> str:
    """The CSV form of a published link: a 'Web page' link (`/pubhtml`) becomes `/pub?output=csv`."""
    url = url.strip()
    if _PUBHTML_RE.search(url):
        base, _, query = _PUBHTML_RE.sub("/pub", url, count=1).partition("?")
        params = [p for p in query.split("&") if p and not p.startswith("output=")]
        return f"{base}?{'&'.join([*params, 'output=csv'])}"
    return url


def read_published(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> RawTable:
    """The raw table behind a published-to-the-web CSV link."""
    link = csv_link(url)
    try:
        with requests.get(link, timeout=timeout, stream=True, headers={"Accept": "text/csv, */*;q=0.1"}) as reply:
            _check(reply)
            data = _body(reply)
    except requests.exceptions.Timeout:
        raise SourceError(
            "The published link did not answer in time. Check the internet connection, then refresh.", kind="timeout"
        ) from None
    except requests.exceptions.TooManyRedirects:
        raise SourceError(
            f"The published link keeps redirecting, so it cannot be read. {_PUBLISH_STEPS}", kind="not_published"
        ) from None
    except requests.exceptions.InvalidURL:
        raise SourceError("The published link is not a valid web address: copy it again.", kind="not_found") from None
    except requests.exceptions.RequestException:
        raise SourceError(
            "Could not reach the published link: the network seems to be down or blocked. Check the internet "
            "connection (and any proxy or firewall), then refresh.",
            kind="network",
        ) from None
    return read_csv(data)


def _check(reply: requests.Response) -> None:
    """Raise the plain message for an answer that is not the published CSV."""
    status = reply.status_code
    if status in (401, 403):
        raise SourceError(
            f"The sheet behind this link is not published or not public. {_PUBLISH_STEPS}", kind="not_published"
        )
    if status in (404, 410):
        raise SourceError(
            f"Nothing is published at this link (anymore). Check the link, or publish the sheet again. "
            f"{_PUBLISH_STEPS}",
            kind="not_found",
        )
    if status == 429:
        raise SourceError(
            "Google is limiting how often this link can be read. Wait a minute, then refresh.", kind="quota"
        )
    if status >= 500:
        raise SourceError(
            f"The server behind the published link had a problem (error {status}). Wait a minute, then refresh.",
            kind="server_error",
        )
    if status != 200:
        raise SourceError(f"The published link answered with error {status}. {_PUBLISH_STEPS}", kind="not_published")
    content_type = reply.headers.get("Content-Type", "").lower()
    if "html" in content_type:
        # A sign-in page, or the 'Web page' form of the publication: both are not the table.
        raise SourceError(f"The link opens a web page, not CSV data. {_PUBLISH_STEPS}", kind="not_published")


def _body(reply: requests.Response) -> bytes:
    """The reply's bytes, stopping at the same size limit as an upload."""
    data = bytearray()
    for chunk in reply.iter_content(_CHUNK):
        data += chunk
        if len(data) > MAX_UPLOAD_BYTES:
            raise SourceError(
                f"The published sheet is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB. Publish only the "
                "tracking tab, or remove unused columns.",
                kind="too_large",
            )
    return bytes(data)
