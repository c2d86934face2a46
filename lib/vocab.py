"""The product's language, defined once, as data.

Health states, issue ids, roles, symptoms and Ads Manager error codes are what every
page, the command line, the messages and the tests talk about. Keeping them here as plain
data means a wording fix or a new symptom is one edit, and nothing can drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# ---------------------------------------------------------------------------
# Roles: who fixes what, and where they do it.


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    where: str
    does: str


ROLES: dict[str, Role] = {
    r.id: r
    for r in (
        Role(
            "creator",
            "Creator",
            "TikTok app",
            "Generates authorization codes on their own posts, keeps those posts public, "
            "and never deletes a code while an ad is running.",
        ),
        Role(
            "advertiser",
            "Advertiser",
            "Ads Manager → Tools → Creative library",
            "Applies the codes the creator sends, up to 20 at a time, and re-applies new ones.",
        ),
        Role(
            "org_admin",
            "Org admin",
            "Business Center → Assets → TikTok accounts",
            "Adds creators' TikTok accounts to Business Center and links them to the ad "
            "account with Ad Delivery permission.",
        ),
        Role(
            "media_buyer",
            "Media buyer",
            "Ads Manager → ad set-up",
            "Builds the ad: picks the authorized post and sets Identity to the creator's handle.",
        ),
    )
}

# ---------------------------------------------------------------------------
# Health: one state per row. Order matters: worst first, and the first that applies wins.


class HealthId(StrEnum):
    """Health state ids, worst first: the first that applies to a row wins."""

    REVOKED = "revoked"
    EXPIRED = "expired"
    BLOCKED = "blocked"
    PENDING = "pending"
    EXPIRING = "expiring"
    UNKNOWN = "unknown"
    OK = "ok"


@dataclass(frozen=True)
class Health:
    id: HealthId
    label: str
    color: str
    meaning: str


HEALTH: dict[HealthId, Health] = {
    h.id: h
    for h in (
        Health(HealthId.REVOKED, "Revoked", "#882255", "The creator withdrew the code; ads using it stop."),
        Health(HealthId.EXPIRED, "Expired", "#cc3311", "The authorization has ended; ads using it stop."),
        Health(
            HealthId.BLOCKED,
            "Blocked",
            "#6a3d9a",
            "Still in date, but something stops the ad from running.",
        ),
        Health(HealthId.PENDING, "Waiting for code", "#b35900", "No code has been received from the creator yet."),
        Health(HealthId.EXPIRING, "Expiring soon", "#8f6c00", "Ends within the warning window."),
        Health(HealthId.UNKNOWN, "Expiry unknown", "#6e6e6e", "The sheet does not say when this code ends."),
        Health(HealthId.OK, "OK", "#117733", "Nothing to do."),
    )
}
"""Each state's colour is its own, everywhere (charts, table labels): from Paul Tol's colour-blind-safe
sets, darkened where needed so every mark reaches 3:1 against the white page (WCAG 1.4.11) and the
tables' white state labels on it 4.5:1 (1.4.3). Charts
add a pattern per state (`lib.charts.HEALTH_PATTERNS`) and a label, so no state is told by colour alone."""

HEALTH_ORDER: tuple[HealthId, ...] = tuple(HealthId)
"""Health states worst first; also the order used to sort rows by urgency."""

ENDED: tuple[HealthId, ...] = (HealthId.REVOKED, HealthId.EXPIRED)
"""States in which the ad has stopped for good: nothing left to apply or remind about."""

DEFAULT_WARN_DAYS = 7

HARD_REFRESH_NOTE = (
    "After any fix, hard-refresh the page that shows the preview (Ctrl+Shift+R, or Cmd+Shift+R "
    "on a Mac): it may be showing old, cached data."
)

# ---------------------------------------------------------------------------
# Durations a creator can pick, and the margin we ask for beyond the campaign end.

DURATION_OPTIONS: tuple[int, ...] = (7, 30, 60, 365)
CAMPAIGN_MARGIN_DAYS = 14
ADS_MANAGER_BATCH_LIMIT = 20

# ---------------------------------------------------------------------------
# Sheet columns: canonical names and the header spellings teams use for them.

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "creator": ("handle", "tiktok_handle", "creator_handle", "username", "tiktok", "creator_name"),
    "post_url": ("post", "video", "video_url", "post_link", "link", "url", "tiktok_url"),
    "post_id": ("video_id",),
    "code": (
        "spark_code",
        "auth_code",
        "authorization_code",
        "ad_code",
        "boost_code",
        "video_code",
        "spark_ads_code",
    ),
    "access_method": ("access", "method"),
    "authorized_on": (
        "authorized",
        "authorization_date",
        "date_authorized",
        "generated_on",
        "applied_on",
        "authorized_date",
    ),
    "duration_days": ("duration", "days", "auth_duration"),
    "expires_on": ("expires", "expiry", "expiry_date", "expiration", "expiration_date", "expires_at"),
    "status": (),
    "campaign": ("campaign_name",),
    "brand": ("client",),
    "owner": ("assignee", "responsible"),
    "campaign_start": ("campaign_start_date",),
    "campaign_end": ("campaign_end_date",),
    "creator_region": (),
    "ad_account_region": ("advertiser_region", "account_region"),
    "post_visibility": ("visibility", "privacy"),
    "identity": (),
    "ad_delivery_permission": ("ad_delivery", "bc_shared"),
    "ad_account": ("advertiser_account", "ad_account_id", "advertiser_id"),
    "notes": ("note", "comments"),
}

DATE_COLUMNS: tuple[str, ...] = ("authorized_on", "expires_on", "campaign_start", "campaign_end")


class Status(StrEnum):
    """What the sheet's status column can mean, once read."""

    ACTIVE = "active"
    PENDING = "pending"
    REVOKED = "revoked"
    EXPIRED = "expired"
    REJECTED = "rejected"


# Values the team may type, mapped to the one word the product uses.
STATUS_VALUES: dict[str, Status] = {
    # The code is applied and the ad can run.
    "active": Status.ACTIVE,
    "live": Status.ACTIVE,
    "applied": Status.ACTIVE,
    "running": Status.ACTIVE,
    "ok": Status.ACTIVE,
    "authorized": Status.ACTIVE,  # TikTok's ad_auth_status AUTHORIZED
    "authorised": Status.ACTIVE,
    "bound": Status.ACTIVE,  # bound to the ad account
    "used": Status.ACTIVE,
    "in use": Status.ACTIVE,  # TikTok's IN_USE
    "paid": Status.ACTIVE,  # paid usage running
    # The code exists (or is on its way) but is not applied yet.
    "pending": Status.PENDING,
    "received": Status.PENDING,
    "code received": Status.PENDING,
    "spark code received": Status.PENDING,
    "not applied": Status.PENDING,
    "not used": Status.PENDING,  # TikTok's NOT_USED
    "requested": Status.PENDING,
    "waiting": Status.PENDING,
    "identified": Status.PENDING,
    "ready": Status.PENDING,
    "posted": Status.PENDING,
    # The creator took it back.
    "revoked": Status.REVOKED,
    "deleted": Status.REVOKED,  # TikTok's DELETED
    "withdrawn": Status.REVOKED,
    # It ran out.
    "expired": Status.EXPIRED,  # TikTok's EXPIRED
    # Ads Manager turned the code down.
    "rejected": Status.REJECTED,
    "failed": Status.REJECTED,
    "invalid": Status.REJECTED,
    "error": Status.REJECTED,
}
"""Status words teams and TikTok write, folded (lower case, `_`/`-` as spaces), to the product's word.

`rejected` is not a health state of its own: the diagnosis reads it as a damaged code."""
VISIBILITY_VALUES: dict[str, str] = {
    "public": "public",
    "everyone": "public",
    "private": "private",
    "only me": "private",
    "friends": "friends",
    "friends only": "friends",
    "followers": "friends",
}
IDENTITY_VALUES: dict[str, str] = {
    "creator": "creator",
    "handle": "creator",
    "creator handle": "creator",
    "tiktok handle": "creator",
    "custom": "custom",
    "custom identity": "custom",
}
ACCESS_VALUES: dict[str, str] = {
    "code": "code",
    "spark code": "code",
    "auth code": "code",
    "authorization code": "code",
    "business center": "business_center",
    "business_center": "business_center",
    "businesscenter": "business_center",
    "bc": "business_center",
    "bc link": "business_center",
}
BOOLEAN_VALUES: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "✓": True,
    "✔": True,
    "✅": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "✗": False,
    "✘": False,
    "❌": False,
}


def role_labels(role_ids: tuple[str, ...] | list[str]) -> str:
    """'Creator, Advertiser' for a tuple of role ids: the one way roles are written out."""
    return ", ".join(ROLES[r].label for r in role_ids)
