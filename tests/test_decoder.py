"""The error decoder: whatever Ads Manager showed → the known error, or None."""

from __future__ import annotations

import pytest

from lib import troubleshoot as ts
from lib.decoder import FORMAT_SYMPTOM, decode_error, decode_errors, error_choices, symptom_for
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
    assert "4025 · auth_code_expired" in labels
    assert "auth_code_not_found" in labels
    assert "-500 · call_rpc_fail / call_db_fail" in labels
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
