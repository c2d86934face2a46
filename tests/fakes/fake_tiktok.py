"""A local fake of TikTok's API for Business (v1.3) Spark Ads endpoints, on 127.0.0.1.

The real `lib.tiktok` client talks to it as it would to TikTok: header `Access-Token`, every
answer HTTP 200 with `code`, `message`, `request_id` and `data` — errors included, as TikTok
sends them. Served:

- `GET /tt_video/list/?advertiser_id=&page=&page_size=` (page_size ≤ 50): `data.list[]` and
  `data.page_info{page,page_size,total_number,total_page}`;
- `GET /tt_video/info/?advertiser_id=&auth_code=`: one item in `data`, for a code some ad
  account holds or one in `known` (a code the creator made, not applied yet); else 40002;
- `POST /tt_video/authorize/` `{advertiser_id, auth_code}` and `POST /tt_video/unbind/`
  `{advertiser_id, item_id}`: recorded, with the errors a test sets per code or post;
- `POST /oauth2/access_token/` `{app_id, secret, auth_code}` and `GET /oauth2/advertiser/get/`.

Items are built by `item(...)`, in any of TikTok's three time forms. Faults are queued per
endpoint (`fault("list", "rate_limited", times=1)`) or set for good (`always`): 'rate_limited'
(40100), 'server_error' (HTTP 500), 'hang' (no answer until the client gives up or the fake
stops), 'not_json'. A request with another token gets 40105. `calls` records every request
(method, path, query or body) for tests that count.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.local_server import LocalServer

TOKEN = "act.fAkEt0kEn0123456789abcdefSECRET"
APP_ID, APP_SECRET, AUTH_CODE = "7100000000000000001", "s3cr3tAppSecretValue", "oauthAuthCode123"
ADVERTISER, OTHER_ADVERTISER = "7000000000000000001", "7000000000000000002"
PREFIX = "/open_api/v1.3"
HANG_SECONDS = 60.0


def tiktok_time(when: dt.datetime, form: str = "plain") -> Any:
    """A UTC moment as TikTok writes it: 'plain' (`2026-06-23 07:09:07`), 'iso' (`…T07:09:07Z`) or 'epoch'."""
    when = when.astimezone(dt.UTC)
    if form == "iso":
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    if form == "epoch":
        return int(when.timestamp())
    return when.strftime("%Y-%m-%d %H:%M:%S")


def item(
    code: str,
    item_id: str,
    name: str = "amy",
    end: dt.datetime | None = None,
    *,
    status: str = "AUTHORIZED",
    post_status: str = "HESITATE_RECOMMEND",
    form: str = "plain",
) -> dict[str, Any]:
    """One Spark Ads post as `/tt_video/list/` lists it."""
    end = end or dt.datetime(2026, 12, 20, 8, 15, tzinfo=dt.UTC)
    start = end - dt.timedelta(days=60)
    return {
        "item_info": {
            "auth_code": code,
            "item_id": item_id,
            "item_type": "VIDEO",
            "text": "caption",
            "status": post_status,
        },
        "auth_info": {
            "ad_auth_status": status,
            "auth_start_time": tiktok_time(start, form),
            "auth_end_time": tiktok_time(end, form),
            "invite_start_time": tiktok_time(start, form),
        },
        "user_info": {"tiktok_name": name, "identity_id": f"id-{name}", "identity_type": "AUTH_CODE"},
        "video_info": {"video_cover_url": "https://example.invalid/cover.jpg", "duration": 12.5},
    }


@dataclass
class FakeTikTok(LocalServer):
    """`with FakeTikTok(posts={ADVERTISER: [item(...)]}) as fake:` then point the client at `fake.base`."""

    posts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Codes TikTok knows that no ad account holds: code → item (as `/tt_video/info/` answers)."""
    token: str = TOKEN
    refuse: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Advertiser id → (code, message) `/tt_video/list/` answers for it."""
    authorize_errors: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Code → (code, message) `/tt_video/authorize/` answers for it."""
    unbind_errors: dict[str, tuple[int, str]] = field(default_factory=dict)
    always: set[str] = field(default_factory=set)
    """Faults on every request: 'rate_limited', 'server_error', 'hang', 'not_json'."""
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    authorized: list[tuple[str, str]] = field(default_factory=list)
    unbound: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        LocalServer.__init__(self)
        self._lock = threading.Lock()
        self._queued: dict[str, list[str]] = defaultdict(list)

    @property
    def base(self) -> str:
        return self.origin + PREFIX

    def fault(self, endpoint: str, what: str, times: int = 1) -> None:
        """The next `times` requests to `endpoint` ('list', 'info', 'authorize', 'unbind', 'access_token',
        'advertiser') get `what` instead of an answer."""
        with self._lock:
            self._queued[endpoint] += [what] * times

    def count(self, endpoint: str) -> int:
        with self._lock:
            return sum(1 for _, path, _ in self.calls if _endpoint(path) == endpoint)

    def _next_fault(self, endpoint: str) -> str | None:
        with self._lock:
            if self._queued[endpoint]:
                return self._queued[endpoint].pop(0)
        return next(iter(sorted(self.always)), None)

    # --- answers ---------------------------------------------------------------------------

    def answer(self, method: str, path: str, args: dict[str, Any], token: str | None) -> tuple[int, Any]:
        endpoint = _endpoint(path)
        with self._lock:
            self.calls.append((method, path, args))
        if endpoint not in ("access_token",) and token != self.token:
            return 200, _error(40105, "Access token is incorrect or has been revoked.")
        if endpoint == "list":
            return 200, self._list(args)
        if endpoint == "info":
            return 200, self._info(args)
        if endpoint == "authorize":
            return 200, self._authorize(args)
        if endpoint == "unbind":
            return 200, self._unbind(args)
        if endpoint == "access_token":
            if (args.get("app_id"), args.get("secret")) != (APP_ID, APP_SECRET):
                return 200, _error(40101, "The app_id or secret is invalid.")
            if args.get("auth_code") != AUTH_CODE:
                return 200, _error(40110, "The auth_code is invalid or expired.")
            return 200, _ok({"access_token": self.token, "advertiser_ids": list(self.posts), "scope": [4, 5]})
        if endpoint == "advertiser":
            listed = [{"advertiser_id": a, "advertiser_name": f"Account {a[-1]}"} for a in self.posts]
            return 200, _ok({"list": listed})
        return 404, {"message": "no such endpoint"}

    def _list(self, args: dict[str, Any]) -> Any:
        advertiser = str(args.get("advertiser_id") or "")
        if advertiser in self.refuse:
            return _error(*self.refuse[advertiser])
        if advertiser not in self.posts:
            return _error(40001, "No permission to operate advertiser.")
        size = int(args.get("page_size") or 10)
        if size > 50:
            return _error(40002, "page_size: must be at most 50.")
        page = int(args.get("page") or 1)
        every = self.posts[advertiser]
        total_page = max(1, math.ceil(len(every) / size))
        chunk = every[(page - 1) * size : page * size]
        info = {"page": page, "page_size": size, "total_number": len(every), "total_page": total_page}
        return _ok({"list": chunk, "page_info": info})

    def _info(self, args: dict[str, Any]) -> Any:
        wanted = args.get("auth_code")
        for items in self.posts.values():
            for one in items:
                if one["item_info"]["auth_code"] == wanted:
                    return _ok(one)
        if wanted in self.known:
            return _ok(self.known[wanted])
        return _error(40002, f"auth_code {wanted} not found")

    def _authorize(self, body: dict[str, Any]) -> Any:
        code = str(body.get("auth_code") or "")
        if code in self.authorize_errors:
            return _error(*self.authorize_errors[code])
        advertiser = str(body.get("advertiser_id") or "")
        with self._lock:
            self.authorized.append((advertiser, code))
        return _ok({})

    def _unbind(self, body: dict[str, Any]) -> Any:
        post = str(body.get("item_id") or "")
        if post in self.unbind_errors:
            return _error(*self.unbind_errors[post])
        with self._lock:
            self.unbound.append((str(body.get("advertiser_id") or ""), post))
        return _ok({})

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if method == "GET":
                    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(parts.query).items()}
                else:
                    try:
                        args = json.loads(raw or b"{}")
                    except ValueError:
                        args = {}
                fault = fake._next_fault(_endpoint(parts.path))
                if fault == "hang":
                    with fake._lock:
                        fake.calls.append((method, parts.path, args))
                    fake._release.wait(HANG_SECONDS)
                    self.close_connection = True
                    return
                if fault == "server_error":
                    status, body = 500, b"<html>Internal Server Error</html>"
                elif fault == "not_json":
                    status, body = 200, b"<html><body>Sign in to the Wi-Fi</body></html>"
                elif fault == "rate_limited":
                    with fake._lock:
                        fake.calls.append((method, parts.path, args))
                    status, body = 200, json.dumps(_error(40100, "Too many requests.")).encode()
                else:
                    status, answer = fake.answer(method, parts.path, args, self.headers.get("Access-Token"))
                    body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                self._serve("POST")

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

        return Handler


_ENDPOINTS = {
    "/tt_video/list/": "list",
    "/tt_video/info/": "info",
    "/tt_video/authorize/": "authorize",
    "/tt_video/unbind/": "unbind",
    "/oauth2/access_token/": "access_token",
    "/oauth2/advertiser/get/": "advertiser",
}


def _endpoint(path: str) -> str:
    return _ENDPOINTS.get(path.removeprefix(PREFIX), path)


_REQUESTS = iter(range(1, 10**9))


def _ok(data: Any) -> dict[str, Any]:
    return {"code": 0, "message": "OK", "request_id": f"req-{next(_REQUESTS)}", "data": data}


def _error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "request_id": f"req-{next(_REQUESTS)}", "data": {}}
