"""Web addresses typed into settings: this machine, and an API root worth sending a token to."""

from __future__ import annotations

import pytest

from lib.addresses import api_root, this_machine


@pytest.mark.parametrize(
    ("host", "local"),
    [("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("::1", True), ("10.0.0.1", False),
     ("sheets.googleapis.com", False), (None, False), ("", False)],
)  # fmt: skip
def test_only_loopback_hosts_are_this_machine(host, local):
    assert this_machine(host) is local


@pytest.mark.parametrize(
    ("written", "root"),
    [
        ("https://sheets.googleapis.com/", "https://sheets.googleapis.com"),
        ("  http://127.0.0.1:8080  ", "http://127.0.0.1:8080"),
        ("http://sheets.example.com", None),  # a token in clear over a network
        ("https://x.test/?a=1", None),
        ("https://x.test/#f", None),
        ("https://user:pw@x.test", None),
        ("https://x.test:port", None),
        ("ftp://x.test", None),
        ("not an address", None),
    ],
)
def test_an_api_root_is_https_or_this_machine_without_extras(written, root):
    assert api_root(written) == root
