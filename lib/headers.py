"""Which row of a sheet is the header, and what each header means, the way the team meant it.

Teams name their columns in their own words and languages (`TT Handle`, `creator_username`,
`Link Video TikTok`, `Código de autorización`, `达人`), put titles and notes above the header,
and keep values in their data that are also header words: a KOL list has `TikTok` in every
cell of its platform column, an identity column says `creator`, an access column says `code`.
Exact spellings cannot cover that, so this module reads headers as *words*:

* `fold` turns a header into lower-case words joined by `_`, the same key `header_key` gives
  for plain ASCII headers, with accents folded and every other script kept as letters.
* `meaning` maps a header to one of the product's columns, from the exact aliases first and
  then from an ordered table of word rules (data, not if-chains: a new spelling is one word
  added to a set below).
* `find_header_row` scores the first rows of the sheet and picks the header, never a title,
  a blank row or a data row.
* `assign` names every column of the frame and, where two columns could mean the same thing
  (`Name` and `TT Handle`), looks at a bounded sample of values to keep the one that holds
  what the product needs (handles, links).

Everything here reads at most `search_rows` rows for the header and a bounded sample of
values, and is linear in the number of columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lib.columns import DERIVED, RESERVED_HEADER_KEYS
from lib.errors import ErrorKind, SourceError
from lib.vocab import (
    ACCESS_VALUES,
    BOOLEAN_VALUES,
    COLUMN_ALIASES,
    STATUS_VALUES,
    VISIBILITY_VALUES,
)

__all__ = [
    "Assignment",
    "assign",
    "describe",
    "find_header_row",
    "fold",
    "locate",
    "meaning",
]

Cell = str | None
Row = Sequence[Cell]

NO_CREATOR_MESSAGE = (
    "The sheet has no creator column. Add a column headed 'Creator' (or 'TikTok handle') "
    "that holds each creator's handle, in the header row."
)
HEAD_ROWS = 20
"""Rows searched for the header: a title and a few notes may sit above it, never more."""
SAMPLE_ROWS = 200
"""Body rows looked at when values decide between columns: enough to see a pattern, bounded."""
_SAMPLE_CELLS = 20_000
"""Cells sampled in all by one `assign`, however many columns compete (a 16,384-column sheet)."""
_HEADER_CELLS = 1_024
"""Filled cells of a row that decide whether it is the header: a header shows what it is in its
first columns, and this keeps detection fast on a 16,384-column sheet."""
_HEADER_TRIES = 3
"""Best-scoring rows checked for a creator column before the sheet is said to have none."""
_REPEAT_ROWS = 50
"""Rows below a candidate header looked at to see whether one of its cells is really a value."""


# ---------------------------------------------------------------------------------------------
# Folding


_BRANDS = re.compile(r"(?i)tik[\s_-]?tok|you[\s_-]?tube|linked[\s_-]?in|whats[\s_-]?app|insta[\s_-]?gram")
# camelCase and PascalCase: "creatorUsername", "TiktokUrl", "KOLName" (an acronym before a word),
# but not "KOLs" or "IDs" (an acronym in the plural stays one word).
_CAMEL = re.compile(r"(?<=[a-zà-ÿ0-9])(?=[A-ZÀ-Þ])|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ]{2,})")
_NON_KEY = re.compile(r"[^0-9a-z]+")
# Latin letters that do not decompose into a base letter and an accent.
_LATIN_SPECIAL = {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d"}
_LATIN_SPECIAL |= {"ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i", "ŀ": "l"}


def _brand(match: re.Match[str]) -> str:
    return re.sub(r"[\s_-]", "", match.group(0)).lower()


def _spaced_script(char: str) -> bool:
    """Scripts written with spaces between words (Latin, Greek, Cyrillic…) as opposed to Thai, CJK."""
    return ord(char) < 0x0E00


@lru_cache(maxsize=65_536)
def fold(text: str | None) -> str:
    """A header as lower-case words joined by `_`: `"Duration (days)"` → `duration_days`.

    Accents are folded (`Créateur` → `createur`, `Código` → `codigo`) because teams type
    them or not; other scripts stay letters (`達人`, `ชื่อ`, `имя`) because they carry the
    meaning; camelCase is split (`creatorUsername` → `creator_username`) because API exports
    use it. Brand names keep their own case rule (`TikTok` → `tiktok`, not `tik_tok`), so a
    plain ASCII header without camelCase folds exactly as `normalize.header_key` does.
    """
    if text is None:
        return ""
    text = _BRANDS.sub(_brand, str(text).strip())
    text = _CAMEL.sub(" ", text)
    if text.isascii():
        return _NON_KEY.sub("_", text.lower()).strip("_")
    text = unicodedata.normalize("NFKC", text)
    letters: list[str] = []
    for char in text:
        if char in _LATIN_SPECIAL:
            letters.append(_LATIN_SPECIAL[char])
            continue
        if not char.isascii():
            base = unicodedata.normalize("NFKD", char)[0]
            if base.isascii() and base.isalpha():  # a Latin letter with an accent
                char = base
        letters.append(char)
    words: list[str] = []
    previous_spaced: bool | None = None
    for char in "".join(letters).lower():
        if unicodedata.category(char)[0] in "LMN":
            spaced = _spaced_script(char)
            if previous_spaced is not None and spaced != previous_spaced and words and words[-1] != "_":
                words.append("_")  # "视频ID" → "视频_id": a change of script is a word break
            words.append(char)
            previous_spaced = spaced
        else:
            if words and words[-1] != "_":
                words.append("_")
            previous_spaced = None
    return "".join(words).strip("_")


# ---------------------------------------------------------------------------------------------
# Words. Each set is written as people type the word; it is folded once, when the module loads.


def _words(*terms: str) -> frozenset[str]:
    return frozenset(fold(t) for t in terms)


SOCIAL_OTHER = _words(
    "instagram", "ig", "insta", "youtube", "yt", "twitter", "x", "facebook", "fb", "meta", "snapchat",
    "snap", "pinterest", "linkedin", "threads", "lemon8", "小红书", "微博",
)  # fmt: skip
CONTACT = _words(
    "email", "mail", "e-mail", "correo", "phone", "telephone", "telefono", "mobile", "whatsapp", "wa",
    "line", "lineid", "line id", "telegram", "wechat", "微信", "contact",
)  # fmt: skip
STOPWORDS = _words(
    "de", "del", "la", "le", "les", "el", "d", "du", "des", "of", "the", "a", "da", "do", "dos", "das",
    "di", "der", "die", "von", "en", "y", "and", "et", "e", "und", "dan", "untuk", "para", "por", "for",
)  # fmt: skip
DATE = _words(
    "date", "dates", "fecha", "datum", "data", "tanggal", "tgl", "time", "dt", "日期", "时间", "時間", "วันที่",
    "дата",
)  # fmt: skip
START = _words(
    "start", "starts", "started", "begin", "begins", "beginning", "inicio", "comienzo", "début", "commencement",
    "beginn", "anfang", "início", "mulai", "awal", "开始", "開始", "起始", "เริ่ม",
)  # fmt: skip
END = _words(
    "end", "ends", "ending", "ended", "until", "till", "thru", "fin", "final", "ende", "bis", "fim", "término",
    "akhir", "berakhir", "selesai", "hingga", "sampai", "结束", "結束", "สิ้นสุด",
)  # fmt: skip
EXPIRY = _words(
    "expiry", "expires", "expire", "expiration", "expirations", "exp", "expiring", "vencimiento", "vence",
    "caducidad", "caduca", "expiración", "échéance", "ablauf", "ablaufdatum", "verfallsdatum", "verfall",
    "validade", "vencimento", "expira", "kedaluwarsa", "kadaluarsa", "kadaluwarsa", "valid until",
    "valid till", "valid thru", "valid through", "validity", "validez", "validité", "gültig bis",
    "berlaku hingga", "berlaku sampai", "masa berlaku", "到期", "过期", "過期", "失效", "有效期至", "有效期限",
    "截止", "หมดอายุ", "срок действия",
)  # fmt: skip
AUTH = _words(
    "auth", "authorization", "authorisation", "autorización", "autorisation", "autorização", "otorisasi",
    "izin", "spark", "code", "codes", "ad", "ads", "boost", "usage", "rights", "license", "licence",
    "whitelisting", "allowlisting", "whitelist", "allowlist", "permission", "授权", "授權", "广告", "投放",
)  # fmt: skip
CAMPAIGN = _words(
    "campaign", "campaigns", "campaña", "campañas", "campagne", "campagnes", "kampagne", "kampagnen",
    "campanha", "campanhas", "kampanye", "活动", "活動", "广告系列", "แคมเปญ", "кампания",
)  # fmt: skip
DURATION = _words(
    "duration", "durations", "duración", "days", "day", "period", "periode", "período", "durée", "dauer", "laufzeit",
    "duração", "durasi", "lama", "días", "jours", "tage", "hari", "usage", "时长", "時長", "天数", "天數",
    "有效期", "期限", "ระยะเวลา",
)  # fmt: skip
AUTHORIZED = _words(
    "authorized", "authorised", "autorizado", "autorizada", "autorisé", "autorisée", "genehmigt",
    "diotorisasi", "activated", "activation", "generated", "授权日期", "授权时间",
    "授權日期",
)  # fmt: skip
STATUS = _words(
    "status", "statuses", "estado", "statut", "situação", "estatus", "zustand", "状态", "狀態", "สถานะ",
    "статус",
)  # fmt: skip
POSTISH = _words(
    "post", "posts", "video", "videos", "item", "aweme", "publicación", "publication", "beitrag",
    "postingan", "konten", "视频", "視頻", "影片", "帖子", "作品", "วิดีโอ", "คลิป",
)  # fmt: skip
ID = _words("id", "ids", "identifier")
CODE = _words("code", "codes", "código", "códigos", "kode", "码", "碼")
CODE_QUALIFIER = _words(
    "spark", "auth", "authorization", "authorisation", "autorización", "autorisation", "autorização",
    "otorisasi", "ad", "ads", "boost", "boosting", "video", "iklan", "anuncio", "anuncios", "publicité",
    "werbung", "whitelisting", "allowlisting", "whitelist", "allowlist", "tt", "tiktok", "授权", "授權",
    "投放", "广告", "廣告",
)  # fmt: skip
NOT_SPARK_CODE = _words(
    "discount", "promo", "promotion", "coupon", "voucher", "affiliate", "referral", "diskon", "descuento",
    "rabatt", "remise", "cupom", "cupón", "postal", "zip", "country", "currency", "campaign", "qr",
    "password", "pin", "sku", "product", "order", "tracking", "utm", "creator", "influencer", "密码",
    "优惠", "折扣",
)  # fmt: skip
ACCESS = _words(
    "access", "method", "access method", "acceso", "método", "méthode", "metode", "zugang", "auth method",
    "authorization method", "authorization type", "auth type", "授权方式",
)  # fmt: skip
AD_DELIVERY = _words(
    "ad delivery", "ad delivery permission", "delivery permission", "bc shared", "bc linked",
    "bc permission", "business center shared", "shared with ad account",
)  # fmt: skip
REGION = _words(
    "region", "country", "market", "país", "pays", "land", "negara", "wilayah", "地区", "地區", "国家", "國家"
)
AD_ACCOUNT = _words(
    "advertiser", "ad account", "ads account", "advertiser id", "advertiser account", "cuenta publicitaria",
    "compte publicitaire", "werbekonto", "akun iklan", "广告账户", "廣告帳戶",
)  # fmt: skip
IDENTITY = _words("identity", "identity type", "identidad", "identité", "identitas", "身份")
VISIBILITY = _words(
    "visibility", "privacy", "privacidad", "visibilidad", "visibilité", "confidentialité", "sichtbarkeit",
    "privatsphäre", "visibilidade", "privacidade", "privasi", "visibilitas", "可见", "可見", "隐私", "隱私",
)  # fmt: skip
LINK = _words(
    "link", "links", "url", "urls", "uri", "enlace", "enlaces", "vínculo", "lien", "liens", "tautan",
    "链接", "鏈接", "連結", "网址", "ลิงก์", "ลิงค์", "ссылка",
)  # fmt: skip
NOT_POST_LINK = SOCIAL_OTHER | CONTACT | _words(
    "contract", "utm", "raw", "file", "files", "drive", "profile", "profil", "perfil", "bio", "landing",
    "tracking", "affiliate", "shop", "store", "product", "image", "thumbnail", "cover", "avatar", "picture",
    "source", "brief", "invoice", "payment", "website", "web", "site", "homepage", "portfolio", "media kit",
    "mediakit", "rate", "calendar", "folder", "doc", "document", "sheet", "form", "主页", "主頁",
)  # fmt: skip
NOT_POST = NOT_POST_LINK | ID | CODE | _words(
    "title", "caption", "description", "desc", "type", "format", "date", "time", "views", "view", "likes",
    "like", "comments", "shares", "saves", "count", "number", "num", "no", "duration", "length", "status",
    "performance", "gmv", "live", "streaming", "short", "concept", "draft", "feedback", "idea", "script",
    "hook", "sound", "music", "quality", "score", "topic", "deadline", "due", "schedule", "slot", "cost",
    "fee", "price", "budget", "deliverable", "deliverables", "metrics", "stats", "insight", "insights",
    "category", "text", "posting",
)  # fmt: skip
HANDLE = _words(
    "handle", "handles", "username", "usernames", "user name", "benutzername", "usuario", "usuaria",
    "utilisateur", "nom d'utilisateur", "pseudo", "nama pengguna", "unique id", "账号", "帳號", "用户名",
    "用戶名", "使用者名稱", "ชื่อผู้ใช้", "ユーザー名", "アカウント",
)  # fmt: skip
TIKTOK = _words("tiktok", "tt", "douyin", "抖音")
TIKTOK_ACCOUNT = _words(
    "name", "user", "account", "akun", "cuenta", "compte", "konto", "conta", "profile", "profil", "perfil", "id",
)  # fmt: skip
CREATOR = _words(
    "creator", "creators", "creador", "creadora", "creadores", "créateur", "créateurs", "créatrice",
    "ersteller", "erstellerin", "criador", "criadora", "kreator", "pembuat", "influencer", "influencers",
    "influenciador", "influenciadora", "influenceur", "influenceuse", "influencerin", "kol", "kols",
    "talent", "talents", "达人", "達人", "创作者", "創作者", "红人", "紅人", "网红", "網紅", "博主",
    "ครีเอเตอร์", "อินฟลูเอนเซอร์", "блогер",
)  # fmt: skip
NOTES = _words(
    "notes", "note", "comments", "comment", "remarks", "remark", "notas", "nota", "observaciones",
    "comentarios", "remarques", "remarque", "commentaires", "commentaire", "notizen", "notiz",
    "anmerkungen", "anmerkung", "bemerkungen", "bemerkung", "observações", "observação", "catatan",
    "keterangan", "备注", "備註", "หมายเหตุ", "примечание", "комментарий",
)  # fmt: skip
NOT_CREATOR = SOCIAL_OTHER | CONTACT | REGION | NOTES | ID | CODE | DATE | _words(
    "type", "tier", "tiers", "category", "categories", "level", "levels", "followers", "follower", "rate",
    "rates", "fee", "fees", "price", "cost", "debut", "since", "joined", "count", "number", "gender",
    "age", "niche", "vertical", "score", "quality", "agency", "manager", "status", "portal", "stage",
    "size", "audience", "engagement", "views", "payment", "tag", "tags",
)  # fmt: skip
OWNER = _words(
    "owner", "owners", "assignee", "assigned to", "responsible", "responsable", "responsável",
    "verantwortlich", "zuständig", "pic", "penanggung jawab", "account manager", "campaign manager",
    "internal contact", "handled by", "managed by", "负责人", "負責人", "担当者", "ผู้รับผิดชอบ",
)  # fmt: skip
BRAND = _words(
    "brand", "brands", "marca", "marcas", "marque", "marques", "marke", "marken", "merek", "client",
    "clients", "cliente", "clientes", "klien", "kunde", "品牌", "แบรนด์", "бренд",
)  # fmt: skip
NOT_CAMPAIGN = _words(
    "utm", "type", "id", "ids", "code", "codes", "budget", "status", "cost", "goal", "goals", "objective",
    "brief", "tags", "tag", "gmv", "roi", "spend", "date", "dates", "time", "manager", "owner",
    "performance", "views", "results", "report", "url", "link",
)  # fmt: skip
NAME_CORE = _words(
    "name", "names", "nama", "nombre", "nom", "nome", "姓名", "名字", "ชื่อ", "имя", "nickname", "nick",
    "apodo", "surnom", "panggilan", "display name", "screen name", "昵称", "暱稱", "ชื่อเล่น",
)  # fmt: skip
NAME_EXTRA = _words(
    "full", "complete", "completo", "completa", "complet", "lengkap", "display", "real", "legal", "first",
    "last", "given", "นามสกุล",
)  # fmt: skip
PROFILE = _words("profile", "profil", "perfil", "profile url", "profile link")
PLATFORM_WORDS = _words(
    "tiktok", "tt", "instagram", "ig", "youtube", "yt", "facebook", "fb", "twitter", "x", "snapchat",
    "pinterest", "lemon8", "douyin", "shopee", "tokopedia", "lazada", "抖音",
)  # fmt: skip
VALUE_LIKE_HEADERS = _words(
    "tiktok", "tt", "douyin", "code", "codes", "código", "kode", "video", "videos", "post", "posts"
)
"""Header words that are also common cell values (a platform, a content type, an access method)."""


# ---------------------------------------------------------------------------------------------
# The rule table. First match wins; more specific rules come first.


@dataclass(frozen=True)
class _Rule:
    """`canonical` when every group in `all_of` has a word in the header and `none_of` has none.

    `only` rules match headers made of nothing but their own words (plus small words such as
    `de`, `of` and date words), so `Start date` is a start date but `Invite start time` is not.
    """

    canonical: str
    strength: int
    all_of: tuple[frozenset[str], ...]
    none_of: frozenset[str] = frozenset()
    only: bool = False


_AUTH_CONTEXT = AUTH | CODE
NOT_DURATION = _words(
    "left", "remaining", "until", "video", "clip", "live", "watch", "delivery", "payment", "due", "draft",
    "revision", "exclusivity", "exclusive", "turnaround", "posting", "shipping", "average", "avg",
)  # fmt: skip
NOT_CODE_STATUS = _words(
    "payment", "paid", "pay", "pago", "contract", "shipping", "delivery", "sample", "outreach", "content",
    "draft", "approval", "approved", "review", "campaign", "time", "date", "updated", "update", "at",
    "import", "collaboration", "order", "invoice", "post", "video", "item", "account", "payout",
    "relationship", "email", "request",
)  # fmt: skip
NOT_ACCESS = _words("token", "key", "level", "rights", "date", "time", "payment", "shipping", "contact", "delivery")
NOT_BRAND = _words("manager", "safety", "guidelines", "kit", "voice", "mention", "mentions", "tag")
NOT_EXPIRY = _words("days", "day", "left", "remaining", "días", "hari", "reminder")
NOT_AUTH_DATE = STATUS | _words(
    "expiry", "post", "video", "live", "update", "updated", "invite", "created", "imported", "bound", "used",
    "request", "requested",
)  # fmt: skip
VALID_FROM = _words("valid from", "valid since", "gültig ab", "berlaku mulai")
RULES: tuple[_Rule, ...] = (
    _Rule("campaign_start", 3, (CAMPAIGN, START)),
    _Rule("campaign_end", 3, (CAMPAIGN, END | EXPIRY)),
    _Rule("owner", 3, (OWNER,), CONTACT - _words("contact")),
    _Rule("expires_on", 3, (EXPIRY,), NOT_EXPIRY),
    _Rule("duration_days", 2, (DURATION,), NOT_DURATION),
    _Rule("expires_on", 3, (END, _AUTH_CONTEXT)),
    _Rule("authorized_on", 3, (START, _AUTH_CONTEXT)),
    _Rule("authorized_on", 3, (VALID_FROM,)),
    _Rule("authorized_on", 2, (AUTHORIZED,)),
    # 'Applied' alone is a yes/no column (read by the Ads Manager batches); with a date word it is the day.
    _Rule("authorized_on", 2, (_words("applied", "aplicado"), DATE | _words("on"))),
    _Rule("authorized_on", 2, (DATE, _AUTH_CONTEXT), NOT_AUTH_DATE),
    _Rule("status", 3, (STATUS, _AUTH_CONTEXT), _words("time", "date", "update", "updated", "at")),
    _Rule("status", 2, (STATUS,), NOT_CODE_STATUS),
    _Rule("post_id", 3, (POSTISH, ID), _words("creator", "user", "account", "identity", "ad", "campaign")),
    _Rule("code", 3, (CODE, CODE_QUALIFIER), NOT_SPARK_CODE | SOCIAL_OTHER),
    _Rule("access_method", 2, (ACCESS,), NOT_ACCESS),
    _Rule("ad_delivery_permission", 3, (AD_DELIVERY,)),
    _Rule("ad_account_region", 3, (AD_ACCOUNT, REGION)),
    _Rule("creator_region", 3, (CREATOR | TIKTOK | HANDLE | _words("account"), REGION)),
    _Rule("ad_account", 3, (AD_ACCOUNT,)),
    _Rule("identity", 2, (IDENTITY,), ID),
    _Rule("post_visibility", 2, (VISIBILITY,)),
    _Rule("post_url", 2, (LINK,), NOT_POST_LINK),
    _Rule("post_url", 2, (POSTISH,), NOT_POST),
    _Rule("creator", 3, (HANDLE,), NOT_CREATOR - ID),
    _Rule("creator", 3, (TIKTOK, TIKTOK_ACCOUNT), NOT_CREATOR - ID),
    _Rule("creator", 2, (CREATOR,), NOT_CREATOR),
    _Rule("creator", 1, (TIKTOK,), only=True),
    _Rule("code", 1, (CODE,), only=True),
    _Rule("campaign", 2, (CAMPAIGN,), NOT_CAMPAIGN),
    _Rule("brand", 2, (BRAND,), NOT_BRAND),
    _Rule("notes", 2, (NOTES,)),
    _Rule("campaign_start", 1, (START,), only=True),
    _Rule("campaign_end", 1, (END,), only=True),
)
"""What a header means, from the words it contains."""

# Exact spellings from the shared vocabulary, and TikTok's own API field names. How strongly
# each says "this is the column": a bare `TikTok` or `Code` could be a value as well as a header.
_EXACT_STRENGTH: dict[str, int] = {
    "handle": 3, "tiktok_handle": 3, "creator_handle": 3, "username": 3, "tiktok": 1, "code": 1,
    "spark_code": 3, "auth_code": 3, "authorization_code": 3,
    "ad_code": 3, "boost_code": 3, "video_code": 3, "spark_ads_code": 3, "expiry_date": 3,
    "expiration_date": 3, "expires_at": 3, "video_id": 3,
}  # fmt: skip
API_FIELDS: dict[str, str] = {
    "auth_code": "code",
    "auth_start_time": "authorized_on",
    "auth_end_time": "expires_on",
    "auth_code_start_time": "authorized_on",
    "auth_code_end_time": "expires_on",
    "ad_auth_status": "status",
    "auth_code_status": "status",
    "item_id": "post_id",
    "tiktok_item_id": "post_id",
    "tiktok_name": "creator",
    "identity_type": "identity",
    "advertiser_id": "ad_account",
    "authorization_days": "duration_days",
    "requested_authorization_days": "duration_days",
}
"""TikTok API for Business field names (`/tt_video/list/`, `/tcm/tt_video/status/`,
`/business/post/authorize/status/`), as they appear in exports of those endpoints."""


@dataclass(frozen=True)
class _Match:
    canonical: str
    strength: int
    value_like: bool
    """The header is a word that is also a common cell value (`TikTok`, `Code`, `Video`)."""


def _exact_table() -> dict[str, _Match]:
    table: dict[str, _Match] = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        for alias in (canonical, *aliases):
            key = fold(alias)
            table[key] = _Match(canonical, _EXACT_STRENGTH.get(key, 2), key in VALUE_LIKE_HEADERS)
    for key, canonical in API_FIELDS.items():
        table[fold(key)] = _Match(canonical, 3, False)
    return table


_EXACT = _exact_table()
_CANONICAL = frozenset(COLUMN_ALIASES)


def _index(rules: Sequence[_Rule]) -> tuple[dict[str, set[int]], list[tuple[str, int]], list[frozenset[str]]]:
    """Word → the word groups it belongs to, so matching a header costs one lookup per word."""
    groups: list[frozenset[str]] = []
    ids: dict[frozenset[str], int] = {}

    def group_id(group: frozenset[str]) -> int:
        if group not in ids:
            ids[group] = len(groups)
            groups.append(group)
        return ids[group]

    for rule in rules:
        for group in (*rule.all_of, rule.none_of):
            group_id(group)
    spaced: dict[str, set[int]] = {}
    unspaced: list[tuple[str, int]] = []
    for gid, group in enumerate(groups):
        for term in group:
            if all(_spaced_script(c) for c in term):
                spaced.setdefault(term, set()).add(gid)
            else:
                unspaced.append((term, gid))  # Thai and CJK: no spaces between words, found as text
    return spaced, unspaced, groups


_SPACED_INDEX, _UNSPACED_TERMS, _GROUPS = _index(RULES)
_GROUP_ID = {group: gid for gid, group in enumerate(_GROUPS)}
_COMPILED = tuple(
    (rule, tuple(_GROUP_ID[g] for g in rule.all_of), _GROUP_ID[rule.none_of] if rule.none_of else None)
    for rule in RULES
)


def _grams(words: list[str]) -> set[str]:
    """Single words (and their singular), and runs of two and three words (`valid_until`)."""
    grams = set(words)
    grams.update(w[:-1] for w in words if len(w) > 3 and w[-1] == "s")
    if len(words) > 1:
        grams.update(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
        grams.update(f"{a}_{b}_{c}" for a, b, c in zip(words, words[1:], words[2:], strict=False))
    return grams


@lru_cache(maxsize=65_536)
def _match_folded(key: str) -> _Match | None:
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    words = key.split("_")
    grams = _grams(words)
    present: set[int] = set()
    for gram in grams:
        present |= _SPACED_INDEX.get(gram, set())
    if not key.isascii() and any(not _spaced_script(c) for c in key):
        present |= {gid for term, gid in _UNSPACED_TERMS if term in key}
    if not present:
        return None  # most headers a team adds (Followers, Rate card…) name nothing the product reads
    for rule, needed, blocked in _COMPILED:
        if needed[0] not in present or (blocked is not None and blocked in present):
            continue
        if len(needed) > 1 and not all(gid in present for gid in needed[1:]):
            continue
        if rule.only and not _only_own_words(words, key, rule):
            continue
        return _Match(rule.canonical, rule.strength, key in VALUE_LIKE_HEADERS)
    return None


def _only_own_words(words: list[str], key: str, rule: _Rule) -> bool:
    allowed = STOPWORDS | DATE
    for group in rule.all_of:
        allowed = allowed | group
    if all(w in allowed for w in words):
        return True
    # Thai and CJK: the whole header is the word ("开始", "抖音").
    return key in allowed


def _match(header: Cell) -> _Match | None:
    return _match_folded(fold(header))


def meaning(header: str | None) -> str | None:
    """The product's column for a header (`"TT Handle"` → `creator`), or None when unknown.

    Exact aliases are looked up first; then the header's words go through `RULES` in order.
    A person's `Name` is not the creator: `assign` only uses it when its values are handles.
    """
    found = _match(header)
    return found.canonical if found else None


_NAME_WORDS = NAME_CORE | PROFILE
_NAME_ALLOWED = NAME_CORE | NAME_EXTRA | STOPWORDS | PROFILE | TIKTOK | _words("link", "url")


def _name_like(key: str) -> bool:
    """`Name`, `Full name`, `Nama`, `Nickname`, `Profile`: a person, maybe a handle (values decide)."""
    if key in _NAME_WORDS:
        return True
    words = set(key.split("_"))
    return bool(words & _NAME_WORDS) and words <= _NAME_ALLOWED and not words <= TIKTOK


# ---------------------------------------------------------------------------------------------
# What values look like


_CODE_SHAPE = re.compile(r"#\s?[A-Za-z0-9+/]{16,}")
_URL = re.compile(r"(?i)^(https?://|www\.)\S+$|^\S+\.(com|net|org|io|co|ly|me|app|id|vn|th)(/\S*)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_AT_HANDLE = re.compile(r"^@[\w.]{1,40}$")
_DATE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}\S*Z?)?$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( \d{1,2}:\d{2}\S*)?$"
    r"|^\d{4}/\d{1,2}/\d{1,2}$"
    r"|^\d{1,2}[ -][A-Za-z]{3,9}[ -,]+\d{4}$|^[A-Za-z]{3,9} \d{1,2},? \d{4}$"
)
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_NUMBER = re.compile(r"^[-+]?[$€£¥₫฿]?\s?\d[\d,.\s]*(%|k|m|b|rb|jt)?$", re.IGNORECASE)
_HANDLE_TOKEN = re.compile(r"^@?[A-Za-z0-9_.]{2,30}$")
_HANDLE_LIKE = re.compile(r"^(?=.*[a-z])(?=.*[.\d])[a-z0-9_.]{3,30}$")
_CLEAR_HANDLE = re.compile(r"^(?=.*[A-Za-z])(?=.*[._\d])[A-Za-z0-9_.]{3,30}$")
_PROFILE_LINK = re.compile(r"(?i)tiktok\.com/@[\w.]+/?(\?\S*)?$")
_VIDEO_LINK = re.compile(r"(?i)tiktok\.com/.*/(video|photo)/\d+|(vm|vt)\.tiktok\.com/\w+|/video/\d+")
_POST_ID = re.compile(r"^\d{15,21}$")
_DATA_WORDS = (
    frozenset(
        fold(v)
        for values in (STATUS_VALUES, VISIBILITY_VALUES, ACCESS_VALUES, BOOLEAN_VALUES)
        for v in values
        if fold(v) and "_" not in fold(v)  # single words: "Business center" is also a fair header
    )
    - _words("followers")  # a visibility value, but far more often a KOL list's header
    | PLATFORM_WORDS
    | _words("photo", "carousel", "story", "reel", "live", "n/a", "na", "tbd", "done", "ok")
)


def _is_link(value: str) -> bool:
    return bool(_URL.match(value)) or "tiktok.com/" in value.lower()


def _is_handle(value: str) -> bool:
    """`@amy`, `amy.lee`, or a link to the profile: what a creator column holds."""
    if _PROFILE_LINK.search(value):
        return True
    if fold(value) in PLATFORM_WORDS or value.isdigit():
        return False
    return bool(_HANDLE_TOKEN.match(value))


def _is_clear_handle(value: str) -> bool:
    """A handle no person's name looks like: `@amy`, `amy.lee`, `amy_22`, or a link to the profile.

    A `Name` column is taken for the creator only on this evidence: 'Amy' may be a handle, but
    reading a list of first names as handles would make up creators.
    """
    if _PROFILE_LINK.search(value):
        return True
    if value.startswith("@"):
        return bool(_HANDLE_TOKEN.match(value))
    return bool(_CLEAR_HANDLE.match(value))


def _is_date(value: str) -> bool:
    return bool(_DATE.match(value) or _SERIAL.match(value))


def _is_code(value: str) -> bool:
    return bool(_CODE_SHAPE.search(value))


def _is_post_id(value: str) -> bool:
    return bool(_POST_ID.match(value))


def _is_platform(value: str) -> bool:
    return fold(value) in PLATFORM_WORDS


def _is_video_link(value: str) -> bool:
    return bool(_VIDEO_LINK.search(value))


def _is_profile_link(value: str) -> bool:
    return bool(_PROFILE_LINK.search(value)) and not _is_video_link(value)


_EVIDENCE: dict[str, Callable[[str], bool]] = {
    "creator": _is_handle,
    "post_url": _is_link,
    "post_id": _is_post_id,
    "code": _is_code,
    "authorized_on": _is_date,
    "expires_on": _is_date,
    "campaign_start": _is_date,
    "campaign_end": _is_date,
}
"""What the values of a column look like when the column holds what its header says."""

_HARD, _SOFT, _TEXT = "hard", "soft", "text"


def _cell_kind(text: str) -> str:
    """`hard`: only ever data (a code, a link, an e-mail, a date, an @handle); `soft`: usually data."""
    if _CODE_SHAPE.search(text) or _URL.match(text) or "tiktok.com/" in text.lower():
        return _HARD
    if _EMAIL.match(text) or _AT_HANDLE.match(text) or _DATE.match(text):
        return _HARD
    if _NUMBER.match(text) or fold(text) in _DATA_WORDS or _HANDLE_LIKE.match(text):
        return _SOFT
    if len(text) > 60 or text.count(" ") >= 8:
        return _SOFT  # a sentence: notes in a data row, instructions above the header
    return _TEXT


# ---------------------------------------------------------------------------------------------
# The assignment


@dataclass(frozen=True)
class Assignment:
    """How the sheet's columns become the frame's: one entry per sheet column, in order."""

    names: list[str]
    """Frame column name for each sheet column: canonical where known, otherwise the folded header."""
    headers: dict[str, str] = field(default_factory=dict)
    """Frame name → the header as written (`column N` for a column with no header)."""
    used: dict[str, str] = field(default_factory=dict)
    """Canonical column → the header it was read from, in sheet order."""
    ignored: list[str] = field(default_factory=list)
    """Headers the product does not use (kept in the frame under their own names)."""


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


class _Sample:
    """Values of body columns, read lazily and at most `limit` non-empty values per column."""

    def __init__(self, body: Sequence[Row], limit: int) -> None:
        self.rows = body[:SAMPLE_ROWS]
        self.limit = limit
        self._cache: dict[int, list[str]] = {}

    def values(self, column: int) -> list[str]:
        if column not in self._cache:
            found: list[str] = []
            for row in self.rows:
                if column < len(row):
                    value = _text(row[column])
                    if value:
                        found.append(value)
                        if len(found) >= self.limit:
                            break
            self._cache[column] = found
        return self._cache[column]

    def share(self, column: int, test: Callable[[str], bool]) -> float | None:
        """Share of the column's sampled values that pass `test`; None when it has none."""
        values = self.values(column)
        if not values:
            return None
        return sum(1 for v in values if test(v)) / len(values)


def _evidence(sample: _Sample, column: int, canonical: str) -> int:
    """2: the values look right for the column; 1: nothing to judge; 0: they look wrong."""
    test = _EVIDENCE.get(canonical)
    if test is None:
        return 1
    share = sample.share(column, test)
    if share is None:
        return 1
    return 2 if share >= 0.6 else 0


def assign(header: Sequence[Cell], body: Sequence[Row] = ()) -> Assignment:
    """Frame names for the sheet's columns, and which headers were used for what.

    `header` is the header row padded to the sheet's width; `body` the rows below it (only
    the first `SAMPLE_ROWS` are read). Each canonical column goes to one sheet column: when
    several could be it, the one whose values fit wins (handles for the creator, links for
    the post), then the clearer header, then the first. The others keep their own folded
    names, so no column is ever lost; a folded name that is also a canonical name gets the
    column's position as a suffix.
    """
    texts = [_text(h) for h in header]
    keys = [fold(t) for t in texts]
    matches = [_match_folded(k) for k in keys]
    name_like = [m is None and _name_like(k) for m, k in zip(matches, keys, strict=True)]
    checked = sum(1 for m in matches if m and m.canonical in ("creator", "post_url")) + sum(name_like)
    sample = _Sample(body, max(5, min(SAMPLE_ROWS, _SAMPLE_CELLS // max(1, checked))))

    candidates: dict[str, list[tuple[int, int]]] = {}
    for position, found in enumerate(matches):
        if found is None:
            if name_like[position] and (sample.share(position, _is_clear_handle) or 0) >= 0.6:
                candidates.setdefault("creator", []).append((position, 0))
            continue
        canonical, strength = found.canonical, found.strength
        if canonical == "creator" and strength <= 1:
            if (sample.share(position, _is_platform) or 0) >= 0.5:
                continue  # a platform column ("TikTok" on every row), not the handles
            if (sample.share(position, _is_video_link) or 0) >= 0.5:
                canonical = "post_url"
        elif canonical == "post_url":
            if (sample.share(position, _is_profile_link) or 0) >= 0.5:
                canonical, strength = "creator", 1  # links to profiles: who, not which post
            elif found.value_like and (sample.share(position, _is_platform) or 0) >= 0.5:
                continue
        candidates.setdefault(canonical, []).append((position, strength))

    winners: dict[int, str] = {}
    for canonical, options in candidates.items():
        if len(options) == 1:
            winners[options[0][0]] = canonical
            continue
        best = max(options, key=lambda o: (_evidence(sample, o[0], canonical), o[1], -o[0]))
        winners[best[0]] = canonical

    names: list[str] = []
    taken: set[str] = set()
    headers: dict[str, str] = {}
    used: dict[str, str] = {}
    ignored: list[str] = []
    for position, (text, key) in enumerate(zip(texts, keys, strict=True), start=1):
        shown = text or f"column {position}"
        won = winners.get(position - 1)
        if won:
            name = won
            used[won] = shown
        else:
            name = key or f"column_{position}"
            if name in _CANONICAL or name in DERIVED:
                name = f"{name}_{position}"
            if text and key not in RESERVED_HEADER_KEYS:
                ignored.append(text)
        while name in taken:
            name = f"{name}_{position}"
        taken.add(name)
        names.append(name)
        headers[name] = shown
    return Assignment(names=names, headers=headers, used=used, ignored=ignored)


def describe(assignment: Assignment, limit: int = 12) -> str:
    """One plain sentence for the problems list: which headers were read as what, which were not.

    "Columns used: creator ← 'TT Handle', code ← 'Spark Ads Code'; not used: 'Platform'."
    Long lists are cut after `limit` entries, so a very wide sheet still gives one short line.
    """

    def listed(items: list[str]) -> str:
        shown = ", ".join(items[:limit])
        return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")

    used = [f"{canonical} ← '{header}'" for canonical, header in assignment.used.items()]
    parts = [f"Columns used: {listed(used)}" if used else "No column was recognised"]
    if assignment.ignored:
        quoted = [f"'{h}'" for h in assignment.ignored]
        parts.append(f"not used: {listed(quoted)}")
    return "; ".join(parts) + "."


# ---------------------------------------------------------------------------------------------
# Finding the header row


@dataclass(frozen=True)
class _Score:
    score: float
    known: int
    strong_creator: bool
    soft: int

    @property
    def confident(self) -> bool:
        """Plainly a header: a clear creator header, one more known column, nothing that looks like data."""
        return self.strong_creator and self.known >= 2 and self.soft == 0


def _repeats_below(table: Sequence[Row], row: int, column: int, text: str) -> bool:
    """True when the cell's text is what most of the column below says: a value, not a header."""
    want = text.casefold()
    same = filled = 0
    for below in table[row + 1 : row + 1 + _REPEAT_ROWS]:
        if column < len(below):
            value = _text(below[column])
            if value:
                filled += 1
                same += value.casefold() == want
    return same >= 2 and same * 2 >= filled


def _score_row(table: Sequence[Row], index: int) -> _Score | None:
    """How much a row looks like a header; None for a blank row or one that holds data.

    Each known header word adds its strength (a creator one more), a short plain text a
    little; a cell that looks like data (a number, a status word, a handle) takes away, and
    a cell that is only ever data (a code, a link, a date, an e-mail, an @handle) rules the
    row out. A row with one filled cell is a title and scores low.
    """
    cells: list[tuple[int, str]] = []
    for column, cell in enumerate(table[index]):
        text = _text(cell)
        if text:
            cells.append((column, text))
            if len(cells) >= _HEADER_CELLS:
                break
    if not cells:
        return None
    score = 0.0
    known = soft = 0
    strong_creator = False
    seen: set[str] = set()
    for column, text in cells:
        key = fold(text)
        found = _match_folded(key)
        kind = _TEXT
        if found and found.value_like and _repeats_below(table, index, column, text):
            found, kind = None, _SOFT  # "TikTok" in a platform column, "code" in an access column
        elif found is None:
            kind = _cell_kind(text)
            if kind == _HARD:
                return None
        if found:
            known += 1
            if found.value_like:
                score += 0.5  # as likely a value as a header: no more than plain text
            else:
                score += found.strength + (found.canonical == "creator")
                strong_creator = strong_creator or (found.canonical == "creator" and found.strength >= 2)
        elif kind == _SOFT:
            soft += 1
            score -= 1.5
        else:
            score += 0.5
        if key in seen:
            score -= 1  # a header names each column once
        seen.add(key)
    if len(cells) == 1:
        score -= 2
    return _Score(score, known, strong_creator, soft)


def find_header_row(table: Sequence[Row], search_rows: int = HEAD_ROWS) -> int:
    """Index of the header row among the first `search_rows` rows.

    The first row that is plainly a header (a clear creator header, another known column and
    no data-like cell) is the header: rows below it are data, whatever words they hold.
    Without such a row, the first row naming the creator column wins, else the best-scoring
    row (ties to the earliest); either must still hold
    the creators, by its header words or, for a `Name` column, by handle-like values.
    Raises `SourceError(kind=ErrorKind.NO_CREATOR_COLUMN)` when it does not.
    """
    ranked: list[tuple[float, bool, int]] = []
    for index in range(min(search_rows, len(table))):
        score = _score_row(table, index)
        if score is None:
            continue
        if score.confident:
            return index
        ranked.append((score.score, score.strong_creator, -index))
    # The first row that clearly names the creator column heads the sheet: a later row that
    # names it again ('Creator' above a creator called 'Handle') is data or a repeated header.
    first_named = max((entry for entry in ranked if entry[1]), key=lambda entry: entry[2], default=None)
    if first_named is not None and _holds_creators(table, -first_named[2]):
        return -first_named[2]
    # Else the best score first; on a tie, the earliest. A title can outscore the header
    # ('Owner: Maya' reads like a column), so the best few that look like headers at all
    # (score above zero: data rows score below) are tried for the creators.
    ranked.sort(reverse=True)
    for position, (row_score, _, negative_index) in enumerate(ranked[:_HEADER_TRIES]):
        if position and row_score <= 0:
            break
        if _holds_creators(table, -negative_index):
            return -negative_index
    raise SourceError(NO_CREATOR_MESSAGE, kind=ErrorKind.NO_CREATOR_COLUMN)


def _holds_creators(table: Sequence[Row], index: int) -> bool:
    return "creator" in assign(table[index], table[index + 1 : index + 1 + SAMPLE_ROWS]).used


def locate(
    table: Sequence[Row], search_rows: int = HEAD_ROWS, *, widest_from: Callable[[int], int] | None = None
) -> tuple[int, Assignment]:
    """The header row's index and the assignment of its columns (the header padded to the sheet's width).

    Only the first `search_rows + SAMPLE_ROWS` rows are read, and every row for the sheet's width;
    `widest_from(i)`, the widest row from index i on, stands in for the rows `table` leaves out (a
    sheet held as columns passes its first rows only: `lib.columnar`).
    """
    index = find_header_row(table, search_rows)
    body = table[index + 1 :]
    widest = max((len(r) for r in body), default=0) if widest_from is None else widest_from(index + 1)
    width = max(len(table[index]), widest)
    header = list(table[index]) + [""] * (width - len(table[index]))
    return index, assign(header, body)
