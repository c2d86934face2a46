"""Web addresses typed into settings: whether a host is this machine, and an API root worth using.

The Sheets API root and TikTok's API base follow one rule (https, or plain http only to this
machine, with no query, fragment or credentials), and a published link may use http only to
this machine: the rule lives here once.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def this_machine(host: str | None) -> bool:
    """Whether `host` is this machine itself: a request to it never crosses a network."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_root(written: str) -> str | None:
    """The address without its trailing '/', or None when it is no API root to send a token to."""
    text = written.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if not parts.hostname or parts.query or parts.fragment or parts.username or parts.password or "?" in text:
        return None
    if parts.scheme == "https" or (parts.scheme == "http" and this_machine(parts.hostname)):
        return text
    return None
