"""Header rows of real trackers, templates, KOL lists and TikTok API exports, with their meanings.

Each set is the header row as its source writes it (in the source's column order), where it was
found, and what each header means to Sparkwatch (`None`: a column the product does not read).
`used` is what `assign` should read from a header-only sheet when several headers compete for
one column. Sources were read in public GitHub repositories (cited as `owner/repo:path@commit`)
and public help pages (cited by URL); nothing here is invented. Where a source is a database
table or an API object rather than a spreadsheet, its field names are what an export or a CSV
import of it carries as headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HeaderSet:
    name: str
    source: str
    what: str
    headers: tuple[tuple[str, str | None], ...]
    """(header as written, expected meaning), in the source's column order."""
    used: dict[str, str] = field(default_factory=dict)
    """Canonical column → the header `assign` should pick for it, where several could be it."""


REAL_HEADER_SETS: tuple[HeaderSet, ...] = (
    HeaderSet(
        name="weboost_spark_auth_csv",
        source="jlc-group/WeBoostX2:app/templates/spark_auth/import.html@6ce9e902ee769265e1af156222c0333e7017540a",
        what="CSV template shown to a Thai agency's team for bulk-importing creators' Spark auth codes. "
        "Its sample rows hold a person's name in influencer_name ('คุณเอ - IG') and the @handle in "
        "creator_username.",
        headers=(
            ("auth_code", "code"),
            ("influencer_name", "creator"),
            ("creator_username", "creator"),
            ("notes", "notes"),
        ),
        used={"creator": "creator_username", "code": "auth_code", "notes": "notes"},
    ),
    HeaderSet(
        name="weboost_spark_ad_auths_table",
        source="jlc-group/WeBoostX2:scripts/create_spark_auth_tables.py@6ce9e902ee769265e1af156222c0333e7017540a",
        what="The table that stores imported codes together with TikTok's /tt_video/ answers.",
        headers=(
            ("id", None),
            ("auth_code", "code"),
            ("platform", None),
            ("status", "status"),
            ("error_message", None),
            ("influencer_id", None),
            ("influencer_name", "creator"),
            ("creator_username", "creator"),
            ("agency_name", None),
            ("batch_name", None),
            ("notes", "notes"),
            ("item_id", "post_id"),
            ("identity_id", None),
            ("identity_type", "identity"),
            ("auth_start_time", "authorized_on"),
            ("auth_end_time", "expires_on"),
            ("ad_auth_status", "status"),
            ("content_id", None),
            ("ad_account_id", "ad_account"),
            ("authorized_at", "authorized_on"),
            ("bound_at", None),
            ("used_at", None),
            ("used_in_ad_id", None),
            ("imported_by", None),
            ("imported_at", None),
            ("created_at", None),
            ("updated_at", None),
            ("deleted_at", None),
        ),
        used={
            "creator": "creator_username",
            "authorized_on": "auth_start_time",
            "status": "ad_auth_status",
        },
    ),
    HeaderSet(
        name="tiktok_tt_video_item",
        source="bububa/tiktok-business:model/ttvideo/info.go@4d1de2ceac364ae455e1b75cf2ce695ddc43798f",
        what="An item of TikTok API for Business GET /tt_video/info/ and /tt_video/list/ "
        "(item_info, auth_info, user_info), flattened as an export writes it.",
        headers=(
            ("auth_code", "code"),
            ("item_id", "post_id"),
            ("item_type", None),
            ("text", None),
            ("status", "status"),
            ("ad_auth_status", "status"),
            ("auth_start_time", "authorized_on"),
            ("auth_end_time", "expires_on"),
            ("invite_start_time", None),
            ("tiktok_name", "creator"),
            ("identity_id", None),
            ("identity_type", "identity"),
        ),
        used={"status": "ad_auth_status", "creator": "tiktok_name"},
    ),
    HeaderSet(
        name="tiktok_tcm_video_status",
        source="bububa/tiktok-business:model/tcm/ttvideo/status.go@a227173c3abb62bd4b42823d000bbb76cb21470b",
        what="TikTok Creator Marketplace GET /tcm/tt_video/status/: an in-app authorization request "
        "and the code it produced.",
        headers=(
            ("video_id", "post_id"),
            ("auth_status", "status"),
            ("auth_status_update_time", None),
            ("num_remaining_request", None),
            ("requested_authorization_days", "duration_days"),
            ("auth_code_status", "status"),
            ("auth_code_start_time", "authorized_on"),
            ("auth_code_end_time", "expires_on"),
            ("auth_code", "code"),
        ),
        used={"status": "auth_status"},
    ),
    HeaderSet(
        name="tiktok_business_post_authorize_status",
        source="bububa/tiktok-business:model/business/post/authorize_status.go"
        "@4d2f3e504da90c1e4d6d81e286eb375bfd729b4b",
        what="TikTok API for Business GET /business/post/authorize/status/: a creator-side authorization.",
        headers=(
            ("item_id", "post_id"),
            ("auth_code", "code"),
            ("auth_code_start_time", "authorized_on"),
            ("auth_code_end_time", "expires_on"),
            ("authorization_days", "duration_days"),
            ("auth_code_status", "status"),
        ),
    ),
    HeaderSet(
        name="zernio_boost_spark_posts",
        source="https://docs.rs/crate/late/0.0.970/source/docs/BoostPostRequestSparkPostsInner.md",
        what="Zernio API (Rust SDK docs): the posts and Spark codes sent to boost TikTok posts.",
        headers=(
            ("platform_post_id", "post_id"),
            ("spark_auth_code", "code"),
        ),
    ),
    HeaderSet(
        name="klar_influencer_sheet",
        source="https://help.getklar.com/en/articles/15654220-how-the-influencer-google-sheet-works",
        what="Klar's Influencer Tracking Google Sheet template (field descriptions in row 1, headers in "
        "row 3). The name column holds a full name (example 'Pamela Reif'), Handle the username "
        "('@pamreif'). Columns A-D in sheet order, then the other columns the help page names.",
        headers=(
            ("Campaign Name", "campaign"),
            ("Influencer/Affiliate Name", "creator"),
            ("Handle", "creator"),
            ("Platform", None),
            ("Posting Date", None),
            ("End Date", "campaign_end"),
            ("utm_source", None),
            ("utm_medium", None),
            ("utm_campaign", None),
            ("utm_term", None),
            ("utm_content", None),
            ("Discount Code", None),
        ),
        used={"creator": "Handle", "campaign": "Campaign Name"},
    ),
    HeaderSet(
        name="hypelive_kol_management",
        source="HypelivebytheHYPER/Hypelive-Dashboard-Mock-Up:EXACT_FIELD_MAPPING.md"
        "@a5a6a6601baf83848b7d673576868b9202449984",
        what="A Thai agency's KOL base (Lark base, 41 fields): Nickname is a Thai display name "
        "('มินมิน ช็อป88 (ช่องหลัก)'), Handle the TikTok username, TiktokUrl the profile link.",
        headers=(
            ("KOLs ID", None),
            ("Nickname", None),
            ("Handle", "creator"),
            ("Follower", None),
            ("Views", None),
            ("Engagement Rate", None),
            ("LiveGmv", None),
            ("VideoGmv", None),
            ("Revenue", None),
            ("LiveNum", None),
            ("VideoNum", None),
            ("ProductCount", None),
            ("Levels of KOLs", None),
            ("KOLs Type", None),
            ("Quality Score", None),
            ("Specialization", None),
            ("Categories", None),
            ("Products", None),
            ("Location", None),
            ("TiktokUrl", "post_url"),
            ("InstagramUrl", None),
            ("YoutubeUrl", None),
            ("XUrl", None),
            ("FacebookUrl", None),
            ("SourceUrl", None),
            ("Contact_Email", None),
            ("Contact_Phone", None),
            ("LineId", None),
            ("Collaboration stage", None),
            ("Live streaming or short video", None),
            ("Avg Monthly GMV", None),
            ("Avg Live GMV", None),
            ("Internal Contact", "owner"),
            ("MCN Agency", None),
            ("Bio_TH", None),
            ("Bio_EN", None),
            ("Profile_Image_URL", None),
            ("CreatorDebutTime", None),
            ("Detailed information", None),
            ("Attachment", None),
            ("Record ID", None),
        ),
    ),
    HeaderSet(
        name="hypelive_campaign_management",
        source="HypelivebytheHYPER/Hypelive-Dashboard-Mock-Up:EXACT_FIELD_MAPPING.md"
        "@a5a6a6601baf83848b7d673576868b9202449984",
        what="The same agency's campaign table: one row per campaign with a linked KOL.",
        headers=(
            ("Campaign ID", None),
            ("Campaign Name", "campaign"),
            ("KOL", "creator"),
            ("Campaign Type", None),
            ("Status", "status"),
            ("Start Date", "campaign_start"),
            ("End Date", "campaign_end"),
            ("Budget", None),
            ("Campaign Manager", "owner"),
            ("Actual GMV", None),
            ("ROI", None),
            ("Internal Cost", None),
            ("Profit Margin", None),
        ),
    ),
    HeaderSet(
        name="daftar_kol_spark_ads_code",
        source="AdhenKurdi/instagram:list_kol.php@9d634f7675f74d396e40c5bfd24b16e87ff673df",
        what="An Indonesian KOL list ('Daftar KOL') with a Spark Ads code per KOL and no handle column.",
        headers=(
            ("Created_at", None),
            ("Name", None),
            ("Type Influencer", None),
            ("Rate Card", None),
            ("Sosmed", None),
            ("Average", None),
            ("Followers", None),
            ("Contact Person", None),
            ("Spark Ads Code", "code"),
        ),
    ),
    HeaderSet(
        name="grm_meta_creator_import",
        source="gmrdaniel/grm-meta:src/components/admin/inventory/import-templates/types.ts"
        "@7937b71bd63d117517c822326d8dee2e499ec5e8",
        what="A Spanish-language creator import (CreatorImportData): first name, last name, e-mail, "
        "TikTok user, status.",
        headers=(
            ("nombre", None),
            ("apellido", None),
            ("correo", None),
            ("usuario_tiktok", "creator"),
            ("estatus", "status"),
        ),
    ),
    HeaderSet(
        name="grm_meta_tiktok_import_csv",
        source="gmrdaniel/grm-meta:src/components/admin/inventory/import-templates/TikTokImportTemplate.tsx"
        "@05c3a09785c633fc8783be1fb5028b09853b2733",
        what="The same tool's CSV import: 'The first row should contain the headers: first_name, "
        "last_name, email, tiktok_user'.",
        headers=(
            ("first_name", None),
            ("last_name", None),
            ("email", None),
            ("tiktok_user", "creator"),
        ),
    ),
    HeaderSet(
        name="archive_spark_request_form",
        source="https://help.archive.com/en/articles/10199022-requesting-spark-ads-code",
        what="Archive's 'Request Spark Ads Code' form fields and the field the creator pastes into "
        "(https://help.archive.com/en/articles/10199084-creator-s-guide-to-providing-tiktok-spark-codes).",
        headers=(
            ("Spark Ads Code Duration", "duration_days"),
            ("Spark Ads Code", "code"),
        ),
    ),
    HeaderSet(
        name="partnrup_allowlisting_code",
        source="https://brands-user-guide.partnrup.ai/influencer-communications/requesting-tiktok-spark-codes",
        what="PartnrUp's influencer table keeps the Spark code in an 'Allowlisting Code' column.",
        headers=(("Allowlisting Code", "code"),),
    ),
)
