"""Who may see the dashboard, and who may reveal a whole authorization code.

A hosted dashboard is shared as a link, and the sheet holds live codes (credentials). When
login is configured (`[auth]` in secrets), only emails or domains on the allowlist get in,
and only a second, smaller list may reveal a whole code. Without login the app is open to
anyone with the link, and says so.

    [access]
    allowed = ["maya@agency.com", "@brand.com"]   # emails, or whole domains
    reveal_codes = ["maya@agency.com"]            # who may reveal a whole code
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AccessPolicy:
    login_required: bool
    allowed: tuple[str, ...] = ()
    revealers: tuple[str, ...] = ()


def policy_from_secrets(secrets: Mapping[str, Any]) -> AccessPolicy:
    """The policy the secrets describe; login is required as soon as `[auth]` exists."""
    access = secrets.get("access")
    if not isinstance(access, Mapping):  # missing, or written as a value instead of an [access] table
        access = {}
    return AccessPolicy(
        login_required="auth" in secrets,
        allowed=_entries(access.get("allowed", ())),
        revealers=_entries(access.get("reveal_codes", ())),
    )


def _entries(values: object) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(str(v).strip().casefold() for v in values or () if str(v).strip())


def _matches(entries: tuple[str, ...], email: str | None) -> bool:
    if not email or "@" not in email:
        return False
    email = email.strip().casefold()
    domain = email.rsplit("@", 1)[1]
    return any(e == email or e.lstrip("@") == domain and "@" not in e.lstrip("@") for e in entries)


def is_allowed(policy: AccessPolicy, email: str | None) -> bool:
    """May this person see the dashboard at all?"""
    return not policy.login_required or _matches(policy.allowed, email)


def can_reveal(policy: AccessPolicy, email: str | None) -> bool:
    """May this person reveal a whole code? Everyone when there is no login; else the reveal list."""
    if not policy.login_required:
        return True
    return is_allowed(policy, email) and _matches(policy.revealers, email)
