"""From the one-hour auth code of TikTok's authorization page to a long-term access token.

An admin opens the app's advertiser authorization link (TikTok for Business → My apps), picks
the ad accounts, and TikTok redirects with `auth_code` (valid one hour, once). This trades it
(`POST /oauth2/access_token/` with the app's id and secret) and lists the ad accounts the token
reaches (`GET /oauth2/advertiser/get/`). The secret and the token are secrets: they are
scrubbed from every error sentence (`TikTokApi(hidden=…)`) and returned, never logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lib.errors import ErrorKind, TikTokError
from lib.tiktok.api import TikTokApi, TikTokRefusal, unexpected


@dataclass(frozen=True)
class TokenGrant:
    """What TikTok gave: the token (never in the repr) and the ad accounts it reaches, as (id, name)."""

    access_token: str = field(repr=False)
    advertisers: tuple[tuple[str, str], ...] = ()


def exchange_auth_code(api: TikTokApi, app_id: str, secret: str, auth_code: str) -> TokenGrant:
    """Trade the auth code for a long-term token, then list the ad accounts it reaches.

    `api` should be made with `hidden=(secret, auth_code)` so neither can reach a message.
    """
    try:
        answer = api.post(
            "/oauth2/access_token/", {"app_id": app_id, "secret": secret, "auth_code": auth_code}, token=False
        )
    except TikTokRefusal as refusal:
        raise _exchange_refused(refusal) from None
    data = answer.data if isinstance(answer.data, Mapping) else {}
    token = data.get("access_token")
    if not isinstance(token, str) or not token.strip():
        raise unexpected("no access token in the answer")
    token = token.strip()
    listed = TikTokApi(token, api.base, timeout=api.timeout, hidden=(secret, auth_code), sleep=api.sleep)
    try:
        accounts = listed.get("/oauth2/advertiser/get/", {"app_id": app_id, "secret": secret})
    finally:
        listed.close()
    items = accounts.data.get("list") if isinstance(accounts.data, Mapping) else None
    advertisers = tuple(
        (str(a.get("advertiser_id")), str(a.get("advertiser_name") or ""))
        for a in items or ()
        if isinstance(a, Mapping) and a.get("advertiser_id")
    )
    if not advertisers and isinstance(data.get("advertiser_ids"), list):
        advertisers = tuple((str(a), "") for a in data["advertiser_ids"])
    return TokenGrant(token, advertisers)


def _exchange_refused(refusal: TikTokRefusal) -> TikTokError:
    if refusal.code == 40101:
        return TikTokError(
            "TikTok did not accept the app id or the app secret: copy both again from TikTok for Business → "
            "My apps → your app.",
            kind=ErrorKind.TOKEN_REJECTED,
        )
    if refusal.code == 40110:
        return TikTokError(
            "TikTok did not accept the auth code: it works once, within an hour. Open the app's authorization "
            "link again and use the new auth_code from the address it sends you to.",
            kind=ErrorKind.TOKEN_REJECTED,
        )
    return refusal
