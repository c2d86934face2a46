"""The one HTTP client for TikTok's API for Business: deadlines, bounded retries, errors in plain words.

TikTok answers almost everything with HTTP 200; whether a request worked is the JSON's `code`
(0 is success) and its `message`. `40100` means too many requests: the client waits and tries
again a few times (`RATE_BACKOFF`, through an injectable `sleep`, so tests wait for nothing).
Codes 401xx other than 40100 mean the token was not accepted. Any other non-zero code is a
refusal of that one request (`TikTokRefusal`), which callers may report and carry on from (one
ad account refused, the others still read).

Every request is bounded twice: each exchange by `timeout` (the whole answer, not each socket
read: `lib.deadline`), and all the requests of one `TikTokApi` together by `budget`, so a read
of many pages, a hang or a run of rate limits never holds a page or the command line longer
than the budget. Whatever goes wrong becomes a `TikTokError` whose sentence never holds the
token, an app secret or a whole authorization code; TikTok's own `message` is passed on with
those scrubbed out. Redirects are refused: the token header would follow them to another host.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from lib.codes import MASK, redact_codes
from lib.deadline import WholeAnswerDeadline, bound
from lib.errors import ErrorKind, TikTokError
from lib.tiktok.settings import TIKTOK_API

log = logging.getLogger("sparkwatch.tiktok")


class _NoQueries(logging.Filter):
    """urllib3 logs every request's URL at DEBUG, query included: TikTok's lookups put a whole
    authorization code there (`/tt_video/info/?auth_code=…`) and its ad-account list the app
    secret. This filter, on urllib3's connection logger, drops the query from those lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                a.split("?", 1)[0] + "?…" if isinstance(a, str) and "?" in a else a for a in record.args
            )
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_NoQueries())

DEFAULT_TIMEOUT = 15.0
"""Seconds one exchange with TikTok may take, every byte of the answer included."""
DEFAULT_BUDGET = 25.0
"""Seconds all the requests of one read may take together: the command line's answer comes within 30."""
RATE_LIMITED = 40100
RATE_BACKOFF: tuple[float, ...] = (1.0, 2.0, 4.0)
"""Waits before each retry after 'too many requests' (40100): three retries, seven seconds at most."""
MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""A page of 50 posts is tens of kilobytes; an answer this large is not TikTok's."""
_MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Answer:
    """A successful answer: its `data` (as TikTok sent it) and the `request_id` TikTok support asks for."""

    data: Any
    request_id: str


class TikTokRefusal(TikTokError):
    """TikTok answered this one request with a non-zero code: `code` and its (scrubbed) `tiktok_message`."""

    def __init__(self, code: int, message: str, request_id: str = "") -> None:
        said = f": {message}" if message else ""
        super().__init__(f"TikTok refused the request (error {code}{said}).", kind=ErrorKind.TIKTOK_REFUSED)
        self.code = code
        self.tiktok_message = message
        self.request_id = request_id


class TikTokApi:
    """Calls TikTok's API with one token. Its repr names the API root only.

    `budget` starts counting at construction: make one per read (or per batch of actions).
    """

    def __init__(
        self,
        token: str,
        base: str = TIKTOK_API,
        *,
        timeout: float | None = None,
        budget: float | None = None,
        backoff: Sequence[float] | None = None,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        hidden: Sequence[str] = (),
    ) -> None:
        # None: the module's defaults, read now (so one place, or a test, can change them).
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        budget = DEFAULT_BUDGET if budget is None else budget
        backoff = RATE_BACKOFF if backoff is None else backoff
        self._token = token
        self._hidden = tuple(s for s in (token, *hidden) if s)
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.backoff = tuple(backoff)
        self.sleep = sleep
        self._clock = clock
        self._end = clock() + budget
        self._session = requests.Session()
        self._adapter = bound(
            self._session, WholeAnswerDeadline(timeout, MAX_ANSWER_BYTES, "the answer is larger than TikTok's")
        )
        self.requests = 0
        """Requests sent so far (for tests, and for a page that says how much a read cost)."""

    def __repr__(self) -> str:
        return f"TikTokApi({self.base!r})"

    def close(self) -> None:
        self._session.close()

    def scrub(self, text: str) -> str:
        """`text` without the token, the hidden secrets or any whole code, on one line, kept short."""
        for secret in self._hidden:
            text = text.replace(secret, MASK)
        text = " ".join(redact_codes(text).split())
        return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"

    def get(self, path: str, params: Mapping[str, Any] | None = None, *, token: bool = True) -> Answer:
        return self._call("GET", path, params=params, token=token)

    def post(self, path: str, body: Mapping[str, Any], *, token: bool = True) -> Answer:
        return self._call("POST", path, body=body, token=token)

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        token: bool = True,
    ) -> Answer:
        for wait in (*self.backoff, None):
            code, message, data, request_id = self._exchange(method, path, params, body, token)
            if code == 0:
                return Answer(data, request_id)
            if code != RATE_LIMITED:
                log.info("TikTok %s %s: error %s (request %s)", method, path, code, request_id or "-")
                raise self._refusal(code, message, request_id) if token else TikTokRefusal(code, message, request_id)
            if wait is None or self._remaining() < wait:
                break
            log.info("TikTok %s %s: too many requests; trying again in %gs", method, path, wait)
            self.sleep(wait)
        raise TikTokError(
            "TikTok says too many requests were made, even after waiting a few seconds. Wait a minute, then "
            "refresh (the app's other users, or another tool on the same ad accounts, may be reading too).",
            kind=ErrorKind.RATE_LIMITED,
        )

    def _remaining(self) -> float:
        return self._end - self._clock()

    def _exchange(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
        token: bool,
    ) -> tuple[int, str, Any, str]:
        """One request: (code, scrubbed message, data, request_id), or a TikTokError for anything else."""
        seconds = min(self.timeout, self._remaining())
        if seconds <= 0:
            raise _timeout()
        self._adapter.seconds = seconds
        headers = {"Accept": "application/json"}
        if token:
            headers["Access-Token"] = self._token
        self.requests += 1
        try:
            response = self._session.request(
                method,
                self.base + path,
                params=dict(params) if params else None,
                json=dict(body) if body is not None else None,
                headers=headers,
                timeout=(seconds, seconds),
                allow_redirects=False,
            )
        except requests.exceptions.Timeout:
            raise _timeout() from None
        except requests.exceptions.RequestException:
            # The exception's text can quote the URL, and with it an authorization code.
            raise TikTokError(
                "Could not reach TikTok's API: the network seems to be down or blocked. Check the internet "
                "connection (and any proxy or firewall), then refresh.",
                kind=ErrorKind.NETWORK,
            ) from None
        status = response.status_code
        if status >= 500:
            raise TikTokError(
                f"TikTok's API had a problem on its side (error {status}). Wait a minute, then refresh.",
                kind=ErrorKind.SERVER_ERROR,
            )
        if status in (401, 403):
            raise _token_rejected()
        if status == 429:
            return RATE_LIMITED, "", None, ""
        if 300 <= status < 400:
            raise TikTokError(
                "TikTok's API answered with a redirect, which Sparkwatch does not follow (the token would go "
                "with it). Check api_base under [tiktok], or remove it to use TikTok's own address.",
                kind=ErrorKind.REDIRECT_REFUSED,
            )
        if status != 200:
            raise TikTokError(
                f"TikTok's API refused the request (HTTP {status}). Check api_base under [tiktok], then try again.",
                kind=ErrorKind.API_ERROR,
            )
        try:
            answer = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise TikTokError(
                "TikTok's API sent back something that is not its usual answer (often a proxy or a Wi-Fi sign-in "
                "page in between). Check the network, then refresh.",
                kind=ErrorKind.BAD_RESPONSE,
            ) from None
        code = answer.get("code") if isinstance(answer, dict) else None
        if isinstance(code, str) and code.lstrip("-").isdigit():
            code = int(code)
        if not isinstance(code, int) or isinstance(code, bool):
            raise unexpected("no result code")
        message = answer.get("message")
        request_id = answer.get("request_id")
        return (
            code,
            self.scrub(message) if isinstance(message, str) else "",
            answer.get("data"),
            request_id if isinstance(request_id, str) else "",
        )

    def _refusal(self, code: int, message: str, request_id: str) -> TikTokError:
        if 40100 < code < 40200 and code != 40110:
            return _token_rejected()
        return TikTokRefusal(code, message, request_id)


def _timeout() -> TikTokError:
    return TikTokError(
        "TikTok's API did not answer in time. Check the internet connection, then refresh.", kind=ErrorKind.TIMEOUT
    )


def _token_rejected() -> TikTokError:
    return TikTokError(
        "TikTok did not accept the access token (it may have been revoked, or be for another app). Get a new one "
        "with `python -m lib.cli tiktok-token` (see the README's 'Check against TikTok') and put it in the settings.",
        kind=ErrorKind.TOKEN_REJECTED,
    )


def unexpected(what: str) -> TikTokError:
    """An answer in a shape this client does not know: said plainly, never a KeyError."""
    return TikTokError(
        f"TikTok's API answered, but not in the shape Sparkwatch expects ({what}). Refresh in a minute; if it keeps "
        "happening, something between here and TikTok (a proxy or firewall) may be changing the answers.",
        kind=ErrorKind.UNEXPECTED_ANSWER,
    )
