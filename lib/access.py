"""Who may see the dashboard, and who may reveal a whole authorization code.

A hosted dashboard is shared as a link, and the sheet holds live codes (credentials). When
login is configured (`[auth]` in secrets), only emails or domains on the allowlist get in,
and only a second, smaller list may reveal a whole code. Without login the app is open to
anyone with the link, and says so; then nobody sees whole codes, unless the admin of a
single-user machine opts in with `reveal_without_login = true` (a real TOML boolean).

    [access]
    allowed = ["maya@agency.com", "@brand.com"]   # emails, or whole domains
    reveal_codes = ["maya@agency.com"]            # who may reveal a whole code
    reveal_without_login = false                  # true only on a machine nobody else opens

Addresses are compared after `str.lower()` and nothing else: Unicode folding (casefold, NFKC)
would let a look-alike address (`straße@` for `strasse@`) stand in for a listed one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

TRUE_TEXT = "true"
"""The one text spelling of `email_verified` taken as verified (some providers send strings)."""


@dataclass(frozen=True)
class AccessPolicy:
    """Who gets in and who sees whole codes; built from the secrets by `policy_from_secrets`."""

    login_required: bool
    allowed: tuple[str, ...] = ()
    revealers: tuple[str, ...] = ()
    reveal_without_login: bool = False
    """Only counts without login: the admin's explicit opt-in for a machine nobody else opens."""


def policy_from_secrets(secrets: Mapping[str, Any]) -> AccessPolicy:
    """The policy the secrets describe; login is required as soon as `[auth]` exists."""
    access = secrets.get("access")
    if not isinstance(access, Mapping):  # missing, or written as a value instead of an [access] table
        access = {}
    return AccessPolicy(
        login_required="auth" in secrets,
        allowed=_entries(access.get("allowed", ())),
        revealers=_entries(access.get("reveal_codes", ())),
        # `is True`: a quoted "true", a 1 or a typo must not hand out credentials on an open link.
        reveal_without_login=access.get("reveal_without_login") is True,
    )


def signed_in_email(user: Mapping[str, Any]) -> str | None:
    """The address this person is signed in as, or None.

    The `email` claim alone is not proof: some providers let anyone put any address on an
    account. Where the provider says whether it checked the address (`email_verified`),
    anything but true (False, "false", 0, missing value) means nobody is signed in as it.
    """
    if user.get("is_logged_in") is not True:
        return None
    email = user.get("email")
    if not email:
        return None
    if "email_verified" in user and not _is_true(user.get("email_verified")):
        return None
    return str(email)


def _is_true(value: object) -> bool:
    """True, or the text "true": never 1 or "yes", so an odd claim fails closed."""
    return value is True or isinstance(value, str) and value.strip().lower() == TRUE_TEXT


def _address(value: object) -> str | None:
    """The comparable form of an address or entry: stripped and `str.lower()`-ed, nothing more.

    Text not in Unicode's composed form (NFC) is refused rather than normalised: that is how a
    Kelvin sign (U+212A, which `str.lower()` turns into "k"), an Angstrom or Ohm sign, or a
    decomposed accent would otherwise pass for a listed address's ordinary letters.
    """
    text = str(value).strip()
    if not text or unicodedata.normalize("NFC", text) != text:
        return None
    return text.lower()


def _entries(values: str | Iterable[object] | None) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(entry for v in values or () if (entry := _address(v)))


def _matches(entries: tuple[str, ...], email: str | None) -> bool:
    address = _address(email) if email else None
    if not address or "@" not in address:
        return False
    domain = address.rsplit("@", 1)[1]
    return any(e == address or e.lstrip("@") == domain and "@" not in e.lstrip("@") for e in entries)


def is_allowed(policy: AccessPolicy, email: str | None) -> bool:
    """May this person see the dashboard at all?"""
    return not policy.login_required or _matches(policy.allowed, email)


def can_reveal(policy: AccessPolicy, email: str | None) -> bool:
    """May this person reveal a whole code? With login, the reveal list; without, nobody unless opted in.

    An open link reaches whoever it was forwarded to, so codes stay masked there by default.
    """
    if not policy.login_required:
        return policy.reveal_without_login
    return is_allowed(policy, email) and _matches(policy.revealers, email)
