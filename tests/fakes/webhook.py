"""A local stand-in for a Slack incoming webhook: an HTTP server on 127.0.0.1 that records posts.

Tests point the real alert code at `receiver.url` and read back exactly what a chat service
would have received. Failure is switchable: answer with any status and body (Slack's own
`404 no_service`, a `500`), redirect elsewhere, or hang until the client's timeout fires.

`DrippingServer` is the slow variant of any HTTP server (a webhook, a published link): it answers
every GET and POST one byte at a time, so a client whose timeout bounds each read, not the whole
exchange, keeps reading long after its timeout.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.local_server import LocalServer

SECRET_PATH = "/services/T0000/B0000/s3cretW3bhookPath"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy")


def clear_proxies(monkeypatch) -> None:
    """Whatever the machine's proxy settings, tests reach 127.0.0.1 directly."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class WebhookReceiver(LocalServer):
    """Start with `with WebhookReceiver() as receiver:`; every POST lands in `received`."""

    status: int = 200
    reply: bytes = b"ok"
    location: str | None = None
    """Set (with a 3xx status) to answer with a redirect."""
    hang: bool = False
    """When True, requests wait without an answer until the receiver stops."""
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        LocalServer.__init__(self)
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.origin}{SECRET_PATH}"

    @property
    def payloads(self) -> list[Any]:
        with self._lock:
            return [r.json for r in self.received]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                if receiver.hang:
                    receiver._release.wait(timeout=30)
                    return
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

        return Handler


@dataclass
class DrippingServer(LocalServer):
    """Answers every request with `status` and `body`, one byte every `interval` seconds.

    `drip_head=True` drips from the status line on (the client never even sees the headers);
    otherwise the status line and headers arrive at once and the body drips. The body is long
    enough to outlast any test, and stopping the server stops the drip at once.
    """

    interval: float = 0.5
    drip_head: bool = False
    status: int = 200
    body: bytes = b"Creator,Expires\r\n" + b"@amy,2026-12-01\r\n" * 4000
    content_type: str = "text/csv; charset=utf-8"
    requests: int = 0

    def __post_init__(self) -> None:
        LocalServer.__init__(self)

    @property
    def url(self) -> str:
        return f"{self.origin}/spreadsheets/d/e/2PACX-drip/pub?output=csv"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                server.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                head = (
                    f"HTTP/1.1 {server.status} Slow\r\nContent-Type: {server.content_type}\r\n"
                    f"Content-Length: {len(server.body)}\r\nConnection: close\r\n\r\n"
                ).encode("ascii")
                if not server.drip_head:
                    self.wfile.write(head)
                    self.wfile.flush()
                dripped = (head if server.drip_head else b"") + server.body
                for i in range(len(dripped)):
                    self.wfile.write(dripped[i : i + 1])
                    self.wfile.flush()
                    if server._release.wait(server.interval):
                        break
                self.close_connection = True

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

        return Handler
