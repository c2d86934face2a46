"""Which TikTok ad accounts to check, and the token that reads them: from the settings or the environment.

In `.streamlit/secrets.toml`:

    [tiktok]
    access_token = "…"                    # a long-term token for the app (see the README)
    advertiser_ids = ["7000000000000000001", "7000000000000000002"]
    api_base = "https://…"                # optional: TikTok's sandbox, or a proxy

or in the environment: TIKTOK_ACCESS_TOKEN, TIKTOK_ADVERTISER_IDS (comma-separated) and
SPARKWATCH_TIKTOK_API. The settings file wins over the environment, setting by setting, as for
the sheet. The command line reads the environment only (no settings file is read there).

The token is a secret like the service-account key: whoever holds it can apply codes to the
team's ad accounts. So `TikTokConfig` never shows it — not in its repr, its str or its
comparisons — and `fingerprint` gives caches a name for it that reveals nothing. Like
`lib.settings`, this never raises: a mistake becomes the config's `problem`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lib.addresses import api_root

TIKTOK_TABLE = "tiktok"
TOKEN_ENV = "TIKTOK_ACCESS_TOKEN"
ADVERTISERS_ENV = "TIKTOK_ADVERTISER_IDS"
API_ENV = "SPARKWATCH_TIKTOK_API"
TIKTOK_API = "https://business-api.tiktok.com/open_api/v1.3"
SANDBOX_API = "https://sandbox-ads.tiktok.com/open_api/v1.3"
MAX_ADVERTISERS = 50
"""More ad accounts than any team checks at once; each one is a few requests per read."""

_ADVERTISER_RE = re.compile(r"^\d{1,25}$")


@dataclass(frozen=True)
class TikTokConfig:
    """The TikTok settings. `access_token` never appears in the repr, str or comparisons."""

    access_token: str = field(repr=False, compare=False)
    advertiser_ids: tuple[str, ...] = ()
    api_base: str = TIKTOK_API
    origin: str = "settings"
    """'settings' or 'environment': where the token came from."""
    problem: str | None = None
    """A mistake in the settings, in plain words; set means: do not call TikTok."""

    @property
    def ready(self) -> bool:
        """A token, at least one ad account, and nothing wrong: TikTok can be read."""
        return bool(self.access_token) and bool(self.advertiser_ids) and self.problem is None

    @property
    def fingerprint(self) -> str:
        """A short digest naming the token, base and ad accounts for caches; reveals nothing of the token."""
        text = "\x00".join([self.access_token, self.api_base, *self.advertiser_ids])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def tiktok_settings(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> TikTokConfig | None:
    """The TikTok config from the settings' [tiktok] table and the environment; None when neither names TikTok."""
    table = secrets.get(TIKTOK_TABLE)
    if table is not None and not isinstance(table, Mapping):
        return TikTokConfig("", problem="The settings' [tiktok] part is not a table: write it as a [tiktok] section.")
    table = table or {}
    token_value = table.get("access_token")
    origin = "settings"
    if token_value is None:
        token_value, origin = environ.get(TOKEN_ENV), "environment"
    written_ids = table.get("advertiser_ids")
    if written_ids is None:
        written_ids = environ.get(ADVERTISERS_ENV)
    written_base = table.get("api_base")
    base_origin = "api_base under [tiktok]"
    if written_base is None:
        written_base, base_origin = environ.get(API_ENV), API_ENV
    if token_value is None and written_ids is None and not table:
        return None

    token = token_value.strip() if isinstance(token_value, str) else ""
    ids, ids_problem = _advertiser_ids(written_ids)
    base, base_problem = _api_base(written_base, base_origin)
    problem = None
    if not isinstance(token_value, str | None):
        problem = "The TikTok access_token in the settings is not text: write it in quotes."
    elif not token:
        problem = (
            f"TikTok is set up without an access token: add access_token under [tiktok] (or set {TOKEN_ENV}). "
            "The README's 'Check against TikTok' section says how to get one."
        )
    elif any(c.isspace() for c in token) or not token.isprintable():
        problem = "The TikTok access token holds spaces or line breaks: copy it again as one line, in quotes."
    problem = problem or ids_problem or base_problem
    return TikTokConfig(token, ids, base, origin=origin, problem=problem)


def _advertiser_ids(written: Any) -> tuple[tuple[str, ...], str | None]:
    """Ad account ids from a list (text or numbers) or one comma-separated text, in order, once each."""
    if written is None:
        parts: list[Any] = []
    elif isinstance(written, str):
        parts = written.split(",")
    elif isinstance(written, list | tuple):
        parts = list(written)
    else:
        parts = [written]
    ids: list[str] = []
    for part in parts:
        text = str(part).strip() if isinstance(part, str | int) and not isinstance(part, bool) else None
        if text == "":
            continue
        if text is None or not _ADVERTISER_RE.match(text):
            return (), (
                "The TikTok advertiser_ids should be the ad accounts' numbers (Ads Manager shows them at the top, "
                'beside the account name), like ["7000000000000000001"]; one of them is not a number.'
            )
        ids.append(text)
    ids = list(dict.fromkeys(ids))
    if not ids:
        return (), (
            f"No TikTok ad account is named: add advertiser_ids under [tiktok] (or set {ADVERTISERS_ENV}). "
            "`python -m lib.cli tiktok-token` lists the ad accounts the token reaches."
        )
    if len(ids) > MAX_ADVERTISERS:
        return (), f"More than {MAX_ADVERTISERS} TikTok ad accounts are named; check the {MAX_ADVERTISERS} that matter."
    return tuple(ids), None


def _api_base(written: Any, origin: str) -> tuple[str, str | None]:
    """TikTok's API root, or another (sandbox, proxy): https only, plain http only to this machine.

    The token travels with every request, so it must never cross the network in clear text.
    """
    if written is None or (isinstance(written, str) and not written.strip()):
        return TIKTOK_API, None
    problem = (
        f"{origin} should be the address of TikTok's API, like {TIKTOK_API} (https, and no ? or # part; plain "
        "http only for this machine). Fix it, or remove it to use TikTok's own."
    )
    root = api_root(written) if isinstance(written, str) else None
    return (root, None) if root else (TIKTOK_API, problem)
