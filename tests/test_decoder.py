"""The error decoder: whatever Ads Manager showed → the known error, or None."""

from __future__ import annotations

import re

import pytest

from lib import troubleshoot as ts
from lib.decoder import FORMAT_SYMPTOM, decode_error, decode_errors, error_choices, match_symptoms, symptom_for
from lib.phrases import Matcher, words
from lib.rules import RULES
from lib.symptoms import ADS_ERRORS, SYMPTOMS
from lib.vocab import ROLES


def names(errors) -> list[str]:
    return [name for error in errors for name in error.names]


@pytest.mark.parametrize(
    ("text", "expected", "cause"),
    [
        ("4025", "auth_code_expired", "code_expired"),
        ("auth_code_expired", "auth_code_expired", "code_expired"),
        ("AUTH CODE EXPIRED", "auth_code_expired", "code_expired"),
        ("  Auth-Code-Expired  ", "auth_code_expired", "code_expired"),
        ("Failed to apply: error 4025. The authorization has expired.", "auth_code_expired", "code_expired"),
        ("auth_code_not_found", "auth_code_not_found", "code_revoked"),
        ("Error: Auth Code Not Found", "auth_code_not_found", "code_revoked"),
        ("4013", "auth_code_format_error", "invalid_code_format"),
        ("AuthCodeFormatError", "auth_code_format_error", "invalid_code_format"),
        ("video_deleted", "video_deleted", None),
        ("error 4002 (video_deleted)", "video_deleted", None),
        ("video unavailable", "video_unavailable", None),
        ("code: 4027", "story_video_not_supported", None),
        ("story_video_not_supported", "story_video_not_supported", None),
        ("4042", "carousel_duet_not_supported", None),
        ("Carousel duet not supported", "carousel_duet_not_supported", None),
        ("-500 call_rpc_fail", "call_rpc_fail", None),
        ("call_db_fail", "call_db_fail", None),
        ("930002", "mention_multiple_videos", None),
        ("900012 illegal_item_status_error", "illegal_item_status_error", None),
    ],
)
def test_known_errors_by_number_or_name(text, expected, cause):
    error = decode_error(text)
    assert error is not None
    assert expected in error.names
    assert error.cause == cause
    assert error.meaning and error.fix
    assert all(role in ROLES for role in error.roles)


def test_4002_alone_is_ambiguous_and_offers_both():
    assert names(decode_errors("4002")) == ["video_unavailable", "video_deleted"]
    assert names(decode_errors("4002 video_deleted")) == ["video_deleted"]


def test_a_name_wins_over_a_different_number_in_the_same_text():
    assert names(decode_errors("4013 auth_code_expired")) == ["auth_code_expired"]


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "hello", "something went wrong", "40250", "14025", "auth_code", "2026-11-22"],
)
def test_unknown_text_is_none(text):
    assert decode_error(text) is None
    assert decode_errors(text) == ()


def test_numbers_match_only_as_whole_numbers():
    assert decode_error("E4025:") is not None  # letters around are fine
    assert decode_error("40251") is None
    assert decode_error("404025") is None


def test_causes_point_at_real_issues_and_choices_cover_every_error():
    assert {e.cause for e in ADS_ERRORS if e.cause} <= set(RULES)
    labels = [label for label, _ in error_choices()]
    assert len(labels) == len(ADS_ERRORS) == len(set(labels))
    # Plain names first, the raw ids after them, as the screen shows them.
    assert "Authorization expired (4025 · auth_code_expired)" in labels
    assert "Code deleted or withdrawn by the creator (auth_code_not_found)" in labels
    assert "Temporary fault on TikTok's side (-500 · call_rpc_fail / call_db_fail)" in labels
    assert all(error.label and not re.search(r"[a-z]+_[a-z]+", error.label) for error in ADS_ERRORS)
    for label, error in error_choices():
        assert error in decode_errors(label)


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("4025", "code_rejected"),
        ("auth_code_format_error", "code_rejected"),
        ("auth_code_not_found", "code_stopped_working"),
        ("4027", FORMAT_SYMPTOM),
        ("4042", FORMAT_SYMPTOM),
        ("video_deleted", None),
        ("-500", None),
    ],
)
def test_each_error_points_to_the_symptom_that_leads_to_its_cause(text, symptom):
    assert symptom_for(decode_error(text)) == symptom


def test_picking_the_pointed_symptom_lists_the_errors_cause():
    """Following the pointer, the picker names the error's cause, for every error that has one."""
    for error in ADS_ERRORS:
        symptom = symptom_for(error)
        if error.cause is None:
            continue
        keys = [cause.key for cause in ts.rank_causes([symptom])]
        assert error.cause in keys, (error.names, symptom)
    expired = decode_error("auth_code_expired")
    assert ts.rank_causes([symptom_for(expired)])[0].key == "code_expired"
    (advice,) = ts.rank_causes([symptom_for(decode_error("story_video_not_supported"))])
    assert advice.key == f"advice:{FORMAT_SYMPTOM}"


def test_the_format_symptom_and_its_errors_exist():
    """The decoder sends 'format not supported' errors to this symptom; both must be in the catalogue."""
    assert FORMAT_SYMPTOM in SYMPTOMS
    names = {name for error in ADS_ERRORS for name in error.names}
    assert {"story_video_not_supported", "carousel_duet_not_supported"} <= names


# --------------------------------------------------------------------------- plain words

# What people paste or type instead of the error's id: TikTok's banner wordings, their gist,
# British spellings, typos. Each → the error it is (None: must match nothing).
PLAIN_ERRORS = [
    ("Invalid authorization code", "auth_code_format_error"),
    ("The authorization code is invalid. Please check and try again.", "auth_code_format_error"),
    ("Incorrect code", "auth_code_format_error"),
    ("Code format error", "auth_code_format_error"),
    ("This video code is not valid", "auth_code_format_error"),
    ("The authorization has expired", "auth_code_expired"),
    ("Authorisation expired", "auth_code_expired"),
    ("video authorisation expierd", "auth_code_expired"),
    ("The code expired yesterday", "auth_code_expired"),
    ("Spark code expired", "auth_code_expired"),
    ("Authorization code does not exist", "auth_code_not_found"),
    ("Code not found", "auth_code_not_found"),
    ("The creator withdrew the code", "auth_code_not_found"),
    ("authorization revoked by creator", "auth_code_not_found"),
    ("code revokd", "auth_code_not_found"),
    ("The code was cancelled", "auth_code_not_found"),
    ("The video has been deleted", "video_deleted"),
    ("Post removed", "video_deleted"),
    ("Video is unavailable", "video_unavailable"),
    ("This post isn't available", "video_unavailable"),
    ("System busy, please try again later", "call_rpc_fail"),
    ("Internal server error", "call_rpc_fail"),
    ("Network error", "call_rpc_fail"),
    ("The video mentions multiple videos", "mention_multiple_videos"),
    ("Item status is illegal", "illegal_item_status_error"),
    ("This video violates our community rules", "illegal_item_status_error"),
    ("Stories are not supported", "story_video_not_supported"),
    ("Duet carousels aren't supported", "carousel_duet_not_supported"),
    ("photo carousel", "carousel_duet_not_supported"),
    # Nothing known: must stay unknown rather than guess.
    ("something went wrong", None),
    ("hello", None),
    ("please help", None),
    ("auth_code", None),
    ("authorization code", None),
    ("the code", None),
    ("2026-11-22", None),
    ("Campaign budget too low", None),
    ("Payment failed", None),
]


@pytest.mark.parametrize(("text", "expected"), PLAIN_ERRORS)
def test_plain_words_find_the_error(text, expected):
    found = [name for error in decode_errors(text) for name in error.names]
    if expected is None:
        assert found == [], text
    else:
        assert found[: len(decode_error(text).names)] == list(decode_error(text).names)
        assert expected in found, (text, found)
        assert len(decode_errors(text)) <= 2, (text, found)


def test_invalid_authorization_code_leads_to_the_damaged_code_cause_and_its_symptom():
    error = decode_error("Invalid authorization code")
    assert error.cause == "invalid_code_format"
    assert symptom_for(error) == "code_rejected"


# What someone types in "Describe what you see" → the symptom the picker should pre-select.
PLAIN_SYMPTOMS = [
    ("disappeared", "preview_gone"),
    ("The preview disappeared", "preview_gone"),
    ("preview dissapeared overnight", "preview_gone"),
    ("it worked yesterday", "preview_gone"),
    ("preview vanished", "preview_gone"),
    ("Preview won't load", "preview_missing"),
    ("the spark ad preview is blank", "preview_missing"),
    ("preview keeps spinning", "preview_missing"),
    ("I can't find the video in Creative library", "post_not_found"),
    ("post not showing in creative library", "post_not_found"),
    ("Ad stopped delivering", "ad_stopped"),
    ("no impressions since Tuesday", "ad_stopped"),
    ("the ad is paused", "ad_stopped"),
    ("wrong handle shows on the ad", "wrong_identity"),
    ("the brand name shows instead of the creator", "wrong_identity"),
    ("custom identity", "wrong_identity"),
    ("visible on TikTok but not in Ads Manager", "visible_not_in_ads_manager"),
    ("code rejected", "code_rejected"),
    ("Invalid authorization code", "code_rejected"),
    ("code expierd", "code_rejected"),
    ("the code stopped working", "code_stopped_working"),
    ("creator withdrew it", "code_stopped_working"),
    ("revoked", "code_stopped_working"),
    ("the code opens a different video", "wrong_video"),
    ("wrong video", "wrong_video"),
    ("the code won't attach to our ad account", "wont_attach"),
    ("can't link the code", "wont_attach"),
    ("region not available", "wont_attach"),
    ("format not supported", "format_not_supported"),
    ("it's a story", "format_not_supported"),
    ("duet", "format_not_supported"),
    ("need to edit the caption", "caption_change"),
    ("typo in the hashtags", "caption_change"),
]
NO_SYMPTOM = ["", "   ", "hello", "thanks", "budget", "2026-11-22", "please help me", "ok"]


@pytest.mark.parametrize(("text", "expected"), PLAIN_SYMPTOMS)
def test_plain_words_find_the_symptom(text, expected):
    found = match_symptoms(text)
    assert expected in found, (text, found)
    assert found[0] == expected or len(found) > 1, (text, found)
    assert set(found) <= set(SYMPTOMS)


@pytest.mark.parametrize("text", [*NO_SYMPTOM, None])
def test_words_that_describe_nothing_match_no_symptom(text):
    assert match_symptoms(text) == []


def test_every_symptom_and_error_can_be_found_by_its_own_words():
    for symptom in SYMPTOMS.values():
        assert symptom.words, symptom.id
        assert symptom.id in match_symptoms(symptom.label), symptom.id
        for phrase in symptom.words:
            assert symptom.id in match_symptoms(phrase), (symptom.id, phrase)
    for error in ADS_ERRORS:
        assert error.words, error.names
        assert error in decode_errors(error.label), error.label


def test_the_matcher_folds_synonyms_typos_and_spelling_and_keeps_order_free():
    assert words("The authorisation EXPIRED!") == words("authorization expires")
    assert words("can't") == words("cannot") == ["not"]
    assert words("withdrawn") == words("revoked") == words("withdrew")
    matcher = Matcher([("a", ["preview gone"]), ("b", ["code not found"])])
    assert matcher.match("gone, the preview") == ["a"]
    assert matcher.match("found the code") == []  # 'not' matters
    assert matcher.match("the code cannot be found") == ["b"]
    assert matcher.match("preveiw dissapeared") == ["a"]  # two typos, both five letters or more
    assert matcher.match("x" * 5000 + " preview gone") == []  # only the first 2,000 characters count
    with pytest.raises(ValueError):
        Matcher([("c", ["the of"])])
