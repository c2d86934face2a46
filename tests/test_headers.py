"""Header detection and header meanings (lib.headers), on real header rows and on the cases that broke."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import headers as headers_module
from lib.errors import SourceError
from lib.headers import Assignment, assign, describe, find_header_row, fold, locate, meaning
from lib.normalize import header_key
from tests.data.real_headers import REAL_HEADER_SETS

CODE = "#" + "Ab1+" * 15 + "xyz="
CODE_2 = "#" + "Zy9/" * 15 + "abc="
VIDEO = "https://www.tiktok.com/@amy/video/7311111111111111111"


# --- fold ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Créateur", "createur"),
        ("Código", "codigo"),
        ("Durée (jours)", "duree_jours"),
        ("Gültig bis", "gultig_bis"),
        ("Straße", "strasse"),
        ("Situação", "situacao"),
        ("達人", "達人"),
        ("ชื่อ", "ชื่อ"),
        ("Имя", "имя"),
        ("视频ID", "视频_id"),
        ("creatorUsername", "creator_username"),
        ("TiktokUrl", "tiktok_url"),
        ("KOLName", "kol_name"),
        ("KOLs ID", "kols_id"),
        ("Tik Tok handle", "tiktok_handle"),
        ("ＴＴ　Ｈａｎｄｌｅ", "tt_handle"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_fold_keeps_words_folds_accents_and_splits_camel_case(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text",
    [
        "Duration (days)",
        "  TikTok   Handle ",
        "Expiry-Date",
        "AD DELIVERY?",
        "Spark Ads Code",
        "creator_username",
        "auth_end_time",
        "Post / Video URL",
        "Notes #2",
        "__sparkwatch_sheet_row__",
        "Date authorized",
    ],
)
def test_fold_is_header_key_for_plain_ascii_headers(text):
    assert fold(text) == header_key(text)


def test_fold_keeps_non_latin_letters_as_letters():
    for text in ["達人", "ชื่อ", "Имя", "创作者 账号"]:
        assert fold(text)
        assert all(ch.isalpha() or ch == "_" or not ch.isascii() for ch in fold(text))


# --- meaning -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        # Headers seen in real sheets that used to be missed.
        ("creator_username", "creator"),
        ("influencer_name", "creator"),
        ("TT Handle", "creator"),
        ("Username TikTok", "creator"),
        ("TikTok Link", "post_url"),
        ("Link Video TikTok", "post_url"),
        ("item_id", "post_id"),
        ("auth_end_time", "expires_on"),
        ("auth_start_time", "authorized_on"),
        ("valid_until", "expires_on"),
        ("Spark authorization code", "code"),
        ("usage_rights_days", "duration_days"),
        # TikTok's own API field names.
        ("auth_code", "code"),
        ("ad_auth_status", "status"),
        ("tiktok_name", "creator"),
        ("identity_type", "identity"),
        ("advertiser_id", "ad_account"),
        # Word rules.
        ("Spark code expiry", "expires_on"),
        ("Code expires on", "expires_on"),
        ("Campaign end", "campaign_end"),
        ("Campaign start date", "campaign_start"),
        ("Usage", "duration_days"),
        ("Authorization period", "duration_days"),
        ("Spark Ads Code Duration", "duration_days"),
        ("KOL", "creator"),
        ("Influencer", "creator"),
        ("TikTok account", "creator"),
        ("Video post", "post_url"),
        ("TikTok video ID", "post_id"),
        ("Boost code", "code"),
        ("Ad code", "code"),
        ("Date authorized", "authorized_on"),
        ("Ad delivery permission", "ad_delivery_permission"),
        ("Advertiser region", "ad_account_region"),
        ("Creator country", "creator_region"),
        ("Campaign Manager", "owner"),
        # Spanish, French, German, Portuguese, Indonesian.
        ("Creador", "creator"),
        ("Creadora", "creator"),
        ("Créateur", "creator"),
        ("Ersteller", "creator"),
        ("Criador", "creator"),
        ("Kreator", "creator"),
        ("Pembuat", "creator"),
        ("Código de autorización", "code"),
        ("Code Spark", "code"),
        ("Kode Iklan", "code"),
        ("Fecha de vencimiento", "expires_on"),
        ("Date d'expiration", "expires_on"),
        ("Ablaufdatum", "expires_on"),
        ("Validade", "expires_on"),
        ("Tanggal kedaluwarsa", "expires_on"),
        ("Berlaku hingga", "expires_on"),
        ("Duración", "duration_days"),
        ("Durée", "duration_days"),
        ("Dauer", "duration_days"),
        ("Duração", "duration_days"),
        ("Durasi", "duration_days"),
        ("Enlace", "post_url"),
        ("Lien", "post_url"),
        ("Link", "post_url"),
        ("Tautan", "post_url"),
        ("Estado", "status"),
        ("Statut", "status"),
        ("Situação", "status"),
        ("Campaña", "campaign"),
        ("Campagne", "campaign"),
        ("Kampagne", "campaign"),
        ("Campanha", "campaign"),
        ("Kampanye", "campaign"),
        ("Notas", "notes"),
        ("Remarques", "notes"),
        ("Notizen", "notes"),
        ("Catatan", "notes"),
        ("Marca", "brand"),
        ("Marque", "brand"),
        ("Marke", "brand"),
        ("Merek", "brand"),
        ("Responsable", "owner"),
        ("Verantwortlich", "owner"),
        ("PIC", "owner"),
        ("Fecha de inicio", "campaign_start"),
        ("Date de début", "campaign_start"),
        ("Fecha de inicio de la autorización", "authorized_on"),
        # Chinese.
        ("达人", "creator"),
        ("創作者", "creator"),
        ("账号", "creator"),
        ("授权码", "code"),
        ("到期日期", "expires_on"),
        ("截止", "expires_on"),
        ("视频链接", "post_url"),
        ("链接", "post_url"),
    ],
)
def test_meaning_reads_the_words_of_a_header(header, canonical):
    assert meaning(header) == canonical


@pytest.mark.parametrize(
    "header",
    [
        "Name",
        "Full name",
        "Nama",
        "Nombre",
        "Nickname",
        "Platform",
        "Followers",
        "Discount Code",
        "Post Code",
        "Creator code",
        "Instagram Handle",
        "IG Post",
        "Type Influencer",
        "Creator tier",
        "Days left",
        "Posting Date",
        "Payment Status",
        "Campaign ID",
        "Identity ID",
        "utm_campaign",
        "invite_start_time",
        "auth_status_update_time",
        "Video Title",
        "",
        None,
    ],
)
def test_meaning_leaves_other_columns_alone(header):
    assert meaning(header) is None


def test_every_shared_alias_keeps_its_meaning():
    from lib.vocab import COLUMN_ALIASES

    for canonical, aliases in COLUMN_ALIASES.items():
        for alias in (canonical, *aliases):
            assert meaning(alias.replace("_", " ").title()) == canonical, alias


# --- real header rows ---------------------------------------------------------------------------


def test_there_are_at_least_twelve_real_header_sets_each_with_its_source():
    assert len(REAL_HEADER_SETS) >= 12
    for header_set in REAL_HEADER_SETS:
        assert header_set.source.startswith("https://") or ":" in header_set.source, header_set.name
        assert header_set.headers, header_set.name


@pytest.mark.parametrize("header_set", REAL_HEADER_SETS, ids=lambda s: s.name)
def test_real_headers_mean_what_their_team_meant(header_set):
    got = {header: meaning(header) for header, _ in header_set.headers}
    assert got == dict(header_set.headers)


@pytest.mark.parametrize("header_set", REAL_HEADER_SETS, ids=lambda s: s.name)
def test_real_headers_are_assigned_once_each_and_never_lost(header_set):
    row = [header for header, _ in header_set.headers]
    assignment = assign(row)
    assert len(assignment.names) == len(row) == len(set(assignment.names))
    for canonical, header in header_set.used.items():
        assert assignment.used[canonical] == header
    expected = {c for _, c in header_set.headers if c}
    assert set(assignment.used) == expected
    assert set(assignment.headers.values()) == set(row)


@pytest.mark.parametrize(
    "header_set",
    [s for s in REAL_HEADER_SETS if any(c == "creator" for _, c in s.headers)],
    ids=lambda s: s.name,
)
def test_real_header_rows_are_found_below_a_title(header_set):
    row = [header for header, _ in header_set.headers]
    table = [["Spark Ads tracker: Q4"], [], row, ["" for _ in row]]
    assert find_header_row(table) == 2


# --- finding the header row --------------------------------------------------------------------


def test_kol_list_without_handle_column_keeps_its_header_and_its_codes():
    table = [
        ["Name", "Platform", "Followers", "Spark Ads Code"],
        ["amy.lee", "TikTok", "12k", CODE],
        ["bob_makes", "TikTok", "3,400", CODE_2],
    ]
    index, assignment = locate(table)
    assert index == 0
    assert assignment.used == {"creator": "Name", "code": "Spark Ads Code"}
    assert "Platform" in assignment.ignored


def test_kol_list_whose_names_are_not_handles_says_so_instead_of_inventing_tiktok_creators():
    table = [
        ["Name", "Platform", "Followers", "Spark Ads Code"],
        ["Amy Lee", "TikTok", "12k", CODE],
        ["Bob Marsh", "TikTok", "3,400", CODE_2],
    ]
    with pytest.raises(SourceError) as raised:
        find_header_row(table)
    assert raised.value.kind == "no_creator_column"
    assert str(raised.value) == headers_module.NO_CREATOR_MESSAGE


def test_kol_list_without_codes_still_never_takes_a_data_row():
    table = [
        ["Nama", "Platform", "Followers", "Status"],
        ["Amy Lee", "TikTok", "12000", "pending"],
        ["Bob Marsh", "TikTok", "800", "active"],
    ]
    with pytest.raises(SourceError, match="no creator column"):
        find_header_row(table)


def test_a_title_saying_tiktok_above_a_good_header_is_skipped():
    table = [["TikTok"], ["Creator", "Spark code", "Expiry"], ["amy", CODE, "2026-11-22"]]
    assert find_header_row(table) == 1


def test_a_title_saying_tiktok_above_a_header_with_names_only_uses_the_names_when_they_are_handles():
    table = [["TikTok"], [""], ["Name", "Video", "Code"], ["amy.lee", VIDEO, CODE]]
    index, assignment = locate(table)
    assert index == 2
    assert assignment.used["creator"] == "Name"


def test_titles_notes_and_blank_rows_above_the_header_are_skipped():
    table = [
        ["Spark Ads tracker — Q4 2026"],
        ["Ask the creator for 60 or 365 days when the campaign runs longer than a month, please."],
        [],
        ["", "", ""],
        ["TT Handle", "Spark Ads Code", "valid_until"],
        ["amy", CODE, "2026-11-22"],
    ]
    assert find_header_row(table) == 4


def test_a_data_row_is_never_the_header():
    # The first rows hold data only; the header row of this pasted block is missing.
    table = [
        ["@amy", "TikTok", VIDEO, CODE, "2026-11-22"],
        ["@bob", "TikTok", VIDEO, CODE_2, "11/22/2026"],
        ["amy@example.com", "creator", "code", "Creator", "Code"],
    ]
    with pytest.raises(SourceError):
        find_header_row(table[:2])
    with pytest.raises(SourceError):
        find_header_row(table)


def test_header_only_and_single_column_sheets():
    assert find_header_row([["Creator", "Code"]]) == 0
    assert find_header_row([["Handle"], ["amy"], ["bob"]]) == 0
    assert find_header_row([["Spark tracker"], ["Handle"], ["amy"]]) == 1
    assert find_header_row([["TikTok"], ["@amy"]]) == 0


def test_a_sheet_without_creator_column_is_a_plain_source_error():
    for table in ([["Post", "Code"], ["x", "y"]], [], [[""], []], [["Spark tracker"]]):
        with pytest.raises(SourceError) as raised:
            find_header_row(table)
        assert raised.value.kind == "no_creator_column"
        assert "Add a column headed 'Creator'" in str(raised.value)


def test_search_is_bounded_to_the_first_rows():
    table = [[f"Note {i}"] for i in range(25)] + [["Creator", "Code"]]
    with pytest.raises(SourceError):
        find_header_row(table)
    assert find_header_row(table, search_rows=30) == 25


# --- assigning columns ------------------------------------------------------------------------


def test_name_beside_the_handle_is_not_the_creator():
    assignment = assign(["Name", "TT Handle", "Code"], [["Amy Lee", "amy.lee", CODE], ["Bob", "bob", CODE_2]])
    assert assignment.used["creator"] == "TT Handle"
    assert assignment.names == ["name", "creator", "code"]
    assert assignment.ignored == ["Name"]


def test_of_two_creator_columns_the_one_holding_handles_wins():
    body = [["Amy Lee", "@amy", CODE], ["Bob Marsh", "@bob", CODE_2]]
    assignment = assign(["Influencer", "TikTok", "Code"], body)
    assert assignment.used["creator"] == "TikTok"
    assert assignment.names == ["influencer", "creator", "code"]


def test_a_platform_column_is_not_the_creator_even_when_headed_tiktok():
    body = [["Amy Lee", "TikTok", CODE], ["Bob Marsh", "TikTok", CODE_2]]
    assignment = assign(["Influencer", "TikTok", "Code"], body)
    assert assignment.used["creator"] == "Influencer"
    assert "TikTok" in assignment.ignored


def test_the_post_column_is_the_one_holding_links_not_the_platform():
    body = [["@amy", "TikTok", VIDEO], ["@bob", "TikTok", VIDEO.replace("1111", "2222")]]
    assignment = assign(["Creator", "Post", "Video"], body)
    assert assignment.used == {"creator": "Creator", "post_url": "Video"}
    assert assignment.names == ["creator", "post_2", "post_url"]  # "post" is the product's own column


def test_a_tiktok_column_of_video_links_is_the_post():
    assignment = assign(["Creator", "TikTok"], [["@amy", VIDEO]])
    assert assignment.used == {"creator": "Creator", "post_url": "TikTok"}


def test_profile_links_say_who_not_which_post():
    body = [["มินมิน ช็อป88 (ช่องหลัก)", "https://www.tiktok.com/@mintrako8764", CODE]]
    assignment = assign(["Nickname", "TiktokUrl", "Spark Code"], body)
    assert assignment.used["creator"] == "TiktokUrl"
    assert "post_url" not in assignment.used


def test_names_are_unique_canonical_where_known_and_no_column_is_lost():
    header = ["Creator", "Notes", "Notes", "Shoe size", "Post", "Video URL", "", "Handle", "creator"]
    body = [["amy", "a", "b", "42", "https://a/video/1", "https://b/video/2", "x", "", ""]]
    assignment = assign(header, body)
    assert assignment.names == [
        "creator",
        "notes",
        "notes_3",
        "shoe_size",
        "post_url",
        "video_url",
        "column_7",
        "handle",
        "creator_9",
    ]
    assert assignment.headers["column_7"] == "column 7"
    assert assignment.headers["notes_3"] == "Notes"
    assert assignment.used["creator"] == "Creator"


def test_header_only_assignment_prefers_the_clearer_header():
    assignment = assign(["Handle", "Creator"])
    assert assignment.used["creator"] == "Handle"
    assert assignment.names == ["creator", "creator_2"]


def test_the_merged_tabs_row_column_keeps_its_reserved_name():
    assignment = assign(["Creator", "__sparkwatch_sheet_row__"])
    assert assignment.names == ["creator", "sparkwatch_sheet_row"]
    assert assignment.ignored == []


def test_assignment_is_a_small_frozen_record():
    assignment = assign(["Creator"])
    assert isinstance(assignment, Assignment)
    with pytest.raises(AttributeError):
        assignment.names = []  # type: ignore[misc]


def test_describe_says_what_was_read_and_what_was_not():
    assignment = assign(["TT Handle", "Spark Ads Code", "Platform", "Followers"])
    assert describe(assignment) == (
        "Columns used: creator ← 'TT Handle', code ← 'Spark Ads Code'; not used: 'Platform', 'Followers'."
    )
    assert describe(assign(["Followers"])) == "No column was recognised; not used: 'Followers'."
    wide = describe(assign(["Creator", *[f"Extra {i}" for i in range(40)]]))
    assert wide.endswith("and 28 more.")


# --- the header never moves ---------------------------------------------------------------------

CREATOR_HEADERS = [
    "Creator",
    "TikTok handle",
    "TT Handle",
    "creator_username",
    "Username TikTok",
    "Handle",
    "Influencer",
    "KOL",
    "Creador",
    "Créateur",
    "达人",
    "tiktok_name",
]
OTHER_HEADERS = [
    "Spark code",
    "Spark Ads Code",
    "Expiry date",
    "auth_end_time",
    "Post URL",
    "Link Video TikTok",
    "Status",
    "Campaign",
    "Duration (days)",
    "Notes",
    "Código de autorización",
    "item_id",
]
EXTRA_HEADERS = ["Followers", "Country", "Rate card", "Platform", "Name", "Agency", "Tier"]
WORDS = [
    "TikTok",
    "tiktok",
    "creator",
    "Creator",
    "code",
    "Code",
    "video",
    "Spark code",
    "TT Handle",
    "Expiry",
    "status",
    "active",
    "pending",
    "yes",
    "Amy Lee",
    "amy.lee",
    "@amy",
    "30 days",
    "12000",
    CODE,
    VIDEO,
    "2026-11-22",
    "",
]
cell = st.one_of(st.sampled_from(WORDS), st.text(max_size=20))


@st.composite
def sheets(draw):
    """A header with a creator column and one more known column, under titles, over any data."""
    header = [
        draw(st.sampled_from(CREATOR_HEADERS)),
        *draw(st.lists(st.sampled_from(OTHER_HEADERS), min_size=1, max_size=4)),
    ]
    header += draw(st.lists(st.sampled_from(EXTRA_HEADERS), max_size=3))
    header = draw(st.permutations(header))
    above = draw(
        st.lists(
            st.one_of(
                st.builds(
                    lambda text: [text], st.one_of(st.sampled_from(WORDS + CREATOR_HEADERS), st.text(max_size=40))
                ),
                st.builds(lambda width: [""] * width, st.integers(0, 4)),
            ),
            max_size=5,
        )
    )
    below = draw(st.lists(st.lists(cell, max_size=10), max_size=12))
    return above, list(header), below


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_titles_above_and_any_data_below_never_move_the_header(sheet):
    above, header, below = sheet
    table = [*above, header, *below]
    assert find_header_row(table) == len(above)


# --- performance ------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_a_16384_column_sheet_is_read_within_a_hard_limit():
    """A bound that keeps one visitor's wide sheet from holding the server; speed itself is bench/'s job."""
    headers_module.fold.cache_clear()
    headers_module._match_folded.cache_clear()
    width = 16_384
    header = ["Creator", "Spark code", *[f"Metric {i}" for i in range(width - 2)]]
    body = [[f"user{r}", CODE, *[str(r * i) for i in range(width - 2)]] for r in range(30)]
    table = [["Spark tracker"], header, *body]
    index, assignment = locate(table)
    assert index == 1
    assert assignment.used == {"creator": "Creator", "code": "Spark code"}
    assert len(assignment.names) == width


@pytest.mark.timeout(30)
def test_twenty_wide_rows_without_a_header_are_rejected_within_a_hard_limit():
    headers_module.fold.cache_clear()
    headers_module._match_folded.cache_clear()
    table = [[f"Metric {r}-{i}" for i in range(16_384)] for r in range(20)]
    with pytest.raises(SourceError):
        find_header_row(table)
