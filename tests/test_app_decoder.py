"""The error decoder on the Troubleshooter page, in the real app (AppTest)."""

from __future__ import annotations

import pytest
from app_helpers import TROUBLESHOOTER, assert_clean, markdown_texts, open_app

from lib.decoder import decode_error
from lib.rules import RULES
from lib.symptoms import SYMPTOMS
from lib.vocab import ROLES
from ui import decoder, troubleshooter


def paste(at, text: str):
    at.text_input(key=decoder.KEY_TEXT).input(text).run()
    assert_clean(at)
    return at


def pick(at, label: str):
    at.selectbox(key=decoder.KEY_PICK).select(label).run()
    assert_clean(at)
    return at


def shown(at) -> str:
    return "\n".join(markdown_texts(at))


def picker_buttons(at) -> list:
    return [b for b in at.main.button if b.key and b.key.startswith("decoder_to_picker_")]


def symptoms(at) -> list[str]:
    return at.multiselect(key=troubleshooter.KEY_SYMPTOMS).value


def test_the_section_is_on_the_troubleshooter_page_and_quiet_until_used(demo_page):
    at = demo_page(TROUBLESHOOTER)
    assert "Ads Manager shows an error?" in [s.value for s in at.main.header]
    assert at.text_input(key=decoder.KEY_TEXT).label == "Paste the error Ads Manager shows"
    assert not picker_buttons(at)
    assert not any(decoder.UNKNOWN in i.value for i in at.main.info)


@pytest.mark.parametrize(
    ("text", "name", "symptom"),
    [
        ("Error 4025: the authorization code has expired", "auth_code_expired", "code_rejected"),
        ("AUTH_CODE_NOT_FOUND", "auth_code_not_found", "code_stopped_working"),
        ("4013", "auth_code_format_error", "code_rejected"),
    ],
)
def test_a_pasted_error_explains_itself_and_leads_to_its_cause(text, name, symptom):
    at = paste(open_app(TROUBLESHOOTER), text)
    error = decode_error(name)
    page = shown(at)
    assert error.meaning in page and error.fix in page
    for role in error.roles:
        assert f"{ROLES[role].label} ({ROLES[role].where})" in page
    assert f"**Likely cause in the symptom picker:** {RULES[error.cause].label}" in page
    assert symptoms(at) == []

    (button,) = picker_buttons(at)
    button.click().run()
    assert_clean(at)
    assert symptoms(at) == [symptom]
    causes = [s.value for s in at.main.subheader]
    assert f"{1 + SYMPTOMS[symptom].causes.index(error.cause)}. {RULES[error.cause].label}" in causes
    if name == "auth_code_expired":
        assert causes[0] == f"1. {RULES['code_expired'].label}"


def test_picking_a_format_error_from_the_list_points_to_the_format_advice():
    at = pick(open_app(TROUBLESHOOTER), decode_error("4027").title)
    assert decode_error("4027").meaning in shown(at)
    assert "Likely cause in the symptom picker" not in shown(at)
    picker_buttons(at)[0].click().run()
    assert symptoms(at) == ["format_not_supported"]
    assert f"1. {SYMPTOMS['format_not_supported'].label}" in [s.value for s in at.main.subheader]


def test_an_error_without_a_cause_has_no_pointer():
    at = paste(open_app(TROUBLESHOOTER), "video_deleted")
    assert decode_error("video_deleted").meaning in shown(at)
    assert not picker_buttons(at)


def test_an_ambiguous_number_shows_every_error_it_stands_for():
    at = paste(open_app(TROUBLESHOOTER), "4002")
    assert decoder.SEVERAL in [c.value for c in at.main.caption]
    page = shown(at)
    assert decode_error("video_deleted").meaning in page and decode_error("video_unavailable").meaning in page


@pytest.mark.parametrize("text", ["something went wrong", "<script>alert(1)</script>", "**bold** 40250"])
def test_unknown_text_says_so_and_points_to_the_picker(text):
    at = paste(open_app(TROUBLESHOOTER), text)
    assert [i.value for i in at.main.info if i.value == decoder.UNKNOWN] == [decoder.UNKNOWN]
    assert not picker_buttons(at)
    assert not at.get("html")
    assert text not in shown(at)  # the pasted text is never echoed as markdown


def test_the_last_one_touched_counts():
    at = pick(open_app(TROUBLESHOOTER), decode_error("4042").title)
    assert decode_error("4042").meaning in shown(at)
    paste(at, "auth_code_expired")
    assert at.selectbox(key=decoder.KEY_PICK).value is None
    assert decode_error("4025").meaning in shown(at) and decode_error("4042").meaning not in shown(at)
    pick(at, decode_error("4013").title)
    assert at.text_input(key=decoder.KEY_TEXT).value == ""
    assert decode_error("4013").meaning in shown(at) and decode_error("4025").meaning not in shown(at)


def test_the_list_shows_plain_names_before_raw_ids():
    at = open_app(TROUBLESHOOTER)
    options = at.selectbox(key=decoder.KEY_PICK).options
    assert "Temporary fault on TikTok's side (-500 · call_rpc_fail / call_db_fail)" in options
    assert not any(option.startswith(("call_", "-500", "illegal_", "4")) for option in options)
    pick(at, decode_error("call_rpc_fail").title)
    assert "**Temporary fault on TikTok's side** · `-500` · `call_rpc_fail` · `call_db_fail`" in shown(at)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Invalid authorization code", "auth_code_format_error"),
        ("The authorisation has expierd", "auth_code_expired"),
        ("The creator withdrew the code", "auth_code_not_found"),
    ],
)
def test_plain_words_are_decoded_too(text, name):
    at = paste(open_app(TROUBLESHOOTER), text)
    error = decode_error(name)
    assert error.meaning in shown(at)
    assert not [i for i in at.main.info if i.value == decoder.UNKNOWN]
    assert text not in shown(at)


def test_unknown_error_words_that_describe_a_symptom_offer_to_pick_it():
    at = paste(open_app(TROUBLESHOOTER), "the preview disappeared <b>now</b>")
    (info,) = [i.value for i in at.main.info if "doesn't know this error" in i.value]
    assert SYMPTOMS["preview_gone"].label in info and "<b>" not in info
    (button,) = picker_buttons(at)
    button.click().run()
    assert_clean(at)
    assert symptoms(at) == ["preview_gone"]
    assert not at.get("html")


def test_describing_what_you_see_preselects_the_symptoms():
    at = open_app(TROUBLESHOOTER)
    at.text_input(key=troubleshooter.KEY_DESCRIBE).input("the ad stopped and the preview disappeared").run()
    assert_clean(at)
    assert set(symptoms(at)) == {"ad_stopped", "preview_gone"}
    assert troubleshooter.NO_MATCH not in [c.value for c in at.main.caption]
    # The person can still change the pick; new words add to it.
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).unselect("ad_stopped").run()
    at.text_input(key=troubleshooter.KEY_DESCRIBE).input("wrong handle").run()
    assert symptoms(at) == ["preview_gone", "wrong_identity"]
    at.text_input(key=troubleshooter.KEY_DESCRIBE).input("**hello** <i>x</i>").run()
    assert_clean(at)
    assert troubleshooter.NO_MATCH in [c.value for c in at.main.caption]
    assert "hello" not in shown(at) and not at.get("html")
