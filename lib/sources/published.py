"""A sheet published to the web as CSV: read with no credentials at all.

Google Sheets → File → Share → Publish to web → "Comma-separated values (.csv)" gives a link
ending in `/pub?output=csv`; a sheet shared with "anyone with the link" also answers
`/export?format=csv`. Either is a plain HTTP GET of CSV text, parsed by the same reader as
an uploaded CSV file. Failures become one plain `SourceError` saying what to do.

The link is a secret: anyone who has it can read the whole sheet, codes included. So it is
only ever requested over https (plain http only to this machine itself, where nothing crosses
a network: the tests' local server), a redirect is followed only to Google's own hosts (a
published CSV link answers from docs.google.com with a 307 to a *.googleusercontent.com
address) or within the same server, and output names the link by its host (`source_label`).

Every request made here (and the chat webhook's, in `lib.alerts`) has one deadline for the
whole exchange: connecting, the headers, the body, every redirect. A socket timeout alone
bounds each read, so a server sending a byte every second would keep the page (or the cron
job) waiting for ever; here each read may only wait for what is left of the deadline.
"""

from __future__ import annotations

import functools
import http.client
import io
import re
import socket
import time
import urllib.error
import urllib.request
from typing import IO, Any
from urllib.parse import urlsplit

from lib.addresses import this_machine
from lib.columnar import ColumnTable, rows_of
from lib.errors import ErrorKind, SourceError
from lib.normalize import RawTable
from lib.sources import link_label, source_label  # noqa: F401 - named here too, where links are read
from lib.sources.files import MAX_UPLOAD_BYTES, read_csv_columns

DEFAULT_TIMEOUT = 20.0
"""Seconds the whole read of the link may take (connect, answer, every byte of the CSV)."""
_PUBHTML_RE = re.compile(r"/pubhtml(?=$|\?|#)")
_CHUNK = 64 * 1024
GOOGLE_HOSTS = ("docs.google.com",)
"""Hosts a published link may redirect to, exactly."""
GOOGLE_DOMAINS = ("googleusercontent.com",)
"""Domains whose subdomains a published link may redirect to (doc-0s-…-sheets.googleusercontent.com)."""
_SIGN_IN_HOSTS = ("accounts.google.com",)
_DEFAULT_PORTS = {"http": 80, "https": 443}
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
    """The raw table behind a published-to-the-web CSV link, read within `timeout` seconds in all."""
    return rows_of(read_published_columns(url, timeout=timeout))


def read_published_columns(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> RawTable | ColumnTable:
    """`read_published`, the CSV held as columns when it could be read in bulk (`lib.columnar`)."""
    link = csv_link(url)
    _check_link(link)
    deadline = Deadline(timeout)
    try:
        request = urllib.request.Request(
            link, headers={"Accept": "text/csv, */*;q=0.1", "User-Agent": "Sparkwatch"}, method="GET"
        )
        with open_within(deadline, request, _GoogleRedirects()) as reply:
            _check(reply.status, reply.headers.get("Content-Type"))
            data = read_within(deadline, reply, MAX_UPLOAD_BYTES, _too_large)
    except urllib.error.HTTPError as error:
        error.close()
        raise _refusal(error.code) from None
    except (ValueError, http.client.InvalidURL):
        raise SourceError(
            "The published link is not a valid web address: copy it again.", kind=ErrorKind.NOT_FOUND
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        if is_timeout(error):
            raise SourceError(
                f"The published link did not answer within {timeout:g} seconds. Check the internet connection, "
                "then refresh.",
                kind=ErrorKind.TIMEOUT,
            ) from None
        raise SourceError(
            "Could not reach the published link: the network seems to be down or blocked. Check the internet "
            "connection (and any proxy or firewall), then refresh.",
            kind=ErrorKind.NETWORK,
        ) from None
    return read_csv_columns(data)


def _check_link(link: str) -> None:
    """Refuse, before any request, a link that is not https (or http to this machine)."""
    try:
        parts = urlsplit(link)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise SourceError("The published link is not a valid web address: copy it again.", kind=ErrorKind.NOT_FOUND)
    if parts.scheme.lower() == "http" and not this_machine(parts.hostname):
        raise SourceError(
            "The published link must start with https:// (the link Google shows does): with plain http:// "
            f"anyone on the network could read the sheet. {_PUBLISH_STEPS}",
            kind=ErrorKind.INSECURE,
        )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _google(host: str) -> bool:
    return host in GOOGLE_HOSTS or any(host.endswith("." + domain) for domain in GOOGLE_DOMAINS)


def redirect_allowed(current: str, target: str) -> bool:
    """Whether a redirect from `current` to `target` may be followed.

    Only over https to Google's own hosts (docs.google.com, *.googleusercontent.com), or to the
    same server as before (scheme, host and port): anything else would hand the sheet, or the
    request for it, to someone else.
    """
    try:
        to = _origin(target)
        return (to[0] == "https" and _google(to[1])) or _origin(current) == to
    except ValueError:  # a port that is not a number
        return False


class _GoogleRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only where `redirect_allowed` says; otherwise stop with a plain message."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if redirect_allowed(req.full_url, newurl):
            return super().redirect_request(req, fp, code, msg, headers, newurl)
        fp.close()
        host = (urlsplit(newurl).hostname or "?").lower()
        if host in _SIGN_IN_HOSTS:
            raise _refusal(403)
        raise SourceError(
            f"The published link sends Sparkwatch on to another site ({host}), which it does not follow: it reads "
            f"only Google's own addresses. {_PUBLISH_STEPS}",
            kind=ErrorKind.REDIRECT_REFUSED,
        )


def _check(status: int, content_type: str | None) -> None:
    """Raise the plain message for an answer that is not the published CSV."""
    if status != 200:
        raise _refusal(status)
    if "html" in (content_type or "").lower():
        # A sign-in page, or the 'Web page' form of the publication: both are not the table.
        raise SourceError(f"The link opens a web page, not CSV data. {_PUBLISH_STEPS}", kind=ErrorKind.NOT_PUBLISHED)


def _refusal(status: int) -> SourceError:
    """The plain message for a status other than 200 (a redirect here is one too many of them)."""
    if 300 <= status < 400:
        return SourceError(
            f"The published link keeps redirecting, so it cannot be read. {_PUBLISH_STEPS}",
            kind=ErrorKind.NOT_PUBLISHED,
        )
    if status in (401, 403):
        return SourceError(
            f"The sheet behind this link is not published or not public. {_PUBLISH_STEPS}", kind=ErrorKind.NOT_PUBLISHED
        )
    if status in (404, 410):
        return SourceError(
            f"Nothing is published at this link (anymore). Check the link, or publish the sheet again. "
            f"{_PUBLISH_STEPS}",
            kind=ErrorKind.NOT_FOUND,
        )
    if status == 429:
        return SourceError(
            "Google is limiting how often this link can be read. Wait a minute, then refresh.", kind=ErrorKind.QUOTA
        )
    if status >= 500:
        return SourceError(
            f"The server behind the published link had a problem (error {status}). Wait a minute, then refresh.",
            kind=ErrorKind.SERVER_ERROR,
        )
    return SourceError(
        f"The published link answered with error {status}. {_PUBLISH_STEPS}", kind=ErrorKind.NOT_PUBLISHED
    )


def _too_large() -> SourceError:
    return SourceError(
        f"The published sheet is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB. Publish only the "
        "tracking tab, or remove unused columns.",
        kind=ErrorKind.TOO_LARGE,
    )


# --- HTTP with one deadline for the whole exchange (used by `lib.alerts` too) ---------------------


class DeadlineExceeded(TimeoutError):
    """The exchange as a whole took longer than its deadline (each read may have been quick)."""


class Deadline:
    """A point in time (monotonic clock) by which a whole HTTP exchange must be over."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises `DeadlineExceeded` once there are none."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"no complete answer within {self.seconds:g} seconds")
        return left


def is_timeout(error: BaseException) -> bool:
    """True for a timeout however urllib wrapped it (`URLError(reason=TimeoutError)` or bare)."""
    reason = getattr(error, "reason", None)
    return isinstance(error, TimeoutError) or isinstance(reason, TimeoutError)


class _DeadlineReader(io.RawIOBase):
    """The socket's byte stream, each read allowed only what is left of the deadline."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counts as a user of the socket, like http.client's own
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(self._deadline.remaining())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose reads and sends stop at the deadline; everything else is the socket's."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "r", buffering: int | None = None, **kwargs: Any) -> Any:
        if mode == "rb":
            return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))
        # Passed on as asked; socket.makefile's overloads only take a literal mode.
        return self._sock.makefile(mode, buffering, **kwargs)  # type: ignore[call-overload]

    def sendall(self, data: Any, *flags: int) -> None:
        self._sock.settimeout(self._deadline.remaining())
        self._sock.sendall(data, *flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineConnection:
    """Mixed into http.client's connections: connect within the deadline, then guard the socket."""

    sock: Any  # http.client's connected socket, then the guarded one
    timeout: float | None

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = self.deadline.remaining()  # bounds the TCP connect and the TLS handshake
        super().connect()  # type: ignore[misc]
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _HTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, deadline=self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        # urllib keeps the handler's SSL context in `_context`, which typeshed does not declare.
        context = self._context  # type: ignore[attr-defined]
        return self.do_open(functools.partial(_HTTPSConnection, deadline=self._deadline), req, context=context)


def open_within(deadline: Deadline, request: urllib.request.Request, *handlers: Any) -> Any:
    """`urlopen` where connecting, sending and every later read of the reply share `deadline`.

    `handlers` are added to the opener (a redirect policy, say). Raises what urlopen raises;
    a deadline that passes raises `DeadlineExceeded` (a `TimeoutError`), possibly in a `URLError`.
    """
    opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline), *handlers)
    return opener.open(request, timeout=deadline.remaining())


def read_within(deadline: Deadline, reply: Any, limit: int, too_large: Any = None) -> bytes:
    """The reply's body, read in chunks until its end, `limit` bytes, or the deadline.

    Over `limit`: raises `too_large()` when given, else returns the first `limit` bytes.
    """
    data = bytearray()
    while True:
        deadline.remaining()
        chunk = reply.read1(_CHUNK)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            if too_large is not None:
                raise too_large()
            return bytes(data[:limit])
