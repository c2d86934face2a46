"""One deadline for a whole HTTP exchange, for every client built on `requests`.

requests' timeout bounds each socket read, so a server sending one byte a second holds a
read for ever while never timing out. The adapter here reads the answer a socket read at a
time against one deadline, and a late answer is a `requests` timeout like any other. The
Google Sheet reader and the TikTok client both mount it, so "the page waits at most N
seconds" holds for both.
"""

from __future__ import annotations

import time

import requests

CHUNK = 64 * 1024


class WholeAnswerDeadline(requests.adapters.HTTPAdapter):
    """Every exchange (connect, send, every byte of the answer) over within `seconds`.

    `seconds` may be changed between requests (a client with an overall budget shortens it
    as the budget runs down); `max_bytes` bounds the answer, `too_large` says why it stopped.
    """

    __attrs__ = [*requests.adapters.HTTPAdapter.__attrs__, "seconds", "max_bytes", "too_large"]
    # kept when google-auth copies a session

    def __init__(self, seconds: float, max_bytes: int, too_large: str = "the answer is too large") -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.too_large = too_large
        super().__init__()

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        end = time.monotonic() + self.seconds
        response = super().send(request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies)
        body = bytearray()
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                body += chunk
                if time.monotonic() > end:
                    raise requests.exceptions.ReadTimeout(f"no whole answer within {self.seconds:g} seconds")
                if len(body) > self.max_bytes:
                    raise requests.exceptions.ContentDecodingError(self.too_large)
        except BaseException:
            response.close()
            raise
        response._content = bytes(body)  # what requests does after reading a body itself
        response._content_consumed = True
        return response


def bound(session: requests.Session, adapter: WholeAnswerDeadline) -> WholeAnswerDeadline:
    """Put the deadline on every request this session makes (http and https); returns the adapter."""
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return adapter
