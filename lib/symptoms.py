"""What people see go wrong, and the issues that can explain it.

Symptoms are what a non-technical person notices ("the preview does not load"); Ads
Manager errors are what it says when a code is applied. Both point at issue rules
(`lib.rules`), most likely first, so the symptom picker and the error decoder can check
the sheet for the cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.rules import IssueId
from lib.rules import IssueId as I  # noqa: N817 - the tables below read better with a short name

# ---------------------------------------------------------------------------
# Symptoms: what a non-technical person sees, and the causes that can explain it.


@dataclass(frozen=True)
class Symptom:
    id: str
    label: str
    causes: tuple[IssueId, ...]
    """Issue ids, most likely first."""
    advice: tuple[str, ...] = ()
    """Steps for symptoms that no issue id explains (nothing in the sheet can show them)."""
    roles: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    """Other ways people say it (`lib.phrases`: any order, synonyms and typos allowed)."""


SYMPTOMS: dict[str, Symptom] = {
    s.id: s
    for s in (
        Symptom(
            "preview_missing",
            "The Spark Ad preview does not load",
            (I.MISSING_CODE, I.BC_NOT_SHARED, I.CUSTOM_IDENTITY, I.CODE_EXPIRED, I.CODE_REVOKED),
            words=(
                "preview not load",
                "preview empty",
                "preview stuck",
                "preview spinning",
                "preview error",
                "preview broken",
                "not see preview",
                "no preview",
            ),
        ),
        Symptom(
            "post_not_found",
            "I can't find the post when setting up the ad (or in Creative library)",
            (I.MISSING_CODE, I.CODE_EXPIRED, I.BC_NOT_SHARED),
            words=(
                "not find video",
                "video not found",
                "video not in creative library",
                "video not show creative library",
                "creative library empty",
                "video not listed",
                "not select video",
                "search video nothing",
            ),
        ),
        Symptom(
            "preview_gone",
            "A preview that worked yesterday is gone",
            (I.CODE_EXPIRED, I.CODE_REVOKED, I.POST_NOT_PUBLIC),
            words=(
                "gone",
                "preview gone",
                "worked yesterday",
                "used to show",
                "preview not show anymore",
                "preview not anymore",
                "preview was there",
            ),
        ),
        Symptom(
            "ad_stopped",
            "The ad stopped delivering in the middle of the campaign",
            (I.CODE_EXPIRED, I.CODE_REVOKED, I.POST_NOT_PUBLIC, I.EXPIRES_BEFORE_CAMPAIGN_END),
            words=(
                "ad stopped",
                "stopped deliver",
                "not deliver",
                "deliver stopped",
                "deliver dropped",
                "deliver zero",
                "ad not deliver",
                "campaign stopped",
                "ad off",
            ),
        ),
        Symptom(
            "wrong_identity",
            "The wrong TikTok handle shows as the ad's identity",
            (I.CUSTOM_IDENTITY,),
            words=("invalid identity", "custom identity", "brand identity", "identity not creator", "other identity"),
        ),
        Symptom(
            "visible_not_in_ads_manager",
            "The post is visible on TikTok but not in Ads Manager",
            (I.BC_NOT_SHARED, I.MISSING_CODE),
            words=(
                "show tiktok not ads manager",
                "tiktok not ads manager",
                "live tiktok ads manager not",
                "public tiktok not ads manager",
            ),
        ),
        Symptom(
            "code_rejected",
            "Ads Manager says the code is invalid or expired",
            (I.CODE_EXPIRED, I.INVALID_CODE_FORMAT),
            words=(
                "code invalid",
                "code expired",
                "code rejected",
                "code not accepted",
                "code not work",
                "code error",
                "authorization expired",
                "code not valid",
            ),
        ),
        Symptom(
            "code_stopped_working",
            "A code that used to work stopped working",
            (I.CODE_REVOKED, I.CODE_EXPIRED),
            words=(
                "code stopped work",
                "code worked before",
                "code not work anymore",
                "code not work",
                "withdrawn",
                "worked before not",
            ),
        ),
        Symptom(
            "wrong_video",
            "The code brings up a different video",
            (I.DUPLICATE_CODE,),
            words=(
                "different video",
                "invalid video",
                "another video",
                "other video",
                "video not right",
                "same code two video",
            ),
        ),
        Symptom(
            "wont_attach",
            "The code won't attach to our ad account",
            (I.REGION_MISMATCH, I.BC_NOT_SHARED),
            words=(
                "not attach",
                "attach code account not",
                "code not attach",
                "region",
                "ad account not attach",
                "not available region",
            ),
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
            words=("notsupported", "format", "story", "duet", "carousel", "video type"),
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
            words=("caption", "edit caption", "change caption", "caption typo"),
        ),
    )
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
    cause: IssueId | None = None
    """The matching issue id in the symptom picker, where there is one."""
    label: str = ""
    """Its plain name, shown before the raw id: people never have to read `call_rpc_fail`."""
    words: tuple[str, ...] = ()
    """How the banner or a person says it in plain words (`lib.phrases`: any order, synonyms, typos)."""

    @property
    def title(self) -> str:
        """'Authorization expired (4025 · auth_code_expired)': the plain name, then what the screen shows."""
        raw = " · ".join(part for part in (self.number, " / ".join(self.names)) if part)
        return f"{self.label} ({raw})" if self.label else raw


ADS_ERRORS: tuple[AdsError, ...] = (
    AdsError(
        "4025",
        ("auth_code_expired",),
        "The authorization on this post has ended.",
        "Ask the creator to extend the authorization in the post's Ad settings, or to generate "
        "a new code (some teams find an expired code cannot be brought back, so a new one is "
        "the safe choice).",
        ("creator", "advertiser"),
        I.CODE_EXPIRED,
        label="Authorization expired",
        words=(
            "authorization expired",
            "code expired",
            "authorization ended",
            "authorization period over",
            "video authorization expired",
        ),
    ),
    AdsError(
        "",
        ("auth_code_not_found",),
        "The creator deleted this code, so TikTok no longer knows it.",
        "Ask the creator for a new code on the same post and apply it.",
        ("creator", "advertiser"),
        I.CODE_REVOKED,
        label="Code deleted or withdrawn by the creator",
        words=(
            "code not found",
            "code not exist",
            "code deleted",
            "code withdrawn",
            "authorization withdrawn",
            "withdrawn",
            "authorization code not exist",
            "code not recognized",
        ),
    ),
    AdsError(
        "4013",
        ("auth_code_format_error",),
        "The code is not written correctly.",
        "Check the code with the creator character by character, or ask for a new one.",
        ("creator",),
        I.INVALID_CODE_FORMAT,
        label="Code written wrongly",
        words=(
            "invalid code",
            "code invalid",
            "code format",
            "code not valid",
            "invalid authorization",
            "format error code",
        ),
    ),
    AdsError(
        "4002",
        ("video_unavailable",),
        "The post is unavailable, usually because of TikTok's community guidelines.",
        "Ask the creator what happened to the post, or choose another post.",
        ("creator", "media_buyer"),
        label="Post unavailable",
        words=(
            "video unavailable",
            "video not available",
            "community guidelines",
            "video restricted",
            "video not eligible",
        ),
    ),
    AdsError(
        "4002",
        ("video_deleted",),
        "The post was deleted.",
        "Choose another post and ask the creator for a code for it.",
        ("media_buyer", "creator"),
        label="Post deleted",
        words=("video deleted", "deleted video", "video not exist", "video gone"),
    ),
    AdsError(
        "-500",
        ("call_rpc_fail", "call_db_fail"),
        "A temporary fault on TikTok's side.",
        "Refresh the page and try again a little later.",
        ("advertiser",),
        label="Temporary fault on TikTok's side",
        words=(
            "system error",
            "system busy",
            "internal error",
            "server error",
            "try again later",
            "network error",
            "service unavailable",
            "timeout",
        ),
    ),
    AdsError(
        "930002",
        ("mention_multiple_videos",),
        "The post mentions several other posts, which Spark Ads cannot use.",
        "Choose another post.",
        ("media_buyer",),
        label="Post mentions other posts",
        words=("multiple video", "mentions video", "mentions other video", "tags other video"),
    ),
    AdsError(
        "900012",
        ("illegal_item_status_error",),
        "The post is unavailable under TikTok's community rules.",
        "Ask the creator about the post, or choose another post.",
        ("creator", "media_buyer"),
        label="Post blocked under community rules",
        words=(
            "illegal item status",
            "item status",
            "community rules",
            "violates community",
            "policy violation",
            "video violates",
        ),
    ),
    AdsError(
        "4027",
        ("story_video_not_supported",),
        "Stories cannot be used as Spark Ads.",
        "Choose a regular post instead.",
        ("media_buyer",),
        label="Stories can't be Spark Ads",
        words=("story", "story notsupported", "story video"),
    ),
    AdsError(
        "4042",
        ("carousel_duet_not_supported",),
        "Duet carousels cannot be used as Spark Ads.",
        "Choose another post.",
        ("media_buyer",),
        label="Duet carousels can't be Spark Ads",
        words=("duet", "carousel", "duet carousel", "carousel notsupported"),
    ),
)
