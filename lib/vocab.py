"""The product's language, defined once, as data.

Health states, issue ids, roles, symptoms and Ads Manager error codes are what every
page, the command line, the messages and the tests talk about. Keeping them here as plain
data means a wording fix or a new symptom is one edit, and nothing can drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Health:
    id: str
    label: str
    color: str
    meaning: str


HEALTH: dict[str, Health] = {
    h.id: h
    for h in (
        Health("revoked", "Revoked", "#b71c1c", "The creator withdrew the code; ads using it stop."),
        Health("expired", "Expired", "#e53935", "The authorization has ended; ads using it stop."),
        Health(
            "blocked",
            "Blocked",
            "#8e24aa",
            "Still in date, but something stops the ad from running.",
        ),
        Health("pending", "Waiting for code", "#fb8c00", "No code has been received from the creator yet."),
        Health("expiring", "Expiring soon", "#fdd835", "Ends within the warning window."),
        Health("unknown", "Expiry unknown", "#90a4ae", "The sheet does not say when this code ends."),
        Health("ok", "OK", "#43a047", "Nothing to do."),
    )
}

HEALTH_ORDER: tuple[str, ...] = tuple(HEALTH)
"""Health states worst first; also the order used to sort rows by urgency."""

DEFAULT_WARN_DAYS = 7

# ---------------------------------------------------------------------------
# Issues: any number per row, each tied to a cause, a fix and the people who do it.


@dataclass(frozen=True)
class Issue:
    id: str
    label: str
    cause: str
    roles: tuple[str, ...]
    steps: tuple[str, ...]
    blocks: bool = False
    """True when the issue stops a still-in-date authorization from running (health `blocked`)."""
    needs_creator: bool = False
    """True when the fix starts with a message to the creator."""


ISSUES: dict[str, Issue] = {
    i.id: i
    for i in (
        Issue(
            "code_expired",
            "Code expired",
            "The authorization window the creator chose has run out, so TikTok stopped letting the ad use the post.",
            ("creator", "advertiser"),
            (
                "Ask the creator to open the post in the TikTok app, tap … → Ad settings, and "
                "extend the authorization or generate a new code with a longer duration.",
                "If a new code was generated, apply it in Ads Manager → Tools → Creative library "
                "→ Add code, then pick the post again in the ad.",
                "Write the new code and its expiry date in the sheet.",
            ),
            needs_creator=True,
        ),
        Issue(
            "code_revoked",
            "Code withdrawn by the creator",
            "The creator deleted the code (or turned off ad authorization), which cuts the ad off from the post.",
            ("creator", "advertiser"),
            (
                "Contact the creator and ask, kindly, why the code was withdrawn.",
                "If they agree to continue, ask for a new code on the same post.",
                "Apply the new code in Ads Manager → Tools → Creative library → Add code.",
                "Update the code and the status in the sheet.",
            ),
            needs_creator=True,
        ),
        Issue(
            "expiring_soon",
            "Expires soon",
            "The code ends within the warning window; the ad will stop on that day.",
            ("creator",),
            (
                "Message the creator today and ask them to extend the authorization or send a "
                "new code whose duration covers the rest of the campaign.",
                "Apply the new code as soon as it arrives and update the expiry date in the sheet.",
            ),
            needs_creator=True,
        ),
        Issue(
            "expires_before_campaign_end",
            "Ends before the campaign does",
            "The duration the creator picked is shorter than the campaign, so the ad will stop "
            "before the campaign is over.",
            ("creator",),
            (
                "Ask the creator for a new code with a longer duration (60 or 365 days), covering "
                "the campaign end plus a margin for extensions.",
                "Apply it in Ads Manager → Tools → Creative library and update the sheet.",
            ),
            needs_creator=True,
        ),
        Issue(
            "missing_code",
            "No code received",
            "The creator has not generated a code for this post yet, so Ads Manager cannot find it.",
            ("creator", "advertiser"),
            (
                "Ask the creator to open the post in the TikTok app, tap … → Ad settings, turn on "
                "ad authorization, pick a duration, tap Generate and copy the code.",
                "Apply the code in Ads Manager → Tools → Creative library → Add code → Confirm.",
                "Paste the code and today's date in the sheet.",
            ),
            needs_creator=True,
        ),
        Issue(
            "invalid_code_format",
            "Code looks damaged",
            "The code in the sheet does not look like a TikTok code (it should start with # "
            "followed by a long run of letters and digits), or the sheet says Ads Manager turned "
            "it down; it was probably cut short or changed while copying.",
            ("creator",),
            (
                "Ask the creator to copy the code again from the post's Ad settings and send it as plain text.",
                "Paste it into the sheet without extra spaces and apply it again.",
            ),
            blocks=True,
            needs_creator=True,
        ),
        Issue(
            "duplicate_code",
            "Same code on different posts",
            "A code belongs to exactly one post; the same code appears against different "
            "posts, so at least one of those rows points at the wrong video.",
            ("creator",),
            (
                "Check which post the code really opens (apply it in Creative library and look at the preview).",
                "Ask the creator for a separate code for each of the other posts.",
                "Fix the rows in the sheet so each post has its own code.",
            ),
            blocks=True,
            needs_creator=True,
        ),
        Issue(
            "region_mismatch",
            "Regions don't match",
            "The creator's account and the ad account are registered in different regions, "
            "and TikTok may refuse to pair them.",
            ("advertiser",),
            (
                "Check in Ads Manager whether the creator's region can be used with this ad account's region.",
                "If not, run the Spark Ad from an ad account in a compatible region.",
            ),
            blocks=True,
        ),
        Issue(
            "post_not_public",
            "Post is not public",
            "Spark Ads only run on public posts; a post set to private or friends-only cannot "
            "be shown or stops delivering.",
            ("creator",),
            (
                "Ask the creator to set the post's privacy to Everyone in the TikTok app.",
                "Ask them to keep it public until the campaign is over.",
            ),
            blocks=True,
            needs_creator=True,
        ),
        Issue(
            "custom_identity",
            "Ad uses a custom identity",
            "The ad is set to show a custom identity instead of the creator's handle, so it is "
            "not a Spark Ad of the creator's post.",
            ("media_buyer",),
            (
                "Open the ad in Ads Manager and go to the Identity section.",
                "Choose the creator's TikTok handle (the authorized post's account), not a custom identity, then save.",
            ),
            blocks=True,
        ),
        Issue(
            "bc_not_shared",
            "Not shared in Business Center",
            "The creator's TikTok account is in Business Center but is not linked to the ad "
            "account with Ad Delivery permission.",
            ("org_admin",),
            (
                "Open Business Center → Assets (or Accounts) → TikTok accounts.",
                "Find the creator's account, click View, open Linked accounts → Link accounts.",
                "Choose the advertiser account and grant Ad Delivery permission, then save.",
            ),
            blocks=True,
        ),
    )
}

ISSUE_ORDER: tuple[str, ...] = tuple(ISSUES)
BLOCKING_ISSUES: tuple[str, ...] = tuple(i.id for i in ISSUES.values() if i.blocks)

HARD_REFRESH_NOTE = (
    "After any fix, hard-refresh the page that shows the preview (Ctrl+Shift+R, or Cmd+Shift+R "
    "on a Mac): it may be showing old, cached data."
)

# ---------------------------------------------------------------------------
# Symptoms: what a non-technical person sees, and the causes that can explain it.


@dataclass(frozen=True)
class Symptom:
    id: str
    label: str
    causes: tuple[str, ...]
    """Issue ids, most likely first."""
    advice: tuple[str, ...] = ()
    """Steps for symptoms that no issue id explains (nothing in the sheet can show them)."""
    roles: tuple[str, ...] = ()


SYMPTOMS: dict[str, Symptom] = {
    s.id: s
    for s in (
        Symptom(
            "preview_missing",
            "The Spark Ad preview does not load",
            ("missing_code", "bc_not_shared", "custom_identity", "code_expired", "code_revoked"),
        ),
        Symptom(
            "post_not_found",
            "I can't find the post when setting up the ad (or in Creative library)",
            ("missing_code", "code_expired", "bc_not_shared"),
        ),
        Symptom(
            "preview_gone",
            "A preview that worked yesterday is gone",
            ("code_expired", "code_revoked", "post_not_public"),
        ),
        Symptom(
            "ad_stopped",
            "The ad stopped delivering in the middle of the campaign",
            ("code_expired", "code_revoked", "post_not_public", "expires_before_campaign_end"),
        ),
        Symptom("wrong_identity", "The wrong TikTok handle shows as the ad's identity", ("custom_identity",)),
        Symptom(
            "visible_not_in_ads_manager",
            "The post is visible on TikTok but not in Ads Manager",
            ("bc_not_shared", "missing_code"),
        ),
        Symptom(
            "code_rejected",
            "Ads Manager says the code is invalid or expired",
            ("code_expired", "invalid_code_format"),
        ),
        Symptom(
            "code_stopped_working",
            "A code that used to work stopped working",
            ("code_revoked", "code_expired"),
        ),
        Symptom(
            "wrong_video",
            "The code brings up a different video",
            ("duplicate_code",),
        ),
        Symptom(
            "wont_attach",
            "The code won't attach to our ad account",
            ("region_mismatch", "bc_not_shared"),
        ),
        Symptom(
            "format_not_supported",
            "Ads Manager says the post's format is not supported",
            (),
            advice=(
                "Some kinds of post cannot be Spark Ads (for example Stories and duet carousels); "
                "nothing can be changed on this post to make it work.",
                "Agree with the creator on another post of a supported kind and ask for a code for that one.",
                "Before the next campaign, check the format with the creator before they publish.",
            ),
            roles=("creator", "media_buyer"),
        ),
        Symptom(
            "caption_change",
            "We need to change the caption after the post was authorized",
            (),
            advice=(
                "Ads Manager cannot change the caption of an authorized post.",
                "Ask the creator to edit the caption in the TikTok app if they can, or to publish "
                "a new post with the right caption.",
                "A new post needs its own new code: apply it and update the sheet.",
            ),
            roles=("creator", "advertiser"),
        ),
    )
}

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

# Values the team may type, mapped to the one word the product uses.
STATUS_VALUES: dict[str, str] = {
    # The code is applied and the ad can run.
    "active": "active",
    "live": "active",
    "applied": "active",
    "running": "active",
    "ok": "active",
    "authorized": "active",  # TikTok's ad_auth_status AUTHORIZED
    "authorised": "active",
    "bound": "active",  # bound to the ad account
    "used": "active",
    "in use": "active",  # TikTok's IN_USE
    "paid": "active",  # paid usage running
    # The code exists (or is on its way) but is not applied yet.
    "pending": "pending",
    "received": "pending",
    "code received": "pending",
    "spark code received": "pending",
    "not applied": "pending",
    "not used": "pending",  # TikTok's NOT_USED
    "requested": "pending",
    "waiting": "pending",
    "identified": "pending",
    "ready": "pending",
    "posted": "pending",
    # The creator took it back.
    "revoked": "revoked",
    "deleted": "revoked",  # TikTok's DELETED
    "withdrawn": "revoked",
    # It ran out.
    "expired": "expired",  # TikTok's EXPIRED
    # Ads Manager turned the code down.
    "rejected": "rejected",
    "failed": "rejected",
    "invalid": "rejected",
    "error": "rejected",
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

# ---------------------------------------------------------------------------
# Errors Ads Manager shows when a code is applied.


@dataclass(frozen=True)
class AdsError:
    number: str
    names: tuple[str, ...]
    meaning: str
    fix: str
    roles: tuple[str, ...]
    cause: str | None = None
    """The matching issue id in the symptom picker, where there is one."""


ADS_ERRORS: tuple[AdsError, ...] = (
    AdsError(
        "4025",
        ("auth_code_expired",),
        "The authorization on this post has ended.",
        "Ask the creator to extend the authorization in the post's Ad settings, or to generate "
        "a new code (some teams find an expired code cannot be brought back, so a new one is "
        "the safe choice).",
        ("creator", "advertiser"),
        "code_expired",
    ),
    AdsError(
        "",
        ("auth_code_not_found",),
        "The creator deleted this code, so TikTok no longer knows it.",
        "Ask the creator for a new code on the same post and apply it.",
        ("creator", "advertiser"),
        "code_revoked",
    ),
    AdsError(
        "4013",
        ("auth_code_format_error",),
        "The code is not written correctly.",
        "Check the code with the creator character by character, or ask for a new one.",
        ("creator",),
        "invalid_code_format",
    ),
    AdsError(
        "4002",
        ("video_unavailable",),
        "The post is unavailable, usually because of TikTok's community guidelines.",
        "Ask the creator what happened to the post, or choose another post.",
        ("creator", "media_buyer"),
    ),
    AdsError(
        "4002",
        ("video_deleted",),
        "The post was deleted.",
        "Choose another post and ask the creator for a code for it.",
        ("media_buyer", "creator"),
    ),
    AdsError(
        "-500",
        ("call_rpc_fail", "call_db_fail"),
        "A temporary fault on TikTok's side.",
        "Refresh the page and try again a little later.",
        ("advertiser",),
    ),
    AdsError(
        "930002",
        ("mention_multiple_videos",),
        "The post mentions several other posts, which Spark Ads cannot use.",
        "Choose another post.",
        ("media_buyer",),
    ),
    AdsError(
        "900012",
        ("illegal_item_status_error",),
        "The post is unavailable under TikTok's community rules.",
        "Ask the creator about the post, or choose another post.",
        ("creator", "media_buyer"),
    ),
    AdsError(
        "4027",
        ("story_video_not_supported",),
        "Stories cannot be used as Spark Ads.",
        "Choose a regular post instead.",
        ("media_buyer",),
    ),
    AdsError(
        "4042",
        ("carousel_duet_not_supported",),
        "Duet carousels cannot be used as Spark Ads.",
        "Choose another post.",
        ("media_buyer",),
    ),
)


def role_labels(role_ids: tuple[str, ...] | list[str]) -> str:
    """'Creator, Advertiser' for a tuple of role ids: the one way roles are written out."""
    return ", ".join(ROLES[r].label for r in role_ids)


def issue_labels(issue_ids: tuple[str, ...] | list[str]) -> str:
    """Plain-language labels for issue ids, joined; issue ids never reach the screen raw."""
    return "; ".join(ISSUES[i].label for i in issue_ids)
